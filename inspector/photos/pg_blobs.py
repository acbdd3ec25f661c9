"""Photo bytes in the database (INSPECTOR_BLOBS=postgres): servers sharing one PostgreSQL see the same photos.

For installations with several servers and no object store. Each blob is a
row of ``shared_blobs`` (bytea), written once; the SQL is in
``inspector.store.blobs``. The database grows by the photos (about 1 MB per
report with its copies): back it up with ``pg_dump``, which then holds the
photos too. Works on SQLite as well, which the adapter's tests use; a single
server on SQLite is better served by the file store.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable, Iterator

from sqlalchemy.engine import Engine

from inspector.errors import PhotoNotFound
from inspector.photos.blobs import BlobEntry, parse_blob_key, sha256_of_chunks
from inspector.store import blobs as store
from inspector.store.engine import read_session

_PAGE = 1000  # rows per page when walking every blob (keys and times only, never the bytes)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class PgBlobStore:
    """The BlobStore (and MaintainedBlobStore) over the ``shared_blobs`` table of ``engine``.

    ``clock`` stamps each new row's ``created_at``, the age the start-up sweep reads: the
    context's clock, the same one the sweep compares with.
    """

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = _utc_now):
        self.engine = engine
        self.clock = clock

    def put(self, key: str, data: bytes) -> bool:
        parse_blob_key(key)
        with store.blob_session(self.engine) as session:
            return store.put_blob(session, key, bytes(data), self.clock())

    def get(self, key: str) -> bytes:
        variant, sha256 = parse_blob_key(key)
        with read_session(self.engine) as session:
            data = store.blob_data(session, key)
        if data is None:
            raise PhotoNotFound(sha256=sha256, variant=variant)
        return data

    def exists(self, key: str) -> bool:
        parse_blob_key(key)
        with read_session(self.engine) as session:
            return store.blob_exists(session, key)

    # --- maintenance (MaintainedBlobStore) ---------------------------------------------
    def entries(self) -> Iterator[BlobEntry]:
        after = ""
        while True:
            with read_session(self.engine) as session:  # one short read per page, not one held across the walk
                page = store.blob_times(session, after, _PAGE)
            for key, created_at in page:
                yield BlobEntry(key, None, created_at.timestamp())
            if len(page) < _PAGE:
                return
            after = page[-1][0]

    def temp_files(self) -> Iterator:
        """Nothing: a row is written in one transaction, whole or not at all."""
        return iter(())

    def remove(self, key: str, session=None) -> bool:
        parse_blob_key(key)
        if session is not None:  # the caller's transaction: under its lock, and no second writer on SQLite
            return store.remove_blob(session, key)
        with store.blob_session(self.engine) as own:
            return store.remove_blob(own, key)

    def digest(self, key: str) -> str | None:
        try:
            return sha256_of_chunks([self.get(key)])
        except PhotoNotFound:
            return None
