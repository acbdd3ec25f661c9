"""The supervisor's desk: a wide-screen shell (review, map, scores, reports, admin) for supervisors and admins.

``App.enter`` asks ``desk_hook`` first. Supervisors and admins of the web UI
inside the server get the desk on a window at least ``MIN_WIDTH`` px wide
(``page.width``), unless they chose the phone layout; everyone else, and the
field client, gets the phone's four tabs. The choice is kept on the device
(``inspector.layout``): the desk's rail has 手机版, and the phone layout's
status bar gets 桌面版 for those who may use the desk.
"""

import logging

import flet as ft

from inspector.domain.permissions import DECIDERS
from inspector.i18n import t

log = logging.getLogger(__name__)
LAYOUT_KEY = "inspector.layout"
MIN_WIDTH = 1000
TOGGLE = "desk-toggle"  # ``data`` of the 桌面版 button in the phone layout's status bar


def may_use_desk(ws) -> bool:
    """Supervisors and admins, on the server's own database (the desk reads scores, reports, campaign)."""
    from inspector.services.workspace import ServerWorkspace

    return isinstance(ws, ServerWorkspace) and ws.actor.role in DECIDERS


async def wants_desk(app) -> bool:
    layout = await app.prefs.get(LAYOUT_KEY)
    if layout in ("desk", "phone"):
        return layout == "desk"
    return (app.page.width or 0) >= MIN_WIDTH


async def desk_hook(app, ws, token) -> bool:
    """Called by ``App.enter``: True when the desk took over the page, False for the phone layout."""
    from inspector.ui.desk.shell import DeskShell

    previous = getattr(app, "desk", None)
    if previous is not None:
        previous.close()
    app.desk = None
    if not may_use_desk(ws):
        _phone_toggle(app, False)
        return False
    if not await wants_desk(app):
        _phone_toggle(app, True)
        return False
    app.generation += 1  # the phone's background loops stop
    app.ws, app.token = ws, token
    app.login_view = None
    app.views = {}
    app.stack.clear()
    app.desk = DeskShell(app, ws, saver=getattr(app, "desk_saver", None))
    await app.desk.start()
    return True


async def use_phone(app) -> None:
    await app.prefs.set(LAYOUT_KEY, "phone")
    await app.enter(app.ws, app.token)


async def use_desk(app, e=None) -> None:
    if app.ws is None:
        return
    await app.prefs.set(LAYOUT_KEY, "desk")
    await app.enter(app.ws, app.token)


def _phone_toggle(app, wanted: bool) -> None:
    """Put 桌面版 into (or take it out of) the phone layout's status bar row."""
    try:
        row = app.sync_bar.root.content.controls[0]
        controls = row.controls
    except (AttributeError, IndexError, TypeError):
        log.info("no status bar row to hold the desk toggle")
        return
    present = [c for c in controls if getattr(c, "data", None) == TOGGLE]
    for control in present:
        controls.remove(control)
    if wanted:
        async def switch(e):
            await use_desk(app)

        controls.append(ft.TextButton(t("desk.to_desk", app.lang), icon=ft.Icons.DESKTOP_WINDOWS, data=TOGGLE,
                                      on_click=switch, height=32))
