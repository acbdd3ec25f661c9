"""Checklist versions (``inspector.services.checklists``, ``inspector.store.checklists``) on a real database:
the shipped ones seeded, a save a new version beside the old, conflicts, and who may save."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from inspector.domain.checklists import point_dict
from inspector.domain.roles import Role
from inspector.domain.standard import SHIPPED
from inspector.errors import ChecklistConflict, ChecklistNotFound, Forbidden, InvalidPayload, UnknownSiteType
from inspector.services import checklists, sites
from inspector.store import checklists as store
from inspector.store.engine import read_session, write_session
from inspector.store.schema import seed_checklists
from tests.factories import person


@pytest.fixture
def admin(ctx):
    return person(ctx, "admin1", Role.ADMIN)


def edited(c, **change) -> list[dict]:
    """The points of ``c`` as an editor sends them, the first one's words changed."""
    points = [point_dict(p) for p in c.points]
    points[0] = {**points[0], "text": {"zh-CN": "围挡高度不低于2.5米", "en": "Hoardings at least 2.5 m"}, **change}
    return points


def test_every_shipped_site_type_starts_with_the_standard_as_version_1(ctx):
    current = {c.site_type: c for c in checklists.current_all(ctx)}
    assert set(current) == set(SHIPPED)
    for site_type, c in current.items():
        assert c.version == 1 and [p.code for p in c.points] == [p.code for p in SHIPPED[site_type]]
        assert all(p.text["zh-CN"] and p.text["en"] for p in c.points)
    assert checklists.current(ctx, "construction_site").point("cs_hoarding").starred


def test_seeding_again_adds_nothing(ctx):
    seed_checklists(ctx.engine)
    assert [v.version for v in checklists.history(ctx, "green_belt")] == [1]


def test_saving_version_2_leaves_version_1_readable_and_unchanged(ctx, admin, clock):
    v1 = checklists.current(ctx, "construction_site")
    clock.advance(days=1)
    saved = checklists.save(ctx, admin, "construction_site", edited(v1), base_version=1)
    assert saved.new and saved.checklist.version == 2 and saved.checklist.id != v1.id
    assert checklists.current(ctx, "construction_site") == saved.checklist
    assert checklists.version(ctx, v1.id) == v1  # the old version, as it was
    assert checklists.version(ctx, v1.id).points[0].text["zh-CN"].startswith("施工现场连续设置围挡")
    assert saved.checklist.points[0].text["zh-CN"] == "围挡高度不低于2.5米"
    history = checklists.history(ctx, "construction_site")
    assert [(v.version, v.created_by) for v in history] == [(2, admin.id), (1, None)]
    assert history[0].created_at == clock() and history[0].points == len(v1.points)


def test_an_unchanged_list_saves_nothing(ctx, admin):
    v1 = checklists.current(ctx, "community")
    saved = checklists.save(ctx, admin, "community", [point_dict(p) for p in v1.points], base_version=1)
    assert not saved.new and saved.checklist == v1
    assert [v.version for v in checklists.history(ctx, "community")] == [1]


def test_reorder_remove_and_star_are_changes(ctx, admin):
    v1 = checklists.current(ctx, "office_area")
    points = [point_dict(p) for p in reversed(v1.points)][:-1]
    points[0]["starred"] = not points[0]["starred"]
    saved = checklists.save(ctx, admin, "office_area", points, base_version=1)
    assert saved.new and [p.code for p in saved.checklist.points] == [p["code"] for p in points]


