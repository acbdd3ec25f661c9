"""The visits due, on the wire and kept on the field client for 待办 offline.

``GET /api/visits/due`` answers ``DueListOut``: for the caller, each (site,
check type) due today or overdue. Each sync round fetches it (``kept``: the
answer and when it came, as JSON in the field DB's ``client_state``), so the
phone's 待办 lists the visits due without the server (``due_here``): a site
this device visited since (its ``visited`` event still waiting in the outbox,
or confirmed after the list came: ``FieldVisits.mine``) drops out for that
check; the days overdue count on to this device's local day. The same list
gives the field client's "site overdue" notices (``overdue_here``).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, TypeAdapter

from inspector.domain.events import end_of_day
from inspector.domain.schedules import Due
from inspector.services.schedules import SITE_OVERDUE, DueVisit, SiteNotice, nearest_first, notice_scope
from inspector.services.visit_recording import SENT, WAITING
from inspector.store.field import state as keys
from inspector.sync.local import parse_time

if TYPE_CHECKING:
    from inspector.sync.field import FieldWorkspace


class DueOut(BaseModel):
    site: str
    check_type: str = Field(description="self, supervisor, ...")
    every_days: int = Field(description="the campaign's days between visits of this site type and check")
    last_visit: date | None = Field(description="the local day of the last visit of this check, or null")
    due: date = Field(description="the local day the visit is due; overdue the day after")
    days_overdue: int = Field(description="whole local days past the due day (0: due today)")


class DueListOut(BaseModel):
    due: list[DueOut]


def due_out(entries: list[Due], today: date) -> DueListOut:
    """The answer of ``GET /api/visits/due`` on the local day ``today``."""
    return DueListOut(due=[DueOut(site=e.site_id, check_type=e.check_type, every_days=e.every_days,
                                  last_visit=e.last_visit, due=e.due, days_overdue=e.days_overdue(today))
                           for e in entries])


def kept(answer: DueListOut, at: datetime) -> str:
    """What a round keeps under ``state.DUE``: the answer and when it came."""
    return json.dumps({"at": at.isoformat(), "due": answer.model_dump(mode="json")["due"]}, ensure_ascii=False)


_KEPT = TypeAdapter(list[DueOut])


def due_here(ws: "FieldWorkspace", lat: float | None, lon: float | None) -> list[DueVisit]:
    """The visits due from what the last round kept, without those this device has visited since."""
    store = ws.store
    kept = store.get_json(keys.DUE) or {}
    entries = _KEPT.validate_python(kept.get("due") or [])
    since = parse_time(kept["at"]) if kept.get("at") else None
    visited = {(v.site_id, v.check_type) for v in ws.visits.mine()
               if v.state == WAITING or (v.state == SENT and since is not None and v.at >= since)}
    due = [Due(e.site, e.check_type, e.every_days, e.last_visit, e.due) for e in entries
           if (e.site, e.check_type) not in visited]
    today = ws.now().astimezone(store.zone).date()
    return nearest_first(due, {s.id: s for s in store.sites()}, today, lat, lon)


def overdue_here(ws: "FieldWorkspace") -> list[SiteNotice]:
    """The sites gone overdue, as notices, from the kept list: for their office (self checks) and the
    supervisors, as the server tells them (``services.schedules.overdue_notices``)."""
    if notice_scope(ws.actor) is None:
        return []
    late = sorted((v for v in due_here(ws, None, None) if v.days_overdue > 0), key=lambda v: v.due.due)
    return [SiteNotice(SITE_OVERDUE, "", None, end_of_day(v.due.due, ws.store.zone), site_id=v.due.site_id,
                       site_name=v.site.name if v.site else "", check_type=v.due.check_type) for v in late]
