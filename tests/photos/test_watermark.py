"""The evidence stamp: legible band at the bottom, Chinese glyphs, deterministic."""

import io

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops, ImageFont, ImageStat

from inspector.photos.derive import derive
from inspector.fonts import FULL_FONT_PACKED, full_font
from inspector.photos.watermark import Stamp, apply_stamp, stamp_lines
from tests.photos import corpus

STAMP = Stamp(
    item_number="2026-0715-032",
    category="建筑垃圾未覆盖",
    office="西湖区城管局",
    taken_at="2026-07-15 09:30",
    coordinates="30.27412°N 120.15515°E",
    place="创卫巡查 文三路工地",
    inspector="王小明",
)


@pytest.fixture(scope="module")
def display() -> bytes:
    """A mid-grey 1600x1200 display copy: any text pixel stands out on it."""
    return derive(corpus.jpeg(Image.new("RGB", (1600, 1200), (128, 128, 128))), "display")


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def test_font_is_small_and_covers_the_campaign_words():
    assert FULL_FONT_PACKED.stat().st_size < 8 * 1024 * 1024  # every GB18030 ideograph: 4.7 MB in the repository
    cmap = TTFont(full_font(), lazy=True).getBestCmap()
    assert all(ord(char) in cmap for char in "创卫巡查建筑垃圾未覆盖西湖区城管局：（）°")
    assert all(ord(char) in cmap for char in "AZaz09-")


def test_chinese_glyphs_render_as_themselves_not_boxes():
    font = ImageFont.truetype(str(full_font()), 32)
    box = font.getmask("\U00020000")  # CJK Extension B: outside the subset -> .notdef
    masks = [font.getmask(char) for char in "创卫巡查"]

    assert all(mask.getbbox() is not None for mask in masks)
    assert all(bytes(mask) != bytes(box) for mask in masks)
    assert len({bytes(mask) for mask in masks}) == 4  # four different shapes


def test_lines_are_labelled_from_the_catalogue():
    assert stamp_lines(STAMP, "zh-CN")[:2] == ["编号：2026-0715-032", "问题类别：建筑垃圾未覆盖"]
    assert stamp_lines(STAMP, "en")[-1] == "Inspector: 王小明"
    assert len(stamp_lines(STAMP)) == 7
    assert len(stamp_lines(Stamp(**{**STAMP.__dict__, "place": None}))) == 6


def test_band_at_the_bottom_changes_only_the_bottom(display):
    before = opened(display)
    after = opened(apply_stamp(display, STAMP))

    assert after.size == before.size
    diff = ImageChops.difference(before, after).convert("L")
    top = ImageStat.Stat(diff.crop((0, 0, 1600, 800))).mean[0]
    bottom = ImageStat.Stat(diff.crop((0, 1100, 1600, 1200))).mean[0]
    assert top < 2  # only JPEG re-encoding noise above the band
    assert bottom > 30  # the darkened band

    band = after.crop((0, 1000, 1600, 1200)).convert("L")
    dark = sum(band.histogram()[:70])  # the semi-transparent black over grey
    bright = sum(band.histogram()[200:])  # white text
    assert dark > 100_000
    assert bright > 2_000


def test_band_is_semi_transparent(display):
    textured = derive(corpus.jpeg(corpus.scene((1600, 1200))), "display")
    after = opened(apply_stamp(textured, STAMP))

    # A column right of the text (x = 1590) shows the photo darkened, not flat black.
    strip = after.crop((1580, 1150, 1600, 1200)).convert("L")
    low, high = strip.getextrema()
    assert high - low > 10
    assert 5 < ImageStat.Stat(strip).mean[0] < 120


def test_chinese_text_is_drawn(display):
    chinese = opened(apply_stamp(display, STAMP))
    latin = opened(apply_stamp(display, Stamp(**{**STAMP.__dict__, "category": "XX", "office": "XX"})))

    # Different words on the same lines give different pixels in the band.
    assert ImageChops.difference(chinese, latin).getbbox() is not None


def test_same_inputs_same_bytes_and_no_exif(display):
    first = apply_stamp(display, STAMP)
    second = apply_stamp(display, STAMP)
    english = apply_stamp(display, STAMP, lang="en")

    assert first == second
    assert english != first
    assert len(Image.open(io.BytesIO(first)).getexif()) == 0


def test_original_bytes_are_untouched(display):
    copy = bytes(display)

    apply_stamp(display, STAMP)

    assert display == copy


def test_very_long_place_is_wrapped_and_capped(display):
    long_place = "文三路" * 200
    stamped = opened(apply_stamp(display, Stamp(**{**STAMP.__dict__, "place": long_place})))
    normal = opened(apply_stamp(display, STAMP))

    def band_top(image):
        column = image.crop((1590, 0, 1600, 1200)).convert("L")
        for y in range(1200):
            if column.getpixel((5, y)) < 90:
                return y
        return 1200

    # two lines for the place, not forty; the band grows by exactly one line
    assert 0 < band_top(normal) - band_top(stamped) < 60
