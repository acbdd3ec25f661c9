"""The catalogue as clients see it: codes with their names in every language."""

from inspector.domain import catalog
from inspector.domain.items import STATUSES
from inspector.geo.distance import Point
from inspector.geo.distance import nearest_site as geo_nearest
from inspector.i18n import LANGUAGES, t
from inspector.services.context import Context
from inspector.store import sites as site_store
from inspector.store.engine import read_session
from inspector.store.public import SitePublic


def _names(prefix: str, code: str) -> dict[str, str]:
    return {lang: t(f"{prefix}.{code}", lang) for lang in LANGUAGES}


def catalogue() -> dict:
    """Offices, categories, severities, check types, roles and statuses, named."""
    return {
        "offices": [{"code": o.code, "names": _names("office", o.code)} for o in catalog.OFFICES],
        "categories": [
            {
                "code": c.code,
                "names": _names("category", c.code),
                "default_office": c.default_office,
                "deadline_days": c.deadline_days,
                "look_back_days": c.look_back_days,
                "icon": c.icon,
            }
            for c in catalog.CATEGORIES
        ],
        "severities": [{"code": s, "names": _names("severity", s)} for s in catalog.SEVERITIES],
        "check_types": [{"code": s, "names": _names("check_type", s)} for s in catalog.CHECK_TYPES],
        "roles": [{"code": s, "names": _names("role", s)} for s in catalog.ROLES],
        "statuses": [{"code": s, "names": _names("status", s)} for s in STATUSES],
    }


def list_sites(ctx: Context) -> list[SitePublic]:
    """The sites on the register (retired ones left out), by name."""
    with read_session(ctx.engine) as session:
        return site_store.active_sites(session)


def nearest_site(ctx: Context, lat: float, lon: float) -> tuple[SitePublic, float] | None:
    """The active site nearest to a point within ``settings.site_radius_m``, with its distance."""
    sites = list_sites(ctx)
    found = geo_nearest(Point(lat, lon), [(s.id, s.name, Point(s.lat, s.lon)) for s in sites],
                        ctx.settings.site_radius_m)
    if found is None:
        return None
    site_id, _, metres = found
    return next(s for s in sites if s.id == site_id), metres
