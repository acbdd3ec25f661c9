"""Cross-inspection rounds on the field client, so a phone names the round of a cross check offline (issue 11).

``GET /api/rounds`` answers every round, newest first (``RoundOut``: the store's ``RoundPublic``, no column
held back; the route in ``server.routes.oversight``; this client reads it with ``ApiClient.rounds``). Each
sync round fetches it beside the checklists and site types (``refresh``) and keeps it in the field
database's own ``check_rounds`` table (the server's table, made by the same schema;
``store.campaigns.replace_rounds``). The visit and report screens read them back as the server's web UI
does (``services.visit_recording.ChecklistReads.rounds``) and offer those that fit
(``domain.rounds.fitting_rounds``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from inspector.domain.catalog import OFFICE_CODES
from inspector.store import campaigns as round_store
from inspector.store.campaigns import RoundPublic
from inspector.store.engine import write_session

if TYPE_CHECKING:
    from inspector.sync.client import ApiClient
    from inspector.sync.local import LocalStore


def keep(store: "LocalStore", answer: list[RoundPublic]) -> None:
    """Keep exactly the server's rounds in the field database.

    A round between offices this app's catalogue does not know (a newer server's) is left out: the field
    database's offices are the catalogue's, and one such row must not stop every sync round.
    """
    known = [r for r in answer if {r.inspecting_office, r.inspected_office} <= set(OFFICE_CODES)]
    with write_session(store.engine) as session:
        round_store.replace_rounds(session, known)


def refresh(store: "LocalStore", api: "ApiClient", retrying: Callable) -> None:
    """A sync round's copy of the rounds, for naming one offline."""
    keep(store, retrying(api.rounds))
