"""The visit screen's controls: the site list, the checklist's cards, the finish sheet (``views.visit``).

Each function takes the ``VisitView`` and keeps on it the controls a handler
or a test needs (``view.sites_box``, ``view.cards``, ``view.finish_button``...);
the state they show lives on the view and its draft, so a rebuild loses nothing.
A point's three buttons share a row, each a third of a 412 px screen and
``theme.BUTTON_H`` high: one thumb reaches them walking round a site.
"""

from typing import TYPE_CHECKING

import flet as ft

from inspector.domain.checklists import CheckPoint, Verdict
from inspector.domain.visit_drafts import standing
from inspector.geo.distance import Point, distance_m
from inspector.i18n import t
from inspector.services.sites import site_type_name
from inspector.ui import theme
from inspector.ui.messages import field_error
from inspector.ui.views import round_choice
from inspector.ui.widgets import bottom_bar, boxed, listing, muted, photo_tile, section_title, tagged, wide_button

if TYPE_CHECKING:
    from inspector.ui.views.visit import VisitView

SITES_SHOWN = 20  # nearest first; a search finds the rest
MINE_SHOWN = 5
VERDICT_COLOUR = {Verdict.PASS: theme.OK, Verdict.FAIL: theme.DANGER, Verdict.NOT_APPLICABLE: theme.NEUTRAL}
VERDICT_ICON = {Verdict.PASS: ft.Icons.CHECK_CIRCLE, Verdict.FAIL: ft.Icons.CANCEL,
                Verdict.NOT_APPLICABLE: ft.Icons.REMOVE_CIRCLE_OUTLINE}


def start_button(app, on_click) -> ft.Control:
    """待办's "开始检查": a visit of a site picked next (or the one being walked)."""
    return tagged(wide_button(t("ui.visit.start", app.lang), on_click=on_click, icon=ft.Icons.FACT_CHECK),
                  "start-visit")


# --- the site list -------------------------------------------------------------------------------
def type_name(view: "VisitView", code: str) -> str:
    """A site type's shown name in the view's language: an added type's own, a shipped one's catalogue words."""
    return site_type_name(code, view.site_types.get(code), view.lang)


def distance_words(metres: float, lang: str) -> str:
    if metres < 1000:
        return t("ui.visit.distance_m", lang, metres=f"{metres:.0f}")
    return t("ui.visit.distance_km", lang, km=f"{metres / 1000:.1f}")


def ranked_sites(view: "VisitView") -> list[tuple[object, float | None]]:
    """The sites matching the search, nearest first with their distance (by name without a position)."""
    query = view.query.casefold()
    sites = [s for s in view.app.sites if not query or query in s.name.casefold()]
    if view.fix is None:
        return [(s, None) for s in sorted(sites, key=lambda s: s.name)]
    here = Point(view.fix.lat, view.fix.lon)
    return sorted(((s, distance_m(here, Point(s.lat, s.lon))) for s in sites), key=lambda pair: pair[1])


def site_row(view: "VisitView", site, metres: float | None) -> ft.Control:
    lang = view.lang
    facts = t("ui.visit.site_line", lang, type=type_name(view, site.kind),
              office=t(f"office.{site.office_code}", lang))
    trailing = [ft.Text(distance_words(metres, lang), size=theme.SMALL, weight=ft.FontWeight.W_600,
                        color=theme.INFO_INK)] if metres is not None else []
    return tagged(ft.Container(
        ft.Row([ft.Icon(ft.Icons.PLACE, color=theme.PRIMARY),
                ft.Column([ft.Text(site.name, size=theme.BODY, weight=ft.FontWeight.W_600, color=theme.TEXT),
                           muted(facts, theme.SMALL)], spacing=theme.SPACE_XXS, expand=True),
                *trailing], spacing=theme.SPACE_M),
        data=site.id, on_click=view.on_site, ink=True, padding=theme.SPACE_XL, bgcolor=theme.SURFACE,
        border_radius=theme.RADIUS, border=ft.Border.all(theme.BORDER, theme.LINE)), f"site-{site.id}")


