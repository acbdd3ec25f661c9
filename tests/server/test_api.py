"""The HTTP contract of docs/api.md, over real HTTP against a real database."""

import json

import pytest

from inspector.errors import ALL_ERRORS
from tests.factories import LOCATION, event, jpeg, new_id, person, reported, sha, wire


def login(http, username, password="secret-pw-123", device_id=None):
    response = http.post("/api/auth/token", json={"username": username, "password": password, "device_id": device_id})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def people(ctx):
    return {
        "inspector": person(ctx, "xuncha", "inspector"),
        "supervisor": person(ctx, "dudao", "supervisor"),
        "staff": person(ctx, "jianzhu", "office_staff", "construction"),
        "other_staff": person(ctx, "yuanlin", "office_staff", "landscaping"),
    }


def upload(http, headers, seed=0):
    data = jpeg(seed)
    response = http.put(f"/api/photos/{sha(data)}", content=data, headers=headers)
    assert response.status_code in (200, 201), response.text
    return sha(data)


def push(http, headers, *events, device="dev-1", lang=None):
    extra = {"Accept-Language": lang} if lang else {}
    response = http.post("/api/sync/push", json={"device_id": device, "events": [wire(e) for e in events]},
                         headers={**headers, **extra})
    assert response.status_code == 200, response.text
    return response.json()["results"]


def test_health_needs_no_login(http):
    assert http.get("/api/health").json() == {"status": "ok"}


def test_login_gives_a_token_and_the_user(http, people):
    response = http.post("/api/auth/token", json={"username": "jianzhu", "password": "secret-pw-123"})
    body = response.json()
    assert body["token_type"] == "bearer" and len(body["access_token"]) >= 40
    assert body["user"]["role"] == "office_staff" and body["user"]["office"] == "construction"
    assert "password_hash" not in response.text


