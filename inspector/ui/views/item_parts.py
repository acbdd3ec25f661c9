"""The read-only parts of the item screen, top to bottom: header, the verdict I gave, photos, facts, timeline.

Each takes the ``ItemView`` (its item, its timeline, its language) and returns
controls; the view puts them together (``views.item``). A blind item (a spot
checker's before their check) shows no status, deadline, after-photos or verdicts.
"""

from typing import TYPE_CHECKING

import flet as ft

from inspector.domain.roles import Role
from inspector.geo.distance import Point
from inspector.geo.places import format_coordinates
from inspector.i18n import listed, t
from inspector.ui import theme
from inspector.ui.kinds import look, step_line
from inspector.ui.widgets import (badge, boxed, deadline_badge, muted, office_badges, photo_box, rebound_badge,
                                  section_title, status_chip, waiting_badge)

if TYPE_CHECKING:
    from inspector.ui.views.item import ItemView

FACT_LABEL_W = 88  # the width of a fact's label column
MORE_PHOTOS = 4  # further photos shown small under the first


def header(view: "ItemView") -> ft.Control:
    """Status, deadline and flags, the category, and why a fix was sent back."""
    lang, item, now = view.lang, view.item, view.app.now()
    if view.data.blind:  # no status, deadline or verdict: the site is judged as it is
        return ft.Column([ft.Row([badge(t("ui.oversight.spot.blind", lang), bg=theme.PLACEHOLDER_BG, fg=theme.INK)]),
                          ft.Text(t(f"category.{item.category}", lang), size=theme.HEADLINE,
                                  weight=ft.FontWeight.BOLD),
                          muted(t("ui.oversight.spot.blind_hint", lang))], spacing=theme.SPACE_M)
    chips: list[ft.Control] = [status_chip(item.status, lang)]
    if (d := deadline_badge(item, now, lang)) is not None:
        chips.append(d)
    if item.rebounded:
        chips.append(rebound_badge(item, lang))
    if item.extension_pending:
        chips.append(waiting_badge(t("ui.item.extension_pending", lang)))
    chips += office_badges(item, view.ws.actor, lang)
    lines = [ft.Row(chips, wrap=True, spacing=theme.SPACE_S, run_spacing=theme.SPACE_XS),
             ft.Text(t(f"category.{item.category}", lang), size=theme.HEADLINE, weight=ft.FontWeight.BOLD)]
    if item.last_reason and item.status in ("rectifying", "assigned"):
        lines.append(ft.Text(t("ui.item.last_reason", lang, reason=item.last_reason), color=theme.DANGER,
                             size=theme.BODY))
    return ft.Column(lines, spacing=theme.SPACE_M)


def my_findings(view: "ItemView") -> list:
    """This person's spot checks of the item, newest last (refused ones left out)."""
    me = view.ws.actor.id
    return [e for e in view.data.timeline if e.kind == "spot_checked" and e.actor_id == me and not e.rejection]


def finding(view: "ItemView") -> ft.Control | None:
    """The verdict this spot checker gave, on top, once they gave one."""
    findings = my_findings(view) if view.ws.actor.role == Role.SPOT_CHECKER and not view.data.blind else []
    if not findings:
        return None
    lang, last = view.lang, findings[-1]
    agree = last.payload.get("verdict") == "agree"
    colour = theme.OK if agree else theme.DANGER
    lines: list[ft.Control] = [ft.Text(t("ui.oversight.spot.your_verdict", lang, verdict=t(
        f"ui.oversight.spot.{'agree' if agree else 'disagree'}", lang)), size=theme.TITLE, weight=ft.FontWeight.BOLD,
        color=colour)]
    if last.payload.get("note"):
        lines.append(ft.Text(str(last.payload["note"]), size=theme.BODY))
    if last.pending:
        lines.append(muted(t("ui.oversight.spot.full_after_sync", lang), theme.SMALL))
    return ft.Container(ft.Column(lines, spacing=theme.SPACE_XS), padding=theme.SPACE_XL,
                        border_radius=theme.RADIUS_S, bgcolor=theme.SURFACE,
                        border=ft.Border.all(theme.BORDER_BOLD, colour))


def photo_side(view: "ItemView", title: str, shas: tuple[str, ...] | list[str], empty: str) -> ft.Control:
    """One side (before or after): the first photo large (tap to zoom), the next ones small."""
    box = dict(height=theme.PHOTO_H, bgcolor=theme.PLACEHOLDER_BG, border_radius=theme.RADIUS_S,
               alignment=ft.Alignment.CENTER)
    if not shas:
        main: ft.Control = ft.Container(muted(empty, theme.SMALL, text_align=ft.TextAlign.CENTER), **box)
        extra: list[ft.Control] = []
    else:
        cache = view.app.thumb_cache
        first = cache.get(f"{shas[0]}:display") or cache.get(shas[0])
        main = ft.Container(
            ft.Image(src=first, height=theme.PHOTO_H, fit=ft.BoxFit.COVER, border_radius=theme.RADIUS_S) if first
            else ft.Icon(ft.Icons.IMAGE, size=theme.ICON_XXL, color=theme.PLACEHOLDER),
            on_click=view.zoom, data=shas[0], tooltip=t("ui.item.zoom", view.lang), ink=True, **box)
        extra = [photo_box(cache.get(s), theme.THUMB_XS, on_click=view.zoom) for s in shas[1:1 + MORE_PHOTOS]]
        for small, sha in zip(extra, shas[1:1 + MORE_PHOTOS]):
            small.data = sha
    return ft.Column([ft.Text(title, size=theme.SMALL, weight=ft.FontWeight.BOLD, color=theme.MUTED), main,
                      ft.Row(extra, spacing=theme.SPACE_XS, wrap=True)], spacing=theme.SPACE_XS, expand=True)


