"""A draw never offers an item already in the checker's open sample; the demo draws renda one."""

import pytest

from inspector.domain.oversight import draw_sample
from inspector.services import demo, events, oversight
from inspector.store import users
from inspector.store.engine import read_session
from tests.factories import event, person, stored_photo
from tests.services.test_oversight import Town


@pytest.fixture
def town(ctx):
    return Town(ctx)


def check(ctx, town, item_ids, seed=90):
    photo = stored_photo(ctx, town.checker, seed=seed)
    for item_id in item_ids:
        events.record_one(ctx, town.checker, event(item_id, "spot_checked", 4, verdict="agree", photos=[photo]))


def test_an_item_in_an_open_sample_is_not_drawn_again_until_the_sample_is_checked(ctx, town):
    mine = {town.verified("construction") for _ in range(5)}
    first = oversight.draw(ctx, town.admin, town.checker.id, 3, seed=5)
    second = oversight.draw(ctx, town.admin, town.checker.id, 3, seed=5)
    assert set(second.candidate_ids) == mine - set(first.item_ids)
    assert len(second.item_ids) == 2 and not set(second.item_ids) & set(first.item_ids)
    assert oversight.draw(ctx, town.admin, town.checker.id, 3, seed=5).item_ids == []  # all five are out
    check(ctx, town, first.item_ids[:2])  # partly checked: still open
    assert oversight.draw(ctx, town.admin, town.checker.id, 3, seed=5).item_ids == []
    check(ctx, town, first.item_ids[2:], seed=91)  # fully checked: its items may be drawn again
    again = oversight.draw(ctx, town.admin, town.checker.id, 3, seed=5)
    assert set(again.candidate_ids) == set(first.item_ids)
    for sample in (first, second, again):  # each draw is recomputed from its recorded seed and candidates
        assert oversight.verify_sample(ctx, town.boss, sample.id).matches
        assert list(sample.item_ids) == draw_sample(sample.candidate_ids, sample.size, int(sample.seed))


def test_another_checkers_open_sample_does_not_hold_an_item_back(ctx, town):
    item_id = town.verified("construction")
    other = users_actor(ctx, town.admin, "weiyuan")
    assert oversight.draw(ctx, town.admin, other.id, 1, seed=1).item_ids == [item_id]
    assert oversight.draw(ctx, town.admin, town.checker.id, 1, seed=1).item_ids == [item_id]


def users_actor(ctx, admin, username):
    """A second spot checker delegated the same office."""
    checker = person(ctx, username, "spot_checker")
    oversight.delegate(ctx, admin, checker.id, offices=["construction"])
    with read_session(ctx.engine) as session:
        return users.actor(session, checker.id)


def test_the_demo_draws_renda_a_sample_so_he_has_work_on_first_login(ctx):
    demo.fill_if_empty(ctx)
    with read_session(ctx.engine) as session:
        renda = users.actor_of(session, users.user_row(session, "renda"))
    [sample] = oversight.list_samples(ctx, renda)
    assert sample.item_ids and oversight.verify_sample(ctx, renda, sample.id).matches
    drawn, checked = oversight.sample_items(ctx, sample)
    assert set(drawn) == set(sample.item_ids) and checked == set()
    assert {d.office for d in drawn.values()} == {"construction"}
