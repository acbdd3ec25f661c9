"""GET /api/scores over real HTTP carries the visit figures, the visits and the windows behind them."""

from datetime import datetime, timezone

from inspector.domain.roles import Role
from tests.factories import login, person, registered_site, visit_row


def test_the_scores_answer_holds_coverage_with_its_visits_and_windows(ctx, clock, http):
    clock.current = datetime(2026, 8, 2, 2, tzinfo=timezone.utc)
    site = registered_site(ctx, "城东工地")
    seen = visit_row(ctx, site, "self", datetime(2026, 7, 3, 2, tzinfo=timezone.utc), met=3, applicable=4)
    person(ctx, "dudao", Role.SUPERVISOR)
    body = http.get("/api/scores", params={"month": "2026-07"}, headers=login(http, "dudao")).json()
    row = next(r for r in body["offices"] if r["office"] == "construction")
    coverage = row["measures"]["coverage"]
    assert (coverage["numerator"]["value"], coverage["denominator"]["value"]) == (1, 8)
    assert coverage["numerator"]["ids"] == [seen] and row["measures"]["visit_score"]["value"] == 0.75
    assert [v["id"] for v in body["visits"]] == [seen] and body["visits"][0]["day"] == "2026-07-03"
    missed = [w for w in body["windows"] if w["visit"] is None]
    assert len(missed) == 7 and {w["site_name"] for w in missed} == {"城东工地"}
    assert body["labels"]["coverage"] == "巡检覆盖率"
    assert any(rule.startswith("巡检覆盖率：") for rule in body["formula"]["rules"])