def fill_sites(view: "VisitView") -> None:
    ranked = ranked_sites(view)[:SITES_SHOWN]
    rows = [site_row(view, site, metres) for site, metres in ranked]
    view.site_rows = rows
    view.sites_box.content = ft.Column(rows or [muted(t("ui.visit.no_sites", view.lang))], spacing=theme.SPACE_M)


def made_lines(view: "VisitView") -> list[ft.Control]:
    """The visits made on this device, newest first: where, as what, the score, sent or waiting."""
    lang = view.lang
    if not view.made:
        return []
    lines: list[ft.Control] = [section_title(t("ui.visit.mine", lang))]
    for made in view.made[:MINE_SHOWN]:
        words = t("ui.visit.made_line", lang, site=view.app.site_name(made.site_id) or made.site_id,
                  check_type=t(f"check_type.{made.check_type}", lang), met=made.met, applicable=made.applicable,
                  state=t(f"ui.visit.state.{made.state}", lang), at=view.app.short_time(made.at))
        lines.append(muted(words, theme.SMALL))
    return lines


def site_screen(view: "VisitView") -> ft.Control:
    lang = view.lang
    view.search_field = ft.TextField(label=t("ui.visit.search", lang), value=view.query, on_change=view.on_query,
                                     prefix_icon=ft.Icons.SEARCH, text_size=theme.BODY)
    view.sites_box = ft.Container()
    fill_sites(view)
    hint = t("ui.visit.nearest", lang) if view.fix is not None else t("ui.visit.no_position", lang)
    head: list[ft.Control] = [section_title(t("ui.visit.pick_site", lang))]
    if view.message:
        head.append(ft.Text(view.message, size=theme.BODY, color=theme.DANGER, weight=ft.FontWeight.W_600))
    head += [view.search_field, muted(hint, theme.SMALL), view.sites_box, *made_lines(view)]
    return listing(head)


# --- the checklist -------------------------------------------------------------------------------
def verdict_button(view: "VisitView", code: str, verdict: Verdict, chosen: str | None) -> ft.Control:
    """合格 / 不合格 / 不适用: filled in its colour when chosen."""
    on = chosen == verdict
    colour = VERDICT_COLOUR[verdict]
    style = ft.ButtonStyle(shape=ft.RoundedRectangleBorder(radius=theme.RADIUS_S),
                           text_style=ft.TextStyle(size=theme.BODY, weight=ft.FontWeight.BOLD),
                           padding=ft.Padding(theme.SPACE_XS, 0, theme.SPACE_XS, 0),
                           bgcolor=colour if on else theme.SURFACE, color=theme.ON_COLOUR if on else colour,
                           side=ft.BorderSide(theme.BORDER_BOLD, colour))
    return ft.Button(content=t(f"ui.visit.verdict.{verdict.value}", view.lang),
                     icon=VERDICT_ICON[verdict] if on else None, style=style, height=theme.BUTTON_H, expand=1,
                     data=f"{code}:{verdict.value}", on_click=view.on_verdict)


def failed_part(view: "VisitView", point: CheckPoint) -> list[ft.Control]:
    """A failed point: what it becomes, its photos (one at least), the photo button, a note."""
    lang = view.lang
    mark = view.draft.marks[point.code]
    helper = view.point_photos(point.code)
    tiles = [photo_tile(view.thumbs.get(sha), theme.THUMB_L, f"{point.code}:{sha}", view.on_remove_photo,
                        tooltip=t("ui.report.remove_photo", lang)) for sha in mark.photos]
    tiles += [ft.Container(ft.ProgressRing(width=20, height=20), width=theme.THUMB_L, height=theme.THUMB_L,
                           bgcolor=theme.PLACEHOLDER_BG, border_radius=theme.RADIUS_S, alignment=ft.Alignment.CENTER)
              for _ in helper.intake.incoming]
    action = helper.picker.action()
    photo_button = ft.FilledTonalButton(
        t("ui.visit.add_photo", lang) if not mark.photos else t("ui.visit.more_photos", lang),
        icon=ft.Icons.PHOTO_CAMERA, height=theme.TAP, action=action,
        on_click=None if action else view.on_pick, data=point.code)
    note = ft.TextField(label=t("ui.visit.note", lang), value=mark.note, data=point.code, on_change=view.on_note,
                        on_blur=view.on_note_blur, text_size=theme.BODY, multiline=True, max_lines=3)
    parts: list[ft.Control] = [muted(t("ui.visit.becomes", lang, category=t(f"category.{point.category}", lang)),
                                     theme.SMALL)]
    if tiles:
        parts.append(ft.Row(tiles, scroll=ft.ScrollMode.AUTO, spacing=theme.SPACE_M))
    else:
        parts.append(ft.Text(t("ui.visit.photo_needed", lang), size=theme.SMALL, color=theme.DANGER,
                             weight=ft.FontWeight.W_600))
    parts += [ft.Row([photo_button], wrap=True), note]
    return parts


