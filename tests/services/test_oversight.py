"""Oversight use cases over a real database: delegations, reproducible spot-check draws, reviews, records."""

import pytest

from inspector.domain.oversight import draw_sample
from inspector.domain.roles import Role
from inspector.errors import Forbidden, InvalidRequest, NotFound
from inspector.services import events, oversight
from inspector.store import users
from inspector.store.delegations import DelegationPublic
from inspector.store.engine import read_session
from inspector.store.oversight_public import DrawnItem, SamplePublic
from tests.factories import event, person, reported, stored_photo

VERIFY_PATH = ("assigned", "fix_submitted", "verified")


class Town:
    """An admin, a supervisor, two offices with staff, and a spot checker delegated construction."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.admin = person(ctx, "guanli", Role.ADMIN)
        self.boss = person(ctx, "dudao", Role.SUPERVISOR)
        self.staff = {"construction": person(ctx, "jianzhu", Role.OFFICE_STAFF, "construction"),
                      "landscaping": person(ctx, "yuanlin", Role.OFFICE_STAFF, "landscaping")}
        checker = person(ctx, "renda", Role.SPOT_CHECKER)
        self.delegation = oversight.delegate(ctx, self.admin, checker.id, offices=["construction"])
        self.checker = self.refresh(checker)
        self.before = stored_photo(ctx, self.boss, seed=1)
        self.after = {o: stored_photo(ctx, s, seed=2 + i) for i, (o, s) in enumerate(self.staff.items())}

    def refresh(self, actor):
        with read_session(self.ctx.engine) as session:
            return users.actor(session, actor.id)

    def verified(self, office: str) -> str:
        """A supervisor's report of ``office``, assigned, fixed and verified; its id."""
        category = "site_sewage" if office == "construction" else "loose_soil"
        first = reported(photo=self.before, category=category)
        events.record_one(self.ctx, self.boss, first)
        payloads = {"assigned": {"office": office, "leader": "陈处长", "deadline": "2026-07-20"},
                    "fix_submitted": {"photos": [self.after[office]], "note": "已清理"},
                    "verified": {"note": "整改到位"}}
        for version, kind in enumerate(VERIFY_PATH, start=1):
            who = self.staff[office] if kind == "fix_submitted" else self.boss
            events.record_one(self.ctx, who, event(first.item_id, kind, version, **payloads[kind]))
        return first.item_id


@pytest.fixture
def town(ctx):
    return Town(ctx)


def test_a_draw_picks_only_from_the_checkers_delegated_scope(ctx, town):
    mine = {town.verified("construction") for _ in range(4)}
    town.verified("landscaping")
    sample = oversight.draw(ctx, town.admin, town.checker.id, 10, seed=7)
    assert isinstance(sample, SamplePublic)
    assert set(sample.candidate_ids) == mine and set(sample.item_ids) == mine
    drawn, checked = oversight.sample_items(ctx, sample)
    assert set(drawn) == mine and checked == set()
    assert all(isinstance(d, DrawnItem) and d.office == d.office_code == "construction" for d in drawn.values())


def test_a_draw_is_reproducible_from_its_seed_and_verifiable(ctx, town):
    for _ in range(6):
        town.verified("construction")
    first = oversight.draw(ctx, town.admin, town.checker.id, 3, seed=20260715)
    again = oversight.draw(ctx, town.admin, town.checker.id, 3, seed=20260715)
    # the second draw leaves out the first's items (its sample is open): the same seed, other candidates
    assert first.id != again.id and len(first.item_ids) == len(again.item_ids) == 3
    assert not set(again.candidate_ids) & set(first.item_ids)
    assert list(first.item_ids) == draw_sample(first.candidate_ids, 3, 20260715)
    check = oversight.verify_sample(ctx, town.boss, first.id)
    assert check.matches and check.recomputed == list(first.item_ids)
    assert [s.id for s in oversight.list_samples(ctx, town.checker)] == [again.id, first.id]


def test_only_admins_draw_and_only_the_checker_and_deciders_read_a_draw(ctx, town):
    town.verified("construction")
    with pytest.raises(Forbidden):
        oversight.draw(ctx, town.boss, town.checker.id, 1, seed=1)
    with pytest.raises(InvalidRequest):
        oversight.draw(ctx, town.admin, town.boss.id, 1, seed=1)  # not a spot checker
    sample = oversight.draw(ctx, town.admin, town.checker.id, 1, seed=1)
    other = person(ctx, "weiyuan", Role.SPOT_CHECKER)
    with pytest.raises(NotFound):
        oversight.get_sample(ctx, other, sample.id)
    assert oversight.get_sample(ctx, town.checker, sample.id) == sample
    with pytest.raises(Forbidden):
        oversight.list_samples(ctx, town.staff["construction"])


def test_delegations_are_listed_to_admins_and_to_their_checker_only_and_revoked(ctx, town):
    assert isinstance(town.delegation, DelegationPublic) and town.delegation.offices == ("construction",)
    assert oversight.list_delegations(ctx, town.checker) == [town.delegation]
    assert oversight.list_delegations(ctx, town.admin, town.boss.id) == []
    with pytest.raises(Forbidden):
        oversight.list_delegations(ctx, town.boss)
    with pytest.raises(InvalidRequest):
        oversight.delegate(ctx, town.admin, town.checker.id, sites=["no-such-site"])
    oversight.revoke_delegation(ctx, town.admin, town.delegation.id)
    assert oversight.list_delegations(ctx, town.admin) == []
    with pytest.raises(NotFound):
        oversight.revoke_delegation(ctx, town.admin, town.delegation.id)
    with pytest.raises(InvalidRequest):  # no scope left to draw from
        oversight.draw(ctx, town.admin, town.checker.id, 1, seed=1)


def test_an_office_record_is_read_within_the_delegation_only(ctx, town):
    town.verified("construction")
    record = oversight.office_record(ctx, town.checker, "construction")
    assert (record.office, record.items, record.open, record.spot_agree) == ("construction", 1, 0, 0)
    with pytest.raises(Forbidden):
        oversight.office_record(ctx, town.checker, "landscaping")
    with pytest.raises(Forbidden):
        oversight.office_record(ctx, town.staff["landscaping"], "construction")


def test_a_review_lists_the_disagreements_since_the_last_settlement(ctx, town):
    item_id = town.verified("construction")
    spot = stored_photo(ctx, town.checker, seed=9)
    disagree = event(item_id, "spot_checked", 4, verdict="disagree", note="仍有污水", photos=[spot])
    events.record_one(ctx, town.checker, disagree)
    [review] = oversight.reviews(ctx, town.boss)
    assert review.item.id == item_id and review.item.disputed
    assert [(f.event_id, f.actor_name, f.note, f.photos) for f in review.findings] == [
        (disagree.id, "renda", "仍有污水", [spot])]
    events.record_one(ctx, town.boss, event(item_id, "dispute_dismissed", 4, reason="核查无误"))
    assert oversight.reviews(ctx, town.boss) == []
    with pytest.raises(Forbidden):
        oversight.reviews(ctx, town.checker)


def test_look_backs_due_are_those_the_actor_may_see(ctx, clock, town):
    item_id = town.verified("construction")
    clock.advance(days=30)
    inspector = person(ctx, "xuncha", Role.INSPECTOR)
    [due] = oversight.look_backs_due(ctx, inspector, None, None)
    assert due.item.id == item_id and due.overdue and due.distance_m is None
    assert oversight.look_backs_due(ctx, town.staff["landscaping"], None, None) == []
