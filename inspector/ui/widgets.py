"""Small pieces every screen uses: status chip, deadline badge, item card, sync bar, photo tile,
the list a screen scrolls, and the safe update."""

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Callable, Iterable, Protocol

import flet as ft

from inspector.domain.catalog import category
from inspector.domain.items import ItemState
from inspector.i18n import t
from inspector.services.workspace import SyncStatus
from inspector.ui import theme
from inspector.ui.progress import Progress

if TYPE_CHECKING:
    from inspector.ui.app import App


def refresh(control) -> bool:
    """Send ``control``'s changes to the client; False when it is not on the page.

    Flet raises ``RuntimeError`` for a control not on the page (another tab is
    showing) and for a page whose session has gone; both mean "nothing to show it on".
    """
    try:
        control.update()
    except RuntimeError:
        return False
    return True


def label(text: str, size: int = theme.BODY, weight=None, color=None, **kw) -> ft.Text:
    return ft.Text(text, size=size, weight=weight, color=color, **kw)


def status_chip(status: str, lang: str) -> ft.Container:
    bg, fg = theme.STATUS_COLOURS.get(status, (theme.NEUTRAL, theme.ON_COLOUR))
    return ft.Container(
        content=ft.Text(theme.status_words(status, lang), size=theme.SMALL, color=fg, weight=ft.FontWeight.W_600),
        bgcolor=bg, padding=ft.Padding.symmetric(horizontal=theme.SPACE_L, vertical=theme.SPACE_XS),
        border_radius=theme.RADIUS_PILL,
    )


def badge(text: str, bg: str = theme.OVERDUE, fg: str = theme.ON_COLOUR) -> ft.Container:
    return ft.Container(
        content=ft.Text(text, size=theme.SMALL, color=fg, weight=ft.FontWeight.BOLD),
        bgcolor=bg, padding=ft.Padding.symmetric(horizontal=theme.SPACE_M, vertical=theme.SPACE_XS),
        border_radius=theme.RADIUS_XS,
    )


def waiting_badge(text: str) -> ft.Container:
    """An orange badge: waiting (to send, to check, for an answer)."""
    return badge(text, bg=theme.WARN_BG, fg=theme.WARN)


def office_badges(item: ItemState, viewer, lang: str) -> list[ft.Control]:
    """配合 when ``viewer``'s office supports the item rather than leads it; 退回待复 while a return waits."""
    badges: list[ft.Control] = []
    office = getattr(viewer, "office", None)
    if office and office != item.office and office in item.supporting_offices:
        badges.append(badge(t("ui.item.supporting_badge", lang), bg=theme.INFO_BG, fg=theme.INFO_INK))
    if item.return_pending:
        badges.append(waiting_badge(t("ui.item.return_pending", lang)))
    return badges


def rebound_badge(item: ItemState, lang: str) -> ft.Container:
    return badge(t("ui.item.rebounded", lang, count=item.rebound_count), bg=theme.SURFACE, fg=theme.REBOUND)


def deadline_badge(item: ItemState, now: datetime, lang: str) -> ft.Control | None:
    words = theme.deadline_words(item, now, lang)
    if words is None:
        return None
    if item.overdue(now):
        return badge(words)
    return ft.Text(words, size=theme.SMALL, color=theme.MUTED, weight=ft.FontWeight.W_600)


