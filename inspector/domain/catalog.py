"""The campaign's catalogue: offices, problem categories, severities, check types, roles.

Codes are stable and travel in events and over the API; the names people read
are in the language catalogues under ``office.<code>``, ``category.<code>``...
Facts come from the bureau's summer campaign plan (see shared DOMAIN.md).
"""

from dataclasses import dataclass
from inspector.domain.roles import OFFICE_ROLES, PEOPLE, Role  # noqa: F401 - re-exported for the catalogue


@dataclass(frozen=True)
class Office:
    code: str


@dataclass(frozen=True)
class Category:
    code: str
    default_office: str
    deadline_days: int
    icon: str
    look_back_days: int = 14


OFFICES: tuple[Office, ...] = (
    Office("construction"),  # 建筑工程管理处
    Office("landscaping"),  # 园林管理处
    Office("real_estate"),  # 房地产管理处
    Office("other_units"),  # 其他各单位
)

# Deadlines are the default rectification time; a supervisor can set another.
CATEGORIES: tuple[Category, ...] = (
    Category("site_sewage", "construction", 3, "sewage"),
    Category("site_garbage", "construction", 2, "trash"),
    Category("site_cleaning", "construction", 3, "broom"),
    Category("mosquito_breeding", "construction", 2, "mosquito", look_back_days=7),
    Category("vehicle_washing", "construction", 2, "truck"),
    Category("road_mud", "construction", 1, "truck", look_back_days=7),
    Category("loose_soil", "landscaping", 5, "soil"),
    Category("green_cleaning", "landscaping", 3, "tree"),
    Category("greenbelt_road_dirty", "landscaping", 2, "broom"),
    Category("missing_trees", "landscaping", 15, "tree", look_back_days=30),
    Category("community_sanitation", "real_estate", 3, "building"),
    Category("community_greening", "real_estate", 7, "building"),
    Category("office_indoor", "other_units", 3, "office"),
    Category("office_environment", "other_units", 3, "office"),
)

SEVERITIES: tuple[str, ...] = ("minor", "normal", "serious")
# "technical": a finding of the province's technical assessment (技术评估), imported, never reported by hand
CHECK_TYPES: tuple[str, ...] = ("self", "cross", "supervisor", "spot", "technical")
ROLES: tuple[str, ...] = tuple(r for r in Role if r in PEOPLE)  # the one list is ``roles.Role`` (D: people's)
LOCATION_SOURCES: tuple[str, ...] = ("gps", "exif", "manual")
# The city's default point (WGS-84): where the desk's map opens without items, and where an imported
# technical assessment finding whose place is no registered site is put (issue 11).
MAP_CENTRE: tuple[float, float] = (30.2741, 120.1551)

OFFICE_CODES = frozenset(o.code for o in OFFICES)
CATEGORY_BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}


def category(code: str) -> Category:
    """The category for ``code``; ``KeyError`` when the catalogue does not know it."""
    return CATEGORY_BY_CODE[code]
