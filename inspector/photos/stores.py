"""Which blob store an installation keeps its photos in: ``INSPECTOR_BLOBS`` = file, s3 or postgres.

* ``file`` (the default): the data folder's ``blobs/`` (``inspector.photos.blobs``). One server,
  or several that share that folder over a network file system.
* ``s3``: an S3-compatible bucket (``inspector.photos.s3_blobs``); boto3 is loaded only then.
* ``postgres``: the ``shared_blobs`` table of the server's own database (``inspector.photos.pg_blobs``).

Servers behind one load balancer must all name the same store; with ``file`` and separate
``--data`` folders a photo uploaded to one is not found on the other (a 404).
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlalchemy.engine import Engine

from inspector.errors import BlobStoreUnavailable
from inspector.photos.blobs import FileBlobStore, MaintainedBlobStore
from inspector.photos.pg_blobs import PgBlobStore
from inspector.store.blobs import blob_engine


def open_blob_store(settings, engine: Engine, clock: Callable[[], datetime]) -> MaintainedBlobStore:
    """The store ``settings.blobs`` names; ``postgres`` is on the database ``engine`` serves (with a pool
    of its own), its rows stamped by ``clock``."""
    if settings.blobs == "s3":
        try:
            from inspector.photos.s3_blobs import S3BlobStore  # lazy: boto3 is optional (the s3 extra), for s3 only
        except ImportError as error:
            raise BlobStoreUnavailable(store="s3", problem="boto3 is not installed (uv sync --extra s3)") from error
        return S3BlobStore.from_settings(settings)
    if settings.blobs == "postgres":
        # the same database, a pool of its own (see blob_engine)
        return PgBlobStore(blob_engine(engine.url.render_as_string(hide_password=False)), clock)
    return FileBlobStore(settings.blob_dir)


def store_name(settings) -> str:
    """The store in words an operator recognises: the folder, ``s3://bucket/prefix``, or the database table."""
    if settings.blobs == "s3":
        return f"s3://{settings.s3_bucket}/{settings.s3_prefix}"
    if settings.blobs == "postgres":
        return "the database table shared_blobs"
    return str(settings.blob_dir.resolve())
