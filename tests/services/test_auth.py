"""The account use cases over a real database: add, log in, authenticate, renew, log out, disable."""

from datetime import datetime, timezone

import pytest

from inspector.domain import accounts
from inspector.domain.roles import Role
from inspector.errors import (InvalidCredentials, InvalidRequest, NotAuthenticated, TokenExpired, TooManyAttempts,
                              UnknownRole)
from inspector.services import auth
from inspector.services.context import bootstrap
from inspector.services.token_cache import TOKEN_CACHE_SECONDS
from inspector.store import users
from inspector.store.engine import read_session
from inspector.store.public import PersonPublic
from inspector.store.tokens import TokenPublic
from tests.factories import person

PASSWORD = "secret-pw-123"


def test_a_login_matches_the_name_by_its_key_whatever_its_case_or_width(ctx):
    person(ctx, "XunCha", Role.INSPECTOR)
    for typed in ("xuncha", "XUNCHA", "ｘｕｎｃｈａ", " XunCha "):  # the fullwidth form folds by NFKC
        token, issued, user = auth.login(ctx, typed, PASSWORD)
        assert user.username == "XunCha" and issued.user_id == user.id
        actor, _ = auth.authenticate(ctx, token)
        assert actor.username == "XunCha" and actor.role == Role.INSPECTOR
    with pytest.raises(InvalidCredentials):
        auth.login(ctx, "xuncha2", PASSWORD)


def test_login_hands_out_public_models_without_secrets(ctx):
    added = auth.add_user(ctx, "li", PASSWORD, "office_staff", "construction", display_name="李工")
    token, issued, user = auth.login(ctx, "li", PASSWORD, device_id="phone-1")
    assert isinstance(added, PersonPublic) and isinstance(user, PersonPublic) and isinstance(issued, TokenPublic)
    assert not hasattr(user, "password_hash") and not hasattr(issued, "token_hash")
    assert (user.name, user.role, user.office_code, issued.device_id) == ("李工", "office_staff", "construction",
                                                                          "phone-1")
    assert token not in issued.model_dump_json()


def test_an_unknown_role_and_an_office_role_without_office_are_refused(ctx):
    with pytest.raises(UnknownRole):
        auth.add_user(ctx, "li", PASSWORD, "mayor")
    with pytest.raises(InvalidRequest):
        auth.add_user(ctx, "li", PASSWORD, Role.OFFICE_LEADER)


def test_a_token_is_renewed_on_use_and_expires_unused(ctx, clock):
    person(ctx, "xuncha", Role.INSPECTOR)
    token, issued, _ = auth.login(ctx, "xuncha", PASSWORD)
    days = ctx.settings.token_days
    clock.advance(days=days - 1)
    auth.authenticate(ctx, token)  # in use: renewed for another full term
    clock.advance(days=days - 1)
    auth.authenticate(ctx, token)
    clock.advance(days=days + 1)
    with pytest.raises(TokenExpired):
        auth.authenticate(ctx, token)
    assert issued.expires_at < clock()


def test_logout_and_disabling_revoke_tokens(ctx):
    staff = person(ctx, "jianzhu", Role.OFFICE_STAFF, "construction")
    first, _, _ = auth.login(ctx, "jianzhu", PASSWORD)
    second, _, _ = auth.login(ctx, "jianzhu", PASSWORD)
    auth.logout(ctx, first)
    with pytest.raises(NotAuthenticated):
        auth.authenticate(ctx, first)
    auth.authenticate(ctx, second)
    auth.disable_user(ctx, staff.id)
    with pytest.raises(NotAuthenticated):
        auth.authenticate(ctx, second)
    with pytest.raises(InvalidCredentials):
        auth.login(ctx, "jianzhu", PASSWORD)
    with pytest.raises(InvalidRequest):
        auth.disable_user(ctx, "no-such-user")


