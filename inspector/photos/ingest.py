"""Accept or refuse uploaded photo bytes, and say what the photo is.

Order matters, cheapest and safest first: size in bytes (before anything
else), format by content (magic bytes, never by file name), declared pixel
count (from the header, before a single pixel is decoded), then a full decode
so truncated or damaged files are refused now rather than failing later on a
supervisor's screen. Only JPEG, PNG, WebP and HEIC are ever handed to a
decoder: every other Pillow plugin is attack surface we do not need.

Truncation is found because Pillow raises on a short stream; that holds
only while ``PIL.ImageFile.LOAD_TRUNCATED_IMAGES`` stays False (its
default) - nothing in this product may switch it on.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import re
from dataclasses import dataclass

from PIL import Image

from inspector.errors import (
    PhotoCorrupt,
    PhotoHashMismatch,
    PhotoTooLarge,
    PhotoTooManyPixels,
    PhotoUnsupported,
)
from inspector.photos.exif import read_exif
from inspector.photos.facts import PhotoFacts

# Our format name -> the Pillow plugin(s) allowed to open it. Passing these as
# ``formats=`` makes Pillow try only that plugin, whatever the bytes claim.
_PLUGINS: dict[str, tuple[str, ...]] = {
    "JPEG": ("JPEG",),
    "PNG": ("PNG",),
    "WEBP": ("WEBP",),
    "HEIC": ("HEIF",),
}
# What Pillow may report back for each; MPO is a JPEG with extra pictures
# (depth maps, previews) that several phone makers write.
_PILLOW_NAMES = {"JPEG": {"JPEG", "MPO"}, "PNG": {"PNG"}, "WEBP": {"WEBP"}, "HEIC": {"HEIF"}}
# HEIF brands that mean HEVC-coded stills/sequences. AVIF shares the container
# (brand ``avif``, compatible ``mif1``) but is not something we decode.
_HEVC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_MB = 1024 * 1024


@dataclass
class DecodedPhoto:
    """A checked photo with its decoded (possibly draft-scaled) pixels.

    ``pending_orientation`` is the EXIF orientation still to apply to
    ``image``: HEIC decoders already rotate, JPEG/PNG/WebP decoders do not.
    """

    facts: PhotoFacts
    image: Image.Image
    pending_orientation: int


@functools.cache
def register_heif() -> bool:
    """Teach Pillow HEIC once per process (cached: registering is global); False when it cannot.

    pillow-heif is not in the phone app's dependencies (no mobile build of it is known): there a
    HEIC photo is refused as a format this device does not read (``PhotoUnsupported``).
    """
    try:
        import pillow_heif  # lazy: optional; absent in the phone app (see docs/field-app.md)
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify_hash(data: bytes, expected_sha256: str) -> str:
    """Refuse bytes whose SHA-256 is not the one the client announced.

    The hash names the photo everywhere (URL, events, blob key), so a photo
    damaged in transit must not be stored under the name of the intact one.
    Returns the hash.
    """
    actual = sha256_hex(data)
    if actual != expected_sha256.strip().lower():
        raise PhotoHashMismatch(expected=expected_sha256, actual=actual)
    return actual


def check_size(size_bytes: int, max_bytes: int) -> None:
    """Refuse an upload over the byte limit before touching its content."""
    if size_bytes > max_bytes:
        raise PhotoTooLarge(size_mb=_megabytes(size_bytes, up=True), limit_mb=_megabytes(max_bytes))


def sniff_format(data: bytes) -> str | None:
    """The format the bytes really are (by magic numbers), or None."""
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp":
        # ftyp box: size, "ftyp", major brand, minor version, compatible brands.
        box_end = min(int.from_bytes(data[:4], "big"), 256, len(data))
        brands = {data[8:12]} | {data[i : i + 4] for i in range(16, box_end - 3, 4)}
        if brands & _HEVC_BRANDS:
            return "HEIC"
    return None


def inspect_photo(data: bytes, *, max_bytes: int, max_pixels: int) -> PhotoFacts:
    """Check an upload fully and return its facts, or raise a ``Photo*`` error.

    Raises PhotoCorrupt (empty, truncated, undecodable), PhotoTooLarge,
    PhotoUnsupported (not JPEG/PNG/WebP/HEIC by content, or animated) and
    PhotoTooManyPixels (declared size over ``max_pixels``; no pixel memory is
    allocated for it).
    """
    decoded = decode_photo(data, max_bytes=max_bytes, max_pixels=max_pixels, long_edge=None)
    decoded.image.close()
    return decoded.facts


def decode_photo(
    data: bytes,
    *,
    max_bytes: int | None,
    max_pixels: int | None,
    long_edge: int | None,
    sha256: str | None = None,
) -> DecodedPhoto:
    """:func:`inspect_photo`, keeping the decoded pixels for deriving copies.

    ``long_edge`` lets a JPEG decode at reduced scale (libjpeg's DCT scaling,
    1/2 to 1/8) as long as the result stays at least that long; ``None``
    means "smallest", enough to prove every byte decodes. Draft decoding
    still reads the whole entropy-coded stream, so truncation is still found.
    ``sha256`` may pass a hash already computed (and verified) by the caller.
    """
    image = open_photo(data, max_bytes=max_bytes, max_pixels=max_pixels)
    declared = image.size
    fmt = _our_format(image)
    if fmt == "JPEG":
        _draft(image, long_edge or 1)
    # HEIC is never drafted: its draft picks an embedded thumbnail, whose
    # pixels need not match the main picture - not acceptable for evidence.
    try:
        image.load()
    except Image.DecompressionBombError:
        image.close()
        raise PhotoTooManyPixels(pixels=declared[0] * declared[1], limit=max_pixels) from None
    except Exception as error:  # noqa: BLE001 - any decoder failure means damaged bytes
        image.close()
        raise PhotoCorrupt(reason=_reason(error)) from None

    reading = read_exif(image)
    if fmt == "HEIC":
        # libheif applies the container's rotation while decoding and
        # pillow-heif then resets EXIF orientation to 1; it keeps the
        # camera's value in info, which we report but must not apply again.
        orientation = _int_or(image.info.get("original_orientation"), 1)
        pending = 1
        width, height = image.size
    else:
        orientation = pending = reading.orientation
        width, height = declared
        if orientation in (5, 6, 7, 8):  # 90-degree turns swap the sides
            width, height = height, width
    facts = PhotoFacts(
        sha256=sha256 or sha256_hex(data),
        width=width,
        height=height,
        format=fmt,
        taken_at=reading.taken_at,
        gps=reading.gps,
        orientation=orientation,
        exif_problems=reading.problems,
        size_bytes=len(data),
    )
    return DecodedPhoto(facts=facts, image=image, pending_orientation=pending)


def open_photo(data: bytes, *, max_bytes: int | None, max_pixels: int | None) -> Image.Image:
    """Open (header only) after the byte, format and pixel-count checks.

    ``None`` limits skip that check (for re-deriving already accepted
    originals); Pillow's own decompression-bomb guard still applies.
    """
    if not data:
        raise PhotoCorrupt(reason="empty")
    if max_bytes is not None:
        check_size(len(data), max_bytes)
    fmt = sniff_format(data)
    if fmt is None:
        raise PhotoUnsupported(detected=_describe(data))
    if fmt == "HEIC" and not register_heif():
        raise PhotoUnsupported(detected="HEIC")
    try:
        image = Image.open(io.BytesIO(data), formats=_PLUGINS[fmt])
    except Image.DecompressionBombError as error:
        # Pillow refuses absurd headers itself (over twice its own limit);
        # that is our "too many pixels" too, reported with the real count.
        raise PhotoTooManyPixels(pixels=_bomb_pixels(error), limit=max_pixels) from None
    except Exception as error:  # noqa: BLE001 - right magic, unreadable header
        raise PhotoCorrupt(reason=_reason(error)) from None
    if image.format not in _PILLOW_NAMES[fmt]:
        image.close()
        raise PhotoUnsupported(detected=str(image.format))
    pixels = image.width * image.height
    if max_pixels is not None and pixels > max_pixels:
        image.close()
        raise PhotoTooManyPixels(pixels=pixels, limit=max_pixels)
    if getattr(image, "n_frames", 1) > 1 and image.format != "MPO":
        # Animated WebP/PNG or HEIC sequences: an evidence photo is one frame.
        # (MPO's extra pictures are previews/depth maps; frame 0 is the photo.)
        image.close()
        raise PhotoUnsupported(detected=f"animated {fmt}")
    return image


def _draft(image: Image.Image, long_edge: int) -> None:
    """Ask libjpeg for the smallest 1/1-1/8 scale still >= ``long_edge``."""
    width, height = image.size
    scale = min(1.0, long_edge / max(width, height))
    image.draft("RGB", (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))))


def _our_format(image: Image.Image) -> str:
    for ours, names in _PILLOW_NAMES.items():
        if image.format in names:
            return ours
    raise PhotoUnsupported(detected=str(image.format))


def _megabytes(size_bytes: int, up: bool = False) -> float | int:
    """MB with one decimal, rounded up for the upload so it never reads as equal."""
    tenths = size_bytes * 10 / _MB
    value = (math.ceil(tenths) if up else round(tenths)) / 10
    return int(value) if value.is_integer() else value


def _bomb_pixels(error: Exception) -> int | None:
    match = re.search(r"\((\d+) pixels\)", str(error))
    return int(match.group(1)) if match else None


def _describe(data: bytes) -> str:
    """A short, safe label for an unsupported upload (for logs and details)."""
    if data[:4] in (b"GIF8",):
        return "GIF"
    return data[:8].hex()


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:200]


def _int_or(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
