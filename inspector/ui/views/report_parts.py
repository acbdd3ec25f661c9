"""The report form's controls, top to bottom: the photo button, the photos picked, where, the category
tiles, the details, and 保存 in the bar under them.

Each function takes the ``ReportView`` and keeps the controls a test or a
handler needs on it (``view.save_button``, ``view.tiles``...); the state they
show lives on the view (``views.report``), so a rebuild loses nothing typed.
"""

from typing import TYPE_CHECKING

import flet as ft

from inspector.domain import catalog
from inspector.geo.distance import Point, distance_m
from inspector.geo.places import format_coordinates
from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.messages import field_error
from inspector.ui.progress import Progress
from inspector.ui.views import round_choice
from inspector.ui.views.report_photos import READING, Incoming
from inspector.ui.widgets import boxed, bottom_bar, muted, photo_tile, section_title, wide_button

if TYPE_CHECKING:
    from inspector.ui.views.report import ReportView

GRID_COLUMNS = 3
NO_SITE = "-"  # the site dropdown's "no site" choice
ICON_CAMERA = 40  # the big photo button's icon
ICON_TILE = 34  # a category tile's icon
PHOTO_BUTTON_H = 104  # the big photo button: the first thing to tap
TILE_H = 112  # a category tile
FILTER_SITES_FROM = 12  # the site dropdown gets a filter box past this many choices
SPINNER = 20  # the "locating" ring


