"""``inspector sites qr``: the sites' QR sheet written to a file, for every office or one."""

import argparse

from inspector.i18n import t
from inspector.reports import site_qr
from inspector.reports.cli import _write, known_offices, office_code
from inspector.services import sites as site_service
from inspector.services.context import Context

# ``serve``'s own address: the link a QR code holds when INSPECTOR_PUBLIC_URL is not set
DEFAULT_URL = "http://127.0.0.1:8550"


def add_arguments(sites: argparse.ArgumentParser, data_option) -> None:
    """``sites`` and its subcommands; ``data_option(parser)`` adds ``--data`` to each."""
    commands = sites.add_subparsers(dest="sites_command", required=True)
    qr = commands.add_parser("qr", help="the printable QR sheet of the active sites (A4 PDF)",
                             description="One card per active site with the QR code of <public url>/visit/<id>, "
                             "its name, type and office. The public URL is INSPECTOR_PUBLIC_URL, else "
                             f"{DEFAULT_URL}.")
    data_option(qr)
    qr.add_argument("--out", required=True, metavar="FILE", help="the PDF to write (its folder is made)")
    qr.add_argument("--office", metavar="OFFICE",
                    help=f"one office, by code or Chinese name: {known_offices('zh-CN')}; every office when left out")


def run_qr(ctx: Context, args, lang: str) -> int:
    """Write the QR sheet to ``args.out``; print where and how many sites it holds."""
    office = office_code(args.office, lang)
    data = site_qr.render(ctx, site_service.public_url(ctx, DEFAULT_URL), office, lang)
    out = _write(args.out, data)
    print(t("sites.cli_qr_done", lang, path=str(out.resolve()), count=len(site_service.list_sites(ctx, office))))
    return 0
