"""L: the full-screen photo (phone and desk share one widget) and the desk map without tiles."""

import flet as ft

from inspector.geo.tiles import scale_bar
from inspector.store.queries import ItemFilter
from inspector.ui.zoom import ZOOM_MAX
from tests.ui.conftest import UI, run_async
from tests.ui.desk_helpers import DeskUI, desk_of


def zoom_parts(dialog):
    viewer, close_box, _hint = dialog.content.controls
    return viewer, close_box.content


@run_async
async def test_tapping_a_photo_on_the_phone_opens_it_full_screen_and_close_shuts_it(ctx):
    ui = await UI(ctx).start("jianzhu")
    ui.page.width, ui.page.height = 412, 915
    item = next(i for i in ui.app.ws.list_items(ItemFilter(), 1, 50).items if i.photos)
    await ui.app.open_item(item.id)
    view = ui.app.stack[-1]
    await ui.click(ui.find(ft.Container, data=item.photos[0]))
    dialog = view.zoom_dialog
    assert dialog in ui.page._dialogs.controls and dialog.open
    viewer, close = zoom_parts(dialog)
    assert isinstance(viewer, ft.InteractiveViewer) and viewer.max_scale == ZOOM_MAX
    assert (viewer.width, viewer.height) == (412, 915)  # the whole page, not a letterboxed box
    assert dialog.inset_padding == 0 and dialog.content_padding == 0 and not dialog.modal  # Esc / Back close it
    assert viewer.content.src == ui.app.thumb_cache[f"{item.photos[0]}:display"]
    await ui.click(close)
    assert not dialog.open or dialog not in ui.page._dialogs.controls


@run_async
async def test_the_desk_map_names_the_sites_and_draws_a_scale_bar(ctx):
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("map")
    view = ui.shell.views["map"]
    sites = desk_of(ctx, "dudao").sites()
    assert sites and len(view.site_layer.markers) == len(sites)
    assert view.map.layers[1] is view.site_layer and view.map.layers[2] is view.markers  # sites under items
    names = {m.content.tooltip for m in view.site_layer.markers}
    assert names == {s.name for s in sites}
    bar = scale_bar(view.zoom, view.centre_lat, 120)
    assert view.scale_text.value == bar.label and view.scale_line.width == bar.pixels
    assert "底图无法连接时只显示标记" in ui.texts()  # the tiles hint is kept


@run_async
async def test_the_map_serves_its_own_tiles_when_inspector_tiles_is_set(ctx, tmp_path):
    ctx.settings.tiles = tmp_path
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("map")
    view = ui.shell.views["map"]
    assert view.map.layers[0].url_template == "/tiles/{z}/{x}/{y}"
