"""Ingest one uploaded photo: check it, derive its copies, store all three.

This is what ``PUT /api/photos/{sha256}`` and the phone's local save both
call. Every check and every derivation happens in memory *before* the first
write, so a refused photo leaves nothing behind. Writes go derived copies
first and the original last: "the original exists" then implies "its copies
exist", which is what ``HEAD`` and the sync engine rely on, and a crash
between writes is repaired by simply repeating the upload.
"""

from __future__ import annotations

from inspector.photos.blobs import BlobStore, blob_key
from inspector.photos.derive import VARIANT_LONG_EDGE, derive_all
from inspector.photos.facts import PhotoFacts
from inspector.photos.ingest import check_size, decode_photo, inspect_photo, sha256_hex, verify_hash

_VARIANTS = ("original", "display", "thumb")


def ingest_photo(
    blobs: BlobStore,
    data: bytes,
    *,
    expected_sha256: str | None,
    max_bytes: int,
    max_pixels: int,
) -> tuple[PhotoFacts, bool]:
    """Check and store a photo write-once; returns ``(facts, created)``.

    ``created`` is False when the original was already stored (a repeated
    upload): the call is then a no-op apart from re-checking the bytes.
    Raises the ``Photo*`` errors of :func:`inspect_photo` and
    PhotoHashMismatch when ``expected_sha256`` is given and differs.
    """
    check_size(len(data), max_bytes)  # before spending time hashing a huge body
    sha256 = verify_hash(data, expected_sha256) if expected_sha256 is not None else sha256_hex(data)
    keys = {variant: blob_key(sha256, variant) for variant in _VARIANTS}
    if all(blobs.exists(key) for key in keys.values()):
        # Already complete: still prove the bytes are a valid photo (the
        # caller wants facts), but skip deriving copies we would not store.
        return inspect_photo(data, max_bytes=max_bytes, max_pixels=max_pixels), False

    decoded = decode_photo(
        data,
        max_bytes=max_bytes,
        max_pixels=max_pixels,
        long_edge=VARIANT_LONG_EDGE["display"],
        sha256=sha256,
    )
    with decoded.image:
        copies = derive_all(decoded)

    blobs.put(keys["thumb"], copies["thumb"])
    blobs.put(keys["display"], copies["display"])
    created = blobs.put(keys["original"], data)
    return decoded.facts, created
