"""The rare-character font is registered for a session only once it has a text that needs it (issue 14).

Driven through the UI harness's real Flet session: a page starts with neither the font nor the
theme's family; the first text with one of the font's characters (sent by the server, or typed and
reported by the page) registers both, in a patch that follows the text, once; characters the
engine's slices have (喆, 𠮷) never do. The last tests pin what the adapter relies on in Flet's
websocket transport, so a Flet upgrade that stops calling it fails here.
"""

import asyncio
import dataclasses
import inspect

import flet as ft
import flet_web.fastapi.flet_app as flet_app
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

from inspector.ui import rare_font, theme
from tests.ui.conftest import UI, RecordingConnection, run_async

EXTENSION_A = "张㐀"  # U+3400: no slice of the engine has it
RARE_UNIFIED = "\u9fef"  # a rare Unified Ideograph (U+9FEF) no slice has either
SLICED = "喆堃𠮷"  # in the engine's Noto Sans SC / JP slices: no need for the font


async def next_turn() -> None:
    """Let the loop run what was queued before now (the watch queues the page's update with call_soon)."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    loop.call_soon(done.set_result, None)
    await done


def says(value, word: str) -> bool:
    """Whether a string in ``value`` (a message and the controls in it) contains ``word``."""
    stack, seen = [value], set()
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if word in item:
                return True
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif dataclasses.is_dataclass(item) and not isinstance(item, type) and id(item) not in seen:
            seen.add(id(item))
            stack.extend(getattr(item, field.name, None) for field in dataclasses.fields(item)
                         if "skip" not in field.metadata)
    return False


def font_messages(conn: RecordingConnection) -> list[int]:
    return [i for i, message in enumerate(conn.messages) if says(message, theme.FONT_FILE)]


def has_font(page: ft.Page) -> bool:
    return page.fonts == {theme.FONT_FAMILY: theme.FONT_FILE} and page.theme.font_family == theme.FONT_FAMILY


def test_the_font_draws_what_no_slice_has():
    characters = rare_font.rare_characters(theme.FONT_PATH)
    assert len(characters) > 9000 and "㐀" in characters and RARE_UNIFIED in characters
    assert characters.isdisjoint(SLICED + "创卫巡查登录Az")


def test_a_rare_character_is_found_wherever_flet_sends_it_and_not_in_what_it_keeps():
    characters = rare_font.rare_characters(theme.FONT_PATH)
    deep = ft.Column([ft.Card(content=ft.Container(content=ft.Text(spans=[ft.TextSpan(f"地点 {EXTENSION_A}")])))])
    assert rare_font.carries(deep, characters)
    assert rare_font.carries(ft.TextField(label="x", hint_text=RARE_UNIFIED), characters)
    assert rare_font.carries([1, {"value": EXTENSION_A}], characters)  # a patch from the page
    assert not rare_font.carries(ft.Text(SLICED, data=EXTENSION_A, tooltip="喆"), characters)  # data stays here


@run_async
async def test_a_page_starts_without_the_font(ctx):
    ui = await UI(ctx).start()
    await next_turn()
    assert ui.page.fonts is None and ui.page.theme.font_family is None
    assert any(says(m, "登录") for m in ui.conn.messages)  # the login screen went out
    assert font_messages(ui.conn) == [] and not rare_font.loaded(ui.page)


@run_async
async def test_server_sent_text_with_a_rare_character_registers_the_font_once_after_it(ctx):
    ui = await UI(ctx).start("xuncha")
    await ui.goto("mine")
    await next_turn()
    assert not has_font(ui.page) and font_messages(ui.conn) == []  # a day's screens: no rare character
    note = ft.Text(f"{SLICED} 不需要")
    ui.page.controls.append(note)
    ui.page.update()
    await next_turn()
    assert not has_font(ui.page)
    note.value = f"巡查员 {EXTENSION_A}"  # a person's name, say
    note.update()
    text_at = max(i for i, m in enumerate(ui.conn.messages) if says(m, EXTENSION_A))
    await next_turn()
    assert has_font(ui.page) and rare_font.loaded(ui.page)
    assert font_messages(ui.conn) == [text_at + 1]  # the font's patch follows the text's at once
    note.value = f"另一个 {RARE_UNIFIED}"
    note.update()
    await ui.goto("report")
    await next_turn()
    assert font_messages(ui.conn) == [text_at + 1] and has_font(ui.page)  # once per session; it stays
    ui.assert_no_crash()


@run_async
async def test_a_typed_rare_character_registers_the_font(ctx):
    ui = await UI(ctx).start()
    field = ui.app.login_view.username
    ui.session.apply_patch(field._i, {"value": SLICED})  # what the page reports at each keystroke
    await next_turn()
    assert not has_font(ui.page)
    ui.session.apply_patch(field._i, {"value": EXTENSION_A})
    await next_turn()
    assert has_font(ui.page) and len(font_messages(ui.conn)) == 1
    assert field.value == EXTENSION_A  # the field keeps what was typed


@run_async
async def test_event_data_with_a_rare_character_registers_the_font(ctx):
    ui = await UI(ctx).start()
    await ui.type(ui.app.login_view.password, RARE_UNIFIED)  # a password field's value never goes out again
    await next_turn()
    assert has_font(ui.page) and len(font_messages(ui.conn)) == 1


@run_async
async def test_a_reconnected_page_is_watched_and_a_started_again_app_keeps_the_font(ctx):
    ui = await UI(ctx).start()
    again = RecordingConnection()
    again.loop, again.pubsubhub = ui.conn.loop, ui.conn.pubsubhub
    ui.session.attach_connection(again)  # the phone's websocket came back
    ui.app.login_view.error.value = EXTENSION_A
    ui.app.login_view.error.update()
    await next_turn()
    assert has_font(ui.page) and len(font_messages(again)) == 1 and font_messages(ui.conn) == []
    await ui.app.start()  # the failure screen's "try again" runs the theme again
    assert has_font(ui.page)


def test_a_page_outside_an_event_loop_gets_the_font_at_once():
    loop = asyncio.new_event_loop()  # made, never run: nothing could update the page later
    try:
        conn = RecordingConnection()
        conn.loop, conn.pubsubhub = loop, PubSubHub(loop=loop)
        session = Session(conn)  # the page holds its session weakly
        page = session.page
        theme.apply_theme(page)
        assert has_font(page) and rare_font.loaded(page)
    finally:
        loop.close()


@run_async
async def test_the_phone_app_without_fonttools_gets_its_bundled_font_at_once(ctx, monkeypatch):
    def no_fonttools(font):
        raise ImportError("fontTools is not on the phone")

    monkeypatch.setattr(rare_font, "rare_characters", no_fonttools)
    ui = await UI(ctx).start()
    assert has_font(ui.page) and rare_font.loaded(ui.page)


def test_flets_websocket_still_hands_typed_values_and_events_and_reconnects_to_what_is_watched():
    """The web transport (``flet_web``'s FletApp) feeds a session through ``apply_patch`` and
    ``dispatch_event``, a reconnect goes through ``attach_connection``, and the session sends through
    its connection's ``send_message``: the four things ``rare_font`` wraps. A Flet that does any of
    it another way fails here, before a page shows boxes."""
    transport = inspect.getsource(flet_app.FletApp)
    assert "self.__session.apply_patch(req.id, req.props)" in transport
    assert "self.__session.dispatch_event(req.target, req.name, req.data)" in transport
    assert "self.attach_connection(conn)" in inspect.getsource(Session.connect)
    assert "self.__conn.send_message(message)" in inspect.getsource(Session)
