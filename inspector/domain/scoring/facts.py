"""What scoring reads of an item: the narrow ``Facts`` row, or a whole ``ItemState``."""

from datetime import datetime
from typing import NamedTuple, Union

from inspector.domain.items import CLOSED, DISMISSED, FIX_SUBMITTED, VERIFIED, ItemState, Status

CLOSED_STATUSES = frozenset({VERIFIED, CLOSED})
FIX_STANDS = frozenset({FIX_SUBMITTED, VERIFIED, CLOSED})
# Not a task of the office's: dismissed (not a problem), or merged (a duplicate: the item it duplicates counts)
NOT_A_TASK = frozenset({DISMISSED, Status.MERGED})


class Facts(NamedTuple):
    """The facts scoring reads as a plain tuple: what a narrow query of ``items`` gives, cheaply.

    The field names are ``ItemState``'s, so scoring reads either the same way.
    """

    id: str
    office: str
    status: str
    reported_at: datetime
    assigned_at: datetime | None
    deadline: datetime | None
    fix_submitted_at: datetime | None
    verified_at: datetime | None
    closed_at: datetime | None
    extensions_granted: int
    rework_count: int
    rebound_count: int
    spot_agree: int
    spot_disagree: int


# What the measures take: the store's narrow rows, or items projected from their events (the tests).
Scored = Union[Facts, ItemState]
