"""Checklists against the standard: read by everyone logged in, changed by admins, each change a version.

Every site type's current checklist is its newest version; the shipped site
types start with the standard's (``inspector.domain.standard``, seeded with the
schema), a type added later has none until an admin saves one. Saving stores
a new version and never touches an old one, so a past visit keeps the points
it was scored on. An admin's save names the version it was edited from
(``base_version``): when another admin saved meanwhile, it is refused
(``ChecklistConflict``) and the editor keeps what was typed.
"""

from dataclasses import dataclass

import uuid6

from inspector.domain.checklists import Checklist, checked_points
from inspector.domain.permissions import Actor
from inspector.domain.roles import Role
from inspector.errors import ChecklistConflict, ChecklistNotFound, Forbidden, UnknownSiteType
from inspector.services.context import Context
from inspector.store import checklists as checklist_store
from inspector.store import site_types as site_type_store
from inspector.store.checklists import VersionPublic
from inspector.store.engine import read_session, write_session


@dataclass(frozen=True)
class Saved:
    checklist: Checklist  # the version in force after the save
    new: bool  # False: the points were those of the current version, nothing was stored


def current_all(ctx: Context) -> list[Checklist]:
    """The current version of every site type's checklist, by site type."""
    with read_session(ctx.engine) as session:
        return checklist_store.current_all(session)


def current(ctx: Context, site_type: str) -> Checklist | None:
    """The current version of ``site_type``'s checklist; ``None`` when it has none yet."""
    with read_session(ctx.engine) as session:
        return checklist_store.current(session, site_type)


def version(ctx: Context, checklist_id: str) -> Checklist:
    """Any version, by its id (a past visit's); ``ChecklistNotFound`` when there is none."""
    with read_session(ctx.engine) as session:
        found = checklist_store.by_id(session, checklist_id)
    if found is None:
        raise ChecklistNotFound(checklist_id=checklist_id)
    return found


def history(ctx: Context, site_type: str) -> list[VersionPublic]:
    """Every version of ``site_type``'s checklist, newest first (empty for a type without one)."""
    with read_session(ctx.engine) as session:
        return checklist_store.versions(session, site_type)


def save(ctx: Context, actor: Actor, site_type: str, points: object, base_version: int | None = None) -> Saved:
    """Store ``points`` (checked by ``domain.checklists.checked_points``) as the next version of ``site_type``'s
    checklist; admins only. An unchanged list stores nothing. With ``base_version`` (the version the edit
    started from; 0 for a type without one) a version saved meanwhile refuses it with ``ChecklistConflict``."""
    if actor.role != Role.ADMIN:
        raise Forbidden(action="checklists.save", role=actor.role)
    checked = checked_points(points)
    with write_session(ctx.engine) as session:
        if site_type not in site_type_store.codes(session):
            raise UnknownSiteType(site_type=str(site_type)[:40])
        now = checklist_store.current(session, site_type)  # read under the write lock
        in_force = now.version if now is not None else 0
        if base_version is not None and base_version != in_force:
            raise ChecklistConflict(site_type=site_type, version=in_force)
        if now is not None and now.points == checked:
            return Saved(now, new=False)
        # The number the edit aims at: two saves from one base meet at the table's UNIQUE(site_type, version).
        number = base_version + 1 if base_version is not None else in_force + 1
        made = checklist_store.add_version(session, str(uuid6.uuid7()), site_type, checked, ctx.now(), actor.id,
                                           version=number)
    return Saved(made, new=True)
