"""Oversight: the campaign, check rounds, look-backs, delegations, spot-check samples, reviews,
office records and notices. Thin: each route parses, calls one service, shapes the answer."""

from datetime import date, datetime, timezone
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from inspector.domain.campaign import look_back_days_for
from inspector.domain.schedules import visit_every_of
from inspector.i18n import t
from inspector.i18n.notices import notice_message, notice_title
from inspector.server.deps import ActorDep, BodyDay, ContextDep, LangDep, PlainParameters, Word, day_query
from inspector.server.errors import AUTHENTICATED, WITH_BODY, error_responses
from inspector.server.shapes import LookBackOut, ReviewOut, look_back_out, review_out
from inspector.services import campaigns, notifications, oversight
from inspector.services.campaigns import CampaignView
from inspector.store.campaigns import RoundPublic
from inspector.store.delegations import DelegationPublic
from inspector.store.oversight_public import SamplePublic
from inspector.sync.wire import CampaignOut, LocationOut, NoticeOut, NoticesOut, PhaseOut, Strict

router = APIRouter(prefix="/api", tags=["oversight"], dependencies=[PlainParameters],
                   responses=error_responses(*AUTHENTICATED))
FORBIDDEN = {403: {"description": "the role may not do this"}}
BODY = error_responses(*WITH_BODY)
MISSING = error_responses(404)


# --- campaign -----------------------------------------------------------------------------------
class PhaseIn(Strict):
    code: str = Field(description="publicity | rectification | summary")
    starts: BodyDay = Field(description="first local day")
    ends: BodyDay = Field(description="last local day, inclusive")


class CampaignIn(Strict):
    """Fields to change; those left out stay as they are."""

    name: str | None = Field(None, max_length=200)
    phases: list[PhaseIn] | None = Field(None, description="in date order, not overlapping")
    offices: list[str] | None = None
    categories: list[str] | None = None
    look_back_days: dict[str, int] | None = Field(None, description="category -> days from verification "
                                                                    "to look-back; others use the catalogue's")
    top_leaders: dict[str, str] | None = Field(None, description="office -> its top leader (一把手), who "
                                                                 "takes on items that rebound twice")
    visit_every: dict[str, dict[str, int]] | None = Field(
        None, max_length=100, description="site type -> check type -> days between visits; {} for the defaults")


def _campaign_out(view: CampaignView, lang: str) -> CampaignOut:
    c = view.campaign
    return CampaignOut(
        id=view.id, name=c.name,
        phases=[PhaseOut(code=p.code, name=t(f"phase.{p.code}", lang), starts=p.starts, ends=p.ends)
                for p in c.phases],
        offices=list(c.offices), categories=list(c.categories), look_back_days=dict(c.look_back_days),
        look_back_days_in_force={code: look_back_days_for(c, code) for code in c.categories},
        top_leaders=dict(c.top_leaders), active=c.active, today=view.today, current_phase=view.current_phase,
        visit_every={k: dict(v) for k, v in c.visit_every.items()}, visit_every_in_force=visit_every_of(c.visit_every),
        current_phase_name=t(f"phase.{view.current_phase or 'none'}", lang),
        updated_at=view.updated_at, updated_by=view.updated_by,
    )


@router.get("/campaign", response_model=CampaignOut)
def get_campaign(actor: ActorDep, ctx: ContextDep, lang: LangDep) -> CampaignOut:
    """The campaign in force and its current phase. The first read makes the default summer campaign."""
    return _campaign_out(campaigns.get_campaign(ctx, actor), lang)


@router.put("/campaign", response_model=CampaignOut, responses={**FORBIDDEN, **BODY})
def put_campaign(body: CampaignIn, actor: ActorDep, ctx: ContextDep, lang: LangDep) -> CampaignOut:
    """Change the campaign (admins). Only the fields sent change; the result must hold as a whole."""
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    return _campaign_out(campaigns.update_campaign(ctx, actor, changes), lang)


# --- check rounds ---------------------------------------------------------------------------------
class RoundIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    check_type: str = Field("cross", description="cross (交叉检查)")
    inspecting_office: str
    inspected_office: str
    starts: BodyDay
    ends: BodyDay


class RoundOut(RoundPublic):
    """A round as the API shows it: the store's public model, no column held back."""


def _round_out(r: RoundPublic) -> RoundOut:
    return RoundOut.model_validate(r, from_attributes=True)


@router.get("/rounds", response_model=list[RoundOut])
def list_rounds(actor: ActorDep, ctx: ContextDep, office: Word = None,
                on: Annotated[date | None, day_query("only rounds running on this local day")] = None):
    """Cross-inspection rounds, newest first. A ``reported`` event may name one as payload ``round``."""
    return [_round_out(r) for r in campaigns.list_rounds(ctx, actor, office, on)]


