"""ingest_photo: checks first, then all three copies write-once, or nothing."""

import hashlib
import io

import pytest
from PIL import Image

from inspector.errors import PhotoError, PhotoHashMismatch
from inspector.photos.blobs import blob_key
from inspector.photos.pipeline import ingest_photo


def stored(tmp_path) -> list[str]:
    root = tmp_path / "blobs"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_ingest_stores_original_display_and_thumb(store, camera_jpeg, limits, tmp_path):
    sha = hashlib.sha256(camera_jpeg).hexdigest()

    facts, created = ingest_photo(store, camera_jpeg, expected_sha256=sha, **limits)

    assert created is True
    assert facts.sha256 == sha and (facts.width, facts.height) == (2400, 1800)
    assert store.get(blob_key(sha, "original")) == camera_jpeg
    assert Image.open(io.BytesIO(store.get(blob_key(sha, "display")))).size == (1600, 1200)
    assert Image.open(io.BytesIO(store.get(blob_key(sha, "thumb")))).size == (320, 240)
    assert stored(tmp_path) == [f"{v}/{sha[:2]}/{sha}" for v in ("display", "original", "thumb")]


def test_repeated_upload_is_a_no_op(store, camera_jpeg, limits, tmp_path):
    first, created_first = ingest_photo(store, camera_jpeg, expected_sha256=None, **limits)
    files = {name: (tmp_path / "blobs" / name).stat().st_mtime_ns for name in stored(tmp_path)}

    again, created_again = ingest_photo(store, camera_jpeg, expected_sha256=None, **limits)

    assert (created_first, created_again) == (True, False)
    assert again == first
    assert {name: (tmp_path / "blobs" / name).stat().st_mtime_ns for name in stored(tmp_path)} == files


def test_an_interrupted_ingest_is_completed_by_repeating_it(store, camera_jpeg, limits, tmp_path):
    sha = hashlib.sha256(camera_jpeg).hexdigest()
    store.put(blob_key(sha, "thumb"), b"thumb written before a crash")

    facts, created = ingest_photo(store, camera_jpeg, expected_sha256=sha, **limits)

    assert created is True
    assert len(stored(tmp_path)) == 3
    assert store.get(blob_key(sha, "thumb")) == b"thumb written before a crash"  # write-once holds


@pytest.mark.parametrize(
    "case", ["empty", "truncated_jpeg", "text_named_jpg", "animated_webp", "animated_gif", "png_claiming_30000x30000"]
)
def test_nothing_is_stored_when_a_check_fails(case, refused_corpus, store, limits, tmp_path):
    data, code = refused_corpus[case]

    with pytest.raises(PhotoError) as caught:
        ingest_photo(store, data, expected_sha256=None, **limits)

    assert caught.value.code == code
    assert stored(tmp_path) == []


def test_hash_mismatch_stores_nothing(store, camera_jpeg, limits, tmp_path):
    damaged = camera_jpeg[:-100] + bytes(100)

    with pytest.raises(PhotoHashMismatch):
        ingest_photo(store, damaged, expected_sha256=hashlib.sha256(camera_jpeg).hexdigest(), **limits)

    assert stored(tmp_path) == []


def test_too_large_stores_nothing(store, camera_jpeg, tmp_path):
    with pytest.raises(PhotoError) as caught:
        ingest_photo(store, camera_jpeg, expected_sha256=None, max_bytes=len(camera_jpeg) - 1, max_pixels=10**8)

    assert caught.value.code == "photo.too_large"
    assert stored(tmp_path) == []
