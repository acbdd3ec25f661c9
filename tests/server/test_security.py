"""Secret key, security headers, private data folder and the web UI's uploads, over real HTTP.

- The key that signs upload URLs has no public default: without
  ``INSPECTOR_SECRET_KEY`` a random one is made once in the data folder (0600)
  and reused; the field client makes its own in its own folder.
- Every response (API, web UI, static files, errors, a 500) carries the
  security headers; HSTS only over HTTPS (``create_app(tls=True)``, ``serve --tls``).
- The data folder is 0700, the SQLite file and its -wal/-shm 0600, fixed when looser.
- ``PUT /upload`` on the real mounted Flet app refuses unsigned, tampered,
  expired, reused, oversize and session-less uploads with a 4xx, and leaves no
  file behind; a granted upload from a connected page session is taken once.
"""

import os
import stat
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import httpx
import msgpack
import pytest
import uvicorn
from websockets.sync.client import connect

from inspector.errors import UploadRefused
from inspector.server.app import create_app
from inspector.services.context import bootstrap
from inspector.settings import SECRET_FILE, Settings
from inspector.ui.uploads import KEEP_S, URL_S
from tests.conftest import ROOT, LiveServer, wait_for_port

SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_secured(response: httpx.Response) -> None:
    missing = [h for h in SECURITY_HEADERS if h not in response.headers]
    assert not missing, (response.request.url, response.status_code, missing)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


# --- the secret key -------------------------------------------------------------------------
def test_secret_is_made_once_in_the_data_folder_with_mode_600_and_reused(tmp_path, monkeypatch):
    monkeypatch.delenv("INSPECTOR_SECRET_KEY", raising=False)
    data = tmp_path / "data"
    key = Settings(data_dir=data).resolved_secret_key()
    path = data / SECRET_FILE
    assert path.read_text() == key and len(key) >= 40
    assert mode(path) == 0o600 and mode(data) == 0o700
    assert Settings(data_dir=data).resolved_secret_key() == key  # a later start reuses it
    other = Settings(data_dir=tmp_path / "other").resolved_secret_key()
    assert other != key  # no default: every data folder has its own

    path.chmod(0o644)  # found readable by others: tightened, same key
    assert Settings(data_dir=data).resolved_secret_key() == key and mode(path) == 0o600


