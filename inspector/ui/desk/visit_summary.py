"""A visit's summary on the desk (issue 11), and its items as links that open in Review.

The review pane's fact "来自检查 …" of an item made by a visit opens this dialog: the site, the
day, the check type, who checked, met over applicable and the result, then the visit's other items,
each a link. The scoreboard's lists of visits (``scores_visits``) show each visit's items with the
same ``item_links``. The figures are ``services.visit_links``; nothing here reads the database.
"""

from typing import TYPE_CHECKING, Callable, Sequence

import flet as ft

from inspector.i18n import t
from inspector.services import visit_links
from inspector.services.visit_links import VisitItem, VisitSummary
from inspector.ui import theme
from inspector.ui.desk.parts import link, text
from inspector.ui.guard import Guard
from inspector.ui.widgets import item_number

if TYPE_CHECKING:
    from inspector.ui.desk.shell import DeskShell

DIALOG_W = 520
FACT_W = 96
SCROLL_FROM = 12  # items: a shorter list keeps the dialog its own height


def item_words(item: VisitItem, lang: str) -> str:
    """An item as a link names it: its number, category and status."""
    return " · ".join((item_number(item, lang), t(f"category.{item.category}", lang), t(f"status.{item.status}", lang)))


def item_links(items: Sequence[VisitItem], lang: str, on_click: Callable, size: int = theme.DENSE) -> list[ft.Control]:
    """One link per item; a click's ``data`` is the item's id."""
    return [link(item_words(i, lang), on_click, data=i.id, size=size) for i in items]


class VisitSummaryDialog:
    """Opens a visit's summary from anywhere on the desk; its item links close it and open Review."""

    def __init__(self, shell: "DeskShell"):
        self.shell = shell
        self.dialog: ft.AlertDialog | None = None
        self.shown: VisitSummary | None = None  # what the open dialog shows (what tests read)
        self.linked: tuple[str, ...] = ()  # the items it offers as links

    @property
    def lang(self) -> str:
        return self.shell.lang

    async def on_open(self, e) -> None:
        """A click on a control whose ``data`` is ``(visit id, the item shown, or None)``."""
        visit_id, current = e.control.data
        await self.open(visit_id, current)

    async def open(self, visit_id: str, current: str | None = None) -> None:
        """The dialog of ``visit_id``; ``current``, the item the supervisor came from, is not offered again."""
        desk = self.shell.desk
        with Guard(self.lang, lambda words: self.shell.snack(words, error=True)) as failure:
            found = await self.shell.call(visit_links.summary, desk.ctx, desk.actor, visit_id)
        if failure.failed:
            return
        self.show(found, current)

    def show(self, found: VisitSummary, current: str | None = None) -> None:
        lang, visit, zone = self.lang, found.visit, self.shell.desk.zone
        others = [i for i in found.items if i.id != current]
        self.shown, self.linked = found, tuple(i.id for i in others)
        verdict = t("desk.scores.visit.pass" if visit.passed else "desk.scores.visit.fail", lang)
        if visit.starred_failed:
            verdict += " · " + t("desk.visit.starred", lang, count=visit.starred_failed)
        facts = [("desk.scores.visit.site", visit.site_name),
                 ("desk.scores.visit.day", theme.local_time(visit.server_at, zone)[:10]),
                 ("desk.scores.visit.check_type", t(f"check_type.{visit.check_type}", lang)),
                 ("desk.visit.visitor", visit.visitor_name or "—"),
                 ("desk.scores.visit.met", f"{visit.met}/{visit.applicable}"),
                 ("desk.scores.visit.passed", verdict)]
        body: list[ft.Control] = [
            ft.Row([text(t(key, lang), color=theme.MUTED, width=FACT_W),
                    text(value, expand=True, selectable=True,
                         color=theme.DANGER if key == "desk.scores.visit.passed" and not visit.passed else None)])
            for key, value in facts]
        title = "desk.visit.other_items" if current else "desk.visit.items"
        body.append(text(t(title, lang, count=len(others)), size=theme.SMALL, weight=ft.FontWeight.BOLD))
        body += item_links(others, lang, self.on_item) or [text(t("desk.visit.no_items", lang), color=theme.MUTED)]
        self.dialog = ft.AlertDialog(
            title=text(t("desk.visit.title", lang, site=visit.site_name), size=theme.TITLE, weight=ft.FontWeight.BOLD),
            content=ft.Container(ft.Column(body, spacing=theme.SPACE_S, tight=True,
                                           scroll=ft.ScrollMode.AUTO if len(others) > SCROLL_FROM else None),
                                 width=DIALOG_W),
            actions=[ft.TextButton(t("desk.scores.close", lang), on_click=self.close)])
        self.shell.show_dialog(self.dialog)

    async def close(self, e=None) -> None:
        self.shell.close_dialog()
        self.dialog = None

    async def on_item(self, e) -> None:
        """An item link: the dialog closes and Review shows the item."""
        await self.close()
        await self.shell.open_item(e.control.data)
