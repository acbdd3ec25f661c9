"""The bottom navigation each role gets on the phone.

Inspectors, office staff (and supervisors on a phone): 上报 · 我的 · 待办 · 我.
Spot checkers (deputies, CPPCC members): 抽查 (their sample, blind) · 上报
(new problems, check type 抽查) · 单位 (the delegated offices' records) · 我.
"""

from dataclasses import dataclass

import flet as ft


@dataclass(frozen=True)
class Tab:
    name: str
    icon: ft.IconData
    selected_icon: ft.IconData
    label_key: str  # bottom navigation
    title_key: str  # app bar


REPORT = Tab("report", ft.Icons.ADD_A_PHOTO_OUTLINED, ft.Icons.ADD_A_PHOTO, "ui.nav.report", "ui.title.report")
MINE = Tab("mine", ft.Icons.LIST_ALT_OUTLINED, ft.Icons.LIST_ALT, "ui.nav.mine", "ui.title.mine")
TODO = Tab("todo", ft.Icons.ASSIGNMENT_OUTLINED, ft.Icons.ASSIGNMENT, "ui.nav.todo", "ui.title.todo")
ME = Tab("me", ft.Icons.PERSON_OUTLINE, ft.Icons.PERSON, "ui.nav.me", "ui.title.me")
SPOT = Tab("spot", ft.Icons.FACT_CHECK_OUTLINED, ft.Icons.FACT_CHECK, "ui.oversight.nav.spot",
           "ui.oversight.title.spot")
OFFICES = Tab("offices", ft.Icons.DOMAIN_OUTLINED, ft.Icons.DOMAIN, "ui.oversight.nav.offices",
              "ui.oversight.title.offices")

DEFAULT_TABS = (REPORT, MINE, TODO, ME)
SPOT_CHECKER_TABS = (SPOT, REPORT, OFFICES, ME)


def tabs_for(role: str) -> tuple[Tab, ...]:
    return SPOT_CHECKER_TABS if role == "spot_checker" else DEFAULT_TABS


def make_views(app, tabs: tuple[Tab, ...]) -> dict:
    """One view per tab, made for the person now logged in."""
    from inspector.ui.views.me import MeView
    from inspector.ui.views.mine import MineView
    from inspector.ui.views.offices import OfficesView
    from inspector.ui.views.report import ReportView
    from inspector.ui.views.spot import SpotView
    from inspector.ui.views.todo import TodoView

    kinds = {"report": ReportView, "mine": MineView, "todo": TodoView, "me": MeView, "spot": SpotView,
             "offices": OfficesView}
    return {tab.name: kinds[tab.name](app) for tab in tabs}
