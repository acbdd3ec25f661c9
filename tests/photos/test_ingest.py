"""inspect_photo: what is accepted, what is refused, and the facts it returns."""

import hashlib
import io
import resource
import time
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image

from inspector.errors import (
    PhotoCorrupt,
    PhotoError,
    PhotoHashMismatch,
    PhotoTooLarge,
    PhotoTooManyPixels,
    PhotoUnsupported,
)
from inspector.i18n import error_message
from inspector.photos.facts import GpsFix
from inspector.photos.ingest import inspect_photo, sniff_format, verify_hash
from tests.photos import corpus


def test_camera_jpeg_facts(camera_jpeg, limits):
    facts = inspect_photo(camera_jpeg, **limits)

    assert facts.sha256 == hashlib.sha256(camera_jpeg).hexdigest()
    assert (facts.width, facts.height, facts.format) == (2400, 1800, "JPEG")
    assert facts.size_bytes == len(camera_jpeg)
    assert facts.orientation == 1
    assert facts.taken_at == datetime(2026, 7, 15, 9, 30, 5, tzinfo=timezone(timedelta(hours=8)))
    assert facts.gps == GpsFix(lat=pytest.approx(30.27412), lon=pytest.approx(120.15515), alt=None)
    assert facts.exif_problems == ()


@pytest.mark.parametrize(
    ("fmt", "params", "expected"),
    [
        ("PNG", {}, "PNG"),
        ("WEBP", {"quality": 80}, "WEBP"),
        ("HEIF", {"quality": 80}, "HEIC"),
        ("JPEG", {"quality": 80}, "JPEG"),
    ],
)
def test_supported_formats_are_recognised_by_content(fmt, params, expected, limits):
    data = corpus.encode(corpus.scene((320, 240)), fmt, **params)

    facts = inspect_photo(data, **limits)

    assert sniff_format(data) == expected
    assert (facts.format, facts.width, facts.height) == (expected, 320, 240)
    assert facts.gps is None and facts.taken_at is None


def test_mpo_from_phones_is_accepted_as_jpeg(limits):
    # Several Android phones write MPO: a JPEG with a second picture appended.
    first, second = corpus.scene((320, 240), seed=1), corpus.scene((320, 240), seed=2)
    data = corpus.encode(first, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(data)).format == "MPO"

    facts = inspect_photo(data, **limits)

    assert (facts.format, facts.width, facts.height) == ("JPEG", 320, 240)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_exif_is_read_from_png_and_webp_too(fmt, limits):
    exif = corpus.tiff_exif(ifd0=[(corpus.ORIENTATION, corpus.SHORT, (6,))], gps=corpus.gps_ifd(lat_ref="S"))
    data = corpus.encode(corpus.scene((320, 240)), fmt, exif=exif)

    facts = inspect_photo(data, **limits)

    assert (facts.orientation, facts.width, facts.height) == (6, 240, 320)
    assert facts.gps == GpsFix(pytest.approx(-30.27412), pytest.approx(120.15515), None)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_orientation_swaps_width_and_height(orientation, limits):
    data = corpus.jpeg(corpus.corner_marked((300, 200)), exif=corpus.with_orientation(orientation))

    facts = inspect_photo(data, **limits)

    assert facts.orientation == orientation
    expected = (200, 300) if orientation >= 5 else (300, 200)
    assert (facts.width, facts.height) == expected


def test_heic_orientation_is_reported_and_sides_are_as_seen(limits):
    data = corpus.encode(corpus.corner_marked((300, 200)), "HEIF", exif=corpus.with_orientation(6), quality=90)

    facts = inspect_photo(data, **limits)

    assert (facts.format, facts.orientation, facts.width, facts.height) == ("HEIC", 6, 200, 300)


@pytest.mark.parametrize(
    "case",
    [
        "empty",
        "truncated_jpeg",
        "jpeg_cut_before_end_marker",
        "header_only_jpeg",
        "truncated_progressive_jpeg",
        "text_named_jpg",
        "gif",
        "animated_gif",
        "animated_webp",
        "animated_png",
        "bmp",
        "tiff",
        "png_claiming_30000x30000",
        "png_claiming_9000x9000",
    ],
)
def test_refused_uploads(case, refused_corpus, limits):
    data, code = refused_corpus[case]

    with pytest.raises(PhotoError) as caught:
        inspect_photo(data, **limits)

    assert caught.value.code == code
    # every refusal can be shown to a person in both languages
    assert "{" not in error_message(caught.value, "zh-CN")
    assert "{" not in error_message(caught.value, "en")


def test_truncated_png_webp_and_heic_are_corrupt(limits):
    for fmt in ("PNG", "WEBP", "HEIF"):
        data = corpus.encode(corpus.scene((320, 240)), fmt)
        with pytest.raises(PhotoCorrupt):
            inspect_photo(data[: len(data) // 2], **limits)


def test_too_many_pixels_reports_declared_count_without_decoding(limits):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()

    with pytest.raises(PhotoTooManyPixels) as caught:
        inspect_photo(corpus.png_claiming(30000, 30000), **limits)

    assert caught.value.details == {"pixels": 900_000_000, "limit": limits["max_pixels"]}
    assert time.perf_counter() - started < 2
    # 900 M pixels would need ~900 MB; the peak must not have moved by that.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KiB


def test_our_pixel_limit_applies_below_pillows(limits):
    data = corpus.png_claiming(9000, 9000)  # 81 M: under Pillow's own bomb limit

    with pytest.raises(PhotoTooManyPixels) as caught:
        inspect_photo(data, max_bytes=limits["max_bytes"], max_pixels=80_000_000)

    assert caught.value.details == {"pixels": 81_000_000, "limit": 80_000_000}


def test_pillows_decompression_bomb_error_maps_to_too_many_pixels(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # Pillow refuses > 2000 pixels
    data = corpus.jpeg(corpus.scene((100, 100)))

    with pytest.raises(PhotoTooManyPixels) as caught:
        inspect_photo(data, max_bytes=10**7, max_pixels=10**9)

    assert caught.value.details["pixels"] == 10_000


def test_size_is_checked_before_content():
    data = b"\x00" * 1001  # not an image at all: the size check must come first

    with pytest.raises(PhotoTooLarge) as caught:
        inspect_photo(data, max_bytes=1000, max_pixels=10**6)

    assert caught.value.details == {"size_mb": 0.1, "limit_mb": 0}
    assert caught.value.status == 413


def test_too_large_message_shows_megabytes():
    with pytest.raises(PhotoTooLarge) as caught:
        inspect_photo(b"\xff\xd8\xff" + b"\x00" * (26 * 1024 * 1024), max_bytes=25 * 1024 * 1024, max_pixels=10**6)

    assert error_message(caught.value, "en") == "The photo is too large (26.1 MB); the limit is 25 MB"


def test_heic_brand_detection_ignores_avif():
    avif_like = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + b"\x00" * 32
    heic = b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic" + b"\x00" * 32

    assert sniff_format(avif_like) is None
    assert sniff_format(heic) == "HEIC"
    with pytest.raises(PhotoUnsupported):
        inspect_photo(avif_like, max_bytes=10**6, max_pixels=10**6)


def test_verify_hash():
    data = b"photo bytes"
    digest = hashlib.sha256(data).hexdigest()

    assert verify_hash(data, digest) == digest
    assert verify_hash(data, digest.upper()) == digest
    with pytest.raises(PhotoHashMismatch) as caught:
        verify_hash(data + b"!", digest)
    assert caught.value.details["expected"] == digest
