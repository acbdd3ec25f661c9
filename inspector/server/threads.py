"""Where the slow, blocking work of a request runs: a thread gate of its own per kind of work.

FastAPI runs every plain ``def`` route and dependency on anyio's shared thread
limiter (40 threads). Two kinds of requests hold a thread for long and come in
crowds: logins (argon2id, about 100 ms of both cores and 64 MiB each) and photo
uploads (decoding and resizing a phone photo, tens of milliseconds of CPU).
Sent to the shared limiter, a morning's 50 logins took all 40 threads, most of
them only waiting for a hash slot (``inspector.services.auth.HASH_SLOTS``), and a
push that needs a thread for a few milliseconds waited seconds behind them.

Here each kind waits for its own limiter *before* it takes a thread, as a
cheap coroutine on the event loop: at most ``HASH_SLOTS.size`` logins and
``PHOTO_THREADS`` uploads hold threads at once, so pushes, pulls and reads
always find one, and the CPU-bound work is not spread over more threads than
there are cores to run it (which only adds switching and memory).
"""

import asyncio
import os
import weakref
from functools import partial

import anyio
import anyio.to_thread

from inspector.services.auth import HASH_SLOTS

# Decoding and resizing release the GIL: one upload per core keeps the cores busy, more only queue inside.
PHOTO_THREADS = max(2, os.cpu_count() or 1)

_SIZES = {"login": HASH_SLOTS.size, "photo": PHOTO_THREADS}
# A limiter belongs to one event loop: made on first use in each (tests serve several apps, a loop each).
_limiters: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict]" = weakref.WeakKeyDictionary()


def _limiter(kind: str) -> anyio.CapacityLimiter:
    own = _limiters.setdefault(asyncio.get_running_loop(), {})
    if kind not in own:
        own[kind] = anyio.CapacityLimiter(_SIZES[kind])
    return own[kind]


async def run_gated(kind: str, fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` on a worker thread once one of ``kind``'s slots is free
    (``login`` or ``photo``); the request waits on the event loop, holding no thread."""
    return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs), limiter=_limiter(kind))
