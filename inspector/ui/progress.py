"""One small progress line for work that takes over a second: a bar and its words.

``Progress`` is a bar with "what, n/total" under it (``step``), or a running
bar with words only (``busy``) when the total is not known; ``done`` hides it. They only set the controls: the
caller sends them (``refresh``), once, with whatever else changed.
Used by the sync bar (a round: "上传照片 3/12"), the report form (photos
being read and saved) and the desk's report generation.
"""

import flet as ft

from inspector.ui import theme

BAR_H = 4  # the bar's thickness


class Progress:
    """A progress bar with its words; hidden until ``busy`` or ``step``."""

    def __init__(self, identifier: str = "progress"):
        self.words = ft.Text("", size=theme.SMALL, color=theme.MUTED, weight=ft.FontWeight.W_600)
        self.bar = ft.ProgressBar(value=None, bar_height=BAR_H, color=theme.PRIMARY, bgcolor=theme.LINE)
        self.box = ft.Column([self.bar, self.words], spacing=theme.SPACE_XXS)
        # Hidden on the wrapper: Flet's Semantics must have a visible content.
        self.root = ft.Semantics(content=self.box, identifier=identifier, container=True, visible=False)

    @property
    def running(self) -> bool:
        return bool(self.root.visible)

    def busy(self, words: str) -> None:
        """Work whose size is not known: a running bar."""
        self._set(None, words)

    def step(self, done: int, total: int, words: str) -> None:
        """``done`` of ``total`` steps (the words say them: "上传照片 3/12")."""
        self._set(done / total if total else None, words)

    def done(self) -> None:
        self.root.visible = False

    def _set(self, value: float | None, words: str) -> None:
        self.bar.value = value
        self.words.value = words
        self.root.visible = True
