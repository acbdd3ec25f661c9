"""The supervisor's desk: a wide-screen shell (review, map, scores, reports, admin) for supervisors and admins.

``App.enter`` asks ``desk_hook`` first: True when the desk took the page,
False for the phone layout (``layout`` says who gets which). The sections
are listed in ``sections``; ``shell`` is the frame around them.
"""

from inspector.ui.desk.layout import (LAYOUT_KEY, MIN_WIDTH, TOGGLE, may_use_desk, phone_toggle, use_desk, use_phone,
                                     wants_desk)

__all__ = ["LAYOUT_KEY", "MIN_WIDTH", "TOGGLE", "desk_hook", "may_use_desk", "use_desk", "use_phone"]


async def desk_hook(app, ws, token) -> bool:
    """Called by ``App.enter``: True when the desk took over the page, False for the phone layout."""
    previous = getattr(app, "desk", None)
    if previous is not None:
        previous.close()
    app.desk = None
    if not may_use_desk(ws):
        phone_toggle(app, False)
        return False
    if not await wants_desk(app):
        phone_toggle(app, True)
        return False
    app.generation += 1  # the phone's background loops stop
    app.ws, app.token = ws, token
    app.login_view = None
    app.views = {}
    app.stack.clear()
    from inspector.ui.desk.shell import DeskShell  # lazy: its reports need fpdf2/openpyxl, not on the phone
    app.desk = DeskShell(app, ws, saver=getattr(app, "desk_saver", None))
    await app.desk.start()
    return True
