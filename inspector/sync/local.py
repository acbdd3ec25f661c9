"""The field client's own store: a SQLite file, a blob folder, the outbox and the local projection.

An item's local state is ``project(confirmed events in seq order + pending
outbox events in outbox order)``. Confirmed events are the server's (pulled,
or accepted in a push, with the seq the server answered); pending ones wait in
the outbox; rejected ones stay in the outbox with the server's reason but are
left out of the projection. Every write below is one SQLite transaction that
stores the fact and the re-projected ``items`` rows together, so whatever a
caller was told has been saved survives a kill of the process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Mapping

from sqlalchemy import delete, func
from sqlalchemy import event as sa_event
from sqlmodel import Session, select

from inspector.domain import catalog
from inspector.domain.events import Event, frozen_payload, photos_of
from inspector.domain.payloads import validate_payload
from inspector.domain.items import ItemState, apply, check_site
from inspector.domain.permissions import Actor, Scope, authorize, authorize_report
from inspector.errors import InspectorError, ItemNotFound, OtherUserPending, PhotoMissing
from inspector.photos.blobs import FileBlobStore, blob_key
from inspector.photos.facts import PhotoFacts
from inspector.photos.pipeline import ingest_photo
from inspector.services.workspace import new_id
from inspector.settings import Settings
from inspector.store import queries
from inspector.store.convert import event_of, item_state, item_values
from inspector.store.engine import make_engine, read_session, write_session
from inspector.store.models import ClientState, EventRow, Item, OutboxEntry, Photo, Site
from inspector.store.schema import upgrade

FIELD_DB = "field.db"
PENDING, REJECTED = "pending", "rejected"

# ClientState keys
TOKEN = "token"
TOKEN_EXPIRES = "token_expires_at"
USER = "user"  # JSON: id, username, display_name, role, office
SERVER = "server_url"
DEVICE = "device_id"
CURSOR = "pull_cursor"
NAMES = "actor_names"  # JSON: user id -> display name, for timelines
LAST_SYNC = "last_sync_at"
LAST_ERROR = "last_error"
LAST_ERROR_CODE = "last_error_code"
LOGIN_NEEDED = "login_needed"
CAMPAIGN = "campaign"  # JSON: the server's campaign (GET /api/campaign), kept for offline use
SAMPLES = "spot_samples"  # JSON: a spot checker's draws (GET /api/spot-samples)
RECORDS = "office_records"  # JSON: {"at", "records"}: the delegated offices' records
UNBLIND = "unblind"  # JSON list: items whose own spot check the server accepted, to fetch whole


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
class Refuse:
    """The server refused the event for good: keep it, with the reason, out of the projection."""

    id: str
    code: str
    message: str


@dataclass(frozen=True)
class Retry:
    """No final answer yet (e.g. a photo still missing): keep it pending, note why."""

    id: str
    code: str
    message: str


Decision = Confirm | Refuse | Retry


# --- pure helpers --------------------------------------------------------------------------
def project_local(confirmed: Iterable[Event], pending: Iterable[Event], zone=None) -> tuple[ItemState | None, tuple[str, ...]]:
    """Local state: confirmed events, then pending ones; also the pending ids that do not apply.

    A pending event that no longer applies (the server moved on while this
    device was offline) is skipped here and left for the server to refuse
    with a reason. A confirmed event that does not apply means a gap in the
    timeline (earlier events not yet fetched); it is skipped too.
    """
    kwargs = {"zone": zone} if zone is not None else {}
    state = None
    for event in confirmed:
        try:
            state = apply(state, event, **kwargs)
        except InspectorError:
            pass
    skipped = []
    for event in pending:
        try:
            state = apply(state, event, **kwargs)
        except InspectorError:
            skipped.append(event.id)
    return state, tuple(skipped)


def plain_json(payload: Mapping[str, Any]) -> dict:
    """The payload as plain JSON values (dates as ISO text), as it will travel."""
    def default(value):
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        if isinstance(value, (set, frozenset, tuple)):
            return list(value)
        raise TypeError(f"{type(value).__name__} is not JSON")

    return json.loads(json.dumps(dict(payload), default=default))


def outbox_event(entry: OutboxEntry, actor_id: str) -> Event:
    return Event(id=entry.id, item_id=entry.item_id, kind=entry.kind, actor_id=actor_id, at=entry.at,
                 base_version=entry.base_version, payload=frozen_payload(entry.payload or {}))


def envelope(entry: OutboxEntry) -> dict:
    """The wire form of an outbox entry (docs/api.md, "Events")."""
    return {"id": entry.id, "item_id": entry.item_id, "kind": entry.kind, "at": entry.at.isoformat(),
            "base_version": entry.base_version, "payload": entry.payload or {}}


def parse_time(value: str | datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def remote_row(d: Mapping[str, Any]) -> EventRow:
    """An event as the server sent it (pull or item timeline), as a local log row."""
    return EventRow(seq=int(d["seq"]), id=d["id"], item_id=d["item_id"], kind=d["kind"], actor_id=d["actor"],
                    at=parse_time(d["at"]), server_at=parse_time(d["server_at"]), base_version=d["base_version"],
                    number=d.get("number"), payload=d.get("payload") or {})


def photo_row(facts: PhotoFacts, uploaded_by: str, now: datetime) -> Photo:
    taken = facts.taken_at
    return Photo(
        sha256=facts.sha256, width=facts.width, height=facts.height, format=facts.format,
        size_bytes=facts.size_bytes,
        taken_at=taken.replace(tzinfo=None) if taken else None,
        taken_at_offset=taken.strftime("%z") if taken and taken.tzinfo else None,
        gps_lat=facts.gps.lat if facts.gps else None, gps_lon=facts.gps.lon if facts.gps else None,
        gps_alt=facts.gps.alt if facts.gps else None, exif_problems=list(facts.exif_problems),
        uploaded_by=uploaded_by, uploaded_at=now,
    )


def _durable(engine) -> None:
    """The phone may lose power right after "saved": sync every commit to disk (WAL + FULL)."""
    @sa_event.listens_for(engine, "connect")
    def _full(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()


# --- the store -----------------------------------------------------------------------------
class LocalStore:
    """One data folder of a field client: ``field.db`` (same schema as the server) and ``blobs/``."""

    def __init__(self, data_dir: Path, settings: Settings | None = None):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.settings = settings or Settings(data_dir=self.data_dir)
        self.zone = self.settings.zone
        # Always a local SQLite file: DATABASE_URL is the server's business, never the phone's.
        self.engine = make_engine(f"sqlite:///{(self.data_dir / FIELD_DB).resolve()}")
        _durable(self.engine)
        upgrade(self.engine)
        self.blobs = FileBlobStore(self.data_dir / "blobs")

    def close(self) -> None:
        self.engine.dispose()

    # --- client state ----------------------------------------------------------------------
    def get(self, key: str) -> str | None:
        with read_session(self.engine) as session:
            row = session.get(ClientState, key)
            return row.value if row else None

    def get_json(self, key: str, default=None):
        value = self.get(key)
        return json.loads(value) if value else default

    def set(self, **values: str | None) -> None:
        """Set (or, with None, remove) client-state values in one transaction."""
        with write_session(self.engine) as session:
            for key, value in values.items():
                _put(session, key, value)

    def device_id(self) -> str:
        """This data folder's device id, made once."""
        known = self.get(DEVICE)
        if known:
            return known
        with write_session(self.engine) as session:
            row = session.get(ClientState, DEVICE)
            if row is None:
                row = ClientState(key=DEVICE, value=new_id())
                session.add(row)
            return row.value

    def user(self) -> dict | None:
        return self.get_json(USER)

    def actor(self) -> Actor | None:
        """The person whose device this is, as the domain sees them."""
        user = self.user()
        if not user:
            return None
        scopes: tuple[Scope, ...] = ()
        if user["role"] == "spot_checker":
            # Delegations are not sent to clients; the server checks them. Locally a spot
            # checker may work on whatever the server let them pull.
            scopes = (Scope(offices=catalog.OFFICE_CODES),)
        return Actor(id=user["id"], role=user["role"], office=user.get("office"), username=user["username"],
                     scopes=scopes)

    def cursor(self) -> int:
        return int(self.get(CURSOR) or 0)

    def names(self) -> dict[str, str]:
        return self.get_json(NAMES, {})

    # --- logins ------------------------------------------------------------------------------
    def check_may_log_in(self, username: str, server_url: str) -> None:
        """Refuse a login that would send one person's waiting records under another's name."""
        user, server = self.user(), self.get(SERVER)
        other = (user and user["username"] != username.strip()) or (server and server != server_url)
        if other:
            pending, _ = self.counts()
            if pending:
                raise OtherUserPending(count=pending, username=user["username"] if user else "")

    def begin_session(self, server_url: str, token_body: Mapping[str, Any]) -> None:
        """Keep a fresh login; a different person or server starts from an empty local copy."""
        user = dict(token_body["user"])
        user.setdefault("display_name", user["username"])
        with write_session(self.engine) as session:
            prev = _get(session, USER)
            prev_server = _get(session, SERVER)
            prev_id = json.loads(prev)["id"] if prev else None
            if (prev_id and prev_id != user["id"]) or (prev_server and prev_server != server_url):
                pending = _count(session, PENDING)
                if pending:
                    raise OtherUserPending(count=pending, username=json.loads(prev)["username"] if prev else "")
                _reset(session)
            for key, value in {TOKEN: token_body["access_token"], TOKEN_EXPIRES: str(token_body.get("expires_at")),
                               USER: json.dumps(user, ensure_ascii=False), SERVER: server_url,
                               LOGIN_NEEDED: None, LAST_ERROR: None, LAST_ERROR_CODE: None}.items():
                _put(session, key, value)

    def end_session(self) -> None:
        """Forget the token (the person and their waiting records stay)."""
        self.set(**{TOKEN: None, TOKEN_EXPIRES: None, LOGIN_NEEDED: None})

    # --- local changes ---------------------------------------------------------------------
    def record_local(self, actor: Actor, kind: str, item_id: str | None, base_version: int,
                     payload: Mapping[str, Any], at: datetime) -> Recorded:
        """Check a change against the local projection and save it in the outbox: committed on return."""
        payload = plain_json(payload)
        validate_payload(kind, payload, self.zone)
        event = Event(id=new_id(), item_id=item_id or new_id(), kind=kind, actor_id=actor.id, at=at,
                      base_version=base_version, payload=frozen_payload(payload))
        with write_session(self.engine) as session:
            row = session.get(Item, event.item_id)
            state = item_state(row) if row is not None else None
            if kind != "reported" and state is None:
                raise ItemNotFound(item_id=event.item_id)
            authorize(actor, kind, state, payload)
            for sha in photos_of(event):
                if session.get(Photo, sha) is None and not self.blobs.exists(blob_key(sha, "original")):
                    raise PhotoMissing(sha256=sha)
            new_state = apply(state, event, self.zone)
            if state is None:
                # The same checks as the server's; a spot checker's scope is the server's to check
                # (delegations are not sent here), and sites only once a list came down.
                authorize_report(actor, new_state)
                sites = set(session.exec(select(Site.id)).all())
                if sites:
                    check_site(new_state, sites)
            session.add(OutboxEntry(id=event.id, item_id=event.item_id, kind=kind, at=at,
                                    base_version=base_version, payload=payload))
            _write_item(session, event.item_id, new_state)
        return Recorded(event.id, event.item_id, new_state)

    def add_photo(self, uploaded_by: str, data: bytes, now: datetime) -> Photo:
        """Check and keep a photo on this device (blobs + a ``photos`` row) until it goes up."""
        facts, _ = ingest_photo(self.blobs, data, expected_sha256=None,
                                max_bytes=self.settings.photo_max_bytes, max_pixels=self.settings.photo_max_pixels)
        with write_session(self.engine) as session:
            row = session.get(Photo, facts.sha256)
            if row is None:
                row = photo_row(facts, uploaded_by, now)
                session.add(row)
        return row

    def original(self, sha256: str) -> bytes | None:
        key = blob_key(sha256, "original")
        return self.blobs.get(key) if self.blobs.exists(key) else None

    # --- the outbox --------------------------------------------------------------------------
    def pending(self, after_position: int = 0, limit: int | None = None) -> list[OutboxEntry]:
        """Waiting entries in outbox order."""
        statement = (select(OutboxEntry).where(OutboxEntry.state == PENDING, OutboxEntry.position > after_position)
                     .order_by(OutboxEntry.position))
        if limit:
            statement = statement.limit(limit)
        with read_session(self.engine) as session:
            return list(session.exec(statement).all())

    def outbox(self, item_id: str | None = None) -> list[OutboxEntry]:
        """Pending and rejected entries (of one item), in outbox order."""
        statement = select(OutboxEntry).order_by(OutboxEntry.position)
        if item_id is not None:
            statement = statement.where(OutboxEntry.item_id == item_id)
        with read_session(self.engine) as session:
            return list(session.exec(statement).all())

    def counts(self) -> tuple[int, int]:
        """(pending, rejected) outbox entries."""
        with read_session(self.engine) as session:
            return _count(session, PENDING), _count(session, REJECTED)

    def settle(self, decisions: Iterable[Decision]) -> None:
        """Apply the server's answers to a push, in one transaction."""
        with write_session(self.engine) as session:
            actor_id = _user_id(session)
            touched: set[str] = set()
            for decision in decisions:
                entry = session.exec(select(OutboxEntry).where(OutboxEntry.id == decision.id)).first()
                if entry is None:
                    continue  # settled already (a pull brought it back first)
                touched.add(entry.item_id)
                if isinstance(decision, Confirm):
                    if entry.kind == "spot_checked":  # no longer blind: the whole item comes next round
                        _add_to_list(session, UNBLIND, entry.item_id)
                    have = session.exec(select(EventRow).where(EventRow.id == entry.id)).first()
                    if have is None and decision.seq is not None:
                        # Confirmed now; the pull that follows brings the server's time and number.
                        session.add(EventRow(seq=decision.seq, id=entry.id, item_id=entry.item_id, kind=entry.kind,
                                             actor_id=actor_id, at=entry.at, server_at=entry.at,
                                             base_version=entry.base_version, payload=entry.payload or {}))
                    session.delete(entry)
                elif isinstance(decision, Refuse):
                    entry.state, entry.reason_code, entry.reason_message = REJECTED, decision.code, decision.message
                    entry.attempts += 1
                    session.add(entry)
                else:
                    entry.reason_code, entry.reason_message = decision.code, decision.message
                    entry.attempts += 1
                    session.add(entry)
            session.flush()
            for item_id in touched:
                self._reproject(session, item_id)

    def discard_rejected(self, event_id: str) -> None:
        """Drop a refused entry the person has read."""
        with write_session(self.engine) as session:
            session.exec(delete(OutboxEntry).where(OutboxEntry.id == event_id, OutboxEntry.state == REJECTED))

    # --- what comes down ---------------------------------------------------------------------
    def timelines_with(self, events: Iterable[Mapping[str, Any]]) -> dict[str, list[Event]]:
        """For each item of ``events``: its confirmed timeline here, with ``events`` merged in, in seq order."""
        by_item: dict[str, dict[str, Event]] = {}
        for d in events:
            by_item.setdefault(d["item_id"], {})[d["id"]] = event_of(remote_row(d))
        with read_session(self.engine) as session:
            for item_id, incoming in by_item.items():
                for row in queries.events_of(session, item_id):
                    incoming.setdefault(row.id, event_of(row))
        return {item_id: sorted(merged.values(), key=lambda e: e.seq) for item_id, merged in by_item.items()}

    def store_pulled(self, events: Iterable[Mapping[str, Any]], names: Mapping[str, str] | None = None,
                     cursor: int | None = None, unblinded: Iterable[str] = ()) -> int:
        """Keep confirmed events (deduplicated by id), re-project their items, then move the cursor.

        All in one transaction: the cursor never runs ahead of the events it covers,
        and an item leaves the ``UNBLIND`` list with the whole timeline that ends it.
        Returns how many events were new to this device.
        """
        added = 0
        with write_session(self.engine) as session:
            touched: set[str] = set()
            for d in events:
                row = session.exec(select(EventRow).where(EventRow.id == d["id"])).first()
                if row is None:
                    session.add(remote_row(d))
                    added += 1
                else:  # confirmed at push time: now the server's own facts
                    row.server_at, row.number, row.actor_id = parse_time(d["server_at"]), d.get("number"), d["actor"]
                    session.add(row)
                # Ours, pushed by a round whose answer was lost: the server has it, so it waits no more.
                session.exec(delete(OutboxEntry).where(OutboxEntry.id == d["id"]))
                touched.add(d["item_id"])
            session.flush()
            if names:
                known = json.loads(_get(session, NAMES) or "{}")
                if any(known.get(k) != v for k, v in names.items()):
                    known.update(names)
                    _put(session, NAMES, json.dumps(known, ensure_ascii=False))
            for item_id in touched:
                self._reproject(session, item_id)
            if cursor is not None:
                _put(session, CURSOR, str(cursor))
            done = set(unblinded)
            if done:
                left = [i for i in json.loads(_get(session, UNBLIND) or "[]") if i not in done]
                _put(session, UNBLIND, json.dumps(left) if left else None)
        return added

    def replace_sites(self, sites: Iterable[Mapping[str, Any]]) -> None:
        with write_session(self.engine) as session:
            seen = set()
            for s in sites:
                seen.add(s["id"])
                row = session.get(Site, s["id"]) or Site(id=s["id"], name="", kind="", office_code="", lat=0, lon=0)
                for name in ("name", "kind", "office_code", "lat", "lon", "radius_m"):
                    if name in s:
                        setattr(row, name, s[name])
                session.add(row)
            session.flush()
            for row in session.exec(select(Site)).all():
                if row.id not in seen:
                    session.delete(row)

    # --- reading -----------------------------------------------------------------------------
    def events_of(self, item_id: str) -> list[EventRow]:
        with read_session(self.engine) as session:
            return queries.events_of(session, item_id)

    def item(self, item_id: str, with_rejected: bool = False) -> ItemState | None:
        """The local state of an item; ``with_rejected`` also projects refused entries (to show them)."""
        with read_session(self.engine) as session:
            row = session.get(Item, item_id)
            if row is not None or not with_rejected:
                return item_state(row) if row is not None else None
            actor_id = _user_id(session)
            confirmed = [event_of(r) for r in queries.events_of(session, item_id)]
            entries = session.exec(select(OutboxEntry).where(OutboxEntry.item_id == item_id)
                                   .order_by(OutboxEntry.position)).all()
            state, _ = project_local(confirmed, [outbox_event(e, actor_id) for e in entries], self.zone)
            return state

    def photos(self, shas: Iterable[str]) -> dict[str, Photo]:
        with read_session(self.engine) as session:
            return {sha: p for sha in sorted(set(shas)) if (p := session.get(Photo, sha)) is not None}

    def sites(self) -> list[Site]:
        with read_session(self.engine) as session:
            return list(session.exec(select(Site).order_by(Site.name)).all())

    def reproject_all(self) -> None:
        """Rebuild every local item from its events and the outbox (repair, and a test's check)."""
        with write_session(self.engine) as session:
            ids = set(session.exec(select(EventRow.item_id)).all()) | set(session.exec(select(OutboxEntry.item_id)).all())
            ids |= set(session.exec(select(Item.id)).all())
            for item_id in ids:
                self._reproject(session, item_id)

    def _reproject(self, session: Session, item_id: str) -> ItemState | None:
        actor_id = _user_id(session)
        confirmed = [event_of(r) for r in queries.events_of(session, item_id)]
        entries = session.exec(select(OutboxEntry).where(OutboxEntry.item_id == item_id, OutboxEntry.state == PENDING)
                               .order_by(OutboxEntry.position)).all()
        state, _ = project_local(confirmed, [outbox_event(e, actor_id) for e in entries], self.zone)
        _write_item(session, item_id, state)
        return state