@router.post("/rounds", response_model=RoundOut, status_code=201, responses={**FORBIDDEN, **BODY})
def create_round(body: RoundIn, actor: ActorDep, ctx: ContextDep) -> RoundOut:
    """A new cross-inspection round (supervisors and admins)."""
    return _round_out(campaigns.create_round(ctx, actor, body.name, body.inspecting_office, body.inspected_office,
                                             body.starts, body.ends, body.check_type))


# --- look-backs -------------------------------------------------------------------------------------
@router.get("/look-backs", response_model=list[LookBackOut])
def look_backs(
    actor: ActorDep, ctx: ContextDep,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    within_days: Annotated[int, Query(ge=0, le=365)] = 2,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
):
    """Verified items whose look-back (回头看) is due within ``within_days`` or overdue, nearest first."""
    now = ctx.now()
    return [look_back_out(lb, now) for lb in oversight.look_backs_due(ctx, actor, lat, lon, within_days, limit)]


# --- delegations ---------------------------------------------------------------------------------------
class DelegationIn(Strict):
    user_id: str
    offices: list[str] = []
    sites: list[str] = []
    starts: str | None = Field(None, description="date (start of that local day) or time with offset")
    ends: str | None = Field(None, description="date (end of that local day) or time with offset")


class DelegationOut(BaseModel):
    id: str
    user_id: str
    offices: list[str]
    sites: list[str]
    starts: datetime | None = Field(description="items reported from then on")
    ends: datetime | None = Field(description="items reported up to then")
    created_at: datetime


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(timezone.utc)


def _delegation_out(d: DelegationPublic) -> DelegationOut:
    return DelegationOut(id=d.id, user_id=d.user_id, offices=d.offices or [], sites=d.sites or [],
                         starts=_utc(d.starts), ends=_utc(d.ends), created_at=_utc(d.created_at))


@router.get("/delegations", response_model=list[DelegationOut], responses=FORBIDDEN)
def list_delegations(actor: ActorDep, ctx: ContextDep, user_id: Word = None) -> list[DelegationOut]:
    """Spot checkers' delegated scopes (admins; a spot checker gets their own)."""
    return [_delegation_out(d) for d in oversight.list_delegations(ctx, actor, user_id)]


@router.post("/delegations", response_model=DelegationOut, status_code=201, responses={**FORBIDDEN, **BODY})
def create_delegation(body: DelegationIn, actor: ActorDep, ctx: ContextDep) -> DelegationOut:
    """Delegate a spot checker offices and/or sites to check (admins)."""
    return _delegation_out(oversight.delegate(ctx, actor, body.user_id, body.offices, body.sites, body.starts,
                                              body.ends))


@router.delete("/delegations/{delegation_id}", status_code=204, responses={**FORBIDDEN, **MISSING})
def delete_delegation(delegation_id: str, actor: ActorDep, ctx: ContextDep) -> Response:
    """Take a delegation back (admins); it stops counting at once."""
    oversight.revoke_delegation(ctx, actor, delegation_id)
    return Response(status_code=204)


# --- spot-check samples ------------------------------------------------------------------------------------
class SampleIn(Strict):
    user_id: str = Field(description="the spot checker the sample is for")
    size: int = Field(ge=1, le=1000)
    seed: int | None = Field(None, ge=0, le=oversight.MAX_SEED, description="omit for a random 63-bit seed")


class SampleItemOut(BaseModel):
    id: str
    number: str | None
    status: str
    category: str
    office: str
    site: str | None
    location: LocationOut
    checked: bool = Field(description="the sample's spot checker has recorded a spot check of it")


class SampleOut(BaseModel):
    id: str
    user_id: str
    seed: str = Field(description="decimal; recompute with random.Random(int(seed)).sample(sorted(candidates), "
                                  "min(size, len(candidates)))")
    size: int
    candidate_count: int
    item_ids: list[str] = Field(description="in the order drawn")
    items: list[SampleItemOut]
    drawn_by: str
    drawn_at: datetime


class SampleCheckOut(BaseModel):
    sample_id: str
    matches: bool
    message: str
    seed: str
    size: int
    candidate_ids: list[str]
    recorded: list[str]
    recomputed: list[str]


def _sample_out(ctx, sample: SamplePublic) -> SampleOut:
    rows, checked = oversight.sample_items(ctx, sample)
    items = [SampleItemOut(id=r.id, number=r.number, status=r.status, category=r.category, office=r.office_code,
                           site=r.site_id, location=LocationOut(lat=r.lat, lon=r.lon, accuracy_m=r.accuracy_m,
                                                                source=r.location_source),
                           checked=r.id in checked)
             for i in sample.item_ids or [] if (r := rows.get(i)) is not None]
    return SampleOut(id=sample.id, user_id=sample.user_id, seed=sample.seed, size=sample.size,
                     candidate_count=len(sample.candidate_ids or []), item_ids=list(sample.item_ids or []),
                     items=items, drawn_by=sample.drawn_by, drawn_at=sample.drawn_at)


