"""Device services behind small interfaces: photo picker, GPS, on-device storage.

Views never touch Flet's services directly; they ask ``Devices``. The real
implementations wrap ``ft.FilePicker`` (a ``PickFiles`` client action, so iOS
Safari opens the dialog inside the tap), ``flet_geolocator.Geolocator`` and
``ft.SharedPreferences`` (the browser's local storage on the web). Tests pass
fakes with the same methods. Flet drops services that nothing references, so
every service is held here, on an object the page's app keeps.
"""

import asyncio
import logging
from dataclasses import dataclass
from typing import Awaitable, Callable, Protocol

import flet as ft
import flet_geolocator as fg

log = logging.getLogger(__name__)
GPS_TIMEOUT_S = 15.0
PREFS_TIMEOUT_S = 5.0
# What a Flet device service raises when it fails: no answer in time (``TimeoutError``), the
# client answered with an error (``RuntimeError``: no GPS, no permission, storage unavailable), or
# the platform has no such service (``FletException``).
SERVICE_FAILURES = (TimeoutError, RuntimeError, ft.FletException)

OnPhotos = Callable[[list[bytes]], Awaitable[None]]


@dataclass(frozen=True)
class Fix:
    """A device position: WGS-84 degrees, the radius it is good to, and ``mocked`` when the platform said it
    came from a mock provider (Android; iOS and browsers always say no, so only a yes is kept)."""

    lat: float
    lon: float
    accuracy_m: float | None = None
    mocked: bool | None = None


class PhotoPicker(Protocol):
    def action(self) -> ft.ClientAction | None:
        """The client action a button runs to open the picker (None: the button calls ``pick``)."""

    async def pick(self) -> None:
        """Open the picker from Python (platforms that allow it outside a tap)."""


class Locator(Protocol):
    async def locate(self) -> Fix | None:
        """The device's position now, or None when there is no GPS, no permission or no fix."""


# What the device keeps between sessions (``Prefs``): the login (web: the browser's storage) and
# the language both the phone and the desk layouts use.
TOKEN_KEY = "inspector.token"
LANG_KEY = "inspector.lang"


class Prefs(Protocol):
    async def get(self, key: str) -> str | None: ...
    async def set(self, key: str, value: str) -> None: ...
    async def remove(self, key: str) -> None: ...


class Devices(Protocol):
    def photo_picker(self, purpose: str, on_photos: OnPhotos) -> PhotoPicker:
        """The picker for ``purpose`` ("report", "fix"...), now delivering to ``on_photos``."""
    def locator(self) -> Locator: ...
    def prefs(self) -> Prefs: ...


class FilePhotoPicker:
    """Images from the phone's gallery or camera (the browser offers both), with their bytes."""

    def __init__(self, on_photos: OnPhotos):
        self.on_photos = on_photos
        self.picker = ft.FilePicker(on_result=self._result)

    def action(self) -> ft.ClientAction:
        return ft.PickFiles(self.picker, file_type=ft.FilePickerFileType.IMAGE, allow_multiple=True,
                            with_data=True)

    async def pick(self) -> None:
        files = await self.picker.pick_files(file_type=ft.FilePickerFileType.IMAGE, allow_multiple=True,
                                             with_data=True)
        await self._deliver(files or [])

    async def _result(self, e) -> None:
        await self._deliver(e.files or [])

    async def _deliver(self, files) -> None:
        data = [f.bytes for f in files if f.bytes]
        if data:
            await self.on_photos(data)


class GeoLocator:
    def __init__(self):
        self.service = fg.Geolocator()

    async def locate(self) -> Fix | None:
        try:
            status = await asyncio.wait_for(self.service.request_permission(), GPS_TIMEOUT_S)
            if status in (fg.GeolocatorPermissionStatus.DENIED, fg.GeolocatorPermissionStatus.DENIED_FOREVER):
                return None
            p = await asyncio.wait_for(self.service.get_current_position(), GPS_TIMEOUT_S)
        except SERVICE_FAILURES as error:  # no GPS, refused, timed out: all mean "no fix"
            log.info("no GPS fix: %s", error)
            return None
        if p.latitude is None or p.longitude is None:
            return None
        return Fix(float(p.latitude), float(p.longitude), None if p.accuracy is None else float(p.accuracy),
                   True if getattr(p, "mocked", None) is True else None)  # flet_geolocator 1.0: Position.mocked


class SharedPrefs:
    """On-device key/value storage (``localStorage`` in a browser)."""

    def __init__(self):
        self.service = ft.SharedPreferences()

    async def get(self, key: str) -> str | None:
        try:
            value = await asyncio.wait_for(self.service.get(key), PREFS_TIMEOUT_S)
        except SERVICE_FAILURES as error:  # storage unavailable: behave as empty
            log.info("prefs get %s failed: %s", key, error)
            return None
        return value if isinstance(value, str) else None

    async def set(self, key: str, value: str) -> None:
        try:
            await asyncio.wait_for(self.service.set(key, value), PREFS_TIMEOUT_S)
        except SERVICE_FAILURES as error:  # storage unavailable: the value is not kept, the app goes on
            log.info("prefs set %s failed: %s", key, error)

    async def remove(self, key: str) -> None:
        try:
            await asyncio.wait_for(self.service.remove(key), PREFS_TIMEOUT_S)
        except SERVICE_FAILURES as error:  # storage unavailable: nothing was kept to remove
            log.info("prefs remove %s failed: %s", key, error)


class FletDevices:
    """The real services of one page; create it inside the page's handler or ``main``."""

    def __init__(self):
        self._pickers: dict[str, FilePhotoPicker] = {}
        self._locator: GeoLocator | None = None
        self._prefs: SharedPrefs | None = None

    def photo_picker(self, purpose: str, on_photos: OnPhotos) -> FilePhotoPicker:
        picker = self._pickers.get(purpose)
        if picker is None:
            picker = self._pickers[purpose] = FilePhotoPicker(on_photos)  # held for the page's life
        picker.on_photos = on_photos
        return picker

    def locator(self) -> GeoLocator:
        if self._locator is None:
            self._locator = GeoLocator()
        return self._locator

    def prefs(self) -> SharedPrefs:
        if self._prefs is None:
            self._prefs = SharedPrefs()
        return self._prefs
