"""The field client's own tables: the outbox of events waiting to go up, and the client's state.

Re-exported by ``inspector.store.models`` (import them from there); kept apart only because one module
would pass 400 lines.
"""

from datetime import datetime

from sqlmodel import Field, SQLModel

from inspector.store.models import _json, _time

__all__ = ["OutboxEntry", "ClientState"]


class OutboxEntry(SQLModel, table=True):
    """A field client's event waiting to go up (or refused, kept to show why)."""

    __tablename__ = "outbox"
    position: int | None = Field(default=None, primary_key=True)
    id: str = Field(unique=True, max_length=36)
    item_id: str = Field(index=True, max_length=36)
    kind: str = Field(max_length=30)
    at: datetime = _time(nullable=False)
    base_version: int
    payload: dict = _json(dict)
    state: str = Field(default="pending", index=True, max_length=10)  # pending, rejected
    attempts: int = 0
    reason_code: str | None = Field(default=None, max_length=60)
    reason_message: str | None = None


class ClientState(SQLModel, table=True):
    """A field client's own facts: server, login, device id, pull cursor, last sync."""

    __tablename__ = "client_state"
    key: str = Field(primary_key=True, max_length=40)
    value: str | None = None
