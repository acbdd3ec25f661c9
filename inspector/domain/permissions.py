"""Who may see an item and who may make each change to it.

Checked by the services on every read and write, whatever the UI shows. The
same rules exist as a SQL filter in ``inspector.store.queries.visible_items``;
a test walks role x action x own/other office against both.
"""

from dataclasses import dataclass, field
from datetime import datetime

from inspector.domain.items import CLOSED, VERIFIED, ItemState
from inspector.domain.roles import DECIDERS, LOOK_BACK_ROLES, OFFICE_ROLES, Role
from inspector.errors import Forbidden, OutsideScope, SelfCheckOtherOffice

# Statuses an inspector sees beyond their own reports: the look-back work.
INSPECTOR_STATUSES = frozenset({VERIFIED, CLOSED})


@dataclass(frozen=True)
class Scope:
    """What an outsider (deputy, CPPCC member) was delegated to spot-check."""

    offices: frozenset[str] = frozenset()
    sites: frozenset[str] = frozenset()
    starts: datetime | None = None
    ends: datetime | None = None

    def covers(self, item: ItemState) -> bool:
        place = item.office in self.offices or (item.site_id is not None and item.site_id in self.sites)
        if not place:
            return False
        if self.starts and item.reported_at < self.starts:
            return False
        return not (self.ends and item.reported_at > self.ends)


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
    if actor.role in DECIDERS or item.reported_by == actor.id:
        return True
    if actor.is_office:
        return item.office == actor.office
    if actor.role == "inspector":
        return item.status in INSPECTOR_STATUSES
    if actor.role == "spot_checker":
        return any(scope.covers(item) for scope in actor.scopes)
    return False


def may(actor: Actor, kind: str, item: ItemState | None, payload=None) -> bool:
    """May ``actor`` record an event of ``kind`` on ``item`` (``None`` for a new report)?"""
    if kind == "reported":
        check_type = (payload or {}).get("check_type", "supervisor")
        if actor.role == "spot_checker":
            return check_type == "spot"
        if actor.is_office:
            return check_type in ("self", "cross")
        return check_type != "spot" or actor.role == "admin"
    if item is None or not can_see(actor, item):
        return False
    if actor.role == "admin":
        return True
    own_office = actor.is_office and item.office == actor.office
    match kind:
        case "commented":
            return True
        case "acknowledged" | "fix_submitted" | "extension_requested":
            return own_office
        case ("assigned" | "verified" | "rejected" | "extension_granted" | "extension_refused" | "dismissed"
              | "reopened" | "dispute_dismissed"):
            return actor.role in DECIDERS
        case "look_back_passed" | "rebounded":
            return actor.role in LOOK_BACK_ROLES
        case "spot_checked":
            return actor.role == "spot_checker"
    return False


def authorize(actor: Actor, kind: str, item: ItemState | None, payload=None) -> None:
    """Raise ``Forbidden`` unless ``may(actor, kind, item)``."""
    if not may(actor, kind, item, payload):
        raise Forbidden(kind=kind, role=actor.role)


def authorize_report(actor: Actor, item: ItemState) -> None:
    """Raise unless ``actor`` may file ``item``, a new report as ``apply`` made it.

    ``may`` says which check types a role may claim; this says what the claim
    binds, which needs the item's office (the category's default unless named),
    site and time. A self-check (自查) is an office inspecting its own work; a
    spot checker reports only within a delegated scope, whose period is read
    against the report's time (``item.reported_at``: the server's on receipt).
    """
    if actor.is_office and item.check_type == "self" and item.office != actor.office:
        raise SelfCheckOtherOffice(office=item.office)
    if actor.role == "spot_checker" and not any(scope.covers(item) for scope in actor.scopes):
        raise OutsideScope(office=item.office, site=item.site_id or "")
