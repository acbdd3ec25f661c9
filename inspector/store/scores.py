"""The query behind the monthly scoreboard: the few columns scoring reads, of the items a period touches.

Loading is narrow on purpose: one query, each of its alternatives served by
an index, fetches only the columns scoring reads (no JSON, no text) of the
items a period can touch - assigned, reported or verified in it, or possibly
overdue at its end - as plain tuples. (Aggregating in SQL instead, ids by
``group_concat``, was tried: no faster on SQLite, and it would state every
rule of ``inspector.domain.scoring`` twice.)
"""

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from inspector.domain import catalog
from inspector.domain.items import AT_OFFICE
from inspector.domain.scoring.facts import NOT_A_TASK
from inspector.domain.scoring import Facts, Period
from inspector.store.models import Item

# The columns scoring reads, in the order and under the names of ``scoring.Facts``.
SCORED_COLUMNS = tuple(
    getattr(Item, "office_code" if name == "office" else name).label(name) for name in Facts._fields
)


def scored_items(session: Session, period: Period, when: datetime, offices: list[str] | None) -> list[Facts]:
    """Every item ``period`` can touch, as ``Facts`` (a superset: scoring decides what counts).

    One query, each alternative served by an index (SQLite: a multi-index OR;
    PostgreSQL: a bitmap OR): assigned, reported or verified in the period;
    or possibly overdue at ``when`` - still with the office past its deadline
    (status, deadline), fixed only after ``when`` (fix_submitted_at, deadline:
    the deadline is checked inside the index), or dismissed or merged after ``when``.
    """
    touched = or_(
        and_(Item.assigned_at >= period.start, Item.assigned_at < period.end),
        and_(Item.reported_at >= period.start, Item.reported_at < period.end),
        and_(Item.verified_at >= period.start, Item.verified_at < period.end),
        and_(Item.status.in_(AT_OFFICE), Item.deadline < when),
        and_(Item.fix_submitted_at > when, Item.deadline < when),
        and_(Item.status.in_(NOT_A_TASK), Item.closed_at > when, Item.deadline < when),
    )
    statement = select(*SCORED_COLUMNS).where(touched)
    if offices is not None and not set(offices) >= catalog.OFFICE_CODES:
        statement = statement.where(Item.office_code.in_(offices))
    # Core, not the ORM session: plain tuples, no ORM loading machinery per row.
    return [Facts._make(row) for row in session.connection().execute(statement)]
