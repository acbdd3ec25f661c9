"""A visit of a site against its checklist, on the phone: pick the site, mark every point, finish.

Opened over the tabs (``open_visit``) from 待办's "开始检查", from a due visit
in 待办 (``open_visit(app, site_id, check_type)``) and from a site's QR link
``/visit/<site_id>`` (``open_from_route``: on a fresh start at that URL too,
after the login when there was none). Three steps on one screen:

- the site: the nearest active sites by GPS with their distance, or a search
  by name; the visits made on this device under them;
- the checklist: the check type (a cross check's round: ``views.round_choice``),
  "已查 7/12", one card per point with its words, ★ when starred, and
  合格 / 不合格 / 不适用 a thumb can reach; a failed point takes photos
  (``views.report_photos``, as the report form) and a note;
- the finish sheet: the score (met/applicable, 不通过 when a starred point
  failed) and what will be sent ("将生成 2 个问题"), then back to 待办.

The walk is a draft (``ws.visits.keep``): leaving the screen or the app keeps
it, and opening a visit again resumes it. Recording it is the workspace's
(``services.visit_recording``, ``sync.visits``): it works with no network.
"""

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

import flet as ft

from inspector.domain.checklists import Checklist
from inspector.domain.sites import site_of_route
from inspector.domain.visit_drafts import VisitDraft, standing, usual_check_type, visit_check_types
from inspector.errors import NoChecklist, UnknownSite
from inspector.i18n import listed, t
from inspector.services.visit_recording import new_id
from inspector.store.public import SitePublic
from inspector.ui.views import round_choice, visit_parts
from inspector.ui.views.base import View
from inspector.ui.views.report_photos import PhotoIntake
from inspector.ui.widgets import refresh

if TYPE_CHECKING:
    from inspector.ui.app import App

SITE, WALK, FINISH = "site", "walk", "finish"


class PointPhotos:
    """One failed point's photos on their way in: what ``PhotoIntake`` asks of its form."""

    def __init__(self, view: "VisitView", code: str):
        self.view, self.code = view, code
        self.saving = False
        self.intake = PhotoIntake(self)
        self.picker = view.app.devices.photo_picker(f"visit:{code}", self.on_photos)

    @property
    def app(self):
        return self.view.app

    @property
    def ws(self):
        return self.view.ws

    @property
    def lang(self) -> str:
        return self.view.lang

    async def on_photos(self, files: list[bytes]) -> None:
        await self.intake.take(files)
        self.view.show_point(self.code)
        self.view.show_bar()

    def show_photos(self) -> None:
        self.view.show_point(self.code)

    async def photo_kept(self, photo, thumb: bytes | None) -> None:
        view = self.view
        mark = view.draft.marks.get(self.code)
        view.thumbs.setdefault(photo.sha256, thumb)
        view.draft = view.draft.with_photos(self.code, (*(mark.photos if mark else ()), photo.sha256))
        await view.keep()
        data = await view.app.thumb(photo.sha256)
        if data:
            view.thumbs[photo.sha256] = data


