"""What the maintenance commands read: the photos named, the items' photo links, every item's log.

The first half takes the caller's session (the server's database, SQLite or
PostgreSQL). The second half reads a SQLite file directly: the backup copies a
live database with SQLite's online backup API and counts what the copy holds,
and the restore checks an unpacked copy before it puts it in place. Both hand
out plain values and domain states, never table rows.
"""

import sqlite3
from itertools import groupby
from pathlib import Path
from typing import Iterable, Iterator

from sqlmodel import Session, select

from inspector.domain.events import Event
from inspector.domain.items import ItemState
from inspector.domain.visits import VISITED
from inspector.store.convert import event_of, item_state
from inspector.store.models import EventRow, Item, ItemPhoto, Photo


# --- the server's database ----------------------------------------------------------
def photo_names(session: Session, among: Iterable[str] | None = None) -> set[str]:
    """The hashes that have a photo row: all of them, or those of ``among``."""
    statement = select(Photo.sha256)
    if among is not None:
        statement = statement.where(Photo.sha256.in_(list(among)))
    return set(session.exec(statement).all())


def photo_links(session: Session) -> list[tuple[str, str]]:
    """Every ``(item_id, sha256)`` of ``item_photos``, sorted."""
    return sorted(tuple(link) for link in session.exec(select(ItemPhoto.item_id, ItemPhoto.sha256)).all())


def item_states(session: Session) -> dict[str, ItemState]:
    """Every item as its row stores it, by id."""
    return {row.id: item_state(row) for row in session.exec(select(Item))}


def item_logs(session: Session) -> Iterator[tuple[str, list[Event]]]:
    """Each item's id with its events in server order, item by item (while ``session`` is open). A visit's
    event (``visited``, issue 11) shares the log but is no item's: it is left out."""
    rows = session.exec(select(EventRow).where(EventRow.kind != VISITED).order_by(EventRow.item_id, EventRow.seq))
    for item_id, group in groupby(rows, key=lambda row: row.item_id):
        yield item_id, [event_of(row) for row in group]


# --- a SQLite file --------------------------------------------------------------------
def copy_sqlite(source_path: Path, target_path: Path) -> tuple[list[str], int]:
    """Copy the live database ``source_path`` into ``target_path`` in one step; the copy's
    photo hashes (sorted) and event count.

    The copy is the state of one read transaction; in WAL mode the server keeps
    writing meanwhile.
    """
    source = sqlite3.connect(source_path, timeout=30)
    target = sqlite3.connect(target_path)
    try:
        # pages=-1: all pages in one step. Stepwise copying restarts whenever another
        # connection writes, which under steady pushes may never finish.
        source.backup(target, pages=-1)
        return _counts(target)
    finally:
        target.close()
        source.close()


def read_sqlite(path: Path) -> tuple[str, list[str], int]:
    """A SQLite file's integrity verdict (``"ok"`` when whole) and, when whole, its photo hashes
    (sorted) and event count; ``sqlite3.DatabaseError`` when it cannot be read at all."""
    connection = sqlite3.connect(path)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            return integrity, [], 0
        return (integrity, *_counts(connection))
    finally:
        connection.close()


def _counts(connection: sqlite3.Connection) -> tuple[list[str], int]:
    photos = [row[0] for row in connection.execute("SELECT sha256 FROM photos ORDER BY sha256")]
    events = connection.execute("SELECT count(*) FROM events").fetchone()[0]
    return photos, events
