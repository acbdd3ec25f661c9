"""The event log's writes: every SQL statement of a push, in the order a batch needs them.

A batch first reads what it touches (``read_batch``: a few ``IN`` queries),
then, once every event is decided in memory, writes it all with bulk
statements (``append_events``, ``save_items``, ``link_photos``, ``keep_refusals``,
``save_day_counters``) inside the caller's write transaction. What is read
comes back as domain values (``ItemState``) or small records, never rows.
"""

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from inspector.domain.items import ItemState
from inspector.domain.permissions import Actor
from inspector.domain.oversight import PhotoUse
from inspector.store import queries
from inspector.store.convert import item_state, item_values
from inspector.store.models import DayCounter, EventRow, Item, ItemPhoto, Photo, Rejection, Site


@dataclass(frozen=True)
class StoredEvent:
    """What a repeated event id is compared with: the first event of that id."""

    item_id: str
    kind: str
    payload: Mapping[str, Any]
    seq: int


@dataclass(frozen=True)
class StoredRefusal:
    """The refusal a repeated event id gets again."""

    code: str
    details: Mapping[str, Any]


@dataclass
class BatchFacts:
    """What the database holds about a batch's ids, photos, sites and items."""

    events: dict[str, StoredEvent]
    refusals: dict[str, StoredRefusal]
    photos: dict[str, str]  # stored photo -> who uploaded it
    photo_uses: dict[str, list[PhotoUse]]  # of photos others uploaded: their uses by items the actor sees
    sites: set[str]  # the named sites that exist
    items: dict[str, ItemState]


def read_batch(session: Session, actor: Actor, event_ids: Iterable[str], item_ids: Iterable[str],
               shas: Iterable[str], site_ids: Iterable[str]) -> BatchFacts:
    """Everything a batch is decided against, in six queries at most."""
    event_ids, item_ids, shas, site_ids = list(event_ids), list(set(item_ids)), list(set(shas)), list(set(site_ids))
    events = {r.id: StoredEvent(r.item_id, r.kind, dict(r.payload or {}), r.seq)
              for r in session.exec(select(EventRow).where(EventRow.id.in_(event_ids))).scalars()}
    refusals = {r.id: StoredRefusal(r.code, dict(r.details or {}))
                for r in session.exec(select(Rejection).where(Rejection.id.in_(event_ids))).scalars()}
    photos = dict(session.exec(select(Photo.sha256, Photo.uploaded_by).where(Photo.sha256.in_(shas))).all()) \
        if shas else {}
    # Only photos someone else uploaded need their uses to decide whether the actor may cite them.
    uses = queries.photo_uses(session, actor, [sha for sha, by in photos.items() if by != actor.id])
    sites = set(session.exec(select(Site.id).where(Site.id.in_(site_ids))).scalars()) if site_ids else set()
    items = {r.id: item_state(r) for r in session.exec(select(Item).where(Item.id.in_(item_ids))).scalars()}
    return BatchFacts(events, refusals, photos, uses, sites, items)


def last_number(session: Session, day: str) -> int:
    """The last item number handed out on the local day ``day`` (0 for none yet)."""
    counter = session.get(DayCounter, day)
    return counter.last if counter else 0


def append_events(session: Session, rows: list[dict]) -> list[int]:
    """Append events to the log; their server sequence numbers, in the order given."""
    if not rows:
        return []
    table = EventRow.__table__
    return list(session.execute(insert(table).returning(table.c.seq, sort_by_parameter_order=True), rows)
                .scalars().all())


def save_items(session: Session, new: list[ItemState], changed: list[ItemState]) -> None:
    """Write the projections of new items and of items whose state changed."""
    table = Item.__table__
    if new:
        session.execute(insert(table), [item_values(state) for state in new])
    if changed:
        rows = [item_values(state) for state in changed]
        columns = [c for c in rows[0] if c != "id"]
        session.execute(
            update(table).where(table.c.id == bindparam("b_id")).values({c: bindparam(c) for c in columns}),
            [{**{c: r[c] for c in columns}, "b_id": r["id"]} for r in rows],
        )


def _insert_ignoring_duplicates(session: Session, table, rows: list[dict]) -> None:
    if not rows:
        return
    maker = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(maker(table).on_conflict_do_nothing(), rows)


def link_photos(session: Session, rows: list[dict]) -> None:
    """Record which item uses which photo by which event (a repeat is kept once)."""
    _insert_ignoring_duplicates(session, ItemPhoto.__table__, rows)


def keep_refusals(session: Session, rows: list[dict]) -> None:
    """Keep refused events' answers, so a retry of the same id gets the same one."""
    _insert_ignoring_duplicates(session, Rejection.__table__, rows)


def save_day_counters(session: Session, counters: Mapping[str, int]) -> None:
    """Set each local day's last handed-out item number."""
    table = DayCounter.__table__
    for day, last in counters.items():
        _insert_ignoring_duplicates(session, table, [{"day": day, "last": 0}])
        session.execute(update(table).where(table.c.day == day).values(last=last))
