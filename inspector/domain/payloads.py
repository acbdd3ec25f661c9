"""Event payloads: the schema of each kind's payload, and the check of a payload against one.

Each kind's payload is a pydantic model of the JSON as it travels: unknown
keys are refused (``extra="forbid"``), types are strict (no ``"7"`` for 7, no
list where a code goes), every string and list is capped, and every string
passes the free-text rule of ``inspector.domain.text``. Catalogue codes are
checked against ``inspector.domain.catalog``. ``refusal`` turns the first
problem into a typed refusal naming the field. Which kind has which schema is
the registry's to say (``inspector.domain.lifecycle.RULES``); the one decision
(``decision.decide``) checks every event's payload there before anything else
reads it.
"""

import json
import math
from typing import Annotated, Any, Callable, Iterable, Mapping
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, ValidationInfo
from pydantic_core import PydanticCustomError

from inspector.domain import catalog
from inspector.domain.events import DEFAULT_ZONE, MAX_TEXT, parse_deadline
from inspector.domain.text import bad_character, char_name
from inspector.errors import (
    ControlCharacters,
    InspectorError,
    InvalidPayload,
    PayloadTooLong,
    PayloadWrongType,
    UnknownPayloadField,
)

MAX_NAME = 100  # a responsible leader's name
MAX_CODE = 40  # catalogue codes, verdicts, location sources
MAX_ID = 64  # a site or round id
MAX_DATE = 40  # an ISO date or date-time
MAX_PHOTOS = 30
MAX_KEPT = 16_000  # characters of a refused payload kept with its refusal
MAX_DEPTH = 8  # nesting of a refused payload kept with its refusal
MAX_SHOWN = 60  # characters of a refused key or kind echoed back in a refusal
SHA256 = r"^[0-9a-f]{64}$"
# Why an office returns an item (退回/申辩): not its area, not a real problem, another office is needed too.
RETURN_REASONS = ("not_our_area", "not_a_problem", "needs_another_office")


# --- field types ---------------------------------------------------------------------------
def _no_control(value: str) -> str:
    position = bad_character(value)
    if position is not None:
        raise PydanticCustomError("control_characters", "holds a control character",
                                  {"position": position + 1, "char": char_name(value[position])})
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "must be non-empty text")
    return value


def _one_of(what: str, known: Iterable[str]) -> Callable[[str], str]:
    codes = frozenset(known)
    listed = ", ".join(sorted(codes))

    def check(value: str) -> str:
        if value not in codes:
            raise PydanticCustomError("unknown_code", "unknown {what} '{value}' (known: {known})",
                                      {"what": what, "value": value[:MAX_SHOWN], "known": listed})
        return value
    return check


def _deadline(value: str, info: ValidationInfo) -> str:
    zone = (info.context or {}).get("zone", DEFAULT_ZONE)
    try:
        parse_deadline(value, zone)
    except InvalidPayload:
        raise PydanticCustomError("not_a_date", "'{value}' is not a date", {"value": value[:MAX_SHOWN]}) from None
    return value


def _capped(limit: int, *checks) -> Any:
    """A strict string of at most ``limit`` characters, control characters refused, then ``checks``."""
    return Annotated[str, StringConstraints(max_length=limit), AfterValidator(_no_control),
                     *(AfterValidator(c) for c in checks)]


Text = _capped(MAX_TEXT, _not_blank)  # descriptions, reasons, notes, comments
Name = _capped(MAX_NAME, _not_blank)
Id = _capped(MAX_ID, _not_blank)  # a site or round id
Deadline = _capped(MAX_DATE, _deadline)
Category = _capped(MAX_CODE, _one_of("category", catalog.CATEGORY_BY_CODE))
Office = _capped(MAX_CODE, _one_of("office", catalog.OFFICE_CODES))
Severity = _capped(MAX_CODE, _one_of("severity", catalog.SEVERITIES))
CheckType = _capped(MAX_CODE, _one_of("check type", catalog.CHECK_TYPES))
Source = _capped(MAX_CODE, _one_of("location source", catalog.LOCATION_SOURCES))
Verdict = _capped(MAX_CODE, _one_of("verdict", ("agree", "disagree")))
Photos = Annotated[list[Annotated[str, StringConstraints(pattern=SHA256, max_length=64)]],
                   Field(min_length=1, max_length=MAX_PHOTOS)]
# A report's photos: at least one, except an admin's import of a technical assessment finding, which comes
# without any; the one decision holds that rule (``decision.check_report_photos``), not the schema.
ReportPhotos = Annotated[list[Annotated[str, StringConstraints(pattern=SHA256, max_length=64)]],
                         Field(max_length=MAX_PHOTOS)]
