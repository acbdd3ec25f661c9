"""Dependencies the routes declare: the context, the language, the authenticated actor."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from inspector.domain.permissions import Actor
from inspector.i18n import normalize_lang
from inspector.services import auth
from inspector.services.context import Context
from inspector.store.models import User

_bearer = HTTPBearer(auto_error=False)


def get_context(request: Request) -> Context:
    return request.app.state.context


def get_lang(request: Request) -> str:
    return normalize_lang(request.headers.get("accept-language"))


@dataclass(frozen=True)
class Login:
    actor: Actor
    user: User
    token: str


def get_login(
    ctx: Annotated[Context, Depends(get_context)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Login:
    token = credentials.credentials if credentials else None
    actor, user = auth.authenticate(ctx, token)
    return Login(actor, user, token)


def get_actor(login: Annotated[Login, Depends(get_login)]) -> Actor:
    return login.actor


ContextDep = Annotated[Context, Depends(get_context)]
ActorDep = Annotated[Actor, Depends(get_actor)]
LoginDep = Annotated[Login, Depends(get_login)]
LangDep = Annotated[str, Depends(get_lang)]
