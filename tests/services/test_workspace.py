"""The server's Workspace: what the UI reads is public models and domain values, never table rows."""

from inspector.domain.roles import Role
from inspector.services import auth
from inspector.services.workspace import ServerWorkspace, record_offices
from inspector.store import sites, users
from inspector.store.engine import read_session, write_session
from inspector.store.public import PhotoPublic, SitePublic
from tests.factories import jpeg, person, reported, sha

YARD = SitePublic(id="s1", name="滨江花园三期工地", kind="construction_site", office_code="construction",
                  lat=30.2741, lon=120.1551, radius_m=250)


def test_the_workspace_hands_out_sites_and_photos_as_public_models(ctx):
    with write_session(ctx.engine) as session:
        sites.add_site(session, YARD)
    inspector = person(ctx, "xuncha", Role.INSPECTOR)
    ws = ServerWorkspace(ctx, inspector)
    assert ws.sites() == [YARD] and type(ws.sites()[0]) is SitePublic
    photo = ws.add_photo(jpeg(1))
    state = ws.record("reported", None, 0, {**reported(photo=photo.sha256).payload, "site": "s1"})
    view = ws.item(state.id)
    assert view.item.site_id == "s1" and view.timeline[0].actor_name == "xuncha"
    assert view.photos == {sha(jpeg(1)): photo} and type(view.photos[photo.sha256]) is PhotoPublic
    assert not view.blind


def test_the_offices_whose_record_one_reads(ctx):
    staff = person(ctx, "jianzhu", Role.OFFICE_STAFF, "construction")
    checker = person(ctx, "renda", Role.SPOT_CHECKER)
    auth.delegate(ctx, checker.id, offices=["real_estate", "landscaping"])
    with read_session(ctx.engine) as session:
        checker = users.actor(session, checker.id)
    assert record_offices(staff) == ["construction"]
    assert record_offices(checker) == ["landscaping", "real_estate"]
    assert len(record_offices(person(ctx, "dudao", Role.SUPERVISOR))) == 4
    assert record_offices(person(ctx, "xuncha", Role.INSPECTOR)) == []
    assert ServerWorkspace(ctx, staff).spot_samples() == []
