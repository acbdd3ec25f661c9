"""The command line: serve, demo, user add, field, sync, report, sites qr; check, backup, restore; supervise."""

import argparse
import getpass
import os
import sys
from datetime import datetime
from pathlib import Path

from inspector.domain.accounts import MIN_PASSWORD
from inspector.domain.roles import PEOPLE, Role
from inspector.errors import InspectorError, NoDataFolder, SupervisionNowAhead, SupervisionNowInvalid
from inspector.i18n import error_message, t
from inspector.i18n.notices import step_words
from inspector.reports import cli as report_cli
from inspector.reports import sites_cli
from inspector.server.tls import certificate_files
from inspector.services import auth, demo, maintenance, supervision
from inspector.services.context import bootstrap
from inspector.settings import Settings
from inspector.sync.field import sync_once_cli

# Imported inside the commands that need them, to keep every other command's start fast: the FastAPI
# app and uvicorn (serve), the Flet UI (field). None of them imports this module.

ERROR_EXIT = 2  # a typed error: the words say what was wrong


def _data_option(command: argparse.ArgumentParser, made_by: str | None, what: str) -> None:
    """``--data DIR``. ``made_by`` names the command that makes a new data folder; ``None``: this one does.

    A command that works on an installation already made refuses a folder that does not exist, so a
    mistyped path is an error rather than a new, empty database.
    """
    command.add_argument("--data", required=True, metavar="DIR",
                         help=f"{what} (made if missing)" if made_by is None
                         else f"{what}: an existing folder, as made by inspector {made_by}")
    command.set_defaults(data_made_by=made_by)


def _data_dir(args) -> Path:
    """``--data`` as a path; ``NoDataFolder`` when it is no folder and this command does not make one."""
    path = Path(args.data)
    if args.data_made_by is not None and not path.is_dir():
        raise NoDataFolder(path=str(path.absolute()), starts=args.data_made_by)
    return path


def _settings(args) -> Settings:
    return Settings(data_dir=_data_dir(args))


def _context(args, **options):
    return bootstrap(_settings(args), **options)


def _lang() -> str:
    """The language of the command line's words: English under an ``en*`` LANG, else Chinese."""
    return "en" if os.environ.get("LANG", "").startswith("en") else "zh-CN"


def cmd_serve(args) -> int:
    # Heavy (FastAPI, uvicorn and, unless --no-ui, Flet): loaded by this command only.
    from inspector.server.app import create_app  # lazy: FastAPI and the UI load for serve only
    from inspector.server.serve import run_uvicorn  # lazy: uvicorn loads for serve only

    ctx = _context(args, sweep=True)  # a killed server's half-done uploads are cleared here
    if args.demo:
        logins = demo.fill_if_empty(ctx)
        if logins:
            demo.print_logins(logins)
    ssl = {}
    if args.tls or args.cert:
        cert, key = certificate_files(ctx.settings.data_dir, args.cert, args.key, args.host)
        ssl = {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}
    scheme = "https" if ssl else "http"
    app = create_app(ctx, with_ui=not args.no_ui, tls=bool(ssl))
    run_uvicorn(app, args.host, args.port, f"Inspector 创卫巡查: {scheme}://{args.host}:{{port}}/  (API docs: /docs)",
                args.log_level, **ssl)
    return 0


def cmd_demo(args) -> int:
    ctx = _context(args)
    logins = demo.fill_if_empty(ctx)
    if not logins:
        print("The database already has data; demo data is added only to an empty one.")
        return 0
    demo.print_logins(logins)
    return 0


def cmd_user_add(args) -> int:
    settings = _settings(args)  # a missing data folder is said before the password is asked for
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
    ctx = bootstrap(settings)
    user = auth.add_user(ctx, args.username, password, args.role, args.office, args.display_name or "")
    print(f"added {user.username} ({user.role}{', ' + user.office_code if user.office_code else ''})")
    return 0


def cmd_sync(args) -> int:
    return sync_once_cli(args.server, _data_dir(args))


def cmd_field(args) -> int:
    from inspector.ui.field import run_field  # lazy: Flet loads for the field client only

    return run_field(args.server, _data_dir(args), args.host, args.port)


def cmd_report(args) -> int:
    return report_cli.run_report(_context(args), args, _lang())


def cmd_sites(args) -> int:
    return sites_cli.run_qr(_context(args), args, _lang())


def cmd_check(args) -> int:
    lang = _lang()
    findings = maintenance.check(_context(args))
    if args.json:
        print(maintenance.findings_json(findings, lang))
    else:
        for finding in findings:
            print(finding.words(lang))
        print(t("check.problems", lang, count=len(findings)) if findings else t("check.clean", lang))
    return 1 if findings else 0


def cmd_backup(args) -> int:
    lang = _lang()
    result = maintenance.backup(_settings(args), Path(args.out))
    print(t("backup.done", lang, path=str(result.path.resolve()), events=result.events, photos=result.photos,
            blobs=result.blobs))
    if result.missing:
        print(t("backup.missing", lang, count=len(result.missing), sha256=result.missing[0]), file=sys.stderr)
    return 0


def cmd_restore(args) -> int:
    settings = _settings(args)
    result = maintenance.restore(settings, Path(args.from_), force=args.force)
    print(t("backup.restored", _lang(), events=result.events, photos=result.photos, blobs=result.blobs,
            path=str(settings.data_dir.resolve())))
    return 0


