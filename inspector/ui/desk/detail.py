"""The selected item: before/after photos large side by side, evidence with its warnings, facts, timeline, decisions.

Decisions are the ones ``services.desk.allowed_decisions`` gives (permissions
and the state machine). A refused one (someone else acted first, the state
moved on) shows why in words above the photos, and the item is read again.
"""

import flet as ft

from inspector.domain import catalog
from inspector.domain.decision import extension_date_passed
from inspector.domain.lifecycle import Kind, rule_of
from inspector.i18n import listed, t
from inspector.services.desk import DeskItem
from inspector.ui import theme
from inspector.ui.desk import detail_facts, detail_merge, returns_pane
from inspector.ui.desk.dialogs import FormDialog
from inspector.ui.desk.parts import (BAR_PADDING, card, fresh, item_flags, office_choices, parse_day, status_tag, tag,
                                     text)
from inspector.ui.desk.visit_summary import VisitSummaryDialog
from inspector.ui.guard import Guard
from inspector.ui.kinds import look
from inspector.ui.widgets import item_number, refresh
from inspector.ui.zoom import page_size, photo_zoom

FINDING_PHOTO_H = 120
EXTRA_PHOTOS = 5  # small photos under the large one
EXTRA_PHOTO = 48
REJECT_PRESETS = 3


