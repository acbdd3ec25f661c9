"""Supporting offices' share (配合): how many of a period's items each office supported without leading.

Shown beside an office's figures on the scoreboard, never scored: the lead
office (``ItemState.office``) alone carries an item's score, as the registry
says (``inspector.domain.lifecycle``). An item counts for the period its lead
was (last) assigned in, like the ``assigned`` measure, once for each office
it names as supporting.
"""

from collections import Counter
from datetime import datetime
from typing import Iterable

from inspector.domain.scoring.periods import Period


def supporting_share(items: Iterable[tuple[tuple[str, ...], datetime | None]], period: Period) -> dict[str, int]:
    """Per office, the items assigned in ``period`` that it supports; ``items`` are (supporting offices,
    assigned_at) pairs."""
    counts: Counter[str] = Counter()
    for offices, assigned_at in items:
        if period.holds(assigned_at):
            counts.update(set(offices))
    return dict(counts)
