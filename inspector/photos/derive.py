"""Derived copies of a photo: the display copy and the thumbnail.

What people are shown is never the uploaded file: it is re-encoded here as a
plain sRGB JPEG, upright, at a bounded size, and without EXIF - so the GPS
position (kept as a database field) and any hostile metadata never leave the
server in a served copy. Originals stay byte-exact in the blob store.

Speed comes from not decoding what we throw away: a 12 MP JPEG is decoded by
libjpeg at 1/2..1/8 scale ("draft" mode, DCT scaling) and the thumbnail is
made from the display copy, not from the original.
"""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageCms

from inspector.photos.ingest import DecodedPhoto, decode_photo

VARIANT_LONG_EDGE: dict[str, int] = {"display": 1600, "thumb": 320}
JPEG_QUALITY = 82
_BACKGROUND = (255, 255, 255)  # transparent parts are shown on white

# EXIF orientation -> the transposes that make the picture upright
# (the same table as PIL.ImageOps.exif_transpose, without its EXIF copying).
_UPRIGHT: dict[int, tuple[Image.Transpose, ...]] = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}


def derive(data: bytes, variant: str) -> bytes:
    """One derived copy ("display": long edge 1600 px, "thumb": 320 px) as JPEG.

    For re-deriving from an already accepted original; :func:`derive_all` is
    what ingest uses (one decode for both copies).
    """
    long_edge = _long_edge(variant)
    decoded = decode_photo(data, max_bytes=None, max_pixels=None, long_edge=long_edge)
    with decoded.image:
        picture = upright_rgb(decoded.image, decoded.pending_orientation, long_edge)
    return encode_jpeg(picture)


def derive_all(decoded: DecodedPhoto) -> dict[str, bytes]:
    """Display copy and thumbnail from one decode; the thumb comes from the display."""
    display = upright_rgb(decoded.image, decoded.pending_orientation, VARIANT_LONG_EDGE["display"])
    # A 2x box reduce before Lanczos is invisible at 320 px and halves the cost.
    thumb = shrink(display, VARIANT_LONG_EDGE["thumb"], reducing_gap=2.0)
    return {"display": encode_jpeg(display), "thumb": encode_jpeg(thumb)}


def upright_rgb(image: Image.Image, orientation: int, long_edge: int) -> Image.Image:
    """Flatten to RGB, shrink to ``long_edge``, convert to sRGB, turn upright.

    Shrinking before colour conversion and rotation keeps those steps on the
    small image; none of them depends on the order.
    """
    icc = image.info.get("icc_profile")
    picture = shrink(flatten(image), long_edge)
    picture = to_srgb(picture, icc)
    for step in _UPRIGHT.get(orientation, ()):
        picture = picture.transpose(step)
    return picture


def flatten(image: Image.Image) -> Image.Image:
    """RGB (or CMYK, converted later with its profile) from any decoded mode.

    16-bit greys are scaled, not clipped (a plain convert would turn almost
    everything white); alpha and palette transparency go onto white.
    """
    mode = image.mode
    if mode in ("RGB", "CMYK"):
        return image
    if mode.startswith("I;16") or mode == "I":
        return image.point(lambda value: value * (1 / 256)).convert("L").convert("RGB")
    if mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif mode in ("PA", "LA", "La", "RGBa") or (mode == "L" and "transparency" in image.info):
        image = image.convert("RGBA")
    if image.mode == "RGBA":
        background = Image.new("RGB", image.size, _BACKGROUND)
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def shrink(image: Image.Image, long_edge: int, reducing_gap: float = 3.0) -> Image.Image:
    """Fit within ``long_edge`` (never enlarge), with Lanczos quality.

    ``reducing_gap`` lets Pillow box-reduce by an integer factor first and
    Lanczos only the last step (at 3.0 indistinguishable from a full Lanczos,
    per Pillow's docs): same look, a fraction of the time.
    """
    width, height = image.size
    if max(width, height) <= long_edge:
        return image
    scale = long_edge / max(width, height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=reducing_gap)


def to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB in sRGB: honour an embedded profile (iPhone Display P3, print CMYK).

    The output carries no profile, so it must already be sRGB. A broken
    profile falls back to a plain conversion rather than refusing the photo.
    """
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            return ImageCms.profileToProfile(image, source, _srgb_profile(), outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass
    return image if image.mode == "RGB" else image.convert("RGB")


def encode_jpeg(image: Image.Image) -> bytes:
    """Baseline JPEG, quality 82, no EXIF/ICC/XMP: same pixels -> same bytes."""
    clean = image if image.mode == "RGB" else image.convert("RGB")
    out = io.BytesIO()
    # Pillow writes EXIF/ICC only when asked, but copies a JPEG comment from
    # the source's info; say "none" explicitly for every kind of metadata.
    clean.save(out, "JPEG", quality=JPEG_QUALITY, exif=b"", comment=b"")
    return out.getvalue()


@functools.cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _long_edge(variant: str) -> int:
    try:
        return VARIANT_LONG_EDGE[variant]
    except KeyError:
        raise ValueError(f"unknown variant {variant!r}; expected one of {sorted(VARIANT_LONG_EDGE)}") from None
