"""The field client's own store: a SQLite file, a blob folder, the outbox and the local projection.

An item's local state is ``project(confirmed events in seq order + pending
outbox events in outbox order)``. Confirmed events are the server's (pulled,
or accepted in a push, with the seq the server answered); pending ones wait in
the outbox; rejected ones stay in the outbox with the server's reason but are
left out of the projection. Every write below is one SQLite transaction that
stores the fact and the re-projected ``items`` rows together, so whatever a
caller was told has been saved survives a kill of the process.

``LocalStore`` is the unit of work over that folder: each method opens one
session and calls the statements of ``inspector.store.field`` (its keys in
``state``, the ``outbox``, the server's ``mirror``, the ``photos``, the
``projection``). A change is decided by the domain's one ``decide``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Mapping

from sqlalchemy import ColumnElement
from sqlmodel import Session

from inspector.domain import catalog
from inspector.domain.checklists import Checklist
from inspector.domain.decision import Known, decide
from inspector.domain.events import Event, frozen_payload, photos_of_payload
from inspector.domain.items import ItemState
from inspector.domain.lifecycle import Kind
from inspector.domain.permissions import Actor, Scope
from inspector.domain.roles import Role
from inspector.errors import OtherUserPending
from inspector.photos.blobs import FileBlobStore, blob_key
from inspector.photos.pipeline import ingest_photo
from inspector.services.workspace import new_id
from inspector.settings import Settings
from inspector.store import checklists as checklist_store
from inspector.store import queries
from inspector.store.engine import read_session, write_session
from inspector.store.field import mirror, outbox, photos, projection
from inspector.store.field import state as keys
from inspector.store.field.database import open_field_db
from inspector.store.field.outbox import PENDING, REJECTED, OutboxPublic
from inspector.store.public import PersonPublic, PhotoPublic, SitePublic
from inspector.sync.wire import EventEnvelope, TokenResponse


@dataclass(frozen=True)
class Recorded:
    """An event saved in the outbox (committed), and the item's local state after it."""

    event_id: str
    item_id: str
    state: ItemState


@dataclass(frozen=True)
class Confirm:
    """The server has the event (accepted now or before) under ``seq``."""

    id: str
    seq: int | None


@dataclass(frozen=True)
class Answer:
    """The server's reason about an event it has not (yet) taken."""

    id: str
    code: str
    message: str


class Refuse(Answer):
    """The server refused the event for good: keep it, with the reason, out of the projection."""


class Retry(Answer):
    """No final answer yet (e.g. a photo still missing): keep it pending, note why."""


Decision = Confirm | Refuse | Retry


# --- pure helpers --------------------------------------------------------------------------
def plain_json(payload: Mapping[str, Any]) -> dict:
    """The payload as plain JSON values (dates as ISO text), as it will travel."""
    def default(value):
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        if isinstance(value, (set, frozenset, tuple)):
            return list(value)
        raise TypeError(f"{type(value).__name__} is not JSON")

    return json.loads(json.dumps(dict(payload), default=default))


def envelope(entry: OutboxPublic) -> EventEnvelope:
    """The wire form of an outbox entry (docs/api.md, "Events"); ``ValidationError`` if it cannot travel."""
    return EventEnvelope(id=entry.id, item_id=entry.item_id, kind=entry.kind, at=entry.at,
                         base_version=entry.base_version, payload=entry.payload)


