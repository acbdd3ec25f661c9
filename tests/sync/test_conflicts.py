"""Two phones change the same item offline: the server keeps the first, refuses the second with words."""

from sqlmodel import select

from inspector.errors import StaleVersion
from inspector.i18n import error_message, t
from inspector.services import events
from inspector.store.engine import read_session
from inspector.store.models import EventRow, Item, Rejection
from tests.factories import event, person, reported, stored_photo
from tests.sync.conftest import PASSWORD, assert_matches_server, photo_of, server_event_count

ASSIGN = {"office": "construction", "leader": "陈处长", "deadline": "2026-07-18"}


def _item_at(ctx, status: str) -> str:
    """An item moved on the server to ``fix_submitted`` (or just assigned): its id."""
    boss = person(ctx, "server_boss", "supervisor")
    staff = person(ctx, "server_staff", "office_staff", "construction")
    first = reported(photo=stored_photo(ctx, boss, 90))
    events.record_one(ctx, boss, first)
    events.record_one(ctx, boss, event(first.item_id, "assigned", 1, **ASSIGN))
    if status == "fix_submitted":
        events.record_one(ctx, staff, event(first.item_id, "acknowledged", 2))
        events.record_one(ctx, staff, event(first.item_id, "fix_submitted", 3, photos=[stored_photo(ctx, staff, 91)]))
    return first.item_id


def test_verify_and_reject_from_the_same_version_first_wins_second_is_told_why(ctx, live, phones):
    item_id = _item_at(ctx, "fix_submitted")
    person(ctx, "zhang", "supervisor")
    person(ctx, "wang", "supervisor")
    phone_a, phone_b = phones(live.url, "a"), phones(live.url, "b", lang="en")
    a, b = phone_a.login("zhang", PASSWORD), phone_b.login("wang", PASSWORD)
    assert phone_a.sync_once().ok and phone_b.sync_once().ok
    assert a.item(item_id).item.version == b.item(item_id).item.version == 4

    # Both offline (no round), both decide from version 4.
    a.record("verified", item_id, 4, {"note": "整改到位"})
    b.record("rejected", item_id, 4, {"reason": "污水仍在外流"})
    assert (a.item(item_id).item.status, b.item(item_id).item.status) == ("verified", "rectifying")

    won = phone_a.sync_once()
    lost = phone_b.sync_once()
    assert (won.pushed, won.rejected) == (1, 0)
    assert (lost.pushed, lost.rejected, lost.waiting) == (0, 1, 0)

    # Nothing overwritten: the server holds the verification, and only a record of the refusal.
    with read_session(ctx.engine) as session:
        assert session.get(Item, item_id).status == "verified"
        kinds = [r.kind for r in session.exec(select(EventRow).where(EventRow.item_id == item_id)
                                              .order_by(EventRow.seq)).all()]
        refusal = session.exec(select(Rejection).where(Rejection.item_id == item_id)).one()
    assert kinds == ["reported", "assigned", "acknowledged", "fix_submitted", "verified"]
    assert (refusal.kind, refusal.code) == ("rejected", "item.stale")

    # The loser's phone shows the server's state and, on the item, why its change was refused.
    view = b.item(item_id)
    assert view.item.status == "verified"
    last = view.timeline[-1]
    assert (last.kind, last.pending) == ("rejected", False)
    assert "verified" in last.rejection and "refresh" in last.rejection
    assert b.sync_status().rejected == 1 and [e.reason_code for e in b.rejected()] == ["item.stale"]
    # The same reason in the winner's language, from the recorded code.
    words = error_message(StaleVersion(**refusal.details), "zh-CN")
    assert t("status.verified", "zh-CN") in words, words
    assert_matches_server(ctx, phone_a)
    assert_matches_server(ctx, phone_b)  # a refused change is kept aside, never projected
    assert server_event_count(ctx) == 5
    b.discard_rejected(b.rejected()[0].id)  # read and dismissed by its author
    assert b.sync_status().rejected == 0 and not any(e.rejection for e in b.item(item_id).timeline)


def test_two_office_staff_submit_a_fix_from_the_same_version(ctx, live, phones):
    item_id = _item_at(ctx, "assigned")
    person(ctx, "liu", "office_staff", "construction")
    person(ctx, "zhao", "office_staff", "construction")
    phone_a, phone_b = phones(live.url, "a"), phones(live.url, "b")
    a, b = phone_a.login("liu", PASSWORD), phone_b.login("zhao", PASSWORD)
    phone_a.sync_once(), phone_b.sync_once()

    a_ack = a.record("acknowledged", item_id, 2, {})
    a.record("fix_submitted", item_id, a_ack.version, {"photos": [photo_of(a, 1)], "note": "已清理"})
    b_ack = b.record("acknowledged", item_id, 2, {})
    b.record("fix_submitted", item_id, b_ack.version, {"photos": [photo_of(b, 2)], "note": "已完成"})
    a.record("commented", item_id, 0, {"text": "甲的说明"})
    b.record("commented", item_id, 0, {"text": "乙的说明"})

    assert phone_a.sync_once().pushed == 3
    lost = phone_b.sync_once()
    # Both state changes of B were made from versions that no longer hold; its comment merges.
    assert (lost.pushed, lost.rejected) == (1, 2)
    view = b.item(item_id)
    refused = [e for e in view.timeline if e.rejection]
    assert [e.kind for e in refused] == ["acknowledged", "fix_submitted"]
    assert view.item.status == "fix_submitted" and view.item.comment_count == 2
    # Words in the phone's language (zh-CN by default), naming the state the item is in now.
    assert all(t("status.fix_submitted", "zh-CN") in e.rejection for e in refused), refused
    with read_session(ctx.engine) as session:
        server_item = session.get(Item, item_id)
    assert server_item.comment_count == 2 and server_item.version == 4
    phone_a.sync_once()
    assert_matches_server(ctx, phone_a)
    assert_matches_server(ctx, phone_b)
