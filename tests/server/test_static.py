"""The web client's static files over real HTTP: compressed once, cached, revalidated; and a photo
whose blob file is gone answers 404, not 500."""

import gzip
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
import httpx
import pytest
from flet_web import get_package_web_dir

from inspector.domain.roles import Role
from inspector.server import static
from inspector.server.app import create_app
from inspector.server.static import IMMUTABLE, REVALIDATE, accepted_encodings, cache_control, etag_matches
from tests.conftest import LiveServer
from tests.factories import jpeg, person, sha

WEB = Path(get_package_web_dir())
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


@pytest.fixture
def compressions(monkeypatch):
    """Counts the compressions made; the "best" pass is the quick one here (quality 11 takes 25 s of CPU)."""
    made = []

    def counted(name, compress):
        def run(data):
            made.append(name)
            return compress(data)
        return run

    encodings = tuple((enc, suffix, counted(enc, quick), counted(enc + "-best", quick))
                      for enc, suffix, quick, _best in static.ENCODINGS)
    monkeypatch.setattr(static, "ENCODINGS", encodings)
    return made


@pytest.fixture
def ui(ctx, compressions):
    server = LiveServer(create_app(ctx)).start()
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client
    server.stop()


def raw_get(client: httpx.Client, path: str, **headers) -> tuple[httpx.Response, bytes]:
    """The response and its body as sent (httpx would decode it)."""
    with client.stream("GET", path, headers=headers) as response:
        return response, b"".join(response.iter_raw())