def photos(view: "ItemView") -> ft.Control:
    lang = view.lang
    after = t("ui.oversight.spot.after_hidden", lang) if view.data.blind else t("ui.item.no_fix_yet", lang)
    return ft.Row([
        photo_side(view, t("ui.item.before", lang), view.item.photos, t("ui.item.no_photo", lang)),
        photo_side(view, t("ui.item.after", lang), view.item.fix_photos, after),
    ], spacing=theme.SPACE_L, vertical_alignment=ft.CrossAxisAlignment.START)


def fact(view: "ItemView", key: str, value: str | None) -> ft.Control | None:
    if not value:
        return None
    return ft.Row([muted(t(key, view.lang), theme.SMALL, width=FACT_LABEL_W),
                   ft.Text(value, size=theme.BODY, expand=True, selectable=True)],
                  vertical_alignment=ft.CrossAxisAlignment.START)


def facts(view: "ItemView") -> ft.Control:
    """Office, leader, site, check type, severity, position, times, description: what is known."""
    lang, item, zone = view.lang, view.item, view.app.zone
    loc = item.location
    where = format_coordinates(Point(loc.lat, loc.lon)) + " · " + t(f"source.{loc.source}", lang)
    if loc.accuracy_m is not None:
        where += f" · ±{loc.accuracy_m:.0f} m"
    rows = [
        fact(view, "ui.item.office", t(f"office.{item.office}", lang)),
        fact(view, "ui.item.supporting_offices",
             listed((t(f"office.{o}", lang) for o in item.supporting_offices), lang)),
        fact(view, "ui.item.leader", item.leader),
        fact(view, "ui.item.site", view.app.site_name(item.site_id)),
        fact(view, "ui.item.check_type", t(f"check_type.{item.check_type}", lang)),
        fact(view, "ui.item.severity", t(f"severity.{item.severity}", lang)),
        fact(view, "ui.item.location", where),
        fact(view, "ui.item.reported_at", theme.local_time(item.reported_at, zone)),
        None if view.data.blind else fact(view, "ui.item.deadline", theme.local_time(item.deadline, zone)),
        fact(view, "ui.item.extension_until", theme.local_time(item.extension_until, zone)),
        fact(view, "ui.item.description", item.description),
    ]
    return boxed([r for r in rows if r is not None], spacing=theme.SPACE_M)


def timeline(view: "ItemView") -> ft.Control:
    """Every event, newest first: what, who, when, and what it said (a refusal in red)."""
    lang, zone = view.lang, view.app.zone
    rows: list[ft.Control] = [section_title(t("ui.item.timeline", lang))]
    for entry in reversed(view.data.timeline):
        head = [ft.Text(t(f"kind.{entry.kind}", lang), size=theme.BODY, weight=ft.FontWeight.BOLD)]
        if entry.pending:
            head.append(waiting_badge(t("ui.item.pending", lang)))
        if entry.rejection:
            head.append(badge(t("ui.item.refused", lang)))
        lines: list[ft.Control] = [ft.Row(head, spacing=theme.SPACE_S, wrap=True),
                                   muted(f"{entry.actor_name} · {theme.local_time(entry.at, zone)}", theme.SMALL)]
        p = entry.payload
        for key in ("reason", "note", "text"):
            if p.get(key):
                lines.append(ft.Text(str(p[key]), size=theme.BODY))
        if p.get("until"):
            lines.append(ft.Text(t("ui.item.until", lang, date=str(p["until"])[:10]), size=theme.BODY))
        if entry.kind == "evidence_added" and p.get("photos"):  # B: fresh photos from a report found a duplicate
            lines.append(ft.Text(t("ui.item.evidence_photos", lang, count=len(p["photos"])), size=theme.BODY))
        if entry.kind == "spot_checked" and p.get("verdict") in ("agree", "disagree"):
            lines.append(ft.Text(t("ui.oversight.spot.verdict_line", lang,
                                   verdict=t(f"ui.oversight.spot.{p['verdict']}", lang)), size=theme.BODY,
                                 weight=ft.FontWeight.W_600,
                                 color=theme.OK if p["verdict"] == "agree" else theme.DANGER))
        if look(entry.kind).step:  # D: a 督办 step says itself in words
            lines.append(ft.Text(step_line(entry.kind, p, lang, zone), size=theme.BODY))
        elif p.get("leader") and p.get("deadline"):
            lines.append(ft.Text(t("ui.item.leader_deadline", lang, leader=p["leader"],
                                   date=str(p["deadline"])[:10]), size=theme.BODY))
        if entry.rejection:
            lines.append(ft.Text(t("ui.item.refused_because", lang, reason=entry.rejection),
                                 size=theme.BODY, color=theme.DANGER, weight=ft.FontWeight.W_600))
        rows.append(ft.Container(ft.Column(lines, spacing=theme.SPACE_XXS),
                                 padding=ft.Padding(theme.SPACE_XL, theme.SPACE_M, theme.SPACE_M, theme.SPACE_M),
                                 border=ft.Border(left=ft.BorderSide(theme.RULE_W, theme.DANGER if entry.rejection
                                                                     else theme.PRIMARY))))
    return ft.Column(rows, spacing=theme.SPACE_M)
