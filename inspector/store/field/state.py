"""The field client's key-value facts (``client_state``): the login, the server, the cursor, what a round kept.

Values are text; the structured ones (the person, the names, what a round
fetched for offline use) are JSON. The person is kept as the server sent it
and handed out as a ``PersonPublic``.
"""

import json
from typing import Any, Callable, Iterable, Mapping

from sqlmodel import Session

from inspector.store.field.rows import put_row
from inspector.store.models import ClientState
from inspector.store.public import PersonPublic

# The keys
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
VISIT_DRAFT = "visit_draft"  # JSON: the visit being walked here (``domain.visit_drafts.to_json``)
DUE = "visits_due"  # JSON: {"at", "due"}: GET /api/visits/due as the last round fetched it (``sync.due``)

# What belongs to one person's copy of the server's data: forgotten when another logs in here.
COPY_KEYS = (CURSOR, NAMES, LAST_SYNC, LAST_ERROR, LAST_ERROR_CODE, LOGIN_NEEDED, CAMPAIGN, SAMPLES, RECORDS,
             UNBLIND, VISIT_DRAFT, DUE)


def get(session: Session, key: str) -> str | None:
    """The value kept under ``key``, or None."""
    row = session.get(ClientState, key)
    return row.value if row else None


def get_json(session: Session, key: str, default: Any = None) -> Any:
    """The JSON value kept under ``key``, or ``default``."""
    value = get(session, key)
    return json.loads(value) if value else default


def put(session: Session, key: str, value: str | None) -> None:
    """Keep ``value`` under ``key``; None removes the key."""
    put_row(session, ClientState, key, None if value is None else {"key": key, "value": value})


def put_many(session: Session, values: Mapping[str, str | None]) -> None:
    """``put`` each of ``values``."""
    for key, value in values.items():
        put(session, key, value)


def put_json(session: Session, key: str, value: Any) -> None:
    """Keep ``value`` as JSON (Chinese text as it is); None removes the key."""
    put(session, key, None if value is None else json.dumps(value, ensure_ascii=False))


def add_to_list(session: Session, key: str, value: str) -> None:
    """Add ``value`` to the JSON list under ``key``, once."""
    known = get_json(session, key, [])
    if value not in known:
        put_json(session, key, [*known, value])


def remove_from_list(session: Session, key: str, values: Iterable[str]) -> None:
    """Take ``values`` out of the JSON list under ``key`` (the key goes with its last value)."""
    done = set(values)
    if done:
        left = [v for v in get_json(session, key, []) if v not in done]
        put_json(session, key, left or None)


def merge_names(session: Session, names: Mapping[str, str]) -> None:
    """Add display names (user id -> name) to the ones kept for timelines; written only when they change."""
    known = get_json(session, NAMES, {})
    if any(known.get(k) != v for k, v in names.items()):
        put_json(session, NAMES, {**known, **names})


def device_id(session: Session, fresh: Callable[[], str]) -> str:
    """This data folder's device id, made with ``fresh`` the first time."""
    known = get(session, DEVICE)
    if known:
        return known
    made = fresh()
    put(session, DEVICE, made)
    return made


def user(session: Session) -> PersonPublic | None:
    """The person logged in on this device (or last logged in), as the server described them."""
    kept = get_json(session, USER)
    if not kept:
        return None
    return PersonPublic(id=kept["id"], username=kept["username"],
                        display_name=kept.get("display_name") or kept["username"], role=kept["role"],
                        office_code=kept.get("office"))


def user_id(session: Session) -> str:
    """The id of the person of this device; "" before the first login."""
    person = user(session)
    return person.id if person else ""


def keep_login(session: Session, server_url: str, token: str, expires_at: str, person: PersonPublic) -> None:
    """Keep a fresh login and clear what stood in its way (a refused token, the last error)."""
    kept = {"id": person.id, "username": person.username, "display_name": person.name, "role": person.role,
            "office": person.office_code}
    put_many(session, {TOKEN: token, TOKEN_EXPIRES: expires_at, USER: json.dumps(kept, ensure_ascii=False),
                       SERVER: server_url, LOGIN_NEEDED: None, LAST_ERROR: None, LAST_ERROR_CODE: None})


def forget_copy(session: Session) -> None:
    """Forget the facts of another person's (or server's) copy; the device id stays."""
    put_many(session, dict.fromkeys(COPY_KEYS))
