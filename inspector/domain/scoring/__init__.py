"""The monthly exam (月考): per-office measures and a score, from the items' projected facts.

Pure: the items, the period, ``now`` and the campaign's zone are passed in.
Every number comes with the ids of the items behind it, so the Scores screen
can open the items behind any figure. Read in this order:

- ``periods``: the span of local days a board covers, and when overdue is judged;
- ``facts``: what scoring reads of an item;
- ``formula``: the weighed measures and the score;
- ``measures``: which items count, and how (the rules are written there), per office;
- ``coverage``: visits: windows due and covered, the average visit score, per office;
- ``charts``: items by office and status, the weekly trend;
- ``board``: the ranked scoreboard of every office.
"""

from inspector.domain.scoring.board import Scoreboard, build_scoreboard, ranked
from inspector.domain.scoring.charts import WeekPoint, status_by_office, weekly_trend
from inspector.domain.scoring.coverage import MonthVisits, SiteSchedule, VisitFact, Window, month_visits
from inspector.domain.scoring.facts import CLOSED_STATUSES, FIX_STANDS, Facts, Scored
from inspector.domain.scoring.formula import SCORED_MEASURES, ScoreFormula
from inspector.domain.scoring.measures import (
    ALL,
    Average,
    Count,
    OfficeScore,
    Rate,
    VisitFigures,
    closed_on_time,
    ever_verified,
    fixes_submitted,
    merged_score,
    office_score,
    overdue_at,
    settled_by,
)
from inspector.domain.scoring.periods import Period, as_of, days_period, month_period, opening_month

__all__ = [
    "ALL", "CLOSED_STATUSES", "FIX_STANDS", "SCORED_MEASURES", "Average", "Count", "Facts", "MonthVisits",
    "OfficeScore", "Period", "Rate", "ScoreFormula", "Scoreboard", "Scored", "SiteSchedule", "VisitFact",
    "VisitFigures", "WeekPoint", "Window", "as_of", "build_scoreboard", "closed_on_time", "days_period",
    "ever_verified", "fixes_submitted", "merged_score", "month_period", "month_visits",
    "office_score", "opening_month", "overdue_at", "ranked", "settled_by", "status_by_office", "weekly_trend",
]