def test_secret_from_the_environment_wins_and_writes_no_file(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECTOR_SECRET_KEY", "k" * 48)
    settings = Settings(data_dir=tmp_path / "data")
    assert settings.resolved_secret_key() == "k" * 48
    assert not (tmp_path / "data" / SECRET_FILE).exists()
    assert "k" * 48 not in repr(settings)  # kept out of logs


def test_no_public_default_secret_is_left_anywhere():
    old_name = "DEVELOPMENT" + "_SECRET"
    old_value = "development-only" + "-secret"
    hits = []
    for folder in ("inspector", "tests", "docs", "benchmarks"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".md", ".toml", ".txt") and path.is_file():
                text = path.read_text(errors="replace")
                if old_name in text or old_value in text:
                    hits.append(str(path.relative_to(ROOT)))
    for name in ("README.md", "main.py", "pyproject.toml"):
        text = (ROOT / name).read_text()
        if old_name in text or old_value in text:
            hits.append(name)
    assert hits == []
    assert Settings.model_fields["secret_key"].default is None


def test_server_and_field_client_each_make_their_own_key(tmp_path, monkeypatch, ctx):
    from inspector.ui.field import build_field_app

    monkeypatch.delenv("INSPECTOR_SECRET_KEY", raising=False)
    create_app(ctx)  # mounting the web UI needs the key: made at first start
    server_key = ctx.settings.data_dir / SECRET_FILE
    assert mode(server_key) == 0o600

    field_data = tmp_path / "field"
    client, _asgi = build_field_app("http://127.0.0.1:9", field_data)
    try:
        field_key = field_data / SECRET_FILE
        assert mode(field_key) == 0o600 and mode(field_data) == 0o700
        assert field_key.read_text() != server_key.read_text()
    finally:
        client.close()


# --- the data folder ------------------------------------------------------------------------
def sqlite_settings(tmp_path) -> Settings:
    data = tmp_path / "data"
    return Settings(data_dir=data, database_url=f"sqlite:///{data / 'inspector.db'}")


def test_data_folder_and_sqlite_files_are_private_from_the_first_start(tmp_path):
    old = os.umask(0o022)  # a usual umask: left alone, files would come out 0644
    try:
        settings = sqlite_settings(tmp_path)
        context = bootstrap(settings)
        context.engine.dispose()
    finally:
        os.umask(old)
    data = settings.data_dir
    assert mode(data) == 0o700
    made = [p for p in data.iterdir() if p.name.startswith("inspector.db")]
    assert {p.name for p in made} >= {"inspector.db"}
    assert {p.name: mode(p) for p in made} == {p.name: 0o600 for p in made}


def test_looser_data_folder_and_database_are_tightened(tmp_path):
    settings = sqlite_settings(tmp_path)
    bootstrap(settings).engine.dispose()
    data = settings.data_dir
    data.chmod(0o755)
    for name in ("inspector.db", "inspector.db-wal", "inspector.db-shm"):
        (data / name).touch()
        (data / name).chmod(0o644)
    context = bootstrap(settings)
    try:
        assert mode(data) == 0o700
        assert {n: mode(data / n) for n in ("inspector.db", "inspector.db-wal", "inspector.db-shm")} == \
            {n: 0o600 for n in ("inspector.db", "inspector.db-wal", "inspector.db-shm")}
    finally:
        context.engine.dispose()


# --- headers ----------------------------------------------------------------------------------
@pytest.fixture
def ui_server(ctx):
    app = create_app(ctx)
    server = LiveServer(app).start()
    server.app = app
    yield server
    server.stop()


def test_security_headers_on_api_ui_and_error_responses(ui_server):
    with httpx.Client(base_url=ui_server.url, timeout=30) as http:
        responses = [
            http.get("/api/health"),                                   # API
            http.get("/"),                                             # the web client's page
            http.get("/flutter_bootstrap.js"),                         # a static file
            http.get("/api/items"),                                    # 401
            http.post("/api/auth/token", json={}),                     # 422
            http.get("/no-such-file.js"),                              # 404 from the UI's static files
            http.put("/upload"),                                       # 403 from the upload guard
            http.get("/docs"),
        ]
    assert [r.status_code for r in responses] == [200, 200, 200, 401, 422, 404, 403, 200]
    for response in responses:
        assert_secured(response)
        assert "strict-transport-security" not in response.headers  # plain HTTP: no HSTS
    page, docs = responses[1], responses[-1]
    policy = page.headers["content-security-policy"]
    assert "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in policy and "cdn.jsdelivr.net" not in policy
    assert "https://cdn.jsdelivr.net" in docs.headers["content-security-policy"]  # Swagger UI's own CDN


def test_a_server_fault_still_carries_the_headers(ctx):
    app = create_app(ctx, with_ui=False)

    @app.get("/api/test-fault")
    def fault():
        raise RuntimeError("a bug")

    server = LiveServer(app).start()
    try:
        response = httpx.get(server.url + "/api/test-fault", timeout=30)
    finally:
        server.stop()
    assert response.status_code == 500 and response.json()["error"]["code"] == "server.fault"
    assert_secured(response)


class TlsServer(LiveServer):
    """A LiveServer speaking HTTPS with the self-signed certificate of ``serve --tls``."""

    def __init__(self, app, data_dir: Path):
        from inspector.server.tls import certificate_files

        cert, key = certificate_files(data_dir, None, None, "127.0.0.1")
        super().__init__(app)
        self.config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off",
                                     ssl_certfile=str(cert), ssl_keyfile=str(key))
        self.server = uvicorn.Server(self.config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> "TlsServer":
        super().start()
        self.url = self.url.replace("http://", "https://")
        return self


def test_hsts_only_when_served_over_tls(ctx):
    server = TlsServer(create_app(ctx, with_ui=False, tls=True), ctx.settings.data_dir).start()
    try:
        with httpx.Client(base_url=server.url, verify=False, timeout=30) as https:
            ok, missing = https.get("/api/health"), https.get("/api/nothing-here")
    finally:
        server.stop()
    for response in (ok, missing):
        assert_secured(response)
        assert response.headers["strict-transport-security"].startswith("max-age=")


def test_serve_tls_sends_hsts(tmp_path, database_url):
    data = tmp_path / "tls-data"
    log = tmp_path / "serve.log"
    env = dict(os.environ, DATABASE_URL=database_url, PYTHONUNBUFFERED="1")
    with open(log, "ab") as out:
        process = subprocess.Popen([sys.executable, "-m", "inspector", "serve", "--data", str(data), "--port", "0",
                                    "--tls", "--no-ui", "--log-level", "warning"],
                                   env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        port = wait_for_port(process, log, time.monotonic() + 60, "server")
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"https://127.0.0.1:{port}/api/health", verify=False, timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None, log.read_text()
                time.sleep(0.1)
    finally:
        process.kill()
        process.wait(timeout=10)
    assert response.status_code == 200
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert_secured(response)


# --- uploads ----------------------------------------------------------------------------------
class PageSession:
    """A browser's page session as Flet's web client opens it: a websocket and REGISTER_CLIENT."""

    def __init__(self, base_url: str):
        self._connection = connect(base_url.replace("http://", "ws://") + "/ws")
        self.ws = self._connection.__enter__()
        self.ws.send(b"\x00" + msgpack.packb([1, {"session_id": "", "page_name": "", "page": {"route": "/"}}]))
        action, body = msgpack.unpackb(self.ws.recv(timeout=30)[1:], strict_map_key=False)
        assert action == 1 and not body["error"], body
        self.id = body["session_id"]

    def close(self) -> None:
        self._connection.__exit__(None, None, None)


@pytest.fixture
def small_photos(settings):
    settings.photo_max_bytes = 64 * 1024
    return settings


@pytest.fixture
def uploads_server(small_photos, ctx):
    leftover = ctx.settings.data_dir / "uploads" / "old-grant"
    leftover.mkdir(parents=True)
    (leftover / "stale.jpg").write_bytes(b"from a previous run")
    app = create_app(ctx)
    server = LiveServer(app).start()
    server.uploads = app.state.uploads
    yield server
    server.stop()


def folder_files(server) -> list[str]:
    return sorted(str(p.relative_to(server.uploads.folder)) for p in server.uploads.folder.rglob("*") if p.is_file())


def put(server, url: str, content=b"photo bytes") -> httpx.Response:
    return httpx.put(server.url + url, content=content, timeout=30)


def error_code(response: httpx.Response) -> str:
    return response.json()["error"]["code"]


def test_a_granted_upload_of_a_live_session_is_taken_once_and_removed(uploads_server):
    assert folder_files(uploads_server) == []  # left over from before the start: swept
    page = PageSession(uploads_server.url)
    try:
        url, name = uploads_server.uploads.url(page.id, "../../etc/photo.jpg")
        assert name.endswith("/photo.jpg")  # the browser's file name cannot climb out of the folder
        response = put(uploads_server, url)
        assert response.status_code == 200, response.text
        assert folder_files(uploads_server) == [name]
        assert uploads_server.uploads.take(name) == b"photo bytes"
        assert folder_files(uploads_server) == []  # read once, then gone
        with pytest.raises(UploadRefused):
            uploads_server.uploads.take(name)
        again = put(uploads_server, url)  # the same URL a second time
        assert again.status_code == 403 and error_code(again) == "upload.refused"
    finally:
        page.close()


def test_unsigned_and_tampered_uploads_are_refused(uploads_server):
    page = PageSession(uploads_server.url)
    try:
        url, name = uploads_server.uploads.url(page.id, "photo.jpg")
        unsigned = put(uploads_server, url.split("&s=")[0])
        tampered = put(uploads_server, url[:-4] + "0000")
        bare = put(uploads_server, "/upload")
        renamed = put(uploads_server, url.replace("photo.jpg", "other.jpg"))
    finally:
        page.close()
    for response in (unsigned, tampered, bare, renamed):
        assert response.status_code == 403 and error_code(response) == "upload.refused", response.text
    assert folder_files(uploads_server) == []


def test_an_expired_upload_url_is_refused(uploads_server, clock):
    page = PageSession(uploads_server.url)
    try:
        url, _name = uploads_server.uploads.url(page.id, "photo.jpg")
        clock.advance(seconds=URL_S)
        response = put(uploads_server, url)
    finally:
        page.close()
    assert response.status_code == 410 and error_code(response) == "upload.expired"
    assert folder_files(uploads_server) == []


def oversize_attempts(server) -> tuple[list[httpx.Response], httpx.Response, str]:
    """A body one byte past the cap (declared), one past it in chunks (no length), and one that fits."""
    cap = server.uploads.max_bytes
    page = PageSession(server.url)
    try:
        declared_url, _ = server.uploads.url(page.id, "big.jpg")
        declared = put(server, declared_url, b"x" * (cap + 1))
        streamed_url, _ = server.uploads.url(page.id, "big.jpg")
        streamed = put(server, streamed_url, (b"x" * 8192 for _ in range(cap // 8192 + 2)))
        fits_url, fits_name = server.uploads.url(page.id, "fits.jpg")
        fits = put(server, fits_url, b"x" * cap)
    finally:
        page.close()
    return [declared, streamed], fits, fits_name


def test_oversize_uploads_are_refused_and_leave_nothing(uploads_server):
    refused, fits, fits_name = oversize_attempts(uploads_server)
    for response in refused:  # the server's body cap (inspector.server.limits) may answer first
        assert response.status_code == 413, response.text
        assert error_code(response) in ("photo.too_large", "request.too_large")
    assert fits.status_code == 200
    assert folder_files(uploads_server) == [fits_name]  # no partial file of the refused ones


def test_the_field_clients_uploads_are_capped_by_the_guard_itself(tmp_path, monkeypatch):
    from inspector.ui.field import build_field_app

    monkeypatch.setenv("INSPECTOR_PHOTO_MAX_BYTES", str(64 * 1024))
    client, asgi = build_field_app("http://127.0.0.1:9", tmp_path / "field")
    server = LiveServer(asgi).start()
    server.uploads = asgi.app.state.uploads
    try:
        refused, fits, fits_name = oversize_attempts(server)
        headers = httpx.get(server.url + "/", timeout=30)
    finally:
        server.stop()
        client.close()
    for response in refused:
        assert response.status_code == 413 and error_code(response) == "photo.too_large", response.text
        assert_secured(response)
    assert fits.status_code == 200 and folder_files(server) == [fits_name]
    assert_secured(headers)


def test_uploads_need_a_live_page_session(uploads_server, settings):
    from flet_web.uploads import build_upload_query_string, get_upload_signature

    uploads = uploads_server.uploads
    with pytest.raises(UploadRefused):
        uploads.url("no-such-session", "photo.jpg")

    # signed with the server's own key, but granted to no session
    expires = uploads.clock() + timedelta(seconds=60)
    query = build_upload_query_string("made-up/photo.jpg", expires)
    forged = f"/upload?{query}&s={get_upload_signature('upload', query, expires, settings.resolved_secret_key())}"
    response = put(uploads_server, forged)
    assert response.status_code == 403 and error_code(response) == "upload.refused"

    # granted to a session whose page has since closed
    page = PageSession(uploads_server.url)
    url, _name = uploads.url(page.id, "photo.jpg")
    page.close()
    deadline = time.monotonic() + 10
    while uploads._live(page.id):  # the server notices the closed websocket
        assert time.monotonic() < deadline, "the session never disconnected"
        time.sleep(0.02)
    late = put(uploads_server, url)
    assert late.status_code == 403 and error_code(late) == "upload.refused"
    assert folder_files(uploads_server) == []


def test_uploads_nobody_takes_are_swept(uploads_server, clock):
    uploads = uploads_server.uploads
    first, second = PageSession(uploads_server.url), PageSession(uploads_server.url)
    try:
        url, kept_name = uploads.url(first.id, "kept.jpg")
        assert put(uploads_server, url).status_code == 200
        gone_url, gone_name = uploads.url(second.id, "gone.jpg")
        assert put(uploads_server, gone_url).status_code == 200
        assert folder_files(uploads_server) == sorted([kept_name, gone_name])

        second.close()  # its page went away without taking the file
        deadline = time.monotonic() + 10
        while uploads._live(second.id):
            assert time.monotonic() < deadline, "the session never disconnected"
            time.sleep(0.02)
        url, fresh_name = uploads.url(first.id, "fresh.jpg")
        assert put(uploads_server, url).status_code == 200  # each upload sweeps after itself
        assert folder_files(uploads_server) == sorted([kept_name, fresh_name])

        clock.advance(seconds=URL_S + KEEP_S)  # nobody took them in time
        url, last_name = uploads.url(first.id, "last.jpg")
        assert put(uploads_server, url).status_code == 200
        assert folder_files(uploads_server) == [last_name]
    finally:
        first.close()
