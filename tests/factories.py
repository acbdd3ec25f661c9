"""Builders of test data: people, photos and events with sensible defaults."""

import hashlib
import io
import uuid
from datetime import datetime, timezone

from PIL import Image

from inspector.services import auth, photos
from inspector.services.events import EventIn
from inspector.store.engine import read_session
from inspector.store.models import User

LOCATION = {"lat": 30.2741, "lon": 120.1551, "accuracy_m": 8, "source": "gps"}


def new_id() -> str:
    return str(uuid.uuid4())


def jpeg(seed: int = 0, size=(640, 480)) -> bytes:
    """A small JPEG that differs for every seed."""
    image = Image.new("RGB", size, ((seed * 37) % 256, (seed * 91) % 256, (seed * 53) % 256))
    for x in range(0, size[0], 40):
        image.putpixel((x, (seed * 7) % size[1]), (255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def person(ctx, username: str, role: str, office: str | None = None, password: str = "secret-pw-123"):
    """Add a user and return their Actor."""
    user = auth.add_user(ctx, username, password, role, office)
    with read_session(ctx.engine) as session:
        return auth.actor_of(session, session.get(User, user.id))


def stored_photo(ctx, actor, seed: int = 0) -> str:
    data = jpeg(seed)
    photos.put_photo(ctx, actor, sha(data), data)
    return sha(data)


def reported(item_id: str | None = None, photo: str = "0" * 64, category: str = "site_sewage", **payload) -> EventIn:
    body = {"category": category, "location": dict(LOCATION), "severity": "normal",
            "check_type": "supervisor", "description": "工地食堂污水直排", "photos": [photo]}
    body.update(payload)
    return EventIn(id=new_id(), item_id=item_id or new_id(), kind="reported",
                   at=datetime(2026, 7, 15, 1, 0, tzinfo=timezone.utc), base_version=0, payload=body)


def event(item_id: str, kind: str, base_version: int, **payload) -> EventIn:
    return EventIn(id=new_id(), item_id=item_id, kind=kind, at=datetime(2026, 7, 15, 2, 0, tzinfo=timezone.utc),
                   base_version=base_version, payload=payload)


def wire(e: EventIn) -> dict:
    """The JSON envelope of an event, as a client sends it."""
    return {"id": e.id, "item_id": e.item_id, "kind": e.kind, "at": e.at.isoformat(),
            "base_version": e.base_version, "payload": dict(e.payload)}


# --- over HTTP -------------------------------------------------------------------------------
def login(http, username: str, password: str = "secret-pw-123") -> dict[str, str]:
    """Bearer headers for ``username``; one real login per user and test (argon2 is slow on purpose)."""
    tokens = http.__dict__.setdefault("_test_tokens", {})
    if username not in tokens:
        response = http.post("/api/auth/token", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        tokens[username] = {"Authorization": f"Bearer {response.json()['access_token']}"}
    return tokens[username]


def push(http, headers: dict[str, str], *evs: EventIn) -> list[dict]:
    """Push ``evs`` as the person behind ``headers``; the server's answers, in order."""
    response = http.post("/api/sync/push", json={"device_id": "dev", "events": [wire(e) for e in evs]},
                         headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["results"]
