"""Who may see an item and who may make each change to it.

Checked by the services on every read and write, whatever the UI shows. The
same rules exist as a SQL filter in ``inspector.store.queries.visible_to``;
a test walks role x action x own/other office against both.
"""

from dataclasses import dataclass, field
from datetime import datetime

from inspector.domain.catalog import CHECK_TYPES
from inspector.domain.items import CLOSED, VERIFIED, ItemState
from inspector.domain.lifecycle import OPEN_STATUSES, Kind, rule_of
from inspector.domain.roles import LOOK_BACK_ROLES, OFFICE_ROLES, SEES_ALL, Role
from inspector.errors import Forbidden, OutsideScope, SelfCheckOtherOffice, ServerOnlyKind

# Statuses an inspector sees beyond their own reports: every open item, a colleague's too, so a problem
# already on record near them is offered as a duplicate while reporting (``domain.duplicates``), and the
# verified and closed ones, the look-back work. Seeing is not acting: on a colleague's open item the
# registry lets an inspector comment and add evidence (``EVERYONE``'s kinds) and nothing else, the
# office's kinds being ``OFFICE_ROLES``' and the decisions ``DECIDERS``' (``tests/domain/test_permissions``
# holds it); a seen photo is not a citable one (``oversight.may_cite``). Dismissed and merged items stay
# out of sight unless they are one's own.
INSPECTOR_STATUSES = frozenset(OPEN_STATUSES | {VERIFIED, CLOSED})


@dataclass(frozen=True)
class Scope:
    """What an outsider (deputy, CPPCC member) was delegated to spot-check."""

    offices: frozenset[str] = frozenset()
    sites: frozenset[str] = frozenset()
    starts: datetime | None = None
    ends: datetime | None = None

    def covers(self, item: ItemState) -> bool:
        return self.covers_place(item.office, item.site_id, item.reported_at)

    def covers_place(self, office: str, site_id: str | None, at: datetime) -> bool:
        """Does the scope hold this office or site at time ``at`` (an item's report, a visit)?"""
        place = office in self.offices or (site_id is not None and site_id in self.sites)
        if not place:
            return False
        if self.starts and at < self.starts:
            return False
        return not (self.ends and at > self.ends)


@dataclass(frozen=True)
class Actor:
    """The authenticated person behind a request or an event."""

    id: str
    role: str
    office: str | None = None
    username: str = ""
    scopes: tuple[Scope, ...] = field(default_factory=tuple)

    @property
    def is_office(self) -> bool:
        return self.role in OFFICE_ROLES


def can_see(actor: Actor, item: ItemState) -> bool:
    """May ``actor`` read this item, its events and its photos?"""
    if actor.role in SEES_ALL or item.reported_by == actor.id:  # D: the server's sweep sees every item
        return True
    if actor.is_office:  # the lead office and its supporting offices (配合) see it
        return item.involves(actor.office)
    if actor.role == Role.INSPECTOR:
        return item.status in INSPECTOR_STATUSES
    if actor.role == Role.SPOT_CHECKER:
        return any(scope.covers(item) for scope in actor.scopes)
    return False


def check_types(role: str) -> frozenset[str]:
    """The check types a role may file a report as: 抽查 only by spot checkers (and admins), 自查 and
    互查 only by offices, a technical assessment finding only by an admin's import."""
    if role == Role.SPOT_CHECKER:
        return frozenset({"spot"})
    if role in OFFICE_ROLES:
        return frozenset({"self", "cross"})
    if role == Role.ADMIN:
        return frozenset(CHECK_TYPES)
    return frozenset(CHECK_TYPES) - {"spot", "technical"}


def may(actor: Actor, kind: str, item: ItemState | None, payload=None) -> bool:
    """May ``actor`` record an event of ``kind`` on ``item`` (``None`` for a new report)?

    Who makes which kind is the registry's (``lifecycle.RULES``); this adds what
    it cannot say alone: an item one may not see takes no events, an office acts
    on its own office's items only, and a report's check type fits the role.
    """
    rule = rule_of(kind)
    if actor.role not in rule.makers:
        return False
    if kind == Kind.REPORTED:
        return (payload or {}).get("check_type", "supervisor") in check_types(actor.role)
    if item is None or not can_see(actor, item):
        return False
    # ``own_office`` kinds (acknowledge, fix, extension, return) are the lead office's: not a supporting one's.
    return not (rule.own_office and actor.is_office and item.office != actor.office)


def authorize(actor: Actor, kind: str, item: ItemState | None, payload=None) -> None:
    """Raise ``Forbidden`` unless ``may(actor, kind, item)``."""
    if not may(actor, kind, item, payload):
        if Role.SYSTEM in rule_of(kind).makers and actor.role != Role.SYSTEM:  # D: the sweep's steps
            raise ServerOnlyKind(kind=kind)
        raise Forbidden(kind=kind, role=actor.role)


def authorize_report(actor: Actor, item: ItemState) -> None:
    """Raise unless ``actor`` may file ``item``, a new report as ``apply`` made it.

    ``may`` says which check types a role may claim; this says what the claim
    binds, which needs the item's office (the category's default unless named),
    site and time. A self-check (自查) is an office inspecting its own work; a
    spot checker reports only within a delegated scope, whose period is read
    against the report's time (``item.reported_at``: the server's on receipt).
    """
    authorize_claim(actor, item.check_type, item.office, item.site_id, item.reported_at)


def authorize_claim(actor: Actor, check_type: str, office: str, site_id: str | None, at: datetime) -> None:
    """Raise unless ``actor`` may claim a check of ``check_type`` of ``office``'s work (at ``site_id``, at
    ``at``): the rule of a new report (``authorize_report``) and of a visit (``domain.visits``) alike."""
    if actor.is_office and check_type == "self" and office != actor.office:
        raise SelfCheckOtherOffice(office=office)
    if actor.role == Role.SPOT_CHECKER and not any(scope.covers_place(office, site_id, at) for scope in actor.scopes):
        raise OutsideScope(office=office, site=site_id or "")
