"""Nothing lost, nothing left behind: start-up sweep, ``inspector check``, ``backup`` and ``restore``.

Real parts throughout: the blob folder on disk, the test's database (SQLite or
PostgreSQL), ``inspector serve`` as a child process that is SIGKILLed and
restarted, and the command line run as a child process too.
"""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import select

from inspector.photos.blobs import VARIANTS, FileBlobStore, blob_key
from inspector.photos.pipeline import ingest_photo
from inspector.services import demo, maintenance, photos
from inspector.services.context import bootstrap
from inspector.settings import Settings
from inspector.store.engine import read_session, write_session
from inspector.store.models import EventRow, Item, ItemPhoto
from tests.conftest import PG_URL, ROOT
from tests.factories import jpeg, person, reported, sha, stored_photo, wire

SQLITE_ONLY = pytest.mark.skipif(
    bool(PG_URL), reason="inspector backup/restore cover SQLite only; PostgreSQL is backed up with pg_dump "
                         "and a copy of the blob folder (README, Backups)")
PASSWORD = "backup-drill-2026"  # long and uncommon enough for the password rules


@pytest.fixture(autouse=True)
def _child_processes_cache_bytecode(monkeypatch, tmp_path_factory):
    """Child processes compile the sources once per worker (the environment may forbid bytecode)."""
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", str(tmp_path_factory.getbasetemp() / "pycache"))


def cli(*args, env_extra=None, database_url=None):
    """The command line as a child process, as an operator runs it."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "inspector", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=300)


@pytest.fixture
def run(monkeypatch, capsys):
    """The command line in this process (quicker on a busy machine): ``run(*args) -> CompletedProcess``."""
    def call(*args, database_url=None, lang="en_US.UTF-8"):
        from inspector.cli import main

        with monkeypatch.context() as scope:
            scope.setenv("LANG", lang)
            if database_url:
                scope.setenv("DATABASE_URL", database_url)
            else:
                scope.delenv("DATABASE_URL", raising=False)
            capsys.readouterr()
            code = main(list(args))
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return call


def age(path: Path, seconds_before: float) -> Path:
    """Give ``path`` an mtime ``seconds_before`` the given instant (a POSIX timestamp pair)."""
    os.utime(path, (seconds_before, seconds_before))
    return path


def plant_killed_upload(blobs, data: bytes, mtime: float) -> str:
    """What a server SIGKILLed in a photo PUT leaves: the photo's copies written, its row never."""
    sha256 = sha(data)
    for variant in ("thumb", "display", "original", "stamped"):
        blobs.put(blob_key(sha256, variant), data if variant == "original" else b"derived " + variant.encode())
        age(blobs.path_for(blob_key(sha256, variant)), mtime)
    return sha256


def plant_temp_file(blobs, mtime: float, name: str) -> Path:
    """A ``.tmp-*`` file of a put that died before publishing."""
    shard = blobs.root / "original" / "ab"
    shard.mkdir(parents=True, exist_ok=True)
    path = shard / f".tmp-{name}"
    path.write_bytes(b"half a photo")
    return age(path, mtime)


def crashed_sqlite(path: Path) -> None:
    """A SQLite file as a killed server leaves it: its last writes only in the -wal, not checkpointed."""
    wal = path.with_name(path.name + "-wal")
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA wal_autocheckpoint=0")
    connection.execute("CREATE TABLE events (id TEXT)")
    connection.executemany("INSERT INTO events VALUES (?)", [(f"old-{n}",) for n in range(500)])
    frames = wal.read_bytes()
    connection.close()  # checkpoints and removes the -wal: put it back as the crash left it
    wal.write_bytes(frames)


def all_keys(blobs) -> set[str]:
    return {entry.key for entry in blobs.entries()}


