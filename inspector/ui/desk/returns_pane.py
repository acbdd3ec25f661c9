"""The selected item's return (退回/申辩) on the desk: the office's case, and the supervisor's two answers.

A waiting return shows above the photos: the reason, the office's words, the
office it names and its photos. The answers are the registry's decisions
(``Kind.REASSIGNED``, ``Kind.RETURN_INSISTED``; ``Kind.DISMISSED`` stays the
detail's own): 改派 opens a form with the lead office (the one the return
names, else the same), supporting offices (配合) and a deadline left empty for
the category's default counted from now; 维持交办 asks for the reason the
office keeps the item, whose first deadline stands.
"""

from typing import TYPE_CHECKING

import flet as ft

from inspector.domain import catalog
from inspector.domain.lifecycle import Kind
from inspector.i18n import t
from inspector.services import returns
from inspector.services.desk import DeskItem
from inspector.ui import theme
from inspector.ui.desk.dialogs import FormDialog
from inspector.ui.desk.parts import card, office_choices, parse_day, text
from inspector.ui.widgets import item_number

if TYPE_CHECKING:
    from inspector.ui.desk.detail import ItemPane

RETURN_PHOTO_H = 120
ANSWERS = frozenset({Kind.REASSIGNED, Kind.RETURN_INSISTED})  # the decisions this module's forms make


def pending_entry(data: DeskItem):
    """The timeline entry of the return waiting for an answer, or ``None``."""
    if not data.item.return_pending:
        return None
    return next((e for e in reversed(data.timeline) if e.kind == Kind.RETURNED), None)


def photos(data: DeskItem) -> list[str]:
    """The photos of the waiting return (to fetch with the item's own)."""
    entry = pending_entry(data)
    return list((entry.payload.get("photos") or ())) if entry else []


def return_card(pane: "ItemPane") -> ft.Control | None:
    """The waiting return, in the office's words, with its photos; ``None`` when none waits."""
    data, lang = pane.data, pane.lang
    item = data.item
    if not item.return_pending:
        return None
    entry = pending_entry(data)
    when = theme.local_time(item.returned_at, pane.shell.desk.zone)
    rows: list[ft.Control] = [
        text(t("desk.return.by", lang, name=entry.actor_name if entry else "", time=when,
               office=t(f"office.{item.office}", lang)), size=theme.SMALL, color=theme.MUTED),
        text(t(f"return.reason.{item.return_code}", lang), size=theme.DENSE_L, weight=ft.FontWeight.BOLD,
             color=theme.WARN),
        text(item.return_reason or "", size=theme.SMALL, selectable=True),
    ]
    if item.return_office:
        rows.append(text(t("desk.return.suggests", lang, office=t(f"office.{item.return_office}", lang)),
                         size=theme.SMALL, weight=ft.FontWeight.W_600))
    shas = photos(data)
    if shas:
        rows.append(ft.Row([pane.photo(sha, "", height=RETURN_PHOTO_H) for sha in shas[:3]], spacing=theme.SPACE_S))
    rows.append(text(t("desk.return.clock_runs", lang), size=theme.DENSE_S, color=theme.MUTED))
    return card(rows, title=t("desk.return.title", lang), border=theme.WARN, bgcolor=theme.WARN_BG)


def open_form(pane: "ItemPane", kind: str) -> None:
    """The form of one answer to the waiting return."""
    lang, item = pane.lang, pane.item
    offices = office_choices(lang)
    if kind == Kind.REASSIGNED:
        lead = item.return_office or item.office
        supporting = [o for o in item.supporting_offices if o != lead]
        if item.return_code == "needs_another_office" and item.return_office:  # the office stays, one more joins
            lead, supporting = item.office, [*supporting, item.return_office]
        fields = [("office", "dropdown", t("desk.form.lead_office", lang), lead, offices),
                  ("supporting", "checks", t("desk.form.supporting_offices", lang), ",".join(supporting), offices),
                  ("deadline", "date", t("desk.form.deadline_optional", lang), "", None),
                  ("leader", "text", t("desk.form.leader_optional", lang), "", None)]
        note = t("desk.form.reassign_note", lang, days=catalog.category(item.category).deadline_days)
    else:
        fields = [("reason", "multiline", t("desk.form.insist_reason", lang), "", None)]
        note = t("desk.form.insist_note", lang)
    plain = t(f"desk.decide.{kind}", lang)
    pane.form = FormDialog(pane.shell, f"{plain} · {item_number(item, lang)}", fields, plain,
                           lambda values: submit(pane, kind, values), note=note)
    pane.form.open()


async def submit(pane: "ItemPane", kind: str, values: dict) -> str | None:
    """Check the answer's form, then record it; ``None`` closes the dialog, words keep it open."""
    lang, desk, item = pane.lang, pane.review.desk, pane.item
    ctx, actor = desk.ctx, desk.actor
    if kind == Kind.RETURN_INSISTED:
        reason = (values.get("reason") or "").strip()
        if not reason:
            return t("ui.item.need_reason", lang)
        call = (returns.insist, ctx, actor, item, reason)
    else:
        try:
            deadline = parse_day(values.get("deadline"))
        except ValueError:
            return t("ui.item.bad_date", lang)
        if deadline is not None and deadline < desk.today():
            return t("desk.form.deadline_past", lang)
        office = values.get("office") or item.office
        supporting = [o for o in (values.get("supporting") or "").split(",") if o and o != office]
        call = (returns.reassign, ctx, actor, item, office, supporting, deadline, values.get("leader"))
    pane.shell.close_dialog()
    await pane.decide(kind, *call)
    return None
