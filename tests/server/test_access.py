"""Access rules over real HTTP: which photos an event may cite, who reads which photo (blindness
included), which check types and scopes a report may claim, and that a report names a known site.

Each attack is tried through the API and refused per event in the push reply (and recorded, so a
retry answers the same), next to the legitimate path that must keep working.
"""

from datetime import datetime, timezone

import pytest
from sqlmodel import select

from inspector.domain.permissions import Actor
from inspector.errors import SelfCheckOtherOffice, UnknownSite
from inspector.services import auth, events
from inspector.store.engine import read_session, write_session
from inspector.store.models import Item, ItemPhoto, Rejection, Site, User
from inspector.sync.local import LocalStore
from tests.factories import event, jpeg, push, reported, sha, stored_photo
from tests.factories import login as _login
from tests.factories import person as _person

VARIANTS = ("original", "display", "thumb")
PASSWORD = "access-rules-2026"


def person(ctx, username, role, office=None):
    return _person(ctx, username, role, office, password=PASSWORD)


def login(http, username, password=PASSWORD):
    return _login(http, username, password)


def upload(http, headers, seed: int) -> str:
    """Upload a fresh photo over HTTP as the person behind ``headers``; its hash."""
    data = jpeg(seed)
    response = http.put(f"/api/photos/{sha(data)}", content=data, headers={**headers, "Content-Type": "image/jpeg"})
    assert response.status_code == 201, response.text
    return sha(data)


def readable(http, headers, photo: str) -> dict[str, int]:
    """The status of each variant of ``photo`` for the person behind ``headers``."""
    return {v: http.get(f"/api/photos/{photo}", params={"variant": v}, headers=headers).status_code
            for v in VARIANTS}


def refresh(ctx, actor):
    with read_session(ctx.engine) as session:
        return auth.actor_of(session, session.get(User, actor.id))


def recorded_refusal(ctx, event_id: str) -> str | None:
    with read_session(ctx.engine) as session:
        row = session.get(Rejection, event_id)
        return row.code if row else None


ALL = {v: 200 for v in VARIANTS}
NONE = {v: 404 for v in VARIANTS}


