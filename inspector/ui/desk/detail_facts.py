"""The selected item's cards of words: its evidence (positions, clocks, their warnings), its facts, its timeline.

Pure drawing from a ``DeskItem``: no state, no actions (those are the
pane's, in ``detail``).
"""

from typing import Callable
from zoneinfo import ZoneInfo

import flet as ft

from inspector.domain.evidence import POOR_ACCURACY, accuracy_flags
from inspector.domain.lifecycle import ASSIGNING_KINDS, Kind
from inspector.geo.distance import Point
from inspector.geo.places import format_coordinates
from inspector.i18n import listed, t
from inspector.services.desk import DeskItem
from inspector.ui import theme
from inspector.ui.desk.parts import card, link, text
from inspector.ui.kinds import look, step_line

DEVICE_CLOCK_OFF_S = 600  # a device clock this far from the server's is named in the timeline
FACT_W = 92  # the facts' names


# ------------------------------------------------------------------ evidence
def line(icon, words: str, warn: bool = False, colour: str | None = None) -> ft.Control:
    colour = theme.DANGER if warn else (colour or theme.DESK_HEAD_INK)
    return ft.Row([ft.Icon(icon, size=theme.ICON_XS, color=colour),
                   text(words, color=colour, expand=True, selectable=True)],
                  spacing=theme.SPACE_S, vertical_alignment=ft.CrossAxisAlignment.START)


def warning(words: str) -> ft.Control:
    return ft.Container(ft.Row([ft.Icon(ft.Icons.WARNING_AMBER, size=theme.ICON_S, color=theme.DANGER),
                                text(words, color=theme.DANGER, weight=ft.FontWeight.BOLD, expand=True)],
                               spacing=theme.SPACE_S), bgcolor=theme.DANGER_BG,
                        padding=ft.Padding.symmetric(horizontal=theme.SPACE_M, vertical=theme.SPACE_S),
                        border_radius=theme.RADIUS_XS)


def clock_words(disagreements, lang: str) -> str:
    return "；".join(t("desk.evidence.clock_gap", lang, a=t(f"desk.clock.{a}", lang), b=t(f"desk.clock.{b}", lang),
                      minutes=f"{m:.0f}") for a, b, m in disagreements)


def location_warnings(e, lang: str) -> list[ft.Control]:
    """The doubts about one photo's position (``PhotoEvidence.location_flags``), one warning each."""
    words = {
        "poor_accuracy": lambda: t("desk.evidence.location_poor", lang, metres=f"{e.accuracy_m:.0f}"),
        "zero_accuracy": lambda: t("desk.evidence.location_zero", lang),
        "repeated_spot": lambda: t("desk.evidence.location_repeated", lang,
                                   days=listed((day.isoformat() for day in e.repeated_on), lang)),
        "mock_provider": lambda: t("desk.evidence.location_mocked", lang),
    }
    return [warning(words[flag]()) for flag in e.location_flags if flag in words]


