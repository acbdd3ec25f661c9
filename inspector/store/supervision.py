"""督办 (D): the SQL of the sweep and of the supervision list, and the server's own account.

``due_candidates`` loads the items the office holds whose deadline is near or past (a superset: the domain's
``supervision.due_steps`` decides); ``supervised`` loads the items at supervision level 1 or 2 an actor may
see; ``ensure_system_account`` makes the one account of ``Role.SYSTEM`` that the steps are recorded by.
"""

from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from inspector.domain import accounts
from inspector.domain.items import AT_OFFICE, ItemState
from inspector.domain.permissions import Actor
from inspector.domain.roles import Role
from inspector.domain.supervision import SYSTEM_USER_ID, SYSTEM_USERNAME
from inspector.store import queries
from inspector.store.convert import item_state
from inspector.store.models import Item, User

NO_PASSWORD = "!"  # no password hashes to this: the account cannot log in (and it is disabled)
SYSTEM_DISPLAY_NAME = "系统 System"  # one name in both languages: it is the server, not a person


def due_candidates(session: Session, horizon: datetime) -> list[ItemState]:
    """The items the office holds whose deadline is at or before ``horizon``, oldest deadline first."""
    rows = session.exec(select(Item).where(Item.status.in_(AT_OFFICE), Item.deadline.is_not(None),
                                           Item.deadline <= horizon)
                        .order_by(Item.deadline, Item.id)).all()
    return [item_state(row) for row in rows]


def supervised(session: Session, actor: Actor) -> list[ItemState]:
    """The items at supervision level 1 or 2 that ``actor`` may see."""
    rows = session.exec(select(Item).where(queries.visible_to(actor), Item.supervision >= 1,
                                           Item.status.in_(AT_OFFICE))).all()
    return [item_state(row) for row in rows]


def ensure_system_account(session: Session, now: datetime) -> None:
    """Make the server's own account if it is not there (two servers at once: one of them makes it)."""
    maker = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(maker(User.__table__).on_conflict_do_nothing(), [{
        "id": SYSTEM_USER_ID, "username": SYSTEM_USERNAME, "username_key": accounts.username_key(SYSTEM_USERNAME),
        "display_name": SYSTEM_DISPLAY_NAME, "password_hash": NO_PASSWORD, "role": Role.SYSTEM,
        "office_code": None, "disabled": True, "created_at": now,
    }])
