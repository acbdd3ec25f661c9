"""The bottom navigation each role gets on the phone, the tab it lands on, and the view behind each tab.

Inspectors, office staff (and supervisors on a phone): 上报 · 我的 · 待办 · 我.
Spot checkers (deputies, CPPCC members): 抽查 (their sample, blind) · 上报
(new problems, check type 抽查) · 单位 (the delegated offices' records) · 我.
After login each lands where their work is: office staff on 待办, spot
checkers on 抽查, inspectors (and the rest) on 上报 (``NAVIGATION``).
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


@dataclass(frozen=True)
class Navigation:
    """A role's bottom navigation and the tab shown first after login."""

    tabs: tuple[Tab, ...]
    landing: Tab

    def __post_init__(self):
        if self.landing not in self.tabs:
            raise ValueError(f"the landing tab {self.landing.name} is not among the tabs")

    @property
    def landing_index(self) -> int:
        return self.tabs.index(self.landing)


DEFAULT_NAVIGATION = Navigation(DEFAULT_TABS, REPORT)
NAVIGATION: dict[Role, Navigation] = {
    Role.INSPECTOR: DEFAULT_NAVIGATION,
    Role.OFFICE_STAFF: Navigation(DEFAULT_TABS, TODO),
    Role.OFFICE_LEADER: Navigation(DEFAULT_TABS, TODO),
    Role.SUPERVISOR: DEFAULT_NAVIGATION,
    Role.ADMIN: DEFAULT_NAVIGATION,
    Role.SPOT_CHECKER: Navigation(SPOT_CHECKER_TABS, SPOT),
}


def navigation_for(role: str) -> Navigation:
    """The tabs of a person holding ``role`` and the one they land on."""
    return NAVIGATION.get(role, DEFAULT_NAVIGATION)


def make_views(app, tabs: tuple[Tab, ...]) -> dict[str, View]:
    """One view per tab, made for the person now logged in."""
    return {tab.name: tab.view(app) for tab in tabs}
