"""The technical assessment's findings as pure rules: the rows' checks, codes by name, the report they become,
and the one exception to "a report has a photo"."""

from datetime import datetime, timezone

import pytest

from inspector.domain import findings as rules
from inspector.domain.decision import Known, decide, photos_optional
from inspector.domain.events import Event, frozen_payload
from inspector.domain.imports import cell_problem, code_of, folded
from inspector.domain.permissions import Actor
from inspector.domain.roles import Role
from inspector.errors import Forbidden, InvalidPayload

AT = datetime(2026, 7, 15, 1, 0, tzinfo=timezone.utc)
ADMIN = Actor(id="a1", role=Role.ADMIN)
SUPERVISOR = Actor(id="s1", role=Role.SUPERVISOR)
NAMES = {
    "category": {"site_garbage": ["工地垃圾乱丢弃", "Construction site garbage"], "loose_soil": ["裸土未覆盖", "Bare soil"]},
    "office": {"construction": ["建筑工程管理处", "Construction Office"], "landscaping": ["园林管理处", "Landscaping"]},
}


def row(number="JP-1", place="华家池路工地", problem="垃圾堆放", category="", office=""):
    return {"number": number, "place": place, "problem": problem, "category": category, "office": office}


def report(actor, **payload):
    body = {"category": "site_garbage", "location": {"lat": 30.27, "lon": 120.15, "source": "manual"}, "photos": [],
            "check_type": "technical", "description": "垃圾堆放", "finding": "JP-1"}
    body.update(payload)
    return decide(actor, None, Event(id="e1", item_id="i1", kind="reported", actor_id=actor.id, at=AT,
                                     base_version=0, payload=frozen_payload(body), server_at=AT), Known())


# --- photos: optional only for an admin's technical report --------------------------------------------
def test_an_admins_technical_report_may_come_without_photos_and_keeps_its_number():
    state = report(ADMIN)
    assert state.photos == () and state.check_type == "technical" and state.finding_number == "JP-1"
    assert state.office == "construction"  # the category's default office


@pytest.mark.parametrize("check_type", ["supervisor", "self", "spot", "cross"])
def test_any_other_report_without_photos_is_refused_naming_the_photos(check_type):
    with pytest.raises(InvalidPayload) as refused:
        report(ADMIN, check_type=check_type, finding=None)
    assert refused.value.details["field"] == "photos"


def test_a_supervisors_technical_report_is_refused_with_or_without_photos():
    with pytest.raises(InvalidPayload):  # no photos: the photo rule speaks first
        report(SUPERVISOR)
    with pytest.raises(Forbidden):  # with one: the check type is an admin's import only
        decide(SUPERVISOR, None, Event(id="e2", item_id="i2", kind="reported", actor_id="s1", at=AT, base_version=0,
                                       payload=frozen_payload({"category": "site_garbage", "photos": ["a" * 64],
                                                               "location": {"lat": 30.0, "lon": 120.0},
                                                               "check_type": "technical"}), server_at=AT),
               Known(photos={"a" * 64: "s1"}))


def test_photos_optional_is_the_admin_and_the_technical_check_type_together():
    assert photos_optional(ADMIN, "technical")
    assert not photos_optional(ADMIN, "supervisor")
    assert not photos_optional(SUPERVISOR, "technical")
    assert not photos_optional(Actor(id="o", role=Role.OFFICE_STAFF, office="construction"), "technical")


# --- the rows -------------------------------------------------------------------------------------
def test_good_rows_become_findings_and_bad_ones_are_listed_with_their_rows():
    rows = [(2, row()), (3, row(number="", problem="x")), (4, row(number="JP-3", problem="")),
            (5, row(number="JP-1", problem="again")), (6, row(number="JP-6", place="地" * 201)),
            (7, row(number="N" * 41))]
    new, again, problems = rules.check_rows(rows)
    assert [f.number for f in new] == ["JP-1"] and again == []
    assert [(p.row, p.column, p.problem) for p in problems] == [
        (3, "number", "missing"), (4, "problem", "missing"), (5, "number", "duplicate_number"),
        (6, "place", "too_long"), (7, "number", "too_long")]
    assert "#2" in problems[2].value  # the duplicate names the row it repeats


