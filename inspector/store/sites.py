"""Sites: every SQL statement on ``sites`` (the registered construction sites, green belts, compounds).

Functions take the caller's session and hand out ``SitePublic`` values. A site
is never deleted: retiring it clears ``active`` (the items and visits naming
it keep their site), restoring sets it again.
"""

from typing import Iterable

from sqlmodel import Session, select

from inspector.store.lookup import public_by_key
from inspector.store.models import Site
from inspector.store.public import SitePublic


def sites(session: Session, office: str | None = None) -> list[SitePublic]:
    """Every registered site, retired ones too, by name (of ``office`` when given)."""
    query = select(Site).order_by(Site.name, Site.id)
    if office is not None:
        query = query.where(Site.office_code == office)
    return [SitePublic.of(row) for row in session.exec(query).all()]


def active_sites(session: Session, office: str | None = None) -> list[SitePublic]:
    """The sites on the register now (not retired), by name (of ``office`` when given)."""
    query = select(Site).where(Site.active.is_(True)).order_by(Site.name, Site.id)
    if office is not None:
        query = query.where(Site.office_code == office)
    return [SitePublic.of(row) for row in session.exec(query).all()]


def named(session: Session, names: Iterable[str]) -> list[SitePublic]:
    """The sites, retired ones too, whose name is one of ``names``."""
    wanted = set(names)
    if not wanted:
        return []
    return [SitePublic.of(row) for row in session.exec(select(Site).where(Site.name.in_(wanted))).all()]


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


def update_site(session: Session, site_id: str, **changes) -> SitePublic | None:
    """Change the columns ``changes`` names of the site ``site_id``; ``None`` when there is none."""
    row = session.get(Site, site_id)
    if row is None:
        return None
    for column, value in changes.items():
        setattr(row, column, value)
    session.add(row)
    session.flush()
    return SitePublic.of(row)