# --- sweep -------------------------------------------------------------------------------
def test_start_up_sweep_removes_old_leftovers_and_keeps_young_ones_and_named_photos(settings, clock):
    """Ages are the Context's clock minus the files' mtimes: the test moves the clock, not the files."""
    ctx = bootstrap(settings, clock=clock)
    inspector = person(ctx, "xuncha", "inspector", password=PASSWORD)
    named = stored_photo(ctx, inspector, seed=1)
    now = clock().timestamp()
    for variant in ("original", "display", "thumb"):  # a named photo stays however old its files are
        age(ctx.blobs.path_for(blob_key(named, variant)), now - 86400)
    old_orphan = plant_killed_upload(ctx.blobs, jpeg(2), now - 7200)
    young_orphan = plant_killed_upload(ctx.blobs, jpeg(3), now - 60)  # a PUT in flight elsewhere
    old_temp = plant_temp_file(ctx.blobs, now - 7200, "old")
    young_temp = plant_temp_file(ctx.blobs, now - 60, "young")
    ctx.engine.dispose()

    swept = bootstrap(settings, clock=clock, sweep=True)
    assert not old_temp.exists() and young_temp.exists()
    keys = all_keys(swept.blobs)
    assert not any(key.endswith(old_orphan) for key in keys)
    assert {blob_key(young_orphan, v) for v in VARIANTS} <= keys
    assert {blob_key(named, v) for v in ("original", "display", "thumb")} <= keys
    swept.engine.dispose()

    clock.advance(hours=1)  # the young leftovers are now past the grace period too
    later = bootstrap(settings, clock=clock, sweep=True)
    assert not young_temp.exists()
    assert all_keys(later.blobs) == {blob_key(named, v) for v in ("original", "display", "thumb")}
    later.engine.dispose()


