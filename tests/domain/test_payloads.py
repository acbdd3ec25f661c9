"""Event payload schemas: for every kind, a good payload passes and each kind of bad one gets its typed refusal."""

import pytest

from inspector.domain.lifecycle import KINDS, RULES, describe, payload_refusal, validate_payload
from inspector.domain.payloads import MAX_PHOTOS, kept_payload
from inspector.domain.text import bad_character, check_text
from inspector.errors import (
    ControlCharacters,
    InvalidPayload,
    PayloadTooLong,
    PayloadWrongType,
    UnknownEventKind,
    UnknownPayloadField,
)

PHOTO = "a" * 64
LOCATION = {"lat": 30.27, "lon": 120.15, "accuracy_m": 8, "source": "gps"}
# Every field each kind may carry, optional ones included.
GOOD = {
    "reported": {"category": "site_sewage", "office": "construction", "location": LOCATION, "site": "site-1", "round": "round-1",
                 "severity": "serious", "check_type": "supervisor", "description": "污水外溢\n见照片\t东门",
                 "photos": [PHOTO]},
    "assigned": {"office": "construction", "leader": "陈处长", "deadline": "2026-07-18",
                 "supporting_offices": ["real_estate"]},
    "acknowledged": {},
    "fix_submitted": {"photos": [PHOTO], "note": "已清理", "location": LOCATION},
    "verified": {"note": "整改到位", "look_back_days": 14},
    "rejected": {"reason": "不彻底"},
    "extension_requested": {"until": "2026-07-25", "reason": "等苗木"},
    "extension_granted": {"until": "2026-07-25T12:00:00+08:00"},
    "extension_refused": {"reason": "不同意"},
    "dismissed": {"reason": "不属实"},
    "look_back_passed": {"photos": [PHOTO], "note": "保持良好"},
    "rebounded": {"photos": [PHOTO], "leader": "周局长", "deadline": "2026-08-01", "note": "反弹"},
    "reopened": {"reason": "抽查属实", "leader": "周局长", "deadline": "2026-07-25"},
    "dispute_dismissed": {"reason": "照片清楚"},
    "commented": {"text": "请尽快"},
    "spot_checked": {"verdict": "disagree", "photos": [PHOTO], "note": "仍有污水", "location": LOCATION},
    # A (returns, lead and supporting offices)
    "returned": {"reason_code": "not_our_area", "reason": "归园林处", "suggested_office": "landscaping",
                 "photos": [PHOTO]},
    "reassigned": {"office": "landscaping", "supporting_offices": ["construction"], "deadline": "2026-07-28",
                   "leader": "王处长", "note": "按职责改派"},
    "return_insisted": {"reason": "属于你处职责"},
    # B (duplicates and merges)
    "evidence_added": {"photos": [PHOTO], "note": "又见污水", "location": LOCATION},
    "merged": {"into": "item-2", "reason": "同一处污水"},
    # D (督办): the server's own steps
    "reminded": {"step": "2d", "deadline": "2026-07-18T15:59:59+00:00"},
    "supervised": {"deadline": "2026-07-18T15:59:59+00:00", "office": "construction", "leader": "陈处长",
                   "days_overdue": 4},
    "escalated": {"deadline": "2026-07-18T15:59:59+00:00", "office": "construction", "leader": "王书记",
                  "days_overdue": 8},
}
# (kind, field) for every top-level string field of every kind.
STRING_FIELDS = [(kind, name) for kind, payload in GOOD.items() for name, value in payload.items()
                 if isinstance(value, str)]
WRONG = {str: ["x"], list: "x", dict: 1, int: "7"}


def with_(kind: str, **changes) -> dict:
    return {**GOOD[kind], **changes}


def test_every_kind_has_one_schema_and_a_good_payload_here():
    assert set(RULES) == KINDS == set(GOOD)
    assert {kind for kind, _ in STRING_FIELDS} == KINDS - {"acknowledged"}  # acknowledged has no field at all


