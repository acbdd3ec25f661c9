"""Health and the catalogue."""

from typing import Annotated

from fastapi import APIRouter, Query

from inspector.server.deps import ActorDep, ContextDep, PlainParameters
from inspector.server.errors import AUTHENTICATED, error_responses
from inspector.services.catalog import catalogue, list_sites
from inspector.services.catalog import nearest_site as find_nearest

router = APIRouter(prefix="/api", tags=["catalog"], dependencies=[PlainParameters])


@router.get("/health")
def health() -> dict:
    return {"status": "ok"}


@router.get("/catalog", responses=error_responses(*AUTHENTICATED))
def catalog(_actor: ActorDep) -> dict:
    """Offices, categories (default office, deadline days), severities, check types, roles, statuses."""
    return catalogue()


@router.get("/sites", responses=error_responses(*AUTHENTICATED))
def sites(_actor: ActorDep, ctx: ContextDep) -> dict:
    """Registered places (construction sites, green belts, communities, office areas) with their location."""
    return {"sites": [s.model_dump() for s in list_sites(ctx)]}


@router.get("/sites/nearest", responses=error_responses(*AUTHENTICATED))
def nearest_site(_actor: ActorDep, ctx: ContextDep, lat: Annotated[float, Query(ge=-90, le=90)],
                 lon: Annotated[float, Query(ge=-180, le=180)]) -> dict:
    """The registered site nearest to a point, within the configured radius: ``{"site": ..., "distance_m"}``."""
    found = find_nearest(ctx, lat, lon)
    if found is None:
        return {"site": None, "distance_m": None}
    site, metres = found
    return {"site": site.model_dump(), "distance_m": round(metres, 1)}
