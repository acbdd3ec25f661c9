"""The event log's writes: every SQL statement of a push, in the order a batch needs them.

A batch first locks and reads what it touches (``read_batch``: the items'
locks, then a few ``IN`` queries), then, once every event is decided in
memory, writes it all with bulk statements (``reserve_numbers``,
``append_events``, ``save_items``, ``link_photos``, ``keep_refusals``) inside
the caller's write transaction. What is read comes back as domain values
(``ItemState``) or small records, never rows.

Concurrent writers on PostgreSQL (``write_session(..., concurrent=True)``):

* Per item, one writer at a time. ``lock_items`` takes a transaction-scoped
  advisory lock per item id (the batch's items and any item it reads to
  decide, such as a merge's target), in one sorted order so two batches never
  deadlock, *before* anything is read: a second writer of the same item waits
  for the first to commit, then reads what it wrote (READ COMMITTED: each
  statement sees what committed before it) and decides against that, so
  versions, duplicates and refusals come out as if the two had run one after
  the other. A new item's id is locked as well, so two pushes of one report
  give accepted and duplicate, not a unique-key error. Advisory locks, unlike
  row locks, give the transaction no transaction id (xid): its xid is given at
  its first write, after its item locks are held (the point below relies on it).
* Item numbers: one counter row per local day, incremented by one UPSERT for
  all of a batch's new reports once they are decided (``reserve_numbers``).
  On PostgreSQL that statement commits on its own at once (``autonomous``):
  the row, which every report of the day needs, is never held while a
  push's transaction runs on. The price is a sequence's: numbers are unique
  and rise, but a push whose transaction then fails (a rerun, a lost
  connection) leaves its numbers unused. SQLite takes them in the transaction.
* Sequence numbers say the commit order that matters. On PostgreSQL a trigger
  (migration 0009) makes ``seq = xid << 20 | n``: the writing transaction's
  id, then the event's place within it. So the log is ordered by transaction
  id first, which is what a high-water mark needs. Before its query the pull
  feed takes a horizon H (``engine.feed_horizon``): the oldest transaction id
  of this database still in progress at that moment, or the next id to be
  given if none is. Every transaction with an id below H had ended by then.
  The feed (``queries.pull_feed``, a later snapshot) serves only
  ``seq < H << 20``: every event it serves came from an ended transaction,
  and any event with a lower ``seq`` came from a transaction with an id no
  greater, also ended, so it is in the same snapshot, served first, or was
  rolled back. A cursor therefore never skips an event that commits later;
  an event waits at most as long as the oldest write transaction open on
  this database when it committed (keep ``idle_in_transaction_session_timeout``
  set). Two writers of one item are ordered as their commits: the second took
  its item lock after the first committed, so its xid, and its ``seq``, is
  greater. (A plain sequence can hand a lower number to a transaction that
  commits later; filtering it by an xid column alone has the same hole, as
  xids and sequence numbers are handed out in different orders.) The horizon
  is per database rather than the snapshot's ``xmin``, which counts every
  database of the server: another database's long transaction would hold
  this feed back.

SQLite has one writer at a time (``BEGIN IMMEDIATE``) and plain ascending
``seq``: its commit order is its sequence order, and none of the above applies.
"""

import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from sqlalchemy import JSON, String, bindparam, insert, literal, null, select, text, type_coerce, union_all, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from inspector.domain.items import ItemState
from inspector.domain.permissions import Actor
from inspector.domain.oversight import PhotoUse
from inspector.store import queries
from inspector.store.convert import item_state, item_values
from inspector.store.engine import autonomous_scalar, bigint_array
from inspector.store.models import DayCounter, EventRow, Item, ItemPhoto, Photo, Rejection, Site, VisitRow


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
    visits: set[str] = field(default_factory=set)  # of the ``visit_ids`` asked: those that are visits' ids


def _in(column, name: str):
    return column.in_(bindparam(name, expanding=True))


# A push's reads, built once (building a statement costs more than running it) and run as Core
# statements on the session's connection: rows, not ORM objects. The stored events and the kept
# refusals of a batch's ids come back in one statement, and with them which of the ids asked are
# visits' (a new report's id must not be a visit's: the common push needs no other visit read).
_E, _R, _P, _I = EventRow.__table__.c, Rejection.__table__.c, Photo.__table__.c, Item.__table__.c
_V = VisitRow.__table__.c
_REPLAYS = union_all(
    select(literal("e").label("tag"), _E.id, _E.item_id, _E.kind, _E.payload, _E.seq,
           type_coerce(null(), String).label("code"), type_coerce(null(), JSON).label("details"))
    .where(_in(_E.id, "ids")),
    select(literal("r"), _R.id, null(), null(), null(), null(), _R.code, _R.details).where(_in(_R.id, "ids")),
    select(literal("v"), _V.id, null(), null(), null(), null(), null(), null()).where(_in(_V.id, "visits")),
)
_PHOTOS = select(_P.sha256, _P.uploaded_by).where(_in(_P.sha256, "shas"))
_ITEMS = select(Item.__table__).where(_in(_I.id, "ids"))


