"""Logins on a field client: an expired or revoked token costs nothing, one device per person at a time."""

import os
import subprocess
import sys

import pytest

from inspector.errors import NotAuthenticated, OtherUserPending, TokenExpired
from inspector.services import auth
from inspector.store.queries import ItemFilter
from inspector.sync.client import ApiClient
from tests.conftest import ROOT
from tests.factories import person
from tests.sync.conftest import PASSWORD, photo_of, report_payload, server_event_ids


@pytest.mark.parametrize("how", ["expired", "revoked"])
def test_a_refused_token_stops_the_round_keeps_the_outbox_and_a_new_login_sends_it(ctx, clock, live, phones, how):
    person(ctx, "li", "inspector")
    phone = phones(live.url)
    ws = phone.login("li", PASSWORD)
    first = ws.record_event("reported", None, 0, report_payload(photo_of(ws, 1)))

    if how == "expired":
        clock.advance(days=ctx.settings.token_days + 1)
    else:
        auth.logout(ctx, phone.store.get("token"))
    report = phone.sync_once()
    expected = TokenExpired if how == "expired" else NotAuthenticated
    assert isinstance(report.error, expected) and report.login_needed
    assert (report.pushed, report.waiting) == (0, 1)
    status = ws.sync_status()
    assert status.login_needed and status.pending == 1
    assert status.last_error == ("登录已过期，请重新登录；未上传的记录会保留在本机" if how == "expired" else "请先登录")
    assert not phone.is_logged_in and phone.login_needed

    # Work goes on while a login is due; rounds do not knock on the server meanwhile.
    second = ws.record_event("commented", first.item_id, 0, {"text": "补拍"})
    assert isinstance(phone.sync_once().error, expected)
    assert server_event_ids(ctx) == []

    ws = phone.login("li", PASSWORD)
    assert phone.is_logged_in and not ws.sync_status().login_needed
    report = phone.sync_once()
    assert report.ok and (report.pushed, report.waiting) == (2, 0)
    assert sorted(server_event_ids(ctx)) == sorted([first.event_id, second.event_id])


def test_another_person_cannot_log_in_over_waiting_records(ctx, live, phones):
    person(ctx, "li", "inspector")
    person(ctx, "wang", "inspector")
    phone = phones(live.url)
    ws = phone.login("li", PASSWORD)
    ws.record("reported", None, 0, report_payload(photo_of(ws, 1)))
    with pytest.raises(OtherUserPending) as refused:
        phone.login("wang", PASSWORD)
    assert refused.value.details == {"count": 1, "username": "li"}
    assert phone.store.user().username == "li" and phone.store.counts() == (1, 0)

    assert phone.sync_once().ok
    wang = phone.login("wang", PASSWORD)
    # A fresh copy for the new person: li's copy is gone at login, whatever wang may see of it...
    assert wang.list_items(ItemFilter()).total == 0
    # ... and comes back from the server by wang's own right: inspectors see a colleague's open report
    assert phone.sync_once().ok
    [seen] = wang.list_items(ItemFilter()).items
    assert seen.reported_by != wang.actor.id and wang.list_items(ItemFilter(reported_by=wang.actor.id)).total == 0
    assert phone.store.device_id() == ws.client.store.device_id()  # the device stays the device


def test_logout_revokes_the_token_and_keeps_waiting_records(ctx, live, phones):
    person(ctx, "li", "inspector")
    phone = phones(live.url)
    ws = phone.login("li", PASSWORD)
    token = phone.store.get("token")
    ws.record("reported", None, 0, report_payload(photo_of(ws, 1)))
    phone.logout()
    assert not phone.is_logged_in and phone.workspace() is None
    with pytest.raises(NotAuthenticated):
        ws.record("reported", None, 0, report_payload(photo_of(ws, 2)))
    with ApiClient(live.url, token=token) as api, pytest.raises(NotAuthenticated):
        api.sites()
    assert phone.store.counts() == (1, 0)
    assert phone.login("li", PASSWORD).sync_now().pending == 0


def _cli(*args, lang="en_US.UTF-8"):
    env = dict(os.environ, LANG=lang)
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "inspector", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120)


def test_sync_command_runs_one_round_and_says_what_it_did(ctx, live, phones, tmp_path):
    person(ctx, "li", "inspector")
    phone = phones(live.url, "field")
    ws = phone.login("li", PASSWORD)
    ws.record("reported", None, 0, report_payload(photo_of(ws, 1)))
    data = phone.store.data_dir
    phone.close()

    done = _cli("sync", "--server", live.url, "--data", str(data))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "pushed 1, rejected 0, pulled 0, waiting 0"
    assert len(server_event_ids(ctx)) == 1

    unreachable = _cli("sync", "--server", "http://127.0.0.1:9", "--data", str(data))
    assert unreachable.returncode == 1 and "Cannot reach the server" in unreachable.stdout

    (tmp_path / "empty").mkdir()  # a missing folder is refused before the login is looked for
    never = _cli("sync", "--server", live.url, "--data", str(tmp_path / "empty"))
    assert never.returncode == 1 and "log in" in never.stdout
