"""The shipped checklists: what the national hygienic city standard asks of each kind of site.

Where the points come from: the national hygienic city standard (国家卫生城市标准, as revised by the
National Patriotic Health Campaign Committee) as local bulletins of 创卫 campaigns apply it to the
places inspectors walk: construction sites (施工工地), parks and green belts (公园绿地), residential
compounds (居民小区) and office compounds (机关单位办公区). The common ground of those bulletins is
what is here: hoardings of 1.8 m (2.0 m on main roads), wheel-washing at the exit, bare soil covered,
no sewage leaving a site, closed garbage containers, no dry latrines, licensed canteens proofed
against flies and rodents, the "four pests" (四害: rats, flies, mosquitoes, cockroaches) kept down with
bait stations, screens and spraying records, no standing water where mosquitoes breed, smoke-free
offices and a health-education board.

Each point has a code (unique over all site types, so its words have one catalogue key,
``checkpoint.<code>``), the problem category a failure becomes, and whether it is starred (带*号:
one starred failure fails the visit). A shipped checklist is version 1 of its site type's list;
admins change it on the desk, each change a new version (``inspector.domain.checklists``).

Pure data: the words are the catalogues', passed in by the caller (``shipped_checklist``).
"""

from dataclasses import dataclass
from typing import Mapping

from inspector.domain.checklists import LANGUAGES, CheckPoint


@dataclass(frozen=True)
class ShippedPoint:
    code: str
    category: str
    starred: bool = False


def _p(code: str, category: str, starred: bool = False) -> ShippedPoint:
    return ShippedPoint(code, category, starred)


SHIPPED: dict[str, tuple[ShippedPoint, ...]] = {
    # 施工工地: the bulletins' 扬尘 (dust) and 环境卫生 rules for building sites
    "construction_site": (
        _p("cs_hoarding", "site_cleaning", starred=True),  # 围挡 ≥ 1.8 m, 2.0 m on main roads
        _p("cs_wheel_washing", "vehicle_washing", starred=True),  # 车辆冲洗设施 at the exit
        _p("cs_roads_hardened", "road_mud"),  # hardened roads, drainage
        _p("cs_bare_soil", "loose_soil", starred=True),  # 裸土覆盖
        _p("cs_sedimentation", "site_sewage", starred=True),  # covered sedimentation tank, no sewage out
        _p("cs_garbage", "site_garbage"),  # closed containers
        _p("cs_toilets", "site_cleaning"),  # no dry latrines, clean toilets
        _p("cs_canteen", "mosquito_breeding", starred=True),  # licence, 防蝇防鼠
        _p("cs_dormitories", "site_cleaning"),
        _p("cs_vector_control", "mosquito_breeding", starred=True),  # 毒饵站, screens, spraying records
        _p("cs_standing_water", "mosquito_breeding"),
        _p("cs_health_board", "site_cleaning"),
    ),
    # 公园绿地
    "green_belt": (
        _p("gb_litter", "green_cleaning"),
        _p("gb_bins", "green_cleaning"),
        _p("gb_standing_water", "mosquito_breeding", starred=True),
        _p("gb_bare_soil", "loose_soil"),
        _p("gb_trees", "missing_trees"),
        _p("gb_paths", "greenbelt_road_dirty"),
        _p("gb_toilets", "green_cleaning", starred=True),
        _p("gb_vector_control", "mosquito_breeding", starred=True),
        _p("gb_facilities", "green_cleaning"),
        _p("gb_notices", "green_cleaning"),
    ),
    # 居民小区
    "community": (
        _p("co_garbage", "community_sanitation", starred=True),
        _p("co_clutter", "community_sanitation"),
        _p("co_standing_water", "mosquito_breeding", starred=True),
        _p("co_vector_control", "mosquito_breeding", starred=True),
        _p("co_greening", "community_greening"),
        _p("co_roads", "community_sanitation"),
        _p("co_toilets", "community_sanitation"),
        _p("co_building", "community_sanitation"),
        _p("co_poultry", "community_sanitation"),
        _p("co_health_board", "community_sanitation"),
    ),
    # 机关单位办公区
    "office_area": (
        _p("of_indoor", "office_indoor"),
        _p("of_toilets", "office_indoor"),
        _p("of_smoke_free", "office_indoor", starred=True),
        _p("of_grounds", "office_environment"),
        _p("of_garbage", "office_environment"),
        _p("of_standing_water", "mosquito_breeding"),
        _p("of_vector_control", "mosquito_breeding", starred=True),
        _p("of_canteen", "office_indoor", starred=True),
        _p("of_greening", "office_environment"),
        _p("of_health_board", "office_environment"),
    ),
}
SITE_TYPES: tuple[str, ...] = tuple(SHIPPED)


def text_key(code: str) -> str:
    """The catalogue key of a shipped point's words."""
    return f"checkpoint.{code}"


def shipped_checklist(site_type: str, texts: Mapping[str, Mapping[str, str]]) -> tuple[CheckPoint, ...]:
    """The shipped points of ``site_type`` (none for a type the standard does not ship), with their words
    in every language from ``texts`` (language -> catalogue key -> words: ``inspector.i18n.CATALOGUES``)."""
    return tuple(
        CheckPoint(code=p.code, category=p.category, starred=p.starred,
                   text={lang: texts[lang][text_key(p.code)] for lang in LANGUAGES})
        for p in SHIPPED.get(site_type, ()))