def evidence(data: DeskItem, lang: str, zone: ZoneInfo, same_spot_m: float, accuracy_limit_m: float) -> ft.Control:
    """Where the item was reported and, per photo, its clocks and how far from the item it was taken."""
    loc = data.item.location
    where = format_coordinates(Point(loc.lat, loc.lon)) + " · " + t(f"source.{loc.source}", lang)
    if loc.accuracy_m is not None:
        where += f" · ±{loc.accuracy_m:.0f} m"
    poor = POOR_ACCURACY in accuracy_flags(loc.accuracy_m, accuracy_limit_m)  # the photos' rule, for the item
    rows: list[ft.Control] = [line(ft.Icons.PLACE, t("desk.evidence.item_location", lang, where=where), warn=poor)]
    if poor:
        rows.append(warning(t("desk.evidence.poor_accuracy", lang, metres=f"{loc.accuracy_m:.0f}")))
    for e in data.evidence:
        role = t(f"desk.role.{e.role}", lang)
        rows.append(ft.Divider(height=theme.SPACE_S, color=theme.PLACEHOLDER_BG))
        rows.append(text(t("desk.evidence.photo", lang, role=role, who=e.taken_by or "—"), size=theme.SMALL,
                         weight=ft.FontWeight.BOLD))
        camera = theme.local_time(e.camera_time, zone) if e.camera_time else t("desk.evidence.no_camera_time", lang)
        times = t("desk.evidence.times", lang, camera=camera, device=theme.local_time(e.device_time, zone),
                  server=theme.local_time(e.server_time, zone))
        rows.append(line(ft.Icons.SCHEDULE, times, warn=e.time_flagged))
        if e.time_flagged:
            rows.append(warning(t("desk.evidence.time_warning", lang, gaps=clock_words(e.time_disagreements, lang))))
        source = t(f"source.{e.location_source}", lang) if e.location_source else t("desk.evidence.no_position", lang)
        if e.distance_m is None:
            key = "desk.evidence.position" if e.role == "before" else "desk.evidence.position_unknown"
            rows.append(line(ft.Icons.MY_LOCATION, t(key, lang, source=source)))
        elif e.distance_flagged:
            rows.append(warning(t("desk.evidence.far", lang, metres=f"{e.distance_m:.0f}",
                                  limit=f"{same_spot_m:.0f}", source=source)))
        else:
            rows.append(line(ft.Icons.CHECK_CIRCLE, t("desk.evidence.near", lang, metres=f"{e.distance_m:.0f}",
                                                      source=source), colour=theme.OK))
        rows.extend(location_warnings(e, lang))
    flagged = sum(1 for e in data.evidence if e.time_flagged or e.distance_flagged or e.location_flags)
    title = t("desk.evidence.title", lang)
    if flagged:
        title += " · " + t("desk.evidence.flagged", lang, count=flagged)
    return card(rows, title=title, border=theme.DANGER if flagged else theme.LINE, spacing=theme.SPACE_S)


# ------------------------------------------------------------------ facts
def fact(key: str, value: str | None, lang: str, warn: bool = False) -> ft.Control | None:
    if not value:
        return None
    return ft.Row([text(t(key, lang), color=theme.MUTED, width=FACT_W),
                   text(value, expand=True, selectable=True, color=theme.DANGER if warn else None,
                        weight=ft.FontWeight.W_600 if warn else None)],
                  vertical_alignment=ft.CrossAxisAlignment.START)


def visit_line(visit, lang: str, zone: ZoneInfo) -> str | None:
    """来自检查 <site> <day> 得分 met/applicable: the visit whose failed point the item is (issue 11)."""
    if visit is None:
        return None
    return t("ui.desk.detail.from_visit", lang, site=visit.site_name, date=theme.local_time(visit.server_at, zone)[:10],
             met=visit.met, applicable=visit.applicable)


def visit_fact(data: DeskItem, lang: str, zone: ZoneInfo, on_visit: Callable | None) -> ft.Control | None:
    """The visit the item came from; with ``on_visit``, a link whose ``data`` is (the visit's id, the item's)."""
    words = visit_line(data.visit, lang, zone)
    if words is None or on_visit is None:
        return fact("desk.fact.visit", words, lang)
    return ft.Row([text(t("desk.fact.visit", lang), color=theme.MUTED, width=FACT_W),
                   ft.Container(link(words, on_visit, data=(data.visit.id, data.item.id),
                                     tooltip=t("desk.visit.open", lang)), expand=True)],
                  vertical_alignment=ft.CrossAxisAlignment.START)


