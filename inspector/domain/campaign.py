"""The campaign: its phases, the offices and categories it covers, its look-back rules and top leaders.

A campaign (e.g. 夏季集中大整治) runs in three phases the plan names:
publicity and deployment (宣传布置), concentrated rectification (集中整治) and
summary (总结提高). The plan's dates were lost, so each campaign sets its own.
Pure values and rules: the service stores them, the clock is passed in.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

from inspector.domain import catalog
from inspector.errors import InvalidRequest

PHASE_CODES: tuple[str, ...] = ("publicity", "rectification", "summary")
DEFAULT_NAME = "夏季集中大整治"
MAX_NAME = 200
MAX_LEADER = 120


@dataclass(frozen=True)
class Phase:
    code: str
    starts: date  # first local day
    ends: date  # last local day, inclusive

    def holds(self, day: date) -> bool:
        return self.starts <= day <= self.ends


@dataclass(frozen=True)
class Campaign:
    name: str
    phases: tuple[Phase, ...]
    offices: tuple[str, ...] = tuple(o.code for o in catalog.OFFICES)
    categories: tuple[str, ...] = tuple(c.code for c in catalog.CATEGORIES)
    look_back_days: Mapping[str, int] = field(default_factory=dict)  # category -> days; others: the catalogue's
    top_leaders: Mapping[str, str] = field(default_factory=dict)  # office -> the top leader's name
    active: bool = True
    # site type -> check type -> days between visits (issue 11); empty: ``schedules.DEFAULT_VISIT_EVERY``
    visit_every: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


def default_campaign(today: date) -> Campaign:
    """The summer campaign of ``today``'s year, as the plan lays it out over July and August.

    Publicity early in the month (July 1-10), concentrated rectification from
    mid-month to early next month (July 11 - August 10), summary from mid to end
    of month (August 11-31: the written summary is due by the end of August).
    A date after August gives that year's (past) summer: an admin sets the next one.
    """
    year = today.year
    return Campaign(
        name=DEFAULT_NAME,
        phases=(
            Phase("publicity", date(year, 7, 1), date(year, 7, 10)),
            Phase("rectification", date(year, 7, 11), date(year, 8, 10)),
            Phase("summary", date(year, 8, 11), date(year, 8, 31)),
        ),
    )


def problems(campaign: Campaign) -> list[str]:
    """What is wrong with a campaign, in words for an admin; empty when it holds."""
    found: list[str] = []
    if not campaign.name or not campaign.name.strip():
        found.append("name must not be empty")
    elif len(campaign.name) > MAX_NAME:
        found.append(f"name is longer than {MAX_NAME} characters")
    if not campaign.phases:
        found.append("at least one phase is needed")
    seen: set[str] = set()
    for phase in campaign.phases:
        if phase.code not in PHASE_CODES:
            found.append(f"unknown phase {phase.code!r} (one of {', '.join(PHASE_CODES)})")
        elif phase.code in seen:
            found.append(f"phase {phase.code} is listed twice")
        seen.add(phase.code)
        if phase.ends < phase.starts:
            found.append(f"phase {phase.code} ends ({phase.ends}) before it starts ({phase.starts})")
    for before, after in zip(campaign.phases, campaign.phases[1:]):
        if after.starts <= before.ends:
            found.append(f"phase {after.code} starts ({after.starts}) before {before.code} ends ({before.ends})")
        if (before.code in PHASE_CODES and after.code in PHASE_CODES
                and PHASE_CODES.index(after.code) < PHASE_CODES.index(before.code)):
            found.append(f"phase {after.code} cannot come after {before.code}")
    if not campaign.offices:
        found.append("at least one office is needed")
    for office in campaign.offices:
        if office not in catalog.OFFICE_CODES:
            found.append(f"unknown office {office!r}")
    if not campaign.categories:
        found.append("at least one category is needed")
    for code in campaign.categories:
        if code not in catalog.CATEGORY_BY_CODE:
            found.append(f"unknown category {code!r}")
    for code, days in campaign.look_back_days.items():
        if code not in catalog.CATEGORY_BY_CODE:
            found.append(f"look_back_days names an unknown category {code!r}")
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
            found.append(f"look_back_days of {code} must be a whole number of days from 1 to 365")
    for office, name in campaign.top_leaders.items():
        if office not in catalog.OFFICE_CODES:
            found.append(f"top_leaders names an unknown office {office!r}")
        if not isinstance(name, str) or not name.strip():
            found.append(f"top leader of {office} must be a name")
        elif len(name) > MAX_LEADER:
            found.append(f"top leader of {office} is longer than {MAX_LEADER} characters")
    return found


def validate(campaign: Campaign) -> Campaign:
    """The campaign itself, or ``InvalidRequest`` naming every problem."""
    found = problems(campaign)
    if found:
        raise InvalidRequest(problem="; ".join(found))
    return campaign


def current_phase(campaign: Campaign | None, today: date) -> str | None:
    """The code of the phase ``today`` (a local day) falls in; ``None`` between or outside phases."""
    if campaign is None or not campaign.active:
        return None
    for phase in campaign.phases:
        if phase.holds(today):
            return phase.code
    return None


def look_back_days_for(campaign: Campaign | None, category: str) -> int:
    """Days from verification to look-back: the campaign's rule for the category, else the catalogue's."""
    if campaign is not None:
        days = campaign.look_back_days.get(category)
        if days:
            return int(days)
    return catalog.category(category).look_back_days


def top_leader_for(campaign: Campaign | None, office: str) -> str | None:
    """The office's top leader (一把手) named by the campaign, if any."""
    if campaign is None:
        return None
    name = campaign.top_leaders.get(office)
    return name.strip() if isinstance(name, str) and name.strip() else None


# --- plain data (JSON columns, API bodies) ---------------------------------------------------
def _day(value: Any, what: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise InvalidRequest(problem=f"{what} {value!r} is not a date (YYYY-MM-DD)")


def phases_from(data: Any) -> tuple[Phase, ...]:
    """Phases from a JSON list of ``{code, starts, ends}``."""
    if not isinstance(data, (list, tuple)):
        raise InvalidRequest(problem="phases must be a list")
    phases = []
    for entry in data:
        if not isinstance(entry, Mapping) or not {"code", "starts", "ends"} <= set(entry):
            raise InvalidRequest(problem="each phase needs code, starts and ends")
        phases.append(Phase(str(entry["code"]), _day(entry["starts"], "starts"), _day(entry["ends"], "ends")))
    return tuple(phases)


def phases_data(phases: tuple[Phase, ...]) -> list[dict]:
    return [{"code": p.code, "starts": p.starts.isoformat(), "ends": p.ends.isoformat()} for p in phases]