def screen(view: "ReportView") -> ft.Control:
    """The whole form over the save bar."""
    lang = view.lang
    action = view.picker.action()
    view.photo_button = ft.FilledTonalButton(
        content=ft.Column([ft.Icon(ft.Icons.PHOTO_CAMERA, size=ICON_CAMERA),
                           ft.Text(t("ui.report.photo_button", lang), size=theme.TITLE, weight=ft.FontWeight.BOLD)],
                          horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=theme.SPACE_XS,
                          alignment=ft.MainAxisAlignment.CENTER),
        action=action, on_click=None if action else view.pick_photos, height=PHOTO_BUTTON_H,
        style=ft.ButtonStyle(shape=ft.RoundedRectangleBorder(radius=theme.RADIUS_L)))
    view.photos_box = ft.Container()
    fill_photos(view)
    content: list[ft.Control] = [view.photo_button, view.photos_box]
    content += [location(view), section_title(t("ui.report.category", lang)), grid(view)]
    content += view.candidates.controls()  # items on record here: add to one instead (views.report_candidates)
    content += details(view)
    view.save_button = wide_button(t("ui.report.save", lang), on_click=view.save, icon=ft.Icons.SAVE,
                                   disabled=view.saving, expand=True)
    view.save_progress = Progress("report-progress")
    view.save_problem = field_error(None)
    view.save_bar = ft.Column([view.save_problem, view.save_progress.root, ft.Row([view.save_button])],
                              spacing=theme.SPACE_XS)
    fill_save_bar(view)
    # A scrolling column, not a ListView: the form is short, and a column can scroll to a control by its key
    # (the candidates, when they appear under the tiles: ``views.report_candidates``).
    view.form_column = ft.Column(content, spacing=theme.SPACE_XXL, scroll=ft.ScrollMode.AUTO,
                                 horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    return ft.Column([
        ft.Container(view.form_column, expand=True,
                     padding=ft.Padding(theme.SCREEN_PAD, theme.SPACE_XL, theme.SCREEN_PAD, theme.SCREEN_PAD)),
        bottom_bar(view.save_bar),
    ], expand=True, spacing=0)


def fill_save_bar(view: "ReportView") -> None:
    """Over 保存, never on it: what it found missing (gone with its cause), or the photos it waits for."""
    view.save_problem.value = t(view.problem, view.lang) if view.problem else ""
    view.save_problem.visible = bool(view.problem)
    if view.saving and view.intake.busy:
        view.save_progress.step(view.intake.done, view.intake.total, view.intake.words())
    elif view.saving:
        view.save_progress.busy(t("ui.report.saving", view.lang))
    else:
        view.save_progress.done()
    view.save_button.disabled = view.saving


def fill_photos(view: "ReportView") -> None:
    """The photo strip's box: nothing before the first photo, else the strip."""
    view.photos_box.content = strip(view) if view.photos or view.intake.incoming else None


def incoming_tile(view: "ReportView", entry: Incoming) -> ft.Control:
    """A photo picked a moment ago: a grey tile, a spinner and what is being done to it."""
    words = t("ui.report.photo_reading" if entry.state == READING else "ui.report.photo_processing", view.lang)
    return ft.Container(
        ft.Column([ft.ProgressRing(width=SPINNER, height=SPINNER),
                   ft.Text(words, size=theme.SMALL, color=theme.MUTED, text_align=ft.TextAlign.CENTER)],
                  horizontal_alignment=ft.CrossAxisAlignment.CENTER, alignment=ft.MainAxisAlignment.CENTER,
                  spacing=theme.SPACE_XS),
        width=theme.THUMB_XL, height=theme.THUMB_XL, bgcolor=theme.PLACEHOLDER_BG, border_radius=theme.RADIUS_S,
        alignment=ft.Alignment.CENTER, data=entry.state)


def strip(view: "ReportView") -> ft.Control:
    """The photos picked so far, each with its remove button, then those still coming in."""
    tiles = [photo_tile(view.thumbs.get(p.sha256), theme.THUMB_XL, p.sha256, view.on_remove,
                        tooltip=t("ui.report.remove_photo", view.lang)) for p in view.photos]
    view.incoming_tiles = [incoming_tile(view, entry) for entry in view.intake.incoming]
    view.strip = ft.Row(tiles + view.incoming_tiles, scroll=ft.ScrollMode.AUTO, spacing=theme.SPACE_M)
    lines: list[ft.Control] = [muted(t("ui.report.photo_count", view.lang, count=len(view.photos)), theme.SMALL),
                               view.strip]
    if view.intake.busy:
        progress = Progress("photos-progress")
        progress.step(view.intake.done, view.intake.total, view.intake.words())
        lines.append(progress.root)
    return ft.Column(lines, spacing=theme.SPACE_XS)


def coordinate_field(view: "ReportView", name: str) -> ft.TextField:
    """Latitude or longitude as typed (kept on the view), else as located."""
    shown = view.typed.get(name) or ("" if not view.location else str(view.location[name]))
    return ft.TextField(label=t(f"ui.report.{name}", view.lang), expand=True, text_size=theme.BODY,
                        keyboard_type=ft.KeyboardType.NUMBER, on_submit=view.apply_manual, data=name,
                        on_change=view.on_coordinate, value=shown)


def location(view: "ReportView") -> ft.Control:
    """Where: locating, the position and its source, or "no position"; typed coordinates; the site."""
    lang = view.lang
    rows: list[ft.Control] = [section_title(t("ui.report.location", lang))]
    if view.locating:
        rows.append(ft.Row([ft.ProgressRing(width=SPINNER, height=SPINNER),
                            ft.Text(t("ui.report.locating", lang), size=theme.BODY)]))
    elif view.location:
        loc = view.location
        accuracy = "" if loc.get("accuracy_m") is None else f"±{loc['accuracy_m']:.0f} m · "
        rows.append(ft.Row([ft.Icon(ft.Icons.PLACE, color=theme.PRIMARY),
                            ft.Text(format_coordinates(Point(loc["lat"], loc["lon"])), size=theme.BODY,
                                    weight=ft.FontWeight.W_600)], spacing=theme.SPACE_S))
        rows.append(muted(accuracy + t(f"source.{loc['source']}", lang), theme.SMALL))
    else:
        rows.append(ft.Text(t("ui.report.no_location", lang), size=theme.BODY, color=theme.DANGER))
    view.lat_field, view.lon_field = coordinate_field(view, "lat"), coordinate_field(view, "lon")
    if view.manual:
        rows.append(ft.Row([view.lat_field, view.lon_field], spacing=theme.SPACE_M))
        view.coordinate_line = field_error(view.coordinate_error)  # a field's error on the line under it
        rows.append(view.coordinate_line)
        rows.append(ft.OutlinedButton(t("ui.report.use_coordinates", lang), on_click=view.apply_manual,
                                      height=theme.TAP))
    view.relocate_button = ft.OutlinedButton(t("ui.report.relocate", lang), icon=ft.Icons.MY_LOCATION,
                                             on_click=view.locate, height=theme.TAP, disabled=view.locating)
    view.manual_button = ft.OutlinedButton(t("ui.report.manual", lang), icon=ft.Icons.EDIT_LOCATION_ALT,
                                           on_click=view.on_manual, height=theme.TAP)
    rows.append(ft.Row([view.relocate_button, view.manual_button], spacing=theme.SPACE_M, wrap=True))
    rows.append(site(view))
    return boxed(rows, spacing=theme.SPACE_M)


def site(view: "ReportView") -> ft.Control:
    """The site dropdown, nearest first, and which site is nearest."""
    lang = view.lang
    near = view.nearest()
    sites = list(view.app.sites)
    if view.location:
        here = Point(view.location["lat"], view.location["lon"])
        sites.sort(key=lambda s: distance_m(here, Point(s.lat, s.lon)))
    options = [ft.DropdownOption(key=NO_SITE, text=t("ui.report.no_site", lang))]
    options += [ft.DropdownOption(key=s.id, text=s.name) for s in sites]
    hint = (t("ui.report.nearest_site", lang, name=near[1], metres=f"{near[2]:.0f}") if near
            else t("ui.report.no_site_near", lang))
    view.site_dropdown = ft.Dropdown(label=t("ui.report.site", lang), options=options,
                                     value=view.site_id or NO_SITE, on_select=view.on_site, expand=True,
                                     text_size=theme.BODY, enable_filter=len(options) > FILTER_SITES_FROM)
    return ft.Column([ft.Row([view.site_dropdown]), muted(hint, theme.SMALL)], spacing=theme.SPACE_XS)


def tile(view: "ReportView", c) -> ft.Container:
    """One category: its icon and name; filled when chosen."""
    chosen = c.code == view.category
    return ft.Container(
        content=ft.Column([
            ft.Icon(theme.category_icon(c.icon), size=ICON_TILE, color=theme.ON_PRIMARY if chosen else theme.PRIMARY),
            ft.Text(t(f"category.{c.code}", view.lang), size=theme.SMALL, text_align=ft.TextAlign.CENTER,
                    max_lines=3, overflow=ft.TextOverflow.ELLIPSIS, weight=ft.FontWeight.W_600,
                    color=theme.ON_PRIMARY if chosen else theme.TEXT),
        ], horizontal_alignment=ft.CrossAxisAlignment.CENTER, alignment=ft.MainAxisAlignment.CENTER,
            spacing=theme.SPACE_XS),
        data=c.code, on_click=view.on_tile, height=TILE_H, expand=1, padding=theme.SPACE_S,
        border_radius=theme.RADIUS, bgcolor=theme.PRIMARY if chosen else theme.SURFACE, ink=True,
        border=ft.Border.all(theme.BORDER_BOLD, theme.PRIMARY if chosen else theme.LINE),
    )


def grid(view: "ReportView") -> ft.Control:
    """The category tiles, ``GRID_COLUMNS`` a row (the last row padded out)."""
    view.tiles = {c.code: tile(view, c) for c in catalog.CATEGORIES}
    tiles = list(view.tiles.values())
    rows = []
    for start in range(0, len(tiles), GRID_COLUMNS):
        row: list[ft.Control] = tiles[start:start + GRID_COLUMNS]
        row += [ft.Container(expand=1) for _ in range(GRID_COLUMNS - len(row))]
        rows.append(ft.Row(row, spacing=theme.SPACE_M))
    return ft.Column(rows, spacing=theme.SPACE_M)


def details(view: "ReportView") -> list[ft.Control]:
    """Office (filled in from the category), severity, check type (when there is a choice), a cross check's
    round (``views.round_choice``), description."""
    lang = view.lang
    view.office_dropdown = ft.Dropdown(
        label=t("ui.report.office", lang), value=view.office, on_select=view.on_office, expand=True,
        options=[ft.DropdownOption(key=o.code, text=t(f"office.{o.code}", lang)) for o in catalog.OFFICES],
        text_size=theme.BODY, hint_text=t("ui.report.office_hint", lang))
    view.severity_control = ft.SegmentedButton(
        segments=[ft.Segment(value=s, label=ft.Text(t(f"severity.{s}", lang), size=theme.BODY))
                  for s in catalog.SEVERITIES],
        selected=[view.severity], on_change=view.on_severity, show_selected_icon=False, expand=True)
    view.check_type_dropdown = ft.Dropdown(
        label=t("ui.report.check_type", lang), value=view.check_type, on_select=view.on_check_type,
        options=[ft.DropdownOption(key=c, text=t(f"check_type.{c}", lang)) for c in view.check_types],
        expand=True, text_size=theme.BODY)
    view.description_field = ft.TextField(
        label=t("ui.report.description", lang), value=view.description, multiline=True, min_lines=2,
        max_lines=4, on_change=view.on_description, on_blur=view.on_description_blur, text_size=theme.BODY)
    parts: list[ft.Control] = [ft.Row([view.office_dropdown]),
                               section_title(t("ui.report.severity", lang)),
                               ft.Row([view.severity_control])]
    if len(view.check_types) > 1:
        parts.append(ft.Row([view.check_type_dropdown]))
    parts.append(round_choice.box(view, view.check_type, view.office, view.round_id, view.on_round))
    parts.append(view.description_field)
    return parts
