"""Nothing lost, nothing left behind: the start-up sweep, ``check``, ``backup`` and ``restore``.

* :func:`sweep` removes what a killed upload leaves in the blob store: ``.tmp-*``
  files and blobs that no photo row names. Only things older than a grace period
  go, timed by the context's clock against the files' mtimes (an object's
  LastModified, a row's created_at): another server sharing the store may be in
  the middle of a photo PUT, whose blobs exist a moment before its row does (the
  pipeline writes bytes first, then the row). Every store can be swept and checked
  (``inspector.photos.blobs.MaintainedBlobStore``); on S3 both list the bucket.
* :func:`check` compares the database with the blob store and the items table
  with the event log, and says what is wrong in words.
* :func:`backup` and :func:`restore` (``inspector.services.backup``, named here
  too, as the CLI knows them) copy a live SQLite database and its blobs into
  one tar file and put such a file back in place.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from datetime import timedelta
from typing import Iterable

from inspector.domain.items import project
from inspector.errors import BlobStoreUnsupported
from inspector.i18n import t
from inspector.photos.blobs import VARIANTS, MaintainedBlobStore, blob_key
from inspector.services.backup import BackupResult, RestoreResult, backup, restore, sqlite_path
from inspector.store import maintenance as store
from inspector.store.engine import read_session, write_session

__all__ = ["FINDING_KINDS", "SWEEP_GRACE", "BackupResult", "Finding", "RestoreResult", "Swept", "backup", "check",
           "findings_json", "restore", "sqlite_path", "sweep"]

log = logging.getLogger(__name__)

# Long beside the life of an upload (its temp file lives for one fsync, its blobs
# wait for the row's write lock at most the 30 s busy timeout), short beside a restart.
SWEEP_GRACE = timedelta(hours=1)
_SWEEP_BATCH = 200  # hashes per write transaction: short holds of the write lock


# --- sweep ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Swept:
    temp_files: int
    blobs: int


def sweep(ctx, grace: timedelta = SWEEP_GRACE) -> Swept:
    """Remove temp files and unnamed blobs older than ``grace``; how many of each went.

    A blob is unnamed when no photo row has its hash: a photo whose upload
    died between writing its bytes and its row, and with it its derived copies
    (display, thumb, stamped). A hash goes only when all its blobs are old, and
    its original first, so "the original exists" still implies "its copies
    exist" (what the pipeline and HEAD rely on) if this is cut short.
    """
    blobs = _maintained(ctx, "sweep")
    cutoff = (ctx.now() - grace).timestamp()
    temp_removed = 0
    for path, mtime in blobs.temp_files():
        if mtime < cutoff:
            try:
                path.unlink()
                temp_removed += 1
            except FileNotFoundError:
                pass  # its put finished or another sweep took it
    youngest: dict[str, float] = {}
    for entry in blobs.entries():
        sha256 = entry.key.split("/", 1)[1]
        youngest[sha256] = max(youngest.get(sha256, 0.0), entry.mtime)
    with read_session(ctx.engine) as session:
        named = store.photo_names(session)
    candidates = sorted(sha for sha, mtime in youngest.items() if mtime < cutoff and sha not in named)
    removed = 0
    for start in range(0, len(candidates), _SWEEP_BATCH):
        batch = candidates[start:start + _SWEEP_BATCH]
        # Under the write lock: a photo row committed since the listing above is seen
        # here and its blobs stay; and put_photo, which may have found these files just
        # before we remove them, looks for its original under the same lock before it
        # writes its row (and writes the files again if they are gone).
        with write_session(ctx.engine) as session:
            still_named = store.photo_names(session, among=batch)
            for sha256 in batch:
                if sha256 in still_named:
                    continue
                for variant in VARIANTS:  # "original" first, see the docstring
                    # a store in this database removes in this transaction, under this lock
                    removed += blobs.remove(blob_key(sha256, variant), session=session)
    if temp_removed or removed:
        log.warning("start-up sweep: removed %d temp files and %d blobs no photo names", temp_removed, removed)
    return Swept(temp_files=temp_removed, blobs=removed)


def _maintained(ctx, operation: str) -> MaintainedBlobStore:
    """The context's store, if it can be listed (every store of ``inspector.photos.stores`` can)."""
    if not isinstance(ctx.blobs, MaintainedBlobStore):
        raise BlobStoreUnsupported(operation=operation, store=type(ctx.blobs).__name__)
    return ctx.blobs


