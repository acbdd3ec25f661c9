"""Checklists against the standard: the current ones, any version, a site type's history, an admin's save.

Thin: each route parses, calls one service of ``inspector.services.checklists``, shapes the answer.
"""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field, StrictBool, StringConstraints

from inspector.domain.checklists import MAX_POINT_TEXT, MAX_POINTS
from inspector.server.deps import MAX_WORD, ActorDep, ContextDep, PlainParameters
from inspector.server.errors import AUTHENTICATED, WITH_BODY, error_responses
from inspector.services import checklists
from inspector.sync.wire import ChecklistOut, ChecklistsOut, Strict

router = APIRouter(prefix="/api", tags=["checklists"], dependencies=[PlainParameters],
                   responses=error_responses(*AUTHENTICATED))
SiteType = Annotated[str, Path(min_length=1, max_length=40, description="a site type's code")]
Words = Annotated[str, StringConstraints(max_length=MAX_POINT_TEXT)]


class CheckPointIn(Strict):
    code: str = Field(min_length=1, max_length=60, description="lower-case letters, digits and _; unique in the list")
    text: dict[str, Words] = Field(max_length=2, description="the words per language: zh-CN, en (one at least)")
    category: str = Field(max_length=40, description="the problem category a failure becomes")
    starred: StrictBool = Field(False, description="带*号: one starred failure fails the visit")


class ChecklistIn(Strict):
    points: list[CheckPointIn] = Field(max_length=MAX_POINTS, description="every point, in the order walked")
    base_version: int | None = Field(None, ge=0, le=1_000_000, description="the version the edit started from "
                                     "(0: the type had none); another version saved meanwhile is a 409")


class SavedOut(ChecklistOut):
    new: bool = Field(description="false: the points were the current version's, nothing was stored")


class VersionOut(BaseModel):
    id: str
    site_type: str
    version: int
    created_at: datetime
    created_by: str | None
    points: int = Field(description="how many points")


class HistoryOut(BaseModel):
    versions: list[VersionOut] = Field(description="newest first")


@router.get("/checklists", response_model=ChecklistsOut)
def current_checklists(_actor: ActorDep, ctx: ContextDep) -> ChecklistsOut:
    """The current version of every site type's checklist (a type without one is not listed)."""
    return ChecklistsOut(checklists=[ChecklistOut.of(c) for c in checklists.current_all(ctx)])


@router.get("/checklists/history", response_model=HistoryOut)
def history(_actor: ActorDep, ctx: ContextDep,
            site_type: Annotated[str, Query(min_length=1, max_length=MAX_WORD)]) -> HistoryOut:
    """Every version of a site type's checklist, newest first."""
    return HistoryOut(versions=[VersionOut(**v.model_dump()) for v in checklists.history(ctx, site_type)])


@router.get("/checklists/{checklist_id}", response_model=ChecklistOut, responses=error_responses(404))
def checklist_version(_actor: ActorDep, ctx: ContextDep,
                      checklist_id: Annotated[str, Path(max_length=36)]) -> ChecklistOut:
    """Any version by its id, current or past (the one a visit names)."""
    return ChecklistOut.of(checklists.version(ctx, checklist_id))


@router.put("/checklists/{site_type}", response_model=SavedOut,
            responses=error_responses(403, 404, 409, *WITH_BODY))
def save_checklist(body: ChecklistIn, site_type: SiteType, actor: ActorDep, ctx: ContextDep) -> SavedOut:
    """Save the points as the site type's next version (admins). Unchanged points store nothing."""
    saved = checklists.save(ctx, actor, site_type, [p.model_dump() for p in body.points], body.base_version)
    return SavedOut(**ChecklistOut.of(saved.checklist).model_dump(), new=saved.new)
