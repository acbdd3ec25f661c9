"""A small form in a dialog: fields, a confirm button, the problem in words inside the dialog.

``FormDialog(shell, title, fields, confirm, on_confirm)`` where each field is
``(name, kind, label, default, options)`` with kind ``text``, ``multiline``,
``date`` (picked: ``ui.date_field``, kept as YYYY-MM-DD, ``options`` its first day), ``dropdown`` or ``checks`` (several of ``options``, kept as
``code,code``). ``on_confirm(values)`` returns None
when done (the dialog closes) or the words of what is wrong (it stays open,
what was typed is kept). Letter shortcuts are off while a dialog is open.
"""

from typing import Awaitable, Callable

import flet as ft

from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.date_field import date_field
from inspector.ui.desk.parts import field
from inspector.ui.widgets import refresh

FORM_W = 440
FIELD_W = FORM_W - 20
PRESET_H = 30


class FormDialog:
    def __init__(self, shell, title: str, fields: list[tuple], confirm: str,
                 on_confirm: Callable[[dict], Awaitable[str | None]], note: str | None = None,
                 danger: bool = False, presets: list[str] | None = None, preset_field: str | None = None):
        self.shell, self.on_confirm = shell, on_confirm
        self.values: dict[str, str] = {name: default or "" for name, _, _, default, _ in fields}
        self.busy = False
        lang = shell.lang
        self.controls: dict[str, ft.Control] = {}
        body: list[ft.Control] = []
        if note:
            body.append(ft.Text(note, size=theme.DENSE, color=theme.MUTED))
        for name, kind, label, default, options in fields:
            if kind == "dropdown":
                control = ft.Dropdown(label=label, options=[ft.DropdownOption(key=k, text=v) for k, v in options],
                                      value=default, on_select=self.on_select, data=name, width=FIELD_W,
                                      enable_search=False, text_size=theme.SMALL)
            elif kind == "checks":
                chosen = set(filter(None, (default or "").split(",")))
                control = ft.Column([ft.Text(label, size=theme.SMALL, color=theme.MUTED),
                                     ft.Row([ft.Checkbox(label=v, value=k in chosen, data=(name, k),
                                                         on_change=self.on_check) for k, v in options],
                                            wrap=True, spacing=theme.SPACE_M)], spacing=theme.SPACE_XS)
            else:
                extra = {"multiline": True, "min_lines": 2, "max_lines": 4} if kind == "multiline" else {}
                if kind == "date":  # picked, never typed; ``options`` is the first day offered, if any
                    control = date_field(shell.page, self.values, name, label, lang, width=FIELD_W, first=options)
                    self.controls[name] = control
                    body.append(control)
                    continue
                control = field(shell, self.values, name, label, width=FIELD_W, autofocus=not self.controls, **extra)
            self.controls[name] = control
            body.append(control)
        if presets and preset_field:
            self.preset_field = preset_field
            body.append(ft.Row([ft.OutlinedButton(p, on_click=self.on_preset, data=p, height=PRESET_H,
                                                  style=ft.ButtonStyle(padding=ft.Padding.symmetric(
                                                      horizontal=theme.SPACE_M)))
                                for p in presets], wrap=True, spacing=theme.SPACE_S, run_spacing=theme.SPACE_S))
        self.error = ft.Text("", color=theme.DANGER, size=theme.SMALL, weight=ft.FontWeight.W_600, visible=False)
        body.append(self.error)
        style = ft.ButtonStyle(bgcolor=theme.DANGER, color=theme.ON_COLOUR) if danger else None
        self.confirm_button = ft.FilledButton(confirm, on_click=self.submit, style=style)
        self.cancel_button = ft.TextButton(t("ui.cancel", lang), on_click=self.cancel)
        self.dialog = ft.AlertDialog(title=ft.Text(title, size=theme.TITLE, weight=ft.FontWeight.BOLD),
                                     content=ft.Container(ft.Column(body, spacing=theme.SPACE_XL, tight=True),
                                                          width=FORM_W),
                                     actions=[self.cancel_button, self.confirm_button], modal=True)

    def open(self) -> None:
        self.shell.show_dialog(self.dialog)

    async def on_select(self, e) -> None:
        self.values[e.control.data] = e.control.value or ""

    async def on_check(self, e) -> None:
        name, code = e.control.data
        chosen = [c for c in self.values.get(name, "").split(",") if c and c != code]
        self.values[name] = ",".join(chosen + [code] if e.control.value else chosen)

    async def on_preset(self, e) -> None:
        control = self.controls[self.preset_field]
        control.value = e.control.data
        self.values[self.preset_field] = e.control.data
        control.update()

    async def cancel(self, e=None) -> None:
        self.shell.close_dialog()

    async def submit(self, e=None) -> None:
        if self.busy:
            return
        self.busy = True
        self.confirm_button.disabled = True
        try:
            problem = await self.on_confirm(dict(self.values))
        finally:
            self.busy = False
            self.confirm_button.disabled = False
        if problem:
            self.error.value = problem
            self.error.visible = True
            refresh(self.dialog)
            return
        self.shell.close_dialog()
        self.shell.update()
