"""Test photos: small JPEGs, with or without EXIF GPS (Pillow is fine in tests, not in inspector/ui)."""

import io

from PIL import Image


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    return (float(degrees), float(minutes), round((minutes_full - minutes) * 60, 4))


def jpeg(seed: int = 1, gps: tuple[float, float] | None = None, size=(480, 360)) -> bytes:
    image = Image.new("RGB", size, ((seed * 53) % 256, (seed * 101) % 256, (seed * 29) % 256))
    for x in range(0, size[0], 24):
        image.putpixel((x, (seed * 13) % size[1]), (255, 255, 255))
    out = io.BytesIO()
    if gps is None:
        image.save(out, "JPEG", quality=85)
    else:
        exif = Image.Exif()
        lat, lon = gps
        exif[0x8825] = {1: "N" if lat >= 0 else "S", 2: _dms(abs(lat)), 3: "E" if lon >= 0 else "W",
                        4: _dms(abs(lon))}
        image.save(out, "JPEG", quality=85, exif=exif.tobytes())
    return out.getvalue()
