"""The campaign in force and its check rounds: read by everyone logged in, edited by admins.

There is one active campaign. When none is stored yet, the first read makes the
default one (``inspector.domain.campaign.default_campaign``: 夏季集中大整治 over
July and August of the current local year) and stores it, so its dates stay put.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Mapping

import uuid6

from inspector.domain import campaign as rules
from inspector.domain import catalog, schedules
from inspector.domain.campaign import Campaign
from inspector.domain.permissions import Actor
from inspector.domain.roles import DECIDERS, Role
from inspector.domain.text import check_text
from inspector.errors import Forbidden, InvalidRequest, UnknownOffice
from inspector.services.context import Context
from inspector.store import campaigns as campaign_store
from inspector.store import visit_queries
from inspector.store.campaigns import RoundPublic, StoredCampaign
from inspector.store.engine import read_session, write_session

EDITABLE = ("name", "phases", "offices", "categories", "look_back_days", "top_leaders", "visit_every")


@dataclass(frozen=True)
class CampaignView:
    id: str
    campaign: Campaign
    updated_at: datetime
    updated_by: str | None
    today: date  # the local day ``current_phase`` was judged on
    current_phase: str | None


def _today(ctx: Context) -> date:
    return ctx.now().astimezone(ctx.settings.zone).date()


def _stored(ctx: Context) -> StoredCampaign:
    """The stored active campaign, made from the default on first use."""
    with read_session(ctx.engine) as session:
        stored = campaign_store.active_campaign(session)
    if stored is not None:
        return stored
    with write_session(ctx.engine) as session:
        # Another request may have made it meanwhile (writers serialise).
        return campaign_store.active_campaign(session) or campaign_store.add_campaign(
            session, str(uuid6.uuid7()), rules.default_campaign(_today(ctx)), ctx.now(), None)


def active(ctx: Context) -> Campaign:
    """The campaign in force, as the domain's value."""
    return _stored(ctx).campaign


def _view(ctx: Context, stored: StoredCampaign) -> CampaignView:
    today = _today(ctx)
    return CampaignView(stored.id, stored.campaign, stored.updated_at, stored.updated_by, today,
                        rules.current_phase(stored.campaign, today))


def get_campaign(ctx: Context, actor: Actor) -> CampaignView:
    """The campaign in force with its current phase; anyone logged in may read it."""
    return _view(ctx, _stored(ctx))


def _changed(current: Campaign, changes: Mapping[str, Any]) -> Campaign:
    """``current`` with the fields of ``changes``, checked as a whole."""
    fields = {
        "name": current.name, "phases": current.phases, "offices": current.offices,
        "categories": current.categories, "look_back_days": current.look_back_days,
        "top_leaders": current.top_leaders, "visit_every": current.visit_every,
    }
    for name, value in changes.items():
        if value is None:
            raise InvalidRequest(problem=f"{name} cannot be null")
        if name == "phases":
            value = rules.phases_from(value)
        elif name in ("offices", "categories"):
            value = tuple(value)
        elif name in ("look_back_days", "top_leaders", "visit_every"):
            value = dict(value)
        fields[name] = value
    updated = rules.validate(Campaign(**fields, active=True))
    check_text(updated.name, "name")
    for leader in updated.top_leaders.values():
        check_text(leader, "top_leaders")
    return updated


def update_campaign(ctx: Context, actor: Actor, changes: Mapping[str, Any]) -> CampaignView:
    """Change the fields given (the others stay); admins only. The whole result must validate."""
    if actor.role != Role.ADMIN:
        raise Forbidden(action="campaign.update", role=actor.role)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidRequest(problem=f"cannot change {', '.join(sorted(unknown))}")
    _stored(ctx)  # made from the default on first use
    with write_session(ctx.engine) as session:
        current = campaign_store.active_campaign(session)  # read again under the write lock
        if changes.get("visit_every") is not None:  # the grid site type x check type -> days, checked whole
            changes = {**changes, "visit_every": _checked_visit_every(session, changes["visit_every"])}
        updated = _changed(current.campaign, changes)
        saved = campaign_store.save_campaign(session, current.id, updated, ctx.now(), actor.id)
    return _view(ctx, saved)


def _checked_visit_every(session, raw: Any) -> dict[str, dict[str, int]]:
    """The frequencies an admin sent, for the register's site types and the catalogue's check types."""
    try:
        return schedules.checked_frequencies(raw, visit_queries.site_types(session), catalog.CHECK_TYPES)
    except ValueError as exc:
        raise InvalidRequest(problem=str(exc)) from exc


def verify_payload(ctx: Context, item_category: str, note: str | None = None) -> dict:
    """The payload of a ``verified`` event: the campaign's look-back days for the category, and the note.

    The event carries the rule in force, so the item's look-back date never
    moves when the campaign's settings change later.
    """
    payload: dict[str, Any] = {"look_back_days": rules.look_back_days_for(active(ctx), item_category)}
    if note and note.strip():
        payload["note"] = note.strip()
    return payload


# --- check rounds ------------------------------------------------------------------------------
def list_rounds(ctx: Context, actor: Actor, office: str | None = None, on: date | None = None) -> list[RoundPublic]:
    """Rounds, newest first; ``office`` narrows to those it inspects or is inspected in, ``on`` to a day."""
    with read_session(ctx.engine) as session:
        return campaign_store.rounds(session, office, on)


def create_round(ctx: Context, actor: Actor, name: str, inspecting_office: str, inspected_office: str,
                 starts: date, ends: date, check_type: str = "cross") -> RoundPublic:
    """A cross-inspection round; supervisors and admins only."""
    if actor.role not in DECIDERS:
        raise Forbidden(action="rounds.create", role=actor.role)
    if not name or not name.strip():
        raise InvalidRequest(problem="name must not be empty")
    check_text(name, "name")
    if check_type != "cross":
        raise InvalidRequest(problem="check rounds are cross-inspections (check_type cross)")
    for office in (inspecting_office, inspected_office):
        if office not in catalog.OFFICE_CODES:
            raise UnknownOffice(office=office)
    if inspecting_office == inspected_office:
        raise InvalidRequest(problem="an office cannot cross-inspect itself")
    if ends < starts:
        raise InvalidRequest(problem=f"round ends ({ends}) before it starts ({starts})")
    new = RoundPublic(id=str(uuid6.uuid7()), name=name.strip(), check_type=check_type,
                      inspecting_office=inspecting_office, inspected_office=inspected_office, starts=starts,
                      ends=ends, created_by=actor.id, created_at=ctx.now())
    with write_session(ctx.engine) as session:
        return campaign_store.add_round(session, new)
