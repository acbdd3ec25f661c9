"""The shipped checklists (``inspector.domain.standard``): words in both catalogues, known categories,
unique codes, and what the standard names for construction sites starred."""

import re

import pytest

from inspector.domain import catalog
from inspector.domain.checklists import MAX_POINT_TEXT, MAX_POINTS, checked_points, point_dict
from inspector.domain.sites import SHIPPED_TYPES
from inspector.domain.standard import SHIPPED, SITE_TYPES, shipped_checklist, text_key
from inspector.i18n import CATALOGUES

ALL = [p for points in SHIPPED.values() for p in points]


def test_the_four_shipped_site_types_have_a_checklist():
    assert set(SITE_TYPES) == set(SHIPPED_TYPES) == {"construction_site", "green_belt", "community", "office_area"}


def test_codes_are_unique_over_every_site_type():
    codes = [p.code for p in ALL]
    assert len(codes) == len(set(codes))


def test_every_point_has_a_known_category():
    assert {p.category for p in ALL} <= set(catalog.CATEGORY_BY_CODE)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_point_has_words_in_both_catalogues(lang):
    missing = [p.code for p in ALL if not CATALOGUES[lang].get(text_key(p.code), "").strip()]
    assert missing == []


def test_no_catalogue_holds_words_of_a_point_that_is_not_shipped():
    codes = {text_key(p.code) for p in ALL}
    for lang, texts in CATALOGUES.items():
        assert {k for k in texts if k.startswith("checkpoint.")} == codes, lang


@pytest.mark.parametrize("site_type", SITE_TYPES)
def test_a_shipped_checklist_is_a_valid_edit_of_itself(site_type):
    points = shipped_checklist(site_type, CATALOGUES)
    assert 8 <= len(points) <= min(12, MAX_POINTS)
    assert checked_points([point_dict(p) for p in points]) == points
    assert all(len(p.text[lang]) <= MAX_POINT_TEXT for p in points for lang in ("zh-CN", "en"))
    assert any(p.starred for p in points) and not all(p.starred for p in points)


def words(code: str) -> str:
    return CATALOGUES["zh-CN"][text_key(code)]


def test_construction_sites_star_what_the_standard_names():
    points = {p.code: p for p in shipped_checklist("construction_site", CATALOGUES)}
    starred = {code for code, p in points.items() if p.starred}
    assert {"cs_hoarding", "cs_wheel_washing", "cs_bare_soil", "cs_sedimentation", "cs_canteen",
            "cs_vector_control"} <= starred
    assert "1.8米" in words("cs_hoarding") and "2.0米" in words("cs_hoarding")
    assert "车辆冲洗设施" in words("cs_wheel_washing") and "出入口" in words("cs_wheel_washing")
    assert re.search("裸露|黄土", words("cs_bare_soil")) and "覆盖" in words("cs_bare_soil")
    assert "沉淀池" in words("cs_sedimentation") and "无污水流出" in words("cs_sedimentation")
    assert "防蝇防鼠" in words("cs_canteen") and "许可证" in words("cs_canteen")
    assert "毒饵站" in words("cs_vector_control") and "消杀记录" in words("cs_vector_control")
    assert points["cs_sedimentation"].category == "site_sewage"
    assert points["cs_wheel_washing"].category == "vehicle_washing"
    assert points["cs_bare_soil"].category == "loose_soil"
    assert "旱厕" in words("cs_toilets") and "密闭" in words("cs_garbage") and "硬化" in words("cs_roads_hardened")


def test_the_english_keeps_the_numbers():
    assert "1.8 m" in CATALOGUES["en"][text_key("cs_hoarding")] and "2.0 m" in CATALOGUES["en"][text_key("cs_hoarding")]


def test_a_site_type_the_standard_does_not_ship_has_no_points():
    assert shipped_checklist("market", CATALOGUES) == ()
