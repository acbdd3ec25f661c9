"""Processes die: the server in the middle of a push, the field client right after "saved"."""

import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time

import httpx

from inspector.sync.engine import Backoff
from tests.conftest import ROOT
from tests.factories import person
from tests.sync.conftest import (
    PASSWORD,
    assert_matches_server,
    photo_of,
    report_payload,
    server_event_count,
    server_event_ids,
    server_log,
)

# A round against a dead server gives up quickly; the next round (after the restart) finishes the work.
QUICK = Backoff(base_s=0.05, cap_s=0.2, max_tries=2)


def _record_many(ws, count: int) -> list[str]:
    photo = photo_of(ws, 7)
    ids = []
    for n in range(count):
        if n % 3 == 0:
            item = ws.record_event("reported", None, 0, report_payload(photo, description=f"问题 {n}"))
        else:
            item = ws.record_event("commented", item.item_id, 0, {"text": f"补充 {n}"})
        ids.append(item.event_id)
    return ids


class Watch(httpx.BaseTransport):
    """Real HTTP; tells when a push has been sent, and can kill the server once a push was answered."""

    def __init__(self, kill_after_answer=None, signal_push: int = 1):
        self.inner = httpx.HTTPTransport()
        self.push_sent = threading.Event()  # set when push number ``signal_push`` goes out
        self.signal_push = signal_push
        self.kill_after_answer = kill_after_answer
        self.pushes = 0
        self.push_seconds: list[float] = []

    def handle_request(self, request):
        is_push = request.url.path == "/api/sync/push"
        if is_push:
            self.pushes += 1
            if self.pushes == self.signal_push:
                self.push_sent.set()
        started = time.monotonic()
        response = self.inner.handle_request(request)
        if is_push:
            response.read()
            self.push_seconds.append(time.monotonic() - started)
        if is_push and self.kill_after_answer is not None:
            kill, self.kill_after_answer = self.kill_after_answer, None
            kill()  # the server has committed the batch and dies before its answer is read
            response.close()
            raise httpx.RemoteProtocolError("server disconnected without sending a response", request=request)
        return response

    def close(self):
        self.inner.close()


def test_server_killed_while_a_large_push_is_in_flight(ctx, server_process, phones):
    person(ctx, "boss", "supervisor")
    server = server_process().start()
    watch = Watch(signal_push=2)
    phone = phones(server.url, batch=150, transport=watch, backoff=QUICK)
    ws = phone.login("boss", PASSWORD)
    started = time.monotonic()
    sent = _record_many(ws, 600)
    recording = time.monotonic() - started

    rounds: list = []
    worker = threading.Thread(target=lambda: rounds.append(phone.sync_once()))
    worker.start()
    assert watch.push_sent.wait(60)  # the first batch is answered, the second is on its way
    # Somewhere within the time the first batch took: mid-transaction, or just after its commit.
    time.sleep(random.uniform(0, watch.push_seconds[0]))
    server.kill()
    worker.join(30)
    stored_at_kill = server_event_count(ctx)
    first = rounds[0]
    assert first.error is not None, first  # the round noticed and stopped, keeping what is not confirmed
    settled = len(sent) - len(phone.store.pending())
    assert settled <= stored_at_kill and settled < len(sent), (settled, stored_at_kill)

    server.start()
    second = phone.sync_once()
    assert second.ok, (second, server_log(server))
    assert second.waiting == 0 and second.rejected == 0
    ids = server_event_ids(ctx)
    assert len(ids) == len(sent) and sorted(ids) == sorted(sent)  # every event exactly once
    assert_matches_server(ctx, phone)
    print(f"\nrecorded {len(sent)} events locally in {recording:.2f}s; killed with {stored_at_kill}/{len(sent)} "
          f"stored on the server, {settled} confirmed to the phone; a batch of 150 took "
          f"{watch.push_seconds[0]:.3f}s")


def test_server_killed_after_committing_a_push_but_before_answering(ctx, server_process, phones):
    person(ctx, "boss", "supervisor")
    server = server_process().start()
    watch = Watch(kill_after_answer=server.kill)
    phone = phones(server.url, transport=watch, backoff=QUICK)
    ws = phone.login("boss", PASSWORD)
    sent = _record_many(ws, 30)

    cut = phone.sync_once()
    assert cut.error is not None and cut.pushed == 0 and cut.waiting == 30
    assert sorted(server_event_ids(ctx)) == sorted(sent)  # stored, though the phone never heard so

    server.start()
    again = phone.sync_once()
    assert again.ok and (again.pushed, again.waiting) == (30, 0)
    assert server_event_count(ctx) == 30
    assert_matches_server(ctx, phone)


FIELD_SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path

    from inspector.settings import Settings
    from inspector.sync.field import open_field
    from tests.factories import jpeg
    from tests.sync.conftest import report_payload

    url, data = sys.argv[1], Path(sys.argv[2])
    client = open_field(url, data, Settings(data_dir=data))
    ws = client.workspace()
    n = 0
    while True:
        photo = ws.add_photo(jpeg(100 + n))
        if n % 2 == 0:
            saved = ws.record_event("reported", None, 0, report_payload(photo.sha256))
        else:
            saved = ws.record_event("commented", saved.item_id, 0, {"text": f"note {n}"})
        print("SAVED", saved.event_id, saved.item_id, flush=True)
        n += 1
""")


def test_field_client_killed_right_after_saved_keeps_what_it_said(ctx, live, phones, tmp_path):
    person(ctx, "li", "inspector")
    setup = phones(live.url, "field")
    setup.login("li", PASSWORD)
    data = setup.store.data_dir
    setup.close()

    script = tmp_path / "field_client.py"
    script.write_text(FIELD_SCRIPT)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, str(script), live.url, str(data)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=ROOT, env=env)
    try:
        first = process.stdout.readline().decode()
        if not first.startswith("SAVED"):
            process.kill()
            raise AssertionError(process.stderr.read().decode()[-3000:])
        process.send_signal(signal.SIGKILL)  # at once: no chance to flush or close anything
        process.wait(10)
        rest = process.stdout.read().decode()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        process.stdout.close()
        process.stderr.close()
    saved = [line.split()[1:] for line in (first + rest).splitlines() if line.startswith("SAVED")]
    assert saved
    print(f"\nkilled after {len(saved)} SAVED line(s)")

    phone = phones(live.url, "field")
    waiting = {e.id for e in phone.store.pending()}
    assert {event_id for event_id, _ in saved} <= waiting
    ws = phone.workspace()
    for _, item_id in saved:
        assert ws.item(item_id).item.id == item_id  # the local item is there too

    report = phone.sync_once()
    assert report.ok and report.waiting == 0
    assert {event_id for event_id, _ in saved} <= set(server_event_ids(ctx))
    assert_matches_server(ctx, phone)
