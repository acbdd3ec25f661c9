"""The bottom navigation each role gets on the phone, and the view behind each tab.

Inspectors, office staff (and supervisors on a phone): 上报 · 我的 · 待办 · 我.
Spot checkers (deputies, CPPCC members): 抽查 (their sample, blind) · 上报
(new problems, check type 抽查) · 单位 (the delegated offices' records) · 我.
"""

from dataclasses import dataclass

import flet as ft

from inspector.domain.roles import Role
from inspector.ui.views.base import View
from inspector.ui.views.me import MeView
from inspector.ui.views.mine import MineView
from inspector.ui.views.offices import OfficesView
from inspector.ui.views.report import ReportView
from inspector.ui.views.spot import SpotView
from inspector.ui.views.todo import TodoView


@dataclass(frozen=True)
class Tab:
    name: str
    icon: ft.IconData
    selected_icon: ft.IconData
    label_key: str  # bottom navigation
    title_key: str  # app bar
    view: type[View]  # made once per login, for the person logged in


REPORT = Tab("report", ft.Icons.ADD_A_PHOTO_OUTLINED, ft.Icons.ADD_A_PHOTO, "ui.nav.report", "ui.title.report",
             ReportView)
MINE = Tab("mine", ft.Icons.LIST_ALT_OUTLINED, ft.Icons.LIST_ALT, "ui.nav.mine", "ui.title.mine", MineView)
TODO = Tab("todo", ft.Icons.ASSIGNMENT_OUTLINED, ft.Icons.ASSIGNMENT, "ui.nav.todo", "ui.title.todo", TodoView)
ME = Tab("me", ft.Icons.PERSON_OUTLINE, ft.Icons.PERSON, "ui.nav.me", "ui.title.me", MeView)
SPOT = Tab("spot", ft.Icons.FACT_CHECK_OUTLINED, ft.Icons.FACT_CHECK, "ui.oversight.nav.spot",
           "ui.oversight.title.spot", SpotView)
OFFICES = Tab("offices", ft.Icons.DOMAIN_OUTLINED, ft.Icons.DOMAIN, "ui.oversight.nav.offices",
              "ui.oversight.title.offices", OfficesView)

DEFAULT_TABS = (REPORT, MINE, TODO, ME)
SPOT_CHECKER_TABS = (SPOT, REPORT, OFFICES, ME)


def tabs_for(role: str) -> tuple[Tab, ...]:
    """The tabs of a person holding ``role``."""
    return SPOT_CHECKER_TABS if role == Role.SPOT_CHECKER else DEFAULT_TABS


def make_views(app, tabs: tuple[Tab, ...]) -> dict[str, View]:
    """One view per tab, made for the person now logged in."""
    return {tab.name: tab.view(app) for tab in tabs}