def point_card(view: "VisitView", point: CheckPoint, number: int) -> ft.Container:
    """One point: its number and words (★ when starred), the three buttons, and when failed its photos."""
    mark = view.draft.marks.get(point.code)
    chosen = mark.verdict if mark else None
    words = f"{number}. {point.words(view.lang)}"
    head = ft.Row([ft.Text(words, size=theme.BODY, color=theme.TEXT, expand=True, weight=ft.FontWeight.W_600)],
                  vertical_alignment=ft.CrossAxisAlignment.START)
    if point.starred:
        head.controls.append(ft.Icon(ft.Icons.STAR, color=theme.DANGER, size=theme.ICON_L,
                                     tooltip=t("ui.visit.starred", view.lang)))
    lines: list[ft.Control] = [head, ft.Row([verdict_button(view, point.code, v, chosen) for v in Verdict],
                                            spacing=theme.SPACE_S)]
    if chosen == Verdict.FAIL:
        lines += failed_part(view, point)
    outline = VERDICT_COLOUR[Verdict(chosen)] if chosen else theme.LINE
    return ft.Container(ft.Column(lines, spacing=theme.SPACE_M), padding=theme.SPACE_XL, bgcolor=theme.SURFACE,
                        border_radius=theme.RADIUS, border=ft.Border.all(theme.BORDER_BOLD if chosen else theme.BORDER,
                                                                         outline))


def fill_progress(view: "VisitView") -> None:
    where = standing(view.draft, view.checklist)
    view.progress_text.value = t("ui.visit.progress", view.lang, checked=where.checked, total=where.total)
    view.progress_bar.value = where.checked / where.total if where.total else 0


def fill_bar(view: "VisitView") -> None:
    """Over 完成: what it found missing; on it, the score so far once every point is marked."""
    where = standing(view.draft, view.checklist)
    score = where.score
    if score is not None and score.applicable:
        words = t("ui.visit.finish_score", view.lang, met=score.met, applicable=score.applicable)
    else:
        words = t("ui.visit.finish", view.lang)
    view.finish_button.content = words
    view.finish_problem.value = view.problem or ""
    view.finish_problem.visible = bool(view.problem)


