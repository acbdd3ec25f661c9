"""The one way this store writes a row by its key: replaced, created, or removed."""

from typing import Any, Mapping

from sqlmodel import Session, SQLModel


def put_row(session: Session, model: type[SQLModel], key: Any, values: Mapping[str, Any] | None) -> None:
    """Make the row of ``model`` under ``key`` hold ``values`` (None: no such row)."""
    row = session.get(model, key)
    if values is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(model(**values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)
