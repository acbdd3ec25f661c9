"""Two servers behind one load balancer: one database, one blob store, a data folder each.

Two real ``inspector serve`` processes on the test's database (PostgreSQL with
INSPECTOR_TEST_DATABASE_URL, else one SQLite file) and one shared blob store:
the database's shared_blobs table, or a bucket on moto's S3 server. A photo
put on one is served by the other, byte for byte, and so are the copies made
lazily (the stamped display copy of a reported photo); nothing lands in either
data folder. With the file store and two data folders the other server
answers 404 (the issue's 500 before).
"""

from datetime import datetime, timezone

import httpx
import pytest

from inspector.domain.roles import Role
from tests.conftest import ServerProcess
from tests.factories import jpeg, person, push, reported, sha
from tests.s3_local import local_s3  # noqa: F401  (the fixture)

PASSWORD = "two-servers-drill-2026"
START = datetime(2026, 7, 15, 1, 30, tzinfo=timezone.utc)  # the servers' clocks stand on the events' day


@pytest.fixture
def pair(tmp_path, database_url, monkeypatch):
    """``start(env)``: two servers on the test's database with ``env`` set, each with its own --data;
    every server started here is killed (by its process handle) at the end."""
    made: list[ServerProcess] = []

    def start(env: dict[str, str]) -> tuple[ServerProcess, ServerProcess]:
        for name, value in env.items():
            monkeypatch.setenv(name, value)  # ServerProcess hands the test's environment to the child
        monkeypatch.setenv("INSPECTOR_SECRET_KEY", "one-key-for-both-servers-behind-the-balancer")
        for name in ("a", "b"):
            folder = tmp_path / f"data-{name}"
            folder.mkdir()
            made.append(ServerProcess(folder, database_url, clock_start=START))
        for server in made:
            server.start()  # one after the other: both migrate the same database at start-up
        return made[0], made[1]

    yield start
    for server in made:
        server.kill()


def login(http: httpx.Client, username: str = "xuncha") -> dict[str, str]:
    response = http.post("/api/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def shared_env(kind: str, request) -> dict[str, str]:
    if kind == "postgres":
        return {"INSPECTOR_BLOBS": "postgres"}
    s3 = request.getfixturevalue("local_s3")
    return s3.environment(s3.new_bucket(), prefix="city/")


@pytest.mark.parametrize("kind", ["postgres", "s3"])
def test_a_photo_put_on_one_server_is_served_by_the_other(kind, ctx, pair, request):
    person(ctx, "xuncha", Role.INSPECTOR, password=PASSWORD)
    one, other = pair(shared_env(kind, request))
    photo = jpeg(11, size=(1600, 1200))
    with httpx.Client(base_url=one.url, timeout=30) as a, httpx.Client(base_url=other.url, timeout=30) as b:
        on_a, on_b = login(a), login(b)
        assert a.put(f"/api/photos/{sha(photo)}", content=photo, headers=on_a).status_code == 201
        assert b.head(f"/api/photos/{sha(photo)}", headers=on_b).status_code == 200
        assert b.put(f"/api/photos/{sha(photo)}", content=photo, headers=on_b).status_code == 200  # known there too

        for variant in ("original", "thumb", "display"):
            from_b = b.get(f"/api/photos/{sha(photo)}", params={"variant": variant}, headers=on_b)
            from_a = a.get(f"/api/photos/{sha(photo)}", params={"variant": variant}, headers=on_a)
            assert from_b.status_code == 200 and from_b.content == from_a.content, variant
        original = b.get(f"/api/photos/{sha(photo)}", params={"variant": "original"}, headers=on_b).content
        assert original == photo

        # Reported on A: the watermarked display copy is made lazily by whichever server is asked first
        # (B here) and kept in the shared store, so A serves the very same bytes.
        report = reported(photo=sha(photo))
        assert push(a, on_a, report)[0]["status"] == "accepted"
        stamped_b = b.get(f"/api/photos/{sha(photo)}", params={"variant": "display"}, headers=on_b)
        stamped_a = a.get(f"/api/photos/{sha(photo)}", params={"variant": "display"}, headers=on_a)
        assert stamped_b.status_code == 200 and stamped_b.content == stamped_a.content
        assert stamped_b.content != from_b.content  # it is the stamped copy, not the plain display one

    for server in (one, other):
        assert not list((server.data_dir / "blobs").rglob("*")), "a photo landed in a data folder"


def test_with_the_file_store_and_two_folders_the_other_server_answers_404(ctx, pair):
    """The issue's 500 (PhotoNotFound turned TypeError): now a 404 that says which photo."""
    person(ctx, "xuncha", Role.INSPECTOR, password=PASSWORD)
    one, other = pair({"INSPECTOR_BLOBS": "file"})
    photo = jpeg(12)
    with httpx.Client(base_url=one.url, timeout=30) as a, httpx.Client(base_url=other.url, timeout=30) as b:
        assert a.put(f"/api/photos/{sha(photo)}", content=photo, headers=login(a)).status_code == 201
        response = b.get(f"/api/photos/{sha(photo)}", params={"variant": "original"}, headers=login(b))
    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == "photo.not_found"
