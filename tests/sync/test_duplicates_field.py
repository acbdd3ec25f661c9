"""Duplicates on the field client: candidates offline from the local copy, the same as the server's (another
person's open items among them); evidence added offline to someone else's item goes up; a position the device called mocked reaches the desk's evidence flagged."""

from inspector.domain.decision import next_moves
from inspector.domain.lifecycle import Kind
from inspector.services import events
from inspector.services.desk import Desk
from inspector.services.workspace import ServerWorkspace
from tests.factories import LOCATION, event, jpeg, person, reported, stored_photo
from tests.sync.conftest import PASSWORD
from tests.sync.test_oversight_field import Switch

NEAR = {**LOCATION, "lat": LOCATION["lat"] + 0.0002}  # about 22 m north


def _ids(candidates) -> list[tuple[str, str]]:
    return [(c.item.id, c.offer) for c in candidates]


def test_candidates_offline_match_the_servers_and_evidence_goes_up(ctx, clock, live, phones):
    walker = person(ctx, "li", "inspector")
    boss = person(ctx, "boss", "supervisor")
    staff = person(ctx, "chen", "office_staff", "construction")
    mine = reported(photo=stored_photo(ctx, walker, 61), category="site_garbage")
    theirs = reported(photo=stored_photo(ctx, boss, 62), category="site_garbage")  # the supervisor's, open
    fixed = reported(photo=stored_photo(ctx, boss, 63), category="site_garbage")
    for who, e in ((walker, mine), (boss, theirs), (boss, fixed)):
        assert events.record_one(ctx, who, e).status == "accepted"
    events.record_one(ctx, boss, event(fixed.item_id, "assigned", 1, office="construction", leader="陈处长",
                                       deadline="2026-07-18"))
    events.record_one(ctx, staff, event(fixed.item_id, "fix_submitted", 2, photos=[stored_photo(ctx, staff, 64)]))
    events.record_one(ctx, boss, event(fixed.item_id, "verified", 3))

    switch = Switch()
    phone = phones(live.url, clock=clock, transport=switch)
    ws = phone.login("li", PASSWORD)
    assert phone.sync_once().ok
    switch.online = False  # at the site, no signal
    here = (NEAR["lat"], NEAR["lon"], "site_garbage")
    offline = ws.report_candidates(*here)
    online = ServerWorkspace(ctx, walker).report_candidates(*here)
    # the inspector sees every open item, the supervisor's too, and the fixed one: the field copy holds them all
    assert _ids(offline) == _ids(online)
    assert sorted(_ids(offline)) == sorted([(mine.item_id, "duplicate"), (theirs.item_id, "duplicate"),
                                            (fixed.item_id, "rebound")])
    assert [round(c.distance_m) for c in offline] == [round(c.distance_m) for c in online]
    assert ws.report_candidates(NEAR["lat"], NEAR["lon"], "site_sewage") == []

    photo = ws.add_photo(jpeg(65)).sha256
    target = next(c.item for c in offline if c.item.id == theirs.item_id)  # someone else's item takes my photo
    assert target.reported_by == boss.id and Kind.EVIDENCE_ADDED in next_moves(ws.actor, target)
    state = ws.record(Kind.EVIDENCE_ADDED, target.id, target.version,
                      {"photos": [photo], "location": {**NEAR, "mocked": True}})
    assert state.evidence_count == 1 and ws.sync_status().pending == 1
    switch.online = True
    assert phone.sync_once().ok and ws.sync_status().pending == 0
    shown = Desk(ctx, boss).item(target.id)
    assert shown.item.evidence_count == 1
    [added] = [e for e in shown.evidence if e.role == "evidence"]
    assert "mock_provider" in added.location_flags  # the device's word, pushed and read back


def test_a_report_from_a_mocked_position_is_flagged_end_to_end(ctx, clock, live, phones):
    person(ctx, "li", "inspector")
    boss = person(ctx, "boss", "supervisor")
    phone = phones(live.url, clock=clock)
    ws = phone.login("li", PASSWORD)
    photo = ws.add_photo(jpeg(71)).sha256
    honest = ws.record("reported", None, 0, {"category": "site_garbage", "location": dict(LOCATION),
                                             "photos": [photo]})
    photo = ws.add_photo(jpeg(72)).sha256
    faked = ws.record("reported", None, 0, {"category": "site_garbage", "photos": [photo],
                                            "location": {**LOCATION, "mocked": True}})
    assert phone.sync_once().ok
    desk = Desk(ctx, boss)
    assert desk.item(honest.id).evidence[0].location_flags == ()
    assert desk.item(faked.id).evidence[0].location_flags == ("mock_provider",)
