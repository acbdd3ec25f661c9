"""The selected item's merges: "合并到…" (a duplicate of another item), and what a merge shows on both items.

A duplicate shows the item it was merged into, with a button to open it; the
item merged into shows each duplicate's number and photos ("来自重复问题
#..."). The form takes the target by its number or from the open and done
items of the same category nearby (``services.duplicates.merge_choices``); the
rules of a merge are the domain's (``duplicates.check_merge``), so a refusal
comes back in words like any other decision's.
"""

from typing import TYPE_CHECKING

import flet as ft

from inspector.domain.lifecycle import Kind
from inspector.i18n import t
from inspector.services import duplicates
from inspector.services.duplicates import MergeView
from inspector.ui import theme
from inspector.ui.desk.dialogs import FormDialog
from inspector.ui.desk.parts import card, text
from inspector.ui.widgets import item_number

if TYPE_CHECKING:
    from inspector.ui.desk.detail import ItemPane

DUP_PHOTO = 96  # a duplicate's photos on the item it was merged into
DUP_PHOTOS = 4


async def load(pane: "ItemPane") -> MergeView:
    """The item's merge facts, and the thumbnails of its duplicates' photos."""
    desk, item = pane.review.desk, pane.item
    view = await pane.shell.call(duplicates.merge_view, desk.ctx, desk.actor, item)
    for dup in view.duplicates:
        for sha in dup.photos[:DUP_PHOTOS]:
            await pane.shell.app.thumb(sha)
    return view


def cards(pane: "ItemPane", view: MergeView | None) -> list[ft.Control]:
    """A banner on a duplicate, the duplicates' photos on the item they were merged into."""
    if view is None:
        return []
    lang, out = pane.lang, []
    if view.target is not None:
        number = item_number(view.target, lang)
        out.append(ft.Container(ft.Row([
            ft.Icon(ft.Icons.CALL_MERGE, color=theme.MUTED),
            text(t("desk.pane.merged_into", lang, number=number), weight=ft.FontWeight.BOLD, expand=True),
            ft.OutlinedButton(t("desk.pane.open_target", lang, number=number), on_click=pane.on_open_merged,
                              data=view.target.id)], spacing=theme.SPACE_M),
            bgcolor=theme.PLACEHOLDER_BG, padding=theme.SPACE_L, border_radius=theme.RADIUS_S, data="merged-into"))
    if view.duplicates:
        cache = pane.shell.app.thumb_cache
        rows: list[ft.Control] = []
        for dup in view.duplicates:
            rows.append(ft.Row([
                ft.TextButton(t("desk.pane.from_duplicate", lang, number=item_number(dup, lang)),
                              on_click=pane.on_open_merged, data=dup.id),
                text(dup.description, color=theme.MUTED, expand=True)], spacing=theme.SPACE_S))
            rows.append(ft.Row([
                ft.Container(ft.Image(src=cache[sha], width=DUP_PHOTO, height=DUP_PHOTO, fit=ft.BoxFit.COVER,
                                      border_radius=theme.RADIUS_S) if cache.get(sha) else None,
                             width=DUP_PHOTO, height=DUP_PHOTO, bgcolor=theme.PLACEHOLDER_BG,
                             border_radius=theme.RADIUS_S, on_click=pane.zoom, data=sha)
                for sha in dup.photos[:DUP_PHOTOS]], spacing=theme.SPACE_S))
        out.append(card(rows, title=t("desk.pane.duplicates", lang, count=len(view.duplicates))))
    return out


async def open_form(pane: "ItemPane") -> None:
    """The merge form: a number (or an id) typed, or a nearby item picked; an optional note."""
    lang, desk, item = pane.lang, pane.review.desk, pane.item
    choices = await pane.shell.call(duplicates.merge_choices, desk.ctx, desk.actor, item)
    options = [(other.id, f"{item_number(other, lang)} · {t(f'status.{other.status}', lang)} · {metres:.0f} m")
               for other, metres in choices]
    fields = [("number", "text", t("desk.form.merge_into", lang), "", None)]
    note = t("desk.form.merge_note", lang)
    if options:
        fields.append(("nearby", "dropdown", t("desk.form.merge_nearby", lang), None, options))
    else:
        note += "\n" + t("desk.form.merge_none_nearby", lang, metres=f"{pane.shell.app.settings.duplicate_radius_m:.0f}")
    fields.append(("reason", "multiline", t("desk.form.merge_reason", lang), "", None))
    label = t("desk.decide.merged", lang)
    pane.form = FormDialog(pane.shell, f"{label} · {item_number(item, lang)}", fields, label.rstrip("…"),
                           lambda values: submit(pane, values), note=note)
    pane.form.open()


async def submit(pane: "ItemPane", values: dict) -> str | None:
    """Find the target, then record the merge; words keep the dialog open."""
    lang, desk, item = pane.lang, pane.review.desk, pane.item
    number = (values.get("number") or "").strip()
    target = None
    if number:
        target = (await pane.shell.call(duplicates.find_by_number, desk.ctx, desk.actor, number)
                  or await pane.shell.call(duplicates.seen_item, desk.ctx, desk.actor, number))  # or its id
        if target is None:
            return t("desk.form.merge_unknown", lang, number=number)
    elif values.get("nearby"):
        target = await pane.shell.call(duplicates.seen_item, desk.ctx, desk.actor, values["nearby"])
    if target is None:
        return t("desk.form.merge_need", lang)
    payload = duplicates.merge_payload(target, values.get("reason"))
    pane.shell.close_dialog()
    await pane.decide(Kind.MERGED, desk.decide, Kind.MERGED, item, payload)
    return None

