"""The language catalogues: every string a person reads, zh-CN first, en second.

Each language is one data file beside this module (``zh_CN.toml``, ``en.toml``):
a flat table of key = text, with ``{name}`` placeholders. Views, the HTTP error
body and reports ask ``t(key, lang, **params)``; nothing shown to a user is
written inline elsewhere. A key missing from a language falls back to zh-CN,
and a test keeps the catalogues' keys identical.
"""

import tomllib
from collections.abc import Iterable
from pathlib import Path

DEFAULT_LANG = "zh-CN"
HERE = Path(__file__).parent


def _catalogue(name: str) -> dict[str, str]:
    with open(HERE / f"{name}.toml", "rb") as data:
        return tomllib.load(data)


CATALOGUES: dict[str, dict[str, str]] = {"zh-CN": _catalogue("zh_CN"), "en": _catalogue("en")}
LANGUAGES = tuple(CATALOGUES)


def normalize_lang(value: str | None) -> str:
    """Pick the catalogue for an ``Accept-Language`` value or a stored preference."""
    if not value:
        return DEFAULT_LANG
    for part in value.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, /, **params) -> str:
    """The text for ``key`` in ``lang``, with ``{name}`` placeholders filled.

    ``key`` and ``lang`` are positional only: an error's details are passed as ``params`` and may
    themselves be called ``key`` or ``lang`` (a blob's key).
    """
    catalogue = CATALOGUES.get(lang, CATALOGUES[DEFAULT_LANG])
    template = catalogue.get(key) or CATALOGUES[DEFAULT_LANG].get(key) or key
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def listed(words: Iterable[str], lang: str = DEFAULT_LANG) -> str:
    """``words`` as a list reads in ``lang``'s prose: joined by 、 in Chinese, by ", " in English."""
    return t("ui.list_sep", lang).join(words)


def capitalised(words: str) -> str:
    """Catalogue words made for the middle of a sentence (lower case in English) as a heading, a tag or a
    chip shows them: starting with a capital. Chinese is unchanged."""
    return words[:1].upper() + words[1:]


def error_message(error, lang: str = DEFAULT_LANG) -> str:
    """Words a person can act on for an ``InspectorError``."""
    params = dict(error.details)
    if "status" in params:
        params["status_label"] = t(f"status.{params['status']}", lang)
    if "kind" in params:
        params["kind_label"] = t(f"kind.{params['kind']}", lang)
    if "office" in params:
        params["office_label"] = t(f"office.{params['office']}", lang)
    if "field" in params:  # "location.lat" is labelled by its top-level field; an unknown one by itself
        top = str(params["field"]).split(".")[0]
        label = CATALOGUES.get(lang, CATALOGUES[DEFAULT_LANG]).get(f"field.{top}")
        params["field_label"] = label or str(params["field"])
    if "expected" in params:
        params["expected_label"] = t(f"type.{params['expected']}", lang)
    return t(error.code, lang, **params)