# Issue 11: a checklist point's code, a visit's verdict per point, the technical assessment's own number.
PointCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,59}$", max_length=60)]
PointVerdict = _capped(MAX_CODE, _one_of("point verdict", ("pass", "fail", "na")))
Results = Annotated[dict[PointCode, PointVerdict], Field(min_length=1, max_length=80)]
FindingNumber = _capped(40, _not_blank)
ReturnReason = _capped(MAX_CODE, _one_of("return reason", RETURN_REASONS))
# Supporting offices (配合): at most every office once; the lead named among them is dropped by ``items.apply``.
Offices = Annotated[list[Office], Field(max_length=len(catalog.OFFICE_CODES))]


class Schema(BaseModel):
    """A payload schema: strict JSON types, no key the kind does not have."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Location(Schema):
    lat: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
    lon: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
    accuracy_m: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    source: Source = "manual"
    mocked: bool | None = None  # the device said the position came from a mock provider (Android tells)


# --- one schema per kind -------------------------------------------------------------------
class Reported(Schema):
    category: Category
    location: Location
    photos: ReportPhotos
    office: Office | None = None
    site: Id | None = None
    round: Id | None = None  # the cross-inspection round (GET /api/rounds) a check_type cross report is of
    severity: Severity = "normal"
    check_type: CheckType = "supervisor"
    description: Text | None = None
    visit: Id | None = None  # the visit whose failed point this report is (issue 11) ...
    check_point: PointCode | None = None  # ... and that point's code
    finding: FindingNumber | None = None  # a technical assessment finding's own number (imported)


class Visited(Schema):
    """A visit of a site against its checklist (issue 11; ``inspector.domain.visits``): the checklist
    version it used, a verdict per point, the check type and where the phone was."""

    site: Id
    checklist: Id  # the id of the checklist version walked
    check_type: CheckType
    round: Id | None = None
    results: Results
    location: Location | None = None


class Assigned(Schema):
    office: Office
    leader: Name
    deadline: Deadline
    supporting_offices: Offices | None = None  # absent: the item's supporting offices stay as they are


class Returned(Schema):
    """退回/申辩 by the lead office: why, in a code and in words, maybe the office it belongs to, photos."""

    reason_code: ReturnReason
    reason: Text
    suggested_office: Office | None = None
    photos: Photos | None = None


class Reassigned(Schema):
    """A return accepted: the lead office (maybe the same), supporting offices, a deadline (absent: the
    category's default from the event's time), a leader (absent: kept for the same office, else none)."""

    office: Office
    supporting_offices: Offices | None = None
    deadline: Deadline | None = None
    leader: Name | None = None
    note: Text | None = None


class ReturnInsisted(Schema):
    reason: Text


class Acknowledged(Schema):
    pass


class FixSubmitted(Schema):
    photos: Photos
    note: Text | None = None
    location: Location | None = None


class Verified(Schema):
    note: Text | None = None
    look_back_days: Annotated[int, Field(ge=1, le=365)] | None = None


class Rejected(Schema):
    reason: Text


class ExtensionRequested(Schema):
    until: Deadline
    reason: Text


class ExtensionGranted(Schema):
    until: Deadline


class ExtensionRefused(Schema):
    reason: Text


class Dismissed(Schema):
    reason: Text


class LookBackPassed(Schema):
    photos: Photos
    note: Text | None = None


class Rebounded(Schema):
    photos: Photos
    leader: Name
    deadline: Deadline
    note: Text | None = None


class Reopened(Schema):
    reason: Text
    leader: Name
    deadline: Deadline


class DisputeDismissed(Schema):
    reason: Text


class Commented(Schema):
    text: Text


class SpotChecked(Schema):
    verdict: Verdict
    photos: Photos
    note: Text | None = None
    location: Location | None = None


class EvidenceAdded(Schema):
    photos: Photos
    note: Text | None = None
    location: Location | None = None


class Merged(Schema):
    into: Id  # the item this one duplicates
    reason: Text | None = None


# D (督办): the server's own steps (``inspector.domain.supervision``); ``deadline`` is the one the step is
# against, the names are the ones in force when it was made
def _step(value: str) -> str:
    if not (value in ("due", "overdue") or (value.endswith("d") and value[:-1].isdigit()
                                             and 1 <= int(value[:-1]) <= 99 and not value.startswith("0"))):
        raise PydanticCustomError("unknown_code", "unknown reminder step '{value}' (known: 1d to 99d, due, overdue)",
                                  {"value": value[:MAX_SHOWN]})
    return value


Step = _capped(10, _step)
DaysOverdue = Annotated[int, Field(ge=0, le=36500)]


class Reminded(Schema):
    step: Step  # "2d": two days before the deadline's day; "due": on the day; "overdue": the day after
    deadline: Deadline


class Supervised(Schema):
    deadline: Deadline
    office: Office
    leader: Name | None = None  # the office's responsible leader (责任领导) named on the item
    days_overdue: DaysOverdue


class Escalated(Schema):
    deadline: Deadline
    office: Office
    leader: Name | None = None  # the office's top leader (一把手) the campaign names, if it names one
    days_overdue: DaysOverdue


def describe_schema(kind: str, schema: type[Schema]) -> str:
    """``kind: field, field?, ...`` (``?`` marks optional fields), for the OpenAPI schema's words."""
    names = [name + ("" if info.is_required() else "?") for name, info in schema.model_fields.items()]
    return f"{kind}: {', '.join(names) or '{}'}"