def _now_option(value: str | None, clock_now: datetime) -> datetime:
    """``--now``: an ISO instant with its offset, not after the clock (steps are never recorded early)."""
    if value is None:
        return clock_now
    try:
        now = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise SupervisionNowInvalid(value=value[:40]) from None
    if now.utcoffset() is None:
        raise SupervisionNowInvalid(value=value[:40])
    if now > clock_now:
        raise SupervisionNowAhead(now=now.isoformat(), clock=clock_now.isoformat())
    return now


def cmd_supervise(args) -> int:
    lang = _lang()
    ctx = _context(args)
    result = supervision.sweep(ctx, _now_option(args.now, ctx.now()))
    steps = ", ".join(f"{step_words(name, lang)} {count}" for name, count in sorted(result.steps.items())) or "-"
    print(t("supervision.swept", lang, count=result.recorded, items=result.items, steps=steps,
            now=result.now.astimezone(ctx.settings.zone).isoformat(timespec="minutes")))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inspector", description="创卫巡查 Inspector")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the server and its web UI")
    _data_option(serve, None, "folder for the SQLite database and photos")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8550, help="0 for any free port (the first line names it)")
    serve.add_argument("--demo", action="store_true", help="fill an empty database with demo data")
    serve.add_argument("--tls", action="store_true", help="serve HTTPS with a self-signed certificate")
    serve.add_argument("--cert", help="a certificate (PEM) to serve HTTPS with, instead of a self-signed one")
    serve.add_argument("--key", help="the private key (PEM) of --cert")
    serve.add_argument("--no-ui", action="store_true", help="serve the API only")
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(run=cmd_serve)

    demo = commands.add_parser("demo", help="fill a database with demo data and print the logins")
    _data_option(demo, None, "folder for the SQLite database and photos")
    demo.set_defaults(run=cmd_demo)

    user = commands.add_parser("user", help="manage users")
    user_commands = user.add_subparsers(dest="user_command", required=True)

    add = user_commands.add_parser("add", help="add a user",
                                   description="Add a user. Usernames are unique ignoring case and width; "
                                   f"a password has at least {MIN_PASSWORD} characters, is not the username "
                                   "and is not a common password.")
    _data_option(add, "serve", "the server's data folder")
    add.add_argument("--username", required=True)
    add.add_argument("--role", required=True,
                     help=", ".join(r for r in Role if r in PEOPLE))
    add.add_argument("--office", help="office code (needed for office roles)")
    add.add_argument("--display-name")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(run=cmd_user_add)

    field = commands.add_parser("field", help="the field client: local store, outbox, its own UI")
    field.add_argument("--server", required=True, help="the server's URL")
    _data_option(field, None, "folder for the local store")
    field.add_argument("--host", default="127.0.0.1")
    field.add_argument("--port", type=int, default=8551, help="0 for any free port (the first line names it)")
    field.set_defaults(run=cmd_field)

    sync = commands.add_parser("sync", help="one sync round of a field client's store")
    sync.add_argument("--server", required=True)
    _data_option(sync, "field", "the field client's data folder")
    sync.set_defaults(run=cmd_sync)

    report = commands.add_parser("report", help="campaign summary as PDF, XLSX or CSV; bulletin; re-check pack")
    _data_option(report, "serve", "the server's data folder")
    report_cli.add_arguments(report)
    report.set_defaults(run=cmd_report)

    sites = commands.add_parser("sites", help="the site register: its QR sheet")
    sites_cli.add_arguments(sites, lambda parser: _data_option(parser, "serve", "the server's data folder"))
    sites.set_defaults(run=cmd_sites)

    check = commands.add_parser("check", help="compare the database with the photo folder and the event log")
    _data_option(check, "serve", "the server's data folder")
    check.add_argument("--json", action="store_true", help="the findings as JSON")
    check.set_defaults(run=cmd_check)

    backup = commands.add_parser("backup", help="copy a live SQLite database and its photos into one file")
    _data_option(backup, "serve", "the server's data folder")
    backup.add_argument("--out", required=True, help="the archive to write (a tar file)")
    backup.set_defaults(run=cmd_backup)

    supervise = commands.add_parser("supervise", help="record the due deadline reminders and 督办 steps once",
                                    description="Record every deadline reminder, 督办 and escalation step due now "
                                    "(the server does this every INSPECTOR_SUPERVISION_INTERVAL_S seconds); "
                                    "a step is never recorded twice.")
    _data_option(supervise, "serve", "the server's data folder")
    supervise.add_argument("--now", metavar="ISO", help="the instant to sweep at, with its offset "
                           "(e.g. 2026-08-04T09:00:00+08:00); not later than the clock; default: now")
    supervise.set_defaults(run=cmd_supervise)

    restore = commands.add_parser("restore", help="put a backup in place (stop the server first)")
    _data_option(restore, None, "the data folder to restore into")
    restore.add_argument("--from", dest="from_", required=True, help="an archive made by inspector backup")
    restore.add_argument("--force", action="store_true", help="replace the database and photos of a non-empty folder")
    restore.set_defaults(run=cmd_restore)
    return parser


def failed(error: InspectorError) -> int:
    """The command line's one answer to a typed error: its words and code on stderr, exit code 2."""
    print(f"error: {error_message(error, _lang())} ({error.code})", file=sys.stderr)
    return ERROR_EXIT


def main(argv: list[str] | None = None) -> int:
    """Run the command ``argv`` names; a typed error from any command ends in ``failed``."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args) or 0
    except InspectorError as error:
        return failed(error)


if __name__ == "__main__":
    sys.exit(main())
