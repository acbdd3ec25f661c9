"""Long work on the desk shows its progress: the bar and its words appear at once, the buttons that would start
the same work again are off until it ends, the service's steps reach their total, and a failure is said in
words with the buttons back. The work is held half way by an event the test sets (never a sleep)."""

import asyncio

from inspector.errors import InvalidRequest
from inspector.reports import bulletin
from inspector.services import findings, site_import
from tests.services.findings_helpers import filled
from tests.ui.conftest import run_async
from tests.ui.desk_helpers import DeskUI
from tests.ui.test_desk_findings import FakeFilePicker
from tests.ui.test_desk_sites import workbook


GIVE_UP_S = 120  # a bound on a wait that never comes true (a broken change), not a pause


async def until(condition):
    async def check():
        while not condition():
            await asyncio.sleep(0)  # yield to the handlers and the worker's steps; no time is waited for

    await asyncio.wait_for(check(), GIVE_UP_S)


class Hold:
    """Wraps a service so that, on its worker thread, it stops at step ``at`` until the test lets it go."""

    def __init__(self, real, at: int):
        self.real, self.at = real, at
        self.loop = asyncio.get_running_loop()
        self.release = asyncio.Event()
        self.seen: list[tuple[int, int]] = []  # every step the service told, unthrottled

    def __call__(self, *args, progress=None, **kwargs):
        assert progress is not None, "the desk passes a progress callable"

        def told(done: int, total: int) -> None:
            self.seen.append((done, total))
            progress(done, total)
            if done == self.at:
                asyncio.run_coroutine_threadsafe(self.release.wait(), self.loop).result(GIVE_UP_S)

        return self.real(*args, progress=told, **kwargs)


async def section(ctx, who: str, name: str):
    ui = await DeskUI(ctx).start(who)
    await ui.rail(name)
    return ui, ui.shell.views[name]


@run_async
async def test_the_summary_pdf_shows_a_bar_with_words_and_its_buttons_are_off_until_it_is_made(ctx):
    ui, view = await section(ctx, "dudao", "reports")
    held = Hold(view.desk.report, at=1)  # the items read
    view.desk.report = held
    making = asyncio.create_task(ui.click(view.download_buttons["pdf"]))
    try:
        await until(lambda: view.work.shown)
        assert view.work.progress.running and ui.on_screen(view.work.progress.root)
        words = view.work.progress.words.value
        assert words.startswith("正在生成报告… ") and words.endswith("%")
        assert all(b.disabled for b in view.download_buttons.values()) and "正在生成…" in ui.texts()
    finally:
        held.release.set()
    await making
    assert not view.work.progress.running and not any(b.disabled for b in view.download_buttons.values())
    assert ui.saver.saved[-1][1].startswith(b"%PDF") and "已生成" in ui.last_snack()
    done, total = view.work.shown[-1]
    assert done == total == held.seen[-1][1] == 16  # the steps reached their total: items, scores, 8 pairs, 6 parts
    assert [d for d, _ in view.work.shown] == sorted({d for d, _ in view.work.shown})  # the bar only rises


@run_async
async def test_a_failed_report_says_why_in_the_message_and_gives_the_buttons_back(ctx):
    ui, view = await section(ctx, "dudao", "reports")

    def refused(*args, progress=None, **kwargs):
        progress(1, 3)
        raise InvalidRequest(problem="测试")

    view.desk.report = refused
    await ui.click(view.download_buttons["xlsx"])
    assert ui.last_snack() == "请求内容有误：测试"
    assert not view.work.progress.running and not any(b.disabled for b in view.download_buttons.values())
    assert ui.saver.saved == []


@run_async
async def test_the_site_import_counts_its_rows_and_keeps_the_buttons_off_meanwhile(ctx, monkeypatch):
    ui, view = await section(ctx, "admin", "sites")
    held = Hold(site_import.import_sites, at=3)
    monkeypatch.setattr(site_import, "import_sites", held)
    rows = [[f"进度工地{n}", "建筑工地", "建筑工程管理处", 30.27 + n / 1000, 120.15] for n in range(8)]
    importing = asyncio.create_task(view.import_file(workbook(*rows)))
    try:
        await until(lambda: view.work.shown and view.work.shown[-1] == (3, 8))
        assert view.work.progress.words.value == "正在导入 第 3/8 行" and view.work.progress.bar.value == 3 / 8
        assert ui.on_screen(view.work.progress.root)
        assert view.import_button.disabled and view.qr_button.disabled and view.export_button.disabled
    finally:
        held.release.set()
    await importing
    assert view.work.shown == [(n, 8) for n in range(1, 9)]
    assert not view.work.progress.running and not view.import_button.disabled and not view.qr_button.disabled
    assert "导入完成：新增 8 个，更新 0 个" in ui.texts()


