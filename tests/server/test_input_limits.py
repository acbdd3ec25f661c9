"""Input limits at the HTTP edge, over real HTTP: parameter bounds, body caps, the pull page's size,
search wildcards and the error responses the OpenAPI schema declares."""

import io
import json
import random
import socket
from urllib.parse import urlsplit

import pytest
from PIL import Image

from inspector.server import limits
from tests.factories import jpeg, person, reported, sha, wire

PASSWORD = "secret-pw-123"


@pytest.fixture
def people(ctx):
    return {"supervisor": person(ctx, "dudao", "supervisor"), "inspector": person(ctx, "xuncha", "inspector")}


def login(http, username):
    response = http.post("/api/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def boss(http, people):
    return login(http, "dudao")


@pytest.fixture
def inspector(http, people):
    return login(http, "xuncha")


def upload(http, headers, seed=0):
    data = jpeg(seed)
    response = http.put(f"/api/photos/{sha(data)}", content=data, headers=headers)
    assert response.status_code in (200, 201), response.text
    return sha(data)


def push(http, headers, *events):
    response = http.post("/api/sync/push", json={"device_id": "dev-1", "events": [wire(e) for e in events]},
                         headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["results"]


def assert_refused(response, status: int, code: str):
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code, response.text
    assert response.json()["error"]["message"]


# --- integers, days and months ------------------------------------------------------------------------
@pytest.mark.parametrize("url", [
    "/api/sync/pull?after=99999999999999999999",
    "/api/sync/pull?after=9223372036854775808",
    "/api/items?page=9223372036854775807",
    "/api/items?page=100001",
])
def test_integers_past_their_bounds_are_422_not_a_fault(http, boss, url):
    assert_refused(http.get(url, headers=boss), 422, "request.invalid")


def test_the_largest_cursor_is_an_empty_page(http, boss):
    response = http.get("/api/sync/pull?after=9223372036854775807", headers=boss)
    assert response.status_code == 200, response.text
    assert response.json() == {"events": [], "next_after": 9223372036854775807, "has_more": False}


@pytest.mark.parametrize("url", [
    "/api/items?from=0001-01-01",
    "/api/items?to=9999-12-31",
    "/api/reports/summary.csv?from=0001-01-01",
    "/api/reports/summary.csv?to=9999-12-31",
    "/api/reports/summary.xlsx?to=9999-12-31",
    "/api/reports/summary.pdf?from=0001-01-01",
    "/api/scores?month=0001-01",
    "/api/scores?month=9999-12",
    "/api/scores?month=2026-13",
    "/api/scores?month=2026-00",
    "/api/info/notes?from=0001-01-01",
    "/api/info/notes?from=2026-07-01&to=9999-12-31",
    "/api/info/board?day=9999-12-31",
    "/api/rounds?on=0001-01-01",
])
def test_days_and_months_at_the_ends_of_the_calendar_are_422(http, boss, url):
    assert_refused(http.get(url, headers=boss), 422, "request.invalid")


@pytest.mark.parametrize("url", [
    "/api/items?from=2000-01-01&to=2099-12-31",
    "/api/reports/summary.csv?from=2026-07-01&to=2026-07-31",
    "/api/scores?month=2026-07",
    "/api/info/board?day=2026-07-15",
])
def test_days_within_the_range_still_answer(http, boss, url):
    assert http.get(url, headers=boss).status_code == 200


def test_a_campaign_phase_at_the_calendar_end_is_refused(http, ctx):
    person(ctx, "admin", "admin")
    admin = login(http, "admin")
    body = {"phases": [{"code": "publicity", "starts": "9999-12-01", "ends": "9999-12-31"}]}
    assert_refused(http.put("/api/campaign", json=body, headers=admin), 422, "request.invalid")


@pytest.mark.parametrize("bounds", [{"starts": "2026-13-01"}, {"ends": "0001-01-01T00:00:00+08:00"},
                                    {"starts": "not a day"}, {"ends": "9999-12-31T23:59:59-08:00"}])
def test_a_delegation_with_an_impossible_day_is_refused(http, ctx, bounds):
    person(ctx, "admin", "admin")
    checker = person(ctx, "renda", "spot_checker")
    admin = login(http, "admin")
    body = {"user_id": checker.id, "offices": ["construction"], **bounds}
    assert_refused(http.post("/api/delegations", json=body, headers=admin), 422, "request.invalid")


@pytest.mark.parametrize("url", ["/api/items?office=%00", "/api/items?q=a%00b", "/api/items/%00",
                                 "/api/scores?office=%1b"])
def test_a_control_character_in_a_parameter_is_refused(http, boss, url):
    # On PostgreSQL a NUL in a compared string was a 500.
    assert_refused(http.get(url, headers=boss), 422, "text.control_characters")


# --- wrong JSON types in a push -------------------------------------------------------------------------
def test_wrong_json_types_refuse_their_event_and_the_batch_goes_on(http, inspector):
    photo = upload(http, inspector)
    good, listed, boxed = reported(photo=photo), reported(photo=photo, category=["x"]), \
        reported(photo=photo, office={"a": 1})
    after = reported(photo=photo)
    results = push(http, inspector, good, listed, boxed, after)
    assert [r["status"] for r in results] == ["accepted", "rejected", "rejected", "accepted"]
    for refused in results[1:3]:
        assert refused["reason"]["code"].startswith("event."), refused
    # The refused events are remembered as such: a retry answers the same, not a fault.
    again = push(http, inspector, listed, boxed)
    assert [r["status"] for r in again] == ["rejected", "rejected"]


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_an_event_time_at_the_calendar_end_is_422_not_a_fault(http, inspector, at):
    envelope = {**wire(reported(photo=upload(http, inspector))), "at": at}
    response = http.post("/api/sync/push", json={"device_id": "dev-1", "events": [envelope]}, headers=inspector)
    assert_refused(response, 422, "request.invalid")


# --- body caps --------------------------------------------------------------------------------------------
def raw_request(base_url: str, head: str, body_chunks=(), read_timeout: float = 10) -> tuple[int, dict, int]:
    """Send a hand-made HTTP/1.1 request; the answer's status and JSON body, and the body bytes sent
    before the server answered (a chunk is not sent once the answer is there)."""
    where = urlsplit(base_url)
    with socket.create_connection((where.hostname, where.port), timeout=read_timeout) as s:
        s.sendall(head.encode("latin-1"))
        sent = 0
        for chunk in body_chunks:
            s.setblocking(False)
            try:
                peeked = s.recv(1, socket.MSG_PEEK)
            except BlockingIOError:
                peeked = b""
            s.setblocking(True)
            s.settimeout(read_timeout)
            if peeked:
                break
            try:
                s.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        data = b""
        while b"\r\n\r\n" not in data:
            more = s.recv(65536)
            if not more:
                break
            data += more
        head_part, _, rest = data.partition(b"\r\n\r\n")
        status = int(head_part.split(b" ", 2)[1])
        headers = dict(line.split(b": ", 1) for line in head_part.split(b"\r\n")[1:])
        length = int(headers.get(b"content-length", b"0"))
        while len(rest) < length:
            more = s.recv(65536)
            if not more:
                break
            rest += more
        return status, json.loads(rest[:length] or b"{}"), sent


def test_a_50_mb_push_is_refused_by_its_length_before_a_byte_is_read(live, http, inspector):
    head = (f"POST /api/sync/push HTTP/1.1\r\nHost: x\r\nAuthorization: {inspector['Authorization']}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {50 * 1024 * 1024}\r\n\r\n")
    status, body, _ = raw_request(live.url, head)  # no body is sent at all: the answer comes without it
    assert status == 413
    assert body["error"]["code"] == "request.too_large"
    assert body["error"]["details"] == {"size_kb": 51200, "limit_kb": limits.PUSH_MAX_BYTES // 1024}


def test_a_streamed_push_is_cut_off_soon_after_its_cap(live, http, inspector):
    head = (f"POST /api/sync/push HTTP/1.1\r\nHost: x\r\nAuthorization: {inspector['Authorization']}\r\n"
            f"Content-Type: application/json\r\nAccept-Language: en\r\nTransfer-Encoding: chunked\r\n\r\n")
    piece = b"x" * 65536
    chunks = (b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(50 * 16))  # 50 MB if all were sent
    status, body, sent = raw_request(live.url, head, chunks)
    assert status == 413
    assert body["error"]["code"] == "request.too_large"
    assert body["error"]["message"].startswith("The request is too large")
    # The server answered once the cap was passed; the client stopped well short of 50 MB (what it
    # sent past the cap sat in the two sockets' buffers, never in the server's memory).
    assert sent < 40 * 1024 * 1024


def test_each_route_has_its_own_cap(http, inspector):
    big_login = {"username": "x" * (limits.JSON_MAX_BYTES + 1), "password": "p"}
    assert_refused(http.post("/api/auth/token", json=big_login), 413, "request.too_large")
    # The same size is fine for a push (its cap is larger): the model refuses it, not the cap.
    padded = {"device_id": "d" * (limits.JSON_MAX_BYTES + 1), "events": []}
    assert http.post("/api/sync/push", json=padded, headers=inspector).status_code == 422


def test_a_photo_past_the_photo_cap_is_413_photo_too_large_before_its_bytes(live, ctx, inspector):
    limit = ctx.settings.photo_max_bytes
    head = (f"PUT /api/photos/{'0' * 64} HTTP/1.1\r\nHost: x\r\nAuthorization: {inspector['Authorization']}\r\n"
            f"Content-Type: image/jpeg\r\nContent-Length: {limit + 1}\r\n\r\n")
    status, body, _ = raw_request(live.url, head)
    assert status == 413
    assert body["error"]["code"] == "photo.too_large"


def noisy_jpeg(seed: int, size=(800, 600)) -> bytes:
    """A JPEG of random pixels: it does not compress, so it is large."""
    image = Image.frombytes("RGB", size, random.Random(seed).randbytes(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def test_a_photo_above_the_json_cap_is_still_accepted(http, inspector):
    data = noisy_jpeg(3)
    assert len(data) > limits.JSON_MAX_BYTES
    response = http.put(f"/api/photos/{sha(data)}", content=data, headers=inspector)
    assert response.status_code == 201, response.text


# --- the pull page in bytes -----------------------------------------------------------------------------------
def size_of(event: dict) -> int:
    """An event's size as the server serialises it (compact JSON, UTF-8)."""
    return len(json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode())


def test_a_pull_page_is_bounded_in_bytes_and_the_cursor_loses_nothing(http, inspector, monkeypatch):
    photo = upload(http, inspector)
    sent = [reported(photo=photo, description="积水" * 200) for _ in range(12)]
    push(http, inspector, *sent)
    everything = http.get("/api/sync/pull?after=0&limit=1000", headers=inspector).json()["events"]
    cap = 3 * max(size_of(e) for e in everything)
    monkeypatch.setattr(limits, "PULL_PAGE_MAX_BYTES", cap)

    pages, after = [], 0
    while True:
        page = http.get(f"/api/sync/pull?after={after}&limit=1000", headers=inspector).json()
        pages.append(page["events"])
        after = page["next_after"]
        if not page["has_more"]:
            break
        assert page["events"], "a page that says there is more must move the cursor"
    assert all(sum(size_of(e) for e in p) <= cap for p in pages) and len(pages) >= 4
    assert [e["id"] for p in pages for e in p] == [e["id"] for e in everything]
    assert after == everything[-1]["seq"]


def test_one_event_larger_than_the_page_cap_still_comes_alone(http, inspector, monkeypatch):
    photo = upload(http, inspector)
    push(http, inspector, reported(photo=photo), reported(photo=photo))
    monkeypatch.setattr(limits, "PULL_PAGE_MAX_BYTES", 10)
    first = http.get("/api/sync/pull?after=0", headers=inspector).json()
    assert len(first["events"]) == 1 and first["has_more"] is True
    second = http.get(f"/api/sync/pull?after={first['next_after']}", headers=inspector).json()
    assert len(second["events"]) == 1 and second["has_more"] is False


# --- search words -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("word", "found"), [("100%", ["污水 100% 外溢"]), ("a_b", ["标牌 a_b 缺失"]),
                                             ("%", ["污水 100% 外溢"]), ("_", ["标牌 a_b 缺失"])])
def test_percent_and_underscore_in_a_search_are_characters(http, inspector, word, found):
    photo = upload(http, inspector)
    texts = ["污水 100% 外溢", "污水 1000 外溢", "标牌 a_b 缺失", "标牌 axb 缺失"]
    push(http, inspector, *[reported(photo=photo, description=text) for text in texts])
    response = http.get("/api/items", params={"q": word}, headers=inspector)
    assert response.status_code == 200, response.text
    assert sorted(i["description"] for i in response.json()["items"]) == found


# --- what the schema declares -----------------------------------------------------------------------------
# Routes a browser fetches without a token: the health check and the map's tiles (an <img> sends none).
TOKENLESS = {"/api/health", "/tiles/{z}/{x}/{y}"}


def test_the_schema_declares_the_error_responses_with_the_error_shape(http):
    schema = http.get("/openapi.json").json()
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = operation["responses"]
            wanted = set()
            if path not in TOKENLESS:
                wanted |= {"401", "422"}
            if "{" in path:
                wanted.add("404")
            if "requestBody" in operation:
                wanted |= {"400", "413"}
            missing += [f"{method.upper()} {path}: {status}" for status in sorted(wanted - declared.keys())]
            for status in wanted & {"401", "413"} & declared.keys():
                ref = declared[status].get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
                if ref != "#/components/schemas/ErrorOut":
                    missing.append(f"{method.upper()} {path}: {status} without the error shape")
    assert missing == []
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == {"error"}
