"""Returns (退回/申辩) as figures: how often an office sends back what it is assigned, by office and category.

The rules of a return are the registry's (``inspector.domain.lifecycle``'s
docstring): the lead office returns an item it holds with a reason; the
clock runs on; the supervisor reassigns it (a fresh deadline, the category's
default unless one is given), insists (the first deadline stays) or
dismisses it.

The return rate tells the supervisor where the routing table (a category's
default office) is wrong. It is counted by assignment, so it is never above
100 %: of the assignments (``ASSIGNED`` or ``REASSIGNED``) made in a period,
each one handing an item to a lead office, how many that office returned
before the next assignment of the item, whenever the return came (a return
in the first days of the next month still answers this month's assignment).
An item assigned twice to one office in the period counts once for it,
returned if either stint was. By category the same pairs are counted under
the item's category. Not scored: the scoreboard's formula does not read it.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping, Protocol

from inspector.domain.events import Event
from inspector.domain.lifecycle import ASSIGNING_KINDS, Kind


class Holds(Protocol):
    def holds(self, when) -> bool: ...


@dataclass(frozen=True)
class ReturnRate:
    """Of ``assigned`` items handed to an office (or in a category) in the period, ``returned`` came back."""

    key: str  # an office or a category code
    assigned: int
    returned: int

    @property
    def rate(self) -> float | None:
        return self.returned / self.assigned if self.assigned else None


def _stints(events: list[Event]) -> list[tuple[Event, bool]]:
    """An item's assignments in order, each with whether a return answered it."""
    stints: list[list] = []
    for event in sorted(events, key=lambda e: (e.seq if e.seq is not None else 0, e.when)):
        if event.kind in ASSIGNING_KINDS:
            stints.append([event, False])
        elif event.kind == Kind.RETURNED and stints:
            stints[-1][1] = True
    return [(event, was_returned) for event, was_returned in stints]


def return_rates(events: Iterable[Event], categories: Mapping[str, str],
                 period: Holds) -> tuple[dict[str, ReturnRate], dict[str, ReturnRate]]:
    """The return rates by lead office and by category of the assignments made in ``period``.

    ``events``: the assignments and returns of the items concerned (other kinds are ignored), any
    order; ``categories``: each item's category. Offices and categories without an assignment in the
    period are left out.
    """
    by_item: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.kind in ASSIGNING_KINDS or event.kind == Kind.RETURNED:
            by_item[event.item_id].append(event)
    pairs: dict[tuple[str, str], bool] = {}  # (item, office) -> returned
    for item_id, item_events in by_item.items():
        for event, was_returned in _stints(item_events):
            if period.holds(event.when):
                key = (item_id, event.payload["office"])
                pairs[key] = pairs.get(key, False) or was_returned
    offices: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (item_id, office), was_returned in pairs.items():
        for table, key in ((offices, office), (kinds, categories.get(item_id, ""))):
            table[key][0] += 1
            table[key][1] += was_returned
    return ({k: ReturnRate(k, *v) for k, v in sorted(offices.items())},
            {k: ReturnRate(k, *v) for k, v in sorted(kinds.items()) if k})
