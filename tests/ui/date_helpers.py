"""Picking a day in the UI harness: tap the field, answer the ``DatePicker`` it opened as the client would."""

from datetime import date, datetime, time

import flet as ft


async def pick_day(ui, field: ft.TextField, day: date) -> ft.DatePicker:
    """Open ``field``'s picker and choose ``day`` (Flutter answers with the local midnight); the picker back."""
    await ui.fire(field, "click")
    picker = ui.page._dialogs.controls[-1]
    assert isinstance(picker, ft.DatePicker), f"no date picker opened, found {type(picker).__name__}"
    picker.value = datetime.combine(day, time())
    await ui.session.dispatch_event(picker._i, "change", None)
    ui.assert_no_crash()
    return picker
