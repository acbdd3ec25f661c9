"""The first screens' font slices are preloaded by the served page (issue 13: no boxes on a cold load).

The words checked are the ones the screens really show (the login view as built, in both languages;
each role's bottom navigation and the title it lands on after a real login), not the list the
preloads are computed from: a word added to the login screen without its key in ``WORD_KEYS`` fails
here. Every character past Latin must be in a preloaded slice: none may be one only the
rare-character font draws, which a session registers once it shows one (issue 14,
``inspector.ui.rare_font``): a first screen with one would bring its 1.5 MB to every cold load.
"""

import re
from pathlib import Path

import pytest
from flet_web import get_package_web_dir

from inspector.domain.roles import Role
from inspector.i18n import t
from inspector.ui import font_preload, webfonts
from inspector.ui.tabs import NAVIGATION
from tests.ui.conftest import UI, run_async

WEB = Path(get_package_web_dir())
LINK = re.compile(r'<link rel="preload" href="assets/fonts/([^"]+)" as="fetch" crossorigin>')
LOW_LINK = re.compile(r'<link rel="preload" href="assets/fonts/([^"]+)" as="fetch" crossorigin fetchpriority="low">')
# a user of each role in the demo, to see the navigation each lands on
DEMO_USER = {Role.INSPECTOR: "xuncha", Role.OFFICE_STAFF: "jianzhu", Role.SPOT_CHECKER: "renda"}


@pytest.fixture(scope="module")
def table() -> webfonts.FallbackTable:
    return webfonts.read_fallback_table((WEB / "main.dart.js").read_text(encoding="utf-8"))


def missing(table, paths: list[str], words: list[str]) -> list[str]:
    """The characters of ``words`` that no slice of ``paths`` draws (Latin aside)."""
    covered = set().union(*(table.code_points[path] for path in paths))
    return sorted({char for word in words for char in word if ord(char) >= webfonts.EAGER_FROM
                   and ord(char) not in covered})


@run_async
async def login_screen_words(ctx) -> list[str]:
    ui = await UI(ctx).start()
    words = ui.texts()
    await ui.click(ui.app.login_view.lang_button)  # English, and the screen is built again
    assert ui.app.login_view.lang == "en"
    return words + ui.texts()


@run_async
async def landing_words(ctx) -> list[str]:
    words = []
    for role, username in DEMO_USER.items():
        ui = await UI(ctx).start(username)
        assert ui.app.tabs == NAVIGATION[role].tabs  # the demo user is of the role meant
        title = t(NAVIGATION[role].landing.title_key)
        assert title in ui.texts(ui.page.appbar)  # the app bar's other words (the phase chip) are data
        words += [*ui.texts(ui.page.navigation_bar), title]
    return words


def test_every_character_of_the_login_screen_is_in_a_preloaded_slice(ctx, table):
    words = login_screen_words(ctx)
    assert "登录" in words and "Log in" in words  # both languages were read
    paths = font_preload.slices_for(table, font_preload.first_screen_words())
    assert missing(table, paths, words) == []
    # and the check can fail: without any one of the slices some character of the screen is missing
    shown = {ord(char) for word in words for char in word if ord(char) >= webfonts.EAGER_FROM}
    login_only = [path for path in paths if table.code_points[path] & shown]
    assert login_only
    for path in login_only:
        assert missing(table, [p for p in paths if p != path], words), path


def test_the_landing_navigation_and_titles_are_preloaded_too(ctx, table):
    words = landing_words(ctx)
    assert {"上报", "待办", "抽查"} <= set(words)
    paths = font_preload.slices_for(table, font_preload.first_screen_words())
    assert missing(table, paths, words) == []
    assert len(paths) <= 10  # a few slices (20-35 kB each), not a font: the cold load stays small


def test_the_served_page_carries_the_links_once_and_keeps_its_scripts_allowed(web_client, table):
    page = web_client.get("/")
    again = web_client.get("/a/client/route")  # Flet's page for a route the client handles
    policy = page.headers["content-security-policy"]
    assert page.status_code == 200 and again.status_code == 200
    linked, later = LINK.findall(page.text), LOW_LINK.findall(page.text)
    assert linked == font_preload.slices_for(table, font_preload.first_screen_words()) and linked
    assert (linked, later) == font_preload.preloaded_slices(table) and later and not set(linked) & set(later)
    assert all(table.families[path].startswith("Noto Sans SC") for path in linked + later)
    assert LINK.findall(again.text) == linked and LOW_LINK.findall(again.text) == later
    assert page.text.count(font_preload.MARKER) == 1
    # the first screens' links come first: the browser starts them before the low ones
    assert page.text.index(linked[-1]) < page.text.index(later[0])
    assert "connect-src 'self'" in policy  # what lets the page fetch them (as=fetch)


def test_every_word_of_both_catalogues_is_in_a_slice_the_page_preloads(table):
    """Any screen's own words draw at once, not as boxes for a round trip after it is shown (the office
    staff's 待办 showed 逾期 and 已派遣 so): only data (names, descriptions) may need a slice later."""
    words = font_preload.catalogue_words()
    assert {"逾期", "已派遣", "Overdue"} <= {word for word in words}
    first, later = font_preload.preloaded_slices(table)
    assert missing(table, first, words)  # the first screens' slices alone would leave boxes
    assert missing(table, first + later, words) == []
    # a few hundred kB of slices, not the font: the cold load stays under its bar
    assert len(first + later) <= 30


def test_links_go_in_once_and_a_page_without_a_head_is_left_alone():
    page = "<html><head><title>x</title></head><body></body></html>"
    once = font_preload.with_preloads(page, ["notosanssc/v37/a.1.woff2"])
    assert once.count('rel="preload"') == 1 and once.index('rel="preload"') < once.index("</head>")
    assert font_preload.with_preloads(once, ["notosanssc/v37/a.1.woff2"]) == once
    assert font_preload.with_preloads("<p>no head</p>", ["x.woff2"]) == "<p>no head</p>"
