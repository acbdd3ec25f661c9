"""Field clients for the sync tests: each with its own data folder under tmp_path, closed at the end."""

from pathlib import Path

import pytest
from sqlmodel import func, select

from inspector.settings import Settings
from inspector.store.engine import read_session
from inspector.store.models import EventRow
from inspector.sync.engine import Backoff
from inspector.sync.field import FieldClient, open_field
from tests.factories import LOCATION, jpeg, sha

PASSWORD = "secret-pw-123"
# Quick retries: a test that meets a dead server should learn it in well under a second.
FAST = Backoff(base_s=0.02, factor=2.0, cap_s=0.2, max_tries=3)


@pytest.fixture(scope="session")
def _bytecode_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pycache")


@pytest.fixture(autouse=True)
def _child_processes_cache_bytecode(monkeypatch, _bytecode_cache):
    """Child processes (servers, field clients) compile the sources once per worker, not once each.

    The environment may forbid writing bytecode (PYTHONDONTWRITEBYTECODE); a child then
    spends seconds compiling everything it imports. A cache under pytest's temp folder
    keeps the tree clean and makes restarts quick.
    """
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", str(_bytecode_cache))


def server_log(server) -> str:
    """What a server child process wrote, for a failing assertion's message."""
    path = server.data_dir.parent / f"server-{server.port}.log"
    return path.read_text(errors="replace")[-5000:] if path.exists() else ""


@pytest.fixture
def phones(tmp_path):
    """A factory of field clients (``make(url, name)``); every one is closed at the end."""
    made: list[FieldClient] = []

    def make(url: str, name: str = "phone", **options) -> FieldClient:
        data = tmp_path / name
        settings = Settings(data_dir=data, sync_interval_s=options.pop("interval", 3600),
                            sync_batch=options.pop("batch", 200))
        options.setdefault("backoff", FAST)
        client = open_field(url, data, settings, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def report_payload(photo: str, category: str = "site_sewage", **extra) -> dict:
    body = {"category": category, "location": dict(LOCATION), "severity": "normal", "check_type": "supervisor",
            "description": "工地食堂污水直排", "photos": [photo], "site": None}
    body.update(extra)
    return body


def photo_of(workspace, seed: int) -> str:
    """Take a photo on the device: its sha256."""
    data = jpeg(seed)
    workspace.add_photo(data)
    return sha(data)


def server_event_ids(ctx) -> list[str]:
    with read_session(ctx.engine) as session:
        return list(session.exec(select(EventRow.id)).all())


def server_event_count(ctx) -> int:
    with read_session(ctx.engine) as session:
        return session.exec(select(func.count()).select_from(EventRow)).one()


def data_dir(client: FieldClient) -> Path:
    return client.store.data_dir


def _snapshot(engine, item_ids=None):
    from inspector.store.convert import item_state, item_values
    from inspector.store.models import Item

    with read_session(engine) as session:
        items_q = select(Item)
        events_q = select(EventRow)
        if item_ids is not None:
            items_q = items_q.where(Item.id.in_(item_ids))
            events_q = events_q.where(EventRow.item_id.in_(item_ids))
        items = {r.id: item_values(item_state(r)) for r in session.exec(items_q).all()}
        events = {r.id: (r.seq, r.item_id, r.kind, r.actor_id, r.at, r.server_at, r.base_version, r.number,
                         r.payload) for r in session.exec(events_q).all()}
    return items, events


def assert_matches_server(ctx, client) -> None:
    """Every item and event on the phone is exactly as on the server (rows compared column by column),
    and rebuilding the phone's items from its events and outbox gives the rows it holds."""
    local_items, local_events = _snapshot(client.store.engine)
    client.store.reproject_all()
    assert _snapshot(client.store.engine) == (local_items, local_events)
    server_items, server_events = _snapshot(ctx.engine, list(local_items))
    assert local_items == server_items
    assert local_events == server_events
