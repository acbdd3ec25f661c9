"""The one way a store module reads a row by its primary key and hands out its public model."""

from typing import TypeVar

from sqlmodel import Session, SQLModel

from inspector.store.public import Public

P = TypeVar("P", bound=Public)


def public_by_key(session: Session, table: type[SQLModel], key: str, model: type[P]) -> P | None:
    """``model`` of the ``table`` row whose primary key is ``key``; ``None`` when there is none."""
    row = session.get(table, key)
    return model.of(row) if row is not None else None
