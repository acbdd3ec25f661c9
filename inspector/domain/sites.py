"""The site register's rules: what a site's fields may hold, what a new site type needs, the QR link's route.

A site (场所) is a place the campaign inspects: a construction site, a park or
green belt, a residential compound, an office compound, or a kind an admin
added. Its checked fields come from ``checked_site``, which both the desk's
form, the HTTP routes and the XLSX import go through, so a site is the same
whichever way it came in. The QR code printed for a site holds
``<server>/visit/<site id>``: ``visit_route`` makes the path, ``site_of_route``
reads it back (the phone opens that route at a new visit of the site).
"""

import math
import re
from typing import Any, Iterable, Mapping

from inspector.domain.catalog import OFFICES
from inspector.domain.text import check_text
from inspector.errors import (
    CoordinateInvalid, SiteFieldMissing, SiteFieldTooLong, SiteTypeCodeInvalid, SiteTypeExists,
    SiteTypeNamesMissing, UnknownOffice, UnknownSiteType,
)

# The four kinds every installation has (their names: ``site_type.<code>`` in the catalogues).
SHIPPED_TYPES = ("construction_site", "green_belt", "community", "office_area")
NAME_MAX = 200
ADDRESS_MAX = 200
CONTACT_MAX = 120
TYPE_CODE_MAX = 40
TYPE_NAME_MAX = 60
TYPE_LANGS = ("zh-CN", "en")  # an added type is named in both languages
TYPE_CODE = re.compile(r"[a-z][a-z0-9_]{1,39}")
SITE_ID = re.compile(r"[A-Za-z0-9-]{1,36}")
VISIT_PREFIX = "/visit/"
RANGES = {"lat": (-90.0, 90.0), "lon": (-180.0, 180.0)}


def _words(value: Any, field: str, limit: int, needed: bool) -> str:
    text = "" if value is None else str(value).strip()
    check_text(text, field)
    if needed and not text:
        raise SiteFieldMissing(field=field)
    if len(text) > limit:
        raise SiteFieldTooLong(field=field, max=limit, length=len(text))
    return text


def coordinate(value: Any, field: str) -> float:
    """``value`` as the degrees of ``field`` ("lat" or "lon"): a finite number within its range."""
    low, high = RANGES[field]
    if isinstance(value, bool):  # True is an int to Python, not a latitude to anybody
        raise CoordinateInvalid(field=field, low=low, high=high, value=str(value))
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise CoordinateInvalid(field=field, low=low, high=high, value=str(value)[:40]) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise CoordinateInvalid(field=field, low=low, high=high, value=str(value)[:40])
    return number


def checked_site(fields: Mapping[str, Any], known_types: Iterable[str]) -> dict[str, Any]:
    """A site's fields checked and tidied: ``name``, ``kind``, ``office_code``, ``lat``, ``lon``, ``address``,
    ``contact`` (missing optional ones are empty). Raises the typed error of the first field that is wrong."""
    name = _words(fields.get("name"), "name", NAME_MAX, needed=True)
    kind = _words(fields.get("kind"), "kind", TYPE_CODE_MAX, needed=True)
    if kind not in set(known_types):
        raise UnknownSiteType(site_type=kind)
    office = _words(fields.get("office_code"), "office", TYPE_CODE_MAX, needed=True)
    if office not in {o.code for o in OFFICES}:
        raise UnknownOffice(office=office)
    for needed in ("lat", "lon"):
        if fields.get(needed) is None or str(fields.get(needed)).strip() == "":
            raise SiteFieldMissing(field=needed)
    return {
        "name": name, "kind": kind, "office_code": office,
        "lat": coordinate(fields["lat"], "lat"), "lon": coordinate(fields["lon"], "lon"),
        "address": _words(fields.get("address"), "address", ADDRESS_MAX, needed=False),
        "contact": _words(fields.get("contact"), "contact", CONTACT_MAX, needed=False),
    }


def checked_type(code: Any, names: Mapping[str, Any], known_types: Iterable[str]) -> tuple[str, dict[str, str]]:
    """A new site type's code and its names in both languages, checked; raises on a bad or taken code
    (``SiteTypeCodeInvalid``: lower-case letters, digits and ``_``, 2 to 40, a letter first) or a missing name."""
    code = "" if code is None else str(code).strip()
    check_text(code, "code")
    if code in set(known_types):
        raise SiteTypeExists(code=code)
    if not TYPE_CODE.fullmatch(code):
        raise SiteTypeCodeInvalid(code=code[:TYPE_CODE_MAX])
    tidy = {}
    for lang in TYPE_LANGS:
        value = names.get(lang) if isinstance(names, Mapping) else None
        words = "" if value is None else str(value).strip()
        check_text(words, "name")
        if not words:
            raise SiteTypeNamesMissing(lang=lang)
        if len(words) > TYPE_NAME_MAX:
            raise SiteFieldTooLong(field="name", max=TYPE_NAME_MAX, length=len(words))
        tidy[lang] = words
    return code, tidy


def visit_route(site_id: str) -> str:
    """The app's route that opens a new visit of ``site_id``: ``/visit/<site_id>``."""
    return f"{VISIT_PREFIX}{site_id}"


def site_of_route(route: str | None) -> str | None:
    """The site id a ``/visit/<site_id>`` route (or a whole link ending in one) names; ``None`` for any other.

    A query string or fragment and one trailing slash are ignored; an id is 1-36 letters, digits and dashes.
    """
    if not route:
        return None
    path = route.split("#", 1)[0].split("?", 1)[0]
    if "://" in path:
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    if path.endswith("/"):
        path = path[:-1]
    if not path.startswith(VISIT_PREFIX):
        return None
    site_id = path[len(VISIT_PREFIX):]
    return site_id if SITE_ID.fullmatch(site_id) else None