# --- the check -----------------------------------------------------------------------------
_WRONG_TYPE = {
    "string_type": "string", "float_type": "number", "int_type": "integer", "bool_type": "boolean",
    "list_type": "list", "dict_type": "object", "model_type": "object", "model_attributes_type": "object",
    "int_from_float": "integer", "none_required": "null",
}


def shown(value: Any) -> str:
    """A client's key or kind as echoed back in a refusal: short, and printable."""
    text = value if isinstance(value, str) else repr(value)
    short = "".join("?" if bad_character(c) is not None else c for c in text[:MAX_SHOWN])
    return short + ("…" if len(text) > MAX_SHOWN else "")


def _refusal(kind: str, error: Mapping[str, Any]) -> InspectorError:
    """The typed refusal for pydantic's first complaint about a payload of ``kind``."""
    loc = [str(part) for part in error["loc"]]
    field = shown(".".join(loc)) if loc else "payload"
    kind_of, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind_of == "extra_forbidden":
        return UnknownPayloadField(kind=kind, field=field, problem=f"{kind} has no field {field}")
    if kind_of == "missing" or (kind_of in _WRONG_TYPE and value is None):
        return InvalidPayload(kind=kind, field=field, problem=f"{kind} needs {field}")
    if kind_of in ("string_too_long", "too_long"):
        limit = ctx.get("max_length")
        return PayloadTooLong(kind=kind, field=field, limit=limit,
                              problem=f"{field} is longer than {limit}")
    if kind_of in _WRONG_TYPE:
        expected = _WRONG_TYPE[kind_of]
        return PayloadWrongType(kind=kind, field=field, expected=expected,
                                problem=f"{field} must be {expected}")
    if kind_of == "control_characters":
        return ControlCharacters(kind=kind, field=field, position=ctx["position"], char=ctx["char"])
    if kind_of == "string_unicode" and isinstance(value, str) and bad_character(value) is not None:
        # pydantic refuses a lone surrogate before our rule sees it: the same refusal all the same
        position = bad_character(value)
        return ControlCharacters(kind=kind, field=field, position=position + 1, char=char_name(value[position]))
    if kind_of == "string_pattern_mismatch":
        return InvalidPayload(kind=kind, field=field, problem=f"{field} is not a SHA-256 hex digest")
    if kind_of == "too_short":
        return InvalidPayload(kind=kind, field=field, problem=f"{kind} needs at least one of {field}")
    return InvalidPayload(kind=kind, field=field, problem=f"{field}: {error['msg']}")


def refusal(schema: type[Schema], kind: str, payload: Any, zone: ZoneInfo = DEFAULT_ZONE) -> InspectorError | None:
    """Why ``payload`` does not fit ``schema`` (a typed error naming the field), or ``None``.

    ``zone`` is the campaign's: a bare date as a deadline is read as the end of that local day.
    The kind's schema comes from the registry (``lifecycle.payload_refusal``).
    """
    if not isinstance(payload, Mapping):
        return PayloadWrongType(kind=kind, field="payload", expected="object", problem="payload must be an object")
    try:
        schema.model_validate(dict(payload), context={"zone": zone})
    except ValidationError as error:
        return _refusal(kind, error.errors(include_url=False)[0])
    return None


def _plain(value: Any, depth: int = 0) -> bool:
    """Is ``value`` JSON any database can hold: finite numbers, text without control characters, shallow?"""
    if depth > MAX_DEPTH:
        return False
    if value is None or isinstance(value, (bool, int)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return bad_character(value) is None
    if isinstance(value, (list, tuple)):
        return all(_plain(v, depth + 1) for v in value)
    if isinstance(value, Mapping):
        return all(isinstance(k, str) and _plain(k) and _plain(v, depth + 1) for k, v in value.items())
    return False


def kept_payload(payload: Any) -> dict:
    """What of a refused event's payload is kept with the refusal: all of it when it is small, plain JSON,
    else ``{}`` (a NUL, a NaN or a megabyte would not fit every database; the refusal's code and details
    already say what was wrong)."""
    if not isinstance(payload, Mapping) or not _plain(payload):
        return {}
    try:
        size = len(json.dumps(dict(payload), ensure_ascii=False))
    except (TypeError, ValueError):  # e.g. an integer too long to print
        return {}
    return dict(payload) if size <= MAX_KEPT else {}
