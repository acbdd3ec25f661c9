"""Desk tables keep their words whole at 1440 x 900, in Chinese and in English: each cell's text, measured with
the fonts the browser draws with (tests/ui/text_width.py), fits its column, and the columns fit the section."""

import re

import flet as ft

from inspector.i18n import t
from inspector.services import supervision
from inspector.ui import theme
from inspector.ui.desk import coverage
from tests.ui.conftest import run_async
from tests.ui.desk_helpers import DeskUI
from tests.ui.text_width import cut_cells, fits

RAIL = 101  # the desk's rail at 1440 px, as drawn: it grows from RAIL_W to its widest label
SECTION = 1440 - RAIL - 2 * theme.DESK_EDGE  # a section's width between its margins


def table_rows(column: ft.Column) -> list[ft.Row]:
    return [r.content for r in column.controls if isinstance(r, ft.Semantics) and isinstance(r.content, ft.Row)]


async def in_both_languages(ui, check) -> None:
    for lang in ("zh-CN", "en"):
        if ui.shell.lang != lang:
            await ui.click(ui.shell.lang_button)
        assert ui.shell.lang == lang
        check(lang)


@run_async
async def test_the_coverage_list_keeps_its_words_whole_in_both_languages(ctx):
    ui = await DeskUI(ctx).start("admin")
    await ui.rail("coverage")
    view = ui.shell.views["coverage"]
    await ui.click(view.covered_chip)  # every check listed: every type, office and check type on the screen

    def check(lang):
        rows = table_rows(view.list_column)
        assert rows, lang
        cut = [c for row in rows for c in cut_cells(row)]
        assert not cut, f"{lang}: {cut}"
        widths = coverage.WIDTHS[lang]
        list_inner = (SECTION - theme.SPACE_L) * 3 / 5 - 2 * theme.SPACE_XXL - 2 * theme.BORDER  # 3:2 beside the map
        assert sum(widths.values()) + theme.SPACE_M * (len(widths) - 1) <= list_inner, lang
        for name, box in widths.items():
            assert fits(t(f"desk.coverage.col.{name}", lang), theme.DENSE_S, box, bold=True), (lang, name)

    await in_both_languages(ui, check)


def fixed_rows(ui) -> list[ft.Row]:
    """The table rows on the screen: rows whose cells are all fixed-width containers."""
    return [r for r in ui.all(ft.Row) if len(r.controls) > 2
            and all(isinstance(c, ft.Container) and c.width is not None for c in r.controls)]


@run_async
async def test_the_supervision_list_keeps_its_words_whole_in_both_languages(ctx, clock):
    clock.advance(days=10)  # the demo's open items are days late by now: every office on the list
    supervision.sweep(ctx)
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("supervision")

    def check(lang):
        rows = fixed_rows(ui)
        assert len(rows) > 5, lang  # the demo's items overdue past the limits
        cut = [c for row in rows for c in cut_cells(row)]
        assert not cut, f"{lang}: {cut}"

    await in_both_languages(ui, check)


# the words shown with a count that may be 1: English without a plural that reads "1 days"
COUNTED = ("ui.deadline.left", "ui.deadline.overdue", "ui.look_back.due_in", "oversight.look_back.due_in",
           "oversight.look_back.overdue", "ui.oversight.look_back.overdue", "ui.report.photo_count",
           "desk.scores.visit.count", "desk.admin.sample_line")


def test_counted_words_read_right_for_one():
    for key in COUNTED:
        words = t(key, "en", days=1, count=1, seed=7)
        assert not re.search(r"\b1 (days|items|visits|photos)\b", words), (key, words)
    assert t("ui.list_sep", "en") == ", " and t("ui.list_sep", "zh-CN") == "、"


@run_async
async def test_the_desks_status_tags_start_with_a_capital_in_english(ctx):
    ui = await DeskUI(ctx).start("dudao")
    await ui.click(ui.shell.lang_button)
    words = ui.texts(ui.review.list)
    assert "Reported" in words and "reported" not in words  # the 待派遣 queue's rows
