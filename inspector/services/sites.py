"""The site register's use cases: list, register, edit, retire and restore sites; list and add site types.

Everyone logged in reads the register (the phone picks a site from it, the
desk filters by it); only admins change it (``SitesAdminOnly``, 403, for
anyone else). Every site that comes in, from the desk, the API or an XLSX
import (``services.site_import``), goes through ``domain.sites.checked_site``.
A site's name is unique on the register, retired sites included: two places
called the same would be one line on a QR sheet and a guess on a phone.
"""

from typing import Any, Mapping

import uuid6

from inspector.domain import sites as rules
from inspector.domain.permissions import Actor
from inspector.domain.roles import Role
from inspector.errors import NotFound, SiteNameTaken, SitesAdminOnly
from inspector.i18n import CATALOGUES, DEFAULT_LANG, t
from inspector.services.context import Context
from inspector.store import site_types as type_store
from inspector.store import sites as site_store
from inspector.store.engine import read_session, write_session
from inspector.store.public import SitePublic
from inspector.store.site_types import SiteTypePublic

EDITABLE = ("name", "kind", "office_code", "lat", "lon", "address", "contact")


def site_type_name(code: str, names: Mapping[str, str] | None, lang: str) -> str:
    """The shown name of a site type: an added type's own name in ``lang``, a shipped type's from the
    catalogue (``site_type.<code>``), else any name it has, else its code."""
    names = names or {}
    if names.get(lang):
        return names[lang]
    key = f"site_type.{code}"
    if key in CATALOGUES.get(lang, CATALOGUES[DEFAULT_LANG]):
        return t(key, lang)
    return next((words for words in names.values() if words), code)


def require_admin(actor: Actor, action: str) -> None:
    """Refuse (``SitesAdminOnly``, 403) anyone but an admin: only admins change the register."""
    if actor.role != Role.ADMIN:
        raise SitesAdminOnly(action=action, role=actor.role)


# --- types ----------------------------------------------------------------------------------------
def site_types(ctx: Context) -> list[SiteTypePublic]:
    """Every site type, the shipped ones first."""
    with read_session(ctx.engine) as session:
        return type_store.site_types(session)


def type_names(ctx: Context, lang: str) -> dict[str, str]:
    """Each site type's code and its shown name in ``lang``."""
    return {st.code: site_type_name(st.code, st.names, lang) for st in site_types(ctx)}


def add_site_type(ctx: Context, actor: Actor, code: Any, names: Mapping[str, Any]) -> SiteTypePublic:
    """An admin adds a site type: its code and its names in Chinese and English."""
    require_admin(actor, "site_types.add")
    with write_session(ctx.engine) as session:
        code, names = rules.checked_type(code, names, type_store.codes(session))
        return type_store.add_site_type(session, code, names, ctx.now())


# --- sites ----------------------------------------------------------------------------------------
def list_sites(ctx: Context, office: str | None = None, include_retired: bool = False) -> list[SitePublic]:
    """The sites on the register by name (of ``office`` when given; retired ones too when asked)."""
    with read_session(ctx.engine) as session:
        if include_retired:
            return site_store.sites(session, office)
        return site_store.active_sites(session, office)


def site(ctx: Context, site_id: str) -> SitePublic:
    """The site ``site_id``, retired or not; ``NotFound`` when there is none."""
    with read_session(ctx.engine) as session:
        found = site_store.site(session, site_id)
    if found is None:
        raise NotFound(what="site", id=site_id[:40])
    return found


def _name_free(session, name: str, site_id: str | None) -> None:
    if any(other.id != site_id for other in site_store.named(session, [name])):
        raise SiteNameTaken(name=name)


def register(ctx: Context, actor: Actor, fields: Mapping[str, Any]) -> SitePublic:
    """An admin puts a new site on the register; its id is made here (a time-ordered UUID)."""
    require_admin(actor, "sites.register")
    with write_session(ctx.engine) as session:
        checked = rules.checked_site(fields, type_store.codes(session))
        _name_free(session, checked["name"], None)
        return site_store.add_site(session, SitePublic(id=str(uuid6.uuid7()), active=True, **checked))


def edit(ctx: Context, actor: Actor, site_id: str, changes: Mapping[str, Any]) -> SitePublic:
    """An admin changes some of a site's fields (the others stay; the whole site is checked again), and with
    ``active`` in ``changes`` retires or restores it, in one transaction."""
    require_admin(actor, "sites.edit")
    with write_session(ctx.engine) as session:
        current = site_store.site(session, site_id)
        if current is None:
            raise NotFound(what="site", id=site_id[:40])
        merged = {**current.model_dump(include=set(EDITABLE)),
                  **{k: v for k, v in changes.items() if k in EDITABLE}}
        checked = rules.checked_site(merged, type_store.codes(session))
        _name_free(session, checked["name"], site_id)
        if changes.get("active") is not None:
            checked["active"] = bool(changes["active"])
        return site_store.update_site(session, site_id, **checked)


def set_active(ctx: Context, actor: Actor, site_id: str, active: bool) -> SitePublic:
    """An admin retires a site (``active=False``: off the phones' lists, its items and visits keep it) or
    restores it."""
    require_admin(actor, "sites.retire" if not active else "sites.restore")
    with write_session(ctx.engine) as session:
        changed = site_store.update_site(session, site_id, active=bool(active))
    if changed is None:
        raise NotFound(what="site", id=site_id[:40])
    return changed


def public_url(ctx: Context, fallback: str) -> str:
    """Where people reach this server (``INSPECTOR_PUBLIC_URL``), else ``fallback``; without a trailing slash."""
    return (ctx.settings.public_url or fallback).rstrip("/")
