"""Admin's checklists card: a site type's checklist against the standard, edited and saved as a new version.

Pick a site type; its current version's points show in order, each with its
words in both languages, the problem category a failure becomes and its 带*
switch, and can be moved, removed or added. Saving stores a new version (第 N
版) and never changes an old one; the history lists every version, and one
opened shows read-only. The edit names the version it started from, so when
another admin saved first the save is refused, the edit stays on the screen
and the next save goes on top of theirs. Admins edit; supervisors read.
"""

import flet as ft

from inspector.domain import catalog
from inspector.domain.checklists import Checklist
from inspector.errors import ChecklistConflict
from inspector.i18n import t
from inspector.services.sites import site_type_name
from inspector.ui import theme
from inspector.ui.desk.admin_panel import CARD_PAD, Panel
from inspector.ui.desk.parts import card, dropdown, link, text

TYPE_W, CATEGORY_W, WORDS_W = 260, 230, 270  # the pickers' and the words' widths
HISTORY_SHOWN = 10


def draft_of(c: Checklist | None) -> list[dict]:
    """A version's points as the editor holds them (empty for a type without a checklist)."""
    return [{"code": p.code, "zh": p.text.get("zh-CN", ""), "en": p.text.get("en", ""), "category": p.category,
             "starred": p.starred} for p in (c.points if c is not None else ())]


def points_of(draft: list[dict]) -> list[dict]:
    """The editor's points as ``Desk.save_checklist`` takes them."""
    return [{"code": d["code"], "category": d["category"], "starred": bool(d["starred"]),
             "text": {lang: d[key].strip() for lang, key in (("zh-CN", "zh"), ("en", "en")) if d[key].strip()}}
            for d in draft]


def new_code(draft: list[dict]) -> str:
    """A code no point of ``draft`` has: ``point_<n>``."""
    taken = {d["code"] for d in draft}
    return next(f"point_{n}" for n in range(len(draft) + 1, len(draft) + 2 + len(taken)) if f"point_{n}" not in taken)


