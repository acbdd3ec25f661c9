"""The file blob store: write-once, atomic, sharded, and safe keys only."""

import hashlib
import os
import threading

import pytest

from inspector.errors import InvalidRequest, PhotoNotFound
from inspector.photos.blobs import BlobStore, blob_key, parse_blob_key

SHA = hashlib.sha256(b"photo").hexdigest()


def files_under(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_file_store_is_a_blob_store(store):
    assert isinstance(store, BlobStore)


def test_put_get_exists_and_layout(store, tmp_path):
    key = blob_key(SHA, "display")

    assert store.exists(key) is False
    assert store.put(key, b"display bytes") is True

    assert store.exists(key) is True
    assert store.get(key) == b"display bytes"
    assert files_under(tmp_path / "blobs") == [f"display/{SHA[:2]}/{SHA}"]
    assert (tmp_path / "blobs" / "display" / SHA[:2] / SHA).stat().st_mode & 0o777 == 0o644


def test_second_put_is_a_no_op(store):
    key = blob_key(SHA, "original")
    store.put(key, b"first")

    assert store.put(key, b"second") is False
    assert store.get(key) == b"first"


def test_missing_blob_is_photo_not_found(store):
    with pytest.raises(PhotoNotFound):
        store.get(blob_key(SHA, "thumb"))


def test_no_temporary_files_are_left(store, tmp_path):
    for variant in ("original", "display", "thumb"):
        store.put(blob_key(SHA, variant), variant.encode())
        store.put(blob_key(SHA, variant), b"again")

    assert not [name for name in files_under(tmp_path / "blobs") if ".tmp" in name]
    assert len(files_under(tmp_path / "blobs")) == 3


def test_concurrent_puts_of_one_key_create_it_once(store, tmp_path):
    key = blob_key(SHA, "original")
    payload = os.urandom(256 * 1024)
    results: list[bool] = []
    start = threading.Barrier(12)

    def upload():
        start.wait()
        results.append(store.put(key, payload))

    threads = [threading.Thread(target=upload) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results.count(True) == 1 and results.count(False) == 11
    assert store.get(key) == payload
    assert files_under(tmp_path / "blobs") == [f"original/{SHA[:2]}/{SHA}"]


def test_without_hard_links_replace_is_used(store, monkeypatch, tmp_path):
    def no_links(*_args):
        raise PermissionError("hard links not supported here")

    monkeypatch.setattr(os, "link", no_links)
    key = blob_key(SHA, "thumb")

    assert store.put(key, b"thumb") is True
    assert store.put(key, b"other") is False
    assert store.get(key) == b"thumb"
    assert files_under(tmp_path / "blobs") == [f"thumb/{SHA[:2]}/{SHA}"]


@pytest.mark.parametrize(
    ("sha", "variant"),
    [
        ("../" + SHA[3:], "original"),
        (SHA.upper(), "original"),
        (SHA[:63], "original"),
        (SHA + "0", "original"),
        ("g" * 64, "original"),
        ("evidence.jpg", "original"),
        (SHA, "../original"),
        (SHA, "poster"),
        (None, "original"),
    ],
)
def test_bad_keys_are_refused(sha, variant):
    with pytest.raises(InvalidRequest):
        blob_key(sha, variant)


@pytest.mark.parametrize(
    "key", [f"original/{SHA}/../../x", f"/original/{SHA}", f"original\\{SHA}", "original/" + SHA.upper(), SHA, ""]
)
def test_store_refuses_keys_it_did_not_make(store, key, tmp_path):
    with pytest.raises(InvalidRequest):
        store.put(key, b"x")
    with pytest.raises(InvalidRequest):
        store.get(key)
    assert not (tmp_path / "blobs").exists()


def test_key_round_trip():
    assert parse_blob_key(blob_key(SHA, "thumb")) == ("thumb", SHA)
