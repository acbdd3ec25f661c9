"""Backup and restore of a SQLite installation: the database and the blobs it names, in one tar file.

:func:`backup` writes a consistent copy of a live SQLite database and the blobs
it names into one tar file; :func:`restore` checks such a file whole, then puts
it in place. PostgreSQL has its own tools (``pg_dump``): both refuse with words
saying so. The CLI reaches them as ``inspector.services.maintenance.backup`` and
``.restore``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import tarfile
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy.engine import make_url

from inspector.errors import (BackupArchiveInvalid, BackupNeedsSqlite, BackupNoDatabase, BlobStoreUnsupported,
                              RestoreTargetNotEmpty)
from inspector.photos.blobs import VARIANTS, FileBlobStore, blob_key, fsync_dir
from inspector.photos.stores import store_name
from inspector.settings import Settings
from inspector.store.maintenance import copy_sqlite, read_sqlite
from inspector.store.private import FILE_MODE, private_sqlite

ARCHIVE_FORMAT = "inspector-backup"
ARCHIVE_VERSION = 1
_DB_MEMBER = "inspector.db"
_MANIFEST = "manifest.json"
_BLOB_MEMBER = re.compile(r"blobs/(original|display|thumb|stamped)/([0-9a-f]{2})/([0-9a-f]{64})")
_CHUNK = 1 << 20


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    events: int
    photos: int
    blobs: int
    missing: tuple[str, ...]  # photos the database names whose original was not in the store


def sqlite_path(settings: Settings) -> Path:
    """The SQLite file of ``settings``; BackupNeedsSqlite on any other database."""
    url = make_url(settings.resolved_database_url())
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupNeedsSqlite(blobs=str(settings.blob_dir.resolve()))
    return Path(url.database)


def _photos_in_folder(settings: Settings, operation: str) -> None:
    """BlobStoreUnsupported unless the photos are in the data folder (INSPECTOR_BLOBS=file): an S3 bucket or
    the database's shared_blobs table is backed up with its own tools, and a restore must not split them."""
    if settings.blobs != "file":
        raise BlobStoreUnsupported(operation=operation, store=store_name(settings))


def backup(settings: Settings, out: Path, clock: Callable[[], datetime] = _utc_now) -> BackupResult:
    """Copy the live database and the blobs it names into the tar file ``out``.

    The database is copied first, with SQLite's online backup API in one step:
    the copy is the state of one read transaction, and in WAL mode the server
    keeps writing meanwhile. The blobs come after it, and that order is what
    makes the pair consistent: a photo row is committed only once its blobs are
    published, and blobs are never changed or removed while named, so every
    photo the copied database names is present when we go to fetch it. Blobs
    added since the copy are left out (no row in the copy names them).
    """
    _photos_in_folder(settings, "inspector backup")
    source_path = sqlite_path(settings)
    if not source_path.is_file():
        raise BackupNoDatabase(path=str(source_path))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:12]
    db_copy = out.parent / f".{out.name}.db-{token}"
    partial = out.parent / f".{out.name}.tmp-{token}"
    store = FileBlobStore(settings.blob_dir)
    try:
        # Both files hold password hashes and tokens: only the owner may read them.
        os.close(os.open(db_copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        photos, events = copy_sqlite(source_path, db_copy)
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE), "wb") as handle:
            with tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT) as archive:
                blob_count, missing = _fill(archive, store, db_copy, photos, events, clock)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, out)  # readers of ``out`` see the old file or the whole new one
        fsync_dir(out.parent)
    finally:
        for leftover in (db_copy, partial):
            leftover.unlink(missing_ok=True)
    return BackupResult(out, events, len(photos), blob_count, tuple(missing))


def _fill(archive: tarfile.TarFile, store: FileBlobStore, db_copy: Path, photos: list[str], events: int,
          clock: Callable[[], datetime]) -> tuple[int, list[str]]:
    """The database copy, every variant of every photo it names, then the manifest; ``(blobs, missing)``."""
    archive.add(db_copy, arcname=_DB_MEMBER)
    blob_count, missing = 0, []
    for sha256 in photos:
        for variant in VARIANTS:
            path = store.path_for(blob_key(sha256, variant))
            if path.is_file():
                archive.add(path, arcname=f"blobs/{variant}/{sha256[:2]}/{sha256}")
                blob_count += 1
            elif variant == "original":
                missing.append(sha256)  # the live store is damaged already; say so, copy the rest
    manifest = {"format": ARCHIVE_FORMAT, "version": ARCHIVE_VERSION, "created_at": clock().isoformat(),
                "events": events, "photos": len(photos), "blobs": blob_count}
    _add_bytes(archive, _MANIFEST, json.dumps(manifest, indent=2).encode())
    return blob_count, missing


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o644
    archive.addfile(info, io.BytesIO(data))


@dataclass(frozen=True)
class RestoreResult:
    events: int
    photos: int
    blobs: int


