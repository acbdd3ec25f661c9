"""Login screen: errors in words, a kept token that logs the device back in, logout."""

from inspector.errors import ServerUnreachable
from inspector.ui.device import TOKEN_KEY
from tests.ui.conftest import UI, FakeDevices, FakePrefs, run_async


@run_async
async def test_wrong_password_shows_words_and_stays_on_login(ctx):
    ui = await UI(ctx).start()
    view = ui.app.login_view
    await ui.type(view.username, "xuncha")
    await ui.type(view.password, "wrong-password")
    await ui.click(view.button)
    assert ui.app.ws is None
    assert view.error.visible and view.error.value == "用户名或密码错误"
    assert not view.button.disabled


@run_async
async def test_empty_fields_ask_for_both(ctx):
    ui = await UI(ctx).start()
    await ui.click(ui.app.login_view.button)
    assert ui.app.login_view.error.value == "请输入用户名和密码"


@run_async
async def test_no_network_is_said_in_words(ctx):
    ui = await UI(ctx).start()

    def unreachable(username, password):
        raise ServerUnreachable()

    ui.app.backend.login = unreachable  # the field client's login when the server cannot be reached
    view = ui.app.login_view
    await ui.type(view.username, "xuncha")
    await ui.type(view.password, "cw-demo-2026")
    await ui.click(view.button)
    assert view.error.value == "无法连接服务器，请检查网络后重试"


@run_async
async def test_login_keeps_token_on_device_and_next_session_resumes(ctx):
    prefs = FakePrefs()
    ui = await UI(ctx, FakeDevices(prefs=prefs)).start()
    view = ui.app.login_view
    await ui.type(view.username, "xuncha")
    await ui.type(view.password, "cw-demo-2026")
    await ui.click(view.button)
    assert ui.app.ws is not None and ui.app.ws.actor.username == "xuncha"
    assert prefs.values.get(TOKEN_KEY)
    assert ui.page.navigation_bar is not None
    assert [d.label for d in ui.page.navigation_bar.destinations] == ["上报", "我的", "待办", "我"]

    again = await UI(ctx, FakeDevices(prefs=prefs)).start()  # the same phone, the app opened again
    assert again.app.ws is not None and again.app.ws.actor.username == "xuncha"
    assert again.app.login_view is None

    await again.goto("me")
    await again.click(again.app.views["me"].logout_button)
    assert TOKEN_KEY not in prefs.values
    assert again.app.ws is None and again.app.login_view is not None
    third = await UI(ctx, FakeDevices(prefs=prefs)).start()
    assert third.app.ws is None  # logged out: the login screen again


@run_async
async def test_revoked_token_shows_login(ctx):
    prefs = FakePrefs({TOKEN_KEY: "not-a-token"})
    ui = await UI(ctx, FakeDevices(prefs=prefs)).start()
    assert ui.app.ws is None and ui.app.login_view is not None


@run_async
async def test_login_screen_language_switch(ctx):
    ui = await UI(ctx).start()
    await ui.click(ui.app.login_view.lang_button)
    assert ui.app.lang == "en"
    assert "Log in" in ui.text()
    assert ui.app.login_view.username.label == "Username"
