"""The selected item: before/after photos large side by side, evidence with its warnings, facts, timeline, decisions.

Decisions are the ones ``services.desk.allowed_decisions`` gives (permissions
and the state machine). A refused one (someone else acted first, the state
moved on) shows why in words above the photos, and the item is read again.
"""

import logging
import flet as ft

from inspector.domain import catalog
from inspector.geo.distance import Point
from inspector.geo.places import format_coordinates
from inspector.i18n import t
from inspector.services.desk import DeskItem
from inspector.ui import theme
from inspector.ui.desk.dialogs import FormDialog
from inspector.ui.desk.parts import LINE, WARN_BG, card, fresh, parse_day, status_tag, tag, text
from inspector.ui.widgets import item_number

log = logging.getLogger(__name__)
PHOTO_H = 230
CLOCKS = ("exif", "device", "server")
POOR_ACCURACY_M = 30
FORMS = ("assigned", "rejected", "extension_refused", "dismissed", "reopened", "dispute_dismissed")


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
        self.root = ft.Container(expand=4, bgcolor="#F7F9FA")

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
        try:
            data = await self.shell.call(self.review.desk.item, item_id)
        except Exception as error:  # noqa: BLE001 - e.g. gone from sight
            if self.item_id == item_id:
                self.data, self.error = None, self.shell.words(error)
                self.render()
            return
        if self.item_id != item_id:  # another row was picked meanwhile
            return
        self.data, self.error = data, None
        self.render()
        app = self.shell.app
        item = data.item
        wanted = [*item.photos[:1], *item.fix_photos[:1]]
        for finding in data.findings:
            wanted += list(finding.photos[:1])
        for sha in wanted:
            await app.thumb(sha, "display")
        for sha in [*item.photos[1:], *item.fix_photos[1:]]:
            await app.thumb(sha)
        if self.item_id == item_id:
            self.render()

    def render(self) -> None:
        self.root.content = self.build()
        try:
            self.root.update()
        except RuntimeError:
            pass

    # ------------------------------------------------------------------ controls
    def build(self) -> ft.Control:
        lang = self.lang
        self.buttons = {}
        if self.error:
            return ft.Container(text(self.error, size=15, color=theme.DANGER), padding=24)
        if self.data is None:
            words = t("desk.pane.loading", lang) if self.item_id else t("desk.pane.none", lang)
            return ft.Container(text(words, size=15, color=theme.MUTED), padding=24, alignment=ft.Alignment.CENTER)
        body: list[ft.Control] = []
        if self.notice:
            body.append(ft.Container(
                ft.Row([ft.Icon(ft.Icons.ERROR, color=theme.DANGER),
                        text(t("desk.pane.refused", lang, reason=self.notice), size=14, color=theme.DANGER,
                             weight=ft.FontWeight.W_600, expand=True)]),
                bgcolor=WARN_BG, padding=10, border_radius=8, border=ft.Border.all(1, theme.DANGER)))
        body.append(self.build_photos())
        if self.data.findings:
            body.append(self.build_findings())
        body += [self.build_evidence(), self.build_facts(), self.build_timeline()]
        return ft.Column([self.build_header(), ft.ListView(body, expand=True, spacing=12, padding=14),
                          self.build_decisions()], spacing=0, expand=True,
                         horizontal_alignment=ft.CrossAxisAlignment.STRETCH, data=fresh())

    def build_header(self) -> ft.Control:
        lang, item, now = self.lang, self.item, self.review.desk.now()
        chips: list[ft.Control] = [status_tag(item.status, lang, size=13)]
        words = theme.deadline_words(item, now, lang)
        if words:
            chips.append(tag(words, theme.OVERDUE) if item.overdue(now) else
                         text(words, color=theme.MUTED, weight=ft.FontWeight.W_600))
        if item.rebounded:
            chips.append(tag(t("ui.item.rebounded", lang, count=item.rebound_count), "#FFFFFF", theme.REBOUND,
                             outline=theme.REBOUND))
        if item.extension_pending:
            chips.append(tag(t("ui.item.extension_pending", lang), "#FFF3E0", "#E65100"))
        if item.disputed:
            chips.append(tag(t("desk.flag.disputed", lang), "#F3E5F5", "#6A1B9A"))
        site = self.data.site_name
        line = " · ".join(x for x in (t(f"office.{item.office}", lang), site) if x)
        return ft.Container(ft.Column([
            ft.Row([text(item_number(item, lang), size=20, weight=ft.FontWeight.BOLD, selectable=True), *chips],
                   spacing=8, wrap=True, vertical_alignment=ft.CrossAxisAlignment.CENTER),
            ft.Row([ft.Icon(theme.category_icon(catalog.category(item.category).icon), size=18, color=theme.PRIMARY),
                    text(t(f"category.{item.category}", lang), size=15, weight=ft.FontWeight.W_600),
                    text(line, size=14, color=theme.MUTED)], spacing=6),
        ], spacing=4), padding=ft.Padding(14, 10, 14, 10), bgcolor="#FFFFFF",
            border=ft.Border(bottom=ft.BorderSide(1, LINE)))

    def photo(self, sha: str | None, empty: str, height: int = PHOTO_H) -> ft.Control:
        cache = self.shell.app.thumb_cache
        if not sha:
            return ft.Container(text(empty, size=14, color=theme.MUTED), height=height, bgcolor="#ECEFF1",
                                border_radius=8, alignment=ft.Alignment.CENTER, expand=True)
        data = cache.get(f"{sha}:display") or cache.get(sha)
        inner = (ft.Image(src=data, height=height, fit=ft.BoxFit.CONTAIN, border_radius=8) if data
                 else ft.ProgressRing(width=28, height=28))
        return ft.Container(inner, height=height, bgcolor="#263238", border_radius=8, alignment=ft.Alignment.CENTER,
                            on_click=self.zoom, data=sha, tooltip=t("ui.item.zoom", self.lang), ink=True,
                            expand=True)

    def photo_side(self, title: str, shas, empty: str) -> ft.Control:
        cache = self.shell.app.thumb_cache
        extra = []
        for sha in list(shas)[1:6]:
            data = cache.get(sha)
            extra.append(ft.Container(ft.Image(src=data, width=48, height=48, fit=ft.BoxFit.COVER, border_radius=4)
                                      if data else ft.Icon(ft.Icons.IMAGE, size=20, color="#90A4AE"),
                                      width=48, height=48, bgcolor="#ECEFF1", border_radius=4, on_click=self.zoom,
                                      data=sha, alignment=ft.Alignment.CENTER))
        return ft.Column([text(title, size=13, weight=ft.FontWeight.BOLD, color=theme.MUTED),
                          ft.Row([self.photo(shas[0] if shas else None, empty)]),
                          ft.Row(extra, spacing=4)], spacing=4, expand=True)

    def build_photos(self) -> ft.Control:
        lang, item = self.lang, self.item
        return ft.Row([
            self.photo_side(t("ui.item.before", lang), item.photos, t("ui.item.no_photo", lang)),
            self.photo_side(t("ui.item.after", lang), item.fix_photos, t("ui.item.no_fix_yet", lang)),
        ], spacing=10, vertical_alignment=ft.CrossAxisAlignment.START)

    def build_findings(self) -> ft.Control:
        lang, zone = self.lang, self.shell.desk.zone
        rows: list[ft.Control] = []
        for f in self.data.findings:
            rows.append(text(t("desk.pane.finding", lang, name=f.actor_name, time=theme.local_time(f.at, zone)),
                             size=14, weight=ft.FontWeight.BOLD, color="#6A1B9A"))
            if f.note:
                rows.append(text(f.note, size=14))
            if f.photos:
                rows.append(ft.Row([self.photo(sha, "", height=120) for sha in f.photos[:2]], spacing=6))
        return card(rows, title=t("desk.pane.findings", lang), border="#6A1B9A", bgcolor="#FBF5FC")

    def clock_words(self, disagreements) -> str:
        lang = self.lang
        return "；".join(t("desk.evidence.clock_gap", lang, a=t(f"desk.clock.{a}", lang), b=t(f"desk.clock.{b}", lang),
                           minutes=f"{m:.0f}") for a, b, m in disagreements)

    def build_evidence(self) -> ft.Control:
        lang, item, zone, settings = self.lang, self.item, self.shell.desk.zone, self.shell.app.settings
        loc = item.location
        where = format_coordinates(Point(loc.lat, loc.lon)) + " · " + t(f"source.{loc.source}", lang)
        if loc.accuracy_m is not None:
            where += f" · ±{loc.accuracy_m:.0f} m"
        poor = loc.accuracy_m is not None and loc.accuracy_m > POOR_ACCURACY_M
        rows: list[ft.Control] = [self.evidence_line(ft.Icons.PLACE, t("desk.evidence.item_location", lang,
                                                                        where=where), warn=poor)]
        if poor:
            rows.append(self.warning(t("desk.evidence.poor_accuracy", lang, metres=f"{loc.accuracy_m:.0f}")))
        for e in self.data.evidence:
            role = t(f"desk.role.{e.role}", lang)
            rows.append(ft.Divider(height=6, color="#ECEFF1"))
            rows.append(text(t("desk.evidence.photo", lang, role=role, who=e.taken_by or "—"), size=14,
                             weight=ft.FontWeight.BOLD))
            camera = theme.local_time(e.camera_time, zone) if e.camera_time else t("desk.evidence.no_camera_time", lang)
            times = t("desk.evidence.times", lang, camera=camera, device=theme.local_time(e.device_time, zone),
                      server=theme.local_time(e.server_time, zone))
            rows.append(self.evidence_line(ft.Icons.SCHEDULE, times, warn=e.time_flagged))
            if e.time_flagged:
                rows.append(self.warning(t("desk.evidence.time_warning", lang,
                                           gaps=self.clock_words(e.time_disagreements))))
            source = (t(f"source.{e.location_source}", lang) if e.location_source
                      else t("desk.evidence.no_position", lang))
            if e.distance_m is None:
                place = t("desk.evidence.position_unknown", lang, source=source) if e.role != "before" \
                    else t("desk.evidence.position", lang, source=source)
                rows.append(self.evidence_line(ft.Icons.MY_LOCATION, place))
            elif e.distance_flagged:
                rows.append(self.warning(t("desk.evidence.far", lang, metres=f"{e.distance_m:.0f}",
                                           limit=f"{settings.same_spot_m:.0f}", source=source)))
            else:
                rows.append(self.evidence_line(ft.Icons.CHECK_CIRCLE, t("desk.evidence.near", lang,
                                                                        metres=f"{e.distance_m:.0f}", source=source),
                                               colour=theme.OK))
        flagged = sum(1 for e in self.data.evidence if e.time_flagged or e.distance_flagged)
        title = t("desk.evidence.title", lang)
        if flagged:
            title += " · " + t("desk.evidence.flagged", lang, count=flagged)
        return card(rows, title=title, border=theme.DANGER if flagged else LINE, spacing=6)

    def evidence_line(self, icon, words: str, warn: bool = False, colour: str | None = None) -> ft.Control:
        colour = theme.DANGER if warn else (colour or "#37474F")
        return ft.Row([ft.Icon(icon, size=16, color=colour), text(words, size=13, color=colour, expand=True,
                                                                  selectable=True)],
                      spacing=6, vertical_alignment=ft.CrossAxisAlignment.START)

    def warning(self, words: str) -> ft.Control:
        return ft.Container(ft.Row([ft.Icon(ft.Icons.WARNING_AMBER, size=18, color=theme.DANGER),
                                    text(words, size=13, color=theme.DANGER, weight=ft.FontWeight.BOLD, expand=True)],
                                   spacing=6), bgcolor=WARN_BG, padding=ft.Padding(8, 6, 8, 6), border_radius=6)

    def fact(self, key: str, value: str | None, warn: bool = False) -> ft.Control | None:
        if not value:
            return None
        return ft.Row([text(t(key, self.lang), size=13, color=theme.MUTED, width=92),
                       text(value, size=13, expand=True, selectable=True, color=theme.DANGER if warn else None,
                            weight=ft.FontWeight.W_600 if warn else None)],
                      vertical_alignment=ft.CrossAxisAlignment.START)

    def build_facts(self) -> ft.Control:
        lang, item, zone, now = self.lang, self.item, self.shell.desk.zone, self.shell.desk.now()
        extension = None
        if item.extension_until:
            extension = theme.local_time(item.extension_until, zone)[:10]
            if item.extension_reason:
                extension += f"（{item.extension_reason}）"
        rows = [
            self.fact("ui.item.office", t(f"office.{item.office}", lang)),
            self.fact("ui.item.leader", item.leader),
            self.fact("ui.item.site", self.data.site_name),
            self.fact("ui.item.check_type", t(f"check_type.{item.check_type}", lang)),
            self.fact("ui.item.severity", t(f"severity.{item.severity}", lang)),
            self.fact("desk.fact.reporter", self.data.reporter_name),
            self.fact("ui.item.reported_at", theme.local_time(item.reported_at, zone)),
            self.fact("ui.item.deadline", theme.local_time(item.deadline, zone), warn=item.overdue(now)),
            self.fact("ui.item.extension_until", extension),
            self.fact("desk.fact.look_back", theme.local_time(item.look_back_due, zone)),
            self.fact("desk.fact.counts", t("desk.fact.counts_value", lang, rework=item.rework_count,
                                            rebound=item.rebound_count, extended=item.extensions_granted)),
            self.fact("desk.fact.last_reason", item.last_reason),
            self.fact("ui.item.description", item.description),
        ]
        return card([r for r in rows if r is not None], title=t("desk.fact.title", lang), spacing=6)

    def build_timeline(self) -> ft.Control:
        lang, zone = self.lang, self.shell.desk.zone
        rows: list[ft.Control] = []
        for entry in reversed(self.data.timeline):
            when = theme.local_time(entry.at, zone)
            head = [text(t(f"kind.{entry.kind}", lang), size=14, weight=ft.FontWeight.BOLD),
                    text(f"{entry.actor_name} · {when}", size=13, color=theme.MUTED)]
            if abs((entry.at - entry.device_at).total_seconds()) > 600:
                head.append(text(t("desk.timeline.device_time", lang, time=theme.local_time(entry.device_at, zone)),
                                 size=12, color="#E65100"))
            lines: list[ft.Control] = [ft.Row(head, spacing=8, wrap=True)]
            p = entry.payload
            if entry.kind == "spot_checked":
                lines.append(text(t(f"desk.verdict.{p.get('verdict')}", lang), size=13,
                                  color=theme.DANGER if p.get("verdict") == "disagree" else theme.OK,
                                  weight=ft.FontWeight.W_600))
            for key in ("reason", "note", "text"):
                if p.get(key):
                    lines.append(text(str(p[key]), size=13))
            if p.get("until"):
                lines.append(text(t("ui.item.until", lang, date=str(p["until"])[:10]), size=13))
            if p.get("leader") and p.get("deadline"):
                lines.append(text(t("ui.item.leader_deadline", lang, leader=p["leader"], date=str(p["deadline"])[:10]),
                                  size=13))
            if entry.kind == "assigned" and p.get("office"):
                lines.append(text(t(f"office.{p['office']}", lang), size=13, color=theme.MUTED))
            colour = theme.STATUS_COLOURS.get(entry.kind, (theme.PRIMARY,))[0]
            if entry.kind in ("rejected", "rebounded", "extension_refused", "reopened"):
                colour = theme.DANGER
            rows.append(ft.Container(ft.Column(lines, spacing=2), padding=ft.Padding(10, 4, 6, 4),
                                     border=ft.Border(left=ft.BorderSide(3, colour))))
        return card(rows, title=t("ui.item.timeline", lang), spacing=6)

    # ------------------------------------------------------------------ decisions
    def decision_label(self, kind: str, keys: bool = True) -> str:
        """The button's words (with its key for V and R); ``keys=False`` for a dialog's title and button."""
        lang, item = self.lang, self.item
        if not keys and kind in ("verified", "rejected"):
            return t(f"kind.{kind}", lang)
        if kind == "assigned" and item.status != "reported":
            return t("desk.decide.reassign", lang)
        if kind == "extension_granted" and item.extension_until:
            until = theme.local_time(item.extension_until, self.shell.desk.zone)[5:10]
            return t("desk.decide.extension_granted_until", lang, date=until)
        return t(f"desk.decide.{kind}", lang)

    def build_decisions(self) -> ft.Control:
        lang = self.lang
        kinds = self.data.decisions
        if not kinds:
            return ft.Container(text(t("desk.pane.no_decision", lang), size=13, color=theme.MUTED),
                                padding=ft.Padding(14, 10, 14, 10), bgcolor="#FFFFFF",
                                border=ft.Border(top=ft.BorderSide(1, LINE)))
        buttons = []
        for kind in kinds:
            label = self.decision_label(kind)
            if kind in ("verified", "assigned", "extension_granted"):
                button = ft.FilledButton(label, on_click=self.on_decision, data=kind, disabled=self.busy,
                                         style=ft.ButtonStyle(bgcolor=theme.OK if kind == "verified" else theme.PRIMARY,
                                                              color="#FFFFFF"))
            elif kind in ("rejected", "reopened"):
                button = ft.FilledButton(label, on_click=self.on_decision, data=kind, disabled=self.busy,
                                         style=ft.ButtonStyle(bgcolor=theme.DANGER, color="#FFFFFF"))
            else:
                button = ft.OutlinedButton(label, on_click=self.on_decision, data=kind, disabled=self.busy)
            self.buttons[kind] = button
            buttons.append(button)
        return ft.Container(ft.Row(buttons, spacing=8, scroll=ft.ScrollMode.AUTO), padding=ft.Padding(14, 10, 14, 10),
                            bgcolor="#FFFFFF", border=ft.Border(top=ft.BorderSide(1, LINE)))

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
        else:
            self.open_form(kind)

    def open_form(self, kind: str) -> None:
        lang, item, data = self.lang, self.item, self.data
        reason = ("reason", "multiline", t("desk.form.reason", lang), "", None)
        deadline = data.default_deadline.isoformat()
        leader_default = item.leader or data.top_leader or ""
        offices = [(o.code, t(f"office.{o.code}", lang)) for o in catalog.OFFICES]
        presets = None
        if kind == "assigned":
            fields = [("office", "dropdown", t("desk.form.office", lang), item.office, offices),
                      ("leader", "text", t("desk.form.leader", lang), leader_default, None),
                      ("deadline", "date", t("desk.form.deadline", lang), deadline, None)]
            note = t("desk.form.deadline_note", lang, days=catalog.category(item.category).deadline_days)
        elif kind == "reopened":
            fields = [("leader", "text", t("desk.form.leader", lang), leader_default, None),
                      ("deadline", "date", t("desk.form.deadline", lang), deadline, None), reason]
            note = t("desk.form.reopen_note", lang)
        else:
            fields = [reason]
            note = None
            if kind == "rejected":
                presets = [t(f"desk.preset.reject_{n}", lang) for n in range(1, 4)]
        danger = kind in ("rejected", "dismissed", "reopened", "extension_refused")
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
        if kind in ("assigned", "reopened"):
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
        if kind != "assigned" and not reason:
            return t("ui.item.need_reason", lang)
        if kind == "assigned":
            call = (desk.assign, item, values.get("office") or item.office, leader, deadline)
        elif kind == "reopened":
            call = (desk.reopen, item, leader, deadline, reason)
        else:
            fn = {"rejected": desk.reject, "extension_refused": desk.refuse_extension, "dismissed": desk.dismiss,
                  "dispute_dismissed": desk.keep_verdict}[kind]
            call = (fn, item, reason)
        self.shell.close_dialog()
        await self.decide(kind, *call)
        return None

    async def decide(self, kind: str, fn, *args) -> bool:
        if self.busy or self.data is None:
            return False
        self.busy = True
        item = self.item
        try:
            await self.shell.call(fn, *args)
        except Exception as error:  # noqa: BLE001 - stale, refused: in words, item read again
            self.busy = False
            self.notice = self.shell.words(error)
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

    # ------------------------------------------------------------------ zoom
    async def zoom(self, e) -> None:
        sha = e.control.data
        data = await self.shell.app.thumb(sha, "display")
        if not data:
            self.shell.snack(t("ui.item.photo_missing", self.lang), error=True)
            return
        close = ft.TextButton(t("ui.close", self.lang), on_click=self.close_zoom)
        self.zoom_dialog = ft.AlertDialog(
            content=ft.Container(ft.InteractiveViewer(ft.Image(src=data, fit=ft.BoxFit.CONTAIN), max_scale=8,
                                                      min_scale=1), width=1100, height=700, bgcolor="#263238"),
            actions=[text(t("desk.pane.zoom_hint", self.lang), size=13, color=theme.MUTED), close],
            inset_padding=16, content_padding=4)
        self.shell.show_dialog(self.zoom_dialog)

    async def close_zoom(self, e=None) -> None:
        self.shell.close_dialog()
