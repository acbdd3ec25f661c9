"""Desk or phone: who may use the desk, which layout a person gets, and the switch between the two.

Supervisors and admins of the web UI inside the server get the desk on a
window at least ``MIN_WIDTH`` px wide (``page.width``), unless they chose the
phone layout; everyone else, and the field client, gets the phone's four
tabs. The choice is kept on the device (``LAYOUT_KEY``): the desk's rail has
手机版, and the phone layout's status bar gets 桌面版 for those who may use the desk.
"""

import logging

import flet as ft

from inspector.domain.roles import DESK_ROLES
from inspector.i18n import t
from inspector.services.workspace import ServerWorkspace

log = logging.getLogger(__name__)
LAYOUT_KEY = "inspector.layout"
MIN_WIDTH = 1000
TOGGLE = "desk-toggle"  # ``data`` of the 桌面版 button in the phone layout's status bar
TOGGLE_H = 32  # it fits in the status bar


def may_use_desk(ws) -> bool:
    """Supervisors and admins, on the server's own database (the desk reads scores, reports, campaign)."""
    return isinstance(ws, ServerWorkspace) and ws.actor.role in DESK_ROLES


async def wants_desk(app) -> bool:
    layout = await app.prefs.get(LAYOUT_KEY)
    if layout in ("desk", "phone"):
        return layout == "desk"
    return (app.page.width or 0) >= MIN_WIDTH


async def use_phone(app) -> None:
    await app.prefs.set(LAYOUT_KEY, "phone")
    await app.enter(app.ws, app.token)


async def use_desk(app, e=None) -> None:
    if app.ws is None:
        return
    await app.prefs.set(LAYOUT_KEY, "desk")
    await app.enter(app.ws, app.token)


def phone_toggle(app, wanted: bool) -> None:
    """Put 桌面版 into (or take it out of) the phone layout's status bar row."""
    try:
        row = app.sync_bar.root.content.controls[0]
        controls = row.controls
    except (AttributeError, IndexError, TypeError):  # the status bar is drawn differently: no place for it
        log.info("no status bar row to hold the desk toggle")
        return
    present = [c for c in controls if getattr(c, "data", None) == TOGGLE]
    for control in present:
        controls.remove(control)
    if wanted:
        async def switch(e):
            await use_desk(app)

        controls.append(ft.TextButton(t("desk.to_desk", app.lang), icon=ft.Icons.DESKTOP_WINDOWS, data=TOGGLE,
                                      on_click=switch, height=TOGGLE_H))