def test_two_admins_editing_version_1_at_once_one_wins_the_other_is_told_and_loses_nothing(ctx, admin):
    other = person(ctx, "admin2", Role.ADMIN)
    v1 = checklists.current(ctx, "green_belt")
    mine, theirs = edited(v1), edited(v1, starred=False)
    mine[0]["text"] = {"zh-CN": "我的修改"}
    first = checklists.save(ctx, other, "green_belt", theirs, base_version=1)
    with pytest.raises(ChecklistConflict) as refused:
        checklists.save(ctx, admin, "green_belt", mine, base_version=1)
    assert refused.value.details["version"] == 2
    assert checklists.current(ctx, "green_belt") == first.checklist and checklists.version(ctx, v1.id) == v1
    again = checklists.save(ctx, admin, "green_belt", mine, base_version=2)  # what was typed is saved on top
    assert again.checklist.version == 3 and again.checklist.points[0].text == {"zh-CN": "我的修改"}


def test_the_unique_version_settles_two_inserts_of_one_number(ctx, clock):
    v1 = checklists.current(ctx, "community")
    with write_session(ctx.engine) as session:
        store.add_version(session, "a" * 36, "community", v1.points, clock(), None, version=2)
        with pytest.raises(ChecklistConflict) as refused:
            store.add_version(session, "b" * 36, "community", v1.points[:1], clock(), None, version=2)
        assert refused.value.details == {"site_type": "community", "version": 2}
        store.add_version(session, "c" * 36, "community", v1.points[:2], clock(), None)  # the session goes on
    with read_session(ctx.engine) as session:
        assert [v.version for v in store.versions(session, "community")] == [3, 2, 1]
        assert store.by_id(session, "b" * 36) is None


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.INSPECTOR, Role.OFFICE_STAFF])
def test_only_admins_save(ctx, role):
    someone = person(ctx, f"u_{role}", role, "construction" if role == Role.OFFICE_STAFF else None)
    v1 = checklists.current(ctx, "construction_site")
    with pytest.raises(Forbidden):
        checklists.save(ctx, someone, "construction_site", edited(v1))
    assert checklists.current(ctx, "construction_site") == v1


def test_a_bad_list_or_an_unknown_site_type_is_refused(ctx, admin):
    v1 = checklists.current(ctx, "construction_site")
    with pytest.raises(InvalidPayload):
        checklists.save(ctx, admin, "construction_site", edited(v1, category="nope"))
    with pytest.raises(UnknownSiteType):
        checklists.save(ctx, admin, "market", edited(v1))
    with pytest.raises(ChecklistNotFound):
        checklists.version(ctx, "no-such-id")


def test_a_site_type_added_later_has_no_checklist_until_an_admin_saves_one(ctx, admin):
    sites.add_site_type(ctx, admin, "market", {"zh-CN": "农贸市场", "en": "Farmers' market"})
    assert checklists.current(ctx, "market") is None and checklists.history(ctx, "market") == []
    assert "market" not in {c.site_type for c in checklists.current_all(ctx)}
    points = [{"code": "mk_stalls", "category": "community_sanitation", "text": {"zh-CN": "摊位整洁"}}]
    with pytest.raises(ChecklistConflict):
        checklists.save(ctx, admin, "market", points, base_version=1)
    saved = checklists.save(ctx, admin, "market", points, base_version=0)
    assert saved.checklist.version == 1 and checklists.current(ctx, "market") == saved.checklist


def test_two_saves_from_one_base_at_the_same_moment_one_version_is_stored(ctx, admin):
    other = person(ctx, "admin3", Role.ADMIN)
    v1 = checklists.current(ctx, "construction_site")
    edits = {admin.id: edited(v1, starred=False), other.id: edited(v1, category="site_garbage")}

    def save(actor):
        try:
            return checklists.save(ctx, actor, "construction_site", edits[actor.id], base_version=1)
        except ChecklistConflict as refused:
            return refused

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(save, [admin, other]))
    won = [a for a in answers if not isinstance(a, ChecklistConflict)]
    lost = [a for a in answers if isinstance(a, ChecklistConflict)]
    assert len(won) == 1 and len(lost) == 1 and lost[0].details["version"] == 2
    assert [v.version for v in checklists.history(ctx, "construction_site")] == [2, 1]
    assert checklists.current(ctx, "construction_site") == won[0].checklist
