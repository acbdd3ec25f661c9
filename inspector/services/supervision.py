"""督办 (D): the sweep that records the due reminders and supervision steps, its background task, the 督办 list.

``sweep(ctx, now)`` finds the items the office holds with steps due (``domain.supervision.due_steps``) and
appends one event per step through the one path every event takes (``services.events.apply_batch``, the
one decision), as the server's own actor (``Role.SYSTEM``), in one write transaction. Writers are
serialised (``write_session``) and each step's event id is made from the item, the step, the deadline and
the server's secret key, so two sweeps, or two servers sharing one PostgreSQL, never record a step
twice: the second finds it recorded, or at worst answers "duplicate". The notices (for the office's people, and the office leaders
among them) follow from the item's state on the next look at the bell: ``domain.oversight.notices``.

``Supervisor`` runs the sweep every ``INSPECTOR_SUPERVISION_INTERVAL_S`` seconds in the server, started and
stopped with the app's lifespan (``server.app``); ``inspector supervise`` runs it once.
"""

import asyncio
import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from inspector.domain import campaign as campaign_rules
from inspector.domain import supervision as rules
from inspector.domain.permissions import Actor
from inspector.services.context import Context
from inspector.services.events import EventIn, apply_batch
from inspector.store import campaigns as campaign_store
from inspector.store import supervision as store
from inspector.store.engine import read_session, write_session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepResult:
    """What one sweep recorded: how many steps of each name, on how many items, and any refused."""

    now: datetime
    steps: dict[str, int] = field(default_factory=dict)
    items: int = 0
    duplicates: int = 0
    refused: tuple[str, ...] = ()  # refusal codes (a bug if ever non-empty: the sweep decides as the rules do)

    @property
    def recorded(self) -> int:
        return sum(self.steps.values())


def _top_leaders(campaign, offices) -> dict[str, str | None]:
    return {office: campaign_rules.top_leader_for(campaign, office) for office in offices}


def sweep(ctx: Context, now: datetime | None = None) -> SweepResult:
    """Record every 督办 step due at ``now`` (default: the context's clock) on every item, once."""
    now = now or ctx.now()
    policy = ctx.settings.supervision_policy
    # the events' server time is the sweep's ``now``, also when a test or ``--now`` names another instant
    at_now = replace(ctx, clock=lambda: now)
    horizon = now + timedelta(days=max(policy.remind_before_days, default=0) + 1)
    key = ctx.settings.resolved_secret_key()  # the steps' ids: nobody without it can take one first
    with write_session(ctx.engine) as session:
        store.ensure_system_account(session, now)
        states = store.due_candidates(session, horizon)
        stored = campaign_store.active_campaign(session)
        leaders = _top_leaders(stored.campaign if stored else None, {s.office for s in states})
        batch: list[EventIn] = []
        for state in states:
            for step in rules.due_steps(state, now, policy):
                batch.append(EventIn(
                    id=rules.event_id(state.id, step.name, state.deadline, key), item_id=state.id, kind=step.kind,
                    at=now, base_version=state.version,
                    payload=rules.payload_of(state, step, now, policy.zone, leaders.get(state.office))))
        outcomes = apply_batch(session, at_now, rules.system_actor(), batch) if batch else []
    steps: dict[str, int] = {}
    for event, outcome in zip(batch, outcomes):
        if outcome.status == "accepted":
            name = str(event.payload.get("step", event.kind))
            steps[name] = steps.get(name, 0) + 1
    refused = tuple(o.error.code for o in outcomes if o.status == "rejected" and o.error is not None)
    if refused:
        log.error("督办 sweep: %d steps refused: %s", len(refused), ", ".join(sorted(set(refused))))
    return SweepResult(now, steps, len({e.item_id for e, o in zip(batch, outcomes) if o.status == "accepted"}),
                       sum(1 for o in outcomes if o.status == "duplicate"), refused)


@dataclass(frozen=True)
class SupervisionBoard:
    """The desk's 督办 list and its counts per office: (supervised, escalated)."""

    rows: list[rules.Supervised]
    counts: dict[str, tuple[int, int]]
    now: datetime


def supervision_board(ctx: Context, actor: Actor) -> SupervisionBoard:
    """The items at level 1 and 2 that ``actor`` may see, with their office, who answers and days overdue."""
    now = ctx.now()
    with read_session(ctx.engine) as session:
        states = store.supervised(session, actor)
        stored = campaign_store.active_campaign(session)
    leaders = _top_leaders(stored.campaign if stored else None, {s.office for s in states})
    rows = rules.supervision_list(states, now, ctx.settings.zone, leaders)
    return SupervisionBoard(rows, rules.counts_by_office(rows), now)


class Supervisor:
    """The sweep every ``interval_s`` seconds, off the event loop, until stopped (the server's lifespan)."""

    def __init__(self, ctx: Context, interval_s: float):
        self.ctx, self.interval_s = ctx, interval_s
        self.task: asyncio.Task | None = None
        self.runs = 0  # sweeps done, for tests waiting on the first one

    async def _loop(self) -> None:
        while True:
            try:
                result = await asyncio.to_thread(sweep, self.ctx)
                if result.recorded:
                    log.info("督办 sweep: %d steps on %d items", result.recorded, result.items)
            except Exception:  # noqa: BLE001 - one failed sweep (a database restart) must not end the next ones
                log.exception("督办 sweep failed; the next one runs in %s s", self.interval_s)
            self.runs += 1
            await asyncio.sleep(self.interval_s)

    def start(self) -> None:
        if self.interval_s > 0 and self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._loop(), name="supervision-sweep")

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            try:
                await self.task
            except asyncio.CancelledError:
                pass
            self.task = None
