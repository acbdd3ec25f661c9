"""Login and logout."""

from fastapi import APIRouter, Request, Response

from inspector.server.deps import ContextDep, LoginDep, PlainParameters
from inspector.server.errors import AUTHENTICATED, WITH_BODY, error_responses
from inspector.server.shapes import user_out
from inspector.server.threads import run_gated
from inspector.services import auth
from inspector.sync.wire import TokenRequest, TokenResponse, UserPublic

router = APIRouter(prefix="/api/auth", tags=["auth"], dependencies=[PlainParameters],
                   responses=error_responses(*AUTHENTICATED))


@router.post("/token", response_model=TokenResponse,
             responses={**error_responses(*WITH_BODY), 429: {"description": "too many failed logins; "
                                                                "the Retry-After header says how long to wait"}})
async def token(body: TokenRequest, request: Request, ctx: ContextDep) -> TokenResponse:
    """Trade a username and password for a bearer token (wrong credentials: 401; too many failures: 429).

    The username matches case-insensitively (NFKC and case folding)."""
    address = request.client.host if request.client else None
    # A rush of logins waits for a hash slot here, holding no thread the pushes need.
    value, row, user = await run_gated("login", auth.login, ctx, body.username, body.password, body.device_id,
                                       address=address)
    return TokenResponse(access_token=value, expires_at=row.expires_at, user=user_out(user))


@router.post("/logout", status_code=204)
def logout(login: LoginDep, ctx: ContextDep) -> Response:
    """Revoke the token this request carries."""
    auth.logout(ctx, login.token)
    return Response(status_code=204)


@router.get("/me", response_model=UserPublic)
def me(login: LoginDep) -> UserPublic:
    """Who this token belongs to."""
    return user_out(login.user)
