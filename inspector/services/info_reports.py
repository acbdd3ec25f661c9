"""Information reporting (信息报送): each office names one reporter, who files progress notes per day.

The bureau (supervisors, admins) sees, for a day, which offices have filed
and which have not. Notes are appended, never edited: a correction is a new
note for the same day.

Who may do what:

| action | who |
|---|---|
| name an office's reporter | admins and supervisors for any office; an office leader for their own |
| file a note | the office's named reporter only |
| read reporters, notes, the day board | supervisors and admins: every office; office staff and leaders: their own |
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

import uuid6

from inspector.domain import catalog
from inspector.domain.events import MAX_TEXT
from inspector.domain.figures import readable_offices
from inspector.domain.permissions import Actor
from inspector.domain.roles import DECIDERS, OFFICE_ROLES, Role
from inspector.domain.text import check_text
from inspector.errors import Forbidden, InvalidRequest, PhotoMissing, UnknownOffice
from inspector.services.context import Context
from inspector.store import info_reports as store
from inspector.store import photos as photo_store
from inspector.store import users
from inspector.store.engine import read_session, write_session
from inspector.store.info_reports import NoteView, ReporterView
from inspector.store.public import PersonPublic

_SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_PHOTOS = 9
MAX_DAYS = 366  # the longest span one listing may cover
READ = "info.read"  # the action a refused reader is told of


@dataclass(frozen=True)
class OfficeDay:
    """One office on one day: its reporter (or none named) and the notes it filed."""

    office: str
    reporter: ReporterView | None
    notes: tuple[NoteView, ...]

    @property
    def reported(self) -> bool:
        return bool(self.notes)


def _today(ctx: Context) -> date:
    return ctx.now().astimezone(ctx.settings.zone).date()


def name_reporter(ctx: Context, actor: Actor, office: str, username: str) -> ReporterView:
    """Make ``username`` (staff or leader of ``office``) the office's reporter, replacing any other."""
    if office not in catalog.OFFICE_CODES:
        raise UnknownOffice(office=office)
    own_leader = actor.role == Role.OFFICE_LEADER and actor.office == office
    if actor.role not in DECIDERS and not own_leader:
        raise Forbidden(action="info.name_reporter", role=actor.role)
    with write_session(ctx.engine) as session:
        row = users.user_row(session, username)  # the same case- and width-blind match as logins
        person = PersonPublic.of(row) if row is not None else None
        if person is None or person.disabled:
            raise InvalidRequest(problem=f"no active user {username!r}")
        if person.role not in OFFICE_ROLES or person.office_code != office:
            raise InvalidRequest(problem=f"{username} is not staff of {office}")
        return store.name_reporter(session, office, person.id, actor.id, ctx.now())


def reporters(ctx: Context, actor: Actor) -> dict[str, ReporterView | None]:
    """Each office the actor may see, with its reporter or ``None``."""
    offices = readable_offices(actor, action=READ)
    with read_session(ctx.engine) as session:
        named = store.reporters(session)
    return {office: named.get(office) for office in offices}


def _check_photos(session, photos) -> list[str]:
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise InvalidRequest(problem=f"at most {MAX_PHOTOS} photos")
    for sha in photos:
        if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
            raise InvalidRequest(problem=f"photo {sha!r} is not a SHA-256 hex digest")
        if not photo_store.has_photo(session, sha):
            raise PhotoMissing(sha256=sha)
    return photos


def file_note(ctx: Context, actor: Actor, text: str, day: date | None = None, photos=()) -> NoteView:
    """The named reporter files a progress note for ``day`` (default: today, local); never a future day."""
    text = (text or "").strip()
    if not text:
        raise InvalidRequest(problem="the note is empty")
    if len(text) > MAX_TEXT:
        raise InvalidRequest(problem=f"the note is longer than {MAX_TEXT} characters")
    check_text(text, "text")
    today = _today(ctx)
    day = day or today
    if day > today:
        raise InvalidRequest(problem=f"{day.isoformat()} has not come yet")
    if not actor.is_office or not actor.office:
        raise Forbidden(action="info.file", role=actor.role)
    with write_session(ctx.engine) as session:
        if store.reporter_id(session, actor.office) != actor.id:
            raise Forbidden(action="info.file", role=actor.role)
        return store.add_note(session, str(uuid6.uuid7()), actor.office, day, actor.id, text,
                              _check_photos(session, photos), ctx.now())


def notes(ctx: Context, actor: Actor, first_day: date, last_day: date, office: str | None = None) -> list[NoteView]:
    """Notes filed for the days ``first_day``..``last_day``, oldest day first."""
    offices = readable_offices(actor, office, action=READ)
    if last_day < first_day:
        raise InvalidRequest(problem="the period ends before it starts")
    if last_day - first_day > timedelta(days=MAX_DAYS):
        raise InvalidRequest(problem=f"a listing covers at most {MAX_DAYS} days")
    with read_session(ctx.engine) as session:
        return store.notes(session, offices, first_day, last_day)


def day_board(ctx: Context, actor: Actor, day: date | None = None) -> list[OfficeDay]:
    """For ``day`` (default today): every office the actor may see, reported or not, in catalogue order."""
    day = day or _today(ctx)
    offices = readable_offices(actor, action=READ)
    named = reporters(ctx, actor)
    filed = notes(ctx, actor, day, day)
    return [OfficeDay(office=o, reporter=named.get(o), notes=tuple(n for n in filed if n.office == o))
            for o in offices]
