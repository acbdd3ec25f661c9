"""督办: deadline reminders, the supervision list and escalation, as events the server itself makes.

The rule, written once (``items._ladder_after`` and the sweep, ``inspector.services.supervision``, follow it):

- While the office holds an item (``AT_OFFICE``: assigned or rectifying) that has a deadline ``D`` (the
  end of a local day in the campaign's zone, ``events.end_of_day``), steps fall due against ``D``, in
  this order (the ladder):

  * a reminder ``"Nd"`` for each ``N`` of ``INSPECTOR_REMIND_BEFORE_DAYS`` (default ``2,0``; ``0`` is
    ``"due"``): from the first instant of the local day ``N`` days before ``D``'s day;
  * ``"overdue"``: once ``D`` is past;
  * ``"supervised"`` (督办, level 1): overdue by more than ``INSPECTOR_SUPERVISE_AFTER_DAYS`` (3) days,
    i.e. past ``D`` plus that many local calendar days; it names the item's responsible leader
    (责任领导, ``ItemState.leader``, as the assignment named them);
  * ``"escalated"`` (升级督办, level 2): past ``D`` plus ``INSPECTOR_ESCALATE_AFTER_DAYS`` (7) days; it
    names the office's top leader (一把手) as the campaign names them (``campaign.top_leader_for``).

- Each step is one event (``Kind.REMINDED``, ``SUPERVISED``, ``ESCALATED``) by the server's own actor
  (``Role.SYSTEM``; no person may make these kinds), recorded at most once against a deadline
  (``ItemState.reminded``). Its id is a UUID made from the item, the step, the deadline and the server's
  secret key (``event_id``), so two sweeps or two servers (sharing the key) can never record it twice, and
  nobody else can take the id first. Names are recorded as they
  were at the time.
- Only steps past the last one recorded fall due. Of the reminders only the latest due is made: a sweep
  that runs late (or an item assigned the day before its deadline) does not send "2 days left" on the
  day itself. Supervision steps are all made, in order (an item first seen 8 days late is supervised and
  then escalated).
- The ladder belongs to the deadline: a new deadline (assigned again, reassigned, extension granted,
  rebounded, reopened) starts a fresh one. The level counts only while the office holds the item: a
  submitted fix takes it off the 督办 list, a rejection puts it back at the level it had (no step is
  repeated: the deadline has not moved), a verification or a dismissal ends it. An extension asked for,
  or a return (退回) waiting for its answer, pauses nothing: the clock runs on until the answer.
- These events move neither the status nor the version (``changes_state`` False), so they never
  conflict with what the office records meanwhile.

Pure: the time is an argument, the policy comes from the settings (``Policy.parse``).
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from inspector.domain.events import DEFAULT_ZONE, start_of_day
from inspector.domain.items import AT_OFFICE, ItemState
from inspector.domain.lifecycle import Kind
from inspector.domain.permissions import Actor
from inspector.domain.roles import Role

DUE, OVERDUE = "due", "overdue"
SUPERVISED, ESCALATED = str(Kind.SUPERVISED), str(Kind.ESCALATED)
MAX_REMIND_DAYS = 99  # payloads.Step: one or two digits
NAMESPACE = uuid.UUID("5f0c6a52-3c1e-5d5e-9d1a-6475646f6e65")  # the 督办 steps' event ids
SYSTEM_USER_ID = str(uuid.uuid5(NAMESPACE, "system"))  # the one account of ``Role.SYSTEM``
SYSTEM_USERNAME = "system"


def system_actor() -> Actor:
    """The server itself, as the actor of the steps it records."""
    return Actor(id=SYSTEM_USER_ID, role=Role.SYSTEM, username=SYSTEM_USERNAME)


@dataclass(frozen=True)
class Policy:
    """When the steps fall due: reminder days before the deadline's day, and the days overdue of each level."""

    remind_before_days: tuple[int, ...] = (2, 0)
    supervise_after_days: int = 3
    escalate_after_days: int = 7
    zone: ZoneInfo = DEFAULT_ZONE

    def __post_init__(self):
        if any(not 0 <= d <= MAX_REMIND_DAYS for d in self.remind_before_days):
            raise ValueError(f"reminder days are between 0 and {MAX_REMIND_DAYS}")
        if not 0 <= self.supervise_after_days < self.escalate_after_days:
            raise ValueError("escalation comes after supervision: 0 <= supervise days < escalate days")

    @classmethod
    def parse(cls, remind_before_days: str, supervise_after_days: int, escalate_after_days: int,
              zone: ZoneInfo = DEFAULT_ZONE) -> "Policy":
        """The policy from the settings' words: ``"2,0"`` (empty: no reminders before the deadline)."""
        try:
            days = tuple(sorted({int(part) for part in remind_before_days.split(",") if part.strip()},
                                reverse=True))
        except ValueError:
            raise ValueError(f"reminder days {remind_before_days!r} are not whole numbers, e.g. 2,0") from None
        return cls(days, supervise_after_days, escalate_after_days, zone)


