"""Checklists and the score of a visit (``inspector.domain.checklists``): the formula people read,
starred points, 不适用, and an admin's edit checked point by point."""

import pytest

from inspector.domain.checklists import MAX_POINTS, CheckPoint, Checklist, checked_points, point_dict, score
from inspector.errors import InvalidPayload

POINTS = (
    CheckPoint("hoarding", {"zh-CN": "围挡不低于1.8米", "en": "Hoardings at least 1.8 m"}, "site_cleaning", starred=True),
    CheckPoint("washing", {"zh-CN": "出口设车辆冲洗设施"}, "vehicle_washing", starred=True),
    CheckPoint("garbage", {"en": "Closed garbage containers"}, "site_garbage"),
    CheckPoint("board", {"zh-CN": "健康教育宣传栏"}, "site_cleaning"),
)
LIST = Checklist(id="c1", site_type="construction_site", version=1, points=POINTS)


def results(**verdicts: str) -> dict[str, str]:
    return {"hoarding": "pass", "washing": "pass", "garbage": "pass", "board": "pass", **verdicts}


def test_all_met_passes_with_ratio_one():
    s = score(LIST, results())
    assert (s.met, s.applicable, s.starred_failed, s.failed) == (4, 4, 0, ())
    assert s.ratio == 1 and s.passed


def test_a_plain_failure_lowers_the_ratio_but_the_visit_passes():
    s = score(LIST, results(garbage="fail"))
    assert (s.met, s.applicable, s.failed) == (3, 4, ("garbage",)) and s.ratio == 0.75 and s.passed


def test_one_starred_failure_fails_the_visit_whatever_the_ratio():
    s = score(LIST, results(washing="fail"))
    assert s.ratio == 0.75 and s.starred_failed == 1 and not s.passed


def test_not_applicable_counts_for_nothing():
    s = score(LIST, results(board="na", garbage="fail"))
    assert (s.met, s.applicable) == (2, 3) and s.ratio == pytest.approx(2 / 3)


def test_nothing_applicable_has_no_ratio_and_does_not_pass():
    s = score(LIST, {code: "na" for code in ("hoarding", "washing", "garbage", "board")})
    assert s.applicable == 0 and s.ratio is None and not s.passed


def test_failed_points_come_in_the_checklists_order():
    s = score(LIST, {"board": "fail", "garbage": "fail", "hoarding": "fail", "washing": "na"})
    assert s.failed == ("hoarding", "garbage", "board")


def test_an_unknown_point_is_refused():
    with pytest.raises(InvalidPayload, match="not on this checklist"):
        score(LIST, results(ghost="pass"))


def test_a_missing_point_is_refused_not_passed():
    partial = results()
    del partial["board"]
    with pytest.raises(InvalidPayload, match="board have no verdict"):
        score(LIST, partial)


def test_a_verdict_other_than_pass_fail_na_is_refused():
    with pytest.raises(InvalidPayload, match="not pass, fail or na"):
        score(LIST, results(board="maybe"))


def test_words_fall_back_to_the_other_language():
    assert POINTS[1].words("en") == "出口设车辆冲洗设施" and POINTS[2].words("zh-CN") == "Closed garbage containers"


# --- an admin's edit ---------------------------------------------------------------------------
def raw(code="p1", category="site_sewage", **more) -> dict:
    return {"code": code, "category": category, "text": {"zh-CN": "无污水流出工地", "en": "No sewage"}, **more}


def test_checked_points_keep_order_words_and_star():
    points = checked_points([raw("b", starred=True), raw("a", text={"zh-CN": "  沉淀池加盖 "})])
    assert [p.code for p in points] == ["b", "a"] and points[0].starred and not points[1].starred
    assert points[1].text == {"zh-CN": "沉淀池加盖"}
    assert point_dict(points[0]) == {"code": "b", "text": {"zh-CN": "无污水流出工地", "en": "No sewage"},
                                     "category": "site_sewage", "starred": True}


def test_only_true_stars_a_point():
    assert not checked_points([raw(starred="yes")])[0].starred


@pytest.mark.parametrize("points, problem", [
    ([], "at least one point"),
    ("p1", "at least one point"),
    ([raw("a"), raw("a")], "used twice"),
    ([raw(category="not_a_category")], "not a problem category"),
    ([raw(code="Bad Code")], "lower-case"),
    ([raw(code="")], "lower-case"),
    ([raw(code=7)], "lower-case"),
    (["a point"], "is not a point"),
    ([raw(text={})], "has no words"),
    ([raw(text={"zh-CN": "   "})], "has no words"),
    ([raw(text={"fr": "pas d'eaux usées"})], "words per language"),
    ([raw(text="words")], "words per language"),
    ([raw(text={"zh-CN": "围挡\x00高度"})], "control character"),
    ([raw(text={"en": "bell\x07"})], "control character"),
    ([raw(text={"zh-CN": "字" * 301})], "at most 300"),
    ([raw(f"p{n}") for n in range(MAX_POINTS + 1)], f"at most {MAX_POINTS} points"),
])
def test_a_bad_edit_is_refused_with_its_reason(points, problem):
    with pytest.raises(InvalidPayload, match=problem):
        checked_points(points)


def test_the_most_points_allowed_pass():
    assert len(checked_points([raw(f"p{n}") for n in range(MAX_POINTS)])) == MAX_POINTS