@pytest.mark.parametrize("path", ["main.dart.wasm", "flutter_bootstrap.js"])
@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_file_comes_compressed_when_asked_and_identical_once_decoded(ui, path, encoding):
    original = (WEB / path).read_bytes()
    response, body = raw_get(ui, f"/{path}", **{"Accept-Encoding": f"{encoding}, deflate"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == encoding
    assert response.headers["vary"] == "Accept-Encoding"
    assert len(body) < len(original) * 0.6
    assert DECODE[encoding](body) == original
    assert response.headers["cache-control"] == REVALIDATE  # an unversioned name: revalidated
    assert response.headers["etag"]
    assert "content-security-policy" in response.headers  # the security headers still wrap it


def test_a_client_that_asks_for_no_compression_gets_the_file_itself(ui):
    original = (WEB / "main.dart.mjs").read_bytes()
    for headers in ({"Accept-Encoding": "identity"}, {"Accept-Encoding": "br;q=0, gzip;q=0"}):
        response, body = raw_get(ui, "/main.dart.mjs", **headers)
        assert response.status_code == 200 and "content-encoding" not in response.headers
        assert body == original
        assert response.headers["vary"] == "Accept-Encoding"
        assert response.headers["content-type"].startswith("text/javascript")


def test_brotli_is_preferred_and_each_file_is_compressed_once(ui, compressions):
    for _ in range(3):
        response, _body = raw_get(ui, "/python.js", **{"Accept-Encoding": "gzip, deflate, br"})
        assert response.headers["content-encoding"] == "br"
    raw_get(ui, "/python.js", **{"Accept-Encoding": "gzip"})
    assert sorted(compressions) == ["br", "br-best", "gzip", "gzip-best"]


def test_an_unchanged_file_revalidates_with_304(ui):
    first, _ = raw_get(ui, "/main.dart.wasm", **{"Accept-Encoding": "br"})
    again, body = raw_get(ui, "/main.dart.wasm", **{"Accept-Encoding": "br", "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and body == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["cache-control"] == REVALIDATE


def test_index_html_revalidates_with_304_and_keeps_its_script_hashes(ui):
    page = ui.get("/")
    assert page.status_code == 200 and page.headers["cache-control"] == REVALIDATE
    assert "content-encoding" not in page.headers  # the CSP hashes its inline scripts from the plain page
    assert "'sha256-" in page.headers["content-security-policy"]
    again = ui.get("/", headers={"If-None-Match": page.headers["etag"]})
    assert again.status_code == 304


def test_a_versioned_file_is_cached_for_a_year(ui):
    path = "/assets/packages/media_kit/assets/web/hls1.4.10.js"
    response, body = raw_get(ui, path, **{"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["cache-control"] == IMMUTABLE
    assert gzip.decompress(body) == (WEB / path.lstrip("/")).read_bytes()


def test_packed_formats_and_missing_files_are_left_alone(ui):
    png, body = raw_get(ui, "/favicon.png", **{"Accept-Encoding": "br, gzip"})
    assert png.status_code == 200 and "content-encoding" not in png.headers
    assert body == (WEB / "favicon.png").read_bytes()
    assert ui.get("/no-such-file.js").status_code == 404


def test_caching_rules():
    assert cache_control("canvaskit/skwasm.wasm") == REVALIDATE
    assert cache_control("micropip-0.11.1-py3-none-any.whl") == IMMUTABLE
    assert cache_control("main.3f9a0c1d77.js") == IMMUTABLE
    assert accepted_encodings("gzip;q=0.5, br;q=0, *") == {"gzip", "*"}
    assert etag_matches('W/"abc", "x"', 'W/"abc"') and etag_matches('"abc"', 'W/"abc"')
    assert not etag_matches(None, 'W/"abc"') and not etag_matches('"abd"', 'W/"abc"')


# --- a photo whose blob file is gone (another server's --data, a deleted file) --------------------
def test_a_photo_whose_file_is_gone_is_a_404_not_a_500(ctx, http):
    person(ctx, "xuncha", Role.INSPECTOR)
    token = http.post("/api/auth/token", json={"username": "xuncha", "password": "secret-pw-123"}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    data = jpeg(3)
    assert http.put(f"/api/photos/{sha(data)}", content=data, headers=headers).status_code in (200, 201)
    for variant in ("original", "display", "thumb", "stamped"):
        for path in (ctx.settings.blob_dir / variant).rglob(sha(data)):
            path.unlink()
    for variant in ("display", "thumb", "original"):
        response = http.get(f"/api/photos/{sha(data)}", params={"variant": variant}, headers=headers)
        assert response.status_code == 404, response.text
        error = response.json()["error"]
        assert error["code"] == "photo.not_found" and error["message"]
        assert error["details"]["sha256"] == sha(data)


def test_concurrent_first_requests_compress_once_and_a_restart_reuses_the_copies(tmp_path, compressions):
    source = tmp_path / "app.js"
    source.write_bytes(b"console.log('hello');\n" * 2000)
    folder = tmp_path / "cache"
    cache = static.CompressionCache(folder)
    with ThreadPoolExecutor(max_workers=4) as pool:
        prepared = list(pool.map(lambda _: cache.prepare(source, source.stat()), range(8)))
    cache.wait_for_best()
    assert len({p.etag for p in prepared}) == 1
    assert sorted(compressions) == ["br", "br-best", "gzip", "gzip-best"]
    best = prepared[0].copy_for("br")
    assert best is not None and ".quick" not in best.name
    assert brotli.decompress(best.read_bytes()) == source.read_bytes()

    quick = sorted(folder.glob("*.quick.*"))
    assert len(quick) == 2  # kept while this server may still be sending them
    os.utime(quick[0], (1, 1))  # an hour old and more: the next start removes it
    again = static.CompressionCache(folder)
    assert sorted(folder.glob("*.quick.*")) == quick[1:]
    again.prepare(source, source.stat())
    assert len(compressions) == 4  # nothing compressed again


def test_head_answers_the_headers_of_the_compressed_copy(ui):
    response = ui.head("/main.dart.mjs", headers={"Accept-Encoding": "br"})
    assert response.status_code == 200 and response.headers["content-encoding"] == "br"
    assert response.content == b""


def test_without_the_best_pass_the_quick_copies_serve_and_no_worker_starts(tmp_path, compressions):
    source = tmp_path / "app.js"
    source.write_bytes(b"console.log('hello');\n" * 2000)
    cache = static.CompressionCache(tmp_path / "cache", best=False)
    prepared = cache.prepare(source, source.stat())
    cache.wait_for_best()  # nothing queued: returns at once
    assert sorted(compressions) == ["br", "gzip"]
    quick = prepared.copy_for("br")
    assert quick is not None and ".quick" in quick.name
    assert brotli.decompress(quick.read_bytes()) == source.read_bytes()
    assert cache._worker is None


def test_the_best_gzip_copy_is_libdeflates_and_smaller_than_zlibs():
    _encoding, suffix, _quick, best = next(entry for entry in static.ENCODINGS if entry[0] == "gzip")
    original = (WEB / "canvaskit" / "skwasm.js").read_bytes()
    made = best(original)
    assert gzip.decompress(made) == original  # a gzip stream any browser decodes
    assert len(made) < len(gzip.compress(original, 9)) * 0.98
    assert suffix.endswith(".gz") and suffix != ".gz"  # named by its recipe: an older one's copies are not reused


def test_copies_of_an_older_gzip_recipe_are_swept_once_an_hour_old(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    digest = "ab" * 32
    old_best, old_quick, fresh = folder / f"{digest}.gz", folder / f"{digest}.quick.gz", folder / f"{'cd' * 32}.gz"
    current = folder / f"{digest}{next(e[1] for e in static.ENCODINGS if e[0] == 'gzip')}"
    for path in (old_best, old_quick, fresh, current):
        path.write_bytes(b"x")
    for path in (old_best, old_quick, current):
        os.utime(path, (1, 1))
    static.CompressionCache(folder)
    assert sorted(folder.iterdir()) == sorted([fresh, current])  # a fresh one may be another server's, for now
