"""The inspections' tables (issue 11): site types, checklist versions, visits.

Re-exported by ``inspector.store.models`` (import them from there); kept apart only because one module
would pass 400 lines.
"""

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from inspector.store.models import _json, _time

__all__ = ["SiteTypeRow", "ChecklistRow", "VisitRow"]


class SiteTypeRow(SQLModel, table=True):
    """A kind of site the register knows (``sites.kind``): the four shipped ones and those admins add."""

    __tablename__ = "site_types"
    code: str = Field(primary_key=True, max_length=40)
    # {"zh-CN": ..., "en": ...}: an added type's names; a shipped type's are in the catalogues
    names: dict = _json(dict)
    created_at: datetime = _time(nullable=False)


class ChecklistRow(SQLModel, table=True):
    """One version of a site type's checklist. Rows are added, never changed: a visit names the one it used."""

    __tablename__ = "checklists"
    __table_args__ = (UniqueConstraint("site_type", "version"),)
    id: str = Field(primary_key=True, max_length=36)
    site_type: str = Field(index=True, max_length=40)
    version: int
    points: list[dict] = _json(list)  # [{code, text: {lang: words}, category, starred}] in order
    created_at: datetime = _time(nullable=False)
    created_by: str | None = Field(default=None, max_length=36)


class VisitRow(SQLModel, table=True):
    """One visit of a site against its checklist, as projected from its ``visited`` event."""

    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_site_check_type", "site_id", "check_type", "server_at"),)
    id: str = Field(primary_key=True, max_length=36)
    site_id: str = Field(index=True, max_length=36)
    site_type: str = Field(max_length=40)
    office_code: str = Field(index=True, max_length=40)  # the site's responsible office at the visit
    checklist_id: str = Field(max_length=36)
    checklist_version: int
    check_type: str = Field(max_length=20)
    round_id: str | None = Field(default=None, max_length=36)
    visited_by: str = Field(index=True, max_length=36)
    at: datetime = _time(nullable=False)  # the device's clock
    server_at: datetime = _time(nullable=False, index=True)  # the time that counts
    results: dict = _json(dict)  # point code -> pass, fail, na
    met: int = 0
    applicable: int = 0
    starred_failed: int = 0
    passed: bool = False
    items: list[str] = _json(list)  # the items its failed points became
    lat: float | None = None
    lon: float | None = None
    version: int = 1
    last_seq: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
