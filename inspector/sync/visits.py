"""Visits walked on the field client, offline: the draft in the local store, the finished visit in the outbox.

The checklists come down with each sync round into the field database's
``checklists`` table (read with ``store.checklists``, as on the server). The
draft being walked is one JSON value in ``client_state`` (``VISIT_DRAFT``), so
it outlives the screen and the app. ``finish`` puts the ``visited`` event and
then one ``reported`` per failed point into the outbox in one transaction
(``LocalStore.record_visit``); the photos and the push are the sync round's,
as for any report, and a failed point's report waits while its visit does
(``engine.hold_back``; the server also answers ``visit.unknown``, retryable).
Visit events are never items (``store.field.projection``) and never pulled:
the visits made here are read back by kind from the outbox (waiting, refused)
and from the events the server confirmed to this device.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from inspector.domain.events import Event, frozen_payload
from inspector.domain.payloads import Visited, refusal
from inspector.domain.visit_drafts import VisitDraft, from_json, to_json
from inspector.domain.visits import VISITED
from inspector.errors import NotAuthenticated
from inspector.services.visit_recording import (REFUSED, SENT, WAITING, ChecklistReads, Finished, VisitMade,
                                                made_events, new_id, site_of)
from inspector.store.engine import read_session
from inspector.store.field import mirror, outbox
from inspector.store.field import state as keys
from inspector.store.field.outbox import PENDING
from inspector.sync.local import parse_time, plain_json

if TYPE_CHECKING:
    from inspector.sync.field import FieldWorkspace

log = logging.getLogger(__name__)


class FieldVisits(ChecklistReads):
    """``services.visit_recording.Visits`` over the field client's local store."""

    def __init__(self, ws: "FieldWorkspace"):
        self.ws, self.store = ws, ws.store
        self.engine = ws.store.engine

    def draft(self) -> VisitDraft | None:
        kept = self.store.get_json(keys.VISIT_DRAFT)
        if not kept:
            return None
        try:
            return from_json(kept)
        except (KeyError, ValueError, TypeError) as error:  # an older app's draft: start again
            log.info("visit draft not restored: %s", error)
            return None

    def keep(self, draft: VisitDraft | None) -> None:
        kept = None if draft is None else json.dumps(to_json(draft), ensure_ascii=False)
        self.store.set(**{keys.VISIT_DRAFT: kept})

    def finish(self, draft: VisitDraft) -> Finished:
        """The visit and its reports in the outbox (committed on return), then a sync round is asked for."""
        if not self.store.get(keys.TOKEN):
            raise NotAuthenticated()  # logged out on purpose: nobody records in their name
        checklist = self.checklist_of(draft)
        made = made_events(draft, checklist, site_of(self.store.sites(), draft.site_id))
        actor, now = self.ws.actor, self.ws.now()
        visit, *reports = [Event(id=new_id(), item_id=m.item_id, kind=m.kind, actor_id=actor.id, at=now,
                                 base_version=0, payload=frozen_payload(plain_json(m.payload))) for m in made]
        problem = refusal(Visited, VISITED, dict(visit.payload), self.store.zone)
        if problem is not None:
            raise problem
        self.store.record_visit(actor, visit, reports)
        self.ws.client.auto.trigger()
        return Finished(draft.id, len(reports))

    def mine(self) -> list[VisitMade]:
        """Waiting and refused ones from the outbox, sent ones from the events confirmed here; newest first."""
        with read_session(self.store.engine) as session:
            me = keys.user_id(session)
            entries = outbox.entries(session, kind=VISITED)
            confirmed = [e for e in mirror.events_of_kind(session, VISITED) if e.actor_id == me]
        made = [VisitMade(e.item_id, str(e.payload.get("site") or ""), str(e.payload.get("check_type") or ""),
                          parse_time(e.at), dict(e.payload.get("results") or {}),
                          WAITING if e.state == PENDING else REFUSED, e.reason_message) for e in entries]
        made += [VisitMade(e.item_id, str(e.payload.get("site") or ""), str(e.payload.get("check_type") or ""),
                           e.at, dict(e.payload.get("results") or {}), SENT) for e in confirmed]
        return sorted(made, key=lambda v: v.at, reverse=True)