# --- small session helpers -------------------------------------------------------------------
def _get(session: Session, key: str) -> str | None:
    row = session.get(ClientState, key)
    return row.value if row else None


def _put(session: Session, key: str, value: str | None) -> None:
    row = session.get(ClientState, key)
    if value is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(ClientState(key=key, value=value))
    else:
        row.value = value
        session.add(row)


def _add_to_list(session: Session, key: str, value: str) -> None:
    known = json.loads(_get(session, key) or "[]")
    if value not in known:
        _put(session, key, json.dumps([*known, value]))


def _user_id(session: Session) -> str:
    user = _get(session, USER)
    return json.loads(user)["id"] if user else ""


def _count(session: Session, state: str) -> int:
    return session.exec(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state == state)).one()


def _write_item(session: Session, item_id: str, state: ItemState | None) -> None:
    row = session.get(Item, item_id)
    if state is None:
        if row is not None:
            session.delete(row)
        return
    values = item_values(state)
    if row is None:
        session.add(Item(**values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)


def _reset(session: Session) -> None:
    """Forget another person's (or server's) copy: it can be pulled again. Blobs stay (content-addressed)."""
    for model in (OutboxEntry, EventRow, Item, Photo):
        session.exec(delete(model))
    for key in (CURSOR, NAMES, LAST_SYNC, LAST_ERROR, LAST_ERROR_CODE, LOGIN_NEEDED, CAMPAIGN, SAMPLES, RECORDS,
                UNBLIND):
        _put(session, key, None)