class ItemPane:
    def __init__(self, review):
        self.review, self.shell = review, review.shell
        self.item_id: str | None = None
        self.data: DeskItem | None = None
        self.error: str | None = None
        self.notice: str | None = None  # why the last decision was refused
        self.busy = False
        self.pinned = False  # opened from elsewhere: not in the list on the left
        self.buttons: dict[str, ft.Control] = {}
        self.passed_note: ft.Control | None = None  # "the day asked for has passed", in the decisions bar
        self.merges = None  # B: the item it was merged into, the items merged into it (detail_merge)
        self.visit_summary = VisitSummaryDialog(self.shell)  # issue 11: the visit an item came from
        self.root = ft.Container(expand=4, bgcolor=theme.DESK_PANE_BG)

    @property
    def lang(self) -> str:
        return self.shell.lang

    @property
    def item(self):
        return self.data.item

    async def load(self, item_id: str | None) -> None:
        if item_id != self.item_id:
            self.notice = None
        self.item_id = item_id
        if item_id is None:
            self.data, self.error = None, None
            self.render()
            return
        with Guard(self.lang) as failure:  # e.g. gone from sight: said in the pane
            data = await self.shell.call(self.review.desk.item, item_id)
        if self.item_id != item_id:  # another row was picked meanwhile
            return
        if failure.failed:
            self.data, self.error = None, failure.message
            self.render()
            return
        self.data, self.error = data, None
        self.merges = None
        self.render()
        merges = await detail_merge.load(self)
        if self.item_id != item_id:
            return
        self.merges = merges
        app = self.shell.app
        item = data.item
        wanted = [*item.photos[:1], *item.fix_photos[:1]]
        for finding in data.findings:
            wanted += list(finding.photos[:1])
        wanted += returns_pane.photos(data)[:3]
        for sha in wanted:
            await app.thumb(sha, "display")
        for sha in [*item.photos[1:], *item.fix_photos[1:]]:
            await app.thumb(sha)
        if self.item_id == item_id:
            self.render()

    def render(self) -> None:
        self.root.content = self.build()
        refresh(self.root)

    # ------------------------------------------------------------------ controls
    def build(self) -> ft.Control:
        lang = self.lang
        self.buttons = {}
        if self.error:
            return ft.Container(text(self.error, size=theme.DENSE_L, color=theme.DANGER), padding=theme.SPACE_PAGE)
        if self.data is None:
            words = t("desk.pane.loading", lang) if self.item_id else t("desk.pane.none", lang)
            return ft.Container(text(words, size=theme.DENSE_L, color=theme.MUTED), padding=theme.SPACE_PAGE,
                                alignment=ft.Alignment.CENTER)
        body: list[ft.Control] = []
        if self.notice:
            body.append(ft.Container(
                ft.Row([ft.Icon(ft.Icons.ERROR, color=theme.DANGER),
                        text(t("desk.pane.refused", lang, reason=self.notice), size=theme.SMALL, color=theme.DANGER,
                             weight=ft.FontWeight.W_600, expand=True)]),
                bgcolor=theme.DANGER_BG, padding=theme.SPACE_L, border_radius=theme.RADIUS_S,
                border=ft.Border.all(theme.BORDER, theme.DANGER)))
        if (returned := returns_pane.return_card(self)) is not None:
            body.append(returned)
        body += detail_merge.cards(self, self.merges)
        body.append(self.build_photos())
        if self.data.findings:
            body.append(self.build_findings())
        zone = self.shell.desk.zone
        body += [detail_facts.evidence(self.data, lang, zone, self.shell.app.settings.same_spot_m,
                                        self.shell.app.settings.location_accuracy_m),
                 detail_facts.facts(self.data, lang, zone, self.shell.desk.now(), self.visit_summary.on_open),
                 detail_facts.timeline(self.data, lang, zone)]
        return ft.Column([self.build_header(), ft.ListView(body, expand=True, spacing=theme.SPACE_XL,
                                                           padding=theme.SPACE_XXL),
                          self.build_decisions()], spacing=0, expand=True,
                         horizontal_alignment=ft.CrossAxisAlignment.STRETCH, data=fresh())

    def build_header(self) -> ft.Control:
        lang, item, now = self.lang, self.item, self.review.desk.now()
        chips: list[ft.Control] = [status_tag(item.status, lang, size=theme.DENSE)]
        words = theme.deadline_words(item, now, lang)
        if words:
            chips.append(tag(words, theme.OVERDUE) if item.overdue(now) else
                         text(words, color=theme.MUTED, weight=ft.FontWeight.W_600))
        chips += item_flags(item, lang, extension="ui.item.extension_pending")
        site = self.data.site_name
        supporting = listed((t(f"office.{o}", lang) for o in item.supporting_offices), lang)
        lead = (t("desk.pane.lead_office", lang, lead=t(f"office.{item.office}", lang), supporting=supporting)
                if supporting else t(f"office.{item.office}", lang))
        line = " · ".join(x for x in (lead, site) if x)
        return ft.Container(ft.Column([
            ft.Row([text(item_number(item, lang), size=theme.HEADLINE, weight=ft.FontWeight.BOLD, selectable=True),
                    *chips], spacing=theme.SPACE_M, wrap=True, vertical_alignment=ft.CrossAxisAlignment.CENTER),
            ft.Row([ft.Icon(theme.category_icon(catalog.category(item.category).icon), size=theme.ICON_S,
                            color=theme.PRIMARY),
                    text(t(f"category.{item.category}", lang), size=theme.DENSE_L, weight=ft.FontWeight.W_600),
                    text(line, size=theme.SMALL, color=theme.MUTED)], spacing=theme.SPACE_S),
        ], spacing=theme.SPACE_XS), padding=BAR_PADDING, bgcolor=theme.SURFACE,
            border=ft.Border(bottom=ft.BorderSide(theme.BORDER, theme.LINE)))

    def photo(self, sha: str | None, empty: str, height: int = theme.DESK_PHOTO_H) -> ft.Control:
        cache = self.shell.app.thumb_cache
        if not sha:
            return ft.Container(text(empty, size=theme.SMALL, color=theme.MUTED), height=height,
                                bgcolor=theme.PLACEHOLDER_BG, border_radius=theme.RADIUS_S,
                                alignment=ft.Alignment.CENTER, expand=True)
        data = cache.get(f"{sha}:display") or cache.get(sha)
        inner = (ft.Image(src=data, height=height, fit=ft.BoxFit.CONTAIN, border_radius=theme.RADIUS_S) if data
                 else ft.ProgressRing(width=theme.ICON_XL, height=theme.ICON_XL))
        return ft.Container(inner, height=height, bgcolor=theme.INK, border_radius=theme.RADIUS_S,
                            alignment=ft.Alignment.CENTER,
                            on_click=self.zoom, data=sha, tooltip=t("ui.item.zoom", self.lang), ink=True,
                            expand=True)

    def photo_side(self, title: str, shas, empty: str) -> ft.Control:
        cache = self.shell.app.thumb_cache
        extra = []
        for sha in list(shas)[1:1 + EXTRA_PHOTOS]:
            data = cache.get(sha)
            extra.append(ft.Container(ft.Image(src=data, width=EXTRA_PHOTO, height=EXTRA_PHOTO, fit=ft.BoxFit.COVER,
                                               border_radius=theme.DESK_RADIUS_XXS)
                                      if data else ft.Icon(ft.Icons.IMAGE, size=theme.ICON_M, color=theme.PLACEHOLDER),
                                      width=EXTRA_PHOTO, height=EXTRA_PHOTO, bgcolor=theme.PLACEHOLDER_BG,
                                      border_radius=theme.DESK_RADIUS_XXS, on_click=self.zoom, data=sha,
                                      alignment=ft.Alignment.CENTER))
        return ft.Column([text(title, weight=ft.FontWeight.BOLD, color=theme.MUTED),
                          ft.Row([self.photo(shas[0] if shas else None, empty)]),
                          ft.Row(extra, spacing=theme.SPACE_XS)], spacing=theme.SPACE_XS, expand=True)

    def build_photos(self) -> ft.Control:
        lang, item = self.lang, self.item
        return ft.Row([
            self.photo_side(t("ui.item.before", lang), item.photos, t("ui.item.no_photo", lang)),
            self.photo_side(t("ui.item.after", lang), item.fix_photos, t("ui.item.no_fix_yet", lang)),
        ], spacing=theme.SPACE_L, vertical_alignment=ft.CrossAxisAlignment.START)

    def build_findings(self) -> ft.Control:
        lang, zone = self.lang, self.shell.desk.zone
        rows: list[ft.Control] = []
        for f in self.data.findings:
            rows.append(text(t("desk.pane.finding", lang, name=f.actor_name, time=theme.local_time(f.at, zone)),
                             size=theme.SMALL, weight=ft.FontWeight.BOLD, color=theme.ACCENT))
            if f.note:
                rows.append(text(f.note, size=theme.SMALL))
            if f.photos:
                rows.append(ft.Row([self.photo(sha, "", height=FINDING_PHOTO_H) for sha in f.photos[:2]],
                                   spacing=theme.SPACE_S))
        return card(rows, title=t("desk.pane.findings", lang), border=theme.ACCENT, bgcolor=theme.DESK_FINDING_BG)

    # ------------------------------------------------------------------ decisions
    def decision_label(self, kind: str, keys: bool = True) -> str:
        """The button's words (with its key for V and R); ``keys=False`` for a dialog's title and button."""
        lang, item = self.lang, self.item
        if not keys and kind in (Kind.VERIFIED, Kind.REJECTED):  # the two with a key (V, R)
            return t(f"kind.{kind}", lang)
        if kind == "assigned" and item.status != "reported":
            return t("desk.decide.reassign", lang)
        if kind == "extension_granted" and item.extension_until:
            return t("desk.decide.extension_granted_until", lang, date=self.extension_day())
        return t(f"desk.decide.{kind}", lang)

    def extension_day(self) -> str:
        """The day the pending extension asks for, as the desk writes it (MM-DD)."""
        return theme.local_time(self.item.extension_until, self.shell.desk.zone)[5:10]

    def extension_passed(self) -> bool:
        """Has the day the pending extension asks for gone by? Then it is not granted (the decision's rule)."""
        until = self.item.extension_until
        return until is not None and extension_date_passed(until, self.review.desk.now())

    def build_decisions(self) -> ft.Control:
        lang = self.lang
        passed = self.extension_passed()
        # A grant to a day gone by would be refused: say so instead of offering it; refusing stays.
        kinds = [k for k in self.data.decisions if not (passed and k == Kind.EXTENSION_GRANTED)]
        bar = {"padding": BAR_PADDING, "bgcolor": theme.SURFACE,
               "border": ft.Border(top=ft.BorderSide(theme.BORDER, theme.LINE))}
        if not kinds:
            return ft.Container(text(t("desk.pane.no_decision", lang), color=theme.MUTED), **bar)
        buttons: list[ft.Control] = []
        self.passed_note = None
        if passed:
            self.passed_note = text(t("desk.pane.extension_passed", lang, date=self.extension_day()),
                                    size=theme.SMALL, color=theme.DANGER, weight=ft.FontWeight.W_600)
            buttons.append(self.passed_note)
        for kind in kinds:
            label = self.decision_label(kind)
            if look(kind).filled:
                button = ft.FilledButton(label, on_click=self.on_decision, data=kind, disabled=self.busy,
                                         style=ft.ButtonStyle(bgcolor=look(kind).filled, color=theme.ON_COLOUR))
            else:
                button = ft.OutlinedButton(label, on_click=self.on_decision, data=kind, disabled=self.busy)
            self.buttons[kind] = button
            buttons.append(button)
        return ft.Container(ft.Row(buttons, spacing=theme.SPACE_M, scroll=ft.ScrollMode.AUTO), **bar)

    async def on_decision(self, e) -> None:
        await self.start(e.control.data)

    async def shortcut(self, kind: str) -> None:
        """V and R: only when this decision is on offer for the item shown."""
        if self.data is not None and kind in self.data.decisions and not self.busy:
            await self.start(kind)

    async def start(self, kind: str) -> None:
        if self.data is None:
            return
        desk, item = self.review.desk, self.item
        if kind == "verified":
            await self.decide(kind, desk.verify, item)
        elif kind == "extension_granted":
            await self.decide(kind, desk.grant_extension, item)
        elif kind in returns_pane.ANSWERS:
            returns_pane.open_form(self, kind)
        elif kind == Kind.MERGED:
            await detail_merge.open_form(self)
        else:
            self.open_form(kind)

    def open_form(self, kind: str) -> None:
        lang, item, data = self.lang, self.item, self.data
        reason = ("reason", "multiline", t("desk.form.reason", lang), "", None)
        deadline = data.default_deadline.isoformat()
        leader_default = item.leader or data.top_leader or ""
        offices = office_choices(lang)
        presets = None
        if kind == "assigned":
            fields = [("office", "dropdown", t("desk.form.office", lang), item.office, offices),
                      ("leader", "text", t("desk.form.leader", lang), leader_default, None),
                      ("deadline", "date", t("desk.form.deadline", lang), deadline, self.shell.desk.today())]
            note = t("desk.form.deadline_note", lang, days=catalog.category(item.category).deadline_days)
        elif kind == "reopened":
            fields = [("leader", "text", t("desk.form.leader", lang), leader_default, None),
                      ("deadline", "date", t("desk.form.deadline", lang), deadline, self.shell.desk.today()), reason]
            note = t("desk.form.reopen_note", lang)
        else:
            fields = [reason]
            note = None
            if kind == "rejected":
                presets = [t(f"desk.preset.reject_{n}", lang) for n in range(1, REJECT_PRESETS + 1)]
        danger = look(kind).danger
        plain = self.decision_label(kind, False)
        self.form = FormDialog(self.shell, f"{plain} · {item_number(item, lang)}", fields, plain,
                               lambda values: self.submit_form(kind, values), note=note, danger=danger,
                               presets=presets, preset_field="reason" if presets else None)
        self.form.open()

    async def submit_form(self, kind: str, values: dict) -> str | None:
        """Check the form, then record; None closes the dialog, words keep it open."""
        lang, desk, item = self.lang, self.review.desk, self.item
        reason = (values.get("reason") or "").strip()
        leader = (values.get("leader") or "").strip()
        fields = rule_of(kind).schema.model_fields
        if "deadline" in fields:
            try:
                deadline = parse_day(values.get("deadline"))
            except ValueError:
                return t("ui.item.bad_date", lang)
            if deadline is None:
                return t("ui.item.bad_date", lang)
            if deadline < desk.today():
                return t("desk.form.deadline_past", lang)
            if not leader:
                return t("ui.item.need_leader", lang)
        if "reason" in fields and not reason:
            return t("ui.item.need_reason", lang)
        if kind == "assigned":
            call = (desk.assign, item, values.get("office") or item.office, leader, deadline)
        elif kind == "reopened":
            call = (desk.reopen, item, leader, deadline, reason)
        else:
            fn = {Kind.REJECTED: desk.reject, Kind.EXTENSION_REFUSED: desk.refuse_extension,
                  Kind.DISMISSED: desk.dismiss, Kind.DISPUTE_DISMISSED: desk.keep_verdict}[kind]
            call = (fn, item, reason)
        self.shell.close_dialog()
        await self.decide(kind, *call)
        return None

    async def decide(self, kind: str, fn, *args) -> bool:
        if self.busy or self.data is None:
            return False
        self.busy = True
        item = self.item
        with Guard(self.lang) as failure:  # stale, refused: said above the photos, the item read again
            await self.shell.call(fn, *args)
        if failure.failed:
            self.busy = False
            self.notice = failure.message
            self.shell.snack(self.notice, error=True)
            await self.review.load(select_first=False)  # the item stays in front, read again
            await self.load(item.id)
            self.pinned = item.id not in {i.id for i in self.review.rows}
            self.shell.update()
            return False
        self.busy = False
        self.notice = None
        self.shell.snack(t("desk.decided", self.lang, action=t(f"kind.{kind}", self.lang),
                           number=item_number(item, self.lang)))
        await self.review.after_decision(item.id)
        self.shell.update()
        return True

    async def on_open_merged(self, e) -> None:
        """Open the item a duplicate was merged into, or a duplicate of this one."""
        await self.review.open_item(e.control.data)

    # ------------------------------------------------------------------ zoom
    async def zoom(self, e) -> None:
        sha = e.control.data
        data = await self.shell.app.thumb(sha, "display")
        if not data:
            self.shell.snack(t("ui.item.photo_missing", self.lang), error=True)
            return
        # L: full screen, pinch and pan (inspector.ui.zoom, shared with the phone)
        self.zoom_dialog = photo_zoom(data, self.lang, self.close_zoom, page_size(self.shell.page))
        self.shell.show_dialog(self.zoom_dialog)

    async def close_zoom(self, e=None) -> None:
        self.shell.close_dialog()
