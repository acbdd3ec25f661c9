"""A day picked with Flet's ``DatePicker``, never typed: one widget for the phone and the desk.

``DateField(page, values, name, label, lang, first=..., last=...)`` keeps the
chosen day in ``values[name]`` as ``YYYY-MM-DD`` (what the forms already parse)
and shows it in the language's own words ("2026年12月2日", "Dec 2, 2026"). A tap
on the field, or on its calendar icon, opens the picker; the field cannot be
typed into, so there is no "not a date" error left to show. ``first``/``last``
bound the days offered: ``earliest_extension_day`` reads the earliest day an
extension may name from the decision's own rule (``extension_date_passed``).

Days cross the wire as datetimes (Flet sends them in UTC): a day is sent as its
noon in UTC and read back by rounding to the nearest midnight, so the browser's
time zone (anything within twelve hours of UTC) never shifts it by one.
"""

from datetime import date, datetime, time, timedelta, timezone
from typing import Awaitable, Callable
from zoneinfo import ZoneInfo

import flet as ft

from inspector.domain.decision import extension_date_passed
from inspector.domain.events import parse_deadline
from inspector.i18n import t
from inspector.ui import theme

LOCALES = {"zh_CN": ft.Locale("zh", "CN"), "en": ft.Locale("en", "GB")}
PICKER_FIRST, PICKER_LAST = date(2000, 1, 1), date(2100, 1, 1)


def earliest_extension_day(now: datetime, zone: ZoneInfo) -> date:
    """The first day an extension may be asked for or granted to at ``now`` (the decision's rule)."""
    today = now.astimezone(zone).date()
    if extension_date_passed(parse_deadline(today.isoformat(), zone), now):
        return today + timedelta(days=1)
    return today


def to_wire(day: date) -> datetime:
    """A day as the picker's datetime: noon UTC, the same calendar day in every nearby time zone."""
    return datetime.combine(day, time(12), tzinfo=timezone.utc)


def from_wire(value: datetime | date | str | None) -> date | None:
    """The day the picker chose, whatever zone its midnight came back in."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc)
        if value.time() == time(12):  # our own ``to_wire`` value, come back unchanged
            return value.date()
    return (value + timedelta(hours=12)).date()


def day_words(day: date | None, lang: str) -> str:
    """The day as the language writes it: "2026年12月2日", "Dec 2, 2026"; empty for no day."""
    if day is None:
        return ""
    return t("ui.date.format", lang, year=day.year, day=day.day, month=day.month,
             mon=t(f"ui.date.mon.{day.month}", lang))


def parse_iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip()[:10]) if (value or "").strip() else None
    except ValueError:  # an old typed value: shown as no day, the picker starts from today
        return None


class DateField:
    """A read-only field showing ``values[name]`` in words; a tap opens the date picker."""

    def __init__(self, page: ft.Page, values: dict, name: str, label: str, lang: str, *,
                 first: date | None = None, last: date | None = None, width: int | None = None,
                 disabled: bool = False, clearable: bool = False, text_size: int = theme.SMALL,
                 dense: bool = True, on_change: Callable[[ft.Event], Awaitable[None]] | None = None,
                 today: date | None = None, **kw):
        self.page, self.values, self.name, self.lang = page, values, name, lang
        self.first, self.last, self.extra_change = first, last, on_change
        self.today = today
        suffix: ft.Control = ft.IconButton(ft.Icons.CALENDAR_MONTH, on_click=self.open, disabled=disabled,
                                           tooltip=t("ui.date.pick", lang), icon_size=18)
        if clearable:  # a filter's day may be left out again
            suffix = ft.Row([ft.IconButton(ft.Icons.CLEAR, on_click=self.clear, disabled=disabled, icon_size=16,
                                           tooltip=t("ui.date.clear", lang), data=f"clear:{name}"), suffix], spacing=0, tight=True)
        self.control = ft.TextField(label=label, value=day_words(parse_iso(values.get(name)), lang), width=width,
                                    read_only=True, dense=dense, text_size=text_size, disabled=disabled,
                                    on_click=self.open, always_call_on_tap=True, suffix=suffix, data=name, **kw)

    def picker(self) -> ft.DatePicker:
        chosen = parse_iso(self.values.get(self.name))
        first, last = self.first or PICKER_FIRST, self.last or PICKER_LAST
        start = chosen or self.today or first
        start = min(max(start, first), last)
        extra = {"current_date": to_wire(self.today)} if self.today else {}
        return ft.DatePicker(value=to_wire(start), first_date=to_wire(first), last_date=to_wire(last), **extra,
                             locale=LOCALES.get(self.lang), on_change=self._picked,
                             help_text=self.control.label, cancel_text=t("ui.cancel", self.lang),
                             confirm_text=t("ui.date.ok", self.lang))

    async def open(self, e=None) -> None:
        if self.control.disabled:
            return
        self.page.show_dialog(self.picker())

    async def _picked(self, e) -> None:
        day = from_wire(e.control.value)
        if day is None:
            return
        self.set(day)
        if self.extra_change is not None:
            await self.extra_change(e)

    async def clear(self, e=None) -> None:
        self.set(None)
        if self.extra_change is not None:
            await self.extra_change(e)

    def set(self, day: date | None) -> None:
        """Show ``day`` and keep it as ``YYYY-MM-DD`` (the forms read ``values``)."""
        self.values[self.name] = day.isoformat() if day else ""
        self.control.value = day_words(day, self.lang)
        if self.control.page is not None:
            self.control.update()


def date_field(page: ft.Page, values: dict, name: str, label: str, lang: str, **kw) -> ft.TextField:
    """``DateField(...).control``: the field to put on the screen."""
    return DateField(page, values, name, label, lang, **kw).control


def desk_day(shell, values: dict, name: str, label: str, on_submit: Callable | None = None, **kw) -> ft.TextField:
    """The desk's day field (``desk.parts.field``'s arguments): what a typed field submitted, a pick now does."""
    return date_field(shell.page, values, name, label, shell.lang, on_change=kw.pop("on_change", on_submit), **kw)
