"""Rare characters of people's and place names on the evidence stamp: 喆 堃 垚 犇 昇 (outside GB2312),
Extension A (㐀 䶵) and 𠮷 are drawn as themselves, each its own shape, not the font's empty box."""

import io

from PIL import Image, ImageChops, ImageFont

from inspector.photos.derive import derive
from inspector.fonts import full_font
from inspector.photos.watermark import Stamp, apply_stamp
from tests.photos import corpus

RARE = "喆堃垚犇昇㐀䶵𠮷"
NO_GLYPH = "\ue000"  # private use: no font has it, it draws as .notdef


def test_each_rare_character_has_a_glyph_of_its_own():
    font = ImageFont.truetype(str(full_font()), 32, layout_engine=ImageFont.Layout.BASIC)
    box = bytes(font.getmask(NO_GLYPH))
    masks = [bytes(font.getmask(char)) for char in RARE]
    assert all(mask != box for mask in masks)
    assert len(set(masks)) == len(RARE)


def test_a_stamp_with_rare_names_draws_them():
    display = derive(corpus.jpeg(Image.new("RGB", (1600, 1200), (128, 128, 128))), "display")
    stamp = Stamp(item_number="2026-0715-032", category="建筑垃圾未覆盖", office="西湖区城管局",
                  taken_at="2026-07-15 09:30", coordinates=None, place="㐀𠮷村 垚犇路", inspector="王喆 李堃 陈昇")
    boxed = Stamp(**{**stamp.__dict__, "place": "\ue000\ue000村 \ue000\ue000路",
                     "inspector": "王\ue000 李\ue000 陈\ue000"})
    drawn = Image.open(io.BytesIO(apply_stamp(display, stamp))).convert("L")
    boxes = Image.open(io.BytesIO(apply_stamp(display, boxed))).convert("L")
    changed = ImageChops.difference(drawn, boxes).point(lambda v: 255 if v > 64 else 0).histogram()[255]
    assert changed > 500  # seven glyphs where the other stamp has seven boxes
