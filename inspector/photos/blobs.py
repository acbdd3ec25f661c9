"""Where photo bytes live: a write-once store keyed by content hash.

A key is ``"<variant>/<sha256>"`` (variant: original, display, thumb, or
stamped: the display copy with the item's watermark), made
only by :func:`blob_key` from a validated hash - never from a file name a
user sent - so a key can never point outside the store's root.

Write-once: the hash names the content, so a second ``put`` of a key that
exists is a no-op returning False; a retried upload changes nothing and two
phones uploading the same photo at once are both fine.

:class:`BlobStore` is the whole interface the rest of the product uses. An
S3-compatible object store implements it too (``inspector.photos.s3_blobs``:
``put`` as a conditional ``PutObject`` with ``If-None-Match: *``, ``get`` as
``GetObject`` mapping 404 to PhotoNotFound, ``exists`` as ``HeadObject``, the
key as the object name), and so does a table in the database
(``inspector.photos.pg_blobs``); ``inspector.photos.stores.open_blob_store``
picks one by ``INSPECTOR_BLOBS``. The file system one below is the default.

:class:`MaintainedBlobStore` adds what maintenance (the start-up sweep,
``inspector check``) needs: listing, removing, hashing a stored blob. Every
store here has it.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Protocol, runtime_checkable

from inspector.errors import InvalidRequest, PhotoNotFound

VARIANTS = ("original", "display", "thumb", "stamped")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_KEY = re.compile(r"(original|display|thumb|stamped)/([0-9a-f]{64})")


@runtime_checkable
class BlobStore(Protocol):
    """Write-once bytes by key (see the module docstring)."""

    def put(self, key: str, data: bytes) -> bool:
        """Store ``data`` under ``key`` unless present; True if it was created."""
        ...

    def get(self, key: str) -> bytes:
        """The bytes under ``key``; raises PhotoNotFound if there are none."""
        ...

    def exists(self, key: str) -> bool:
        """Whether ``key`` has bytes."""
        ...


@runtime_checkable
class MaintainedBlobStore(BlobStore, Protocol):
    """A blob store the sweep and ``check`` can walk (``inspector.services.maintenance``)."""

    def entries(self) -> Iterator[BlobEntry]:
        """Every stored blob with its age; names that are not blob keys are skipped."""
        ...

    def temp_files(self) -> Iterator[tuple[Path, float]]:
        """``(path, mtime)`` of what interrupted puts left half-written (only a folder can hold any)."""
        ...

    def remove(self, key: str, session=None) -> bool:
        """Delete the blob under ``key``, False if there was none. A store in the database deletes
        inside ``session``'s transaction when one is given (the sweep's write lock); others ignore it."""
        ...

    def digest(self, key: str) -> str | None:
        """The SHA-256 (hex) of the bytes under ``key``, None if there are none."""
        ...


def blob_key(sha256: str, variant: str) -> str:
    """The key of one variant of a photo; refuses anything but a real hash."""
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise InvalidRequest(problem="photo hash must be 64 lowercase hex digits")
    if variant not in VARIANTS:
        raise InvalidRequest(problem=f"unknown photo variant {variant!r}")
    return f"{variant}/{sha256}"


def parse_blob_key(key: str) -> tuple[str, str]:
    """``(variant, sha256)`` of a key made by :func:`blob_key`, else InvalidRequest."""
    match = _KEY.fullmatch(key) if isinstance(key, str) else None
    if not match:
        raise InvalidRequest(problem="not a photo key")
    return match.group(1), match.group(2)


def is_blob_key(name: str) -> bool:
    """Whether ``name`` is a key :func:`blob_key` could have made (listings skip anything else)."""
    return isinstance(name, str) and _KEY.fullmatch(name) is not None


class FileBlobStore:
    """Blobs as files: ``root/<variant>/<sha[:2]>/<sha>``.

    The two-character shard keeps directories small (256 of them, each with
    1/256 of the photos) so listing and backups stay fast at a few hundred
    thousand photos.

    Writes are crash-safe: the bytes go to a temporary file in the target
    directory, are fsynced, and only then appear under their name in one
    atomic step, so a reader never sees half a photo and a power cut leaves
    either nothing or the whole file (plus, at worst, a stray ``.tmp-*``, which the
    server's start-up sweep in ``inspector.services.maintenance`` removes).
    """

    def __init__(self, root: Path):
        self.root = Path(root)

    def path_for(self, key: str) -> Path:
        variant, sha256 = parse_blob_key(key)
        return self.root / variant / sha256[:2] / sha256

    def exists(self, key: str) -> bool:
        return self.path_for(key).is_file()

    def get(self, key: str) -> bytes:
        try:
            return self.path_for(key).read_bytes()
        except FileNotFoundError:
            # named by hash and variant, as every PhotoNotFound is ("key" would clash with the words' own key)
            variant, sha256 = parse_blob_key(key)
            raise PhotoNotFound(sha256=sha256, variant=variant) from None

    def put(self, key: str, data: bytes) -> bool:
        path = self.path_for(key)
        if path.is_file():
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as tmp:
                tmp.write(data)
                tmp.flush()
                os.fsync(tmp.fileno())
            os.chmod(tmp_name, 0o644)  # mkstemp makes 0600; a web server may serve these
            created = _publish(tmp_name, path)
        finally:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
        if created:
            fsync_dir(path.parent)  # make the new name itself durable
        return created

    # --- maintenance (inspector.services.maintenance): listing and removing ---------------
    # MaintainedBlobStore, not BlobStore: the rest of the product only ever adds bytes.

    def entries(self) -> Iterator[BlobEntry]:
        """Every published blob, ``(key, path, mtime)``; temp files and foreign names are skipped."""
        for variant in VARIANTS:
            for shard in _children(self.root / variant):
                if not _SHARD.fullmatch(shard.name):
                    continue
                for path in _children(shard):
                    if _SHA256.fullmatch(path.name) and path.name[:2] == shard.name:
                        try:
                            mtime = path.stat().st_mtime
                        except FileNotFoundError:
                            continue  # removed since the listing
                        yield BlobEntry(f"{variant}/{path.name}", path, mtime)

    def temp_files(self) -> Iterator[tuple[Path, float]]:
        """``(path, mtime)`` of every ``.tmp-*`` file a ``put`` left behind (crash, SIGKILL)."""
        for variant in VARIANTS:
            for shard in _children(self.root / variant):
                for path in _children(shard):
                    if path.name.startswith(".tmp-"):
                        try:
                            yield path, path.stat().st_mtime
                        except FileNotFoundError:
                            continue  # its put finished meanwhile

    def digest(self, key: str) -> str | None:
        """The SHA-256 of the file under ``key``, read in chunks; None if there is none."""
        return file_sha256(self.path_for(key))

    def remove(self, key: str, session=None) -> bool:
        """Delete the blob under ``key``; False if there was none (``session``: see MaintainedBlobStore)."""
        try:
            self.path_for(key).unlink()
            return True
        except FileNotFoundError:
            return False


@dataclass(frozen=True)
class BlobEntry:
    key: str
    path: Path | None  # the file, in a FileBlobStore; None in a store that has no files
    mtime: float  # seconds since the epoch: os.stat's mtime, an object's LastModified, a row's created_at


def sha256_of_chunks(chunks: Iterable[bytes]) -> str:
    """The SHA-256 (hex) of bytes read piece by piece, so a large blob is never held whole."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a file, None if it is not there."""
    try:
        with path.open("rb") as handle:
            return sha256_of_chunks(iter(lambda: handle.read(_CHUNK), b""))
    except FileNotFoundError:
        return None


_SHARD = re.compile(r"[0-9a-f]{2}")
_CHUNK = 1 << 20


def _children(directory: Path) -> list[Path]:
    try:
        return sorted(directory.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []


def _publish(tmp_name: str, path: Path) -> bool:
    """Give the finished temp file its real name, only if nobody else did.

    ``os.link`` creates the name atomically and fails if it exists, so of two
    concurrent puts exactly one reports "created" and the first bytes stay.
    Where hard links are not supported, ``os.replace`` (atomic too) is the
    fallback; a lost race then rewrites identical content, which is harmless
    for content-addressed originals.
    """
    try:
        os.link(tmp_name, path)
        return True
    except FileExistsError:
        return False
    except OSError:
        if path.exists():
            return False
        os.replace(tmp_name, path)
        return True


def fsync_dir(directory: Path) -> None:
    """Make a new or removed name in ``directory`` durable (where the system allows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # e.g. Windows cannot open directories; the data is synced already
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
