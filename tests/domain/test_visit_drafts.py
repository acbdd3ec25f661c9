"""A visit being walked: where it stands, what blocks finishing, and the events it becomes in order."""

from dataclasses import replace
from datetime import datetime, timezone
from itertools import count

import pytest

from inspector.domain.checklists import CheckPoint, Checklist
from inspector.domain.roles import Role
from inspector.domain.visit_drafts import (VisitDraft, from_json, standing, to_json, usual_check_type,
                                           visit_check_types, visit_events)

CHECKLIST = Checklist(id="cl-1", site_type="construction_site", version=3, points=(
    CheckPoint("hoarding", {"zh-CN": "围挡", "en": "Hoarding"}, "site_cleaning", starred=True),
    CheckPoint("garbage", {"zh-CN": "垃圾", "en": "Garbage"}, "site_garbage"),
    CheckPoint("canteen", {"zh-CN": "食堂", "en": "Canteen"}, "site_sewage"),
))
SITE_POINT = {"lat": 30.27, "lon": 120.15, "source": "manual"}
SHA = "a" * 64


def draft(**marks: str) -> VisitDraft:
    d = VisitDraft(id="visit-1", site_id="site-1", checklist_id="cl-1", check_type="supervisor",
                   started_at=datetime(2026, 7, 15, 2, 0, tzinfo=timezone.utc))
    for code, verdict in marks.items():
        d = d.mark(code, verdict)
    return d


def ids():
    numbers = count(1)
    return lambda: f"item-{next(numbers)}"


def test_standing_counts_points_and_blocks_a_failure_without_photo():
    where = standing(draft(hoarding="pass"), CHECKLIST)
    assert (where.checked, where.total, where.unmarked, where.score) == (1, 3, ("garbage", "canteen"), None)
    where = standing(draft(hoarding="fail", garbage="pass", canteen="na"), CHECKLIST)
    assert where.failed_without_photo == ("hoarding",) and not where.ready
    with pytest.raises(ValueError):
        visit_events(draft(hoarding="fail", garbage="pass", canteen="na"), CHECKLIST, "construction", SITE_POINT,
                     "visited", ids())
    ready = draft(hoarding="fail", garbage="pass", canteen="na").with_photos("hoarding", (SHA,))
    where = standing(ready, CHECKLIST)
    assert where.ready and (where.score.met, where.score.applicable, where.score.passed) == (1, 2, False)
    assert where.reports == 1


def test_a_finished_visit_is_one_visited_then_a_report_per_failed_point_in_checklist_order():
    d = draft(canteen="fail", hoarding="fail", garbage="pass")
    d = d.with_photos("canteen", (SHA,)).with_photos("hoarding", ("b" * 64, "b" * 64)).with_note("canteen", " 污水 ")
    made = visit_events(d, CHECKLIST, "construction", SITE_POINT, "visited", ids())
    assert [(m.kind, m.item_id) for m in made] == [("visited", "visit-1"), ("reported", "item-1"),
                                                   ("reported", "item-2")]
    assert made[0].payload == {"site": "site-1", "checklist": "cl-1", "check_type": "supervisor",
                               "results": {"hoarding": "fail", "garbage": "pass", "canteen": "fail"}}
    first, second = made[1].payload, made[2].payload
    assert (first["check_point"], first["category"], first["photos"]) == ("hoarding", "site_cleaning", ["b" * 64])
    assert (second["check_point"], second["description"]) == ("canteen", "污水")
    assert all(p["visit"] == "visit-1" and p["office"] == "construction" and p["site"] == "site-1"
               and p["location"] == SITE_POINT and p["check_type"] == "supervisor" for p in (first, second))


def test_the_phones_position_goes_with_the_visit_and_its_reports():
    here = {"lat": 30.2741, "lon": 120.1551, "accuracy_m": 8.0, "source": "gps"}
    d = replace(draft(hoarding="pass", garbage="pass", canteen="fail"), location=here)
    d = d.with_photos("canteen", (SHA,))
    visit, report = visit_events(d, CHECKLIST, "construction", SITE_POINT, "visited", ids())
    assert visit.payload["location"] == here and report.payload["location"] == here


def test_a_pass_after_a_fail_drops_its_photos_and_the_draft_keeps_as_json():
    d = draft(hoarding="fail").with_photos("hoarding", (SHA,)).mark("hoarding", "pass")
    assert d.marks["hoarding"].photos == ()
    d = d.mark("garbage", "fail").with_photos("garbage", (SHA,)).with_note("garbage", "x" * 900)
    assert from_json(to_json(d)) == d and len(d.marks["garbage"].note) == 500
    with pytest.raises(ValueError):
        d.mark("garbage", "maybe")


def test_who_visits_as_what():
    assert visit_check_types(Role.OFFICE_STAFF) == ["self", "cross"] and usual_check_type(Role.OFFICE_STAFF) == "self"
    assert "technical" not in visit_check_types(Role.ADMIN)
    assert usual_check_type(Role.INSPECTOR) == "supervisor" and "supervisor" in visit_check_types(Role.INSPECTOR)
    assert visit_check_types(Role.SPOT_CHECKER) == ["spot"]
