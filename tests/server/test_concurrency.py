"""Writers at once: every event stored once, sequence numbers unique and in commit order."""

from concurrent.futures import ThreadPoolExecutor

import httpx

from inspector.store.engine import is_sqlite

from tests.factories import jpeg, person, reported, sha, wire


def test_parallel_pushes_get_unique_contiguous_sequence_numbers(live, ctx):
    for n in range(4):
        person(ctx, f"field{n}", "inspector")

    def client_round(n):
        photo = jpeg(11 + n)  # each cites their own upload (an event may cite only photos one may see)
        with httpx.Client(base_url=live.url, timeout=60) as http:
            token = http.post("/api/auth/token", json={"username": f"field{n}", "password": "secret-pw-123"}).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            http.put(f"/api/photos/{sha(photo)}", content=photo, headers=headers)
            seqs = []
            for _ in range(5):
                batch = [wire(reported(photo=sha(photo))) for _ in range(10)]
                results = http.post("/api/sync/push", json={"device_id": f"d{n}", "events": batch},
                                    headers=headers).json()["results"]
                assert all(r["status"] == "accepted" for r in results), results
                seqs += [r["seq"] for r in results]
            return seqs

    with ThreadPoolExecutor(4) as pool:
        all_seqs = [s for seqs in pool.map(client_round, range(4)) for s in seqs]
    assert len(all_seqs) == 200 and len(set(all_seqs)) == 200
    if is_sqlite(ctx.engine):  # one writer: numbers handed out one after another
        assert sorted(all_seqs) == list(range(min(all_seqs), min(all_seqs) + 200))
    else:  # numbered by writing transaction (see inspector.store.events): a batch's ten come together
        for start in range(0, 200, 10):
            batch = all_seqs[start:start + 10]
            assert batch == list(range(batch[0], batch[0] + 10))
    with httpx.Client(base_url=live.url) as http:
        token = http.post("/api/auth/token", json={"username": "field0", "password": "secret-pw-123"}).json()
        numbers = http.get("/api/items", params={"page_size": 500},
                           headers={"Authorization": f"Bearer {token['access_token']}"}).json()
    # every report is stored and seen once: inspectors see every open item, their colleagues' too
    assert numbers["total"] == 200 and len({i["id"] for i in numbers["items"]}) == 200
    # ... and each of field0's fifty is there under field0's name
    assert sum(i["reported_by"] == token["user"]["id"] for i in numbers["items"]) == 50
