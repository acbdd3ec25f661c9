"""Derived copies: upright, RGB, bounded size, JPEG, and nothing but pixels."""

import io

import pytest
from PIL import Image, ImageCms

from inspector.photos.derive import derive
from inspector.photos.ingest import decode_photo
from tests.photos import corpus

RED, GREEN, GREY, WHITE = (255, 0, 0), (0, 255, 0), (128, 128, 128), (255, 255, 255)

# Where the stored top-left (red) and top-right (green) corners must be seen,
# straight from the EXIF definition of each orientation (row 0 / column 0).
SEEN_AT = {
    1: ("top_left", "top_right"),
    2: ("top_right", "top_left"),
    3: ("bottom_right", "bottom_left"),
    4: ("bottom_left", "bottom_right"),
    5: ("top_left", "bottom_left"),
    6: ("top_right", "bottom_right"),
    7: ("bottom_right", "top_right"),
    8: ("bottom_left", "top_left"),
}


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def corner(image: Image.Image, where: str) -> tuple[int, int, int]:
    inset_x, inset_y = image.width // 20, image.height // 20
    x = inset_x if "left" in where else image.width - 1 - inset_x
    y = inset_y if "top" in where else image.height - 1 - inset_y
    return image.getpixel((x, y))


def close_to(actual, expected, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(actual, expected, strict=True))


@pytest.mark.parametrize("variant", ["display", "thumb"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_orientation_is_applied(orientation, variant):
    data = corpus.jpeg(corpus.corner_marked((2000, 1500)), exif=corpus.with_orientation(orientation))

    image = opened(derive(data, variant))

    long_edge = 1600 if variant == "display" else 320
    short_edge = long_edge * 3 // 4
    assert image.size == ((short_edge, long_edge) if orientation >= 5 else (long_edge, short_edge))
    red_at, green_at = SEEN_AT[orientation]
    assert close_to(corner(image, red_at), RED), (orientation, red_at, corner(image, red_at))
    assert close_to(corner(image, green_at), GREEN), (orientation, green_at, corner(image, green_at))
    others = {"top_left", "top_right", "bottom_left", "bottom_right"} - {red_at, green_at}
    assert all(close_to(corner(image, where), GREY) for where in others)


def test_heic_rotation_is_applied_exactly_once():
    data = corpus.encode(corpus.corner_marked((400, 300)), "HEIF", exif=corpus.with_orientation(6), quality=95)

    image = opened(derive(data, "display"))

    assert image.size == (300, 400)
    assert close_to(corner(image, "top_right"), RED)
    assert close_to(corner(image, "bottom_right"), GREEN)


def test_sizes_format_and_no_metadata(camera_jpeg):
    for variant, size in (("display", (1600, 1200)), ("thumb", (320, 240))):
        image = opened(derive(camera_jpeg, variant))

        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", size)
        assert len(image.getexif()) == 0
        assert image.getexif().get_ifd(0x8825) == {}
        assert "exif" not in image.info and "icc_profile" not in image.info


def test_source_metadata_never_rides_along():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = corpus.tiff_exif(gps=corpus.gps_ifd())
    data = corpus.jpeg(corpus.scene((800, 600)), exif=exif, icc_profile=srgb, comment=b"secret note")
    assert opened(data).info.get("comment") == b"secret note"  # the source really has them

    out = derive(data, "display")

    image = opened(out)
    assert set(image.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}
    assert b"secret" not in out and b"Exif" not in out


def test_derived_copies_are_deterministic(camera_jpeg):
    assert derive(camera_jpeg, "display") == derive(camera_jpeg, "display")
    assert derive(camera_jpeg, "thumb") == derive(camera_jpeg, "thumb")


def test_small_photos_are_not_enlarged():
    image = opened(derive(corpus.jpeg(corpus.scene((200, 100))), "display"))

    assert image.size == (200, 100)


def test_jpeg_is_decoded_at_reduced_scale_for_copies():
    data = corpus.jpeg(corpus.scene((3300, 2400)))

    display = decode_photo(data, max_bytes=None, max_pixels=None, long_edge=1600)
    thumb = decode_photo(data, max_bytes=None, max_pixels=None, long_edge=320)

    # libjpeg DCT scaling: 1/2 still covers 1600 px, 1/8 covers 320 px
    assert display.image.size == (1650, 1200)
    assert thumb.image.size == (413, 300)
    assert (display.facts.width, display.facts.height) == (3300, 2400)


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("cmyk jpeg", lambda: corpus.jpeg(Image.new("CMYK", (64, 64), (0, 255, 255, 0))), RED),
        ("16-bit grey png", lambda: corpus.encode(Image.new("I;16", (64, 64), 32768), "PNG"), (128, 128, 128)),
        ("grey jpeg", lambda: corpus.jpeg(Image.new("L", (64, 64), 200)), (200, 200, 200)),
        ("rgba png on white", lambda: corpus.encode(Image.new("RGBA", (64, 64), (255, 0, 0, 0)), "PNG"), WHITE),
        ("half-transparent red", lambda: corpus.encode(Image.new("RGBA", (64, 64), (255, 0, 0, 128)), "PNG"), (255, 127, 127)),
        ("la png", lambda: corpus.encode(Image.new("LA", (64, 64), (0, 0)), "PNG"), WHITE),
        ("webp with alpha", lambda: corpus.encode(Image.new("RGBA", (64, 64), (0, 0, 255, 0)), "WEBP", lossless=True), WHITE),
        ("heic", lambda: corpus.encode(Image.new("RGB", (64, 64), (0, 0, 255)), "HEIF", quality=95), (0, 0, 255)),
    ],
)
def test_colour_modes_become_rgb(name, make, expected):
    image = opened(derive(make(), "thumb"))

    assert image.mode == "RGB"
    assert close_to(image.getpixel((32, 32)), expected, tolerance=12), (name, image.getpixel((32, 32)))


def test_palette_png_with_transparency():
    palette_image = Image.new("P", (64, 64), 0)
    palette_image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    palette_image.paste(1, (32, 0, 64, 64))  # right half red, left half index 0
    data = corpus.encode(palette_image, "PNG", transparency=0)

    image = opened(derive(data, "thumb"))

    assert close_to(image.getpixel((8, 32)), WHITE, tolerance=8)
    assert close_to(image.getpixel((56, 32)), RED, tolerance=8)


def test_broken_icc_profile_falls_back_to_plain_rgb():
    data = corpus.jpeg(Image.new("RGB", (64, 64), (10, 200, 30)), icc_profile=b"not a profile at all" * 8)

    image = opened(derive(data, "thumb"))

    assert close_to(image.getpixel((32, 32)), (10, 200, 30), tolerance=10)


def test_unknown_variant_is_refused():
    with pytest.raises(ValueError, match="unknown variant"):
        derive(corpus.jpeg(), "poster")