# --- check ---------------------------------------------------------------------------
# What check can find; the words are "check.<kind>" in the catalogues.
FINDING_KINDS = (
    "blob_missing",        # a photo row whose original is not in the store
    "blob_corrupt",        # an original whose bytes no longer hash to its name
    "blob_orphan",         # a blob no photo row names
    "temp_file",           # a .tmp-* file an interrupted upload left
    "item_photo_missing",  # item_photos names a photo that has no row
    "item_mismatch",       # an items row differs from the projection of its events
    "item_missing",        # events of an item that has no row
    "item_without_events", # an items row with no events
)


@dataclass(frozen=True)
class Finding:
    kind: str
    subject: str  # a photo hash, an item id, a file path
    detail: dict = field(default_factory=dict)

    def words(self, lang: str = "zh-CN") -> str:
        """The finding as a sentence in ``lang``."""
        return t(f"check.{self.kind}", lang, subject=self.subject, **self.detail)


def check(ctx) -> list[Finding]:
    """Everything that does not add up between the database, the blob store and the log."""
    blobs = _maintained(ctx, "check")
    findings: list[Finding] = []
    with read_session(ctx.engine) as session:
        photos = store.photo_names(session)
        links = store.photo_links(session)
    stored: dict[str, set[str]] = {}
    for entry in blobs.entries():
        variant, sha256 = entry.key.split("/", 1)
        stored.setdefault(sha256, set()).add(variant)
    for sha256 in sorted(photos):
        if "original" not in stored.get(sha256, ()):
            findings.append(Finding("blob_missing", sha256))
        elif blobs.digest(blob_key(sha256, "original")) != sha256:  # reads every original: S3 downloads it
            findings.append(Finding("blob_corrupt", sha256))
    for sha256 in sorted(set(stored) - photos):
        findings.append(Finding("blob_orphan", sha256, {"variants": ", ".join(sorted(stored[sha256]))}))
    for path, _ in blobs.temp_files():
        findings.append(Finding("temp_file", str(path)))
    for item_id, sha256 in links:
        if sha256 not in photos:
            findings.append(Finding("item_photo_missing", item_id, {"sha256": sha256}))
    findings += _projection_findings(ctx)
    return findings


def _projection_findings(ctx) -> list[Finding]:
    """Rebuild every item from its events (the domain's ``project``) and compare with its row."""
    findings = []
    zone = ctx.settings.zone
    with read_session(ctx.engine) as session:
        rows = store.item_states(session)
        for item_id, events in store.item_logs(session):
            rebuilt = project(events, zone)
            stored = rows.pop(item_id, None)
            if stored is None:
                findings.append(Finding("item_missing", item_id))
            elif rebuilt != stored:
                differ = [f.name for f in fields(stored) if getattr(stored, f.name) != getattr(rebuilt, f.name)]
                findings.append(Finding("item_mismatch", stored.number or item_id, {"fields": ", ".join(differ)}))
    for item_id, stored in rows.items():
        findings.append(Finding("item_without_events", stored.number or item_id))
    return findings


def findings_json(findings: Iterable[Finding], lang: str) -> str:
    """The findings for machines: ``{"clean": bool, "findings": [{kind, subject, detail, words}]}``."""
    listed = [dict(asdict(finding), words=finding.words(lang)) for finding in findings]
    return json.dumps({"clean": not listed, "findings": listed}, ensure_ascii=False, indent=2)
