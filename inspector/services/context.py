"""The wiring every use case needs: database, blob store, settings and the clock.

``bootstrap(settings)`` builds the real one; tests build theirs with another
clock or folder. Nothing below reads the time except through ``now()``.
"""

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy.engine import Engine

from inspector.photos.blobs import BlobStore, FileBlobStore
from inspector.settings import Settings
from inspector.store.engine import make_engine
from inspector.store.schema import upgrade


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Context:
    settings: Settings
    engine: Engine
    blobs: BlobStore
    clock: Callable[[], datetime] = field(default=utc_now)

    def now(self) -> datetime:
        return self.clock()


def bootstrap(settings: Settings, clock: Callable[[], datetime] = utc_now, migrate: bool = True) -> Context:
    """A context over the configured database (migrated to the newest schema) and blob folder."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url())
    if migrate:
        upgrade(engine)
    return Context(settings=settings, engine=engine, blobs=FileBlobStore(settings.blob_dir), clock=clock)