def test_a_spot_checkers_actor_carries_the_delegated_scopes(ctx):
    checker = person(ctx, "renda", Role.SPOT_CHECKER)
    ends = datetime(2026, 8, 31, tzinfo=timezone.utc)
    delegation = auth.delegate(ctx, checker.id, offices=["construction"], sites=["site-1"], ends=ends)
    assert (delegation.offices, delegation.sites) == (("construction",), ("site-1",))
    token, _, _ = auth.login(ctx, "renda", PASSWORD)
    actor, _ = auth.authenticate(ctx, token)
    [scope] = actor.scopes
    assert scope.offices == {"construction"} and scope.sites == {"site-1"} and scope.ends == ends
    with read_session(ctx.engine) as session:
        assert users.actor(session, checker.id) == actor
        assert users.actor(session, "nobody") is None


def test_names_by_ids_give_the_display_name_else_the_username(ctx):
    auth.add_user(ctx, "li", PASSWORD, Role.INSPECTOR, display_name="李巡查")
    plain = person(ctx, "wang", Role.SUPERVISOR)
    with read_session(ctx.engine) as session:
        li = users.user_row(session, "LI")
        assert users.display_names(session, [li.id, plain.id, "ghost", ""]) == {li.id: "李巡查", plain.id: "wang"}
        assert users.display_names(session, []) == {}


def test_failed_logins_throttle_the_name_and_the_owners_login_clears_its_count(ctx, clock):
    person(ctx, "xuncha", Role.INSPECTOR)
    limit = accounts.PER_USERNAME.limit
    for _ in range(limit - 1):
        with pytest.raises(InvalidCredentials):
            auth.login(ctx, "xuncha", "wrong-guess-1", address="10.0.0.1")
    auth.login(ctx, "XUNCHA", PASSWORD, address="10.0.0.2")  # the owner: the name's failures stop counting
    for _ in range(limit):
        with pytest.raises(InvalidCredentials):
            auth.login(ctx, "xuncha", "wrong-guess-2", address="10.0.0.3")
    with pytest.raises(TooManyAttempts) as refused:
        auth.login(ctx, "xuncha", PASSWORD, address="10.0.0.2")
    clock.advance(seconds=refused.value.details["retry_after"])
    auth.login(ctx, "xuncha", PASSWORD, address="10.0.0.2")


def test_a_token_revoked_on_another_server_is_refused_within_the_cache_bound(ctx, settings, clock):
    """Each server keeps verified tokens for ``TOKEN_CACHE_SECONDS``: a logout on this server is
    honoured at once, one through another server on the same database within that bound."""
    person(ctx, "xuncha", Role.INSPECTOR)
    other = bootstrap(settings, clock=clock, migrate=False)
    try:
        token, _, _ = auth.login(ctx, "xuncha", PASSWORD)
        auth.authenticate(ctx, token)  # read once, now kept here
        assert auth.authenticate_kept(ctx, token) is not None
        auth.logout(other, token)
        with pytest.raises(NotAuthenticated):
            auth.authenticate(other, token)  # the server it was revoked on: at once
        clock.advance(seconds=TOKEN_CACHE_SECONDS - 1)
        auth.authenticate(ctx, token)  # still within this server's bound
        clock.advance(seconds=1)
        assert auth.authenticate_kept(ctx, token) is None
        with pytest.raises(NotAuthenticated):
            auth.authenticate(ctx, token)
    finally:
        other.engine.dispose()


def test_a_kept_token_still_expires_and_a_spot_checker_is_read_every_time(ctx, clock):
    person(ctx, "xuncha", Role.INSPECTOR)
    person(ctx, "renda", Role.SPOT_CHECKER)
    token, _, _ = auth.login(ctx, "xuncha", PASSWORD)
    auth.authenticate(ctx, token)
    assert auth.authenticate_kept(ctx, token) is not None
    checker, _, _ = auth.login(ctx, "renda", PASSWORD)
    auth.authenticate(ctx, checker)
    assert auth.authenticate_kept(ctx, checker) is None  # its delegated scopes are read with it
    clock.advance(days=ctx.settings.token_days + 1)
    with pytest.raises(TokenExpired):
        auth.authenticate(ctx, token)
