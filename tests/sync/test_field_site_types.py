"""Site types on the field client: an admin-added type comes down with each round, with the names the admin
wrote, and the phone keeps and shows them with the server away (issue 11)."""

from datetime import datetime, timezone
from types import SimpleNamespace

from inspector.domain.sites import SHIPPED_TYPES
from inspector.errors import ServerUnreachable
from inspector.services import sites
from inspector.store import site_types as type_store
from inspector.store.engine import read_session
from inspector.sync import site_types
from inspector.sync.site_types import SiteTypeOut, SiteTypesOut
from inspector.ui.views.visit_parts import type_name
from tests.factories import person, registered_site
from tests.sync.conftest import PASSWORD

AT = datetime(2026, 7, 15, 2, 0, tzinfo=timezone.utc)
MARKET = {"zh-CN": "农贸市场", "en": "Wet market"}


def shown(kept: dict, code: str, lang: str) -> str:
    """What the visit screen shows for ``code`` with these kept types (``visit_parts.type_name``)."""
    return type_name(SimpleNamespace(site_types=kept, lang=lang), code)


def test_added_types_come_down_each_round_and_stay_offline(ctx, server_process, phones):
    admin = person(ctx, "wang", "admin")
    person(ctx, "li", "inspector")
    sites.add_site_type(ctx, admin, "wet_market", MARKET)
    site_id = registered_site(ctx, "城东农贸市场", kind="wet_market")
    server = server_process().start()
    phone = phones(server.url)
    ws = phone.login("li", PASSWORD)
    assert set(ws.visits.site_types()) == set(SHIPPED_TYPES)  # before the first round: the shipped ones
    assert shown(ws.visits.site_types(), "wet_market", "zh-CN") == "wet_market"

    assert phone.sync_once().ok
    kept = ws.visits.site_types()
    assert kept["wet_market"] == MARKET
    assert all(kept[code] == {} for code in SHIPPED_TYPES)  # the phone's catalogues name the shipped ones
    assert next(s for s in ws.sites() if s.id == site_id).kind == "wet_market"

    # A type added while the phone is at work arrives with the next round.
    sites.add_site_type(ctx, admin, "hospital", {"zh-CN": "医疗机构", "en": "Hospital"})
    assert phone.sync_once().ok
    assert set(ws.visits.site_types()) == {*SHIPPED_TYPES, "wet_market", "hospital"}

    # The server away and the app started again: the types are still here, named in both languages.
    server.kill()
    assert isinstance(phone.sync_once().error, ServerUnreachable)
    assert ws.visits.site_types()["hospital"] == {"zh-CN": "医疗机构", "en": "Hospital"}
    phone.close()
    phone = phones(server.url)
    kept = phone.workspace().visits.site_types()
    assert [shown(kept, "wet_market", lang) for lang in ("zh-CN", "en")] == ["农贸市场", "Wet market"]
    assert [shown(kept, "hospital", lang) for lang in ("zh-CN", "en")] == ["医疗机构", "Hospital"]
    assert [shown(kept, "construction_site", lang) for lang in ("zh-CN", "en")] == ["建筑工地", "Construction site"]


def kept_here(phone) -> dict:
    with read_session(phone.store.engine) as session:
        return type_store.names_by_code(session)


def test_the_kept_types_are_exactly_the_servers(phones):
    phone = phones("http://127.0.0.1:9")  # never asked: the answers are handed to the store
    shipped = [SiteTypeOut(code=c, names={"zh-CN": "服务器的词", "en": "server words"}, shipped=True)
               for c in SHIPPED_TYPES]
    market = SiteTypeOut(code="wet_market", names=MARKET, shipped=False)
    site_types.keep(phone.store, SiteTypesOut(site_types=[*shipped, market]), AT)
    assert kept_here(phone) == {**{c: {} for c in SHIPPED_TYPES}, "wet_market": MARKET}
    # an answer without it (a type the server no longer knows) leaves no stale name behind
    site_types.keep(phone.store, SiteTypesOut(site_types=shipped), AT)
    assert kept_here(phone) == {c: {} for c in SHIPPED_TYPES}
