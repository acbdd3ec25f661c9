"""What a campaign summary (小结) holds: the items of a period and an office, their scores, photo pairs.

Gathered once, then written as PDF, XLSX or CSV by the sibling modules. The
items are those *reported* in the period (local days, both ends included);
the scoreboard is that of the same period (see ``inspector.domain.scoring``
for which items each measure counts), with its visits: per office the visits
made, the windows due and covered, the average visit score and the failed
visits; per site the visits, the last one and their average score
(``office_visits``, ``site_visits``: read off the board, so the report and the
scoreboard cannot disagree).
"""

import io
import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PIL import Image

from inspector.domain.figures import readable_offices
from inspector.domain.items import AT_OFFICE, CLOSED, VERIFIED
from inspector.domain.permissions import Actor
from inspector.domain.scoring import Period, VisitFact, days_period
from inspector.errors import InspectorError, InvalidRequest
from inspector.i18n import DEFAULT_LANG, t
from inspector.services import photos, scores
from inspector.services.context import Context
from inspector.services.progress import Steps
from inspector.store import reports as store
from inspector.store.engine import read_session
from inspector.store.reports import ReportedItem

log = logging.getLogger(__name__)
MAX_PAIRS = 8  # before/after pairs printed in a PDF
PAIR_LONG_EDGE = 900  # px: sharp at 85 mm wide, small in the file


@dataclass(frozen=True)
class ItemLine:
    """One item's facts, as offices work with them in a spreadsheet."""

    id: str
    number: str | None
    category: str
    office: str
    site: str | None  # the site's name
    status: str
    reported_at: datetime
    deadline: datetime | None
    leader: str | None
    fixed_at: datetime | None
    verified_at: datetime | None
    rework_count: int
    rebound_count: int
    overdue: bool
    lat: float
    lon: float
    description: str


@dataclass(frozen=True)
class PhotoPair:
    item: ItemLine
    before: bytes  # JPEG
    after: bytes


@dataclass(frozen=True)
class Summary:
    lang: str
    office: str | None  # None: every office the reader may see
    offices: list[str]
    period: Period
    generated_at: datetime
    zone: Any
    items: list[ItemLine]
    scores: scores.ScoreboardView
    pairs: list[PhotoPair]

    def local(self, when: datetime | None) -> datetime | None:
        """A stored UTC time as a naive local time (what spreadsheets hold)."""
        return None if when is None else when.astimezone(self.zone).replace(tzinfo=None)

    @property
    def office_name(self) -> str:
        return t(f"office.{self.office}", self.lang) if self.office else t("report.all_offices", self.lang)


@dataclass(frozen=True)
class OfficeVisits:
    """An office's visits in the period, as the scoreboard counts them."""

    office: str  # "" for every office together
    visits: int
    covered: int  # windows covered
    due: int  # windows due
    coverage: float | None
    visit_score: float | None  # the mean ratio met / applicable
    failed: int


@dataclass(frozen=True)
class SiteVisits:
    """A site's visits in the period."""

    site: str
    name: str
    office: str
    visits: int
    last_visit: date | None
    visit_score: float | None
    failed: int
    covered: int
    due: int


def office_visits(summary: "Summary") -> list[OfficeVisits]:
    """Each office's row of the board's visit figures, then the all-offices row."""
    board = summary.scores.board
    out = []
    for row in (*board.offices, board.overall):
        f = row.visiting
        out.append(OfficeVisits(row.office, f.visits.value, f.coverage.numerator.value, f.coverage.denominator.value,
                                f.coverage.value, f.visit_score.value, f.failed.value))
    return out


def site_visits(summary: "Summary") -> list[SiteVisits]:
    """Every site visited or due in the period, by office then name."""
    board = summary.scores.board
    made: dict[str, list[VisitFact]] = {}
    names: dict[str, tuple[str, str]] = {}
    for v in board.visits:
        made.setdefault(v.site, []).append(v)
        names.setdefault(v.site, (v.site_name, v.office))
    windows: dict[str, list[bool]] = {}
    for w in board.windows:
        windows.setdefault(w.site, []).append(w.covered)
        names[w.site] = (w.site_name, w.office)  # the site's office now
    out = []
    for site, (name, office) in names.items():
        visits = made.get(site, [])
        ratios = [v.ratio for v in visits if v.ratio is not None]
        due = windows.get(site, [])
        out.append(SiteVisits(site, name, office, len(visits), max((v.day for v in visits), default=None),
                              sum(ratios) / len(ratios) if ratios else None, sum(1 for v in visits if not v.passed),
                              sum(due), len(due)))
    return sorted(out, key=lambda s: (s.office, s.name, s.site))