def test_a_killed_servers_leftovers_are_swept_when_it_starts_again(server_process, ctx):
    """``inspector serve`` SIGKILLed mid-upload, then started again, clears the leftovers before it answers."""
    person(ctx, "xuncha", "inspector", password=PASSWORD)
    server = server_process().start()
    with httpx.Client(base_url=server.url, timeout=30) as http:
        token = http.post("/api/auth/token", json={"username": "xuncha", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        photo = jpeg(5)
        assert http.put(f"/api/photos/{sha(photo)}", content=photo, headers=headers).status_code in (200, 201)
    server.kill()  # SIGKILL
    blobs = bootstrap(Settings(data_dir=server.data_dir, database_url=ctx.settings.resolved_database_url()),
                      clock=ctx.clock).blobs
    hours_ago = time.time() - 7200  # the child reads the wall clock
    dead = plant_killed_upload(blobs, jpeg(6), hours_ago)
    temp = plant_temp_file(blobs, hours_ago, "killed")
    assert blob_key(dead, "original") in all_keys(blobs) and temp.exists()

    server.start()
    assert not temp.exists()
    assert not any(key.endswith(dead) for key in all_keys(blobs))
    with httpx.Client(base_url=server.url, timeout=30) as http:
        token = http.post("/api/auth/token", json={"username": "xuncha", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        assert http.head(f"/api/photos/{sha(photo)}", headers=headers).status_code == 200
        assert http.get(f"/api/photos/{sha(photo)}", params={"variant": "original"},
                        headers=headers).content == photo


class SweptMidUpload(FileBlobStore):
    """The real blob folder, where another server's start-up sweep runs at the worst moment of an upload:
    right after the upload found the photo's old, unnamed files complete, before it writes the row."""

    def __init__(self, root: Path, sweep):
        super().__init__(root)
        self.sweep = sweep

    def exists(self, key: str) -> bool:
        found = super().exists(key)
        if key.startswith("thumb/") and self.sweep:  # the last of the pipeline's "already complete?" checks
            sweep, self.sweep = self.sweep, None
            sweep()
        return found


def test_an_upload_racing_a_sweep_of_its_old_orphan_files_still_ends_with_its_files(settings, clock):
    ctx = bootstrap(settings, clock=clock)
    inspector = person(ctx, "xuncha", "inspector", password=PASSWORD)
    data = jpeg(8)
    ingest_photo(ctx.blobs, data, expected_sha256=None, max_bytes=10**8, max_pixels=10**8)  # a killed upload
    for entry in ctx.blobs.entries():
        age(entry.path, clock().timestamp() - 7200)
    other_server = bootstrap(settings, clock=clock)
    ctx.blobs = SweptMidUpload(settings.blob_dir, lambda: maintenance.sweep(other_server))
    try:
        photos.put_photo(ctx, inspector, sha(data), data)
        assert ctx.blobs.sweep is None, "the sweep did not run inside the upload"
        assert maintenance.check(ctx) == []
        assert photos.photo_bytes(ctx, inspector, sha(data), "original") == data
    finally:
        other_server.engine.dispose()
        ctx.engine.dispose()


# --- check -------------------------------------------------------------------------------
def test_check_says_clean_on_a_clean_store(ctx):
    demo.fill_if_empty(ctx, items=8)
    assert maintenance.check(ctx) == []
    result = cli("check", "--data", str(ctx.settings.data_dir), database_url=ctx.settings.resolved_database_url(),
                 env_extra={"LANG": "en_US.UTF-8"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Clean: the database, the photo folder and the items' events agree"


def test_check_finds_each_kind_of_damage_and_says_it_in_words(ctx, run):
    demo.fill_if_empty(ctx, items=8)
    with read_session(ctx.engine) as session:
        links = session.exec(select(ItemPhoto).order_by(ItemPhoto.sha256)).all()
        item = session.exec(select(Item).order_by(Item.number)).first()
    missing, corrupt = links[0].sha256, links[1].sha256
    ctx.blobs.path_for(blob_key(missing, "original")).unlink()
    damaged = ctx.blobs.path_for(blob_key(corrupt, "original"))
    damaged.write_bytes(damaged.read_bytes()[:-10] + b"0123456789")
    orphan = sha(jpeg(99))
    ctx.blobs.put(blob_key(orphan, "original"), jpeg(99))
    temp = plant_temp_file(ctx.blobs, time.time(), "stray")
    ghost = "f" * 64
    with write_session(ctx.engine) as session:
        session.add(ItemPhoto(item_id=item.id, sha256=ghost, event_id=links[0].event_id, role="before"))
        # The row says something its events never said.
        session.execute(text("UPDATE items SET rework_count = rework_count + 5 WHERE id = :id"), {"id": item.id})

    findings = maintenance.check(ctx)
    found = {(f.kind, f.subject) for f in findings}
    assert found == {
        ("blob_missing", missing), ("blob_corrupt", corrupt), ("blob_orphan", orphan), ("temp_file", str(temp)),
        ("item_photo_missing", item.id), ("item_mismatch", item.number),
    }
    mismatch = next(f for f in findings if f.kind == "item_mismatch")
    assert mismatch.detail == {"fields": "rework_count"}

    url = ctx.settings.resolved_database_url()
    words = run("check", "--data", str(ctx.settings.data_dir), database_url=url)
    assert words.returncode == 1, words.stderr
    assert f"Photo {missing}: its file is missing from the photo folder" in words.stdout
    assert f"Photo {corrupt}: its file is damaged" in words.stdout
    assert f"Item {item.number}: the stored row differs from its events in rework_count" in words.stdout
    assert words.stdout.strip().endswith("6 problems found")
    chinese = run("check", "--data", str(ctx.settings.data_dir), database_url=url, lang="zh_CN.UTF-8")
    assert chinese.returncode == 1 and f"照片 {missing}：照片目录中缺少其文件" in chinese.stdout
    machine = run("check", "--data", str(ctx.settings.data_dir), "--json", database_url=url)
    assert machine.returncode == 1
    body = json.loads(machine.stdout)
    assert body["clean"] is False
    assert {(f["kind"], f["subject"]) for f in body["findings"]} == found


def test_check_finds_events_without_an_item_row_and_a_row_without_events(ctx):
    demo.fill_if_empty(ctx, items=3)
    with write_session(ctx.engine) as session:
        first, second = session.exec(select(Item).order_by(Item.number)).all()[:2]
        session.execute(text("DELETE FROM item_photos WHERE item_id = :id"), {"id": first.id})
        session.execute(text("DELETE FROM items WHERE id = :id"), {"id": first.id})
        session.execute(text("DELETE FROM events WHERE item_id = :id"), {"id": second.id})
    found = {(f.kind, f.subject) for f in maintenance.check(ctx)}
    assert found == {("item_missing", first.id), ("item_without_events", second.number)}


# --- backup and restore --------------------------------------------------------------------
def _login(http) -> dict:
    token = http.post("/api/auth/token", json={"username": "xuncha", "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


class Pusher(threading.Thread):
    """Uploads a photo and pushes reports with it, round after round, keeping what the server acknowledged."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.acked, self.stop, self.error = url, [], threading.Event(), None
        self.progress = threading.Condition()

    def run(self):
        try:
            with httpx.Client(base_url=self.url, timeout=60) as http:
                headers = _login(http)
                n = 0
                while not self.stop.is_set():
                    n += 1
                    data = jpeg(1000 + n)
                    put = http.put(f"/api/photos/{sha(data)}", content=data, headers=headers)
                    assert put.status_code in (200, 201), put.text
                    batch = [reported(photo=sha(data), description=f"问题 {n}-{k}") for k in range(3)]
                    results = http.post("/api/sync/push", json={"device_id": "pusher", "events": [wire(e) for e in batch]},
                                        headers=headers).json()["results"]
                    with self.progress:
                        self.acked += [r["id"] for r in results if r["status"] in ("accepted", "duplicate")]
                        self.progress.notify_all()
        except Exception as error:  # noqa: BLE001 - handed to the test thread, which re-raises it
            self.error = error
            with self.progress:
                self.progress.notify_all()

    def wait_for(self, count: int, timeout: float = 120) -> None:
        with self.progress:
            assert self.progress.wait_for(lambda: len(self.acked) >= count or self.error, timeout), "no progress"
        assert self.error is None, self.error


@SQLITE_ONLY
def test_backup_while_the_server_takes_pushes_restores_every_acknowledged_event(server_process, ctx, tmp_path, run):
    person(ctx, "xuncha", "inspector", password=PASSWORD)
    server = server_process().start()
    pusher = Pusher(server.url)
    pusher.start()
    try:
        pusher.wait_for(15)
        with pusher.progress:
            before = list(pusher.acked)  # acknowledged before the backup began
        archive = tmp_path / "backups" / "inspector.tar"
        backup = subprocess.Popen([sys.executable, "-m", "inspector", "backup", "--data", str(server.data_dir),
                                   "--out", str(archive)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=dict(os.environ, DATABASE_URL=ctx.settings.resolved_database_url(),
                                                      LANG="en_US.UTF-8"))
        out, err = backup.communicate(timeout=300)
        assert backup.returncode == 0, err
        with pusher.progress:
            during = len(pusher.acked) - len(before)
        assert during > 0, "the server took no pushes while the backup ran"
        pusher.wait_for(len(before) + during + 3)  # and it still takes them after
    finally:
        pusher.stop.set()
        pusher.join(timeout=60)
    assert pusher.error is None, pusher.error
    assert out.startswith(f"Wrote {archive.resolve()}: ") and not err
    assert not [p for p in archive.parent.iterdir() if p != archive], "temporary files left beside the archive"

    restored_dir = tmp_path / "restored"
    restored = cli("restore", "--data", str(restored_dir), "--from", str(archive), env_extra={"LANG": "en_US.UTF-8"})
    assert restored.returncode == 0, restored.stderr
    again = bootstrap(Settings(data_dir=restored_dir))
    try:
        with read_session(again.engine) as session:
            ids = set(session.exec(select(EventRow.id)).all())
        assert set(before) <= ids
        # A consistent pair: every photo the copied database names came along, every item matches its log.
        assert maintenance.check(again) == []
    finally:
        again.engine.dispose()
    assert run("check", "--data", str(restored_dir)).returncode == 0


@SQLITE_ONLY
def test_restore_refuses_a_non_empty_folder_without_force_and_checks_the_archive_before_replacing(ctx, tmp_path, run):
    demo.fill_if_empty(ctx, items=3)
    archive = tmp_path / "good.tar"
    result = maintenance.backup(ctx.settings, archive)
    assert result.photos > 0 and result.blobs >= 3 * result.photos and result.missing == ()
    target = tmp_path / "target"
    target.mkdir()
    (target / "notes.txt").write_text("someone's files")
    refused = run("restore", "--data", str(target), "--from", str(archive))
    assert refused.returncode == 2 and "backup.target_not_empty" in refused.stderr and "--force" in refused.stderr
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]

    # A damaged archive is refused whole, even with --force, before anything is replaced.
    with tarfile.open(archive) as good:
        members = [(m, good.extractfile(m).read()) for m in good.getmembers()]
    damaged_archive = tmp_path / "damaged.tar"
    with tarfile.open(damaged_archive, "w") as damaged:
        for member, data in members:
            if member.name.startswith("blobs/original/"):
                data = data[:-4] + b"oops"
            damaged.addfile(member, io.BytesIO(data))
    evil_archive = tmp_path / "evil.tar"
    with tarfile.open(evil_archive, "w") as evil:
        for member, data in members:
            evil.addfile(member, io.BytesIO(data))
        escape = tarfile.TarInfo("../escaped.txt")
        escape.size = 3
        evil.addfile(escape, io.BytesIO(b"bad"))
    (tmp_path / "not-a-backup.tar").write_bytes(b"plain text, not a tar")
    for bad, words in ((damaged_archive, "is damaged"), (evil_archive, "unexpected entry '../escaped.txt'"),
                       (tmp_path / "not-a-backup.tar", "not a readable tar file"),
                       (tmp_path / "absent.tar", "no such file")):
        answer = run("restore", "--data", str(target), "--from", str(bad), "--force")
        assert answer.returncode == 2 and "backup.archive_invalid" in answer.stderr, (bad, answer.stderr)
        assert words in answer.stderr and "nothing was changed" in answer.stderr
        assert sorted(p.name for p in target.iterdir()) == ["notes.txt"], bad
    assert not (tmp_path / "escaped.txt").exists()

    # With --force a good archive replaces the database (and the old one's -wal, which SQLite would
    # otherwise replay into the new file) and the blobs.
    crashed_sqlite(target / "inspector.db")
    (target / "blobs" / "original").mkdir(parents=True)
    (target / "blobs" / "original" / "stray").write_bytes(b"old")
    replaced = run("restore", "--data", str(target), "--from", str(archive), "--force")
    assert replaced.returncode == 0, replaced.stderr
    assert replaced.stdout.startswith(f"Restored {result.events} events and {result.photos} photos")
    assert sorted(p.name for p in target.iterdir()) == ["blobs", "inspector.db", "notes.txt"]
    assert not (target / "blobs" / "original" / "stray").exists()
    assert (target / "inspector.db").stat().st_mode & 0o077 == 0
    restored = bootstrap(Settings(data_dir=target))
    try:
        assert maintenance.check(restored) == []
        with read_session(restored.engine) as session, read_session(ctx.engine) as original:
            assert set(session.exec(select(EventRow.id)).all()) == set(original.exec(select(EventRow.id)).all())
    finally:
        restored.engine.dispose()


@SQLITE_ONLY
def test_backup_is_written_under_a_temporary_name_and_readable_only_by_its_owner(ctx, tmp_path):
    person(ctx, "xuncha", "inspector", password=PASSWORD)
    archive = tmp_path / "out" / "b.tar"
    archive.parent.mkdir()
    archive.write_bytes(b"yesterday's backup")
    maintenance.backup(ctx.settings, archive)
    assert os.listdir(archive.parent) == ["b.tar"]
    assert archive.stat().st_mode & 0o077 == 0
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert names == ["inspector.db", "manifest.json"]
    assert manifest["format"] == "inspector-backup" and manifest["photos"] == 0


@pytest.mark.skipif(not PG_URL, reason="the PostgreSQL refusal needs INSPECTOR_TEST_DATABASE_URL")
def test_backup_and_restore_on_postgresql_say_what_to_do_instead(ctx, tmp_path, run):
    url = ctx.settings.resolved_database_url()
    for args in (("backup", "--data", str(ctx.settings.data_dir), "--out", str(tmp_path / "b.tar")),
                 ("restore", "--data", str(ctx.settings.data_dir), "--from", str(tmp_path / "b.tar"))):
        answer = run(*args, database_url=url)
        assert answer.returncode == 2 and "backup.sqlite_only" in answer.stderr
        assert "pg_dump" in answer.stderr and str(ctx.settings.blob_dir.resolve()) in answer.stderr
    assert not (tmp_path / "b.tar").exists()
