"""Strict event payloads over real HTTP: a malformed event is refused alone; reports keep text as text."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import update
from sqlmodel import select

from inspector.store.engine import read_session, write_session
from inspector.store.models import EventRow, Item, Rejection
from tests.factories import LOCATION, new_id, reported, wire
from tests.server.test_api import login, people, upload  # noqa: F401 (fixture)


def push_raw(http, headers, *envelopes):
    # json.dumps escapes to ASCII, so a lone surrogate travels as the \ud800 a client's JSON would carry.
    body = json.dumps({"device_id": "dev-1", "events": list(envelopes)})
    response = http.post("/api/sync/push", content=body, headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    return response.json()["results"]


def report(photo, **payload) -> dict:
    return wire(reported(photo=photo, **payload))


def event_ids(ctx) -> set[str]:
    with read_session(ctx.engine) as session:
        return set(session.exec(select(EventRow.id)).all())


@pytest.mark.parametrize("change,code,field", [
    ({"category": ["site_sewage"]}, "event.wrong_type", "category"),
    ({"office": {"a": 1}}, "event.wrong_type", "office"),
    ({"location": {**LOCATION, "lat": "30.2"}}, "event.wrong_type", "location.lat"),
    ({"photos": 7}, "event.wrong_type", "photos"),
    ({"severity": 3}, "event.wrong_type", "severity"),
    ({"description": "食堂\u0000污水"}, "text.control_characters", "description"),
    ({"description": "坏\ud800字"}, "text.control_characters", "description"),
    ({"description": "长" * 2001}, "event.too_long", "description"),
    ({"colour": "red"}, "event.unknown_field", "colour"),
])
def test_a_malformed_event_is_refused_with_a_reason_and_the_good_one_beside_it_is_accepted(
        ctx, http, people, change, code, field):
    headers = login(http, "xuncha")
    photo = upload(http, headers)
    bad, good = report(photo), report(photo)
    bad["payload"].update(change)
    bad_result, good_result = push_raw(http, headers, bad, good)
    assert good_result["status"] == "accepted" and good_result["seq"]
    assert bad_result["status"] == "rejected" and bad_result["seq"] is None
    reason = bad_result["reason"]
    assert reason["code"] == code and reason["details"]["field"] == field
    assert reason["message"] and "{" not in reason["message"]  # words, placeholders filled
    assert event_ids(ctx) == {good["id"]}
    # Refused for good: the same event again gets the same answer.
    assert push_raw(http, headers, bad)[0]["reason"]["code"] == code


def test_a_megabyte_unknown_key_is_refused_and_neither_stored_nor_echoed(ctx, http, people):
    headers = login(http, "xuncha")
    photo = upload(http, headers)
    bad = report(photo)
    bad["payload"]["k" * 1_000_000] = "v"
    [result] = push_raw(http, headers, bad)
    assert result["status"] == "rejected" and result["reason"]["code"] == "event.unknown_field"
    assert len(result["reason"]["details"]["field"]) <= 61
    with read_session(ctx.engine) as session:
        refusal = session.get(Rejection, bad["id"])
    assert refusal.code == "event.unknown_field" and refusal.payload == {}
    assert event_ids(ctx) == set()


def test_a_refusal_in_english_names_the_field(http, people):
    headers = {**login(http, "xuncha"), "Accept-Language": "en"}
    photo = upload(http, headers)
    bad = report(photo, description="a\x1b[2Jb")
    [result] = push_raw(http, headers, bad)
    assert result["reason"]["message"] == ("“description” holds an invisible control character (character 2, "
                                           "U+001B); remove it and try again")


def test_a_long_unknown_kind_and_a_nan_are_refused_without_breaking_the_batch(ctx, http, people):
    headers = login(http, "xuncha")
    photo = upload(http, headers)
    odd_kind = {**report(photo), "kind": "k" * 500}
    good = report(photo)
    # Python's JSON (and so the server's) reads a bare NaN; both events carry one, to be kept by neither refusal.
    body = json.dumps({"device_id": "dev-1", "events": [odd_kind, good]}).replace('"accuracy_m": 8', '"accuracy_m": NaN')
    response = http.post("/api/sync/push", content=body, headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    odd, nan = response.json()["results"]
    assert odd["reason"]["code"] == "event.unknown_kind" and nan["reason"]["code"] == "event.invalid_payload"
    assert nan["reason"]["details"]["field"] == "location.accuracy_m"


def test_newlines_and_tabs_in_text_are_kept(ctx, http, people):
    headers = login(http, "xuncha")
    photo = upload(http, headers)
    good = report(photo, description="东门\n食堂\t污水")
    assert push_raw(http, headers, good)[0]["status"] == "accepted"
    with read_session(ctx.engine) as session:
        assert session.get(Item, good["item_id"]).description == "东门\n食堂\t污水"


# --- reports: text stays text -----------------------------------------------------------------
FORMULAS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", '=HYPERLINK("http://x.example","点我")']


@pytest.fixture
def formula_items(ctx, http, people):
    """One construction item per formula-like description, reported over HTTP."""
    headers = login(http, "xuncha")
    photo = upload(http, headers)
    envelopes = [report(photo, description=text, office="construction") for text in FORMULAS]
    assert all(r["status"] == "accepted" for r in push_raw(http, headers, *envelopes))
    return {e["item_id"]: e["payload"]["description"] for e in envelopes}


def description_column(rows: list[list]) -> int:
    return rows[0].index("问题描述")


def test_xlsx_holds_formula_like_descriptions_as_plain_strings(http, people, formula_items):
    response = http.get("/api/reports/summary.xlsx", headers=login(http, "dudao"), params={"to": "2026-07-31"})
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]  # not read-only: it keeps data types
    rows = list(sheet.iter_rows())
    column = [c.value for c in rows[0]].index("问题描述")
    cells = [row[column] for row in rows[1:]]
    assert sorted(c.value for c in cells) == sorted(FORMULAS)
    for cell in cells:
        assert cell.data_type == "s", (cell.value, cell.data_type)  # a string, not a formula ("f")
        assert cell.quotePrefix  # Excel keeps it text when the cell is edited


def test_csv_neutralises_formula_like_descriptions_but_keeps_the_text(http, people, formula_items):
    raw = http.get("/api/reports/summary.csv", headers=login(http, "dudao"), params={"to": "2026-07-31"}).content
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    column = description_column(rows)
    cells = sorted(row[column] for row in rows[1:])
    assert cells == sorted("'" + text for text in FORMULAS)
    assert all(cell[0] not in "=+-@" and cell[1:] in FORMULAS for cell in cells)
    # Numbers are ours, not typed text: they are left alone.
    assert all(float(row[rows[0].index("纬度")]) > 0 for row in rows[1:])


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "pdf"])
def test_text_stored_before_the_rule_does_not_break_a_report(ctx, http, people, fmt):
    """An item whose description already holds control characters (stored before they were refused).

    Not a NUL: PostgreSQL text cannot hold one at all; XML (XLSX) cannot hold these either."""
    headers = login(http, "xuncha")
    photo = upload(http, headers)
    good = report(photo, description="旧数据", office="construction")
    assert push_raw(http, headers, good)[0]["status"] == "accepted"
    with write_session(ctx.engine) as session:
        session.execute(update(Item).where(Item.id == good["item_id"]).values(description="旧\x01数据\x1b"))
    response = http.get(f"/api/reports/summary.{fmt}", headers=login(http, "dudao"), params={"to": "2026-07-31"})
    assert response.status_code == 200, response.text
    if fmt == "xlsx":
        rows = [list(r) for r in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)]
        assert rows[1][description_column(rows)] == "旧\ufffd数据\ufffd"
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[1][description_column(rows)] == "旧\ufffd数据\ufffd"


def test_an_unknown_item_id_is_not_needed_for_a_payload_refusal(http, people):
    """A malformed follow-up on an item that does not exist is refused for its payload, first."""
    headers = login(http, "dudao")
    envelope = {"id": new_id(), "item_id": new_id(), "kind": "assigned", "at": "2026-07-15T10:00:00+08:00",
                "base_version": 1, "payload": {"office": ["construction"], "leader": "陈处长", "deadline": "2026-07-18"}}
    [result] = push_raw(http, headers, envelope)
    assert result["reason"]["code"] == "event.wrong_type" and result["reason"]["details"]["field"] == "office"


# --- other free text that enters through the services: the same rule -------------------------------
def control_refusal(response, field: str) -> None:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "text.control_characters" and error["details"]["field"] == field
    assert "{" not in error["message"]


def test_an_info_report_note_with_a_control_character_is_refused(ctx, http, people):
    from tests.factories import person

    leader = person(ctx, "jianzhu_lead", "office_leader", "construction")
    assert leader.office == "construction"
    named = http.put("/api/info/reporters/construction", json={"username": "jianzhu"}, headers=login(http, "dudao"))
    assert named.status_code == 200, named.text
    reporter = login(http, "jianzhu")
    control_refusal(http.post("/api/info/notes", json={"text": "今日\x00整改"}, headers=reporter), "text")
    assert http.post("/api/info/notes", json={"text": "今日\n整改\t3 处"}, headers=reporter).status_code == 201


def test_campaign_and_round_names_with_a_control_character_are_refused(ctx, http, people):
    from tests.factories import person

    person(ctx, "guanli", "admin")
    admin = login(http, "guanli")
    control_refusal(http.put("/api/campaign", json={"name": "创卫\x1b[31m"}, headers=admin), "name")
    control_refusal(http.put("/api/campaign", json={"top_leaders": {"construction": "黄\x00局长"}}, headers=admin),
                    "top_leaders")
    round_body = {"name": "交叉\x07检查", "inspecting_office": "construction", "inspected_office": "landscaping",
                  "starts": "2026-07-15", "ends": "2026-07-20"}
    control_refusal(http.post("/api/rounds", json=round_body, headers=admin), "name")
    assert http.post("/api/rounds", json={**round_body, "name": "交叉检查"}, headers=admin).status_code == 201


def test_a_display_name_with_a_control_character_is_refused(ctx):
    from inspector.errors import ControlCharacters
    from inspector.services import auth

    with pytest.raises(ControlCharacters) as raised:
        auth.add_user(ctx, "wangwu", "secret-pw-123", "inspector", display_name="王\x00五")
    assert raised.value.details["field"] == "display_name"
    assert auth.add_user(ctx, "wangwu", "secret-pw-123", "inspector", display_name=" 王五 ").display_name == "王五"
