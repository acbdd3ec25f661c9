"""Fixtures for the photo tests: limits, a blob store under tmp_path, a corpus.

The corpus is generated (see ``corpus.py``); session-scoped where it is
pure bytes in memory, so the larger pictures are encoded once per worker.
"""

import pytest

from inspector.photos.blobs import FileBlobStore
from tests.photos import corpus

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 64_000_000


@pytest.fixture
def limits() -> dict[str, int]:
    return {"max_bytes": MAX_BYTES, "max_pixels": MAX_PIXELS}


@pytest.fixture
def store(tmp_path) -> FileBlobStore:
    return FileBlobStore(tmp_path / "blobs")


@pytest.fixture(scope="session")
def camera_jpeg() -> bytes:
    """A 2400x1800 phone-like JPEG with orientation, time and GPS in EXIF."""
    exif = corpus.tiff_exif(
        ifd0=[(corpus.ORIENTATION, corpus.SHORT, (1,))],
        exif=[
            (corpus.DATETIME_ORIGINAL, *corpus.ascii_value("2026:07:15 09:30:05")),
            (corpus.OFFSET_TIME_ORIGINAL, *corpus.ascii_value("+08:00")),
        ],
        gps=corpus.gps_ifd(),
    )
    return corpus.jpeg(corpus.scene((2400, 1800)), exif=exif, quality=88)


@pytest.fixture(scope="session")
def refused_corpus() -> dict[str, tuple[bytes, str]]:
    """Uploads that must be refused: name -> (bytes, expected error code)."""
    good = corpus.jpeg()
    progressive = corpus.jpeg(corpus.scene((640, 480)), progressive=True)
    return {
        "empty": (b"", "photo.corrupt"),
        "truncated_jpeg": (good[: len(good) * 2 // 3], "photo.corrupt"),
        "jpeg_cut_before_end_marker": (good[:-2], "photo.corrupt"),
        "header_only_jpeg": (good[:20], "photo.corrupt"),
        "truncated_progressive_jpeg": (progressive[: len(progressive) * 3 // 4], "photo.corrupt"),
        "text_named_jpg": (b"this is not a photo, even if it is called evidence.jpg\n", "photo.unsupported"),
        "gif": (corpus.encode(corpus.scene(), "GIF"), "photo.unsupported"),
        "animated_gif": (corpus.animated("GIF"), "photo.unsupported"),
        "animated_webp": (corpus.animated("WEBP"), "photo.unsupported"),
        "animated_png": (corpus.animated("PNG"), "photo.unsupported"),
        "bmp": (corpus.encode(corpus.scene(), "BMP"), "photo.unsupported"),
        "tiff": (corpus.encode(corpus.scene(), "TIFF"), "photo.unsupported"),
        "png_claiming_30000x30000": (corpus.png_claiming(30000, 30000), "photo.too_many_pixels"),
        "png_claiming_9000x9000": (corpus.png_claiming(9000, 9000), "photo.too_many_pixels"),
    }
