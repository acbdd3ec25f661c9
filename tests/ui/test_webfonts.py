"""The web client's CJK fonts: the engine's fallback table read from the Flet client actually served,
every ideograph of GB18030 covered by the eager font or a served slice, slices answered over real HTTP
(committed ones, one cut on demand, 304 on revalidation, 404 for what Inspector has none of), and the
font manifest without the KaTeX fonts."""

import io
import json
from pathlib import Path

import pytest
from flet_web import get_package_web_dir
from fontTools.ttLib import TTFont

from inspector.fonts import full_font
from inspector.ui import theme, webfonts

WEB = Path(get_package_web_dir())
ASSETS = Path(__file__).resolve().parents[2] / "assets"
NAMES = "喆堃垚犇昇"  # common in people's names, outside GB2312
EXTENSION_A = "㐀䶵"  # U+3400, U+4DB5: no slice of the engine has them
IDEOGRAPHS = [*range(0x4E00, 0x9FF0), *range(0x3400, 0x4DB6), 0x20BB7]  # all the bundled font has of them


@pytest.fixture(scope="module")
def table() -> webfonts.FallbackTable:
    return webfonts.read_fallback_table((WEB / "main.dart.js").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def full_cmap() -> set[int]:
    return set(TTFont(full_font(), lazy=True).getBestCmap())


def cmap_of(path: Path) -> set[int]:
    return set(TTFont(path, lazy=True).getBestCmap())


def test_the_table_of_the_served_client_decodes_and_names_slices_for_rare_names(table):
    sc = [path for path, name in table.families.items() if name.startswith("Noto Sans SC")]
    assert len(sc) > 50 and all(webfonts.SLICE_PATH.match(path) for path in sc)
    for char in NAMES:
        owners = [table.families[p] for p, cps in table.code_points.items() if ord(char) in cps]
        assert any(name.startswith("Noto Sans SC") for name in owners), (char, owners)
    # Extension A has no slice at all: why the page loads those characters itself
    assert not any(ord(char) in cps for char in EXTENSION_A for cps in table.code_points.values())


def test_the_committed_slices_are_the_tables_with_the_characters_it_expects(table, full_cmap):
    """Fails after a Flet upgrade that moved the slices: run ``make_subset.py --only web`` again."""
    sc = sorted(path for path, name in table.families.items() if name.startswith("Noto Sans SC"))
    made = sorted(p.relative_to(webfonts.MADE).as_posix() for p in webfonts.MADE.rglob("*.woff2"))
    assert made == sc
    for path in sc[::10]:
        assert cmap_of(webfonts.MADE / path) >= table.code_points[path] & full_cmap, path


def test_every_ideograph_is_in_the_eager_font_or_a_served_slice(table, full_cmap):
    eager = cmap_of(ASSETS / theme.FONT_FILE)
    assert eager == webfonts.eager_code_points(table, full_cmap)
    covered = table.covered()
    assert all(cp in full_cmap for cp in IDEOGRAPHS)
    missing = [hex(cp) for cp in IDEOGRAPHS if cp not in eager and cp not in covered]
    assert missing == []
    assert all(ord(char) in eager for char in EXTENSION_A)
    assert ord("𠮷") in covered  # by a Noto Sans JP slice, cut on demand
    assert not any(ord(char) in eager for char in NAMES + "创卫巡查A")  # the slices have those: no double download


def test_a_slice_of_another_family_is_cut_on_demand_with_its_characters(table, full_cmap, tmp_path):
    fonts = webfonts.FallbackFonts(WEB / "main.dart.js", tmp_path)
    jp = next(p for p, n in table.families.items()
              if n.startswith("Noto Sans JP") and len(table.code_points[p] & full_cmap) > 50)
    path = fonts.path_for(jp)
    assert path is not None and path.parent == tmp_path
    assert cmap_of(path) >= table.code_points[jp] & full_cmap
    assert fonts.path_for(jp) == path  # made once
    arabic = next(p for p, n in table.families.items() if n.startswith("Noto Sans Arabic"))
    assert fonts.path_for(arabic) is None and fonts.path_for("notosanssc/v1/nothere.woff2") is None


def test_a_table_in_another_form_is_refused_not_misread():
    with pytest.raises(webfonts.FallbackTableError):
        webfonts.read_fallback_table('A.z("Noto Sans SC 0","notosanssc/v1/a.0.woff2")')


def test_slices_are_served_revalidated_and_unknown_ones_are_404(web_client, table):
    slice_path = next(p for p, cps in table.code_points.items()
                      if table.families[p].startswith("Noto Sans SC") and ord("喆") in cps)
    response = web_client.get(f"/assets/fonts/{slice_path}")
    assert response.status_code == 200 and response.headers["content-type"] == "font/woff2"
    assert ord("喆") in set(TTFont(io.BytesIO(response.content)).getBestCmap())
    again = web_client.get(f"/assets/fonts/{slice_path}", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert web_client.get("/assets/fonts/notosanssc/v37/unknown.9.woff2").status_code == 404
    sneaky = web_client.get("/assets/fonts/notosanssc/v37/..%2f..%2f..%2fsecret_key")  # not a slice: Flet's page
    assert not sneaky.headers["content-type"].startswith("font/") and b"<html" in sneaky.content.lower()
    assert web_client.get("/assets/fonts/roboto.woff2").status_code == 200  # Flet's own fonts still come from Flet
    eager = web_client.get("/" + theme.FONT_FILE)
    assert eager.status_code == 200 and ord("㐀") in set(TTFont(io.BytesIO(eager.content)).getBestCmap())


def test_the_font_manifest_leaves_out_katex_and_keeps_the_icons(web_client):
    response = web_client.get("/assets/FontManifest.json")
    families = [entry["family"] for entry in json.loads(response.content)]
    assert "MaterialIcons" in families and "Roboto" in families
    assert not any("KaTeX" in family for family in families)
    assert web_client.get("/assets/FontManifest.json", headers={"If-None-Match": response.headers["etag"]}).status_code == 304
