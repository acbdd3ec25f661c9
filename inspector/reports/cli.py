"""``inspector report``: its options, and writing a campaign summary, a published month's bulletin
(``inspector report bulletin --month YYYY-MM``) or the technical assessment's re-check pack
(``inspector report recheck --out FILE [--office X] [--xlsx]``) to a file, seeing what an admin sees."""

import argparse
import re
from datetime import date
from pathlib import Path

from inspector.domain import catalog
from inspector.domain.permissions import Actor
from inspector.domain.roles import Role
from inspector.errors import InvalidRequest, UnknownOfficeName
from inspector.i18n import CATALOGUES, DEFAULT_LANG, t
from inspector.reports import FORMATS, bulletin, render, render_recheck
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


MONTH = re.compile(r"20[0-9]{2}-(0[1-9]|1[0-2])")


def month(value: str) -> str:
    """argparse's type for ``--month``: ``YYYY-MM``."""
    if not MONTH.fullmatch(value.strip()):
        raise argparse.ArgumentTypeError(f"{value!r} is not a month: write it as YYYY-MM, e.g. 2026-07")
    return value.strip()


def add_arguments(report: argparse.ArgumentParser) -> None:
    """The options of ``inspector report`` besides ``--data``."""
    report.add_argument("what", nargs="?", choices=("summary", "bulletin", "recheck"), default="summary",
                        help="summary (default): the campaign summary (小结); bulletin: the 通报 PDF of a published "
                        "month (--month); recheck: the technical assessment's re-check pack (复核材料), a PDF "
                        "or with --xlsx a workbook")
    report.add_argument("--format", choices=FORMATS, help="the summary's format (required for it); a bulletin is PDF")
    report.add_argument("--out", metavar="FILE", help="the file to write (its folder is made); required for a "
                        "summary, for a bulletin default bulletin-YYYY-MM.pdf here")
    report.add_argument("--month", type=month, metavar="YYYY-MM", help="bulletin: the published month")
    report.add_argument("--office", metavar="OFFICE",
                        help=f"one office, by code or Chinese name: {known_offices('zh-CN')}; every office when "
                        "left out")
    report.add_argument("--from", dest="from_", type=day, metavar="YYYY-MM-DD",
                        help="the first day (local time); without it, the day the first item was reported")
    report.add_argument("--to", type=day, metavar="YYYY-MM-DD", help="the last day (local time); without it, today")
    report.add_argument("--xlsx", action="store_true", help="recheck: the workbook instead of the PDF")


def _write(path: str, data: bytes) -> Path:
    out = Path(path)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out


def run_bulletin(ctx: Context, args, lang: str) -> int:
    """Write the bulletin of the published ``args.month``; print where."""
    if not args.month:
        raise InvalidRequest(problem="report bulletin needs --month YYYY-MM")
    if args.format not in (None, "pdf") or args.office or args.from_ or args.to:
        raise InvalidRequest(problem="a bulletin is a PDF of a whole month: --format, --office, --from and --to "
                                     "are the summary's")
    made = bulletin.render(ctx, CLI_ACTOR, args.month, lang)
    out = _write(args.out or made.filename, made.data)
    print(t("report.cli_bulletin_done", lang, path=str(out.resolve()), month=args.month))
    return 0


def run_recheck(ctx: Context, args, lang: str) -> int:
    """Write the re-check pack of ``args.office`` (or all) to ``args.out``; print where and how many findings."""
    if not args.out or args.format or args.month or args.from_ or args.to:
        raise InvalidRequest(problem="report recheck needs --out (and takes --office, --xlsx; no --format, "
                                     "--month, --from or --to)")
    rendered = render_recheck(ctx, CLI_ACTOR, "xlsx" if args.xlsx else "pdf", office_code(args.office, lang), lang)
    out = _write(args.out, rendered.data)
    print(t("recheck.cli_done", lang, path=str(out.resolve()), count=rendered.item_count))
    return 0


def run_report(ctx: Context, args, lang: str) -> int:
    """Write the summary to ``args.out`` with words in ``lang``; print where, and how many items it holds."""
    if args.what == "bulletin":
        return run_bulletin(ctx, args, lang)
    if args.what == "recheck":
        return run_recheck(ctx, args, lang)
    if args.xlsx:
        raise InvalidRequest(problem="--xlsx is the re-check pack's (report recheck); a summary takes --format")
    if not args.format or not args.out or args.month:
        raise InvalidRequest(problem="a summary needs --format and --out (and no --month: that is the bulletin's)")
    rendered = render(ctx, CLI_ACTOR, args.format, office=office_code(args.office, lang), first_day=args.from_,
                      last_day=args.to, lang=lang)
    out = _write(args.out, rendered.data)
    print(t("report.cli_done", lang, path=str(out.resolve()), count=rendered.item_count,
            first=rendered.first_day.isoformat(), last=rendered.last_day.isoformat()))
    return 0
