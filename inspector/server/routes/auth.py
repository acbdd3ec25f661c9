"""Login and logout."""

from fastapi import APIRouter, Response

from inspector.server.deps import ContextDep, LoginDep
from inspector.server.shapes import user_out
from inspector.services import auth
from inspector.sync.wire import TokenRequest, TokenResponse

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/token", response_model=TokenResponse)
def token(body: TokenRequest, ctx: ContextDep) -> TokenResponse:
    """Trade a username and password for a bearer token (wrong credentials: 401)."""
    value, row, user = auth.login(ctx, body.username, body.password, body.device_id)
    return TokenResponse(access_token=value, expires_at=row.expires_at, user=user_out(user))


@router.post("/logout", status_code=204)
def logout(login: LoginDep, ctx: ContextDep) -> Response:
    """Revoke the token this request carries."""
    auth.logout(ctx, login.token)
    return Response(status_code=204)


@router.get("/me")
def me(login: LoginDep):
    """Who this token belongs to."""
    return user_out(login.user)
