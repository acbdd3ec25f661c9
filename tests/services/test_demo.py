"""The demo: made through the real use cases, once, into an empty database only."""

from inspector.domain.roles import PEOPLE, Role
from inspector.services import auth, catalog, demo
from inspector.store import users
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