@pytest.mark.parametrize("kind", sorted(GOOD))
def test_a_good_payload_passes(kind):
    assert payload_refusal(kind, GOOD[kind]) is None
    validate_payload(kind, GOOD[kind])


@pytest.mark.parametrize("kind", sorted(GOOD))
def test_only_required_fields_pass(kind):
    required = {name for name, info in RULES[kind].schema.model_fields.items() if info.is_required()}
    assert payload_refusal(kind, {k: v for k, v in GOOD[kind].items() if k in required}) is None


@pytest.mark.parametrize("kind", sorted(GOOD))
def test_an_unknown_key_is_refused_naming_it(kind):
    refusal = payload_refusal(kind, with_(kind, colour="red"))
    assert isinstance(refusal, UnknownPayloadField)
    assert refusal.code == "event.unknown_field" and refusal.details["field"] == "colour"


def test_a_megabyte_key_is_refused_and_echoed_short():
    refusal = payload_refusal("commented", with_("commented", **{"k" * 1_000_000: 1}))
    assert isinstance(refusal, UnknownPayloadField)
    assert len(refusal.details["field"]) <= 61 and refusal.details["field"].startswith("kkk")


def test_an_unknown_key_inside_the_location_is_refused():
    refusal = payload_refusal("reported", with_("reported", location={**LOCATION, "altitude": 3}))
    assert isinstance(refusal, UnknownPayloadField) and refusal.details["field"] == "location.altitude"


@pytest.mark.parametrize("kind,name", STRING_FIELDS)
def test_an_over_long_string_is_refused(kind, name):
    refusal = payload_refusal(kind, with_(kind, **{name: "长" * 100_001}))
    assert isinstance(refusal, PayloadTooLong), refusal
    assert refusal.details["field"] == name and refusal.details["limit"] < 100_001


def test_free_text_is_capped_at_2000_characters():
    assert payload_refusal("commented", {"text": "字" * 2000}) is None
    assert isinstance(payload_refusal("commented", {"text": "字" * 2001}), PayloadTooLong)


def test_too_many_photos_are_refused():
    many = [f"{n:064x}" for n in range(MAX_PHOTOS + 1)]
    assert payload_refusal("fix_submitted", {"photos": many[:MAX_PHOTOS]}) is None
    refusal = payload_refusal("fix_submitted", {"photos": many})
    assert isinstance(refusal, PayloadTooLong) and refusal.details["field"] == "photos"


@pytest.mark.parametrize("kind,name", [(k, n) for k, p in GOOD.items() for n in p])
def test_a_wrong_json_type_is_refused_naming_the_field(kind, name):
    wrong = WRONG[type(GOOD[kind][name])]
    refusal = payload_refusal(kind, with_(kind, **{name: wrong}))
    assert isinstance(refusal, PayloadWrongType), refusal
    assert refusal.code == "event.wrong_type" and refusal.details["field"] == name


@pytest.mark.parametrize("payload,field", [
    ({"category": ["site_sewage"], "location": LOCATION, "photos": [PHOTO]}, "category"),
    ({"category": "site_sewage", "office": {"a": 1}, "location": LOCATION, "photos": [PHOTO]}, "office"),
    ({"category": "site_sewage", "location": {"lat": "30.2", "lon": 120.1}, "photos": [PHOTO]}, "location.lat"),
    ({"category": "site_sewage", "location": {"lat": True, "lon": 120.1}, "photos": [PHOTO]}, "location.lat"),
    ({"category": "site_sewage", "location": LOCATION, "photos": [7]}, "photos.0"),
])
def test_wrong_types_in_the_issue_are_typed_refusals(payload, field):
    refusal = payload_refusal("reported", payload)
    assert isinstance(refusal, PayloadWrongType) and refusal.details["field"] == field


