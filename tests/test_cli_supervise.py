"""``inspector supervise``: one sweep from the command line, at the clock or at ``--now``, never twice."""

import io

import pytest
from sqlmodel import select

from inspector.cli import ERROR_EXIT, main
from inspector.domain.roles import Role
from inspector.domain.supervision import SYSTEM_USER_ID
from inspector.services import events
from inspector.store.engine import read_session
from inspector.store.models import EventRow
from tests.factories import event, person, reported, stored_photo


@pytest.fixture
def data(ctx, monkeypatch):
    """Two items due at the end of 31 July; the command's clock reads 5 August, 09:00 local."""
    boss = person(ctx, "dudao", Role.SUPERVISOR)
    photo = stored_photo(ctx, boss)
    for _ in range(2):
        first = reported(photo=photo)
        events.record_one(ctx, boss, first)
        events.record_one(ctx, boss, event(first.item_id, "assigned", 1, office="construction", leader="陈处长",
                                           deadline="2026-07-31"))
    monkeypatch.setenv("DATABASE_URL", ctx.settings.resolved_database_url())
    monkeypatch.setenv("INSPECTOR_CLOCK_START", "2026-08-05T09:00:00+08:00")
    monkeypatch.setenv("INSPECTOR_SECRET_KEY", "the-same-key-as-the-server")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    return str(ctx.settings.data_dir)


def steps(ctx) -> list[str]:
    with read_session(ctx.engine) as session:
        rows = session.exec(select(EventRow).where(EventRow.actor_id == SYSTEM_USER_ID).order_by(EventRow.seq))
        return [r.payload.get("step", r.kind) for r in rows.all()]


def test_supervise_records_what_is_due_once(ctx, data, capsys):
    assert main(["supervise", "--data", data, "--now", "2026-07-29T08:00:00+08:00"]) == 0
    out = capsys.readouterr().out
    assert "2 steps recorded on 2 items" in out and "2 days before the deadline 2" in out
    assert main(["supervise", "--data", data]) == 0  # the clock: 5 August
    assert "4 steps recorded on 2 items" in capsys.readouterr().out
    assert main(["supervise", "--data", data]) == 0
    assert "0 steps recorded" in capsys.readouterr().out
    assert sorted(steps(ctx)) == sorted(["2d", "2d", "overdue", "overdue", "supervised", "supervised"])


@pytest.mark.parametrize(("now", "code"), [
    ("2026-08-06T09:00:00+08:00", "supervision.now_ahead"),  # later than the clock: never early
    ("2026-08-01T09:00:00", "supervision.now_invalid"),  # which instant is a guess without an offset
    ("yesterday", "supervision.now_invalid"),
])
def test_a_bad_now_is_an_error_with_its_words_and_nothing_is_recorded(ctx, data, capsys, now, code):
    assert main(["supervise", "--data", data, "--now", now]) == ERROR_EXIT
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.strip().endswith(f"({code})") and "{" not in err
    assert steps(ctx) == []


def test_supervise_refuses_a_data_folder_that_does_not_exist(tmp_path, capsys):
    assert main(["supervise", "--data", str(tmp_path / "typo")]) == ERROR_EXIT
    assert capsys.readouterr().err.strip().endswith("(cli.no_data_folder)")


def test_nobody_can_be_given_the_servers_role(ctx, data, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password-1\n"))
    assert main(["user", "add", "--data", data, "--username", "robot", "--role", "system",
                 "--password-stdin"]) == ERROR_EXIT
    assert capsys.readouterr().err.strip().endswith("(catalog.unknown_role)")
