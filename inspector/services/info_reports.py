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
from datetime import date, datetime, timedelta

import uuid6
from sqlmodel import select

from inspector.domain import catalog
from inspector.domain.events import MAX_TEXT
from inspector.domain.permissions import DECIDERS, Actor
from inspector.domain.text import check_text
from inspector.errors import Forbidden, InvalidRequest, PhotoMissing, UnknownOffice
from inspector.services import auth
from inspector.services.context import Context
from inspector.store.engine import read_session, write_session
from inspector.store.models import InfoReport, InfoReporter, Photo, User

_SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_PHOTOS = 9
MAX_DAYS = 366  # the longest span one listing may cover


@dataclass(frozen=True)
class ReporterView:
    office: str
    user_id: str
    username: str
    display_name: str
    named_at: datetime
    named_by: str


@dataclass(frozen=True)
class NoteView:
    id: str
    office: str
    day: date
    reporter_id: str
    reporter_name: str
    text: str
    photos: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class OfficeDay:
    """One office on one day: its reporter (or none named) and the notes it filed."""

    office: str
    reporter: ReporterView | None
    notes: tuple[NoteView, ...]

    @property
    def reported(self) -> bool:
        return bool(self.notes)


def _readable_offices(actor: Actor, office: str | None = None) -> list[str]:
    if office is not None and office not in catalog.OFFICE_CODES:
        raise UnknownOffice(office=office)
    if actor.role in DECIDERS:
        return [office] if office else [o.code for o in catalog.OFFICES]
    if actor.is_office and actor.office and office in (None, actor.office):
        return [actor.office]
    raise Forbidden(action="info.read", role=actor.role)


def _today(ctx: Context) -> date:
    return ctx.now().astimezone(ctx.settings.zone).date()


def _reporter_view(row: InfoReporter, user: User | None) -> ReporterView:
    return ReporterView(office=row.office_code, user_id=row.user_id, username=user.username if user else "",
                        display_name=(user.display_name or user.username) if user else "",
                        named_at=row.named_at, named_by=row.named_by)


def _note_view(row: InfoReport, names: dict[str, str]) -> NoteView:
    return NoteView(id=row.id, office=row.office_code, day=row.day, reporter_id=row.reporter_id,
                    reporter_name=names.get(row.reporter_id, ""), text=row.text,
                    photos=tuple(row.photos or ()), created_at=row.created_at)


def name_reporter(ctx: Context, actor: Actor, office: str, username: str) -> ReporterView:
    """Make ``username`` (staff or leader of ``office``) the office's reporter, replacing any other."""
    if office not in catalog.OFFICE_CODES:
        raise UnknownOffice(office=office)
    own_leader = actor.role == "office_leader" and actor.office == office
    if actor.role not in DECIDERS and not own_leader:
        raise Forbidden(action="info.name_reporter", role=actor.role)
    with write_session(ctx.engine) as session:
        user = auth.find_user(session, username)  # the same case- and width-blind match as logins
        if user is None or user.disabled:
            raise InvalidRequest(problem=f"no active user {username!r}")
        if user.role not in catalog.OFFICE_ROLES or user.office_code != office:
            raise InvalidRequest(problem=f"{username} is not staff of {office}")
        row = session.get(InfoReporter, office)
        if row is None:
            row = InfoReporter(office_code=office, user_id=user.id, named_by=actor.id, named_at=ctx.now())
        else:
            row.user_id, row.named_by, row.named_at = user.id, actor.id, ctx.now()
        session.add(row)
        session.flush()
        return _reporter_view(row, user)


def reporters(ctx: Context, actor: Actor) -> dict[str, ReporterView | None]:
    """Each office the actor may see, with its reporter or ``None``."""
    offices = _readable_offices(actor)
    with read_session(ctx.engine) as session:
        rows = {r.office_code: r for r in session.exec(select(InfoReporter)).all()}
        out = {}
        for office in offices:
            row = rows.get(office)
            out[office] = _reporter_view(row, session.get(User, row.user_id)) if row else None
        return out


def _check_photos(session, photos) -> list[str]:
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise InvalidRequest(problem=f"at most {MAX_PHOTOS} photos")
    for sha in photos:
        if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
            raise InvalidRequest(problem=f"photo {sha!r} is not a SHA-256 hex digest")
        if session.get(Photo, sha) is None:
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
        named = session.get(InfoReporter, actor.office)
        if named is None or named.user_id != actor.id:
            raise Forbidden(action="info.file", role=actor.role)
        row = InfoReport(id=str(uuid6.uuid7()), office_code=actor.office, day=day, reporter_id=actor.id,
                         text=text, photos=_check_photos(session, photos), created_at=ctx.now())
        session.add(row)
        session.flush()
        user = session.get(User, actor.id)
        return _note_view(row, {actor.id: (user.display_name or user.username) if user else ""})


def _names(session, ids) -> dict[str, str]:
    ids = set(ids)
    if not ids:
        return {}
    users = session.exec(select(User).where(User.id.in_(ids))).all()
    return {u.id: u.display_name or u.username for u in users}


def notes(ctx: Context, actor: Actor, first_day: date, last_day: date, office: str | None = None) -> list[NoteView]:
    """Notes filed for the days ``first_day``..``last_day``, oldest day first."""
    offices = _readable_offices(actor, office)
    if last_day < first_day:
        raise InvalidRequest(problem="the period ends before it starts")
    if last_day - first_day > timedelta(days=MAX_DAYS):
        raise InvalidRequest(problem=f"a listing covers at most {MAX_DAYS} days")
    with read_session(ctx.engine) as session:
        rows = session.exec(
            select(InfoReport)
            .where(InfoReport.day >= first_day, InfoReport.day <= last_day, InfoReport.office_code.in_(offices))
            .order_by(InfoReport.day, InfoReport.office_code, InfoReport.created_at, InfoReport.id)
        ).all()
        names = _names(session, (r.reporter_id for r in rows))
        return [_note_view(r, names) for r in rows]


def day_board(ctx: Context, actor: Actor, day: date | None = None) -> list[OfficeDay]:
    """For ``day`` (default today): every office the actor may see, reported or not, in catalogue order."""
    day = day or _today(ctx)
    offices = _readable_offices(actor)
    named = reporters(ctx, actor)
    filed = notes(ctx, actor, day, day)
    return [OfficeDay(office=o, reporter=named.get(o), notes=tuple(n for n in filed if n.office == o))
            for o in offices]
