"""Admin (设置): the campaign and the checklists on the left; delegations, spot-check samples and
cross-inspection rounds on the right.

Admins change everything here; supervisors see it, may add check rounds, and
are told what only an admin may do. The services check it all again. Each
card is a ``Panel`` of its own module; this screen reads what they share
(the spot checkers, the sites), asks each to load, and lays them out.
"""

import flet as ft

from inspector.domain.roles import Role
from inspector.ui import theme
from inspector.ui.desk.admin_campaign import CampaignPanel
from inspector.ui.desk.admin_checklists import ChecklistsPanel
from inspector.ui.desk.admin_delegations import DelegationsPanel
from inspector.ui.desk.admin_rounds import RoundsPanel
from inspector.ui.desk.admin_samples import SamplesPanel
from inspector.ui.desk.parts import SECTION_PADDING, loading, text
from inspector.ui.desk.section import Section


class AdminView(Section):
    def __init__(self, shell):
        super().__init__(shell)
        self.is_admin = shell.ws.actor.role == Role.ADMIN
        self.values: dict[str, str] = {"size": "5"}  # what every card's fields hold
        self.messages: dict[str, tuple[str, bool]] = {}  # card -> (words, is_error)
        self.checkers: list = []  # the spot checkers (delegations, samples)
        self.sites: list = []
        self.error: str | None = None  # why the screen could not be read
        self.campaign_panel = CampaignPanel(self)
        self.delegations_panel = DelegationsPanel(self)
        self.samples_panel = SamplesPanel(self)
        self.rounds_panel = RoundsPanel(self)
        self.checklists_panel = ChecklistsPanel(self)  # issue 11: checklists against the standard
        self.panels = (self.campaign_panel, self.delegations_panel, self.samples_panel, self.rounds_panel,
                       self.checklists_panel)
        self.render()

    async def load(self) -> None:
        with self.guard(self.unreadable) as failure:
            self.checkers = await self.shell.call(self.desk.checkers)
            self.sites = await self.shell.call(self.desk.sites)
            for panel in self.panels:
                await panel.load()
        if not failure.failed:
            if self.checkers:
                self.values.setdefault("checker", self.checkers[0].id)
                self.values.setdefault("sample_checker", self.checkers[0].id)
            self.error, self.loaded = None, True
        self.render()

    def unreadable(self, words: str) -> None:
        self.error = words
        self.warn(words)

    def say(self, card: str, words: str, error: bool = False) -> None:
        """How the last action of ``card`` went, under it; a failure also in a red snackbar."""
        self.messages[card] = (words, error)
        if error:
            self.warn(words)

    def build(self) -> ft.Control:
        if self.error:
            return ft.Container(text(self.error, size=theme.SMALL, color=theme.DANGER), padding=theme.SPACE_PAGE)
        if not self.loaded:
            return loading()
        column = {"spacing": theme.SPACE_XXL, "expand": 1, "scroll": ft.ScrollMode.AUTO,
                  "horizontal_alignment": ft.CrossAxisAlignment.STRETCH}
        left = ft.Column([self.campaign_panel.build(), self.checklists_panel.build()], **column)
        right = ft.Column([self.delegations_panel.build(), self.samples_panel.build(), self.rounds_panel.build()],
                          **column)
        return ft.Container(ft.Row([left, right], spacing=theme.SPACE_XXL, expand=True,
                                   vertical_alignment=ft.CrossAxisAlignment.START),
                            padding=SECTION_PADDING, expand=True)
