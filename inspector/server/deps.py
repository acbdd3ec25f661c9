"""Dependencies the routes declare: the context, the language, the authenticated actor.

They are ``async`` because none of them waits on anything (a token kept in memory included:
``services.token_cache``): FastAPI runs a plain ``def`` dependency on a worker thread, a hop
per dependency per request. Only a token not in memory is read on a worker thread.
"""

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from pydantic import Field

from inspector.domain.events import FIRST_DAY, LAST_DAY
from inspector.domain.permissions import Actor
from inspector.domain.text import check_text
from inspector.server.errors import request_lang
from inspector.services import auth
from inspector.services.context import Context
from inspector.store.public import PersonPublic

_bearer = HTTPBearer(auto_error=False)


async def get_context(request: Request) -> Context:
    """The context the app was made over."""
    return request.app.state.context


async def get_lang(request: Request) -> str:
    """The request's language: a route's words and its errors' words follow the same reading of the header."""
    return request_lang(request)


@dataclass(frozen=True)
class Login:
    """Who a request's bearer token belongs to, and the token itself (logout revokes it)."""

    actor: Actor
    user: PersonPublic
    token: str


async def get_login(
    ctx: Annotated[Context, Depends(get_context)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Login:
    """Who the bearer token belongs to: from memory when kept, else read on a worker thread."""
    token = credentials.credentials if credentials else None
    found = auth.authenticate_kept(ctx, token)
    if found is None:
        found = await run_in_threadpool(auth.authenticate, ctx, token)
    actor, user = found
    return Login(actor, user, token)


async def get_actor(login: Annotated[Login, Depends(get_login)]) -> Actor:
    return login.actor


ContextDep = Annotated[Context, Depends(get_context)]
ActorDep = Annotated[Actor, Depends(get_actor)]
LoginDep = Annotated[Login, Depends(get_login)]
LangDep = Annotated[str, Depends(get_lang)]

# --- bounds of what a request may say -------------------------------------------------------------
DAY_RANGE = f"between {FIRST_DAY} and {LAST_DAY}"
# A month as YYYY-MM within the same years.
MONTH_PATTERN = r"^20[0-9]{2}-(0[1-9]|1[0-2])$"
# Counters and cursors are 64-bit signed integers in the database.
INT64_MAX = 2**63 - 1
# Deeper than this an item list is not paged by a person; it also keeps OFFSET far from 64 bits.
MAX_PAGE = 100_000
# A code, an id or a word typed into a filter.
MAX_WORD = 100

BodyDay = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY, description=f"a local day {DAY_RANGE}")]


def day_query(description: str, alias: str | None = None):
    """A query parameter that is a local day within ``FIRST_DAY`` .. ``LAST_DAY``."""
    return Query(alias=alias, ge=FIRST_DAY, le=LAST_DAY, description=f"{description} ({DAY_RANGE})")


Word = Annotated[str | None, Query(max_length=MAX_WORD)]


async def plain_parameters(request: Request) -> None:
    """Refuse a path or query parameter holding a control character (``ControlCharacters``, 422):
    no code, id, day or search word has one, and PostgreSQL cannot even compare text with a NUL."""
    for name, value in (*request.path_params.items(), *request.query_params.multi_items()):
        if isinstance(value, str):
            check_text(value, name)


PlainParameters = Depends(plain_parameters)
