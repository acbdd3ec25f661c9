"""Returns (退回/申辩) at the desk: the return rates of a month, and the supervisor's answers.

The rules of a return are the registry's (``inspector.domain.lifecycle``) and
the rate's counting is ``inspector.domain.returns``; this reads the month's
assignments and returns and records the answers through ``services.events``,
like any other event. The rates are figures: who may read them is
``domain.figures.readable_offices`` (supervisors every office, an office its own).
"""

from dataclasses import dataclass
from datetime import date
from typing import Iterable

import uuid6

from inspector.domain.figures import readable_offices
from inspector.domain.items import ItemState
from inspector.domain.lifecycle import Kind
from inspector.domain.permissions import Actor
from inspector.domain.returns import ReturnRate, return_rates
from inspector.domain.scoring import month_period
from inspector.domain.scoring.supporting import supporting_share
from inspector.services import events
from inspector.services.context import Context
from inspector.store.engine import read_session
from inspector.store.returns import assignment_log, supported_items


@dataclass(frozen=True)
class ReturnRates:
    """A month's return rates: by lead office (the offices the actor may read) and by category."""

    month: str
    offices: list[ReturnRate]
    categories: list[ReturnRate]

    @property
    def total(self) -> ReturnRate:
        return ReturnRate("", sum(r.assigned for r in self.offices), sum(r.returned for r in self.offices))


def month_rates(ctx: Context, actor: Actor, month: str) -> ReturnRates:
    """The return rates of the assignments made in ``month`` (``YYYY-MM``, local days)."""
    offices = set(readable_offices(actor, None, "returns"))
    period = month_period(month, ctx.settings.zone)
    with read_session(ctx.engine) as session:
        log, categories = assignment_log(session, period.start, period.end)
    by_office, _ = return_rates(log, categories, period)
    # By category, only the items handed to offices the actor may read count.
    handed = {e.item_id for e in log if e.kind != Kind.RETURNED and e.payload.get("office") in offices}
    _, by_category = return_rates([e for e in log if e.item_id in handed], categories, period)
    return ReturnRates(month, [r for o, r in by_office.items() if o in offices], list(by_category.values()))


def month_supporting(ctx: Context, actor: Actor, month: str) -> dict[str, int]:
    """Per office the actor may read, how many of the month's assigned items it supports (配合; not scored)."""
    offices = set(readable_offices(actor, None, "scores"))
    period = month_period(month, ctx.settings.zone)
    with read_session(ctx.engine) as session:
        rows = supported_items(session, period.start, period.end)
    return {o: n for o, n in supporting_share(rows, period).items() if o in offices}


def reassign(ctx: Context, actor: Actor, item: ItemState, office: str, supporting: Iterable[str] = (),
             deadline: date | None = None, leader: str | None = None) -> ItemState:
    """Accept the item's pending return: ``office`` leads it (maybe the same one) with ``supporting`` offices,
    to ``deadline`` (``None``: the category's default counted from now)."""
    payload: dict = {"office": office, "supporting_offices": list(dict.fromkeys(supporting))}
    if deadline is not None:
        payload["deadline"] = deadline.isoformat()
    if leader and leader.strip():
        payload["leader"] = leader.strip()
    return _record(ctx, actor, Kind.REASSIGNED, item, payload)


def insist(ctx: Context, actor: Actor, item: ItemState, reason: str) -> ItemState:
    """Refuse the item's pending return: the office keeps it and its first deadline."""
    return _record(ctx, actor, Kind.RETURN_INSISTED, item, {"reason": reason.strip()})


def _record(ctx: Context, actor: Actor, kind: str, item: ItemState, payload: dict) -> ItemState:
    event = events.EventIn(id=str(uuid6.uuid7()), item_id=item.id, kind=kind, at=ctx.now(),
                           base_version=item.version, payload=payload)
    return events.record_one(ctx, actor, event, device_id="desk").item
