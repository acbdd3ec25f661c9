"""The field client's waits (issue 13), with real parts: the App over a ``FieldBackend``, its local store, its
background sync, and a server over HTTP. The sync bar says how far a round is with its photos; 保存 tapped
while photos are still being kept records the report once, naming only the photos the store has, and it goes
up with the next round."""

import asyncio
import hashlib

import pytest

from inspector.services import demo
from inspector.settings import Settings
from inspector.store.engine import read_session
from inspector.store.models import EventRow, Photo
from inspector.sync.field import open_field
from inspector.ui.app import App
from inspector.ui.field import FieldBackend
from tests.sync.conftest import report_payload
from tests.ui.conftest import UI, FakeDevices, run_async
from tests.ui.photos import jpeg
from tests.ui.test_messages import HeldWorkspace, until
from tests.ui.test_report import HERE, report_view

ROUND_S = 120  # a round against the demo data on a busy 2-core machine; only a ceiling, nothing waits for it


@pytest.fixture
def phone(live, tmp_path, clock):
    """A field client of the demo server (``live``), its own store under tmp_path; closed at the end."""
    data = tmp_path / "phone"
    client = open_field(live.url, data, Settings(data_dir=data, sync_interval_s=3600), clock=clock)
    yield client
    client.close()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def field_ui(ctx, phone) -> UI:
    """The harness's session, showing the field client's App instead of the server's."""
    ui = UI(ctx, FakeDevices(HERE))
    ui.app = App(ui.page, FieldBackend(phone), ui.devices, phone.settings, background=False)
    return ui


class BarWatch:
    """What the sync bar's progress line says after each count a round announces (None: hidden)."""

    def __init__(self, ui: UI):
        self.bar, self.lines, self.ended = ui.app.sync_bar, [], asyncio.Event()
        self._show = self.bar.show_round
        self.bar.show_round = self.show_round  # the bar's own method, watched

    def show_round(self, photos) -> None:
        self._show(photos)
        progress = self.bar.progress
        self.lines.append(progress.words.value if progress.running else None)
        if self.lines[-1] is None and len(self.lines) > 1:
            self.ended.set()

    async def round_ends(self) -> None:
        await asyncio.wait_for(self.ended.wait(), ROUND_S)


def server_reports(ctx, actor_id: str) -> list[EventRow]:
    with read_session(ctx.engine) as session:
        rows = session.exec(EventRow.__table__.select().where(EventRow.kind == "reported",
                                                               EventRow.actor_id == actor_id)).all()
    return list(rows)


def on_server(ctx, shas) -> int:
    with read_session(ctx.engine) as session:
        return sum(session.get(Photo, s) is not None for s in shas)


@run_async
async def test_the_sync_bar_counts_a_rounds_photos_as_each_goes_up(ctx, phone):
    ws = phone.login("xuncha", demo.PASSWORD)
    photos = [jpeg(61), jpeg(62), jpeg(63)]
    for data in photos:
        ws.add_photo(data)
    ws.record("reported", None, 0, report_payload(sha(photos[0]), photos=[sha(p) for p in photos]))
    ui = field_ui(ctx, phone)
    watch = BarWatch(ui)
    await ui.start()  # the login is kept on the device: background sync starts, its first round sends them
    await watch.round_ends()
    assert watch.lines == ["上传照片 0/3", "上传照片 1/3", "上传照片 2/3", "上传照片 3/3", None]
    assert on_server(ctx, [sha(p) for p in photos]) == 3 and phone.store.pending() == []
    assert ui.on_screen(ui.app.sync_bar.progress.root) and not ui.app.sync_bar.progress.running
    ui.app.lang = "en"
    ui.app.sync_bar.show_round((3, 12))
    assert ui.app.sync_bar.progress.words.value == "Uploading photos 3/12"
    assert ui.app.sync_bar.progress.bar.value == 0.25
    ui.app.sync_bar.show_round(None)
    assert not ui.app.sync_bar.progress.running
    ui.assert_no_crash()


@run_async
async def test_saved_while_its_photos_are_kept_a_field_report_is_recorded_once_and_goes_up_later(ctx, phone):
    phone.login("xuncha", demo.PASSWORD)
    ui = field_ui(ctx, phone)
    await ui.start()
    view = await report_view(ui)
    watch = BarWatch(ui)
    held = HeldWorkspace(ui.app.ws, asyncio.get_running_loop())
    ui.app.ws = held
    kept, damaged = [jpeg(71), jpeg(72)], b"GIF89a not a photo"
    ui.devices.pickers["report"].queued = [kept[0], damaged, kept[1]]
    picking = asyncio.create_task(ui.click(view.photo_button))
    await held.started.wait()
    assert len(view.incoming_tiles) == 3 and view.photos == []
    await ui.click(view.tiles["loose_soil"])
    saving = asyncio.create_task(ui.click(view.save_button))  # 保存 while the photos are still coming in
    await until(lambda: view.saving)
    await ui.session.dispatch_event(view.save_button._i, "click", None)  # a second tap gets through: ignored
    assert view.save_progress.running and phone.store.pending() == []  # nothing recorded before they are kept
    held.release.set()
    await picking
    await saving
    ui.assert_no_crash()
    assert any("照片" in said for said in ui.snacks())  # the damaged one was refused, in words

    entries = phone.store.pending()
    assert [e.kind for e in entries] == ["reported"]
    assert entries[0].payload["photos"] == [sha(p) for p in kept]
    assert all(phone.store.original(s) is not None for s in entries[0].payload["photos"])
    assert phone.store.original(sha(damaged)) is None
    assert view.photos == [] and not view.intake.busy  # an empty form again

    await watch.round_ends()  # saving woke the background round: the photos went up, then the report
    assert watch.lines == ["上传照片 0/2", "上传照片 1/2", "上传照片 2/2", None]
    reports = [r for r in server_reports(ctx, ws_actor(ui)) if r.id == entries[0].id]
    assert len(reports) == 1 and list(reports[0].payload["photos"]) == [sha(p) for p in kept]
    assert on_server(ctx, [sha(p) for p in kept]) == 2
    assert phone.store.pending() == []


def ws_actor(ui) -> str:
    return ui.app.ws.actor.id
