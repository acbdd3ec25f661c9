"""The full-screen photo (放大): tap a photo, see it edge to edge, pinch or scroll to zoom, drag to pan.

One widget for the phone's item screen and the desk's detail pane, so the
watermark (time, place, inspector) can be read on both. It is a dialog
filling the page: Esc on a keyboard and Back on a phone close it as they close
any dialog, and a close button stands at the top right over the photo.
"""

import flet as ft

from inspector.i18n import t
from inspector.ui import theme

ZOOM_MAX = 10  # far enough to read a watermark's small print on a 1600 px display copy
FALLBACK_W, FALLBACK_H = 412, 915  # a page that has not said its size yet (first frame): a phone's


def page_size(page) -> tuple[float, float]:
    """The page's size in logical pixels, or a phone's when the client has not reported it."""
    width, height = getattr(page, "width", None), getattr(page, "height", None)
    return (float(width) if width else FALLBACK_W), (float(height) if height else FALLBACK_H)


def photo_zoom(src, lang: str, on_close, size: tuple[float, float]) -> ft.AlertDialog:
    """A dialog showing ``src`` (the photo's bytes or URL) over the whole ``size``, with pinch and pan;
    ``on_close`` is the close button's handler (the caller pops its dialog)."""
    width, height = size
    viewer = ft.InteractiveViewer(ft.Image(src=src, fit=ft.BoxFit.CONTAIN, width=width, height=height),
                                  min_scale=1, max_scale=ZOOM_MAX, width=width, height=height)
    close = ft.IconButton(ft.Icons.CLOSE, on_click=on_close, tooltip=t("ui.close", lang), icon_color=theme.SURFACE,
                          bgcolor=theme.INK, icon_size=theme.ICON_M, key="zoom-close",
                          autofocus=True)  # the keyboard moves into the dialog: Esc closes it whatever had focus
    hint = ft.Container(ft.Text(t("desk.pane.zoom_hint", lang), size=theme.SMALL, color=theme.SURFACE),
                        bgcolor=theme.INK, padding=ft.Padding.symmetric(horizontal=8, vertical=4),
                        border_radius=theme.RADIUS_S, left=theme.SPACE_M, top=theme.SPACE_M)  # the watermark is at the bottom
    body = ft.Stack([viewer, ft.Container(close, right=theme.SPACE_M, top=theme.SPACE_M), hint],
                    width=width, height=height)
    return ft.AlertDialog(content=body, modal=False, bgcolor=theme.INK, inset_padding=0, content_padding=0,
                          shape=ft.RoundedRectangleBorder(radius=0), clip_behavior=ft.ClipBehavior.HARD_EDGE,
                          semantics_label=t("ui.item.zoom", lang))
