"""Who may read an office's figures: its scores, its campaign summary, its information reports.

One rule for every figure: supervisors and admins read every office's (or
the one they ask for); office staff and leaders their own office's only;
everyone else nothing.
"""

from inspector.domain import catalog
from inspector.domain.permissions import Actor
from inspector.domain.roles import DECIDERS
from inspector.errors import Forbidden, UnknownOffice


def readable_offices(actor: Actor, office: str | None = None, action: str = "scores") -> list[str]:
    """The offices whose figures ``actor`` may read, narrowed to ``office`` when given.

    ``UnknownOffice`` for an office not in the catalogue; ``Forbidden`` (naming
    ``action``) when ``actor`` may read none of what was asked.
    """
    if office is not None and office not in catalog.OFFICE_CODES:
        raise UnknownOffice(office=office)
    if actor.role in DECIDERS:
        return [office] if office else [o.code for o in catalog.OFFICES]
    if actor.is_office and actor.office and office in (None, actor.office):
        return [actor.office]
    raise Forbidden(action=action, role=actor.role)
