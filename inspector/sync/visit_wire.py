"""What travels over HTTP about visits (issue 11): ``GET /api/visits`` and ``GET /api/visits/{id}``.

Kept beside ``inspector.sync.wire`` (the other bodies) for its size; a visit itself is
pushed as an event (kind ``visited``) in ``wire.PushRequest``.
"""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class VisitOut(BaseModel):
    """One visit, as its ``visited`` event recorded it and the server scored it."""

    id: str
    site: str
    site_name: str
    site_type: str
    office: str = Field(description="the site's responsible office at the visit")
    checklist_id: str
    checklist_version: int
    check_type: str
    round: str | None
    visited_by: str
    visitor_name: str
    at: datetime = Field(description="the device's clock")
    server_at: datetime = Field(description="when the server received it: the time that counts")
    results: dict[str, Literal["pass", "fail", "na"]] = Field(description="point code -> verdict")
    met: int = Field(description="points passed")
    applicable: int = Field(description="points passed or failed (not applicable ones count for nothing)")
    starred_failed: int = Field(description="starred points failed: any fails the visit")
    passed: bool
    ratio: float | None = Field(description="met / applicable; null when no point applied")
    items: list[str] = Field(description="the items its failed points became")
    lat: float | None = None
    lon: float | None = None


class VisitList(BaseModel):
    visits: list[VisitOut]
    total: int
