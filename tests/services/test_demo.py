"""The demo: made through the real use cases, once, into an empty database only."""

import uuid

from inspector.domain.lifecycle import AT_OFFICE
from inspector.domain.roles import PEOPLE, Role
from inspector.services import auth, catalog, demo, items
from inspector.store import users
from inspector.store.queries import ItemFilter
from inspector.store.engine import read_session


def test_the_demo_fills_an_empty_database_once(ctx):
    assert demo.is_empty(ctx)
    logins = demo.fill_if_empty(ctx, items=4)
    assert {role for _, _, role in logins} == set(PEOPLE)  # every role a person may hold (D: not the server's)
    assert not demo.is_empty(ctx) and demo.fill_if_empty(ctx, items=4) == []
    assert len(catalog.list_sites(ctx)) == len(demo.SITES)
    token, _, user = auth.login(ctx, "renda", demo.PASSWORD)
    actor, _ = auth.authenticate(ctx, token)
    assert user.role == Role.SPOT_CHECKER and [s.offices for s in actor.scopes] == [{"construction"}]
    with read_session(ctx.engine) as session:
        assert len(users.people(session)) == len(demo.PEOPLE)


def test_the_demo_has_a_return_waiting_and_a_reassigned_item_with_a_supporting_office(ctx):
    demo.fill_if_empty(ctx, items=4)
    with read_session(ctx.engine) as session:
        dudao, jianzhu, yuanlin = (users.actor_of(session, users.user_row(session, name))
                                   for name in ("dudao", "jianzhu", "yuanlin"))
    waiting = items.list_items(ctx, dudao, ItemFilter(return_pending=True)).items
    assert [(i.office, i.status, i.return_code) for i in waiting] == [("construction", "assigned",
                                                                               "not_our_area")]
    [supported] = items.list_items(ctx, jianzhu, ItemFilter(supported_by="construction",
                                                           statuses=tuple(AT_OFFICE))).items
    assert (supported.office, supported.status, supported.supporting_offices) == (
        "landscaping", "assigned", ("construction",))
    assert not supported.return_pending and not supported.overdue(ctx.now())
    # the lead office has it on its list; the ids are the same in every demo
    assert supported.id in {i.id for i in items.list_items(ctx, yuanlin, ItemFilter(office="landscaping")).items}
    assert {waiting[0].id, supported.id} == {str(uuid.uuid5(uuid.NAMESPACE_URL, f"inspector-demo-item/{name}"))
                                             for name in ("return-waiting", "return-reassigned")}
