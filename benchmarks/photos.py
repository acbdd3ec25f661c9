"""Benchmark: ingesting a 12 MP phone photo, ours vs the obvious way; picking three 3 MB photos in the form.

    uv run python benchmarks/photos.py [--runs 15] [--pick-runs 3] [--pick-only]

Generates a 4000x3000 JPEG that compresses like a real photo (gradients,
structure and sensor-like noise, ~4 MB) with EXIF orientation, time and GPS,
then times N runs of

* ours: ``ingest_photo`` (hash, validate, EXIF, display copy and thumbnail
  from one draft-mode decode, write-once store) + ``apply_stamp``;
* naive: the same steps done the obvious way - full decode, ``exif_transpose``,
  Lanczos from full size for each copy - with the same stamp.

Both write to an in-memory blob store, so disk speed does not blur the
comparison. Peak memory is the growth of peak RSS (VmHWM) in a fresh child
process running one ingest (tracemalloc cannot see Pillow's C buffers).

Then picking three 3 MB photos (4000x3000) in the phone's report form: the
real ``ReportView`` in the browser-free UI harness (``tests/ui/conftest.py``:
a Flet session whose messages are serialised as the websocket would), over a
server workspace with the demo data, timing from the picker handing over the
files until each placeholder tile is sent and until each thumbnail is in the
strip, and the longest the event loop was held meanwhile (a 10 ms ticker).
Against, in the same run: the old synchronous path (hash, ``add_photo`` and
the thumbnail of each, one after the other on the event loop, nothing shown
until all three are done: its UI update is not even counted) and hashing alone.
The last line is the summary the CI log greps for.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import itertools
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageFilter, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inspector.photos.blobs import blob_key  # noqa: E402
from inspector.photos.derive import encode_jpeg  # noqa: E402
from inspector.photos.exif import read_exif  # noqa: E402
from inspector.photos.ingest import check_size  # noqa: E402
from inspector.photos.pipeline import ingest_photo  # noqa: E402
from inspector.photos.watermark import Stamp, apply_stamp  # noqa: E402

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 64_000_000
STAMP = Stamp(
    item_number="2026-0715-032",
    category="建筑垃圾未覆盖",
    office="西湖区城管局",
    taken_at="2026-07-15 09:30",
    coordinates="30.27412°N 120.15515°E",
    place="文三路工地",
    inspector="王小明",
)


class MemoryBlobStore:
    """The BlobStore protocol in a dict: benchmarks the pixels, not the disk."""

    def __init__(self):
        self.blobs: dict[str, bytes] = {}

    def put(self, key: str, data: bytes) -> bool:
        if key in self.blobs:
            return False
        self.blobs[key] = data
        return True

    def get(self, key: str) -> bytes:
        return self.blobs[key]

    def exists(self, key: str) -> bool:
        return key in self.blobs


def make_picture() -> Image.Image:
    """12 MP of pixels that do not compress trivially."""
    size = (4000, 3000)
    sky = Image.linear_gradient("L").resize(size)
    fractal = Image.effect_mandelbrot(size, (-2.2, -1.2, 1.0, 1.2), 60)
    texture = Image.effect_noise(size, 70).filter(ImageFilter.GaussianBlur(0.8))
    grain = Image.effect_noise(size, 24)
    red = Image.blend(sky, fractal, 0.5)
    green = Image.blend(texture, sky.transpose(Image.Transpose.FLIP_LEFT_RIGHT), 0.5)
    blue = Image.blend(fractal.transpose(Image.Transpose.FLIP_TOP_BOTTOM), grain, 0.5)
    return Image.merge("RGB", (red, green, blue))


def make_photo(picture: Image.Image | None = None, second: int = 5, quality: int = 90) -> bytes:
    """A 12 MP JPEG that is not trivially compressible, with phone-like EXIF (``second``: its time's
    seconds, so one picture gives photos with different hashes)."""
    picture = picture or make_picture()
    taken = f"2026:07:15 09:{30 + second // 60:02d}:{second % 60:02d}"
    exif = Image.Exif()
    exif[0x0112] = 6  # a phone held upright: stored landscape, shown portrait
    exif[0x0132] = taken
    exif.get_ifd(0x8769).update({0x9003: taken, 0x9011: "+08:00"})
    exif.get_ifd(0x8825).update({1: "N", 2: (30.0, 16.0, 26.832), 3: "E", 4: (120.0, 9.0, 18.54), 6: 12.5})
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def ingest_ours(data: bytes, sha256: str) -> bytes:
    store = MemoryBlobStore()
    ingest_photo(store, data, expected_sha256=sha256, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS)
    return apply_stamp(store.get(blob_key(sha256, "display")), STAMP)


def ingest_naive(data: bytes, sha256: str) -> bytes:
    """The same work as ours, done the straightforward way."""
    store = MemoryBlobStore()
    check_size(len(data), MAX_BYTES)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValueError("hash mismatch")
    image = Image.open(io.BytesIO(data))
    image.load()  # full 12 MP decode
    read_exif(image)
    upright = ImageOps.exif_transpose(image).convert("RGB")
    copies = {}
    for variant, edge in (("display", 1600), ("thumb", 320)):
        scale = edge / max(upright.size)
        size = (round(upright.width * scale), round(upright.height * scale))
        copies[variant] = encode_jpeg(upright.resize(size, Image.Resampling.LANCZOS))
    store.put(blob_key(sha256, "thumb"), copies["thumb"])
    store.put(blob_key(sha256, "display"), copies["display"])
    store.put(blob_key(sha256, "original"), data)
    return apply_stamp(copies["display"], STAMP)


PIPELINES = {"ours": ingest_ours, "naive": ingest_naive}


def time_runs(pipeline, data: bytes, sha256: str, runs: int) -> list[float]:
    pipeline(data, sha256)  # warm-up: imports, font load, allocator
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        pipeline(data, sha256)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def peak_memory_mb(name: str, photo_path: Path) -> float:
    """Peak RSS growth (MB) of one ingest, in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, __file__, "--measure-memory", name, str(photo_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(result.stdout.strip().splitlines()[-1])


def peak_rss_kib() -> int:
    """This process's peak resident memory in KiB.

    VmHWM belongs to the current address space; ``ru_maxrss`` would do too,
    except that Linux carries it over from the parent across exec, which
    hides a child's own peak whenever the parent was bigger.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure_memory(name: str, photo_path: str) -> None:
    data = Path(photo_path).read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    before = peak_rss_kib()
    PIPELINES[name](data, sha256)
    after = peak_rss_kib()
    print(f"{(after - before) / 1024:.1f}")


# --- picking three photos in the report form --------------------------------------------------------
PICKED = 3
PICK_QUALITY = 88  # 4000x3000 at this JPEG quality: about 3 MB, as a phone's photo
TICK_S = 0.01  # the ticker that notices the event loop being held


async def loop_stalls(stop: asyncio.Event, gaps: list[float]) -> None:
    """How late each 10 ms tick of the event loop comes (ms): work on the loop makes it late."""
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(TICK_S)
        gaps.append((time.perf_counter() - started - TICK_S) * 1000)


async def pick_ours(ui, view, photos: list[bytes]) -> dict:
    """Pick ``photos`` in the real form; ms from the hand-over until each placeholder tile was sent and until
    each thumbnail was in the strip, and the longest the event loop was held."""
    shown, thumbs, gaps = {}, {}, []
    show_photos, render = view.show_photos, view.render
    started = time.perf_counter()

    def note() -> None:
        now = (time.perf_counter() - started) * 1000
        for entry in view.intake.incoming:
            shown.setdefault(entry.key, now)
        for picked in view.photos:
            shown.setdefault(picked.sha256, now)  # kept before a placeholder was ever sent: shown now
            if view.thumbs.get(picked.sha256):
                thumbs.setdefault(picked.sha256, now)

    def watched_show() -> None:
        show_photos()
        note()

    def watched_render() -> None:
        render()
        note()

    view.show_photos, view.render = watched_show, watched_render
    stop = asyncio.Event()
    ticker = asyncio.create_task(loop_stalls(stop, gaps))
    ui.devices.pickers["report"].queued = list(photos)
    started = time.perf_counter()
    await ui.click(view.photo_button)  # the fake picker hands the files over at once, as the phone's does
    stop.set()
    await ticker
    view.show_photos, view.render = show_photos, render
    assert len(thumbs) == len(photos), "a thumbnail never came"
    placeholders = sorted(shown.values())[:len(photos)]
    return {"placeholders": placeholders, "thumbs": sorted(thumbs.values()), "stall": max(gaps, default=0.0)}


async def idle_stall(seconds: float = 2.0) -> float:
    """The longest an idle event loop's tick came late (ms): what this machine's load alone costs."""
    stop, gaps = asyncio.Event(), []
    ticker = asyncio.create_task(loop_stalls(stop, gaps))
    await asyncio.sleep(seconds)
    stop.set()
    await ticker
    return max(gaps, default=0.0)


def pick_old(ws, photos: list[bytes]) -> float:
    """The old path: each photo hashed, kept and thumbnailed in turn on the event loop; nothing shows before
    the end (ms)."""
    started = time.perf_counter()
    for data in photos:
        sha256 = hashlib.sha256(data).hexdigest()
        ws.add_photo(data)
        ws.photo(sha256, "thumb")
    return (time.perf_counter() - started) * 1000


def hashing_alone(photos: list[bytes]) -> float:
    started = time.perf_counter()
    for data in photos:
        hashlib.sha256(data).digest()
    return (time.perf_counter() - started) * 1000


async def pick_benchmark(runs: int) -> dict:
    """``runs`` picks of three fresh 3 MB photos each way, in a demo database under a temporary folder."""
    # lazy: the UI harness pulls in Flet, the server and the demo; the memory child needs none of them
    from datetime import datetime, timezone

    from inspector.services import demo
    from inspector.services.context import bootstrap
    from inspector.settings import Settings
    from tests.conftest import Clock
    from tests.ui.conftest import UI, FakeDevices
    from tests.ui.test_report import HERE, report_view

    picture = make_picture()
    seconds = itertools.count()

    def fresh() -> list[bytes]:
        return [make_photo(picture, next(seconds), PICK_QUALITY) for _ in range(PICKED)]

    with tempfile.TemporaryDirectory(prefix="inspector-bench-pick-") as folder:
        settings = Settings(data_dir=Path(folder) / "data", database_url=f"sqlite:///{folder}/inspector.db")
        ctx = bootstrap(settings, clock=Clock(datetime(2026, 7, 15, 1, 30, tzinfo=timezone.utc)))
        demo.fill_if_empty(ctx)
        ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
        view = await report_view(ui)
        pick_old(ui.app.ws, fresh()[:1])  # warm-up: imports, the decoder, the database
        sizes = []
        ours, old, hashing, idle = [], [], [], []
        for run in range(runs):
            mine, theirs = fresh(), fresh()
            sizes += [len(p) for p in mine]
            if run % 2:  # alternate which goes first: neither always meets a warmer cache
                old.append(pick_old(ui.app.ws, theirs))
                ours.append(await pick_ours(ui, view, mine))
            else:
                ours.append(await pick_ours(ui, view, mine))
                old.append(pick_old(ui.app.ws, theirs))
            hashing.append(hashing_alone(mine))
            idle.append(await idle_stall())
            view.reset_state()
            view.thumbs.clear()
            view.render()
        ctx.engine.dispose()
    return {"ours": ours, "old": old, "hashing": hashing, "idle": idle, "mb": statistics.fmean(sizes) / 1e6}


def median_of(runs: list[dict], key: str, index: int) -> float:
    return statistics.median(run[key][index] for run in runs)


def report_pick(result: dict) -> None:
    ours, old, hashing = result["ours"], statistics.median(result["old"]), statistics.median(result["hashing"])
    n = len(ours)
    placeholders = [median_of(ours, "placeholders", i) for i in range(PICKED)]
    thumbs = [median_of(ours, "thumbs", i) for i in range(PICKED)]
    stall = statistics.median(run["stall"] for run in ours)
    idle = statistics.median(result["idle"])
    print(f"pick {PICKED} photos, 4000x3000 JPEG, {result['mb']:.2f} MB each (medians of {n} runs, ms from the "
          "hand-over):")
    print("   ours: placeholders shown at " + ", ".join(f"{v:.0f}" for v in placeholders)
          + "; thumbnails at " + ", ".join(f"{v:.0f}" for v in thumbs)
          + f"; event loop held at most {stall:.0f} ms (idle, on this machine now: {idle:.0f} ms)")
    print(f"    old: nothing shown until {old:.0f} (then all three at once); event loop held {old:.0f} ms")
    print(f"hashing: {hashing:.0f} ms for the three (the least any path must do before it knows the photos)")
    print(f"pick 3x3MB: first placeholder {placeholders[0]:.0f} ms vs {old:.0f} ms old ({old / placeholders[0]:.0f}x "
          f"sooner), last thumbnail {thumbs[-1]:.0f} ms ({thumbs[-1] / old:.2f}x the old path's wait), event loop "
          f"held {stall:.0f} ms vs {old:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--pick-runs", type=int, default=3, help="picks of three 3 MB photos, each way")
    parser.add_argument("--pick-only", action="store_true", help="only the picking of three photos")
    parser.add_argument("--measure-memory", nargs=2, metavar=("PIPELINE", "PHOTO"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_memory:
        measure_memory(*args.measure_memory)
        return 0

    report_pick(asyncio.run(pick_benchmark(args.pick_runs)))
    if args.pick_only:
        return 0
    data = make_photo()
    sha256 = hashlib.sha256(data).hexdigest()
    print(f"photo: 4000x3000 JPEG, {len(data) / 1e6:.2f} MB, EXIF orientation 6 + GPS")
    medians = {}
    for name, pipeline in PIPELINES.items():
        timings = time_runs(pipeline, data, sha256, args.runs)
        medians[name] = statistics.median(timings)
        print(f"{name:>5}: median {medians[name]:.0f} ms (min {min(timings):.0f}, max {max(timings):.0f}, n={len(timings)})")
    with tempfile.TemporaryDirectory() as folder:
        photo_path = Path(folder) / "photo.jpg"
        photo_path.write_bytes(data)
        for name in PIPELINES:
            print(f"{name:>5}: peak memory +{peak_memory_mb(name, photo_path):.0f} MB (peak RSS growth, one ingest)")
    speedup = medians["naive"] / medians["ours"]
    print(f"photo ingest 12MP: median {medians['ours']:.0f} ms, naive {medians['naive']:.0f} ms, speedup {speedup:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