def restore(settings: Settings, archive_path: Path, force: bool = False) -> RestoreResult:
    """Put a backup made by :func:`backup` in place of the data folder's database and blobs.

    Refuses a folder that holds anything unless ``force``. The whole archive is
    unpacked beside the target and checked (every entry's name, every
    original's hash, the database's integrity, every photo it names present)
    before the first existing file is touched. Stop the server first.
    """
    _photos_in_folder(settings, "inspector restore")
    db_path = sqlite_path(settings)
    data_dir, blob_dir = Path(settings.data_dir), Path(settings.blob_dir)
    if not force and (db_path.exists() or (data_dir.exists() and any(data_dir.iterdir()))):
        raise RestoreTargetNotEmpty(path=str(data_dir.resolve()))
    archive_path = Path(archive_path)
    data_dir.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:12]
    staging, aside = data_dir / f".restore-{token}", data_dir / f".replaced-{token}"
    staging.mkdir(mode=0o700)
    try:
        manifest, originals = _unpack(archive_path, staging)
        photos, events = _check_unpacked(archive_path, staging / _DB_MEMBER, manifest, originals)
        _swap_in(staging, aside, db_path, blob_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    # Only now, with the new files in place: had the swap failed, the old ones stay in ``aside``.
    shutil.rmtree(aside, ignore_errors=True)
    return RestoreResult(events=events, photos=photos, blobs=manifest["blobs"])


def _invalid(path: Path, problem: str) -> BackupArchiveInvalid:
    return BackupArchiveInvalid(path=str(path), problem=problem)


def _unpack(archive_path: Path, staging: Path) -> tuple[dict, set[str]]:
    """Write every entry under ``staging`` by name we built ourselves; the manifest and the originals seen."""
    originals: set[str] = set()
    manifest = None
    blobs = 0
    try:
        with tarfile.open(archive_path, "r:") as archive:
            for member in archive:
                name = member.name
                match = _BLOB_MEMBER.fullmatch(name)
                if not member.isfile() or not (name in (_DB_MEMBER, _MANIFEST) or match):
                    raise _invalid(archive_path, f"unexpected entry {name!r}")
                if match and match.group(2) != match.group(3)[:2]:
                    raise _invalid(archive_path, f"unexpected entry {name!r}")
                source = archive.extractfile(member)
                if name == _MANIFEST:
                    manifest = _parse_manifest(archive_path, source.read())
                    continue
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with target.open("wb") as handle:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        handle.write(chunk)
                if match:
                    blobs += 1
                    os.utime(target, (member.mtime, member.mtime))
                    if match.group(1) == "original":
                        if digest.hexdigest() != match.group(3):
                            raise _invalid(archive_path, f"photo {match.group(3)} is damaged")
                        originals.add(match.group(3))
    except (tarfile.TarError, EOFError) as error:
        raise _invalid(archive_path, f"not a readable tar file ({error})") from None
    except FileNotFoundError:
        raise _invalid(archive_path, "no such file") from None
    except IsADirectoryError:
        raise _invalid(archive_path, "a folder, not a file") from None
    if manifest is None:
        raise _invalid(archive_path, f"no {_MANIFEST}")
    if not (staging / _DB_MEMBER).is_file():
        raise _invalid(archive_path, f"no {_DB_MEMBER}")
    if blobs != manifest["blobs"]:
        raise _invalid(archive_path, f"{blobs} photo files, the manifest says {manifest['blobs']}")
    return manifest, originals


def _parse_manifest(archive_path: Path, data: bytes) -> dict:
    try:
        manifest = json.loads(data)
    except ValueError:
        raise _invalid(archive_path, f"{_MANIFEST} is not JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        raise _invalid(archive_path, "not an inspector backup")
    if manifest.get("version") != ARCHIVE_VERSION:
        raise _invalid(archive_path, f"backup format version {manifest.get('version')!r} is not known here")
    if not all(isinstance(manifest.get(key), int) for key in ("events", "photos", "blobs")):
        raise _invalid(archive_path, f"{_MANIFEST} lacks its counts")
    return manifest


def _check_unpacked(archive_path: Path, db_path: Path, manifest: dict, originals: set[str]) -> tuple[int, int]:
    """The unpacked database is whole and every photo it names came along; ``(photos, events)``."""
    try:
        integrity, listed, events = read_sqlite(db_path)
    except sqlite3.DatabaseError as error:
        raise _invalid(archive_path, f"the database cannot be read ({error})") from None
    if integrity != "ok":
        raise _invalid(archive_path, f"the database is damaged ({integrity})")
    photos = set(listed)
    absent = photos - originals
    if absent:
        raise _invalid(archive_path, f"{len(absent)} photos lack their file, e.g. {min(absent)}")
    if (len(photos), events) != (manifest["photos"], manifest["events"]):
        raise _invalid(archive_path, "the database does not hold what the manifest counts")
    return len(photos), events


def _swap_in(staging: Path, aside: Path, db_path: Path, blob_dir: Path) -> None:
    """Move the old database (with its -wal and -shm) and blobs into ``aside``, the checked ones in."""
    aside.mkdir()
    # The old -wal must go with the old database: SQLite would replay it into the new one.
    for path in (db_path, _sibling(db_path, "-wal"), _sibling(db_path, "-shm"), blob_dir):
        if path.exists():
            shutil.move(str(path), str(aside / path.name))
    db_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(staging / _DB_MEMBER), str(db_path))
    blob_dir.parent.mkdir(parents=True, exist_ok=True)
    if (staging / "blobs").is_dir():
        shutil.move(str(staging / "blobs"), str(blob_dir))
    else:
        blob_dir.mkdir()
    private_sqlite(db_path)  # 0600, as the server keeps it
    fsync_dir(db_path.parent)


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)