def walk_screen(view: "VisitView") -> ft.Control:
    lang = view.lang
    site = view.site
    facts = t("ui.visit.site_line", lang, type=type_name(view, site.kind),
              office=t(f"office.{site.office_code}", lang))
    head: list[ft.Control] = [ft.Text(site.name, size=theme.HEADLINE, weight=ft.FontWeight.BOLD, color=theme.INK),
                              muted(facts + " · " + t("ui.visit.version", lang, version=view.checklist.version),
                                    theme.SMALL)]
    if len(view.check_types) > 1:
        view.check_type_dropdown = ft.Dropdown(
            label=t("ui.visit.check_type", lang), value=view.draft.check_type, on_select=view.on_check_type,
            options=[ft.DropdownOption(key=c, text=t(f"check_type.{c}", lang)) for c in view.check_types],
            expand=True, text_size=theme.BODY)
        head.append(ft.Row([view.check_type_dropdown]))
    head.append(round_choice.box(view, view.draft.check_type, site.office_code, view.draft.round_id,
                                 view.on_round))  # a cross check's round
    view.progress_text = ft.Text("", size=theme.BODY, weight=ft.FontWeight.BOLD, color=theme.INK)
    view.progress_bar = ft.ProgressBar(value=0, bar_height=6, color=theme.PRIMARY, bgcolor=theme.LINE)
    view.progress_box = ft.Column([view.progress_text, view.progress_bar], spacing=theme.SPACE_XS)
    fill_progress(view)
    view.rest_button = ft.OutlinedButton(t("ui.visit.rest_pass", lang), icon=ft.Icons.DONE_ALL, height=theme.TAP,
                                         on_click=view.on_rest_pass)
    head += [view.progress_box, ft.Row([ft.Icon(ft.Icons.STAR, color=theme.DANGER, size=theme.ICON_S),
                                        muted(t("ui.visit.starred", lang), theme.SMALL)], spacing=theme.SPACE_XS)]
    view.cards = {}
    rows: list[ft.Control] = []
    for number, point in enumerate(view.checklist.points, start=1):
        card = point_card(view, point, number)
        view.cards[point.code] = card
        rows.append(tagged(card, f"point-{point.code}"))
    view.give_up_button = ft.TextButton(t("ui.visit.give_up", lang), icon=ft.Icons.DELETE_OUTLINE,
                                        on_click=view.on_give_up, height=theme.TAP)
    rows.append(tagged(ft.Row([view.rest_button, view.give_up_button], alignment=ft.MainAxisAlignment.CENTER,
                              wrap=True), "visit-end"))
    view.finish_button = wide_button("", on_click=view.on_finish, icon=ft.Icons.DONE_ALL, expand=True)
    view.finish_problem = field_error(None)
    view.bar = ft.Column([view.finish_problem, ft.Row([view.finish_button])], spacing=theme.SPACE_XS)
    fill_bar(view)
    return ft.Column([ft.Container(listing(rows, head=head), expand=True), bottom_bar(view.bar)],
                     expand=True, spacing=0)


# --- the finish sheet ----------------------------------------------------------------------------
def finish_screen(view: "VisitView") -> ft.Control:
    """The score, passed or not, and what will be sent; 提交 or back to the points."""
    lang = view.lang
    where = standing(view.draft, view.checklist)
    score = where.score
    lines: list[ft.Control] = [section_title(t("ui.visit.sheet_title", lang)),
                               ft.Text(view.site.name, size=theme.HEADLINE, weight=ft.FontWeight.BOLD)]
    if score.applicable:
        lines.append(ft.Text(t("ui.visit.score", lang, met=score.met, applicable=score.applicable),
                             size=theme.DISPLAY, weight=ft.FontWeight.BOLD, color=theme.INK))
    else:
        lines.append(muted(t("ui.visit.score_none", lang)))
    verdict = "ui.visit.passed" if score.passed else "ui.visit.not_passed"
    lines.append(ft.Text(t(verdict, lang), size=theme.TITLE, weight=ft.FontWeight.BOLD,
                         color=theme.OK if score.passed else theme.DANGER))
    if score.starred_failed:
        lines.append(ft.Text(t("ui.visit.starred_failed", lang, count=score.starred_failed), size=theme.BODY,
                             color=theme.DANGER))
    lines.append(muted(t("ui.visit.check_type_line", lang, check_type=t(f"check_type.{view.draft.check_type}", lang))))
    lines += round_choice.sheet_line(view, view.draft.round_id)
    sent = t("ui.visit.will_send", lang, count=where.reports) if where.reports else t("ui.visit.will_send_none", lang)
    lines.append(ft.Text(sent, size=theme.TITLE, weight=ft.FontWeight.W_600, color=theme.INK))
    for code in score.failed:
        point = view.checklist.point(code)
        photos = len(view.draft.marks[code].photos)
        lines.append(muted(f"· {t(f'category.{point.category}', lang)} — {point.words(lang)} "
                           f"({t('ui.visit.photo_count', lang, count=photos)})", theme.SMALL))
    view.submit_button = wide_button(t("ui.visit.saving", lang) if view.saving else t("ui.visit.submit", lang),
                                     on_click=view.on_submit, icon=ft.Icons.SEND, disabled=view.saving, expand=True)
    view.edit_button = wide_button(t("ui.visit.edit", lang), on_click=view.on_back_to_walk, filled=False,
                                   expand=True, disabled=view.saving)
    bar = ft.Column([ft.Row([view.submit_button]), ft.Row([view.edit_button])], spacing=theme.SPACE_M)
    return ft.Column([ft.Container(listing([boxed(lines, spacing=theme.SPACE_M)]), expand=True), bottom_bar(bar)],
                     expand=True, spacing=0)