def test_wrong_password_is_401_with_the_error_shape_in_the_users_language(http, people):
    response = http.post("/api/auth/token", json={"username": "jianzhu", "password": "nope"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "auth.invalid_credentials"
    assert response.json()["error"]["message"] == "用户名或密码错误"
    english = http.post("/api/auth/token", json={"username": "ghost", "password": "nope"},
                        headers={"Accept-Language": "en-US,en;q=0.9"})
    assert english.json()["error"]["message"] == "Wrong username or password"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic abc"}])
def test_missing_or_bad_token_is_401(http, headers):
    response = http.get("/api/catalog", headers=headers)
    assert response.status_code == 401 and response.json()["error"]["code"] == "auth.unauthenticated"


def test_logout_revokes_the_token(http, people):
    headers = login(http, "xuncha")
    assert http.get("/api/catalog", headers=headers).status_code == 200
    assert http.post("/api/auth/logout", headers=headers).status_code == 204
    assert http.get("/api/catalog", headers=headers).status_code == 401


def test_token_expires_after_the_configured_days_unless_used(http, people, clock):
    headers = login(http, "xuncha")
    clock.advance(days=29)
    assert http.get("/api/catalog", headers=headers).status_code == 200  # used: renewed
    clock.advance(days=29)
    assert http.get("/api/catalog", headers=headers).status_code == 200
    clock.advance(days=31)
    response = http.get("/api/catalog", headers=headers)
    assert response.status_code == 401 and response.json()["error"]["code"] == "auth.token_expired"


def test_catalog_lists_offices_categories_with_defaults(http, people):
    body = http.get("/api/catalog", headers=login(http, "xuncha")).json()
    assert {o["code"] for o in body["offices"]} == {"construction", "landscaping", "real_estate", "other_units"}
    sewage = next(c for c in body["categories"] if c["code"] == "site_sewage")
    assert sewage["default_office"] == "construction" and sewage["deadline_days"] == 3
    assert sewage["names"]["zh-CN"] == "工地污水乱排放"
    assert {c["code"] for c in body["check_types"]} == {"self", "cross", "supervisor", "spot", "technical"}
    assert len(body["roles"]) == 6 and {s["code"] for s in body["severities"]} >= {"normal"}


def test_photo_put_is_write_once_and_idempotent(http, people):
    headers = login(http, "xuncha")
    data = jpeg(3)
    first = http.put(f"/api/photos/{sha(data)}", content=data, headers=headers)
    again = http.put(f"/api/photos/{sha(data)}", content=data, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert first.json()["sha256"] == sha(data) and first.json()["width"] == 640 and first.json()["gps"] is None
    assert http.head(f"/api/photos/{sha(data)}", headers=headers).status_code == 200
    assert http.head(f"/api/photos/{'0' * 64}", headers=headers).status_code == 404


@pytest.mark.parametrize("body,status,code", [
    (jpeg(1), 400, "photo.hash_mismatch"),
    (b"this is text named photo.jpg", 415, "photo.unsupported"),
    (b"", 422, "photo.corrupt"),
    (jpeg(2)[:600], 422, "photo.corrupt"),
])
def test_bad_photos_are_refused_and_nothing_is_stored(http, people, body, status, code):
    headers = login(http, "xuncha")
    claimed = sha(jpeg(9)) if code == "photo.hash_mismatch" else sha(body)
    response = http.put(f"/api/photos/{claimed}", content=body, headers=headers)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert http.head(f"/api/photos/{claimed}", headers=headers).status_code == 404


def test_photo_over_the_size_cap_is_413(ctx, http, people):
    ctx.settings.photo_max_bytes = 1000
    headers = login(http, "xuncha")
    data = jpeg(4)
    response = http.put(f"/api/photos/{sha(data)}", content=data, headers=headers)
    assert response.status_code == 413 and response.json()["error"]["code"] == "photo.too_large"


def test_report_is_accepted_with_a_sequence_number_and_a_human_number(http, people):
    headers = login(http, "xuncha")
    photo = upload(http, headers)
    first = reported(photo=photo)
    [result] = push(http, headers, first)
    assert result["status"] == "accepted" and result["seq"] >= 1 and result["reason"] is None
    item = http.get(f"/api/items/{first.item_id}", headers=headers).json()
    assert item["number"] == "2026-0715-001" and item["status"] == "reported" and item["version"] == 1
    assert item["office"] == "construction" and item["location"]["lat"] == LOCATION["lat"]
    assert [e["kind"] for e in item["events"]] == ["reported"]
    assert item["photo_facts"][0]["sha256"] == photo
    second = reported(photo=photo)
    push(http, headers, second)
    assert http.get(f"/api/items/{second.item_id}", headers=headers).json()["number"] == "2026-0715-002"


def test_the_same_push_twice_changes_nothing_and_answers_the_same(http, people):
    headers = login(http, "xuncha")
    photo = upload(http, headers)
    batch = [reported(photo=photo), reported(photo=photo)]
    first = push(http, headers, *batch)
    again = push(http, headers, *batch)
    assert [r["status"] for r in first] == ["accepted", "accepted"]
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert [r["seq"] for r in first] == [r["seq"] for r in again]
    assert http.get("/api/items", headers=headers).json()["total"] == 2


def test_an_event_id_reused_with_other_content_is_refused(http, people):
    headers = login(http, "xuncha")
    photo = upload(http, headers)
    original = reported(photo=photo)
    push(http, headers, original)
    forged = reported(photo=photo, description="另一件事")
    forged = type(original)(**{**original.__dict__, "payload": forged.payload})
    [result] = push(http, headers, forged)
    assert result["status"] == "rejected" and result["reason"]["code"] == "event.conflict"


def test_one_bad_event_does_not_sink_the_batch(http, people):
    headers = login(http, "xuncha")
    photo = upload(http, headers)
    good, missing_photo, unknown_item = reported(photo=photo), reported(photo="f" * 64), event(new_id(), "commented", 0,
                                                                                              text="hi")
    results = push(http, headers, good, missing_photo, unknown_item)
    assert [r["status"] for r in results] == ["accepted", "rejected", "rejected"]
    assert results[1]["reason"]["code"] == "photo.missing"
    assert results[2]["reason"]["code"] == "item.not_found"
    assert http.get("/api/items", headers=headers).json()["total"] == 1


def test_stale_change_is_rejected_with_words_both_users_can_read(http, people):
    inspector, boss = login(http, "xuncha"), login(http, "dudao")
    photo = upload(http, inspector)
    report = reported(photo=photo)
    push(http, inspector, report)
    assign = {"office": "construction", "leader": "陈处长", "deadline": "2026-07-20"}
    push(http, boss, event(report.item_id, "assigned", 1, **assign))
    [late] = push(http, boss, event(report.item_id, "dismissed", 1, reason="重复"), lang="zh-CN")
    assert late["status"] == "rejected" and late["reason"]["code"] == "item.stale"
    assert "已派遣" in late["reason"]["message"]
    [late_en] = push(http, boss, event(report.item_id, "dismissed", 1, reason="dup"), lang="en")
    assert "assigned" in late_en["reason"]["message"]
    item = http.get(f"/api/items/{report.item_id}", headers=boss).json()
    assert item["status"] == "assigned" and item["version"] == 2


def test_a_rejected_event_retried_gets_the_same_answer(http, people):
    inspector = login(http, "xuncha")
    photo = upload(http, inspector)
    report = reported(photo=photo)
    push(http, inspector, report)
    forbidden = event(report.item_id, "verified", 1)
    first = push(http, inspector, forbidden)
    again = push(http, inspector, forbidden)
    assert first[0]["reason"]["code"] == again[0]["reason"]["code"] == "auth.forbidden"


@pytest.mark.parametrize("body", [
    "{not json",
    json.dumps({"device_id": "d", "events": [{"id": "x"}]}),
    json.dumps({"device_id": "d", "events": [], "surprise": 1}),
    json.dumps({"device_id": "d", "events": [{"id": new_id(), "item_id": new_id(), "kind": "reported",
                                              "at": "yesterday", "base_version": 0, "payload": {}}]}),
    json.dumps({"device_id": "d", "events": [{"id": new_id(), "item_id": new_id(), "kind": "reported",
                                              "at": "2026-07-15T09:00:00+08:00", "base_version": "zero",
                                              "payload": {}, "extra": True}]}),
])
def test_malformed_pushes_are_422_with_a_clear_message_and_store_nothing(http, people, body):
    headers = login(http, "xuncha")
    response = http.post("/api/sync/push", content=body, headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "request.invalid" and error["message"] and error["details"]["problems"]
    assert http.get("/api/items", headers=headers).json()["total"] == 0


def test_unknown_item_is_404(http, people):
    response = http.get(f"/api/items/{new_id()}", headers=login(http, "xuncha"))
    assert response.status_code == 404 and response.json()["error"]["code"] == "item.not_found"


def test_pull_is_ordered_paged_and_only_what_the_user_may_see(http, people):
    inspector, boss = login(http, "xuncha"), login(http, "dudao")
    photo = upload(http, inspector)
    ours = reported(photo=photo)
    theirs = reported(photo=photo, category="loose_soil")
    push(http, inspector, ours, theirs)
    push(http, boss, event(ours.item_id, "assigned", 1, office="construction", leader="陈", deadline="2026-07-20"),
         event(theirs.item_id, "assigned", 1, office="landscaping", leader="吴", deadline="2026-07-20"))
    staff = login(http, "jianzhu")
    seen, after = [], 0
    while True:
        page = http.get("/api/sync/pull", params={"after": after, "limit": 1}, headers=staff).json()
        seen += page["events"]
        after = page["next_after"]
        if not page["has_more"]:
            break
    assert [e["item_id"] for e in seen] == [ours.item_id, ours.item_id]
    assert [e["kind"] for e in seen] == ["reported", "assigned"]
    assert seen[0]["seq"] < seen[1]["seq"] and seen[0]["number"] and seen[1]["actor"]
    everything = http.get("/api/sync/pull", params={"after": 0}, headers=boss).json()
    assert len(everything["events"]) == 4 and not everything["has_more"]
    assert http.get("/api/sync/pull", params={"after": after}, headers=staff).json()["events"] == []


def test_items_list_filters_and_pages(http, people, clock):
    inspector, boss = login(http, "xuncha"), login(http, "dudao")
    photo = upload(http, inspector)
    reports = [reported(photo=photo, category=c) for c in ("site_sewage", "road_mud", "loose_soil")]
    push(http, inspector, *reports)
    push(http, boss, event(reports[0].item_id, "assigned", 1, office="construction", leader="陈",
                           deadline="2026-07-16"))
    listing = http.get("/api/items", params={"page_size": 2, "sort": "number"}, headers=boss).json()
    assert listing["total"] == 3 and len(listing["items"]) == 2
    assert [i["number"] for i in listing["items"]] == ["2026-0715-001", "2026-0715-002"]
    assert http.get("/api/items", params={"category": "loose_soil"}, headers=boss).json()["total"] == 1
    assert http.get("/api/items", params={"office": "construction"}, headers=boss).json()["total"] == 2
    assert http.get("/api/items", params={"status": "assigned"}, headers=boss).json()["total"] == 1
    assert http.get("/api/items", params={"overdue": "true"}, headers=boss).json()["total"] == 0
    clock.advance(days=3)
    overdue = http.get("/api/items", params={"overdue": "true"}, headers=boss).json()
    assert overdue["total"] == 1 and overdue["items"][0]["overdue"] and overdue["items"][0]["days_left"] < 0
    assert http.get("/api/items", params={"q": "0715-003"}, headers=boss).json()["total"] == 1
    assert http.get("/api/items", params={"from": "2026-07-16"}, headers=boss).json()["total"] == 0
    assert http.get("/api/items", params={"to": "2026-07-15"}, headers=boss).json()["total"] == 3
    assert http.get("/api/items", params={"page_size": 0}, headers=boss).status_code == 422


def test_photos_are_served_only_to_those_who_see_an_item_using_them(http, people):
    inspector, other = login(http, "xuncha"), login(http, "yuanlin")
    photo = upload(http, inspector, seed=5)
    report = reported(photo=photo)
    push(http, inspector, report)
    thumb = http.get(f"/api/photos/{photo}", params={"variant": "thumb"}, headers=inspector)
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    assert thumb.content[:2] == b"\xff\xd8"
    assert http.get(f"/api/photos/{photo}", headers=other).status_code == 404


def test_every_route_of_the_contract_is_in_the_openapi_schema(http):
    paths = http.get("/openapi.json").json()["paths"]
    expected = {
        "/api/health": {"get"}, "/api/auth/token": {"post"}, "/api/auth/logout": {"post"},
        "/api/catalog": {"get"}, "/api/photos/{sha256}": {"put", "head", "get"}, "/api/sync/push": {"post"},
        "/api/sync/pull": {"get"}, "/api/items": {"get"}, "/api/items/{item_id}": {"get"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path


def test_every_error_code_has_words_in_both_languages():
    from inspector.i18n import CATALOGUES

    for error in ALL_ERRORS:
        for lang, messages in CATALOGUES.items():
            assert error.code in messages, (lang, error.code)


def test_an_event_repeated_inside_one_batch_is_stored_once(http, people):
    headers = login(http, "xuncha")
    photo = upload(http, headers)
    report = reported(photo=photo)
    first, repeat = push(http, headers, report, report)
    assert (first["status"], repeat["status"]) == ("accepted", "duplicate")
    assert first["seq"] == repeat["seq"]
    assert len(http.get("/api/sync/pull", headers=headers).json()["events"]) == 1


def test_display_copy_is_watermarked_and_evidence_is_reported(http, people):
    from io import BytesIO

    from PIL import Image

    inspector, boss, staff = login(http, "xuncha"), login(http, "dudao"), login(http, "jianzhu")
    photo = upload(http, inspector, seed=21)
    report = reported(photo=photo)
    push(http, inspector, report)
    plain = http.get(f"/api/photos/{photo}", params={"variant": "thumb"}, headers=inspector).content
    display = http.get(f"/api/photos/{photo}", headers=inspector)
    assert display.status_code == 200
    image = Image.open(BytesIO(display.content))
    assert image.format == "JPEG" and not image.getexif()
    original_band = Image.open(BytesIO(jpeg(21))).convert("RGB").resize(image.size).crop(
        (0, image.height - 40, image.width, image.height))
    band = image.convert("RGB").crop((0, image.height - 40, image.width, image.height))
    assert band.tobytes() != original_band.tobytes() and plain != display.content
    # a fix photo taken 200 m away is flagged with its distance
    push(http, boss, event(report.item_id, "assigned", 1, office="construction", leader="陈", deadline="2026-07-20"))
    after = upload(http, staff, seed=22)
    far = {"lat": LOCATION["lat"] + 0.0018, "lon": LOCATION["lon"], "source": "gps"}
    push(http, staff, event(report.item_id, "fix_submitted", 2, photos=[after], location=far))
    evidence = http.get(f"/api/items/{report.item_id}", headers=boss).json()["evidence"]
    fix = next(e for e in evidence if e["role"] == "after")
    assert fix["distance_flagged"] and 190 < fix["distance_m"] < 210
    assert fix["time_flagged"]  # the test events claim device times hours before the server's clock
    assert {e["role"] for e in evidence} == {"before", "after"}


def test_nearest_registered_site_is_suggested_within_the_radius(ctx, http, people):
    from inspector.store.engine import write_session
    from inspector.store.models import Site

    with write_session(ctx.engine) as session:
        session.add(Site(id="s1", name="滨江花园三期工地", kind="construction_site", office_code="construction",
                         lat=30.2741, lon=120.1551))
        session.add(Site(id="s2", name="人民公园", kind="green_belt", office_code="landscaping",
                         lat=30.2841, lon=120.1551))
    headers = login(http, "xuncha")
    near = http.get("/api/sites/nearest", params={"lat": 30.2745, "lon": 120.1551}, headers=headers).json()
    assert near["site"]["name"] == "滨江花园三期工地" and 40 < near["distance_m"] < 50
    far = http.get("/api/sites/nearest", params={"lat": 30.30, "lon": 120.20}, headers=headers).json()
    assert far == {"site": None, "distance_m": None}
    assert len(http.get("/api/sites", headers=headers).json()["sites"]) == 2


@pytest.mark.real_password_cost
def test_passwords_are_stored_as_argon2id_at_the_production_cost(ctx):
    from inspector.store.engine import read_session
    from inspector.store.models import User

    user = person(ctx, "cost", "inspector")
    with read_session(ctx.engine) as session:
        stored = session.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$") and "m=65536,t=3" in stored and "secret-pw-123" not in stored


def test_a_photo_with_an_exif_capture_time_is_stored_and_its_time_reported(http, people):
    from io import BytesIO

    from PIL import Image

    image = Image.new("RGB", (400, 300), (90, 120, 60))
    exif = Image.Exif()
    exif[0x8769] = {0x9003: "2026:07:15 09:20:00"}  # DateTimeOriginal, camera wall clock
    out = BytesIO()
    image.save(out, "JPEG", exif=exif)
    data = out.getvalue()
    response = http.put(f"/api/photos/{sha(data)}", content=data, headers=login(http, "xuncha"))
    assert response.status_code == 201, response.text
    assert response.json()["taken_at"] == "2026-07-15T09:20:00"