def _replays(connection, event_ids: list[str], visit_ids: list[str]
             ) -> tuple[dict[str, StoredEvent], dict[str, StoredRefusal], set[str]]:
    """The stored events and the kept refusals of ``event_ids``; which of ``visit_ids`` are visits'."""
    events, refusals, visits = {}, {}, set()
    for row in connection.execute(_REPLAYS, {"ids": event_ids, "visits": visit_ids}):
        if row.tag == "e":
            events[row.id] = StoredEvent(row.item_id, row.kind, dict(row.payload or {}), row.seq)
        elif row.tag == "r":
            refusals[row.id] = StoredRefusal(row.code, dict(row.details or {}))
        else:
            visits.add(row.id)
    return events, refusals, visits


def read_batch(session: Session, actor: Actor, event_ids: Iterable[str], item_ids: Iterable[str],
               shas: Iterable[str], site_ids: Iterable[str], locked: bool = False,
               visit_ids: Iterable[str] = ()) -> BatchFacts:
    """Everything a batch is decided against, in five queries at most, once its items are locked
    (``locked``: the caller took their locks already, see ``item_lock_keys``); ``visit_ids``: ids to
    tell apart as visits' (in the replays' statement)."""
    event_ids, item_ids, shas, site_ids = list(event_ids), list(set(item_ids)), list(set(shas)), list(set(site_ids))
    visit_ids = list(set(visit_ids))
    if not locked:
        lock_items(session, item_ids)
    connection = session.connection()
    events, refusals, visits = _replays(connection, event_ids, visit_ids) if event_ids or visit_ids \
        else ({}, {}, set())
    photos = {r.sha256: r.uploaded_by for r in connection.execute(_PHOTOS, {"shas": shas})} if shas else {}
    # Only photos someone else uploaded need their uses to decide whether the actor may cite them.
    uses = queries.photo_uses(session, actor, [sha for sha, by in photos.items() if by != actor.id])
    sites = set(session.exec(select(Site.id).where(Site.id.in_(site_ids))).scalars()) if site_ids else set()
    items = {r.id: item_state(r) for r in connection.execute(_ITEMS, {"ids": item_ids})} if item_ids else {}
    return BatchFacts(events, refusals, photos, uses, sites, items, visits)


def _item_lock_key(item_id: str) -> int:
    """A signed 64-bit advisory lock key for an item id (a collision only makes two items wait for each other)."""
    return int.from_bytes(hashlib.blake2b(item_id.encode(), digest_size=8, person=b"item-lock").digest(),
                          "big", signed=True)


def item_lock_keys(item_ids: Iterable[str]) -> list[int]:
    """The advisory lock keys of these items, in the one (ascending) order every batch takes them."""
    return sorted({_item_lock_key(i) for i in item_ids})


def lock_items(session: Session, item_ids: Iterable[str]) -> None:
    """Hold each item's write lock until the transaction ends (PostgreSQL; SQLite's one writer needs none).

    The keys are taken in ascending order, so two batches sharing items never
    wait for each other in a circle. Taking them gives the transaction no xid.
    A push takes them in the statement that opens its write unit instead
    (``write_session(..., item_keys=...)``)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    keys = item_lock_keys(item_ids)
    if keys:
        # A function scan over the array, no sort: locked in the array's (ascending) order.
        session.execute(text("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(CAST(:keys AS bigint[])) AS k"),
                        {"keys": bigint_array(keys)})


def _reserve_statement(dialect_module):
    table = DayCounter.__table__
    statement = dialect_module.insert(table).values(day=bindparam("day"), last=bindparam("count"))
    return statement.on_conflict_do_update(
        index_elements=[table.c.day], set_={"last": table.c.last + statement.excluded.last}).returning(table.c.last)


# Built once per dialect: building it cost about as much CPU as running it.
_RESERVE = {"postgresql": _reserve_statement(postgresql), "sqlite": _reserve_statement(sqlite)}


def reserve_numbers(session: Session, day: str, count: int) -> int:
    """Take ``count`` item numbers of the local day ``day`` in one statement; the first of them.

    On PostgreSQL the statement commits at once, apart from the session's transaction (see the module's
    docstring); on SQLite, the one writer, it is part of it."""
    bind = session.get_bind()
    statement = _RESERVE[bind.dialect.name]
    values = {"day": day, "count": count}
    if bind.dialect.name == "postgresql":
        last = autonomous_scalar(bind.engine, statement, values)
    else:
        last = session.execute(statement, values).scalar_one()
    return last - count + 1


_APPEND = insert(EventRow.__table__).returning(_E.seq, sort_by_parameter_order=True)
_INSERT_ITEMS = insert(Item.__table__)


def append_events(session: Session, rows: list[dict]) -> list[int]:
    """Append events to the log; their server sequence numbers, in the order given (on PostgreSQL
    the trigger of migration 0009 makes them: see the module's docstring)."""
    if not rows:
        return []
    return list(session.connection().execute(_APPEND, rows).scalars().all())


def save_items(session: Session, new: list[ItemState], changed: list[ItemState]) -> None:
    """Write the projections of new items and of items whose state changed."""
    table = Item.__table__
    if new:
        session.connection().execute(_INSERT_ITEMS, [item_values(state) for state in new])
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
    session.connection().execute(maker(table).on_conflict_do_nothing(), rows)


def link_photos(session: Session, rows: list[dict]) -> None:
    """Record which item uses which photo by which event (a repeat is kept once)."""
    _insert_ignoring_duplicates(session, ItemPhoto.__table__, rows)


def keep_refusals(session: Session, rows: list[dict]) -> None:
    """Keep refused events' answers, so a retry of the same id gets the same one."""
    _insert_ignoring_duplicates(session, Rejection.__table__, rows)
