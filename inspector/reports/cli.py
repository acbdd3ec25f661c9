"""``inspector report``: write a campaign summary to a file, seeing what an admin sees."""

from pathlib import Path

from inspector.domain.permissions import Actor
from inspector.domain.roles import Role
from inspector.i18n import t
from inspector.reports import render
from inspector.reports.summary import parse_day
from inspector.services.context import Context

# The command line runs on the server's own data, as its operator: an admin-level view.
CLI_ACTOR = Actor(id="cli", role=Role.ADMIN, username="cli")


def run_report(ctx: Context, args, lang: str) -> int:
    """Write the summary to ``args.out`` with words in ``lang``; print where, and how many items it holds."""
    rendered = render(ctx, CLI_ACTOR, args.format, office=args.office or None,
                      first_day=parse_day(args.from_, "--from"), last_day=parse_day(args.to, "--to"), lang=lang)
    out = Path(args.out)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(rendered.data)
    print(t("report.cli_done", lang, path=str(out.resolve()), count=rendered.item_count,
            first=rendered.first_day.isoformat(), last=rendered.last_day.isoformat()))
    return 0