def parse_day(value: str | date | None, name: str) -> date | None:
    """A day given as ``YYYY-MM-DD`` (or already a date); ``InvalidRequest`` naming ``name`` otherwise."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidRequest(problem=f"{name} {value!r} is not a date (YYYY-MM-DD)") from None


def resolve_period(ctx: Context, offices: list[str], first_day: date | None, last_day: date | None) -> Period:
    """The period asked for; without a start, from the first item reported; without an end, today."""
    zone = ctx.settings.zone
    today = ctx.now().astimezone(zone).date()
    last_day = last_day or today
    if first_day is None:
        with read_session(ctx.engine) as session:
            first = store.first_reported_at(session, offices)
        first_day = min(first.astimezone(zone).date(), last_day) if first else last_day
    if last_day < first_day:
        raise InvalidRequest(problem="the period ends before it starts")
    return days_period(first_day, last_day, zone)


def _line(row: ReportedItem, now: datetime) -> ItemLine:
    return ItemLine(
        id=row.id, number=row.number, category=row.category, office=row.office_code, site=row.site_name,
        status=row.status, reported_at=row.reported_at, deadline=row.deadline, leader=row.leader,
        fixed_at=row.fix_submitted_at, verified_at=row.verified_at, rework_count=row.rework_count,
        rebound_count=row.rebound_count,
        overdue=row.status in AT_OFFICE and row.deadline is not None and now > row.deadline,
        lat=row.lat, lon=row.lon, description=row.description or "",
    )


def item_lines(ctx: Context, offices: list[str], period: Period, now: datetime) -> list[ItemLine]:
    """Every item reported in the period by one of ``offices``, oldest first."""
    with read_session(ctx.engine) as session:
        rows = store.reported_items(session, offices, period)
    return [_line(r, now) for r in rows]


def _shrunk(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (PAIR_LONG_EDGE, PAIR_LONG_EDGE))  # JPEG: decode at a reduced scale
        image = image.convert("RGB")
        image.thumbnail((PAIR_LONG_EDGE, PAIR_LONG_EDGE))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=78)
        return out.getvalue()


def photo_pairs(ctx: Context, actor: Actor, lines: list[ItemLine], limit: int = MAX_PAIRS,
                steps: Steps | None = None) -> list[PhotoPair]:
    """Before/after display copies of the most recently verified items that have both; ``steps`` is told
    ``limit`` steps in all (one each pair tried, the rest at once when there are fewer)."""
    steps = steps or Steps(None)
    closed = sorted((line for line in lines if line.status in (VERIFIED, CLOSED) and line.verified_at),
                    key=lambda line: line.verified_at, reverse=True)
    if not closed:
        steps.tick(limit)
        return []
    by_id = {line.id: line for line in closed}
    with read_session(ctx.engine) as session:
        shots = store.photo_lists(session, by_id)
    both = [line for line in closed if all(shots.get(line.id, ([], [])))]
    pairs, tried = [], 0
    for line in both:
        before, after = shots[line.id]
        try:
            pair = PhotoPair(line, _shrunk(photos.photo_bytes(ctx, actor, before[0], "display")),
                             _shrunk(photos.photo_bytes(ctx, actor, after[0], "display")))
        except (InspectorError, OSError) as error:  # a photo not (yet) in the blob store: leave the pair out
            log.warning("photo pair of %s left out: %s", line.id, error)
            continue
        finally:
            tried += 1
            if tried <= limit:  # the photos are the slow part: a step each pair tried
                steps.tick()
        pairs.append(pair)
        if len(pairs) >= limit:
            break
    if tried < limit:
        steps.tick(limit - tried)
    return pairs


def gather(ctx: Context, actor: Actor, office: str | None = None, first_day: date | None = None,
           last_day: date | None = None, lang: str = DEFAULT_LANG, with_photos: bool = False,
           steps: Steps | None = None) -> Summary:
    """Everything a summary shows, for what ``actor`` may see (``Forbidden`` otherwise); ``steps`` counts
    the items and the scores read, then (``with_photos``) ``MAX_PAIRS`` steps for the photo pairs."""
    steps = steps or Steps(None)
    steps.add(2 + (MAX_PAIRS if with_photos else 0))
    offices = readable_offices(actor, office)
    if actor.is_office:
        office = actor.office
    now = ctx.now()
    period = resolve_period(ctx, offices, first_day, last_day)
    lines = item_lines(ctx, offices, period, now)
    steps.tick()
    board = scores.period_scoreboard(ctx, actor, period, office, lang, now=now)
    steps.tick()
    pairs = photo_pairs(ctx, actor, lines, steps=steps) if with_photos else []
    return Summary(lang=lang, office=office, offices=offices, period=period, generated_at=now,
                   zone=ctx.settings.zone, items=lines, scores=board, pairs=pairs)