def test_a_number_imported_before_is_the_same_finding_or_a_refusal():
    before = {"JP-1": "垃圾堆放\n地点：华家池路工地", "JP-2": "另一个问题"}
    new, again, problems = rules.check_rows([(2, row()), (3, row(number="JP-2")), (4, row(number="JP-4"))], before)
    assert [f.number for f in again] == ["JP-1"] and [f.number for f in new] == ["JP-4"]
    assert [(p.row, p.problem) for p in problems] == [(3, "number_taken")]


def test_cells_refuse_formulas_and_control_characters():
    assert cell_problem(2, "problem", "=HYPERLINK(\"http://x\")").problem == "formula"
    assert cell_problem(2, "problem", "＝1+1").problem == "formula"
    assert cell_problem(2, "problem", "坏\x07字").value == "U+0007"
    assert cell_problem(2, "problem", "多行\n文字") is None


# --- codes by name ----------------------------------------------------------------------------------
def test_codes_are_found_by_code_or_name_in_either_language_ignoring_case_and_width():
    assert code_of("建筑工程管理处", NAMES["office"]) == "construction"
    assert code_of("  construction office ", NAMES["office"]) == "construction"
    assert code_of("ＣＯＮＳＴＲＵＣＴＩＯＮ", NAMES["office"]) == "construction"
    assert code_of("建管处", NAMES["office"]) is None and code_of("", NAMES["office"]) is None
    assert folded("Ａｂ") == "ab"


def test_unknown_values_are_listed_once_with_their_rows_and_a_mapping_resolves_them():
    findings = [rules.Finding(2, "1", "p", "x", "工地垃圾乱丢弃", "建管处"), rules.Finding(3, "2", "p", "x", "", ""),
                rules.Finding(4, "3", "p", "x", "", "建管处")]
    codes, unknown = rules.resolve(findings, NAMES)
    assert [u.as_dict() for u in unknown] == [{"column": "category", "value": "", "rows": [3, 4]},
                                              {"column": "office", "value": "建管处", "rows": [2, 4]}]
    assert codes[2]["category"] == "site_garbage" and codes[3]["office"] is None  # blank office: the default
    codes, unknown = rules.resolve(findings, NAMES, {"category": {"": "loose_soil"},
                                                     "office": {"建管处": "construction"}})
    assert unknown == [] and codes[4] == {"category": "loose_soil", "office": "construction"}


# --- the report a finding becomes --------------------------------------------------------------------
def test_a_findings_payload_is_technical_numbered_photoless_and_placed():
    finding = rules.Finding(2, "JP-7", "华家池路工地", "垃圾堆放")
    body = rules.payload(finding, "site_garbage", None, (30.1, 120.2), "site-1", "地点：")
    assert body["check_type"] == "technical" and body["finding"] == "JP-7" and body["photos"] == []
    assert body["location"] == {"lat": 30.1, "lon": 120.2, "source": "manual"} and body["site"] == "site-1"
    assert body["description"] == "垃圾堆放\n地点：华家池路工地" and "office" not in body
    assert rules.same_problem(body["description"], "垃圾堆放") and not rules.same_problem(body["description"], "垃圾")


def test_ids_are_the_same_for_a_number_on_every_import_and_differ_between_numbers():
    assert rules.ids_of("JP-1") == rules.ids_of("JP-1") != rules.ids_of("JP-2")
    item_id, event_id = rules.ids_of("JP-1")
    assert item_id != event_id


def test_the_site_is_the_one_named_by_the_place():
    sites = [("s1", "华家池路工地", 30.1, 120.1), ("s2", "Riverside Park", 30.2, 120.2)]
    assert rules.site_for(" riverside park ", sites) == ("s2", 30.2, 120.2)
    assert rules.site_for("别处", sites) is None and rules.site_for("", sites) is None


def test_numbers_sort_by_their_digits():
    assert sorted(["JP-10", "12", "JP-2", "JP-1", "3"], key=rules.sort_key) == ["3", "12", "JP-1", "JP-2", "JP-10"]
