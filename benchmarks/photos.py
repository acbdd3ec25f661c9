"""Benchmark: ingesting a 12 MP phone photo, ours vs the obvious way.

    uv run python benchmarks/photos.py [--runs 15]

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
The last line is the summary the CI log greps for.
"""

from __future__ import annotations

import argparse
import hashlib
import io
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


def make_photo() -> bytes:
    """A 12 MP JPEG that is not trivially compressible, with phone-like EXIF."""
    size = (4000, 3000)
    sky = Image.linear_gradient("L").resize(size)
    fractal = Image.effect_mandelbrot(size, (-2.2, -1.2, 1.0, 1.2), 60)
    texture = Image.effect_noise(size, 70).filter(ImageFilter.GaussianBlur(0.8))
    grain = Image.effect_noise(size, 24)
    red = Image.blend(sky, fractal, 0.5)
    green = Image.blend(texture, sky.transpose(Image.Transpose.FLIP_LEFT_RIGHT), 0.5)
    blue = Image.blend(fractal.transpose(Image.Transpose.FLIP_TOP_BOTTOM), grain, 0.5)
    picture = Image.merge("RGB", (red, green, blue))

    exif = Image.Exif()
    exif[0x0112] = 6  # a phone held upright: stored landscape, shown portrait
    exif[0x0132] = "2026:07:15 09:30:05"
    exif.get_ifd(0x8769).update({0x9003: "2026:07:15 09:30:05", 0x9011: "+08:00"})
    exif.get_ifd(0x8825).update({1: "N", 2: (30.0, 16.0, 26.832), 3: "E", 4: (120.0, 9.0, 18.54), 6: 12.5})
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90, exif=exif)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--measure-memory", nargs=2, metavar=("PIPELINE", "PHOTO"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_memory:
        measure_memory(*args.measure_memory)
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