def photo_box(data: bytes | None, size: int, on_click=None, label_text: str | None = None) -> ft.Container:
    """A square photo (or a placeholder while it loads or when it is not on this device)."""
    if data:
        inner: ft.Control = ft.Image(src=data, width=size, height=size, fit=ft.BoxFit.COVER,
                                     border_radius=theme.RADIUS_S)
    else:
        inner = ft.Icon(ft.Icons.IMAGE, size=size // 2, color=theme.PLACEHOLDER)
    return ft.Container(content=inner, width=size, height=size, bgcolor=theme.PLACEHOLDER_BG,
                        border_radius=theme.RADIUS_S, alignment=ft.Alignment.CENTER, on_click=on_click,
                        tooltip=label_text)


def card_box(lines: list[ft.Control], thumb: ft.Control, **kw) -> ft.Container:
    """A list card: the thumbnail left, the lines right; ``kw`` adds the border, the tap, the data."""
    return ft.Container(
        content=ft.Row([thumb, ft.Column(lines, spacing=theme.SPACE_XS, expand=True)], spacing=theme.SPACE_XL,
                       vertical_alignment=ft.CrossAxisAlignment.START),
        padding=theme.SPACE_XL, bgcolor=theme.SURFACE, border_radius=theme.RADIUS, **kw)


def category_line(item: ItemState, lang: str, max_lines: int = 1) -> ft.Row:
    """The category's icon and name, bold: the first line of a card."""
    cat = category(item.category)
    return ft.Row([ft.Icon(theme.category_icon(cat.icon), size=theme.ICON_M, color=theme.PRIMARY),
                   ft.Text(t(f"category.{item.category}", lang), size=theme.BODY, weight=ft.FontWeight.BOLD,
                           expand=True, max_lines=max_lines, overflow=ft.TextOverflow.ELLIPSIS)],
                  spacing=theme.SPACE_S)


class Thumbed(Protocol):
    """A card that shows one photo once it is here."""

    photo: str | None  # the sha256 of the photo it shows
    root: ft.Control
    thumb: ft.Container  # the photo's box: an image once shown, a placeholder before

    def show_thumb(self, data: bytes | None) -> None: ...


async def load_thumbs(app: "App", cards: Iterable[Thumbed]) -> None:
    """Thumbnails after the rows are up: each one off the event loop, a placeholder when missing.

    A card is skipped only when it shows its image already, not when the photo is cached:
    two cards citing one photo both need it (the second finds it cached by the first).
    """
    for card in list(cards):
        if card.photo is None or isinstance(card.thumb.content, ft.Image):
            continue
        data = await app.thumb(card.photo)
        if data:
            card.show_thumb(data)
            if not refresh(card.root):  # the list is no longer on the page
                return


class ItemCard:
    """One row of a list: thumbnail, category, number, office, status, deadline; tap opens the item."""

    def __init__(self, app: "App", item: ItemState, on_open: Callable, extra: list[ft.Control] | None = None):
        self.app, self.item = app, item
        self.photo = item.photos[0] if item.photos else None
        lang, now = app.lang, app.now()
        self.thumb = photo_box(app.thumb_cache.get(self.photo) if self.photo else None, theme.THUMB)
        chips: list[ft.Control] = [status_chip(item.status, lang)]
        deadline = deadline_badge(item, now, lang)
        if deadline is not None:
            chips.append(deadline)
        look_back = theme.look_back_words(item, now, lang)
        if look_back:
            due = item.look_back_due is not None and now >= item.look_back_due
            chips.append(badge(look_back) if due else badge(look_back, bg=theme.OK_BG, fg=theme.OK))
        if item.rebounded:
            chips.append(rebound_badge(item, lang))
        chips += office_badges(item, app.ws.actor if app.ws is not None else None, lang)
        site = app.site_name(item.site_id)
        lines = [
            category_line(item, lang),
            muted(f"{item_number(item, lang)} · {t(f'office.{item.office}', lang)}", theme.SMALL, max_lines=1,
                  overflow=ft.TextOverflow.ELLIPSIS),
        ]
        if site:
            lines.append(muted(site, theme.SMALL, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS))
        lines.append(ft.Row([*(extra or []), *chips], spacing=theme.SPACE_S, wrap=True,
                            run_spacing=theme.SPACE_XS))
        self.root = card_box(
            lines, self.thumb, on_click=on_open, ink=True, key=item.id, data=item.id,
            border=(ft.Border.all(theme.BORDER_BOLD, theme.REBOUND) if item.rebounded
                    else ft.Border.all(theme.BORDER, theme.LINE)))

    def show_thumb(self, data: bytes | None) -> None:
        self.thumb.content = photo_box(data, theme.THUMB).content


class SyncBar:
    """Always visible: online or not, how many records wait, last sync, the last error in words."""

    def __init__(self, app: "App"):
        self.app = app
        self.status: SyncStatus | None = None
        self.text = ft.Text("", size=theme.SMALL, weight=ft.FontWeight.W_600, expand=True)
        self.error = ft.Text("", size=theme.SMALL, color=theme.DANGER, visible=False)
        self.icon = ft.Icon(ft.Icons.CLOUD_DONE, size=theme.ICON_L)
        self.action = ft.Text("", size=theme.SMALL, color=theme.PRIMARY, weight=ft.FontWeight.BOLD)
        self.progress = Progress("sync-progress")  # a round under way: its photos, or "正在同步…" (App.sync_now)
        self.syncing = False  # App.sync_now is waiting for a round
        self.photos: tuple[int, int] | None = None  # the round's photos, done of total (``sync.round_progress``)
        self.root = ft.Container(
            content=ft.Column([ft.Row([self.icon, self.text, self.action], spacing=theme.SPACE_M), self.error,
                               self.progress.root],
                              spacing=theme.SPACE_XXS),
            padding=ft.Padding.symmetric(horizontal=theme.SPACE_XL, vertical=theme.SPACE_M), bgcolor=theme.OK_BG,
            on_click=app.on_sync_tap, ink=True,
        )
        rounds = getattr(app.backend, "sync_progress", None)
        if rounds is not None:  # the field client: background rounds and "立即同步" alike
            self.loop = asyncio.get_running_loop()
            rounds.listen(self.on_round)

    def on_round(self, photos: tuple[int, int] | None) -> None:
        """From the round's thread: show the new photo count on the page's event loop."""
        try:
            self.loop.call_soon_threadsafe(self.show_round, photos)
        except RuntimeError:  # the loop has closed: nobody to show it to
            return

    def round_started(self) -> None:
        """``App.sync_now`` waits for a round: a running bar until it counts photos."""
        self.syncing = True
        self.show_round(self.photos)

    def round_ended(self) -> None:
        self.syncing = False
        self.show_round(None)

    def show_round(self, photos: tuple[int, int] | None) -> None:
        """The round's line: "上传照片 3/12" while it sends photos, "正在同步…" while 立即同步 waits, else none."""
        self.photos = photos
        if photos is not None:
            self.progress.step(*photos, t("ui.sync.photos", self.app.lang, done=photos[0], total=photos[1]))
        elif self.syncing:
            self.progress.busy(t("ui.sync.running", self.app.lang))
        else:
            self.progress.done()
        refresh(self.root)

    def show(self, status: SyncStatus | None) -> None:
        self.status = status
        lang = self.app.lang
        if status is None:
            self.text.value = t("ui.sync.checking", lang)
            return
        parts = [t("ui.sync.online" if status.online else "ui.sync.offline", lang)]
        if status.pending:
            parts.append(t("ui.sync.pending", lang, count=status.pending))
        elif self.app.backend.mode == "field":
            parts.append(t("ui.sync.all_sent", lang))
        if status.rejected:
            parts.append(t("ui.sync.rejected", lang, count=status.rejected))
        if status.last_sync_at:
            parts.append(t("ui.sync.last", lang, time=self.app.short_time(status.last_sync_at)))
        self.text.value = " · ".join(parts)
        error = status.last_error or ""
        if getattr(status, "login_needed", False):
            error = t("auth.token_expired", lang) + t("ui.sync.tap_to_login", lang)
        self.error.value = error
        self.error.visible = bool(error)
        self.action.value = t("ui.sync.now", lang) if self.app.backend.mode == "field" else ""
        if not status.online or error or status.rejected:
            self.icon.name, self.icon.color, self.root.bgcolor = ft.Icons.CLOUD_OFF, theme.DANGER, theme.DANGER_BG
        elif status.pending:
            self.icon.name, self.icon.color, self.root.bgcolor = ft.Icons.CLOUD_UPLOAD, theme.WARN, theme.WARN_BG
        else:
            self.icon.name, self.icon.color, self.root.bgcolor = ft.Icons.CLOUD_DONE, theme.OK, theme.OK_BG


def section_title(text: str) -> ft.Text:
    return ft.Text(text, size=theme.BODY, weight=ft.FontWeight.BOLD, color=theme.INK)


def empty_state(text: str) -> ft.Container:
    return ft.Container(content=ft.Text(text, size=theme.BODY, color=theme.MUTED, text_align=ft.TextAlign.CENTER),
                        padding=theme.SPACE_EMPTY, alignment=ft.Alignment.CENTER)


def error_text(words: str) -> ft.Text:
    """A failure in words, where the list or the screen would be."""
    return ft.Text(words, color=theme.DANGER, size=theme.BODY)


def muted(text: str, size: int = theme.BODY, **kw) -> ft.Text:
    """Secondary words: an intro, a hint, a time."""
    return ft.Text(text, size=size, color=theme.MUTED, **kw)


def tagged(control: ft.Control, identifier: str) -> ft.Semantics:
    """``control`` with a stable name for the browser tests (Flutter's semantics tree)."""
    return ft.Semantics(content=control, identifier=identifier, container=True)


def loading() -> ft.Container:
    return ft.Container(ft.ProgressRing(), alignment=ft.Alignment.CENTER, expand=True)


def listing(rows: list[ft.Control], head: Iterable[ft.Control] = (), error: str | None = None,
            empty: str | None = None, spacing: int = theme.SPACE_L) -> ft.ListView:
    """A screen's scrolling list: its head lines, the failure in words, the rows, and ``empty``
    ("nothing here", pass it once the data is loaded) when there are no rows and no failure."""
    controls = list(head)
    if error:
        controls.append(error_text(error))
    controls += rows
    if empty is not None and not rows and not error:
        controls.append(empty_state(empty))
    return ft.ListView(controls, expand=True, spacing=spacing, padding=theme.SCREEN_PAD)


def boxed(controls: list[ft.Control], outline: str = theme.LINE, width: int = theme.BORDER,
          padding: int = theme.SPACE_XXL, spacing: int = theme.SPACE_L) -> ft.Container:
    """A white box around a column: facts, a form, a card of the "me" screen."""
    return ft.Container(ft.Column(controls, spacing=spacing), padding=padding, bgcolor=theme.SURFACE,
                        border_radius=theme.RADIUS, border=ft.Border.all(width, outline))


def bottom_bar(content: ft.Control) -> ft.Container:
    """The bar under a screen's list that holds its main buttons."""
    return ft.Container(content, padding=ft.Padding(theme.SCREEN_PAD, theme.SPACE_M, theme.SCREEN_PAD, theme.SPACE_M),
                        bgcolor=theme.SURFACE, border=ft.Border(top=ft.BorderSide(theme.BORDER, theme.LINE)))


def button_text_style() -> ft.TextStyle:
    return ft.TextStyle(font_family=theme.FONT_FAMILY, size=theme.TITLE, weight=ft.FontWeight.BOLD)


def wide_button(text: str, on_click=None, icon=None, filled: bool = True, danger: bool = False,
                height: int = theme.BUTTON_H, **kw) -> ft.Control:
    """A full-width button at thumb height."""
    style = ft.ButtonStyle(text_style=button_text_style(), shape=ft.RoundedRectangleBorder(radius=theme.RADIUS))
    cls = ft.FilledButton if filled else ft.OutlinedButton
    button = cls(content=text, icon=icon, on_click=on_click, style=style, height=height,
                 expand=kw.pop("expand", False), **kw)
    if filled and not danger:
        button.bgcolor, button.color = theme.PRIMARY, theme.ON_PRIMARY
    if danger:
        if filled:
            button.bgcolor = theme.DANGER
        else:
            button.style = ft.ButtonStyle(text_style=style.text_style, shape=style.shape,
                                          color=theme.DANGER, side=ft.BorderSide(theme.BORDER, theme.DANGER))
    return button


def form_buttons(cancel_on_click, submit: ft.Control, lang: str) -> ft.Row:
    """Cancel and the form's submit button, side by side at the bottom of a form."""
    cancel = wide_button(t("ui.cancel", lang), on_click=cancel_on_click, filled=False, height=theme.ACTION_H,
                         expand=True)
    return ft.Row([cancel, submit], spacing=theme.SPACE_M)


def photo_tile(data: bytes | None, size: int, sha: str, on_remove, tooltip: str | None = None) -> ft.Stack:
    """A picked photo with its remove button in the corner."""
    remove = ft.IconButton(ft.Icons.CLOSE, data=sha, on_click=on_remove, icon_color=theme.ON_COLOUR,
                           bgcolor=theme.SCRIM, width=theme.TAP, height=theme.TAP, tooltip=tooltip)
    return ft.Stack([photo_box(data, size), ft.Container(remove, right=0, top=0)], width=size, height=size)


def item_number(item, lang: str) -> str:
    """The server's number, or until the server has it a provisional one made from the item's id."""
    return item.number or t("ui.item.provisional", lang, short=item.id.replace("-", "")[-6:].upper())
