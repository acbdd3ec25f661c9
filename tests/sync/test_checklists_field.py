"""The field client keeps the server's current checklists: a sync round stores them in its own database,
where the phone's visit screen reads them offline (``inspector.store.checklists.current``)."""

from inspector.domain.checklists import point_dict
from inspector.services import checklists, sites
from inspector.store import checklists as checklist_store
from inspector.store.engine import read_session
from tests.factories import person
from tests.sync.conftest import PASSWORD


def kept(phone) -> dict:
    with read_session(phone.store.engine) as session:
        return {c.site_type: c for c in checklist_store.current_all(session)}


def kept_ids(phone) -> set[str]:
    with read_session(phone.store.engine) as session:
        return {v.id for c in checklist_store.current_all(session)
                for v in checklist_store.versions(session, c.site_type)}


def test_a_sync_round_stores_the_current_checklists_in_the_field_database(ctx, clock, live, phones):
    admin = person(ctx, "guanli", "admin")
    person(ctx, "li", "inspector")
    v1 = checklists.current(ctx, "construction_site")
    points = [point_dict(p) for p in v1.points][2:]
    v2 = checklists.save(ctx, admin, "construction_site", points, base_version=1).checklist
    sites.add_site_type(ctx, admin, "market", {"zh-CN": "农贸市场", "en": "Farmers' market"})
    market = checklists.save(ctx, admin, "market", [
        {"code": "mk_stalls", "category": "community_sanitation", "text": {"zh-CN": "摊位整洁", "en": "Tidy stalls"},
         "starred": True}], base_version=0).checklist

    phone = phones(live.url, clock=clock)
    phone.login("li", PASSWORD)
    phone.sync_once()
    here = kept(phone)
    assert here == {c.site_type: c for c in checklists.current_all(ctx)}
    assert here["construction_site"] == v2 and here["market"] == market
    with read_session(phone.store.engine) as session:  # what the visit screen asks, offline
        assert checklist_store.current(session, "market").point("mk_stalls").starred
        assert checklist_store.by_id(session, v1.id) is None  # only the current versions are kept

    v3 = checklists.save(ctx, admin, "construction_site", points[:3], base_version=2).checklist
    phone.sync_once()
    assert kept(phone)["construction_site"] == v3 and v2.id not in kept_ids(phone)
