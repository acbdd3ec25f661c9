"""GET /api/items/{id}: the evidence carries its doubts about a position (issue 12)."""

from dataclasses import replace
from datetime import datetime, timezone

from inspector.domain.roles import Role
from tests.factories import LOCATION, jpeg, login, person, push, reported, sha


def test_the_api_evidence_names_a_zero_accuracy_and_a_point_repeated_on_another_day(ctx, http):
    person(ctx, "xuncha", Role.INSPECTOR)
    headers = login(http, "xuncha")
    spot = {**LOCATION, "accuracy_m": 0}
    pushed = []
    for seed, at in ((31, datetime(2026, 7, 10, 2, 0, tzinfo=timezone.utc)),
                     (32, datetime(2026, 7, 15, 1, 0, tzinfo=timezone.utc))):
        data = jpeg(seed)
        assert http.put(f"/api/photos/{sha(data)}", content=data, headers=headers).status_code in (200, 201)
        pushed.append(replace(reported(photo=sha(data), location=spot), at=at))
    assert [r["status"] for r in push(http, headers, *pushed)] == ["accepted", "accepted"]

    (before,) = http.get(f"/api/items/{pushed[1].item_id}", headers=headers).json()["evidence"]
    assert before["accuracy_m"] == 0
    assert before["location_flags"] == ["zero_accuracy", "repeated_spot"]
    assert before["repeated_on"] == ["2026-07-10"]
