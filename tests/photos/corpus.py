"""Test photos made on the fly: no binary files live in the repository.

``tiff_exif`` hand-writes the EXIF block byte by byte, because Pillow's
writer coerces values to the "right" types - and the point of these tests is
the wrong types, zero denominators and missing tags real cameras produce.
"""

from __future__ import annotations

import io
import struct
import zlib

import pillow_heif
from PIL import Image

# TIFF field types we write: code -> (struct format per value, bytes per value)
BYTE, ASCII, SHORT, LONG, RATIONAL, UNDEFINED, SRATIONAL, DOUBLE = 1, 2, 3, 4, 5, 7, 10, 12
_FORMATS = {BYTE: "B", SHORT: "H", LONG: "I", RATIONAL: "II", SRATIONAL: "ii", DOUBLE: "d"}

EXIF_IFD_POINTER = 0x8769
GPS_IFD_POINTER = 0x8825
ORIENTATION = 0x0112
DATETIME = 0x0132
DATETIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON, GPS_ALT_REF, GPS_ALT = 1, 2, 3, 4, 5, 6

# Hangzhou West Lake, in degrees/minutes/seconds and decimal.
HANGZHOU_DMS_LAT = ((30, 1), (16, 1), (26832, 1000))  # 30°16'26.832" = 30.27412
HANGZHOU_DMS_LON = ((120, 1), (9, 1), (18540, 1000))  # 120°9'18.54" = 120.15515
HANGZHOU = (30.27412, 120.15515)


def ascii_value(text: str) -> tuple[int, bytes]:
    return ASCII, text.encode("latin-1") + b"\x00"


def _encode(kind: int, values) -> tuple[bytes, int]:
    """Raw bytes and TIFF count for one entry's values."""
    if kind in (ASCII, UNDEFINED) or isinstance(values, (bytes, bytearray)):
        raw = bytes(values)
        return raw, len(raw)
    fmt = _FORMATS[kind]
    flat: list = []
    for value in values:
        flat.extend(value if isinstance(value, tuple) else (value,))
    return struct.pack("<" + fmt * len(values), *flat), len(values)


def _ifd(entries: list[tuple[int, int, object]], start: int) -> bytes:
    """One IFD at file offset ``start``, its out-of-line data right after it."""
    entries = sorted(entries, key=lambda entry: entry[0])
    head_size = 2 + 12 * len(entries) + 4
    data_area = b""
    table = struct.pack("<H", len(entries))
    for tag, kind, values in entries:
        raw, count = _encode(kind, values)
        if len(raw) <= 4:
            field = raw.ljust(4, b"\x00")
        else:
            field = struct.pack("<I", start + head_size + len(data_area))
            data_area += raw + (b"\x00" if len(raw) % 2 else b"")
        table += struct.pack("<HHI", tag, kind, count) + field
    return table + struct.pack("<I", 0) + data_area


def tiff_exif(ifd0=(), exif=None, gps=None) -> bytes:
    """An APP1-ready EXIF payload (``Exif\\0\\0`` + little-endian TIFF).

    Each IFD is a list of ``(tag, type, values)``; ASCII/UNDEFINED values
    are bytes, others a tuple of numbers or of (num, den) pairs.
    """
    def ifd0_entries(exif_at: int, gps_at: int):
        entries = list(ifd0)
        if exif is not None:
            entries.append((EXIF_IFD_POINTER, LONG, (exif_at,)))
        if gps is not None:
            entries.append((GPS_IFD_POINTER, LONG, (gps_at,)))
        return entries

    first = 8
    size0 = len(_ifd(ifd0_entries(0, 0), first))
    exif_at = first + size0
    exif_bytes = _ifd(list(exif), exif_at) if exif is not None else b""
    gps_at = exif_at + len(exif_bytes)
    gps_bytes = _ifd(list(gps), gps_at) if gps is not None else b""
    tiff = b"II*\x00" + struct.pack("<I", first) + _ifd(ifd0_entries(exif_at, gps_at), first)
    return b"Exif\x00\x00" + tiff + exif_bytes + gps_bytes


def gps_ifd(lat=HANGZHOU_DMS_LAT, lon=HANGZHOU_DMS_LON, lat_ref="N", lon_ref="E", kind=RATIONAL, extra=()):
    """A GPS IFD; pass ``None`` for a ref to leave that tag out."""
    entries = [(GPS_LAT, kind, lat), (GPS_LON, kind, lon)]
    if lat_ref is not None:
        entries.append((GPS_LAT_REF, *ascii_value(lat_ref)))
    if lon_ref is not None:
        entries.append((GPS_LON_REF, *ascii_value(lon_ref)))
    return entries + list(extra)


def scene(size=(320, 240), seed: int = 1) -> Image.Image:
    """A picture with texture (not one flat colour), so encoders work for real."""
    width, height = size
    base = Image.linear_gradient("L").resize(size)
    noise = Image.effect_noise(size, 30 + seed)
    return Image.merge("RGB", (base, noise, base.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))


def corner_marked(size=(300, 200)) -> Image.Image:
    """Grey picture with red at the stored top-left, green at the stored top-right."""
    width, height = size
    image = Image.new("RGB", size, (128, 128, 128))
    block = min(size) // 4
    image.paste((255, 0, 0), (0, 0, block, block))
    image.paste((0, 255, 0), (width - block, 0, width, block))
    return image


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    if fmt == "HEIF":
        pillow_heif.register_heif_opener()
    image.save(out, fmt, **params)
    return out.getvalue()


def jpeg(image: Image.Image | None = None, exif: bytes | None = None, **params) -> bytes:
    image = image if image is not None else scene()
    if exif is not None:
        params["exif"] = exif
    return encode(image, "JPEG", quality=params.pop("quality", 90), **params)


def with_orientation(orientation: int) -> bytes:
    return tiff_exif(ifd0=[(ORIENTATION, SHORT, (orientation,))])


def animated(fmt: str) -> bytes:
    frames = [scene(seed=i) for i in range(3)]
    return encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny valid-looking PNG whose header claims ``width`` x ``height``."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
