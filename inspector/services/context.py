"""The wiring every use case needs: database, blob store, settings and the clock.

``bootstrap(settings)`` builds the real one; tests build theirs with another
clock or folder. Nothing below reads the time except through ``now()``.
``INSPECTOR_CLOCK_START`` (development and tests only) starts the clock at a
given instant; it then runs on with real elapsed time.
"""

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy.engine import Engine

from inspector.photos.blobs import BlobStore
from inspector.photos.stores import open_blob_store
from inspector.services.maintenance import sweep as sweep_blobs
from inspector.settings import Settings
from inspector.store.engine import make_engine
from inspector.store.private import private_dir
from inspector.store.schema import upgrade


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def running_clock(start: datetime) -> Callable[[], datetime]:
    """A clock that reads ``start`` now and runs on with real elapsed time (monotonic, so it never steps back)."""
    origin = time.monotonic()
    start = start.astimezone(timezone.utc)

    def now() -> datetime:
        return start + timedelta(seconds=time.monotonic() - origin)

    return now


def settings_clock(settings: Settings) -> Callable[[], datetime]:
    """The clock ``settings`` ask for: the wall clock, or one started at ``clock_start``."""
    return running_clock(settings.clock_start) if settings.clock_start is not None else utc_now


@dataclass
class Context:
    settings: Settings
    engine: Engine
    blobs: BlobStore
    clock: Callable[[], datetime] = field(default=utc_now)

    def now(self) -> datetime:
        return self.clock()


def bootstrap(settings: Settings, clock: Callable[[], datetime] | None = None, migrate: bool = True,
              sweep: bool = False) -> Context:
    """A context over the configured database (migrated to the newest schema) and blob store
    (``INSPECTOR_BLOBS``: see ``inspector.photos.stores``).

    Without ``clock`` the context reads the time through ``settings_clock(settings)``.
    ``sweep`` (the server's start-up) removes what killed uploads left in the blob
    folder: see ``inspector.services.maintenance.sweep``.
    """
    clock = clock or settings_clock(settings)
    private_dir(settings.data_dir)  # 0700: it holds the database, photos and the secret key
    engine = make_engine(settings.resolved_database_url())
    if migrate:
        upgrade(engine)
    ctx = Context(settings=settings, engine=engine, blobs=open_blob_store(settings, engine, clock), clock=clock)
    if sweep:
        sweep_blobs(ctx)
    return ctx
