"""Information reporting over a real database: who names the reporter, who files, who reads which office."""

from datetime import date

import pytest

from inspector.domain.roles import Role
from inspector.errors import Forbidden, InvalidRequest, PhotoMissing
from inspector.services import info_reports
from inspector.store.info_reports import NoteView, ReporterView
from tests.factories import person, stored_photo

TODAY = date(2026, 7, 15)  # the test clock's local day


@pytest.fixture
def bureau(ctx):
    """A supervisor; construction's leader and staff; landscaping's staff, named its reporter."""
    people = {
        "boss": person(ctx, "dudao", Role.SUPERVISOR),
        "leader": person(ctx, "jianzhu_lz", Role.OFFICE_LEADER, "construction"),
        "staff": person(ctx, "jianzhu", Role.OFFICE_STAFF, "construction"),
        "other": person(ctx, "yuanlin", Role.OFFICE_STAFF, "landscaping"),
    }
    info_reports.name_reporter(ctx, people["boss"], "landscaping", "yuanlin")
    return people


def test_a_leader_names_their_own_offices_reporter_only(ctx, bureau):
    named = info_reports.name_reporter(ctx, bureau["leader"], "construction", "JIANZHU")  # logins' name match
    assert isinstance(named, ReporterView) and (named.office, named.user_id) == ("construction", bureau["staff"].id)
    with pytest.raises(Forbidden):
        info_reports.name_reporter(ctx, bureau["leader"], "landscaping", "jianzhu")
    with pytest.raises(InvalidRequest):  # staff of another office
        info_reports.name_reporter(ctx, bureau["boss"], "construction", "yuanlin")


def test_only_the_named_reporter_files_and_never_for_a_day_to_come(ctx, bureau):
    with pytest.raises(Forbidden):
        info_reports.file_note(ctx, bureau["staff"], "进展")  # construction has named nobody
    with pytest.raises(InvalidRequest):
        info_reports.file_note(ctx, bureau["other"], "进展", day=date(2026, 7, 16))
    with pytest.raises(PhotoMissing):
        info_reports.file_note(ctx, bureau["other"], "进展", photos=["f" * 64])
    photo = stored_photo(ctx, bureau["other"], seed=1)
    note = info_reports.file_note(ctx, bureau["other"], "  清理浮土三处  ", photos=[photo])
    assert isinstance(note, NoteView)
    assert (note.office, note.day, note.text, note.reporter_name, note.photos) == (
        "landscaping", TODAY, "清理浮土三处", "yuanlin", (photo,))


def test_an_office_reads_only_its_own_reporter_notes_and_board(ctx, bureau):
    info_reports.file_note(ctx, bureau["other"], "进展")
    assert list(info_reports.reporters(ctx, bureau["staff"])) == ["construction"]
    assert info_reports.reporters(ctx, bureau["staff"])["construction"] is None
    assert info_reports.notes(ctx, bureau["staff"], TODAY, TODAY) == []
    with pytest.raises(Forbidden):
        info_reports.notes(ctx, bureau["staff"], TODAY, TODAY, office="landscaping")
    [own] = info_reports.day_board(ctx, bureau["staff"])
    assert (own.office, own.reported) == ("construction", False)
    board = {day.office: day for day in info_reports.day_board(ctx, bureau["boss"])}
    assert board["landscaping"].reported and board["landscaping"].reporter.username == "yuanlin"
    assert not board["construction"].reported and board["construction"].reporter is None


def test_people_of_no_office_read_no_reports(ctx, bureau):
    inspector = person(ctx, "xuncha", Role.INSPECTOR)
    with pytest.raises(Forbidden):
        info_reports.day_board(ctx, inspector)
