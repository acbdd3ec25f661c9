"""场所 (the site register): a searchable list of the sites, and what admins do to it.

Admins add and edit sites (type and office from dropdowns, the added types
included), retire and restore them, add site types, and import the register
from XLSX (Flet's ``FilePicker`` with the bytes; the bad rows are listed here
with their row numbers, nothing is imported half). Everyone on the desk
downloads the template, the register as XLSX and the QR sheet to print (of
the office chosen in the filter, or all). Supervisors see it all and are told
that only an admin may change it; the services check it again. An import or a
download shows a progress line under the toolbar while it runs (``desk.work``:
"正在导入 第 120/800 行", the QR sheet's percent) with those buttons off.
"""

import flet as ft

from inspector.domain.roles import Role
from inspector.errors import SiteImportRowsInvalid
from inspector.i18n import t
from inspector.reports import site_qr
from inspector.services import site_import
from inspector.services import sites as site_service
from inspector.ui import theme
from inspector.ui.desk.admin_sites_dialogs import open_site_dialog, open_type_dialog, problems_card
from inspector.ui.desk.parts import (
    ALL, SECTION_PADDING, card, cut, dropdown, field, head, loading, office_choices, office_short, outcome, tag, text,
)
from inspector.ui.desk.section import Section
from inspector.ui.desk.work import Work, percent_of
from inspector.ui.guard import Guard

SHOWN_MAX = 500  # rows drawn at once; the search narrows the rest
# the columns' widths; the address takes what is left (None)
WIDTHS = {"name": 210, "type": 150, "office": 90, "address": None, "contact": 190, "where": 140, "state": 64}
ACTIONS_W = 130


