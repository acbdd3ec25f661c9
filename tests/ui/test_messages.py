"""Messages and waits (issue 13): a message goes with its cause and on navigation, never over the buttons;
picked photos show at once as tiles in progress, and 保存 works while they are still being kept."""

import asyncio
import hashlib

from inspector.ui.views.report_photos import PROCESSING
from tests.ui.conftest import UI, FakeDevices, run_async
from tests.ui.photos import jpeg
from tests.ui.test_report import HERE, my_items, report_view


@run_async
async def test_need_photo_goes_as_soon_as_a_photo_is_added(ctx):
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
    view = await report_view(ui)
    await ui.click(view.save_button)
    assert view.save_problem.visible and view.save_problem.value == "请先拍照或选择照片"
    assert ui.app.messages.showing is None  # beside 保存, not a banner or snackbar over it
    ui.devices.pickers["report"].queued = [jpeg(31)]
    await ui.click(view.photo_button)
    assert not view.save_problem.visible and "请先拍照或选择照片" not in ui.text()


@run_async
async def test_a_message_is_cleared_on_tab_change_and_sits_above_the_screen(ctx):
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
    ui.app.warn("出错了")
    assert ui.app.messages.showing == "出错了"
    column = ui.page.controls[0]
    # its own row in the shell's column, between the sync bar and the screen: it takes room, it covers nothing
    assert column.controls.index(ui.app.messages.root) == column.controls.index(ui.app.body) - 1
    await ui.goto("mine")
    assert ui.app.messages.showing is None and not ui.app.messages.root.visible


@run_async
async def test_a_message_goes_with_its_cause_only(ctx):
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
    ui.app.messages.show("a", error=True, cause="x")
    assert not ui.app.messages.clear("y") and ui.app.messages.showing == "a"
    assert ui.app.messages.clear("x") and ui.app.messages.showing is None


class HeldWorkspace:
    """The real workspace, with ``add_photo`` held until the test lets it go (an event, not a sleep)."""

    def __init__(self, ws, loop):
        self.ws, self.loop = ws, loop
        self.release = asyncio.Event()
        self.started = asyncio.Event()

    def __getattr__(self, name):
        return getattr(self.ws, name)

    def add_photo(self, data):  # runs in a thread (App.call)
        self.loop.call_soon_threadsafe(self.started.set)
        asyncio.run_coroutine_threadsafe(self.release.wait(), self.loop).result()
        return self.ws.add_photo(data)


async def until(condition):
    while not condition():
        await asyncio.sleep(0)  # yield to the handlers; no time is waited for


@run_async
async def test_placeholders_show_before_the_photos_are_kept_and_save_waits_for_them(ctx):
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
    view = await report_view(ui)
    held = HeldWorkspace(ui.app.ws, asyncio.get_running_loop())
    ui.app.ws = held
    before = len(my_items(ui))
    photos = [jpeg(41), jpeg(42), jpeg(43)]
    ui.devices.pickers["report"].queued = photos
    picking = asyncio.create_task(ui.click(view.photo_button))
    await held.started.wait()
    # three tiles at once, the first being processed, nothing kept yet
    assert len(view.incoming_tiles) == 3 and view.photos == []
    assert view.intake.incoming[0].state == PROCESSING
    assert "正在处理照片 0/3" in ui.text()
    await ui.click(view.tiles["loose_soil"])
    saving = asyncio.create_task(ui.click(view.save_button))  # 保存 while the photos are still coming in
    await until(lambda: view.saving)
    assert "等待照片处理完成 0/3，随后保存" in ui.text()
    held.release.set()
    await picking
    await saving
    items = my_items(ui)
    assert len(items) == before + 1
    assert items[0].photos == tuple(hashlib.sha256(p).hexdigest() for p in photos)
    assert view.photos == [] and not view.intake.busy  # an empty form again


class HeldSync(HeldWorkspace):
    def sync_now(self):
        self.loop.call_soon_threadsafe(self.started.set)
        asyncio.run_coroutine_threadsafe(self.release.wait(), self.loop).result()
        return self.ws.sync_now()


@run_async
async def test_a_sync_round_shows_progress_until_it_ends(ctx):
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
    held = HeldSync(ui.app.ws, asyncio.get_running_loop())
    ui.app.ws = held
    syncing = asyncio.create_task(ui.app.sync_now())
    await held.started.wait()
    assert ui.app.sync_bar.progress.running and ui.app.sync_bar.progress.words.value == "正在同步…"
    held.release.set()
    await syncing
    assert not ui.app.sync_bar.progress.running
    assert ui.app.messages.showing == "同步完成"  # in the banner above the screen, not over its buttons
