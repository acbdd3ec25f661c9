"""A round says how far it is with its photos (``sync.round_progress``): 0/N as the first starts, k/N as the server
has the k-th, None when the round ends, however it ends."""

from sqlmodel import select

from inspector.store.engine import read_session
from inspector.store.models import Photo
from inspector.sync.round_progress import RoundProgress
from tests.factories import person
from tests.sync.conftest import PASSWORD, photo_of, report_payload


def on_server(ctx, shas) -> int:
    with read_session(ctx.engine) as session:
        return len(session.exec(select(Photo.sha256).where(Photo.sha256.in_(shas))).all())


class Heard:
    """Every count a round announces, with how many of ``shas`` the server had at that moment."""

    def __init__(self, ctx, progress: RoundProgress, shas: list[str]):
        self.ctx, self.shas, self.seen = ctx, shas, []
        progress.listen(self.heard)

    def heard(self, photos) -> None:
        self.seen.append((photos, on_server(self.ctx, self.shas)))


def test_a_round_counts_its_photos_one_by_one_as_the_server_gets_them(ctx, live, phones, clock):
    person(ctx, "li", "inspector")
    phone = phones(live.url, batch=1, clock=clock)  # two batches: the total is the whole round's from the start
    ws = phone.login("li", PASSWORD)
    shas = [photo_of(ws, seed) for seed in (11, 12, 13)]
    ws.record("reported", None, 0, report_payload(shas[0], photos=shas[:2]))
    ws.record("reported", None, 0, report_payload(shas[2], category="site_garbage"))
    heard = Heard(ctx, phone.engine.progress, shas)
    report = phone.sync_once()
    assert report.ok and (report.pushed, report.photos_uploaded) == (2, 3)
    assert heard.seen == [((0, 3), 0), ((1, 3), 1), ((2, 3), 2), ((3, 3), 3), (None, 3)]
    assert phone.engine.progress.photos is None

    # A photo the server has already counts as done; a round with no photo to send says nothing.
    fresh = photo_of(ws, 14)
    state = ws.record("reported", None, 0, report_payload(fresh, photos=[fresh, shas[0]], category="site_cleaning"))
    heard.seen.clear()
    report = phone.sync_once()
    assert report.ok and report.photos_uploaded == 1 and state.id
    assert [photos for photos, _ in heard.seen] == [(0, 2), (1, 2), (2, 2), None]
    heard.seen.clear()
    assert phone.sync_once().ok and heard.seen == []


def test_a_round_that_stops_midway_leaves_no_count_behind(ctx, live, phones, clock):
    person(ctx, "li", "inspector")
    phone = phones(live.url, clock=clock)
    ws = phone.login("li", PASSWORD)
    shas = [photo_of(ws, seed) for seed in (21, 22)]
    ws.record("reported", None, 0, report_payload(shas[0], photos=shas))
    heard = Heard(ctx, phone.engine.progress, shas)
    live.stop()
    report = phone.sync_once()
    assert not report.ok and report.waiting == 1
    assert [photos for photos, _ in heard.seen] == [(0, 2), None]
    assert phone.engine.progress.photos is None


def test_a_photo_saved_during_the_round_adds_to_its_total_and_a_gone_listener_is_forgotten():
    progress = RoundProgress()

    class Bar:
        def __init__(self):
            self.seen = []

        def heard(self, photos):
            self.seen.append(photos)

    kept, gone = Bar(), Bar()
    progress.listen(kept.heard)
    progress.listen(gone.heard)
    del gone  # a page that closed: held weakly, so nothing calls it
    with progress.round():
        progress.expect(["a"])
        for _ in progress.each(["a", "b"]):  # "b" was saved after the round began
            pass
    assert kept.seen == [(0, 1), (1, 1), (1, 2), (2, 2), None]
    assert progress.photos is None
