"""The life of an item: its statuses, the kinds of event that move it, and the rule of each kind.

This is the one registry of event kinds. For every ``Kind`` it says the
payload's schema, the statuses it may be made in, the status it leads to,
who may make it, what it needs of the item besides a status, what its photos
are to the item and on which screen it is offered. The state machine
(``items.apply``), the permissions (``permissions.may``), the one decision
(``decision.decide``) and the list of next moves (``decision.next_moves``) read
this table; nothing else lists kinds.

Returns (退回/申辩, part A of issue 12; the rules are tested in
``tests/domain/test_returns.py``):

- The lead office's staff or leader may return an item it holds (``AT_OFFICE``)
  with a reason code (``payloads.RETURN_REASONS``), a reason in words and
  optional photos (``PhotoRole.RETURN``); one return waits at a time.
- A return does not stop the clock: the status, the deadline and the overdue
  count stay as they are while it waits.
- The supervisor answers it: ``REASSIGNED`` accepts it (a lead office, which may
  be the same one, supporting offices, and a deadline: the one given, else the
  category's default counted from the event's time, ``events.default_deadline``),
  back to ``ASSIGNED``; ``RETURN_INSISTED`` refuses it with a reason and keeps
  the first deadline; ``DISMISSED`` closes the item (not a problem after all).
- While a return waits a plain ``ASSIGNED`` is refused (the answer is
  ``REASSIGNED``); a fix submitted meanwhile withdraws the return.

Lead and supporting offices (牵头/配合): ``ASSIGNED`` and ``REASSIGNED`` may name
supporting offices. They see the item and may comment (and add evidence), but
the kinds marked ``own_office`` (acknowledge, fix, extension, return) are the
lead office's alone, and the lead alone carries the score.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from inspector.domain import payloads
from inspector.domain.events import DEFAULT_ZONE
from inspector.domain.roles import DECIDERS, LOOK_BACK_ROLES, OFFICE_ROLES, PEOPLE, Role
from inspector.errors import InspectorError, UnknownEventKind


class Status(StrEnum):
    """Where an item stands; stored in ``items.status``."""

    REPORTED = "reported"  # 已上报: waiting for a supervisor to assign it
    ASSIGNED = "assigned"  # 已交办: with the office, not yet acknowledged
    RECTIFYING = "rectifying"  # 整改中
    FIX_SUBMITTED = "fix_submitted"  # 待核查: the office says it is fixed
    VERIFIED = "verified"  # 已核查: fixed, waiting for its look-back
    CLOSED = "closed"  # 已销号: the look-back found it still fixed
    DISMISSED = "dismissed"  # 已撤销: not a problem after all
    MERGED = "merged"  # 已合并: a duplicate of another item (``ItemState.merged_into``); not open, not scored


STATUSES = tuple(Status)
OPEN_STATUSES = frozenset({Status.REPORTED, Status.ASSIGNED, Status.RECTIFYING, Status.FIX_SUBMITTED})
AT_OFFICE = frozenset({Status.ASSIGNED, Status.RECTIFYING})  # the office holds the ball


class Kind(StrEnum):
    """The kinds of event; their order is the order the screens offer them in."""

    REPORTED = "reported"
    ASSIGNED = "assigned"
    ACKNOWLEDGED = "acknowledged"
    FIX_SUBMITTED = "fix_submitted"
    EXTENSION_REQUESTED = "extension_requested"
    RETURNED = "returned"  # 退回/申辩: the lead office says the item is not (only) theirs (part A)
    VERIFIED = "verified"
    REJECTED = "rejected"
    EXTENSION_GRANTED = "extension_granted"
    EXTENSION_REFUSED = "extension_refused"
    REASSIGNED = "reassigned"  # a return accepted: to another lead office (or more offices), a fresh deadline
    RETURN_INSISTED = "return_insisted"  # a return refused: the office keeps the item and its first deadline
    REOPENED = "reopened"  # a supervisor's answer to a spot checker's disagreement: fix it again
    DISPUTE_DISMISSED = "dispute_dismissed"  # ... or keep the verdict
    DISMISSED = "dismissed"
    LOOK_BACK_PASSED = "look_back_passed"
    REBOUNDED = "rebounded"
    SPOT_CHECKED = "spot_checked"
    COMMENTED = "commented"
    # B (duplicates): fresh photos on an open item (a duplicate report found while reporting, a supporting
    # office's photos); a decider's "this item is a duplicate of that one"
    EVIDENCE_ADDED = "evidence_added"
    MERGED = "merged"
    # D (督办, ``inspector.domain.supervision``): the server's own steps on an overdue or nearly due item
    REMINDED = "reminded"  # a deadline reminder: days before, on the day, overdue
    SUPERVISED = "supervised"  # 督办: overdue by more than N days, the office's leader named
    ESCALATED = "escalated"  # 升级督办: overdue by more than M days, the top leader named


class Needs(StrEnum):
    """What a kind needs of the item besides its status."""

    EXTENSION_PENDING = "extension_pending"  # an extension request waits for an answer
    NO_EXTENSION_PENDING = "no_extension_pending"  # one request at a time
    DISPUTE = "dispute"  # a spot checker disagreed with the verdict
    RETURN_PENDING = "return_pending"  # the office's return waits for the supervisor's answer
    NO_RETURN_PENDING = "no_return_pending"  # one return at a time; an assignment answers no pending return


class Surface(StrEnum):
    """Where a kind is offered as a button (the field forms offer the rest)."""

    DESK = "desk"  # the supervisor's desk
    PHONE = "phone"  # the item screen on the phone


class PhotoRole(StrEnum):
    """What the photos an event carries are to its item (``item_photos.role``)."""

    BEFORE = "before"
    AFTER = "after"
    LOOK_BACK = "look_back"
    SPOT_CHECK = "spot_check"
    RETURN = "return"  # what the office shows to argue a return (退回/申辩)
    EVIDENCE = "evidence"  # added to an open item by anyone who sees it (``Kind.EVIDENCE_ADDED``)


EVERYONE = PEOPLE  # every person; not the server's own role (D: ``Role.SYSTEM`` makes the 督办 steps only)


@dataclass(frozen=True)
class KindRule:
    """Everything the rules know about one kind of event."""

    schema: type[payloads.Schema]
    leaves: frozenset[Status]  # the statuses it may be made in (a new report: none)
    leads_to: Status | None  # None: the status stays
    makers: frozenset[Role]  # the roles that may make it (on an item they see)
    own_office: bool = False  # an office's people make it only on their own office's items
    needs: Needs | None = None
    photos: PhotoRole | None = None
    # its photos are fresh evidence, the author's own: not even the item's own photos may be re-cited
    # (``oversight.citation_refusal``; other kinds may point again at a photo their item already uses)
    own_photos: bool = False
    changes_state: bool = True  # False: merges whatever the item's version (comments, spot checks)
    offered: frozenset[Surface] = frozenset()
    level: int | None = None  # D: a 督办 step, and the supervision level it puts the item at (0: a reminder)


_ANY = frozenset(Status)
_OPEN = frozenset(OPEN_STATUSES)
_DONE = frozenset({Status.VERIFIED, Status.CLOSED})
_OFFICE = frozenset(OFFICE_ROLES | {Role.ADMIN})
_DESK = frozenset({Surface.DESK})
_PHONE = frozenset({Surface.PHONE})
_SYSTEM = frozenset({Role.SYSTEM})

RULES: Mapping[Kind, KindRule] = {
    Kind.REPORTED: KindRule(payloads.Reported, frozenset(), Status.REPORTED, EVERYONE, photos=PhotoRole.BEFORE,
                            own_photos=True),
    Kind.ASSIGNED: KindRule(payloads.Assigned, frozenset({Status.REPORTED, *AT_OFFICE}), Status.ASSIGNED,
                            DECIDERS, needs=Needs.NO_RETURN_PENDING, offered=_DESK),
    Kind.ACKNOWLEDGED: KindRule(payloads.Acknowledged, frozenset({Status.ASSIGNED}), Status.RECTIFYING, _OFFICE,
                                own_office=True, offered=_PHONE),
    Kind.FIX_SUBMITTED: KindRule(payloads.FixSubmitted, AT_OFFICE, Status.FIX_SUBMITTED, _OFFICE, own_office=True,
                                 photos=PhotoRole.AFTER, offered=_PHONE),
    Kind.EXTENSION_REQUESTED: KindRule(payloads.ExtensionRequested, AT_OFFICE, None, _OFFICE, own_office=True,
                                       needs=Needs.NO_EXTENSION_PENDING, offered=_PHONE),
    Kind.RETURNED: KindRule(payloads.Returned, AT_OFFICE, None, _OFFICE, own_office=True,
                            needs=Needs.NO_RETURN_PENDING, photos=PhotoRole.RETURN, offered=_PHONE),
    Kind.VERIFIED: KindRule(payloads.Verified, frozenset({Status.FIX_SUBMITTED}), Status.VERIFIED, DECIDERS,
                            offered=_DESK),
    Kind.REJECTED: KindRule(payloads.Rejected, frozenset({Status.FIX_SUBMITTED}), Status.RECTIFYING, DECIDERS,
                            offered=_DESK),
    Kind.EXTENSION_GRANTED: KindRule(payloads.ExtensionGranted, AT_OFFICE, None, DECIDERS,
                                     needs=Needs.EXTENSION_PENDING, offered=_DESK),
    Kind.EXTENSION_REFUSED: KindRule(payloads.ExtensionRefused, AT_OFFICE, None, DECIDERS,
                                     needs=Needs.EXTENSION_PENDING, offered=_DESK),
    Kind.REASSIGNED: KindRule(payloads.Reassigned, AT_OFFICE, Status.ASSIGNED, DECIDERS,
                              needs=Needs.RETURN_PENDING, offered=_DESK),
    Kind.RETURN_INSISTED: KindRule(payloads.ReturnInsisted, AT_OFFICE, None, DECIDERS,
                                   needs=Needs.RETURN_PENDING, offered=_DESK),
    Kind.REOPENED: KindRule(payloads.Reopened, _DONE, Status.ASSIGNED, DECIDERS, needs=Needs.DISPUTE,
                            offered=_DESK),
    Kind.DISPUTE_DISMISSED: KindRule(payloads.DisputeDismissed, _ANY, None, DECIDERS, needs=Needs.DISPUTE,
                                     offered=_DESK),
    Kind.DISMISSED: KindRule(payloads.Dismissed, _OPEN, Status.DISMISSED, DECIDERS, offered=_DESK),
    Kind.LOOK_BACK_PASSED: KindRule(payloads.LookBackPassed, frozenset({Status.VERIFIED}), Status.CLOSED,
                                    LOOK_BACK_ROLES, photos=PhotoRole.LOOK_BACK, offered=_PHONE),
    Kind.REBOUNDED: KindRule(payloads.Rebounded, _DONE, Status.ASSIGNED, LOOK_BACK_ROLES,
                             photos=PhotoRole.LOOK_BACK),
    Kind.SPOT_CHECKED: KindRule(payloads.SpotChecked, _ANY, None, frozenset({Role.SPOT_CHECKER, Role.ADMIN}),
                                photos=PhotoRole.SPOT_CHECK, changes_state=False),
    Kind.COMMENTED: KindRule(payloads.Commented, _ANY, None, EVERYONE, changes_state=False),
    Kind.EVIDENCE_ADDED: KindRule(payloads.EvidenceAdded, _OPEN, None, EVERYONE, photos=PhotoRole.EVIDENCE,
                                  own_photos=True, changes_state=False),
    # The target (``into``) is another open or done item, itself no duplicate: ``duplicates.merge_refusal``.
    Kind.MERGED: KindRule(payloads.Merged, _OPEN | _DONE, Status.MERGED, DECIDERS, offered=_DESK),
    # D: made by the server's sweep alone (``Role.SYSTEM``), never offered, while the office holds the item;
    # they move neither status nor version, so they never conflict with the office's own events.
    Kind.REMINDED: KindRule(payloads.Reminded, AT_OFFICE, None, _SYSTEM, changes_state=False, level=0),
    Kind.SUPERVISED: KindRule(payloads.Supervised, AT_OFFICE, None, _SYSTEM, changes_state=False, level=1),
    Kind.ESCALATED: KindRule(payloads.Escalated, AT_OFFICE, None, _SYSTEM, changes_state=False, level=2),
}
assert set(RULES) == set(Kind), "every kind has exactly one rule"

KINDS = frozenset(Kind)
STATE_KINDS = frozenset(kind for kind, rule in RULES.items() if rule.changes_state)
MERGING_KINDS = KINDS - STATE_KINDS
# The kinds that hand an item to a lead office with a deadline: what a return rate counts returns against.
ASSIGNING_KINDS = frozenset({Kind.ASSIGNED, Kind.REASSIGNED})
# D: the 督办 steps (reminders, supervision, escalation), by the level each puts an item at
STEP_KINDS = frozenset(kind for kind, rule in RULES.items() if rule.level is not None)


def rule_of(kind: str) -> KindRule:
    """The rule of ``kind``; ``UnknownEventKind`` for a kind there is none of."""
    try:
        return RULES[Kind(kind)]
    except ValueError:
        raise UnknownEventKind(kind=payloads.shown(kind)) from None


def photo_role(kind: str) -> PhotoRole | None:
    """What the photos of an event of ``kind`` are to its item; ``None`` for a kind without photos."""
    return rule_of(kind).photos


def changes_state(kind: str) -> bool:
    """Does an event of ``kind`` move the item's version (and so need the current one)?"""
    return rule_of(kind).changes_state


def payload_refusal(kind: Any, payload: Any, zone: ZoneInfo = DEFAULT_ZONE) -> InspectorError | None:
    """Why ``payload`` is not a valid payload of ``kind`` (a typed error naming the field), or ``None``.

    ``zone`` is the campaign's: a bare date as a deadline is read as the end of that local day.
    """
    if not isinstance(kind, str) or kind not in KINDS:
        return UnknownEventKind(kind=payloads.shown(kind))
    return payloads.refusal(RULES[Kind(kind)].schema, kind, payload, zone)


def validate_payload(kind: Any, payload: Any, zone: ZoneInfo = DEFAULT_ZONE) -> None:
    """Raise ``payload_refusal``'s error, if any: the one payload check of every event."""
    refusal = payload_refusal(kind, payload, zone)
    if refusal is not None:
        raise refusal


def describe(kind: Kind) -> str:
    """``kind: field, field?, ...`` (``?`` marks optional fields), for the OpenAPI schema's words."""
    return payloads.describe_schema(kind, RULES[kind].schema)


def offered_on(surface: Surface) -> tuple[Kind, ...]:
    """The kinds ``surface`` offers as buttons, in the registry's order."""
    return tuple(kind for kind, rule in RULES.items() if surface in rule.offered)
