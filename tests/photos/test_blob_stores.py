"""One contract, three stores: the data folder, PostgreSQL's shared_blobs table, an S3 bucket.

Every test below runs against each store for real: files under tmp_path, the
test's database (SQLite, or PostgreSQL with INSPECTOR_TEST_DATABASE_URL), and
moto's S3 server on loopback (tests/s3_local.py). Then maintenance (sweep,
check, backup's refusal) over each, and a missing blob as a 404 over HTTP.
"""

import hashlib
import os
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from pydantic import ValidationError

from inspector.errors import BlobStoreUnavailable, BlobStoreUnsupported, InvalidRequest, PhotoNotFound, is_retryable
from inspector.photos.blobs import VARIANTS, FileBlobStore, MaintainedBlobStore, blob_key
from inspector.photos.pg_blobs import PgBlobStore
from inspector.photos.stores import open_blob_store
from inspector.services import maintenance
from inspector.services.context import Context
from inspector.settings import Settings
from tests.conftest import ROOT, Clock, LiveServer
from tests.factories import jpeg, person, sha, stored_photo
from tests.s3_local import local_s3  # noqa: F401  (the fixture)

STORES = ("file", "postgres", "s3")
SHA = hashlib.sha256(b"photo").hexdigest()


def real_now() -> datetime:
    # file mtimes and S3's LastModified are the wall clock's; tests compare with it, an hour or more apart
    return datetime.now(timezone.utc)


@pytest.fixture(params=STORES)
def kind(request) -> str:
    return request.param


@pytest.fixture
def blobs(kind, ctx, tmp_path, request):
    """A store of the kind under test; the postgres one over the test's database, stamped by the wall clock."""
    if kind == "file":
        return FileBlobStore(tmp_path / "blobs")
    if kind == "postgres":
        return PgBlobStore(ctx.engine, real_now)
    s3 = request.getfixturevalue("local_s3")
    settings = Settings(data_dir=tmp_path / "data", **_s3_settings(s3, s3.new_bucket(), "inspector/"))
    return open_blob_store(settings, ctx.engine, ctx.clock)


def _s3_settings(s3, bucket: str, prefix: str = "") -> dict:
    return {"blobs": "s3", "s3_endpoint": s3.endpoint, "s3_bucket": bucket, "s3_prefix": prefix,
            "s3_region": "us-east-1"}


# --- the BlobStore contract -----------------------------------------------------------------
def test_every_store_is_a_maintained_blob_store(blobs):
    assert isinstance(blobs, MaintainedBlobStore)


def test_put_get_exists_and_a_second_put_keeps_the_first_bytes(blobs):
    key = blob_key(SHA, "original")
    assert blobs.exists(key) is False
    assert blobs.put(key, b"first") is True
    assert blobs.exists(key) is True and blobs.get(key) == b"first"

    assert blobs.put(key, b"second") is False
    assert blobs.get(key) == b"first"
    assert not blobs.exists(blob_key(SHA, "thumb"))  # variants are keys of their own


def test_a_missing_key_is_photo_not_found_naming_hash_and_variant(blobs):
    with pytest.raises(PhotoNotFound) as raised:
        blobs.get(blob_key(SHA, "thumb"))
    assert raised.value.details == {"sha256": SHA, "variant": "thumb"}
    assert raised.value.status == 404


@pytest.mark.parametrize("bad", ["../../etc/passwd", f"original/{SHA}/x", f"ORIGINAL/{SHA}", "", f"raw/{SHA}"])
def test_only_keys_blob_key_makes_are_accepted(blobs, bad):
    for call in (lambda: blobs.get(bad), lambda: blobs.exists(bad), lambda: blobs.put(bad, b"x")):
        with pytest.raises(InvalidRequest):
            call()


def test_large_and_binary_bytes_come_back_exactly(blobs):
    payload = os.urandom(6 * 1024 * 1024) + bytes(range(256))  # every byte value, past one S3 chunk
    key = blob_key(hashlib.sha256(payload).hexdigest(), "original")
    assert blobs.put(key, payload) is True
    assert blobs.get(key) == payload
    assert blobs.digest(key) == hashlib.sha256(payload).hexdigest()


