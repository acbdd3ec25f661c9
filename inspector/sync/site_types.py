"""Site types on the wire and on the field client, so a phone names an admin-added type offline (issue 11).

``GET /api/site-types`` answers ``SiteTypesOut`` (the route in ``server.routes.sites``; this client reads
it with ``ApiClient.site_types``). Each sync round fetches it beside the checklists (``refresh``) and
keeps it in the field database's own ``site_types`` table (the server's table, made by the same schema;
``store.site_types.replace_all``): an added type with the names the admin gave it, a shipped one with
none, so the phone's catalogues name it in the person's language. The phone reads them back as the
server's web UI does (``services.visit_recording.ChecklistReads.site_types``), and shows them with
``services.sites.site_type_name``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from inspector.store import site_types as type_store
from inspector.store.engine import write_session

if TYPE_CHECKING:
    from inspector.sync.client import ApiClient
    from inspector.sync.local import LocalStore


class SiteTypeOut(BaseModel):
    code: str
    names: dict[str, str] = Field(description="the shown name in each language")
    shipped: bool = Field(description="one of the four kinds every installation has")


class SiteTypesOut(BaseModel):
    site_types: list[SiteTypeOut]


def kept_names(answer: SiteTypesOut) -> dict[str, dict[str, str]]:
    """What the field client keeps of an answer: code -> an added type's names (none for a shipped one)."""
    return {st.code: {} if st.shipped else dict(st.names) for st in answer.site_types}


def keep(store: "LocalStore", answer: SiteTypesOut, at: datetime) -> None:
    """Keep exactly the server's site types in the field database (fetched ``at``)."""
    with write_session(store.engine) as session:
        type_store.replace_all(session, kept_names(answer), at)


def refresh(store: "LocalStore", api: "ApiClient", retrying: Callable, at: datetime) -> None:
    """A round's lists for visits offline: the current checklists, then the site types that name them."""
    store.replace_checklists(retrying(api.checklists), at)
    keep(store, retrying(api.site_types), at)
