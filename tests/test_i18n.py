"""The catalogues: both languages hold the same keys, and any error's details fill a message safely."""

import pytest

from inspector.errors import InspectorError, PhotoNotFound
from inspector.i18n import CATALOGUES, error_message, t, capitalised, listed


def test_both_catalogues_hold_the_same_keys():
    assert set(CATALOGUES["zh-CN"]) == set(CATALOGUES["en"])


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_details_named_like_the_lookups_own_arguments_fill_the_message(lang):
    """A blob's ``key`` or a ``lang`` among an error's details once made ``t`` fail (a 500)."""
    error = PhotoNotFound(sha256="a" * 64, key="photos/aa/original", lang="fr")
    assert error_message(error, lang) == t("photo.not_found", lang, sha256="a" * 64)
    assert error_message(InspectorError(key="k", lang="x"), lang) == t("inspector.error", lang)


def test_lists_join_and_headings_capitalise_per_language():
    assert listed(["建管处", "园林处"], "zh-CN") == "建管处、园林处"
    assert listed(["Construction", "Landscaping"], "en") == "Construction, Landscaping"
    assert listed([], "en") == ""
    assert capitalised(t("status.assigned", "en")) == "Assigned" and capitalised("") == ""
    assert capitalised(t("status.assigned", "zh-CN")) == t("status.assigned", "zh-CN")
