"""Health and the catalogue."""

from typing import Annotated

from fastapi import APIRouter, Query

from inspector.server.deps import ActorDep, ContextDep, PlainParameters
from inspector.server.errors import AUTHENTICATED, error_responses
from inspector.server.shapes import HealthOut, NearestSiteOut, SitesOut, nearest_out, sites_out
from inspector.services.catalog import catalogue, list_sites
from inspector.services.catalog import nearest_site as find_nearest
from inspector.sync.wire import CatalogOut

router = APIRouter(prefix="/api", tags=["catalog"], dependencies=[PlainParameters])


@router.get("/health", response_model=HealthOut)
def health() -> HealthOut:
    return HealthOut()


@router.get("/catalog", response_model=CatalogOut, responses=error_responses(*AUTHENTICATED))
def catalog(_actor: ActorDep) -> CatalogOut:
    """Offices, categories (default office, deadline days), severities, check types, roles, statuses."""
    return CatalogOut.model_validate(catalogue())


@router.get("/sites", response_model=SitesOut, responses=error_responses(*AUTHENTICATED))
def sites(_actor: ActorDep, ctx: ContextDep) -> SitesOut:
    """Registered places (construction sites, green belts, communities, office areas) with their location."""
    return sites_out(list_sites(ctx))


@router.get("/sites/nearest", response_model=NearestSiteOut, responses=error_responses(*AUTHENTICATED))
def nearest_site(_actor: ActorDep, ctx: ContextDep, lat: Annotated[float, Query(ge=-90, le=90)],
                 lon: Annotated[float, Query(ge=-180, le=180)]) -> NearestSiteOut:
    """The registered site nearest to a point, within the configured radius: ``{"site": ..., "distance_m"}``."""
    return nearest_out(find_nearest(ctx, lat, lon))
