"""Over HTTP: evidence added and merges pushed, who may, and hostile targets answered 4xx with a reason."""

import pytest

from inspector.domain.roles import Role
from tests.factories import event, jpeg, login, person, push, reported, sha


def put_photo(http, headers, seed: int) -> str:
    data = jpeg(seed)
    assert http.put(f"/api/photos/{sha(data)}", content=data, headers=headers).status_code in (200, 201)
    return sha(data)


@pytest.fixture
def people(ctx, http):
    person(ctx, "xuncha", Role.INSPECTOR)
    person(ctx, "dudao", Role.SUPERVISOR)
    person(ctx, "jianzhu", Role.OFFICE_STAFF, "construction")
    person(ctx, "yuanlin", Role.OFFICE_STAFF, "landscaping")
    return {name: login(http, name) for name in ("xuncha", "dudao", "jianzhu", "yuanlin")}


def two_reports(http, people):
    walker = people["xuncha"]
    first, second = (reported(photo=put_photo(http, walker, seed)) for seed in (51, 52))
    assert [r["status"] for r in push(http, walker, first, second)] == ["accepted", "accepted"]
    return first, second


def test_evidence_merges_and_shows_in_the_timeline_with_its_photos(http, people):
    first, _ = two_reports(http, people)
    walker = people["xuncha"]
    photo = put_photo(http, walker, 53)
    stale = event(first.item_id, "evidence_added", 0, photos=[photo], note="又见")  # any version merges
    [answer] = push(http, walker, stale)
    assert answer["status"] == "accepted", answer
    detail = http.get(f"/api/items/{first.item_id}", headers=walker).json()
    assert [e["kind"] for e in detail["events"]] == ["reported", "evidence_added"]
    assert [e["role"] for e in detail["evidence"]] == ["before", "evidence"]
    assert http.get(f"/api/photos/{photo}?variant=thumb", headers=people["jianzhu"]).status_code == 200


def test_a_merge_by_the_supervisor_and_its_duplicate_photos_seen_through_the_target(http, people):
    first, second = two_reports(http, people)
    boss = people["dudao"]
    [answer] = push(http, boss, event(second.item_id, "merged", 1, into=first.item_id, reason="同一处"))
    assert answer["status"] == "accepted", answer
    detail = http.get(f"/api/items/{second.item_id}", headers=boss).json()
    assert detail["status"] == "merged"
    # the construction office sees the target, so it sees the duplicate's photo on it
    second_photo = second.payload["photos"][0]
    assert http.get(f"/api/photos/{second_photo}?variant=thumb", headers=people["jianzhu"]).status_code == 200


def test_offices_may_not_merge_and_another_office_does_not_even_see_the_item(http, people):
    first, second = two_reports(http, people)
    merge = {"into": first.item_id}
    [own] = push(http, people["jianzhu"], event(second.item_id, "merged", 1, **merge))
    assert own["status"] == "rejected" and own["reason"]["code"] == "auth.forbidden"
    [other] = push(http, people["yuanlin"], event(second.item_id, "merged", 1, **merge))
    assert other["status"] == "rejected" and other["reason"]["code"] == "item.not_found"


@pytest.mark.parametrize(("into", "code"), [
    ("", "event.invalid_payload"),
    ("x" * 65, "event.too_long"),
    (42, "event.wrong_type"),
    (["a"], "event.wrong_type"),
    ("../../etc/passwd", "item.merge_target_not_found"),
    ("00000000-0000-7000-8000-000000000000", "item.merge_target_not_found"),
    ("' OR 1=1 --", "item.merge_target_not_found"),
    ("SELF", "item.merge_into_itself"),
])
def test_hostile_targets_are_refused_with_a_reason(http, people, into, code):
    _, second = two_reports(http, people)
    target = second.item_id if into == "SELF" else into
    [answer] = push(http, people["dudao"], event(second.item_id, "merged", 1, into=target))
    assert answer["status"] == "rejected" and answer["reason"]["code"] == code, answer
    assert answer["reason"]["message"]
    assert http.get(f"/api/items/{second.item_id}", headers=people["dudao"]).json()["status"] == "reported"


def test_no_chains_and_no_merge_into_a_duplicate(http, people):
    first, second = two_reports(http, people)
    boss = people["dudao"]
    third = reported(photo=put_photo(http, people["xuncha"], 54))
    assert push(http, people["xuncha"], third)[0]["status"] == "accepted"
    assert push(http, boss, event(second.item_id, "merged", 1, into=first.item_id))[0]["status"] == "accepted"
    [into_dup] = push(http, boss, event(third.item_id, "merged", 1, into=second.item_id))
    assert into_dup["reason"]["code"] == "item.merge_into_duplicate"
    [chain] = push(http, boss, event(first.item_id, "merged", 1, into=third.item_id))
    assert chain["reason"]["code"] == "item.merge_chain"
    # within one batch too: the second merge sees the first
    fourth = reported(photo=put_photo(http, people["xuncha"], 55))
    assert push(http, people["xuncha"], fourth)[0]["status"] == "accepted"
    answers = push(http, boss, event(fourth.item_id, "merged", 1, into=third.item_id),
                   event(third.item_id, "merged", 1, into=first.item_id))
    assert [a["status"] for a in answers] == ["accepted", "rejected"]
    assert answers[1]["reason"]["code"] == "item.merge_chain"
