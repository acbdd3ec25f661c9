"""The 场所 section's dialogs: add or edit a site, add a site type; and the list of an import's bad rows.

Each dialog is a ``FormDialog``: what the services refuse is said inside it
(in words, from the typed error), what was typed stays, and it closes when
the change is stored. The section reloads its list after every change.
"""

from typing import TYPE_CHECKING

import flet as ft

from inspector.domain import sites as rules
from inspector.i18n import t
from inspector.services import sites as site_service
from inspector.ui import theme
from inspector.ui.desk.dialogs import FormDialog
from inspector.ui.desk.parts import card, office_choices, text
from inspector.ui.guard import Guard

if TYPE_CHECKING:
    from inspector.ui.desk.admin_sites import SitesView

PROBLEMS_SHOWN = 200  # bad rows listed on the screen; the count says how many there are


def _number(value: str) -> str | float:
    """A typed coordinate as a number when it reads as one (the domain says what is wrong otherwise)."""
    try:
        return float(value.strip())
    except ValueError:
        return value


def open_site_dialog(view: "SitesView", site=None) -> FormDialog:
    """The add dialog (``site`` None) or the edit dialog of ``site``, opened."""
    lang = view.lang
    kinds = [(st.code, site_service.site_type_name(st.code, st.names, lang)) for st in view.types]
    fields = [
        ("name", "text", t("sites.column.name", lang), site.name if site else "", None),
        ("kind", "dropdown", t("sites.column.type", lang), site.kind if site else kinds[0][0], kinds),
        ("office_code", "dropdown", t("sites.column.office", lang), site.office_code if site else "construction",
         office_choices(lang)),
        ("lat", "text", t("sites.column.lat", lang), f"{site.lat:.6f}" if site else "", None),
        ("lon", "text", t("sites.column.lon", lang), f"{site.lon:.6f}" if site else "", None),
        ("address", "text", t("sites.column.address", lang), site.address if site else "", None),
        ("contact", "text", t("sites.column.contact", lang), site.contact if site else "", None),
    ]

    async def confirm(values: dict) -> str | None:
        values = {**values, "lat": _number(values.get("lat", "")), "lon": _number(values.get("lon", ""))}
        with Guard(lang) as failure:
            if site is None:
                done = await view.shell.call(site_service.register, view.desk.ctx, view.desk.actor, values)
            else:
                done = await view.shell.call(site_service.edit, view.desk.ctx, view.desk.actor, site.id, values)
        if failure.failed:
            return failure.message
        view.say(t("desk.sites.saved", lang, name=done.name))
        await view.load()
        return None

    title = t("desk.sites.edit_title", lang, name=site.name) if site else t("desk.sites.add_title", lang)
    dialog = FormDialog(view.shell, title, fields, t("desk.sites.save", lang), confirm,
                        note=t("desk.sites.coordinates_note", lang))
    dialog.open()
    return dialog


def open_type_dialog(view: "SitesView") -> FormDialog:
    """The dialog that adds a site type (code, Chinese and English names), opened."""
    lang = view.lang
    fields = [("code", "text", t("desk.sites.type_code", lang), "", None),
              ("zh", "text", t("desk.sites.type_name_zh", lang), "", None),
              ("en", "text", t("desk.sites.type_name_en", lang), "", None)]

    async def confirm(values: dict) -> str | None:
        names = {"zh-CN": values.get("zh", ""), "en": values.get("en", "")}
        with Guard(lang) as failure:
            added = await view.shell.call(site_service.add_site_type, view.desk.ctx, view.desk.actor,
                                          values.get("code", ""), names)
        if failure.failed:
            return failure.message
        view.say(t("desk.sites.type_added", lang, name=site_service.site_type_name(added.code, added.names, lang)))
        await view.load()
        return None

    dialog = FormDialog(view.shell, t("desk.sites.add_type", lang), fields, t("desk.sites.save", lang), confirm,
                        note=t("desk.sites.type_note", lang, max=rules.TYPE_CODE_MAX))
    dialog.open()
    return dialog


def problems_card(problems: list[dict], lang: str) -> ft.Control:
    """The bad rows of the last import, each with its row number, column and why."""
    rows = sorted({p["row"] for p in problems})
    lines = [text(t("desk.sites.problem_line", lang, row=p["row"],
                    column=t(f"sites.column.{p['column']}", lang) if p["column"] else "—", why=p["message"]),
                  size=theme.DENSE_S, selectable=True, data=p["row"])
             for p in problems[:PROBLEMS_SHOWN]]
    if len(problems) > PROBLEMS_SHOWN:
        lines.append(text(t("desk.sites.problems_more", lang, count=len(problems) - PROBLEMS_SHOWN),
                          size=theme.DENSE_S, color=theme.MUTED))
    body = [text(t("sites.import_rows_invalid", lang, count=len(rows)), color=theme.DANGER,
                 weight=ft.FontWeight.W_600),
            ft.Container(ft.Column(lines, spacing=theme.SPACE_XXS, scroll=ft.ScrollMode.AUTO), height=180)]
    return card(body, title=t("desk.sites.problems_title", lang), padding=theme.SPACE_XL, spacing=theme.SPACE_S,
                border=theme.DANGER)
