"""The web client's static files, compressed once and cached by the browser.

A phone on 4G should not fetch 15 MB of WebAssembly, JavaScript and fonts
uncompressed, nor fetch them again on every visit. ``CompressedStatic`` wraps
the static-file app that serves them (Flet's ``FletStaticFiles``) and:

- compresses each file once, the first time it is asked for, into brotli and
  gzip copies in a cache folder (named by the content's SHA-256, so a restart
  reuses them and a changed file gets new ones). The first copies are made
  fast (the first phone waits under two seconds for ``main.dart.wasm``), then
  one background thread replaces them with the smallest ones (brotli quality
  11; gzip by libdeflate at its level 12, 5 % smaller than zlib's 9 and as
  small as zopfli at a fifth of its CPU): never per request;
- answers ``Accept-Encoding`` with ``Content-Encoding`` and ``Vary``;
- caches for a year (``immutable``) the files whose name carries a version or
  a hash, and has the browser revalidate the rest (``no-cache``) with an ETag
  of the content, answered by a 304.

HTML pages pass through untouched (a few kB, revalidated): the security
headers hash their inline scripts, which needs the page uncompressed.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import mimetypes
import os
import re
import threading
import time
import queue
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import brotli
import deflate
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from inspector.files import write_atomically

log = logging.getLogger(__name__)

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# A version ("hls1.4.10.js", "micropip-0.11.1-…") or a content hash ("main.3f9a0c1d.js") in the name.
VERSIONED = re.compile(r"\d+\.\d+\.\d+|[.-][0-9a-f]{8,}\.")
# Formats that are compressed already: a second pass only costs CPU.
PACKED = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff2", ".gz", ".br", ".zip", ".whl", ".tar"}
MIN_SIZE = 1024
STALE_SECONDS = 3600
# (encoding, file suffix, quick compressor, best compressor); the suffix names the best one's recipe
ENCODINGS = (
    ("br", ".br", lambda data: brotli.compress(data, quality=5), lambda data: brotli.compress(data, quality=11)),
    ("gzip", ".ld12.gz", lambda data: gzip.compress(data, 6, mtime=0), lambda data: deflate.gzip_compress(data, 12)),
)
# Best copies of an older recipe (zlib's gzip 9, named "<digest>.gz"): swept once an hour old.
_OLD_RECIPE = re.compile(r"[0-9a-f]{64}(\.quick)?\.gz")


@dataclass(frozen=True)
class Prepared:
    """One source file ready to serve: its content ETag and its compressed copies by encoding."""

    etag: str
    copies: dict[str, tuple[Path, Path]]  # encoding -> (best copy, quick copy); the best once it exists

    def copy_for(self, encoding: str) -> Path | None:
        """The best copy in ``encoding`` that exists now, if any."""
        for path in self.copies.get(encoding, ()):
            if path.is_file():
                return path
        return None


def cache_control(path: str) -> str:
    """``immutable`` for a versioned name, revalidation for the rest."""
    return IMMUTABLE if VERSIONED.search(Path(path).name) else REVALIDATE


def accepted_encodings(header: str | None) -> set[str]:
    """The encodings an ``Accept-Encoding`` header takes (q > 0)."""
    taken = set()
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name and q > 0:
            taken.add(name.strip().lower())
    return taken


def etag_matches(header: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (weak comparison, as RFC 9110 asks for it)."""
    if not header:
        return False
    bare = etag.removeprefix("W/")
    return any(tag.strip() == "*" or tag.strip().removeprefix("W/") == bare for tag in header.split(","))


