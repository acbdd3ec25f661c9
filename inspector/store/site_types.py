"""Site types: every SQL statement on ``site_types`` (the kinds of site the register knows).

The four shipped kinds (``domain.sites.SHIPPED_TYPES``) are seeded with the
schema and named in the catalogues (``site_type.<code>``); the kinds admins add
carry their own names in both languages. On the server rows are added, never changed; a field client
keeps a copy of the server's, replaced each sync round (``replace_all``, ``sync.site_types``).
"""

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from inspector.domain.sites import SHIPPED_TYPES
from inspector.errors import SiteTypeExists
from inspector.store.models import SiteTypeRow
from inspector.store.public import Public


class SiteTypePublic(Public):
    """A kind of site: its code, and for an added kind its names ``{"zh-CN", "en"}`` (a shipped one's are
    the catalogues')."""

    code: str
    names: dict[str, str] = {}
    created_at: datetime


def _order(row: SiteTypeRow) -> tuple:
    shipped = row.code in SHIPPED_TYPES
    return (0, SHIPPED_TYPES.index(row.code)) if shipped else (1, row.created_at, row.code)


def site_types(session: Session) -> list[SiteTypePublic]:
    """Every site type: the shipped ones in their order, then the added ones as they were added."""
    rows = sorted(session.exec(select(SiteTypeRow)).all(), key=_order)
    return [SiteTypePublic(code=r.code, names=dict(r.names or {}), created_at=r.created_at) for r in rows]


def codes(session: Session) -> set[str]:
    """The codes of every site type."""
    return set(session.exec(select(SiteTypeRow.code)).all())


def add_site_type(session: Session, code: str, names: dict[str, str], at: datetime) -> SiteTypePublic:
    """Add the type ``code``; ``SiteTypeExists`` when another request took the code first."""
    session.add(SiteTypeRow(code=code, names=dict(names), created_at=at))
    try:
        session.flush()
    except IntegrityError:
        raise SiteTypeExists(code=code) from None
    return SiteTypePublic(code=code, names=dict(names), created_at=at)


def names_by_code(session: Session) -> dict[str, dict[str, str]]:
    """Each site type's code and its own names (``{}`` for a shipped one: the catalogues name it)."""
    return {st.code: st.names for st in site_types(session)}


def replace_all(session: Session, fresh: Mapping[str, Mapping[str, str]], at: datetime) -> None:
    """Keep exactly the types ``fresh`` (code -> an added type's names; the field client's copy of the
    server's, fetched ``at``). A shipped type keeps no names of its own, so the catalogues name it here."""
    for row in session.exec(select(SiteTypeRow)).all():
        if row.code not in fresh:
            session.delete(row)
        elif row.code not in SHIPPED_TYPES and row.names != dict(fresh[row.code]):
            row.names = dict(fresh[row.code])
            session.add(row)
    have = codes(session)
    for code, names in fresh.items():
        if code not in have:
            session.add(SiteTypeRow(code=code, names={} if code in SHIPPED_TYPES else dict(names), created_at=at))


def seed_site_types(session: Session, at: datetime) -> None:
    """Make sure every shipped site type has its row (names stay in the catalogues)."""
    have = codes(session)
    for code in SHIPPED_TYPES:
        if code not in have:
            session.add(SiteTypeRow(code=code, names={}, created_at=at))