@router.post("/spot-samples", response_model=SampleOut, status_code=201, responses={**FORBIDDEN, **BODY})
def draw_sample(body: SampleIn, actor: ActorDep, ctx: ContextDep) -> SampleOut:
    """Draw verified or closed items in a spot checker's scope for them to re-inspect (admins); recorded."""
    return _sample_out(ctx, oversight.draw(ctx, actor, body.user_id, body.size, body.seed))


@router.get("/spot-samples", response_model=list[SampleOut], responses=FORBIDDEN)
def list_samples(actor: ActorDep, ctx: ContextDep, user_id: Word = None) -> list[SampleOut]:
    """Recorded draws, newest first: a spot checker's own, or all (admins and supervisors)."""
    return [_sample_out(ctx, s) for s in oversight.list_samples(ctx, actor, user_id)]


@router.get("/spot-samples/{sample_id}", response_model=SampleOut, responses=MISSING)
def get_sample(sample_id: str, actor: ActorDep, ctx: ContextDep) -> SampleOut:
    return _sample_out(ctx, oversight.get_sample(ctx, actor, sample_id))


@router.get("/spot-samples/{sample_id}/verify", response_model=SampleCheckOut, responses=MISSING)
def verify_sample(sample_id: str, actor: ActorDep, ctx: ContextDep, lang: LangDep) -> SampleCheckOut:
    """Recompute the draw from its recorded seed and candidates and say whether it gives the recorded items."""
    check = oversight.verify_sample(ctx, actor, sample_id)
    s = check.sample
    return SampleCheckOut(sample_id=s.id, matches=check.matches,
                          message=t("oversight.sample.matches" if check.matches else "oversight.sample.differs", lang),
                          seed=s.seed, size=s.size, candidate_ids=list(s.candidate_ids or []),
                          recorded=list(s.item_ids or []), recomputed=check.recomputed)


# --- reviews of disputed verdicts ---------------------------------------------------------------------------
@router.get("/reviews", response_model=list[ReviewOut], responses=FORBIDDEN)
def list_reviews(actor: ActorDep, ctx: ContextDep, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[ReviewOut]:
    """Items a spot checker disagreed on (supervisors, admins). Answer with a ``reopened`` event
    (reason, leader, deadline) or ``dispute_dismissed`` (reason) through push."""
    now = ctx.now()
    return [review_out(r, now) for r in oversight.reviews(ctx, actor, limit)]


# --- an office's record ------------------------------------------------------------------------------------
class OfficeRecordOut(BaseModel):
    office: str
    name: str
    items: int
    open: int
    overdue: int = Field(description="with the office past the deadline now")
    avg_days_to_fix: float | None = Field(description="assigned to (last) fix submitted, over verified and "
                                                      "closed items")
    reworks: int = Field(description="fixes sent back, summed")
    rebounds: int = Field(description="rebounds, summed")
    rebounded_items: int
    escalated: int = Field(description="items that rebounded twice or more")
    disputed: int
    spot_agree: int
    spot_disagree: int
    labels: dict[str, str] = Field(description="field -> its name in the request's language")


RECORD_FIELDS = ("items", "open", "overdue", "avg_days_to_fix", "reworks", "rebounds", "rebounded_items",
                 "escalated", "disputed", "spot_agree", "spot_disagree")


@router.get("/offices/{code}/record", response_model=OfficeRecordOut, responses={**FORBIDDEN, **MISSING})
def office_record(code: str, actor: ActorDep, ctx: ContextDep, lang: LangDep) -> OfficeRecordOut:
    """Counts over an office's items, for closer supervision of slow offices: supervisors, admins, the
    office itself and spot checkers delegated that office."""
    record = oversight.office_record(ctx, actor, code)
    return OfficeRecordOut(**{f: getattr(record, f) for f in RECORD_FIELDS}, office=record.office,
                           name=t(f"office.{record.office}", lang),
                           labels={f: t(f"oversight.record.{f}", lang) for f in RECORD_FIELDS})


# --- notices -------------------------------------------------------------------------------------------------
def _notice_out(notice, item, now: datetime, lang: str) -> NoticeOut:
    site, check_type = getattr(notice, "site_id", None), getattr(notice, "check_type", None)  # a site overdue
    return NoticeOut(kind=notice.kind, item_id=notice.item_id, number=notice.number, at=notice.at,
                     title=notice_title(notice.kind, lang), site=site, check_type=check_type,
                     message=notice_message(notice.kind, notice.at, now, lang, number=notice.number,
                                            category=item.category if item else None,
                                            reason=item.last_reason if item else None,
                                            site=getattr(notice, "site_name", None), check_type=check_type))


@router.get("/notifications", response_model=NoticesOut)
def list_notifications(actor: ActorDep, ctx: ContextDep, lang: LangDep,
                       limit: Annotated[int, Query(ge=1, le=500)] = 100) -> NoticesOut:
    """What needs this user's attention now, most pressing first (computed, not stored)."""
    board = notifications.notice_board(ctx, actor, limit)
    return NoticesOut(total=board.total, notices=[_notice_out(n, board.items.get(n.item_id), board.now, lang)
                                                  for n in board.notices])
