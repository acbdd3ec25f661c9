"""Builders of test data: people, photos and events with sensible defaults."""

import hashlib
import io
import uuid
from datetime import datetime, timezone

from PIL import Image

from inspector.services import auth, photos
from inspector.services.events import EventIn
from inspector.store.engine import read_session, write_session
from inspector.store.models import ChecklistRow, Site, User, VisitRow

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


# --- visits (issue 11) -----------------------------------------------------------------------
def visit_row(ctx, site_id: str, check_type: str = "self", server_at: datetime | None = None, *,
              site_type: str = "construction_site", office: str = "construction", visited_by: str = "someone",
              **fields) -> str:
    """Store a projected visit row straight in the database (until visits arrive through the log); its id."""
    at = server_at or datetime(2026, 7, 15, 2, 0, tzinfo=timezone.utc)
    values = {"id": new_id(), "site_id": site_id, "site_type": site_type, "office_code": office,
              "checklist_id": new_id(), "checklist_version": 1, "check_type": check_type, "visited_by": visited_by,
              "at": at, "server_at": at, "results": {"a": "pass"}, "met": 1, "applicable": 1, "passed": True}
    values.update(fields)
    with write_session(ctx.engine) as session:
        session.add(VisitRow(**values))
    return values["id"]


def registered_site(ctx, name: str, kind: str = "construction_site", office: str = "construction",
                    lat: float = 30.2741, lon: float = 120.1551, active: bool = True) -> str:
    """Register a site straight in the database; its id."""
    site_id = new_id()
    with write_session(ctx.engine) as session:
        session.add(Site(id=site_id, name=name, kind=kind, office_code=office, lat=lat, lon=lon, active=active))
    return site_id


POINTS = [  # a small checklist: two starred points, one plain, one that is often not applicable
    {"code": "hoarding", "text": {"zh-CN": "围挡不低于1.8米", "en": "Hoarding at least 1.8 m"},
     "category": "site_cleaning", "starred": True},
    {"code": "wheel_wash", "text": {"zh-CN": "出口设车辆冲洗设施", "en": "Wheel washing at the exit"},
     "category": "vehicle_washing", "starred": True},
    {"code": "garbage", "text": {"zh-CN": "垃圾容器密闭", "en": "Closed garbage containers"},
     "category": "site_garbage", "starred": False},
    {"code": "canteen", "text": {"zh-CN": "食堂防蝇防鼠", "en": "Canteen fly and rodent proofing"},
     "category": "site_sewage", "starred": False},
]


def checklist_row(ctx, site_type: str = "construction_site", points: list[dict] | None = None) -> str:
    """Store a new version of ``site_type``'s checklist (``POINTS`` unless given) straight in the database; its id."""
    from inspector.store import checklists  # lazy: most tests need no checklist

    checklist_id = new_id()
    with write_session(ctx.engine) as session:
        version = checklists.next_version(session, site_type)
        session.add(ChecklistRow(id=checklist_id, site_type=site_type, version=version,
                                 points=points or POINTS, created_at=datetime(2026, 7, 1, tzinfo=timezone.utc)))
    return checklist_id


def visit_event(site: str, checklist: str, results: dict[str, str], check_type: str = "supervisor",
                visit_id: str | None = None, **payload) -> EventIn:
    """A ``visited`` event of ``site`` against ``checklist`` (a new visit id unless given)."""
    body = {"site": site, "checklist": checklist, "check_type": check_type, "results": dict(results),
            "location": dict(LOCATION)}
    body.update(payload)
    return EventIn(id=new_id(), item_id=visit_id or new_id(), kind="visited",
                   at=datetime(2026, 7, 15, 1, 0, tzinfo=timezone.utc), base_version=0, payload=body)
