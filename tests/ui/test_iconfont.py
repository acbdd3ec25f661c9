"""The web client's Material icon font, cut to the icons Inspector shows (issue 14): every icon the
code names is in the cut with Flet's code point and metrics, the manifest names the cut and no
Cupertino font, and the cut is served as a year-long, revalidatable WOFF2."""

import io
import json
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from inspector.server.static import IMMUTABLE
from inspector.ui import iconfont
from inspector.ui.iconfont import IconFont, IconFontError

PACKAGE = Path(iconfont.__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cut() -> TTFont:
    return TTFont(io.BytesIO(IconFont(Path("unused")).cut()))


@pytest.fixture(scope="module")
def flet_font() -> TTFont:
    return TTFont(iconfont.SOURCE)


def test_every_icon_the_code_names_is_in_the_cut_as_flet_draws_it(cut, flet_font):
    names = iconfont.app_icons()
    assert {"fact_check", "photo_camera", "close", "notifications_outlined"} <= names  # the scan works
    kept, flet = cut.getBestCmap(), flet_font.getBestCmap()
    codes = {glyph: code for code, glyph in flet.items()}
    for icon in names | {"arrow_back", "arrow_drop_down", "visibility_off", "chevron_left", "edit_outlined"}:
        glyph = iconfont.glyph_name(icon)
        assert kept.get(codes[glyph]) == glyph, icon
        assert cut["hmtx"][glyph] == flet_font["hmtx"][glyph]
    assert 0xE16A in kept  # Flutter's Icons.close: the code points are Flutter's
    assert cut["head"].unitsPerEm == flet_font["head"].unitsPerEm
    assert (cut["hhea"].ascent, cut["hhea"].descent) == (flet_font["hhea"].ascent, flet_font["hhea"].descent)
    assert len(kept) < len(flet) / 10


def test_a_new_icon_in_the_code_joins_the_cut_and_an_unknown_one_is_refused(tmp_path):
    (tmp_path / "view.py").write_text("icon = ft.Icons.LOCAL_FLORIST\n", encoding="utf-8")
    font = IconFont(tmp_path / "cache", package=tmp_path)
    assert "local_florist_baseline" in font.glyphs and font.digest != IconFont(tmp_path / "cache").digest
    assert font.path().read_bytes()[:4] == b"wOF2" and font.path().parent == tmp_path / "cache"
    (tmp_path / "view.py").write_text("icon = ft.Icons.NO_SUCH_ICON\n", encoding="utf-8")
    with pytest.raises(IconFontError, match="no_such_icon"):
        IconFont(tmp_path / "other", package=tmp_path).cut()


def test_inspector_uses_no_cupertino_icon_or_widget():
    """The Cupertino icon font is left out of the manifest: a Cupertino widget would show boxes."""
    uses = [path.name for path in PACKAGE.rglob("*.py")
            if re.search(r"\bft\.Cupertino|adaptive\s*=\s*True", path.read_text(encoding="utf-8"))]
    assert uses == []


def test_the_manifest_names_the_cut_which_is_served_for_a_year(web_client, ctx):
    manifest = json.loads(web_client.get("/assets/FontManifest.json").content)
    families = {entry["family"]: entry["fonts"] for entry in manifest}
    assert not any("Cupertino" in family for family in families)
    [icons] = families[iconfont.FAMILY]
    assert re.fullmatch(r"fonts/MaterialIcons-[0-9a-f]{16}\.woff2", icons["asset"])
    response = web_client.get(f"/assets/{icons['asset']}")
    assert response.status_code == 200 and response.headers["content-type"] == "font/woff2"
    assert response.headers["cache-control"] == IMMUTABLE
    assert 0xE16A in TTFont(io.BytesIO(response.content)).getBestCmap()
    assert len(response.content) < 60_000  # Flet's whole font: 1.26 MB, 470 kB gzip-compressed
    assert any((ctx.settings.data_dir / "cache" / "fonts").glob("MaterialIcons-*.woff2"))  # made once, kept
    again = web_client.get(f"/assets/{icons['asset']}", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