def test_concurrent_puts_of_one_key_all_succeed_and_store_one_copy(blobs, kind):
    key = blob_key(SHA, "original")
    payload = os.urandom(256 * 1024)
    results: list[bool] = []
    start = threading.Barrier(8)

    def upload():
        start.wait()
        results.append(blobs.put(key, payload))

    threads = [threading.Thread(target=upload) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 8 and blobs.get(key) == payload
    assert [entry.key for entry in blobs.entries()] == [key]
    if kind != "s3":
        # S3 itself makes If-None-Match atomic; moto checks then writes without a lock, so two may "create"
        # (same bytes: harmless). The lost race's answer is tested on its own below.
        assert results.count(True) == 1


def test_entries_list_every_blob_with_its_age_and_remove_and_digest(blobs):
    before = real_now().timestamp() - 5
    keys = {blob_key(SHA, variant) for variant in VARIANTS}
    for key in keys:
        blobs.put(key, key.encode())
    listed = list(blobs.entries())

    assert {entry.key for entry in listed} == keys
    assert all(before <= entry.mtime <= real_now().timestamp() + 5 for entry in listed)
    assert blobs.digest(blob_key(SHA, "thumb")) == hashlib.sha256(b"thumb/" + SHA.encode()).hexdigest()
    assert list(blobs.temp_files()) == []

    assert blobs.remove(blob_key(SHA, "thumb")) is True
    assert blobs.remove(blob_key(SHA, "thumb")) is False
    assert not blobs.exists(blob_key(SHA, "thumb")) and blobs.digest(blob_key(SHA, "thumb")) is None
    assert {entry.key for entry in blobs.entries()} == keys - {blob_key(SHA, "thumb")}


def test_a_long_listing_is_walked_page_by_page(ctx):
    blobs = PgBlobStore(ctx.engine, real_now)
    hashes = sorted(hashlib.sha256(str(n).encode()).hexdigest() for n in range(2100))
    for sha256 in hashes:
        blobs.put(blob_key(sha256, "thumb"), b"t")
    assert [entry.key for entry in blobs.entries()] == [blob_key(sha256, "thumb") for sha256 in hashes]


# --- S3 specifics ------------------------------------------------------------------------------
def test_s3_objects_are_named_by_prefix_and_key_and_foreign_ones_are_skipped(local_s3, ctx, tmp_path):
    bucket = local_s3.new_bucket()
    blobs = open_blob_store(Settings(data_dir=tmp_path, **_s3_settings(local_s3, bucket, "city/")), ctx.engine,
                            ctx.clock)
    blobs.put(blob_key(SHA, "display"), b"jpeg")
    client = local_s3.client()
    client.put_object(Bucket=bucket, Key="city/notes.txt", Body=b"not a photo")
    client.put_object(Bucket=bucket, Key=f"elsewhere/original/{SHA}", Body=b"another prefix")

    names = [item["Key"] for item in client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert f"city/display/{SHA}" in names
    assert [entry.key for entry in blobs.entries()] == [blob_key(SHA, "display")]
    assert client.head_object(Bucket=bucket, Key=f"city/display/{SHA}")["ContentType"] == "image/jpeg"


def test_s3_a_lost_race_answers_not_created_and_keeps_the_first_bytes(local_s3, ctx, tmp_path, monkeypatch):
    """The other server's PUT landed between our HeadObject and our PutObject: If-None-Match refuses ours."""
    bucket = local_s3.new_bucket()
    blobs = open_blob_store(Settings(data_dir=tmp_path, **_s3_settings(local_s3, bucket)), ctx.engine, ctx.clock)
    key = blob_key(SHA, "original")
    local_s3.client().put_object(Bucket=bucket, Key=key, Body=b"the other server's")
    real_exists, looks = blobs.exists, []

    def first_look_misses(k):  # as it would have a moment earlier
        looks.append(k)
        return False if len(looks) == 1 else real_exists(k)

    monkeypatch.setattr(blobs, "exists", first_look_misses)

    assert blobs.put(key, b"ours") is False
    assert blobs.get(key) == b"the other server's"


def test_s3_a_store_without_conditional_puts_gets_plain_ones(ctx, tmp_path):
    from botocore.stub import Stubber  # lazy: botocore comes with the S3 tests' boto3

    from inspector.photos.s3_blobs import S3BlobStore, client_for

    client = client_for(Settings(data_dir=tmp_path, **_s3_settings(_NoServer, "photos")))
    blobs = S3BlobStore(client, "photos")
    key = blob_key(SHA, "thumb")
    with Stubber(client) as stub:
        stub.add_client_error("head_object", http_status_code=404, service_error_code="404")
        stub.add_client_error("put_object", http_status_code=501, service_error_code="NotImplemented")
        stub.add_client_error("head_object", http_status_code=404, service_error_code="404")
        stub.add_response("put_object", {}, {"Bucket": "photos", "Key": key, "Body": b"t", "ContentType": "image/jpeg"})
        assert blobs.put(key, b"t") is True
        stub.assert_no_pending_responses()
    assert blobs._conditional is False


class _NoServer:
    endpoint = "http://127.0.0.1:1"  # nothing listens on port 1: refused at once


def test_s3_that_does_not_answer_is_blob_store_unavailable_not_a_crash(ctx, tmp_path):
    settings = Settings(data_dir=tmp_path, **_s3_settings(_NoServer, "photos"))
    with pytest.raises(BlobStoreUnavailable) as raised:
        open_blob_store(settings, ctx.engine, ctx.clock)  # said at start-up
    assert raised.value.status == 503 and is_retryable(raised.value.code)
    assert "127.0.0.1" not in str(raised.value.details)  # a phone is not told where the bucket is

    from inspector.photos.s3_blobs import S3BlobStore, client_for  # lazy: as the factory loads it

    blobs = S3BlobStore(client_for(settings), "photos")
    for call in (lambda: blobs.put(blob_key(SHA, "thumb"), b"t"), lambda: blobs.get(blob_key(SHA, "thumb"))):
        with pytest.raises(BlobStoreUnavailable):
            call()


def test_s3_missing_bucket_is_said_at_start_up(local_s3, ctx, tmp_path):
    with pytest.raises(BlobStoreUnavailable):
        open_blob_store(Settings(data_dir=tmp_path, **_s3_settings(local_s3, "no-such-bucket")), ctx.engine,
                        ctx.clock)


# --- choosing the store ---------------------------------------------------------------------
def test_the_file_store_is_the_default_and_s3_needs_a_bucket(tmp_path, ctx):
    assert isinstance(open_blob_store(Settings(data_dir=tmp_path), ctx.engine, ctx.clock), FileBlobStore)
    in_database = open_blob_store(Settings(data_dir=tmp_path, blobs="postgres"), ctx.engine, ctx.clock)
    assert isinstance(in_database, PgBlobStore)
    assert in_database.engine is not ctx.engine and in_database.engine.url == ctx.engine.url  # a pool of its own
    in_database.put(blob_key(SHA, "thumb"), b"t")
    assert PgBlobStore(ctx.engine).get(blob_key(SHA, "thumb")) == b"t"  # the same table
    in_database.engine.dispose()
    with pytest.raises(ValidationError, match="INSPECTOR_S3_BUCKET"):
        Settings(data_dir=tmp_path, blobs="s3")
    with pytest.raises(ValidationError):
        Settings(data_dir=tmp_path, blobs="ftp")


def test_a_server_without_s3_settings_never_imports_boto3(tmp_path):
    code = ("import sys; from inspector.services.context import bootstrap; from inspector.settings import Settings;"
            "import inspector.server.app; bootstrap(Settings(data_dir=sys.argv[1]));"
            "assert 'boto3' not in sys.modules and 'botocore' not in sys.modules, 'boto3 loaded'")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTOR_") and k != "DATABASE_URL"}
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "data")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_s3_without_boto3_installed_is_said_in_words(tmp_path, ctx, monkeypatch):
    monkeypatch.setitem(sys.modules, "inspector.photos.s3_blobs", None)  # as if the s3 extra were not installed
    with pytest.raises(BlobStoreUnavailable) as raised:
        open_blob_store(Settings(data_dir=tmp_path, blobs="s3", s3_bucket="photos"), ctx.engine, ctx.clock)
    assert "s3" in raised.value.details["problem"]


# --- maintenance over each store ----------------------------------------------------------------
@pytest.fixture
def store_ctx(ctx, blobs):
    """The test's context with the store under test, on a clock two hours ahead of the wall clock:
    every blob written now is past the sweep's one-hour grace."""
    ahead = Clock(real_now() + timedelta(hours=2))
    return Context(settings=ctx.settings, engine=ctx.engine, blobs=blobs, clock=ahead)


def test_the_sweep_removes_old_unnamed_blobs_and_keeps_named_and_young_ones(store_ctx):
    inspector = person(store_ctx, "xuncha", "inspector")
    named = stored_photo(store_ctx, inspector, seed=1)
    orphan = sha(b"killed upload")
    for variant in ("original", "display", "thumb"):
        store_ctx.blobs.put(blob_key(orphan, variant), b"bytes of " + variant.encode())

    assert maintenance.sweep(store_ctx, grace=timedelta(hours=3)).blobs == 0  # young: another server's PUT
    swept = maintenance.sweep(store_ctx)

    assert swept.blobs == 3
    keys = {entry.key for entry in store_ctx.blobs.entries()}
    assert keys == {blob_key(named, variant) for variant in ("original", "display", "thumb")}


def test_check_finds_missing_corrupt_and_orphan_blobs_in_each_store(store_ctx):
    inspector = person(store_ctx, "xuncha", "inspector")
    missing = stored_photo(store_ctx, inspector, seed=2)
    corrupt = stored_photo(store_ctx, inspector, seed=3)
    store_ctx.blobs.remove(blob_key(missing, "original"))
    store_ctx.blobs.remove(blob_key(corrupt, "original"))
    store_ctx.blobs.put(blob_key(corrupt, "original"), b"not the bytes the hash names")
    orphan = sha(b"orphan")
    store_ctx.blobs.put(blob_key(orphan, "thumb"), b"t")

    found = {(f.kind, f.subject) for f in maintenance.check(store_ctx) if f.kind.startswith("blob")}
    assert found == {("blob_missing", missing), ("blob_corrupt", corrupt), ("blob_orphan", orphan)}


def test_backup_and_restore_refuse_photos_outside_the_data_folder(tmp_path):
    for options in ({"blobs": "postgres"}, _s3_settings(_NoServer, "photos")):
        settings = Settings(data_dir=tmp_path / "data", **options)
        with pytest.raises(BlobStoreUnsupported) as raised:
            maintenance.backup(settings, tmp_path / "out.tar")
        assert raised.value.status == 409 and raised.value.details["operation"] == "inspector backup"
        with pytest.raises(BlobStoreUnsupported):
            maintenance.restore(settings, tmp_path / "out.tar")
    assert not (tmp_path / "out.tar").exists()


# --- over HTTP: a photo whose blob is gone is a 404 in every store ---------------------------------
def test_a_photo_whose_blob_is_gone_is_a_404_over_http(store_ctx):
    server = LiveServer(_app(store_ctx)).start()
    try:
        person(store_ctx, "xuncha", "inspector")
        with httpx.Client(base_url=server.url, timeout=30) as http:
            token = http.post("/api/auth/token", json={"username": "xuncha", "password": "secret-pw-123"}).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            data = jpeg(4)
            assert http.put(f"/api/photos/{sha(data)}", content=data, headers=headers).status_code == 201
            assert http.get(f"/api/photos/{sha(data)}", params={"variant": "thumb"}, headers=headers).status_code \
                == 200
            for variant in VARIANTS:
                store_ctx.blobs.remove(blob_key(sha(data), variant))
            for variant in ("display", "thumb", "original"):
                response = http.get(f"/api/photos/{sha(data)}", params={"variant": variant}, headers=headers)
                assert response.status_code == 404, response.text
                assert response.json()["error"]["code"] == "photo.not_found"
    finally:
        server.stop()


def _app(context):
    from inspector.server.app import create_app  # lazy: FastAPI loads for the HTTP tests only

    return create_app(context, with_ui=False)


def test_a_store_that_stops_answering_is_a_503_the_phone_may_retry(ctx, tmp_path):
    from inspector.photos.s3_blobs import S3BlobStore, client_for  # lazy: as the factory loads it

    gone = S3BlobStore(client_for(Settings(data_dir=tmp_path, **_s3_settings(_NoServer, "photos"))), "photos")
    server = LiveServer(_app(Context(settings=ctx.settings, engine=ctx.engine, blobs=gone, clock=ctx.clock))).start()
    try:
        person(ctx, "xuncha", "inspector")
        with httpx.Client(base_url=server.url, timeout=60) as http:
            token = http.post("/api/auth/token", json={"username": "xuncha", "password": "secret-pw-123"}).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            data = jpeg(5)
            response = http.put(f"/api/photos/{sha(data)}", content=data, headers=headers)
    finally:
        server.stop()
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "blobs.unavailable" and response.json()["error"]["message"]
