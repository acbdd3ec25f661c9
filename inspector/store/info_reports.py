"""Information reporting: the SQL behind each office's named reporter and the notes they file.

Functions take the caller's session (the unit of work) and hand out
``ReporterView`` and ``NoteView`` values, never an ``InfoReporter`` or
``InfoReport`` row.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable

from sqlmodel import Session, select

from inspector.store import users
from inspector.store.models import InfoReport, InfoReporter, User


@dataclass(frozen=True)
class ReporterView:
    """An office's named reporter."""

    office: str
    user_id: str
    username: str
    display_name: str
    named_at: datetime
    named_by: str


@dataclass(frozen=True)
class NoteView:
    """A filed progress note, with its reporter's name."""

    id: str
    office: str
    day: date
    reporter_id: str
    reporter_name: str
    text: str
    photos: tuple[str, ...]
    created_at: datetime


def reporters(session: Session) -> dict[str, ReporterView]:
    """Every office that has named a reporter, with that reporter."""
    rows = session.exec(select(InfoReporter, User).outerjoin(User, User.id == InfoReporter.user_id)).all()
    return {named.office_code: ReporterView(
        office=named.office_code, user_id=named.user_id, username=user.username if user else "",
        display_name=(user.display_name or user.username) if user else "", named_at=named.named_at,
        named_by=named.named_by) for named, user in rows}


def reporter_id(session: Session, office: str) -> str | None:
    """The user id of ``office``'s named reporter; ``None`` when it has named none."""
    return session.exec(select(InfoReporter.user_id).where(InfoReporter.office_code == office)).first()


def name_reporter(session: Session, office: str, user_id: str, named_by: str, named_at: datetime) -> ReporterView:
    """Make ``user_id`` the reporter of ``office``, replacing any other (the caller has checked who)."""
    row = session.get(InfoReporter, office)
    if row is None:
        row = InfoReporter(office_code=office, user_id=user_id, named_by=named_by, named_at=named_at)
    else:
        row.user_id, row.named_by, row.named_at = user_id, named_by, named_at
    session.add(row)
    session.flush()
    return reporters(session)[office]


def add_note(session: Session, note_id: str, office: str, day: date, reporter: str, text: str,
             photos: Iterable[str], created_at: datetime) -> NoteView:
    """Append a note (the caller has checked it and its photos)."""
    row = InfoReport(id=note_id, office_code=office, day=day, reporter_id=reporter, text=text, photos=list(photos),
                     created_at=created_at)
    session.add(row)
    session.flush()
    return _note(row, users.display_names(session, [reporter]))


def notes(session: Session, offices: Iterable[str], first_day: date, last_day: date) -> list[NoteView]:
    """Notes of ``offices`` for the days ``first_day``..``last_day``: by day, office, then as filed."""
    rows = session.exec(
        select(InfoReport)
        .where(InfoReport.day >= first_day, InfoReport.day <= last_day, InfoReport.office_code.in_(list(offices)))
        .order_by(InfoReport.day, InfoReport.office_code, InfoReport.created_at, InfoReport.id)
    ).all()
    names = users.display_names(session, {r.reporter_id for r in rows})
    return [_note(r, names) for r in rows]


def _note(row: InfoReport, names: dict[str, str]) -> NoteView:
    return NoteView(id=row.id, office=row.office_code, day=row.day, reporter_id=row.reporter_id,
                    reporter_name=names.get(row.reporter_id, ""), text=row.text,
                    photos=tuple(row.photos or ()), created_at=row.created_at)
