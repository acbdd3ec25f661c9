"""What the oversight store hands out instead of its rows: recorded draws and the items drawn.

Like ``inspector.store.public``: frozen copies whose attribute names are the
columns' names, so a reader moves from row to model without learning new words.
"""

from dataclasses import dataclass
from datetime import datetime

from inspector.domain.items import ItemState
from inspector.store.public import Public


class SamplePublic(Public):
    """A recorded spot-check draw: for whom, from which candidates, with which seed, what it gave."""

    id: str
    user_id: str  # the spot checker it was drawn for
    seed: str  # decimal; a string so no client rounds it
    size: int
    candidate_ids: list[str] = []  # lists, as in the row: consumers compare them with lists
    item_ids: list[str] = []  # in the order drawn
    drawn_by: str
    drawn_at: datetime


def _alias(path: str) -> property:
    """A read-only attribute that reads ``path`` (dotted) of the item."""
    first, _, rest = path.partition(".")
    return property(lambda self: getattr(getattr(self, first), rest) if rest else getattr(self, first),
                    doc=f"``{path}``")


@dataclass(frozen=True)
class DrawnItem(ItemState):
    """A drawn item's state, readable under the names of the ``items`` columns too.

    Readers of a draw used to get the item's row; these aliases let them read
    ``office_code``, ``lat`` and the like unchanged. New code reads the ``ItemState`` fields.
    """

    office_code = _alias("office")
    lat = _alias("location.lat")
    lon = _alias("location.lon")
    accuracy_m = _alias("location.accuracy_m")
    location_source = _alias("location.source")
