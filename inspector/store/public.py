"""What the store hands out instead of its table rows: read-only public models.

A table row is the store's business: it carries columns nobody outside should
see (a password hash) and, attached to a session, can lazily load or be
flushed back. Services and screens get these models instead, made from a row
with ``SitePublic.of(row)``; their attribute names are the columns' names, so
a reader moves from row to model without learning new words.
"""

from datetime import datetime
from typing import Any, Self

from pydantic import BaseModel, ConfigDict


class Public(BaseModel):
    """A frozen copy of a row's public columns."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    @classmethod
    def of(cls, row: Any) -> Self:
        """The public model of ``row`` (a table row or anything with the same attributes)."""
        return cls.model_validate(row, from_attributes=True)


class SitePublic(Public):
    """A registered place: a construction site, green belt, compound."""

    id: str
    name: str
    kind: str
    office_code: str
    lat: float
    lon: float
    radius_m: float = 200.0
    address: str = ""
    contact: str = ""
    active: bool = True  # False: taken off the register (retired), kept for the items and visits naming it


class PhotoPublic(Public):
    """A stored photo's facts, as read from the file when it came in."""

    sha256: str
    width: int
    height: int
    format: str
    size_bytes: int
    taken_at: datetime | None = None  # the camera's naive wall-clock time
    taken_at_offset: str | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_alt: float | None = None
    exif_problems: tuple[str, ...] = ()
    uploaded_by: str
    uploaded_at: datetime


class PersonPublic(Public):
    """A user account without its secrets: who someone is and what they may do."""

    id: str
    username: str
    display_name: str = ""
    role: str
    office_code: str | None = None
    disabled: bool = False

    @property
    def name(self) -> str:
        """The name to show: the display name, else the username."""
        return self.display_name or self.username
