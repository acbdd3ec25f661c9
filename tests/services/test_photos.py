"""Photos: stored write-once, handed out as public facts, served only to those who may see them."""

import pytest

from inspector.domain.roles import Role
from inspector.errors import PhotoHashMismatch, PhotoNotFound
from inspector.services import events, photos
from inspector.services.workspace import ServerWorkspace
from inspector.store import sites
from inspector.store.engine import write_session
from inspector.store.public import PhotoPublic, SitePublic
from tests.factories import jpeg, person, reported, sha


def test_a_stored_photo_comes_back_as_public_facts_and_a_repeat_changes_nothing(ctx, clock):
    inspector = person(ctx, "xuncha", Role.INSPECTOR)
    data = jpeg(3)
    first = photos.put_photo(ctx, inspector, sha(data), data)
    assert first.created and type(first.photo) is PhotoPublic
    assert (first.photo.width, first.photo.height, first.photo.uploaded_by) == (640, 480, inspector.id)
    assert first.photo.uploaded_at == clock()
    clock.advance(hours=1)
    again = photos.put_photo(ctx, person(ctx, "dudao", Role.SUPERVISOR), sha(data), data)
    assert not again.created and again.photo == first.photo  # the first uploader and time stay
    assert photos.has_photo(ctx, sha(data)) and not photos.has_photo(ctx, "0" * 64)
    with pytest.raises(PhotoHashMismatch):
        photos.put_photo(ctx, inspector, "f" * 64, jpeg(4))


def test_the_workspace_adds_a_photo_and_hands_out_its_facts_without_a_session(ctx):
    inspector = person(ctx, "xuncha", Role.INSPECTOR)
    added = ServerWorkspace(ctx, inspector).add_photo(jpeg(5))
    assert type(added) is PhotoPublic and added.sha256 == sha(jpeg(5)) and added.exif_problems == ()


def test_a_photo_is_served_only_to_those_who_may_see_it_and_carries_the_items_stamp(ctx):
    inspector = person(ctx, "xuncha", Role.INSPECTOR)
    boss = person(ctx, "dudao", Role.SUPERVISOR)
    other = person(ctx, "yuanlin", Role.OFFICE_STAFF, "landscaping")
    with write_session(ctx.engine) as session:
        sites.add_site(session, SitePublic(id="s1", name="滨江花园三期工地", kind="construction_site",
                                           office_code="construction", lat=30.2741, lon=120.1551))
    data = jpeg(6)
    stored = photos.put_photo(ctx, inspector, sha(data), data).photo
    plain = photos.photo_bytes(ctx, inspector, stored.sha256, "display")  # not cited yet: no stamp
    events.record_one(ctx, inspector, reported(photo=stored.sha256, site="s1"))
    stamped = photos.photo_bytes(ctx, boss, stored.sha256, "display")
    assert stamped != plain and stamped[:2] == b"\xff\xd8"
    assert photos.photo_bytes(ctx, inspector, stored.sha256, "display") == stamped  # made once, kept
    assert photos.photo_bytes(ctx, boss, stored.sha256, "original") == data
    with pytest.raises(PhotoNotFound):
        photos.photo_bytes(ctx, other, stored.sha256)
    with pytest.raises(PhotoNotFound):
        photos.photo_bytes(ctx, boss, "0" * 64)