def facts(data: DeskItem, lang: str, zone: ZoneInfo, now, on_visit: Callable | None = None) -> ft.Control:
    """The item's facts; ``on_visit`` opens the visit it came from (``visit_summary``), when there is one."""
    item = data.item
    extension = None
    if item.extension_until:
        extension = theme.local_time(item.extension_until, zone)[:10]
        if item.extension_reason:
            extension += f"（{item.extension_reason}）"
    rows = [
        fact("ui.item.office", t(f"office.{item.office}", lang), lang),
        fact("ui.item.supporting_offices",
             listed((t(f"office.{o}", lang) for o in item.supporting_offices), lang), lang),
        fact("ui.item.leader", item.leader, lang),
        fact("ui.item.site", data.site_name, lang),
        visit_fact(data, lang, zone, on_visit),
        fact("ui.item.check_type", t(f"check_type.{item.check_type}", lang), lang),
        fact("ui.item.severity", t(f"severity.{item.severity}", lang), lang),
        fact("desk.fact.reporter", data.reporter_name, lang),
        fact("ui.item.reported_at", theme.local_time(item.reported_at, zone), lang),
        fact("ui.item.deadline", theme.local_time(item.deadline, zone), lang, warn=item.overdue(now)),
        fact("ui.item.extension_until", extension, lang),
        fact("desk.fact.look_back", theme.local_time(item.look_back_due, zone), lang),
        fact("desk.fact.counts", t("desk.fact.counts_value", lang, rework=item.rework_count,
                                   rebound=item.rebound_count, extended=item.extensions_granted), lang),
        fact("desk.fact.last_reason", item.last_reason, lang),
        fact("ui.item.description", item.description, lang),
    ]
    return card([r for r in rows if r is not None], title=t("desk.fact.title", lang), spacing=theme.SPACE_S)


# ------------------------------------------------------------------ timeline
def timeline(data: DeskItem, lang: str, zone: ZoneInfo) -> ft.Control:
    """What happened, newest first, each entry edged in its status's colour (red for bad news)."""
    rows: list[ft.Control] = []
    for entry in reversed(data.timeline):
        when = theme.local_time(entry.at, zone)
        head = [text(t(f"kind.{entry.kind}", lang), size=theme.SMALL, weight=ft.FontWeight.BOLD),
                text(f"{entry.actor_name} · {when}", color=theme.MUTED)]
        if abs((entry.at - entry.device_at).total_seconds()) > DEVICE_CLOCK_OFF_S:
            head.append(text(t("desk.timeline.device_time", lang, time=theme.local_time(entry.device_at, zone)),
                             size=theme.DENSE_S, color=theme.WARN))
        lines: list[ft.Control] = [ft.Row(head, spacing=theme.SPACE_M, wrap=True)]
        p = entry.payload
        if entry.kind == "spot_checked":
            lines.append(text(t(f"desk.verdict.{p.get('verdict')}", lang),
                              color=theme.DANGER if p.get("verdict") == "disagree" else theme.OK,
                              weight=ft.FontWeight.W_600))
        for key in ("reason", "note", "text"):
            if p.get(key):
                lines.append(text(str(p[key])))
        if p.get("until"):
            lines.append(text(t("ui.item.until", lang, date=str(p["until"])[:10])))
        if look(entry.kind).step:  # D: a 督办 step says itself in words
            lines.append(text(step_line(entry.kind, p, lang, zone)))
        elif p.get("leader") and p.get("deadline"):
            lines.append(text(t("ui.item.leader_deadline", lang, leader=p["leader"], date=str(p["deadline"])[:10])))
        if entry.kind == Kind.RETURNED:
            lines.insert(1, text(t(f"return.reason.{p.get('reason_code')}", lang), color=theme.WARN,
                                 weight=ft.FontWeight.W_600))
        if entry.kind in ASSIGNING_KINDS and p.get("office"):
            offices = [t(f"office.{p['office']}", lang)]
            offices += [t("ui.item.supporting", lang, office=t(f"office.{o}", lang))
                        for o in p.get("supporting_offices") or ()]
            lines.append(text(" · ".join(offices), color=theme.MUTED))
        colour = theme.STATUS_COLOURS.get(entry.kind, (theme.PRIMARY,))[0]
        if look(entry.kind).bad_news:
            colour = theme.DANGER
        rows.append(ft.Container(ft.Column(lines, spacing=theme.SPACE_XXS),
                                 padding=ft.Padding(theme.SPACE_L, theme.SPACE_XS, theme.SPACE_S, theme.SPACE_XS),
                                 border=ft.Border(left=ft.BorderSide(theme.RULE_W, colour))))
    return card(rows, title=t("ui.item.timeline", lang), spacing=theme.SPACE_S)
