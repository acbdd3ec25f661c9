"""L: tiles served by Inspector itself (INSPECTOR_TILES), from an MBTiles file or a folder, over real HTTP."""

import io
import sqlite3

import httpx
import pytest
from PIL import Image

from inspector.settings import LOCAL_TILES, Settings
from inspector.store.tiles import TileSource, in_grid


def tile_png(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (shade, shade, 200)).save(out, "PNG")
    return out.getvalue()


def make_mbtiles(path, tiles: dict[tuple[int, int, int], bytes]):
    """An MBTiles file as tools write it: TMS rows (row 0 at the south), keyed by XYZ here."""
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    con.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    con.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                    [(z, x, 2 ** z - 1 - y, data) for (z, x, y), data in tiles.items()])
    con.commit()
    con.close()
    return path


def make_folder(root, tiles: dict[tuple[int, int, int], bytes], ext="png"):
    for (z, x, y), data in tiles.items():
        (root / str(z) / str(x)).mkdir(parents=True, exist_ok=True)
        (root / str(z) / str(x) / f"{y}.{ext}").write_bytes(data)
    return root


TILES = {(0, 0, 0): tile_png(10), (15, 27305, 13410): tile_png(20), (15, 27305, 13411): tile_png(30)}


def test_mbtiles_rows_are_flipped_from_tms(tmp_path):
    source = TileSource(make_mbtiles(tmp_path / "city.mbtiles", TILES))
    assert source.tile(15, 27305, 13410).data == TILES[(15, 27305, 13410)]
    assert source.tile(15, 27305, 13411).data == TILES[(15, 27305, 13411)]  # not its TMS neighbour
    assert source.tile(15, 27305, 13410).media_type == "image/png"
    assert source.tile(15, 27305, 2 ** 15 - 1 - 13410) is None  # the unflipped row is another tile
    assert source.tile(3, 9, 0) is None and source.tile(-1, 0, 0) is None


def test_folder_tiles_and_their_types(tmp_path):
    source = TileSource(make_folder(tmp_path / "tiles", {(1, 1, 0): b"\xff\xd8\xff jpeg"}, "jpg"))
    found = source.tile(1, 1, 0)
    assert found.data == b"\xff\xd8\xff jpeg" and found.media_type == "image/jpeg"
    assert source.tile(1, 0, 0) is None


def test_grid_bounds():
    assert in_grid(0, 0, 0) and in_grid(15, 2 ** 15 - 1, 0)
    assert not in_grid(15, 2 ** 15, 0) and not in_grid(25, 0, 0) and not in_grid(2, 0, -1)


def test_a_missing_source_fails_at_start(tmp_path):
    with pytest.raises(FileNotFoundError):
        TileSource(tmp_path / "nope.mbtiles")


def test_the_map_uses_local_tiles_when_set(tmp_path):
    plain = Settings(data_dir=tmp_path, tile_url="https://webrd01.is.autonavi.com/x/{z}/{x}/{y}", tile_gcj02=True)
    assert plain.map_tile_url == plain.tile_url and plain.map_gcj02
    local = Settings(data_dir=tmp_path, tiles=tmp_path, tile_gcj02=True)
    assert local.map_tile_url == LOCAL_TILES and not local.map_gcj02  # own tiles: WGS-84 unless said
    assert Settings(data_dir=tmp_path, tiles=tmp_path, tiles_gcj02=True).map_gcj02


@pytest.mark.parametrize("kind", ["mbtiles", "folder"])
def test_tiles_over_http(tmp_path, server_process, monkeypatch, kind):
    path = make_mbtiles(tmp_path / "c.mbtiles", TILES) if kind == "mbtiles" else make_folder(tmp_path / "t", TILES)
    monkeypatch.setenv("INSPECTOR_TILES", str(path))
    server = server_process().start()
    with httpx.Client(base_url=server.url, timeout=10) as http:
        answer = http.get("/tiles/15/27305/13410")  # no token: the browser's map sends none
        assert answer.status_code == 200 and answer.content == TILES[(15, 27305, 13410)]
        assert answer.headers["content-type"] == "image/png"
        assert "max-age" in answer.headers["cache-control"]
        again = http.get("/tiles/15/27305/13410.png", headers={"If-None-Match": answer.headers["etag"]})
        assert again.status_code == 304
        assert http.get("/tiles/15/27305/13411.png").content == TILES[(15, 27305, 13411)]
        assert http.get("/tiles/14/1/1").status_code == 404
        for hostile in ("/tiles/99/0/0", "/tiles/-1/0/0", "/tiles/3/999999999999999999999/0", "/tiles/3/0/8",
                        "/tiles/3/0/..%2F..%2Fx", "/tiles/3/0/1e3", "/tiles/a/b/c", "/tiles/3/0/%00",
                        "/tiles/3/0/" + "9" * 5000, "/tiles/3/0/٣"):
            status = http.get(hostile).status_code
            assert 400 <= status < 500, (hostile, status)


def test_no_tiles_configured_is_404(server_process, monkeypatch):
    monkeypatch.delenv("INSPECTOR_TILES", raising=False)
    server = server_process().start()
    assert httpx.get(server.url + "/tiles/0/0/0", timeout=10).status_code == 404
