"""An extension is asked for, and granted to, a day not yet over: one rule, in the decision."""

from datetime import datetime, timedelta, timezone

import pytest

from inspector.domain.decision import Known, decide, extension_date_passed
from inspector.domain.events import Event, frozen_payload
from inspector.domain.items import apply
from inspector.errors import ExtensionDatePassed
from inspector.i18n import error_message
from tests.domain.test_decision import ACTORS, STATES, SUPERVISOR

STAFF = ACTORS[2]  # construction's office staff
# 10:00 on 20 July in Shanghai; the server's receipt time, which counts (the device's ``at`` does not)
SERVER_AT = datetime(2026, 7, 20, 2, 0, tzinfo=timezone.utc)


def extension(kind, state, actor, until, at=SERVER_AT, server_at=SERVER_AT):
    payload = {"until": until, "reason": "等苗木"} if kind == "extension_requested" else {"until": until}
    return Event(id=f"x-{kind}-{until}", item_id="item-1", kind=kind, actor_id=actor.id, at=at,
                 base_version=state.version, payload=frozen_payload(payload), server_at=server_at)


@pytest.mark.parametrize("kind, actor, state", [
    ("extension_requested", STAFF, "assigned"),
    ("extension_granted", SUPERVISOR, "extension asked"),
], ids=["requested", "granted"])
def test_a_day_gone_by_is_refused_today_and_later_are_taken(kind, actor, state):
    before = STATES[state]
    with pytest.raises(ExtensionDatePassed) as refused:
        decide(actor, before, extension(kind, before, actor, "2026-07-19"), Known())
    assert refused.value.details == {"until": "2026-07-19", "today": "2026-07-20"}
    for day in ("2026-07-20", "2026-07-25"):  # today is a day one may still name
        after = decide(actor, before, extension(kind, before, actor, day), Known())
        assert after.version == before.version + 1


def test_the_servers_time_counts_not_the_devices():
    before = STATES["assigned"]
    late_device = extension("extension_requested", before, STAFF, "2026-07-19",
                            at=datetime(2026, 7, 18, 2, 0, tzinfo=timezone.utc))
    with pytest.raises(ExtensionDatePassed):
        decide(STAFF, before, late_device, Known())


def test_a_stored_past_extension_still_replays():
    """The rule is the decision's, not the state machine's: a log kept before it replays unchanged."""
    before = STATES["assigned"]
    assert apply(before, extension("extension_requested", before, STAFF, "2026-07-19")).extension_pending


def test_the_rule_itself_and_its_words_in_both_languages():
    end_of_19th = datetime(2026, 7, 19, 15, 59, 59, tzinfo=timezone.utc)  # 23:59:59 in Shanghai
    assert not extension_date_passed(end_of_19th, end_of_19th)
    assert extension_date_passed(end_of_19th, end_of_19th + timedelta(seconds=1))
    error = ExtensionDatePassed(until="2026-07-19", today="2026-07-20")
    zh, en = error_message(error, "zh_CN"), error_message(error, "en")
    assert "2026-07-19" in zh and "已过" in zh
    assert "2026-07-19" in en and "passed" in en
