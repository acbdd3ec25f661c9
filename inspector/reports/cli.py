"""``inspector report``: its options, and writing a campaign summary to a file, seeing what an admin sees."""

import argparse
from datetime import date
from pathlib import Path

from inspector.domain import catalog
from inspector.domain.permissions import Actor
from inspector.domain.roles import Role
from inspector.errors import InvalidRequest, UnknownOfficeName
from inspector.i18n import CATALOGUES, DEFAULT_LANG, t
from inspector.reports import FORMATS, render
from inspector.reports.summary import parse_day
from inspector.services.context import Context

# The command line runs on the server's own data, as its operator: an admin-level view.
CLI_ACTOR = Actor(id="cli", role=Role.ADMIN, username="cli")


def known_offices(lang: str = DEFAULT_LANG) -> str:
    """Every office as ``code (name)``, its name in ``lang``: for ``--help`` and the unknown-office error."""
    return ", ".join(f"{office.code} ({t(f'office.{office.code}', lang)})" for office in catalog.OFFICES)


def office_code(value: str | None, lang: str = DEFAULT_LANG) -> str | None:
    """The office ``value`` names, by its code or its name in any catalogue; ``None`` (every office) when empty.

    Anything else is ``UnknownOfficeName``, whose words list the offices there are (names in ``lang``).
    """
    wanted = (value or "").strip().casefold()
    if not wanted:
        return None
    for office in catalog.OFFICES:
        names = {office.code, *(words.get(f"office.{office.code}", "") for words in CATALOGUES.values())}
        if wanted in {name.strip().casefold() for name in names}:
            return office.code
    raise UnknownOfficeName(office=value.strip(), known=known_offices(lang))


def day(value: str) -> date:
    """argparse's type for ``--from``/``--to``: a day as ``YYYY-MM-DD`` (the rule of ``summary.parse_day``)."""
    try:
        return parse_day(value, "")
    except InvalidRequest:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-12-01") from None


def add_arguments(report: argparse.ArgumentParser) -> None:
    """The options of ``inspector report`` besides ``--data``."""
    report.add_argument("--format", required=True, choices=FORMATS)
    report.add_argument("--out", required=True, metavar="FILE", help="the file to write (its folder is made)")
    report.add_argument("--office", metavar="OFFICE",
                        help=f"one office, by code or Chinese name: {known_offices('zh-CN')}; every office when "
                        "left out")
    report.add_argument("--from", dest="from_", type=day, metavar="YYYY-MM-DD",
                        help="the first day (local time); without it, the day the first item was reported")
    report.add_argument("--to", type=day, metavar="YYYY-MM-DD", help="the last day (local time); without it, today")


def run_report(ctx: Context, args, lang: str) -> int:
    """Write the summary to ``args.out`` with words in ``lang``; print where, and how many items it holds."""
    rendered = render(ctx, CLI_ACTOR, args.format, office=office_code(args.office, lang), first_day=args.from_,
                      last_day=args.to, lang=lang)
    out = Path(args.out)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(rendered.data)
    print(t("report.cli_done", lang, path=str(out.resolve()), count=rendered.item_count,
            first=rendered.first_day.isoformat(), last=rendered.last_day.isoformat()))
    return 0
