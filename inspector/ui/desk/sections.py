"""The desk's sections, in the order of its rail: name, icons, and the view that draws each.

The one module that imports every section, so that the shell can build
them by name and no section needs to import the shell.
"""

from typing import NamedTuple

import flet as ft

from inspector.ui.desk.admin import AdminView
from inspector.ui.desk.admin_sites import SitesView
from inspector.ui.desk.coverage import CoverageView
from inspector.ui.desk.findings import FindingsView
from inspector.ui.desk.map import MapView
from inspector.ui.desk.reports import ReportsView
from inspector.ui.desk.returns import ReturnsView
from inspector.ui.desk.review import ReviewView
from inspector.ui.desk.scores import ScoresView
from inspector.ui.desk.supervision import SupervisionView


class Destination(NamedTuple):
    view: type
    icon: ft.IconData
    selected_icon: ft.IconData


DESTINATIONS: dict[str, Destination] = {
    "review": Destination(ReviewView, ft.Icons.FACT_CHECK_OUTLINED, ft.Icons.FACT_CHECK),
    "map": Destination(MapView, ft.Icons.MAP_OUTLINED, ft.Icons.MAP),
    "returns": Destination(ReturnsView, ft.Icons.UNDO_OUTLINED, ft.Icons.UNDO),  # A: 退回 and their rates
    "supervision": Destination(SupervisionView, ft.Icons.ALARM_OUTLINED, ft.Icons.ALARM),  # D: 督办
    # issue 11: 巡检覆盖, the sites due and overdue for a visit, listed and on the map
    "coverage": Destination(CoverageView, ft.Icons.PLACE_OUTLINED, ft.Icons.PLACE),
    "scores": Destination(ScoresView, ft.Icons.LEADERBOARD_OUTLINED, ft.Icons.LEADERBOARD),
    "reports": Destination(ReportsView, ft.Icons.DESCRIPTION_OUTLINED, ft.Icons.DESCRIPTION),
    # issue 11: the technical assessment's findings, their import and the re-check pack (复核材料)
    "findings": Destination(FindingsView, ft.Icons.ASSIGNMENT_TURNED_IN_OUTLINED, ft.Icons.ASSIGNMENT_TURNED_IN),
    # issue 11: 场所, the site register, its types, the XLSX import and the QR sheet
    "sites": Destination(SitesView, ft.Icons.LOCATION_CITY_OUTLINED, ft.Icons.LOCATION_CITY),
    "admin": Destination(AdminView, ft.Icons.SETTINGS_OUTLINED, ft.Icons.SETTINGS),
}
SECTIONS = tuple(DESTINATIONS)