@run_async
async def test_the_qr_sheet_shows_its_cards_counted_to_the_end(ctx):
    ui, view = await section(ctx, "dudao", "sites")
    await ui.click(view.qr_button)
    assert ui.saver.saved[-1][0] == "site-qr.pdf"
    cards = sum(1 for s in view.sites if s.active)
    assert view.work.shown[-1] == (cards + 1, cards + 1)  # each card, then the file
    assert not view.work.progress.running and not view.qr_button.disabled


@run_async
async def test_the_findings_import_says_its_rows_and_its_buttons_wait(ctx, monkeypatch):
    ui, view = await section(ctx, "admin", "findings")
    held = Hold(findings.import_findings, at=50)
    monkeypatch.setattr(findings, "import_findings", held)
    view.picker = FakeFilePicker(filled([[f"JP-{n}", "某地", f"问题 {n}", "loose_soil", ""] for n in range(1, 121)]))
    importing = asyncio.create_task(ui.click(view.choose_button))
    try:
        await until(lambda: view.import_work.shown)
        assert view.import_work.progress.words.value == "正在导入 第 50/120 行"
        assert ui.on_screen(view.import_work.progress.root)
        assert view.choose_button.disabled and all(b.disabled for b in view.pack_buttons.values())
    finally:
        held.release.set()
    await importing
    assert view.import_work.shown == [(50, 120), (100, 120), (120, 120)]
    assert not view.import_work.progress.running and not view.choose_button.disabled
    assert "已导入 120 个问题（0 个此前已导入）" in ui.texts()


@run_async
async def test_the_recheck_pack_counts_to_its_total_in_english(ctx):
    ui, view = await section(ctx, "admin", "findings")
    await ui.click(ui.shell.lang_button)
    view.picker = FakeFilePicker(filled([["JP-1", "某地", "问题", "loose_soil", ""]]))
    await ui.click(view.choose_button)
    await ui.click(view.pack_buttons["pdf"])
    assert ui.saver.saved[-1][1].startswith(b"%PDF")
    assert view.pack_work.shown[-1] == (3, 3)  # the finding read, written, then the file
    assert view.pack_work.progress.words.value == "Generating the report… 100%"
    assert not view.pack_work.progress.running and not view.pack_buttons["pdf"].disabled


@run_async
async def test_the_bulletin_runs_a_bar_with_words_and_its_button_waits(ctx, monkeypatch):
    ui, view = await section(ctx, "dudao", "scores")
    await ui.select(view.month_picker, "2026-06")
    await ui.click(view.exam.publish_button)
    await ui.click(view.exam.dialog.confirm_button)
    loop, started, release = asyncio.get_running_loop(), asyncio.Event(), asyncio.Event()
    real = bulletin.render

    def held(*args, **kwargs):  # on the worker thread: no steps to tell, the bar just runs
        loop.call_soon_threadsafe(started.set)
        asyncio.run_coroutine_threadsafe(release.wait(), loop).result(GIVE_UP_S)
        return real(*args, **kwargs)

    monkeypatch.setattr(bulletin, "render", held)
    making = asyncio.create_task(ui.click(view.exam.bulletin_button))
    try:
        await asyncio.wait_for(started.wait(), GIVE_UP_S)
        panel = view.exam
        assert panel.work.progress.running and panel.work.progress.words.value == "正在生成报告…"
        assert panel.work.progress.bar.value is None and panel.bulletin_button.disabled
        assert ui.on_screen(panel.work.progress.root)
    finally:
        release.set()
    await making
    assert ui.saver.saved[-1][0] == "bulletin-2026-06.pdf"
    assert not view.exam.work.progress.running and not view.exam.bulletin_button.disabled


@run_async
async def test_a_refused_findings_file_is_said_in_the_message_row_and_the_button_comes_back(ctx):
    ui, view = await section(ctx, "admin", "findings")
    view.picker = FakeFilePicker(filled([["", "甲", "没有编号", "loose_soil", ""]]))
    await ui.click(view.choose_button)
    assert ui.last_snack() == "未导入任何内容：表格中有 1 处问题（第一处在第 2 行），请改正后重新上传"
    assert not view.import_work.progress.running and not view.choose_button.disabled
    assert "第 2 行 · 编号：为空" in ui.texts()