@pytest.mark.parametrize("kind,name", STRING_FIELDS)
def test_a_control_character_is_refused_in_every_string_field(kind, name):
    value = GOOD[kind][name]
    refusal = payload_refusal(kind, with_(kind, **{name: value[:1] + "\x00" + value[1:]}))
    assert isinstance(refusal, ControlCharacters), refusal
    assert refusal.code == "text.control_characters"
    assert refusal.details == {"kind": kind, "field": name, "position": 2, "char": "U+0000"}


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\r", "\x0b", "\x7f", "\x85", "\ud800"])
def test_the_text_rule_refuses_controls_and_lone_surrogates(char):
    assert bad_character(f"ab{char}") == 2
    with pytest.raises(ControlCharacters) as raised:
        check_text(f"ab{char}", "display_name")
    assert raised.value.details["field"] == "display_name" and raised.value.details["position"] == 3


def test_the_text_rule_keeps_newline_tab_and_any_script():
    assert bad_character("整改\n完毕\t✓ é 😀 \u2028") is None


def test_a_lone_surrogate_in_a_payload_is_refused_by_the_same_rule():
    refusal = payload_refusal("commented", {"text": "坏\ud800字"})
    assert isinstance(refusal, ControlCharacters)
    assert refusal.details == {"kind": "commented", "field": "text", "position": 2, "char": "U+D800"}


def test_a_control_character_in_the_location_source_is_refused():
    refusal = payload_refusal("reported", with_("reported", location={**LOCATION, "source": "g\x1bps"}))
    assert isinstance(refusal, ControlCharacters) and refusal.details["field"] == "location.source"


@pytest.mark.parametrize("kind,payload", [
    ("reported", with_("reported", category="nope")),
    ("reported", with_("reported", severity="fatal")),
    ("reported", with_("reported", location={"lat": 91, "lon": 0})),
    ("reported", with_("reported", location={"lat": float("nan"), "lon": 0})),
    ("reported", with_("reported", photos=["x.jpg"])),
    ("reported", with_("reported", description="   ")),
    ("assigned", with_("assigned", deadline="soon")),
    ("assigned", {"office": "construction", "leader": "陈处长"}),
    ("rejected", {"reason": None}),
    ("verified", {"look_back_days": 0}),
    ("spot_checked", with_("spot_checked", verdict="maybe")),
])
def test_values_the_catalogue_or_the_rules_do_not_know_are_refused(kind, payload):
    refusal = payload_refusal(kind, payload)
    assert isinstance(refusal, InvalidPayload) and refusal.details["field"]


def test_a_payload_that_is_not_an_object_or_an_unknown_kind_is_refused():
    assert isinstance(payload_refusal("commented", ["text"]), PayloadWrongType)
    refusal = payload_refusal("t" * 10_000, {})
    assert isinstance(refusal, UnknownEventKind) and len(refusal.details["kind"]) <= 61
    with pytest.raises(UnknownEventKind):
        validate_payload("teleported", {})


def test_describe_marks_optional_fields():
    assert describe("assigned") == "assigned: office, leader, deadline, supporting_offices?"
    assert describe("verified") == "verified: note?, look_back_days?"
    assert describe("acknowledged") == "acknowledged: {}"


@pytest.mark.parametrize("payload,kept", [
    ({"text": "ok", "n": [1, 2.5, None, True]}, True),
    ({"text": "a\x00b"}, False),
    ({"x\x00": 1}, False),
    ({"lat": float("nan")}, False),
    ({"big": "x" * 20_000}, False),
    ({"deep": [[[[[[[[[[1]]]]]]]]]]}, False),
])
def test_a_refused_payload_is_kept_only_when_any_database_can_hold_it(payload, kept):
    assert kept_payload(payload) == (payload if kept else {})


@pytest.mark.parametrize("deadline", ["0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-08:00", "1999-12-31",
                                      "2100-01-01"])
def test_a_deadline_beyond_the_campaign_years_is_refused_not_a_fault(deadline):
    payload = {"office": "construction", "leader": "王主任", "deadline": deadline}
    assert payload_refusal("assigned", payload) is not None