class SitesView(Section):
    def __init__(self, shell):
        super().__init__(shell)
        self.is_admin = shell.ws.actor.role == Role.ADMIN
        self.sites: list = []  # every site, retired ones too, by name
        self.types: list = []
        self.values: dict[str, str] = {"search": ""}
        self.office = ALL
        self.show_retired = False
        self.problems: list[dict] = []  # the last import's bad rows
        self.message: tuple[str, bool] | None = None
        self.error: str | None = None
        self.busy: str | None = None  # the import or the download under way ("import", "qr", ...)
        self.work = Work("sites-progress")
        self.form = None  # the dialog open last (add, edit, new type)
        self.picker = ft.FilePicker()  # held here: Flet drops services nothing references
        self.render()

    @property
    def ctx(self):
        return self.desk.ctx

    async def load(self) -> None:
        with self.guard(self.unreadable) as failure:
            self.sites = await self.shell.call(site_service.list_sites, self.ctx, None, True)
            self.types = await self.shell.call(site_service.site_types, self.ctx)
        if not failure.failed:
            self.error, self.loaded = None, True
        self.render()

    def unreadable(self, words: str) -> None:
        self.error = words
        self.warn(words)

    def say(self, words: str, error: bool = False) -> None:
        self.message = (words, error)
        if error:
            self.warn(words)

    # ------------------------------------------------------------------ what is shown
    def type_name(self, code: str) -> str:
        found = next((st for st in self.types if st.code == code), None)
        return site_service.site_type_name(code, found.names if found else {}, self.lang)

    def visible_sites(self) -> list:
        wanted = (self.values.get("search") or "").strip().casefold()
        out = []
        for s in self.sites:
            if not s.active and not self.show_retired:
                continue
            if self.office != ALL and s.office_code != self.office:
                continue
            if wanted and not any(wanted in words.casefold() for words in
                                  (s.name, s.address, s.contact, self.type_name(s.kind))):
                continue
            out.append(s)
        return out

    # ------------------------------------------------------------------ actions
    async def on_search(self, e) -> None:
        self.render()

    async def on_office(self, e) -> None:
        self.office = e.control.value or ALL
        self.render()

    async def on_retired(self, e) -> None:
        self.show_retired = bool(e.control.value)
        self.render()

    async def add_site(self, e=None) -> None:
        self.form = open_site_dialog(self)

    async def edit_site(self, e) -> None:
        site = next((s for s in self.sites if s.id == e.control.data), None)
        if site is not None:
            self.form = open_site_dialog(self, site)

    async def add_type(self, e=None) -> None:
        self.form = open_type_dialog(self)

    async def toggle_active(self, e) -> None:
        site = next((s for s in self.sites if s.id == e.control.data), None)
        if site is None:
            return
        with self.guard(lambda words: self.say(words, error=True)) as failure:
            await self.shell.call(site_service.set_active, self.ctx, self.desk.actor, site.id, not site.active)
        if not failure.failed:
            self.say(t("desk.sites.restored" if not site.active else "desk.sites.retired", self.lang,
                       name=site.name))
        await self.load()

    async def save(self, what: str, name: str, words: str, step_words, make, *args) -> None:
        """Make a file off the event loop (``make(*args)``, told ``progress`` when ``step_words`` is given) and
        hand it to the browser; say how it went."""
        lang = self.lang
        if self.busy is not None:  # a click that came before the buttons went off
            return
        self.busy = what
        self.render()
        with Guard(lang) as failure:
            data = await self.work.run(self.shell, words, step_words, make, *args)
            await self.shell.saver.save(name, data)
        self.busy = None
        self.render()  # the buttons are back before the message says so
        self.shell.snack(failure.message if failure.failed else
                         t("desk.sites.downloaded", lang, name=name, size=f"{len(data) / 1024:.0f}"),
                         error=failure.failed)

    async def download_template(self, e=None) -> None:
        await self.save("template", "sites-template.xlsx", t("desk.work.export", self.lang), None,
                        site_import.template, self.ctx)

    async def download_register(self, e=None) -> None:
        await self.save("export", "sites.xlsx", t("desk.work.export", self.lang), None, site_import.export, self.ctx)

    async def download_qr(self, e=None) -> None:
        lang = self.lang
        office = None if self.office == ALL else self.office
        base = site_service.public_url(self.ctx, self.page_origin())
        await self.save("qr", site_qr.filename(office), t("desk.work.qr", lang),
                        lambda done, total: t("desk.work.qr_step", lang, percent=percent_of(done, total)),
                        site_qr.render, self.ctx, base, office, lang)

    def page_origin(self) -> str:
        """The address this page was opened at (scheme and host), the QR links' default."""
        url = self.shell.page.url or ""
        scheme, _, rest = url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}" if rest else "http://127.0.0.1:8550"

    async def pick_import(self, e=None) -> None:
        files = await self.picker.pick_files(allowed_extensions=["xlsx"], with_data=True)
        chosen = next((f for f in files or [] if f.bytes), None)
        if chosen is not None:
            await self.import_file(chosen.bytes)

    async def import_file(self, data: bytes) -> None:
        """Import ``data`` (an XLSX): the sites it added and updated, or its bad rows listed."""
        lang = self.lang
        if self.busy is not None:  # a click that came before the buttons went off
            return
        self.busy, self.problems = "import", []
        self.render()
        with Guard(lang) as failure:
            result = await self.work.run(
                self.shell, t("desk.work.reading", lang),
                lambda done, total: t("desk.work.import_rows", lang, done=done, total=total),
                site_import.import_sites, self.ctx, self.desk.actor, data, lang)
        self.busy = None
        if isinstance(failure.error, SiteImportRowsInvalid):
            self.problems = list(failure.error.details["rows"])
            self.say(failure.message, error=True)
        elif failure.failed:
            self.say(failure.message, error=True)
        else:
            self.say(t("desk.sites.imported", lang, added=len(result.added), updated=len(result.updated)))
        await self.load()

    # ------------------------------------------------------------------ drawing
    def toolbar(self) -> ft.Control:
        lang = self.lang
        off, working = not self.is_admin or self.busy is not None, self.busy is not None
        search = field(self.shell, self.values, "search", t("desk.sites.search", lang), width=340,
                       on_change=self.on_search, prefix_icon=ft.Icons.SEARCH)
        office = dropdown(t("sites.column.office", lang), office_choices(lang, t("desk.filter.any", lang)),
                          self.office, self.on_office, width=220)
        retired = ft.Checkbox(label=t("desk.sites.show_retired", lang), value=self.show_retired,
                              on_change=self.on_retired)
        self.add_button = ft.FilledButton(t("desk.sites.add", lang), icon=ft.Icons.ADD_LOCATION_ALT,
                                          on_click=self.add_site, disabled=off)
        self.type_button = ft.OutlinedButton(t("desk.sites.add_type", lang), icon=ft.Icons.CATEGORY_OUTLINED,
                                             on_click=self.add_type, disabled=off)
        self.import_button = ft.OutlinedButton(t("desk.sites.import", lang), icon=ft.Icons.UPLOAD_FILE,
                                               on_click=self.pick_import, disabled=off)
        self.template_button = ft.TextButton(t("desk.sites.template", lang), icon=ft.Icons.TABLE_VIEW,
                                             on_click=self.download_template, disabled=working)
        self.export_button = ft.TextButton(t("desk.sites.export", lang), icon=ft.Icons.DOWNLOAD,
                                           on_click=self.download_register, disabled=working)
        self.qr_button = ft.TextButton(t("desk.sites.qr", lang), icon=ft.Icons.QR_CODE_2, on_click=self.download_qr,
                                       disabled=working)
        row = {"spacing": theme.SPACE_M, "wrap": True, "run_spacing": theme.SPACE_S,
               "vertical_alignment": ft.CrossAxisAlignment.CENTER}
        return ft.Column([
            ft.Row([search, office, retired], spacing=theme.SPACE_L,
                   vertical_alignment=ft.CrossAxisAlignment.CENTER),
            ft.Row([self.add_button, self.type_button, self.import_button, self.template_button, self.export_button,
                    self.qr_button], **row),
        ], spacing=theme.SPACE_M)

    def site_row(self, s) -> ft.Control:
        lang = self.lang
        state = tag(t("desk.sites.active", lang), theme.OK) if s.active else \
            tag(t("desk.sites.retired_tag", lang), theme.NEUTRAL)
        actions = [ft.TextButton(t("desk.sites.edit", lang), data=s.id, on_click=self.edit_site,
                                 disabled=not self.is_admin),
                   ft.TextButton(t("desk.sites.retire" if s.active else "desk.sites.restore", lang), data=s.id,
                                 on_click=self.toggle_active, disabled=not self.is_admin)]
        cells = [cut(s.name, weight=ft.FontWeight.W_600), cut(self.type_name(s.kind)),
                 cut(office_short(s.office_code, lang)), cut(s.address or "—"), cut(s.contact or "—"),
                 cut(f"{s.lat:.5f}, {s.lon:.5f}", size=theme.DENSE_S, color=theme.MUTED)]
        boxes = [ft.Container(c, width=w, expand=w is None) for c, w in zip(cells, WIDTHS.values())]
        boxes += [ft.Container(ft.Row([state], tight=True), width=WIDTHS["state"]),
                  ft.Row(actions, spacing=0, width=ACTIONS_W)]
        return ft.Container(ft.Row(boxes, spacing=theme.SPACE_M, vertical_alignment=ft.CrossAxisAlignment.CENTER),
                            data=s.id, padding=ft.Padding.symmetric(vertical=theme.SPACE_XXS),
                            border=ft.Border(bottom=ft.BorderSide(theme.BORDER, theme.LINE)))

    def table(self, shown: list) -> ft.Control:
        lang = self.lang
        heads = [ft.Container(head(t(f"desk.sites.col.{key}", lang)), width=w, expand=w is None)
                 for key, w in WIDTHS.items()]
        heads.append(head("", width=ACTIONS_W))
        rows = [self.site_row(s) for s in shown[:SHOWN_MAX]]
        if not rows:
            rows = [text(t("desk.sites.none", lang), color=theme.MUTED)]
        return card([ft.Row(heads, spacing=theme.SPACE_M),
                     ft.ListView(rows, spacing=0, expand=True)], padding=theme.SPACE_XL, spacing=theme.SPACE_S,
                    expand=True)

    def build(self) -> ft.Control:
        if self.error:
            return ft.Container(text(self.error, size=theme.SMALL, color=theme.DANGER), padding=theme.SPACE_PAGE)
        if not self.loaded:
            return loading()
        lang = self.lang
        shown = self.visible_sites()
        active = sum(1 for s in self.sites if s.active)
        lines: list[ft.Control] = [self.toolbar()]
        if not self.is_admin:
            lines.append(text(t("sites.admin_only", lang), color=theme.WARN))
        lines.append(text(t("desk.sites.count", lang, shown=min(len(shown), SHOWN_MAX), active=active,
                            retired=len(self.sites) - active), color=theme.MUTED, size=theme.DENSE_S))
        lines.append(self.work.progress.root)
        if self.message:
            lines.append(outcome(*self.message))
        if self.problems:
            lines.append(problems_card(self.problems, lang))
        lines.append(self.table(shown))
        return ft.Container(ft.Column(lines, spacing=theme.SPACE_L, expand=True), padding=SECTION_PADDING,
                            expand=True)
