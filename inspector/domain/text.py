"""Free text people type (descriptions, reasons, notes, names): the one rule for which characters it may hold.

Control characters have no place in what a person writes: a NUL breaks the
XLSX report (XML cannot hold it) and PostgreSQL text, an escape sequence can
repaint a terminal that prints a log, and none of them can be seen on a
screen. Newline and tab are what people do type, so they stay. Lone UTF-16
surrogates (which JSON's ``\\ud800`` escape can carry) are not text either and
cannot be stored, so they are refused by the same rule.
"""

import re

from inspector.errors import ControlCharacters

ALLOWED_CONTROLS = "\n\t"
# C0 controls but tab and newline, DEL, C1 controls, and lone surrogates.
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def bad_character(value: str) -> int | None:
    """The index of the first character free text may not hold, or ``None`` when all are fine."""
    found = _NOT_TEXT.search(value)
    return None if found is None else found.start()


def char_name(char: str) -> str:
    """A character as people can read it in an error: ``U+0000``."""
    return f"U+{ord(char):04X}"


def check_text(value: str, field: str, **details) -> str:
    """``value`` unchanged, or raise ``ControlCharacters`` naming ``field``, the position and the character."""
    position = bad_character(value)
    if position is not None:
        raise ControlCharacters(field=field, position=position + 1, char=char_name(value[position]), **details)
    return value


def check_texts(**fields: str | None) -> None:
    """Apply ``check_text`` to each named value that is given (``None`` is skipped)."""
    for field, value in fields.items():
        if value is not None:
            check_text(value, field)


def scrub(value: str, replacement: str = "\ufffd") -> str:
    """``value`` with each character ``check_text`` refuses replaced: for text stored before the rule held,
    on its way out into a file format (XLSX's XML) that cannot hold it."""
    return _NOT_TEXT.sub(replacement, value)