class CompressionCache:
    """Compressed copies of source files in ``folder``, each made once (see the module docstring)."""

    def __init__(self, folder: Path, best: bool = True):
        self.folder, self.best = Path(folder), best
        self._lock = threading.Lock()
        self._prepared: dict[tuple[str, int, int], Future] = {}
        # One daemon thread makes the best copies, one file at a time: a stopping server does not
        # wait for it (an interrupted copy leaves a ".tmp-" file, removed by a later start).
        self._best: queue.Queue = queue.Queue()
        self._worker: threading.Thread | None = None
        self._sweep()

    def _sweep(self) -> None:
        """Remove interrupted writes and quick copies a best one replaced, once an hour old:
        another server sharing the folder may be writing or serving them right now."""
        for path in (*self.folder.glob(".tmp-*"), *self.folder.glob("*.quick.*"), *self.folder.glob("*.gz")):
            best = path.with_name(path.name.replace(".quick", ""))
            try:
                old = time.time() - path.stat().st_mtime > STALE_SECONDS
            except FileNotFoundError:
                continue
            replaced = ".quick." in path.name and best.is_file()
            if old and (path.name.startswith(".tmp-") or replaced or _OLD_RECIPE.fullmatch(path.name)):
                path.unlink(missing_ok=True)

    def prepare(self, source: Path, stat: os.stat_result) -> Prepared:
        """The prepared form of ``source`` (blocking: call it from a worker thread)."""
        key = (str(source), stat.st_mtime_ns, stat.st_size)
        with self._lock:
            future, mine = self._prepared.get(key), False
            if future is None:
                future, mine = Future(), True
                self._prepared[key] = future
        if mine:  # concurrent first requests wait for this one instead of compressing too
            try:
                future.set_result(self._make(source))
            except BaseException as error:
                with self._lock:
                    self._prepared.pop(key, None)
                future.set_exception(error)
        return future.result()

    def _make(self, source: Path) -> Prepared:
        data = source.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        etag = f'W/"{digest[:32]}"'
        if source.suffix.lower() in PACKED or len(data) < MIN_SIZE:
            return Prepared(etag, {})
        self.folder.mkdir(parents=True, exist_ok=True)
        copies, missing = {}, []
        for encoding, suffix, quick, best in ENCODINGS:
            best_path, quick_path = self.folder / f"{digest}{suffix}", self.folder / f"{digest}.quick{suffix}"
            copies[encoding] = (best_path, quick_path)
            if not best_path.is_file():
                if not quick_path.is_file():
                    write_atomically(quick_path, quick(data))
                missing.append((best_path, best))
        if missing and self.best:
            self._best.put((source.name, data, missing))
            with self._lock:
                if self._worker is None:
                    self._worker = threading.Thread(target=self._make_best, name="static-compress", daemon=True)
                    self._worker.start()
        return Prepared(etag, copies)

    def _make_best(self) -> None:
        while True:
            name, data, missing = self._best.get()
            try:
                for best_path, best in missing:
                    # the quick copy stays (see _sweep): a request may be between its stat and its open
                    write_atomically(best_path, best(data))
            except OSError as error:  # the quick copy keeps serving; the next start tries again
                log.warning("could not write the best compressed copy of %s: %s", name, error)
            finally:
                self._best.task_done()

    def wait_for_best(self) -> None:
        """Block until every best copy asked for so far is written (benchmarks; a server never waits)."""
        self._best.join()


class CompressedStatic:
    """ASGI wrapper of a Starlette ``StaticFiles`` app: compressed copies and caching headers."""

    def __init__(self, files: StaticFiles, cache: CompressionCache):
        self.files, self.cache = files, cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.files(scope, receive, send)
            return
        if getattr(self.files, "all_directories", None) is None:
            await self._configure(scope)
        path = self.files.get_path(scope)
        full_path, stat = await run_in_threadpool(self.files.lookup_path, path)
        source = Path(full_path) if stat is not None else None
        if source is None or not source.is_file() or source.suffix.lower() in (".html", ".htm"):
            await self.files(scope, receive, self._with_header(send, REVALIDATE))  # pages, folders, 404s
            return
        prepared = await run_in_threadpool(self.cache.prepare, source, stat)
        await self._respond(scope, receive, send, source, prepared, cache_control(path))

    async def _configure(self, scope: Scope) -> None:
        """Let a lazily configured app (Flet's builds its web root on first use) do so, answering nothing."""
        async def nothing() -> Message:
            return {"type": "http.disconnect"}

        async def discard(message: Message) -> None:
            pass

        await self.files({**scope, "method": "HEAD"}, nothing, discard)

    async def _respond(self, scope: Scope, receive: Receive, send: Send, source: Path, prepared: Prepared,
                       caching: str) -> None:
        request = Headers(scope=scope)
        headers = {"ETag": prepared.etag, "Cache-Control": caching}
        if prepared.copies:
            headers["Vary"] = "Accept-Encoding"
        if etag_matches(request.get("if-none-match"), prepared.etag):
            await Response(status_code=304, headers=headers)(scope, receive, send)
            return
        media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        body, taken = source, accepted_encodings(request.get("accept-encoding"))
        for encoding, *_ in ENCODINGS:  # ours in order of preference: brotli is the smaller
            copy = prepared.copy_for(encoding) if encoding in taken else None
            if copy is not None:
                body, headers["Content-Encoding"] = copy, encoding
                break
        await FileResponse(body, media_type=media_type, headers=headers)(scope, receive, send)

    @staticmethod
    def _with_header(send: Send, caching: str) -> Send:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", []))
                MutableHeaders(scope=message).setdefault("Cache-Control", caching)
            await send(message)

        return sending