class ChecklistsPanel(Panel):
    name = "checklists"

    def __init__(self, admin):
        super().__init__(admin)
        self.current: dict[str, Checklist] = {}  # site type -> its current version
        self.types: list = []  # SiteTypePublic, the shipped ones first
        self.site_type: str | None = None
        self.drafts: dict[str, list[dict]] = {}  # site type -> the points being edited
        self.bases: dict[str, int] = {}  # site type -> the version its draft started from (0: none)
        self.history: list = []  # VersionPublic of the site type shown, newest first
        self.viewing: Checklist | None = None  # an old version opened read-only

    # ------------------------------------------------------------------ reading
    async def load(self) -> None:
        lists, self.types = await self.shell.call(self.desk.checklists)
        self.current = {c.site_type: c for c in lists}
        if self.site_type is None and self.types:
            self.site_type = self.types[0].code
        await self.open_type(self.site_type)

    async def open_type(self, site_type: str | None) -> None:
        self.site_type, self.viewing = site_type, None
        if site_type is None:
            return
        if site_type not in self.drafts:
            self.restart(site_type)
        self.history = await self.shell.call(self.desk.checklist_history, site_type)

    def restart(self, site_type: str) -> None:
        """The draft of ``site_type`` afresh from its current version."""
        c = self.current.get(site_type)
        self.drafts[site_type], self.bases[site_type] = draft_of(c), c.version if c else 0

    @property
    def draft(self) -> list[dict]:
        return self.drafts.setdefault(self.site_type, [])

    def type_name(self, code: str) -> str:
        names = next((st.names for st in self.types if st.code == code), None)
        return site_type_name(code, names, self.lang)

    # ------------------------------------------------------------------ actions
    async def on_type(self, e) -> None:
        with self.guard():
            await self.open_type(e.control.value or None)
        self.render()

    async def on_words(self, e) -> None:
        index, key = e.control.data
        self.draft[index][key] = e.control.value or ""

    async def on_category(self, e) -> None:
        self.draft[e.control.data]["category"] = e.control.value or self.draft[e.control.data]["category"]

    async def on_star(self, e) -> None:
        self.draft[e.control.data[1]]["starred"] = bool(e.control.value)
        self.render()

    async def move(self, e) -> None:
        step, index = e.control.data
        other = index + (-1 if step == "up" else 1)
        draft = self.draft
        if 0 <= other < len(draft):
            draft[index], draft[other] = draft[other], draft[index]
        self.render()

    async def remove(self, e) -> None:
        del self.draft[e.control.data[1]]
        self.render()

    async def add(self, e=None) -> None:
        self.draft.append({"code": new_code(self.draft), "zh": "", "en": "", "category": catalog.CATEGORIES[0].code,
                           "starred": False})
        self.render()

    async def save(self, e=None) -> None:
        site_type = self.site_type
        with self.guard() as failure:
            try:
                saved = await self.shell.call(self.desk.save_checklist, site_type, points_of(self.draft),
                                              self.bases[site_type])
            except ChecklistConflict:
                await self.reread(site_type)  # the next save goes on top of the version that won; the edit stays
                raise
        if not failure.failed:
            self.current[site_type] = saved.checklist
            self.restart(site_type)
            self.history = await self.shell.call(self.desk.checklist_history, site_type)
            self.say(t("desk.checklists.saved", self.lang, version=saved.checklist.version) if saved.new
                     else t("desk.checklists.unchanged", self.lang))
        self.render()

    async def reread(self, site_type: str) -> None:
        lists, self.types = await self.shell.call(self.desk.checklists)
        self.current = {c.site_type: c for c in lists}
        c = self.current.get(site_type)
        self.bases[site_type] = c.version if c else 0
        self.history = await self.shell.call(self.desk.checklist_history, site_type)

    async def open_version(self, e) -> None:
        with self.guard():
            self.viewing = await self.shell.call(self.desk.checklist, e.control.data)
        self.render()

    async def back(self, e=None) -> None:
        self.viewing = None
        self.render()

    # ------------------------------------------------------------------ drawing
    def build(self) -> ft.Control:
        lang = self.lang
        choices = [(st.code, self.type_name(st.code)) for st in self.types]
        self.type_picker = dropdown(t("desk.checklists.site_type", lang), choices, self.site_type, self.on_type,
                                    width=TYPE_W, data="cl_type")
        rows: list[ft.Control] = [*self.admin_only(), ft.Row([self.type_picker, *self.version_tags()],
                                                             spacing=theme.SPACE_L, wrap=True)]
        if self.site_type is not None:
            rows += self.old_version() if self.viewing is not None else self.editor()
            rows += self.history_rows()
        return card(rows, title=t("desk.checklists.title", lang), padding=CARD_PAD, spacing=theme.SPACE_L)

    def version_tags(self) -> list[ft.Control]:
        c = self.current.get(self.site_type)
        if c is None:
            return []
        starred = sum(1 for p in c.points if p.starred)
        return [text(t("desk.checklists.version", self.lang, version=c.version), weight=ft.FontWeight.BOLD,
                     color=theme.PRIMARY),
                text(t("desk.checklists.points", self.lang, count=len(c.points), starred=starred), color=theme.MUTED)]

    def editor(self) -> list[ft.Control]:
        lang, off = self.lang, not self.is_admin
        rows: list[ft.Control] = [text(t("desk.checklists.starred_hint", lang), size=theme.DENSE_S, color=theme.MUTED)]
        if not self.draft:
            rows.append(text(t("desk.checklists.none_yet", lang), color=theme.MUTED))
        for index, point in enumerate(self.draft):
            rows.append(self.point_row(index, point, off))
        self.add_button = ft.OutlinedButton(t("desk.checklists.add", lang), icon=ft.Icons.ADD, on_click=self.add,
                                            disabled=off)
        self.save_button = ft.FilledButton(t("desk.checklists.save", lang), icon=ft.Icons.SAVE, on_click=self.save,
                                           disabled=off or not self.draft)
        rows += [ft.Row([self.add_button, self.save_button], spacing=theme.SPACE_L), *self.message()]
        return rows

    def point_row(self, index: int, point: dict, off: bool) -> ft.Control:
        lang, last = self.lang, len(self.draft) - 1
        categories = [(c.code, t(f"category.{c.code}", lang)) for c in catalog.CATEGORIES]

        def words(key: str, label: str) -> ft.TextField:
            return ft.TextField(label=label, value=point[key], width=WORDS_W, dense=True, text_size=theme.SMALL,
                                multiline=True, min_lines=1, max_lines=4, on_change=self.on_words,
                                on_focus=self.shell.typing_on, on_blur=self.shell.typing_off, data=(index, key),
                                disabled=off)

        def button(icon, tip: str, action, data, disabled: bool) -> ft.IconButton:
            return ft.IconButton(icon=icon, tooltip=t(tip, lang), on_click=action, data=data, disabled=off or disabled)

        head = ft.Row([
            text(f"{index + 1}.", weight=ft.FontWeight.BOLD, width=theme.SPACE_XXL + theme.SPACE_S,
                 tooltip=f"{t('desk.checklists.code', lang)} {point['code']}"),
            dropdown(t("desk.checklists.category", lang), categories, point["category"], self.on_category,
                     width=CATEGORY_W, data=index, disabled=off),
            ft.Switch(label=t("desk.checklists.starred", lang), value=point["starred"], on_change=self.on_star,
                      data=("star", index), disabled=off),
            button(ft.Icons.ARROW_UPWARD, "desk.checklists.up", self.move, ("up", index), index == 0),
            button(ft.Icons.ARROW_DOWNWARD, "desk.checklists.down", self.move, ("down", index), index == last),
            button(ft.Icons.DELETE_OUTLINE, "desk.checklists.remove", self.remove, ("remove", index), False),
        ], spacing=theme.SPACE_M, vertical_alignment=ft.CrossAxisAlignment.CENTER, wrap=True)
        body = ft.Row([words("zh", t("desk.checklists.words_zh", lang)),
                       words("en", t("desk.checklists.words_en", lang))], spacing=theme.SPACE_M, wrap=True)
        return ft.Container(ft.Column([head, body], spacing=theme.SPACE_S), padding=theme.SPACE_M,
                            border=ft.Border.all(theme.BORDER, theme.DANGER if point["starred"] else theme.LINE),
                            border_radius=theme.DESK_RADIUS, data=f"point-{index}")

    def old_version(self) -> list[ft.Control]:
        lang, c = self.lang, self.viewing
        rows: list[ft.Control] = [ft.Row([
            text(t("desk.checklists.viewing", lang, version=c.version), weight=ft.FontWeight.BOLD, color=theme.WARN),
            ft.TextButton(t("desk.checklists.back", lang), icon=ft.Icons.ARROW_BACK, on_click=self.back),
        ], spacing=theme.SPACE_L)]
        for number, p in enumerate(c.points, start=1):
            star = "★ " if p.starred else ""
            rows.append(ft.Column([
                text(f"{number}. {star}{p.words(lang)}", weight=ft.FontWeight.BOLD if p.starred else None,
                     color=theme.DANGER if p.starred else theme.INK, selectable=True),
                text(t(f"category.{p.category}", lang), size=theme.DENSE_S, color=theme.MUTED),
            ], spacing=theme.SPACE_XXS))
        return rows

    def history_rows(self) -> list[ft.Control]:
        lang = self.lang
        rows: list[ft.Control] = [ft.Divider(height=theme.SPACE_M, color=theme.LINE),
                                  text(t("desk.checklists.history", lang), weight=ft.FontWeight.BOLD)]
        current = self.current.get(self.site_type)
        for v in self.history[:HISTORY_SHOWN]:
            line = t("desk.checklists.version_line", lang, version=v.version,
                     time=theme.local_time(v.created_at, self.desk.zone), count=v.points)
            is_current = current is not None and v.id == current.id
            rows.append(ft.Row([
                text(line, expand=True),
                text(t("desk.checklists.current", lang), color=theme.OK) if is_current else ft.Container(),
                link(t("desk.checklists.open", lang), self.open_version, data=v.id),
            ], spacing=theme.SPACE_L))
        return rows