def parse_time(value: str | datetime) -> datetime:
    """A time kept as ISO text (a trailing ``Z`` read as UTC)."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# --- the store -----------------------------------------------------------------------------
class LocalStore:
    """One data folder of a field client: ``field.db`` (same schema as the server) and ``blobs/``."""

    def __init__(self, data_dir: Path, settings: Settings | None = None):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.settings = settings or Settings(data_dir=self.data_dir)
        self.zone = self.settings.zone
        self.engine = open_field_db(self.data_dir)
        self.blobs = FileBlobStore(self.data_dir / "blobs")

    def close(self) -> None:
        self.engine.dispose()

    # --- client state ----------------------------------------------------------------------
    def get(self, key: str) -> str | None:
        """The client-state value under ``key`` (``inspector.store.field.state`` names the keys)."""
        with read_session(self.engine) as session:
            return keys.get(session, key)

    def get_json(self, key: str, default=None):
        """The JSON value under ``key``, or ``default``."""
        with read_session(self.engine) as session:
            return keys.get_json(session, key, default)

    def set(self, **values: str | None) -> None:
        """Set (or, with None, remove) client-state values in one transaction."""
        with write_session(self.engine) as session:
            keys.put_many(session, values)

    def device_id(self) -> str:
        """This data folder's device id, made once."""
        known = self.get(keys.DEVICE)
        if known:
            return known
        with write_session(self.engine) as session:
            return keys.device_id(session, new_id)

    def user(self) -> PersonPublic | None:
        """The person of this device (logged in now or last)."""
        with read_session(self.engine) as session:
            return keys.user(session)

    def actor(self) -> Actor | None:
        """The person whose device this is, as the domain sees them."""
        person = self.user()
        if person is None:
            return None
        scopes: tuple[Scope, ...] = ()
        if person.role == Role.SPOT_CHECKER:
            # Delegations are not sent to clients; the server checks them. Locally a spot
            # checker may work on whatever the server let them pull.
            scopes = (Scope(offices=catalog.OFFICE_CODES),)
        return Actor(id=person.id, role=person.role, office=person.office_code, username=person.username,
                     scopes=scopes)

    def cursor(self) -> int:
        return int(self.get(keys.CURSOR) or 0)

    def names(self) -> dict[str, str]:
        return self.get_json(keys.NAMES, {})

    # --- logins ------------------------------------------------------------------------------
    def check_may_log_in(self, username: str, server_url: str) -> None:
        """Refuse a login that would send one person's waiting records under another's name."""
        person, server = self.user(), self.get(keys.SERVER)
        other = (person and person.username != username.strip()) or (server and server != server_url)
        if other:
            pending, _ = self.counts()
            if pending:
                raise OtherUserPending(count=pending, username=person.username if person else "")

    def begin_session(self, server_url: str, token: TokenResponse) -> None:
        """Keep a fresh login; a different person or server starts from an empty local copy."""
        u = token.user
        person = PersonPublic(id=u.id, username=u.username, display_name=u.display_name or u.username,
                              role=u.role, office_code=u.office)
        with write_session(self.engine) as session:
            prev, prev_server = keys.user(session), keys.get(session, keys.SERVER)
            if (prev and prev.id != person.id) or (prev_server and prev_server != server_url):
                pending = outbox.count(session, PENDING)
                if pending:
                    raise OtherUserPending(count=pending, username=prev.username if prev else "")
                _forget_copy(session)
            keys.keep_login(session, server_url, token.access_token, token.expires_at.isoformat(), person)

    def end_session(self) -> None:
        """Forget the token (the person and their waiting records stay)."""
        self.set(**{keys.TOKEN: None, keys.TOKEN_EXPIRES: None, keys.LOGIN_NEEDED: None})

    # --- local changes ---------------------------------------------------------------------
    def record_local(self, actor: Actor, kind: str, item_id: str | None, base_version: int,
                     payload: Mapping[str, Any], at: datetime) -> Recorded:
        """Decide a change against the local projection and save it in the outbox: committed on return."""
        event = Event(id=new_id(), item_id=item_id or new_id(), kind=kind, actor_id=actor.id, at=at,
                      base_version=base_version, payload=frozen_payload(plain_json(payload)))
        with write_session(self.engine) as session:
            return self._record(session, actor, event)

    def record_visit(self, actor: Actor, visit: Event, reports: Iterable[Event]) -> None:
        """Save a finished visit, then its failed points' reports, in the outbox in one transaction; the
        draft it was goes with it. The visit is no item (its checklist checked it, ``sync.visits``); each
        report is decided like any other."""
        with write_session(self.engine) as session:
            outbox.add(session, visit)
            for event in reports:
                self._record(session, actor, event)
            keys.put(session, keys.VISIT_DRAFT, None)

    def _record(self, session: Session, actor: Actor, event: Event) -> Recorded:
        new_state = decide(actor, mirror.item(session, event.item_id), event, self._known(session, event), self.zone)
        outbox.add(session, event)
        mirror.write_item(session, event.item_id, new_state)
        return Recorded(event.id, event.item_id, new_state)

    def _known(self, session: Session, event: Event) -> Known:
        """What this device knows for ``decide``: its photos and, once a list came down, the sites.

        Citability is the server's to check (``photo_uses=None``): it knows every item's photos.
        """
        shas = photos_of_payload(event.payload)
        present = photos.uploaders(session, shas)
        me = keys.user_id(session) or event.actor_id
        for sha in shas:  # taken here but its row not written (yet): the person of this device took it
            if sha not in present and self.blobs.exists(blob_key(sha, "original")):
                present[sha] = me
        return Known(photos=present, photo_uses=None, sites=mirror.site_ids(session) or None)

    def add_photo(self, uploaded_by: str, data: bytes, now: datetime) -> PhotoPublic:
        """Check and keep a photo on this device (blobs + a ``photos`` row) until it goes up."""
        facts, _ = ingest_photo(self.blobs, data, expected_sha256=None,
                                max_bytes=self.settings.photo_max_bytes, max_pixels=self.settings.photo_max_pixels)
        with write_session(self.engine) as session:
            return photos.keep(session, facts, uploaded_by, now)

    def original(self, sha256: str) -> bytes | None:
        """A photo's original bytes, if this device has them."""
        key = blob_key(sha256, "original")
        return self.blobs.get(key) if self.blobs.exists(key) else None

    # --- the outbox --------------------------------------------------------------------------
    def pending(self, after_position: int = 0, limit: int | None = None) -> list[OutboxPublic]:
        """Waiting entries in outbox order."""
        with read_session(self.engine) as session:
            return outbox.pending(session, after_position, limit)

    def outbox(self, item_id: str | None = None) -> list[OutboxPublic]:
        """Pending and rejected entries (of one item), in outbox order."""
        with read_session(self.engine) as session:
            return outbox.entries(session, item_id)

    def counts(self) -> tuple[int, int]:
        """(pending, rejected) outbox entries."""
        with read_session(self.engine) as session:
            return outbox.count(session, PENDING), outbox.count(session, REJECTED)

    def settle(self, decisions: Iterable[Decision]) -> None:
        """Apply the server's answers to a push, in one transaction."""
        with write_session(self.engine) as session:
            actor_id = keys.user_id(session)
            touched: set[str] = set()
            for decision in decisions:
                entry = outbox.find(session, decision.id)
                if entry is None:
                    continue  # settled already (a pull brought it back first)
                touched.add(entry.item_id)
                if isinstance(decision, Confirm):
                    if entry.kind == Kind.SPOT_CHECKED:  # no longer blind: the whole item comes next round
                        keys.add_to_list(session, keys.UNBLIND, entry.item_id)
                    if decision.seq is not None:  # the pull that follows brings the server's time and number
                        mirror.keep_pushed(session, replace(entry.event(actor_id), seq=decision.seq))
                    outbox.remove(session, entry.id)
                else:
                    outbox.note(session, entry.id, decision.code, decision.message,
                                refused=isinstance(decision, Refuse))
            projection.reproject_items(session, touched, self.zone)

    def discard_rejected(self, event_id: str) -> None:
        """Drop a refused entry the person has read."""
        with write_session(self.engine) as session:
            outbox.discard_rejected(session, event_id)

    # --- what comes down ---------------------------------------------------------------------
    def timelines_with(self, events: Iterable[Event]) -> dict[str, list[Event]]:
        """For each item of ``events``: its confirmed timeline here, with ``events`` merged in, in seq order."""
        by_item: dict[str, dict[str, Event]] = {}
        for event in events:
            by_item.setdefault(event.item_id, {})[event.id] = event
        with read_session(self.engine) as session:
            for item_id, incoming in by_item.items():
                for known in mirror.events_of(session, item_id):
                    incoming.setdefault(known.id, known)
        return {item_id: sorted(merged.values(), key=lambda e: e.seq) for item_id, merged in by_item.items()}

    def store_pulled(self, events: Iterable[Event], names: Mapping[str, str] | None = None,
                     cursor: int | None = None, unblinded: Iterable[str] = ()) -> int:
        """Keep confirmed events (deduplicated by id), re-project their items, then move the cursor.

        All in one transaction: the cursor never runs ahead of the events it covers,
        and an item leaves the ``UNBLIND`` list with the whole timeline that ends it.
        Returns how many events were new to this device.
        """
        added = 0
        with write_session(self.engine) as session:
            touched: set[str] = set()
            for event in events:
                added += mirror.keep_confirmed(session, event)
                # Ours, pushed by a round whose answer was lost: the server has it, so it waits no more.
                outbox.remove(session, event.id)
                touched.add(event.item_id)
            if names:
                keys.merge_names(session, names)
            projection.reproject_items(session, touched, self.zone)
            if cursor is not None:
                keys.put(session, keys.CURSOR, str(cursor))
            keys.remove_from_list(session, keys.UNBLIND, unblinded)
        return added

    def replace_sites(self, sites: Iterable[SitePublic | Mapping[str, Any]]) -> None:
        """Keep exactly these sites (the server's list, as the last round fetched it)."""
        fresh = [s if isinstance(s, SitePublic) else SitePublic.model_validate(s) for s in sites]
        with write_session(self.engine) as session:
            mirror.replace_sites(session, fresh)

    def replace_checklists(self, fresh: Iterable[Checklist], at: datetime) -> None:
        """Keep exactly these checklist versions (the server's current ones, fetched ``at``)."""
        with write_session(self.engine) as session:
            checklist_store.replace_all(session, fresh, at)

    # --- reading -----------------------------------------------------------------------------
    def events_of(self, item_id: str) -> list[Event]:
        """An item's confirmed events here, in seq order."""
        with read_session(self.engine) as session:
            return mirror.events_of(session, item_id)

    def item(self, item_id: str, with_rejected: bool = False) -> ItemState | None:
        """The local state of an item; ``with_rejected`` also projects refused entries (to show them)."""
        with read_session(self.engine) as session:
            kept = mirror.item(session, item_id)
            if kept is not None or not with_rejected:
                return kept
            return projection.projected(session, item_id, self.zone, with_rejected=True)

    def list_items(self, actor: Actor, f: queries.ItemFilter, now: datetime, page: int,
                   page_size: int) -> tuple[list[ItemState], int]:
        """One page of the items here ``actor`` sees that pass ``f``, and the count of all that pass."""
        with read_session(self.engine) as session:
            return mirror.list_items(session, actor, f, now, page, page_size)

    def visible_items(self, actor: Actor, *where: ColumnElement[bool]) -> list[ItemState]:
        """The items here ``actor`` sees that meet ``where`` (a notice's candidates)."""
        with read_session(self.engine) as session:
            return mirror.visible_items(session, actor, *where)

    def look_back_candidates(self, actor: Actor) -> list[ItemState]:
        """Verified items here with a look-back date that ``actor`` sees."""
        with read_session(self.engine) as session:
            return mirror.look_back_candidates(session, actor)

    def photos(self, shas: Iterable[str]) -> dict[str, PhotoPublic]:
        """The facts of those of ``shas`` kept on this device, by hash."""
        with read_session(self.engine) as session:
            return photos.facts_of(session, shas)

    def sites(self) -> list[SitePublic]:
        """The registered sites as the last round brought them, by name."""
        with read_session(self.engine) as session:
            return mirror.sites(session)

    def reproject_all(self) -> None:
        """Rebuild every local item from its events and the outbox (repair, and a test's check)."""
        with write_session(self.engine) as session:
            projection.reproject_all(session, self.zone)


def _forget_copy(session: Session) -> None:
    """Forget another person's (or server's) copy: it can be pulled again. Blobs stay (content-addressed)."""
    outbox.clear(session)
    mirror.clear(session)
    photos.clear(session)
    keys.forget_copy(session)
