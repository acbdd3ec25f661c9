"""Sites: every SQL statement on ``sites`` (the registered construction sites, green belts, compounds).

Functions take the caller's session and hand out ``SitePublic`` values.
"""

from typing import Iterable

from sqlmodel import Session, select

from inspector.store.lookup import public_by_key
from inspector.store.models import Site
from inspector.store.public import SitePublic


def sites(session: Session) -> list[SitePublic]:
    """Every registered site, by name."""
    return [SitePublic.of(row) for row in session.exec(select(Site).order_by(Site.name, Site.id)).all()]


def site(session: Session, site_id: str) -> SitePublic | None:
    """The site ``site_id``; ``None`` when there is none."""
    return public_by_key(session, Site, site_id, SitePublic)


def known(session: Session, site_ids: Iterable[str]) -> set[str]:
    """Which of ``site_ids`` are registered sites."""
    wanted = set(site_ids)
    if not wanted:
        return set()
    return set(session.exec(select(Site.id).where(Site.id.in_(wanted))).all())


def add_site(session: Session, site: SitePublic) -> SitePublic:
    """Register ``site`` (its id is the caller's)."""
    session.add(Site(**site.model_dump()))
    return site
