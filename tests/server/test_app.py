"""The application's start: a web UI that cannot be mounted stops the start with its real error."""

import sys

import pytest

from inspector.server.app import create_app


@pytest.fixture
def broken_ui(monkeypatch):
    """The web UI's module fails to import, as a broken dependency or a syntax error would make it."""
    monkeypatch.setitem(sys.modules, "inspector.ui.web", None)  # `import` of it now raises ImportError


def test_a_ui_that_cannot_be_imported_fails_the_start_with_its_error(ctx, broken_ui):
    with pytest.raises(ImportError, match="inspector.ui.web"):
        create_app(ctx)


def test_only_an_explicit_no_ui_serves_the_api_without_it(ctx, broken_ui):
    app = create_app(ctx, with_ui=False)
    assert "/api/health" in app.openapi()["paths"]
    assert not any(getattr(route, "path", "") == "/" for route in app.routes)
