"""Health and the catalogue."""

from fastapi import APIRouter

from inspector.server.deps import ActorDep, ContextDep
from inspector.services.catalog import catalogue, list_sites

router = APIRouter(prefix="/api", tags=["catalog"])


@router.get("/health")
def health() -> dict:
    return {"status": "ok"}


@router.get("/catalog")
def catalog(_actor: ActorDep) -> dict:
    """Offices, categories (default office, deadline days), severities, check types, roles, statuses."""
    return catalogue()


@router.get("/sites")
def sites(_actor: ActorDep, ctx: ContextDep) -> dict:
    """Registered places (construction sites, green belts, communities, office areas) with their location."""
    return {"sites": [s.model_dump() for s in list_sites(ctx)]}
