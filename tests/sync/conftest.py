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

PASSWORD = "secret123"
# Quick retries: a test that meets a dead server should learn it in well under a second.
FAST = Backoff(base_s=0.02, factor=2.0, cap_s=0.2, max_tries=3)


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