@dataclass(frozen=True)
class Step:
    """One rung of the ladder: its name (the payload's ``step``), its kind, and from when it is due."""

    name: str
    kind: Kind
    starts: datetime
    after: bool = False  # due only once ``starts`` is past (overdue steps), else from ``starts`` on

    def due(self, now: datetime) -> bool:
        return now > self.starts if self.after else now >= self.starts


def reminder_name(days: int) -> str:
    """``"2d"`` for two days before the deadline's day, ``"due"`` for the day itself."""
    return DUE if days == 0 else f"{days}d"


def ladder(deadline: datetime, policy: Policy) -> tuple[Step, ...]:
    """Every step against ``deadline``, in order. Days are the campaign zone's calendar days."""
    local = deadline.astimezone(policy.zone)
    reminders = [Step(reminder_name(n), Kind.REMINDED, start_of_day(local.date() - timedelta(days=n), policy.zone))
                 for n in sorted(set(policy.remind_before_days), reverse=True)]
    return (*reminders,
            Step(OVERDUE, Kind.REMINDED, deadline, after=True),
            Step(SUPERVISED, Kind.SUPERVISED, local + timedelta(days=policy.supervise_after_days), after=True),
            Step(ESCALATED, Kind.ESCALATED, local + timedelta(days=policy.escalate_after_days), after=True))


def due_steps(item: ItemState, now: datetime, policy: Policy) -> list[Step]:
    """The steps due on ``item`` at ``now`` that are not yet recorded, in order (the module's rule)."""
    if item.status not in AT_OFFICE or item.deadline is None:
        return []
    steps = ladder(item.deadline, policy)
    recorded = set(item.reminded)
    last = max((i for i, step in enumerate(steps) if step.name in recorded), default=-1)
    due = [step for i, step in enumerate(steps) if i > last and step.due(now)]
    reminders = [step for step in due if step.kind == Kind.REMINDED]
    return [step for step in due if step.kind != Kind.REMINDED or step is reminders[-1]]


def days_overdue(deadline: datetime, now: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> int:
    """Local calendar days from the deadline's day to ``now``'s (0 until the day after the deadline)."""
    return max((now.astimezone(zone).date() - deadline.astimezone(zone).date()).days, 0)


def deadline_text(deadline: datetime) -> str:
    """The deadline as a payload names it: the UTC instant, so the same deadline reads the same everywhere."""
    return deadline.astimezone(timezone.utc).isoformat()


def event_id(item_id: str, step: str, deadline: datetime, key: str = "") -> str:
    """The step's event id: the same item, step, deadline and ``key`` always give the same id (no step twice).

    ``key`` is the server's secret (``Settings.resolved_secret_key``): without it anyone could work the id
    out and push an event of their own under it first, so that the step would meet a conflict, never land.
    """
    space = uuid.uuid5(NAMESPACE, key) if key else NAMESPACE
    return str(uuid.uuid5(space, f"{item_id}|{step}|{deadline_text(deadline)}"))


def payload_of(item: ItemState, step: Step, now: datetime, zone: ZoneInfo, top_leader: str | None) -> dict:
    """The payload of ``step`` on ``item``: the deadline it is against, and for 督办 the office and who answers."""
    assert item.deadline is not None, "steps fall due only against a deadline"
    payload: dict = {"deadline": deadline_text(item.deadline)}
    if step.kind == Kind.REMINDED:
        return {"step": step.name, **payload}
    leader = item.leader if step.kind == Kind.SUPERVISED else top_leader
    payload.update(office=item.office, days_overdue=days_overdue(item.deadline, now, zone))
    if leader and leader.strip():
        payload["leader"] = leader.strip()
    return payload


@dataclass(frozen=True)
class Supervised:
    """One line of the 督办 list: an item at level 1 or 2, its office, who answers, how late it is."""

    item: ItemState
    level: int
    leader: str | None  # level 1: the item's responsible leader; level 2: the office's top leader
    days_overdue: int


def supervision_list(items: list[ItemState], now: datetime, zone: ZoneInfo,
                     top_leaders: dict[str, str | None]) -> list[Supervised]:
    """The items under 督办 (level 1 and 2): highest level first, then the latest first, then by number."""
    rows = [Supervised(item, item.supervision,
                       (top_leaders.get(item.office) or item.leader) if item.supervision >= 2 else item.leader,
                       days_overdue(item.deadline, now, zone) if item.deadline else 0)
            for item in items if item.supervision >= 1 and item.status in AT_OFFICE]
    return sorted(rows, key=lambda r: (-r.level, -r.days_overdue, r.item.number or "", r.item.id))


def counts_by_office(rows: list[Supervised]) -> dict[str, tuple[int, int]]:
    """Per office: how many of its items are supervised (level 1) and escalated (level 2)."""
    counts: dict[str, tuple[int, int]] = {}
    for row in rows:
        one, two = counts.get(row.item.office, (0, 0))
        counts[row.item.office] = (one + (row.level == 1), two + (row.level >= 2))
    return counts
