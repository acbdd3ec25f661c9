"""The maintenance use cases (``inspector.services.maintenance`` and ``.backup``) over a real database:
what the store reads for them, check's findings, and a backup restored into an empty folder."""

import os
import sqlite3
from dataclasses import replace

import pytest
from sqlalchemy import text

from inspector.domain.roles import Role
from inspector.errors import BackupArchiveInvalid, BackupNeedsSqlite, BackupNoDatabase
from inspector.photos.blobs import blob_key
from inspector.services import events, maintenance
from inspector.services.context import bootstrap
from inspector.settings import Settings
from inspector.store import maintenance as store
from inspector.store.engine import read_session, write_session
from tests.conftest import PG_URL
from tests.factories import event, jpeg, person, reported, sha, stored_photo

sqlite_only = pytest.mark.skipif(bool(PG_URL), reason="backup and restore are for SQLite installations")


def two_items(ctx) -> tuple[str, str, str]:
    """Two reported items, the first assigned; their ids and the first one's photo."""
    inspector = person(ctx, "xuncha", Role.INSPECTOR)
    boss = person(ctx, "dudao", Role.SUPERVISOR)
    photo = stored_photo(ctx, inspector, 1)
    first, second = (replace(reported(photo=photo), at=ctx.now()),
                     replace(reported(photo=stored_photo(ctx, inspector, 2)), at=ctx.now()))
    assert all(o.status == "accepted" for o in events.push(ctx, inspector, [first, second]))
    assigned = replace(event(first.item_id, "assigned", 1, office="construction", leader="张科长",
                             deadline="2026-07-30"), at=ctx.now())
    assert events.push(ctx, boss, [assigned])[0].status == "accepted"
    return first.item_id, second.item_id, photo


def test_the_store_gives_each_items_log_in_order_and_the_photos_named(ctx):
    first, second, photo = two_items(ctx)
    with read_session(ctx.engine) as session:
        logs = dict(store.item_logs(session))
        states = store.item_states(session)
        named = store.photo_names(session)
        among = store.photo_names(session, among=[photo, "0" * 64])
        links = store.photo_links(session)
    assert [e.kind for e in logs[first]] == ["reported", "assigned"] and [e.kind for e in logs[second]] == ["reported"]
    assert states[first].status == "assigned" and states[second].status == "reported"
    assert photo in named and len(named) == 2 and among == {photo}
    assert (first, photo) in links and links == sorted(links)


def test_check_is_clean_until_a_row_disagrees_with_its_events_or_a_photo_file_goes(ctx):
    first, _, photo = two_items(ctx)
    assert maintenance.check(ctx) == []
    with write_session(ctx.engine) as session:
        session.execute(text("UPDATE items SET leader = 'someone else' WHERE id = :id"), {"id": first})
    ctx.blobs.path_for(blob_key(photo, "original")).unlink()
    found = maintenance.check(ctx)
    assert {(f.kind, f.detail.get("fields")) for f in found} == {("item_mismatch", "leader"), ("blob_missing", None)}
    assert "leader" in next(f for f in found if f.kind == "item_mismatch").words("en")


def test_the_sweep_keeps_named_photos_and_takes_an_old_unnamed_one(ctx, clock):
    _, _, photo = two_items(ctx)
    stray = jpeg(50)
    ctx.blobs.put(blob_key(sha(stray), "original"), stray)
    old = clock().timestamp() - 2 * 3600  # older than the grace period, by the context's clock
    for entry in ctx.blobs.entries():
        os.utime(entry.path, (old, old))
    swept = maintenance.sweep(ctx)
    assert swept.blobs == 1
    assert ctx.blobs.exists(blob_key(photo, "original")) and not ctx.blobs.exists(blob_key(sha(stray), "original"))


@sqlite_only
def test_a_backup_restored_into_an_empty_folder_holds_the_same_log_and_photos(ctx, tmp_path):
    first, second, _ = two_items(ctx)
    archive = tmp_path / "backup.tar"
    made = maintenance.backup(ctx.settings, archive)
    assert (made.events, made.photos, made.missing) == (3, 2, ())

    target = Settings(data_dir=tmp_path / "restored", database_url=f"sqlite:///{tmp_path / 'restored' / 'x.db'}")
    restored = maintenance.restore(target, archive)
    assert (restored.events, restored.photos) == (3, 2)
    again = bootstrap(target, clock=ctx.clock)
    try:
        assert maintenance.check(again) == []
        with read_session(again.engine) as session:
            assert set(dict(store.item_logs(session))) == {first, second}
    finally:
        again.engine.dispose()


@sqlite_only
def test_the_copy_of_a_live_database_counts_what_it_holds_and_a_damaged_file_is_not_read_as_whole(ctx, tmp_path):
    two_items(ctx)
    copy = tmp_path / "copy.db"
    photos, count = store.copy_sqlite(maintenance.sqlite_path(ctx.settings), copy)
    assert len(photos) == 2 and photos == sorted(photos) and count == 3
    assert store.read_sqlite(copy) == ("ok", photos, 3)
    copy.write_bytes(b"not a database at all" * 100)
    with pytest.raises(sqlite3.DatabaseError):
        store.read_sqlite(copy)


def test_backup_refuses_what_is_not_a_sqlite_file_it_can_copy(tmp_path):
    with pytest.raises(BackupNeedsSqlite):
        maintenance.backup(Settings(data_dir=tmp_path, database_url="postgresql+psycopg://x@localhost/y"),
                           tmp_path / "b.tar")
    with pytest.raises(BackupNoDatabase):
        maintenance.backup(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'none.db'}"),
                           tmp_path / "b.tar")
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"no tar here")
    with pytest.raises(BackupArchiveInvalid):
        maintenance.restore(Settings(data_dir=tmp_path / "empty", database_url=f"sqlite:///{tmp_path / 'e.db'}"),
                            junk)
