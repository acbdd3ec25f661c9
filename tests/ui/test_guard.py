"""The UI's one guard: a typed refusal in the person's words, a bug logged with its traceback and
shown as "unexpected", and a database outage at start-up never passed off as "log in again"."""

import dataclasses
import logging

import pytest
from sqlalchemy import create_engine

from inspector.errors import ItemNotFound, TokenExpired
from inspector.i18n import CATALOGUES
from inspector.services import auth, demo
from inspector.ui.app import App
from inspector.ui.device import TOKEN_KEY
from inspector.ui.backend import ServerBackend
from inspector.ui.guard import Guard, words
from tests.ui.conftest import UI, FakeDevices, FakePrefs, run_async

GUARD_LOG = "inspector.ui.guard"


@pytest.mark.parametrize("lang, catalogue", [("zh-CN", CATALOGUES["zh-CN"]), ("en", CATALOGUES["en"])])
def test_a_typed_error_shows_its_catalogue_message(lang, catalogue, caplog):
    shown: list[str] = []
    with caplog.at_level(logging.INFO, logger=GUARD_LOG):
        with Guard(lang, shown.append) as guard:
            raise TokenExpired()
    assert guard.failed and isinstance(guard.error, TokenExpired)
    assert shown == [catalogue["auth.token_expired"]] and guard.message == shown[0]
    assert words(ItemNotFound(item_id="x"), lang) == catalogue["item.not_found"].format(item_id="x")
    assert not caplog.records  # a refusal the rules know is not a bug: nothing logged


@pytest.mark.parametrize("lang, catalogue", [("zh-CN", CATALOGUES["zh-CN"]), ("en", CATALOGUES["en"])])
def test_an_unexpected_error_is_logged_with_its_traceback_and_shown_as_unexpected(lang, catalogue, caplog):
    shown: list[str] = []

    def broken():
        raise ValueError("the bug itself")

    with caplog.at_level(logging.ERROR, logger=GUARD_LOG):
        with Guard(lang, shown.append) as guard:
            broken()
    assert shown == [catalogue["ui.error.unexpected"]]
    assert "the bug itself" not in shown[0]  # never the exception's text
    [record] = caplog.records
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert "ValueError: the bug itself" in caplog.text and "in broken" in caplog.text  # the traceback


def test_the_guard_passes_cancellation_and_success_through():
    with Guard("en") as guard:
        pass
    assert not guard.failed and guard.message is None
    with pytest.raises(KeyboardInterrupt):
        with Guard("en"):
            raise KeyboardInterrupt


def test_app_words_is_the_guards_rule():
    app = App.__new__(App)  # only its language: App.words hands over to guard.words
    app.lang = "en"
    assert app.words(TokenExpired()) == CATALOGUES["en"]["auth.token_expired"]
    assert app.words(RuntimeError("x")) == CATALOGUES["en"]["ui.error.unexpected"]


def outage(ctx):
    """The same server with its database gone (a path no database can be opened at)."""
    return dataclasses.replace(ctx, engine=create_engine("sqlite:////nonexistent-folder/inspector.db"))


def test_resume_says_log_in_again_only_for_a_token_the_server_no_longer_takes(ctx):
    token, _, _ = auth.login(ctx, "xuncha", demo.PASSWORD)
    backend = ServerBackend(ctx)
    assert backend.resume(token).actor.username == "xuncha"
    assert backend.resume("not-a-token") is None
    auth.logout(ctx, token)
    assert backend.resume(token) is None  # revoked: log in again
    with pytest.raises(Exception) as raised:
        ServerBackend(outage(ctx)).resume(token)
    assert "unable to open database file" in str(raised.value)


@run_async
async def test_a_database_outage_on_resume_is_not_the_login_screen(ctx, caplog):
    token, _, _ = auth.login(ctx, "xuncha", demo.PASSWORD)
    with caplog.at_level(logging.ERROR, logger=GUARD_LOG):
        ui = await UI(outage(ctx), FakeDevices(prefs=FakePrefs({TOKEN_KEY: token}))).start()
    app = ui.app
    assert app.ws is None and app.login_view is None  # not "log in again": that cannot mend an outage
    assert app.failure_text.value == CATALOGUES["zh-CN"]["ui.error.unexpected"]
    assert ui.on_screen(app.retry_button) and ui.page.navigation_bar is None
    assert any(r.exc_info is not None for r in caplog.records)  # logged with its traceback
    assert "unable to open database file" in caplog.text

    app.backend = ServerBackend(ctx)  # the database is back: 重试 resumes the kept login
    await ui.click(app.retry_button)
    assert app.ws is not None and app.ws.actor.username == "xuncha"
    assert app.login_view is None and ui.page.navigation_bar is not None