class VisitView(View):
    title_key = "ui.visit.title"

    def __init__(self, app: "App", site_id: str | None = None, check_type: str | None = None):
        super().__init__(app)
        self.wanted_site, self.wanted_type = site_id, check_type
        self.check_types = visit_check_types(app.ws.actor.role)
        self.stage = SITE
        self.draft: VisitDraft | None = None
        self.checklist: Checklist | None = None
        self.site: SitePublic | None = None
        self.site_types: dict[str, dict[str, str]] = {}  # code -> its own names (``ws.visits.site_types``)
        self.rounds = []  # the cross-inspection rounds known here (``ws.visits.rounds``, ``views.round_choice``)
        self.fix = None  # the device's position, once located
        self.query = ""
        self.made = []  # the visits made on this device (``ws.visits.mine``)
        self.problem: str | None = None  # what 完成 found missing, said over it
        self.message: str | None = None  # why a site cannot be visited now
        self.saving = False
        self.thumbs: dict[str, bytes | None] = {}
        self.photos: dict[str, PointPhotos] = {}
        self.cards: dict[str, ft.Container] = {}
        self.render()

    def title(self) -> str:
        return self.site.name if self.site and self.stage != SITE else t(self.title_key, self.lang)

    # ------------------------------------------------------------------ start
    async def load(self) -> None:
        """Resume the draft, or start at the site asked for, or offer the sites."""
        app = self.app
        await app.reload_sites()
        await round_choice.reload(self)  # a cross check's round, offline too
        with app.guard():
            self.site_types = await app.call(self.ws.visits.site_types)  # an added type's name, offline too
            self.draft = await app.call(self.ws.visits.draft)
        if self.wanted_site and (self.draft is None or self.draft.site_id != self.wanted_site):
            if self.draft is not None:
                app.snack(t("ui.visit.replaced", self.lang, site=app.site_name(self.draft.site_id) or "-"))
            await self.start(self.wanted_site, self.wanted_type)
        elif self.draft is not None:
            await self.resume()
        else:
            await self.offer_sites()

    async def offer_sites(self) -> None:
        self.stage = SITE
        with self.app.guard():
            self.made = await self.app.call(self.ws.visits.mine)
        self.render()
        self.fix = await self.app.devices.locator().locate()
        self.render()

    async def resume(self) -> None:
        draft = self.draft
        with self.app.guard() as failure:
            self.checklist = await self.app.call(self.ws.visits.checklist_of, draft)
        self.site = next((s for s in self.app.sites if s.id == draft.site_id), None)
        if failure.failed or self.site is None:  # the site or the version is gone: start again
            await self.app.call(self.ws.visits.keep, None)
            self.draft = None
            await self.offer_sites()
            return
        for code in draft.marks:
            for sha in draft.marks[code].photos:
                self.thumbs.setdefault(sha, await self.app.thumb(sha))
        self.settle_round()  # another day, or the round went meanwhile
        self.stage = WALK
        self.render()

    async def start(self, site_id: str, check_type: str | None = None) -> None:
        """A new visit of ``site_id`` with its type's current checklist (said when there is none)."""
        app = self.app
        site = next((s for s in app.sites if s.id == site_id), None)
        if site is None:
            self.message = app.words(UnknownSite(site=site_id))
            await self.offer_sites()
            return
        with app.guard() as failure:
            checklist = await app.call(self.ws.visits.checklist, site.kind)
        if failure.failed:
            return
        if checklist is None:
            self.message = app.words(NoChecklist(site_type=visit_parts.type_name(self, site.kind)))
            await self.offer_sites()
            return
        usual = usual_check_type(self.ws.actor.role)
        chosen = check_type if check_type in self.check_types else usual
        if chosen not in self.check_types and self.check_types:
            chosen = self.check_types[0]
        self.site, self.checklist, self.message = site, checklist, None
        self.draft = VisitDraft(id=new_id(), site_id=site.id, checklist_id=checklist.id, check_type=chosen,
                                started_at=app.now())
        self.settle_round()
        self.thumbs.clear()
        self.photos.clear()
        self.stage = WALK
        self.render()
        app.render_shell()  # the app bar names the site
        app.update()
        await self.keep()
        asyncio.create_task(self.locate())

    async def locate(self) -> None:
        """Where the phone is, for the visit and its items (else the site's own point stands in)."""
        fix = await self.app.devices.locator().locate()
        if fix is None or self.draft is None:
            return
        location = {"lat": round(fix.lat, 7), "lon": round(fix.lon, 7), "source": "gps",
                    "accuracy_m": None if fix.accuracy_m is None else round(fix.accuracy_m, 1)}
        if fix.mocked:
            location["mocked"] = True
        self.draft = replace(self.draft, location=location)
        await self.keep()

    async def keep(self) -> None:
        with self.app.guard():
            await self.app.call(self.ws.visits.keep, self.draft)

    # ------------------------------------------------------------------ the site list
    async def on_query(self, e) -> None:
        self.query = (e.control.value or "").strip()
        visit_parts.fill_sites(self)
        refresh(self.sites_box)

    async def on_site(self, e) -> None:
        await self.start(e.control.data)

    # ------------------------------------------------------------------ marking points
    async def on_check_type(self, e) -> None:
        chosen = e.control.value
        if self.draft is not None and chosen in self.check_types:
            self.draft = replace(self.draft, check_type=chosen)
            self.settle_round()  # a cross check's round shows, another check's goes
            round_choice.show(self, chosen, self.site.office_code, self.draft.round_id, self.on_round)
            await self.keep()

    def settle_round(self) -> None:
        """The round the draft names: one fitting today (``views.round_choice``), none off a cross check."""
        self.draft = replace(self.draft, round_id=round_choice.settle(
            self, self.draft.check_type, self.site.office_code if self.site else None, self.draft.round_id))

    async def on_round(self, e) -> None:
        self.draft = replace(self.draft, round_id=e.control.value)
        self.settle_round()  # only one of those offered
        await self.keep()

    async def on_verdict(self, e) -> None:
        code, verdict = e.control.data.split(":", 1)
        await self.mark(code, verdict)

    async def mark(self, code: str, verdict: str) -> None:
        self.draft = self.draft.mark(code, verdict)
        if self.problem and not self.missing():
            self.problem = None
        self.show_point(code)
        self.show_bar()
        await self.keep()

    async def on_rest_pass(self, e=None) -> None:
        """Every point not marked yet: 合格 (the ones that failed were marked walking round)."""
        for code in standing(self.draft, self.checklist).unmarked:
            self.draft = self.draft.mark(code, "pass")
        self.problem = None
        self.render()
        await self.keep()

    def point_photos(self, code: str) -> PointPhotos:
        if code not in self.photos:
            self.photos[code] = PointPhotos(self, code)
        return self.photos[code]

    async def on_pick(self, e) -> None:
        await self.point_photos(e.control.data).picker.pick()

    async def on_remove_photo(self, e) -> None:
        code, sha = e.control.data.split(":", 1)
        mark = self.draft.marks.get(code)
        self.draft = self.draft.with_photos(code, tuple(s for s in (mark.photos if mark else ()) if s != sha))
        self.show_point(code)
        self.show_bar()
        await self.keep()

    async def on_note(self, e) -> None:
        self.draft = self.draft.with_note(e.control.data, e.control.value or "")

    async def on_note_blur(self, e=None) -> None:
        await self.keep()

    def show_point(self, code: str) -> None:
        """One point's card again (a verdict, a photo in or out)."""
        card = self.cards.get(code)
        point = self.checklist.point(code) if self.checklist else None
        if card is None or point is None:
            return
        card.content = visit_parts.point_card(self, point, self.checklist.points.index(point) + 1).content
        refresh(card)

    def show_bar(self) -> None:
        visit_parts.fill_bar(self)
        refresh(self.bar)
        visit_parts.fill_progress(self)
        refresh(self.progress_box)

    async def on_give_up(self, e=None) -> None:
        """Drop the draft (nothing was sent) and pick a site again."""
        with self.app.guard():
            await self.app.call(self.ws.visits.keep, None)
        self.draft, self.checklist, self.site, self.problem = None, None, None, None
        self.app.render_shell()  # the title goes back to the screen's own
        await self.offer_sites()
        self.app.update()

    # ------------------------------------------------------------------ finishing
    def missing(self) -> str | None:
        """Why 完成 cannot go on yet, in words (None: it can)."""
        where = standing(self.draft, self.checklist)
        numbers = [str(i) for i, p in enumerate(self.checklist.points, start=1)]
        by_code = dict(zip((p.code for p in self.checklist.points), numbers))
        if where.unmarked:
            return t("ui.visit.need_all", self.lang, count=len(where.unmarked),
                     points=listed((by_code[c] for c in where.unmarked[:6]), self.lang))
        if where.failed_without_photo:
            return t("ui.visit.need_photo", self.lang,
                     points=listed((by_code[c] for c in where.failed_without_photo), self.lang))
        if any(p.intake.busy for p in self.photos.values()):
            return t("ui.visit.photos_coming", self.lang)
        return None

    async def on_finish(self, e=None) -> None:
        self.problem = self.missing()
        if self.problem:
            self.show_bar()
            return
        self.stage = FINISH
        self.render()

    async def on_back_to_walk(self, e=None) -> None:
        self.stage = WALK
        self.render()

    async def on_submit(self, e=None) -> None:
        if self.saving:
            return
        self.saving = True
        self.settle_round()  # the round as it stands now (a walk may cross midnight)
        self.render()
        with self.app.guard() as failure:  # refused: said, the draft kept
            finished = await self.app.call(self.ws.visits.finish, self.draft)
        self.saving = False
        if failure.failed:
            self.render()
            return
        await self.after_finished(finished.reports)

    async def after_finished(self, reports: int) -> None:
        """Back to 待办 (where the role has it), saying what was saved."""
        app = self.app
        names = [tab.name for tab in app.tabs]
        await app.show_tab(names.index("todo") if "todo" in names else app.tab)
        app.snack(t("ui.visit.saved", self.lang, count=reports))
        await app.refresh_sync()
        app.update()

    # ------------------------------------------------------------------ controls
    def build(self) -> ft.Control:
        if self.stage == WALK and self.draft is not None and self.checklist is not None:
            return visit_parts.walk_screen(self)
        if self.stage == FINISH and self.draft is not None and self.checklist is not None:
            return visit_parts.finish_screen(self)
        return visit_parts.site_screen(self)


async def open_visit(app: "App", site_id: str | None = None, check_type: str | None = None) -> None:
    """Open a visit over the tabs: of ``site_id`` (as ``check_type``), else the draft, else the site list."""
    await app.open(VisitView(app, site_id, check_type))


async def open_from_route(app: "App", route: str | None = None) -> bool:
    """Open the visit a ``/visit/<site_id>`` route names (the QR link), once the person is logged in."""
    site_id = site_of_route(route if route is not None else app.page.route)
    if site_id is None or app.ws is None or not visit_check_types(app.ws.actor.role):
        return False
    app.page.route = "/"  # opened: a later login or reload does not open it again
    await open_visit(app, site_id)
    return True


class StartVisitSection:
    """待办's "开始检查" button, as a section of the tab (``views.todo``)."""

    def __init__(self, view: View):
        self.view = view

    def reset(self) -> None:
        """Nothing to read again."""

    async def load_more(self) -> None:
        """Nothing to load."""

    async def load_thumbs(self) -> None:
        """No photos."""

    def build(self) -> list[ft.Control]:
        return [visit_parts.start_button(self.view.app, self.on_start)]

    async def on_start(self, e=None) -> None:
        await open_visit(self.view.app)