class World:
    """A supervisor, an inspector, staff of two offices, a deputy delegated the construction office,
    and a construction item brought to verified: before-photo by the supervisor, after-photo by staff."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.boss = person(ctx, "dudao", "supervisor")
        self.inspector = person(ctx, "xuncha", "inspector")
        self.staff = person(ctx, "jianzhu", "office_staff", "construction")
        self.other = person(ctx, "yuanlin", "office_staff", "landscaping")
        self.deputy = person(ctx, "daibiao", "spot_checker")
        auth.delegate(ctx, self.deputy.id, offices=["construction"])
        self.deputy = refresh(ctx, self.deputy)
        self.before = stored_photo(ctx, self.boss, seed=1)
        self.after = stored_photo(ctx, self.staff, seed=2)
        first = reported(photo=self.before, category="site_sewage")
        events.record_one(ctx, self.boss, first)
        self.item = first.item_id
        for who, kind, version, payload in (
            (self.boss, "assigned", 1, {"office": "construction", "leader": "陈处长", "deadline": "2026-07-20"}),
            (self.staff, "fix_submitted", 2, {"photos": [self.after], "note": "已清理"}),
            (self.boss, "verified", 3, {"note": "整改到位"}),
        ):
            assert events.record_one(ctx, who, event(self.item, kind, version, **payload)).status == "accepted"
        with write_session(ctx.engine) as session:
            session.add(Site(id="site-c", name="滨江工地", kind="construction_site", office_code="construction",
                             lat=30.27, lon=120.15))
            session.add(Site(id="site-l", name="人民公园", kind="green_belt", office_code="landscaping",
                             lat=30.28, lon=120.16))


@pytest.fixture
def world(ctx):
    return World(ctx)


# --- photos: citing and reading -----------------------------------------------------------------------------
def test_another_offices_photo_cannot_be_read_by_citing_it(http, ctx, world):
    other = login(http, "yuanlin")
    assert readable(http, other, world.after) == NONE and readable(http, other, world.before) == NONE
    steal = reported(photo=world.after, category="loose_soil", check_type="self")
    [result] = push(http, other, steal)
    assert result["status"] == "rejected" and result["reason"]["code"] == "photo.not_citable"
    assert readable(http, other, world.after) == NONE
    # a photo among their own ones is refused the same way
    mine = upload(http, other, seed=10)
    own = reported(photo=mine, category="loose_soil", check_type="self")
    [ok] = push(http, other, own)
    assert ok["status"] == "accepted", ok
    both = reported(category="loose_soil", check_type="self", photos=[mine, world.before])
    [refused] = push(http, other, both)
    assert refused["reason"]["code"] == "photo.not_citable"
    assert readable(http, other, world.before) == NONE
    # the refusal is recorded: the very same event answers the same again, and links nothing
    assert recorded_refusal(ctx, steal.id) == "photo.not_citable"
    [again] = push(http, other, steal)
    assert again["reason"]["code"] == "photo.not_citable"
    with read_session(ctx.engine) as session:
        assert session.get(Item, steal.item_id) is None
        assert session.exec(select(ItemPhoto).where(ItemPhoto.sha256 == world.after)).all()[0].item_id == world.item


def test_a_blind_spot_checker_cannot_unblind_an_after_photo_by_citing_it(http, ctx, world):
    deputy = login(http, "daibiao")
    assert readable(http, deputy, world.before) == ALL  # the report is theirs to judge by
    assert readable(http, deputy, world.after) == NONE  # the office's fix is not, until they checked
    own = upload(http, deputy, seed=20)
    attempts = [
        reported(photo=world.after, check_type="spot"),
        reported(check_type="spot", photos=[own, world.after]),
        event(world.item, "spot_checked", 0, verdict="agree", photos=[world.after]),
    ]
    results = push(http, deputy, *attempts)
    assert [r["reason"]["code"] for r in results] == ["photo.not_citable"] * len(attempts)
    assert readable(http, deputy, world.after) == NONE
    body = http.get(f"/api/items/{world.item}", headers=deputy).json()
    assert body["fix_photos"] == [] and [e["kind"] for e in body["events"]] == ["reported"]
    # the legitimate path: their own check with their own photo lifts the blindness
    [ok] = push(http, deputy, event(world.item, "spot_checked", 0, verdict="agree", photos=[own]))
    assert ok["status"] == "accepted", ok
    assert readable(http, deputy, world.after) == ALL


def test_the_legitimate_photo_paths_still_work(http, ctx, world):
    inspector, staff, boss = login(http, "xuncha"), login(http, "jianzhu"), login(http, "dudao")
    fresh = upload(http, inspector, seed=30)
    assert readable(http, inspector, fresh) == ALL  # one's own upload, before any item uses it
    report = reported(photo=fresh, site="site-c")
    [ok] = push(http, inspector, report)
    assert ok["status"] == "accepted", ok
    assert readable(http, inspector, fresh) == ALL
    # the office sees its item's photos, and may cite one it sees (the report's) in its own events
    assert readable(http, staff, world.before) == ALL and readable(http, staff, world.after) == ALL
    assert readable(http, staff, fresh) == ALL  # the new report is the construction office's too
    events.record_one(ctx, world.boss, event(report.item_id, "assigned", 1, office="construction", leader="陈处长",
                                             deadline="2026-07-20"))
    [cited] = push(http, staff, event(report.item_id, "fix_submitted", 2, photos=[fresh], note="对照原图已清理"))
    assert cited["status"] == "accepted", cited
    # a supervisor sees everything, even a photo no item uses yet; seeing is no licence to cite it elsewhere:
    # another item's photo, or one no item uses, is its taker's evidence, not the supervisor's
    loose = stored_photo(ctx, person(ctx, "xuncha2", "inspector"), seed=31)
    for photo in (world.before, world.after, fresh, loose):
        assert readable(http, boss, photo) == ALL
    taken = push(http, boss, reported(photo=world.after), reported(photo=loose))
    assert [r["reason"]["code"] for r in taken] == ["photo.not_own"] * 2
    # an inspector, who sees verified items for the look-back, may point at the item's own photos on it
    [look] = push(http, inspector, event(world.item, "look_back_passed", 4, photos=[world.after]))
    assert look["status"] == "accepted", look
    # nobody else may read an uncited photo of someone else's
    assert readable(http, staff, loose) == NONE and readable(http, inspector, loose) == NONE


def test_a_colleagues_open_item_is_seen_but_its_photos_are_not_citable_as_ones_own(http, ctx, world):
    colleague = person(ctx, "xuncha2", "inspector")
    theirs_photo = stored_photo(ctx, colleague, seed=50)
    theirs = reported(photo=theirs_photo, category="site_garbage")
    assert events.record_one(ctx, colleague, theirs).status == "accepted"
    inspector = login(http, "xuncha")
    assert http.get(f"/api/items/{theirs.item_id}", headers=inspector).status_code == 200  # an open item: seen
    assert readable(http, inspector, theirs_photo) == ALL
    mine = upload(http, inspector, seed=51)
    attempts = [
        reported(photo=theirs_photo, category="site_garbage"),  # a colleague's before-photo in my report
        reported(category="site_garbage", photos=[mine, theirs_photo]),
        event(theirs.item_id, "evidence_added", 0, photos=[theirs_photo]),  # their own photo again, as mine
    ]
    refused = push(http, inspector, *attempts)
    assert [r["reason"]["code"] for r in refused] == ["photo.not_own"] * len(attempts)
    assert "自己拍摄" in refused[0]["reason"]["message"]
    assert recorded_refusal(ctx, attempts[0].id) == "photo.not_own"
    # the legitimate path: my own fresh photo on their item, which the colleague then sees on it
    [added] = push(http, inspector, event(theirs.item_id, "evidence_added", 0, photos=[mine], note="东侧也有"))
    assert added["status"] == "accepted", added
    assert readable(http, login(http, "xuncha2"), mine) == ALL
    with read_session(ctx.engine) as session:
        assert session.get(Item, theirs.item_id).evidence_count == 1


# --- check types and scopes -------------------------------------------------------------------------------------
def test_office_staff_file_self_checks_for_their_own_office_only(http, ctx, world):
    staff = login(http, "jianzhu")
    photo = upload(http, staff, seed=40)
    attempts = [
        reported(photo=photo, category="loose_soil", check_type="self"),  # landscaping by default
        reported(photo=photo, category="site_sewage", check_type="self", office="landscaping"),
    ]
    results = push(http, staff, *attempts)
    assert [r["reason"]["code"] for r in results] == ["auth.self_check_other_office"] * 2
    assert results[0]["reason"]["message"]
    assert recorded_refusal(ctx, attempts[0].id) == "auth.self_check_other_office"
    with read_session(ctx.engine) as session:
        assert session.get(Item, attempts[0].item_id) is None
    own = reported(photo=photo, category="site_sewage", check_type="self")
    cross = reported(photo=photo, category="loose_soil", check_type="cross")  # another office: that is a cross check
    assert [r["status"] for r in push(http, staff, own, cross)] == ["accepted", "accepted"]
    # the item numbers handed out stay gapless: the refused reports gave theirs back
    with read_session(ctx.engine) as session:
        numbers = sorted(session.get(Item, e.item_id).number for e in (own, cross))
    assert [n[-3:] for n in numbers] == ["002", "003"]


def test_a_spot_checker_reports_only_within_the_delegated_scope(http, ctx, world):
    deputy = login(http, "daibiao")
    photo = upload(http, deputy, seed=50)
    outside = [
        reported(photo=photo, category="loose_soil", check_type="spot"),  # landscaping
        reported(photo=photo, category="site_sewage", check_type="spot", office="landscaping"),
        reported(photo=photo, category="loose_soil", check_type="spot", site="site-l"),
    ]
    results = push(http, deputy, *outside)
    assert [r["reason"]["code"] for r in results] == ["auth.outside_scope"] * 3
    assert recorded_refusal(ctx, outside[0].id) == "auth.outside_scope"
    [ok] = push(http, deputy, reported(photo=photo, category="site_sewage", check_type="spot"))
    assert ok["status"] == "accepted", ok
    # a site delegation covers that site; a delegation's period bounds the reports (server time)
    site_checker = person(ctx, "site_checker", "spot_checker")
    auth.delegate(ctx, site_checker.id, sites=["site-l"])
    lapsed = person(ctx, "lapsed", "spot_checker")
    auth.delegate(ctx, lapsed.id, offices=["construction"], ends=datetime(2026, 7, 1, tzinfo=timezone.utc))
    on_site = login(http, "site_checker")
    mine = upload(http, on_site, seed=51)
    results = push(http, on_site, reported(photo=mine, category="loose_soil", check_type="spot", site="site-l"),
                   reported(photo=mine, category="loose_soil", check_type="spot", site="site-c"))
    assert [r["status"] for r in results] == ["accepted", "rejected"]
    assert results[1]["reason"]["code"] == "auth.outside_scope"
    late = login(http, "lapsed")
    [refused] = push(http, late, reported(photo=upload(http, late, seed=52), check_type="spot"))
    assert refused["reason"]["code"] == "auth.outside_scope"


# --- sites -------------------------------------------------------------------------------------------------------
def test_a_report_must_name_a_known_site(http, ctx, world):
    inspector = login(http, "xuncha")
    photo = upload(http, inspector, seed=60)
    bogus = reported(photo=photo, site="no-such-site")
    [result] = push(http, inspector, bogus)
    assert result["status"] == "rejected" and result["reason"]["code"] == "catalog.unknown_site"
    assert "no-such-site" in result["reason"]["message"]
    assert recorded_refusal(ctx, bogus.id) == "catalog.unknown_site"
    ok = [reported(photo=photo, site="site-c"), reported(photo=photo, site="site-l"), reported(photo=photo)]
    assert [r["status"] for r in push(http, inspector, *ok)] == ["accepted"] * 3
    body = http.get(f"/api/items/{ok[0].item_id}", headers=inspector).json()
    assert body["site"] == "site-c"


# --- the field client decides the same offline ---------------------------------------------------------------
def test_the_field_client_refuses_the_same_reports_offline(tmp_path):
    store = LocalStore(tmp_path / "phone")
    try:
        staff = Actor(id="u-staff", role="office_staff", office="construction", username="jianzhu")
        at = datetime(2026, 7, 15, 1, 0, tzinfo=timezone.utc)
        photo = store.add_photo(staff.id, jpeg(70), at).sha256

        def report(**extra):
            body = {"category": "site_sewage", "location": {"lat": 30.27, "lon": 120.15}, "check_type": "self",
                    "photos": [photo], **extra}
            return store.record_local(staff, "reported", None, 0, body, at)

        with pytest.raises(SelfCheckOtherOffice):
            report(category="loose_soil")
        assert store.counts()[0] == 0  # nothing waits in the outbox
        report(site="not-yet-known")  # no site list came down yet: the server decides
        store.replace_sites([{"id": "site-c", "name": "滨江工地", "kind": "construction_site",
                              "office_code": "construction", "lat": 30.27, "lon": 120.15}])
        with pytest.raises(UnknownSite):
            report(site="no-such-site")
        assert report(site="site-c").state.site_id == "site-c"
        assert store.counts()[0] == 2
    finally:
        store.close()
