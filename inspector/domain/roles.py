"""The roles a person may hold, and the groups of them the rules speak of.

This is the one list of roles: the catalogue, the permissions, the screens
and the store all name a role through ``Role``. A ``Role`` is a ``str``, so it
compares equal to the code stored in ``users.role`` and sent over the wire.
"""

from enum import StrEnum


class Role(StrEnum):
    INSPECTOR = "inspector"  # 巡查员: reports problems, does look-backs
    OFFICE_STAFF = "office_staff"  # 科室人员: fixes what is assigned to the office
    OFFICE_LEADER = "office_leader"  # 科室负责人: answers for the office
    SUPERVISOR = "supervisor"  # 督查组: assigns, verifies, grades
    SPOT_CHECKER = "spot_checker"  # 人大代表/政协委员: delegated outsider, spot checks
    ADMIN = "admin"  # 管理员: everything a supervisor may, and the campaign's settings
    # D (督办): the server itself, making the deadline reminders and supervision steps. No person holds it:
    # ``inspector user add`` refuses it, its one account (``domain.supervision.SYSTEM_USER_ID``) cannot log in.
    SYSTEM = "system"


OFFICE_ROLES = frozenset({Role.OFFICE_STAFF, Role.OFFICE_LEADER})  # people of one office
DECIDERS = frozenset({Role.SUPERVISOR, Role.ADMIN})  # assign, verify, reject, dismiss, answer disputes
LOOK_BACK_ROLES = frozenset({Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN})  # re-inspect verified items
DESK_ROLES = DECIDERS  # who gets the desk on a wide window
PEOPLE = frozenset(Role) - {Role.SYSTEM}  # the roles a person may hold (D: not the server's own)
SEES_ALL = DECIDERS | {Role.SYSTEM}  # see every item (the server's sweep reads every open item)


def role_of(code: str) -> Role:
    """The ``Role`` of a stored or sent code; ``ValueError`` for a code that is none."""
    return Role(code)


def person_role_of(code: str) -> Role:
    """The ``Role`` a person may be given; ``ValueError`` for a code that is none or the server's own."""
    role = Role(code)
    if role not in PEOPLE:
        raise ValueError(code)
    return role
