"""The command line (README): every command answers --help, is documented, and works."""

import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from inspector.cli import ERROR_EXIT, build_parser, main
from inspector.domain import catalog
from inspector.i18n import CATALOGUES
from inspector.services import demo

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ["serve", "demo", "user add", "field", "sync", "report", "sites qr", "check", "backup", "restore",
            "supervise"]


def run(*args, stdin=None, env=None):
    return subprocess.run([sys.executable, "-m", "inspector", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = run(*command.split(), "--help")
    assert result.returncode == 0 and "--data" in result.stdout


def test_readme_documents_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser_commands = set(build_parser()._subparsers._group_actions[0].choices)
    for command in parser_commands:
        assert f"`inspector {command}" in readme, command


def subcommands() -> dict[str, object]:
    """Every command's parser by its name as typed (``user add`` included)."""
    found = {}
    for name, parser in build_parser()._subparsers._group_actions[0].choices.items():
        inner = parser._subparsers._group_actions[0].choices if parser._subparsers else {}
        found.update({f"{name} {sub}": p for sub, p in inner.items()} if inner else {name: parser})
    return found


def test_the_readme_table_names_exactly_each_commands_options():
    rows = [line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| `inspector ")]
    for command, parser in subcommands().items():
        row = next(line for line in rows if line.startswith(f"| `inspector {command} "))
        documented = set(re.findall(r"--[a-z][a-z-]*", row.split("` |")[0]))
        options = {o for action in parser._actions for o in action.option_strings if o.startswith("--")} - {"--help"}
        assert documented == options, command


def test_serve_demo_field_and_restore_may_start_a_data_folder_and_the_readme_says_so():
    starting = {command for command, parser in subcommands().items() if parser.get_default("data_made_by") is None}
    assert starting == {"serve", "demo", "field", "restore"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`serve`, `demo`, `field` and `restore` make the `--data` folder when it is missing" in readme


@pytest.mark.parametrize("command", [
    ["report", "--format", "csv", "--out", "{tmp}/out.csv"],
    ["check"],
    ["backup", "--out", "{tmp}/b.tar"],
    ["user", "add", "--username", "wang", "--role", "inspector", "--password-stdin"],
    ["sync", "--server", "http://127.0.0.1:9"],
])
def test_a_data_folder_that_does_not_exist_is_an_error_not_a_new_database(command, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    missing = tmp_path / "typo"
    args = [part.format(tmp=tmp_path) for part in command]
    assert main([*args, "--data", str(missing)]) == ERROR_EXIT
    err = capsys.readouterr().err
    assert f"{missing} is not an existing data folder" in err and err.strip().endswith("(cli.no_data_folder)")
    assert not missing.exists() and not (tmp_path / "out.csv").exists() and not (tmp_path / "b.tar").exists()


def test_report_help_lists_the_offices_with_their_chinese_names_and_the_date_format(capsys):
    with pytest.raises(SystemExit) as done:
        main(["report", "--help"])
    assert done.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for office in catalog.OFFICES:
        assert f"{office.code} ({CATALOGUES['zh-CN'][f'office.{office.code}']})" in text, office.code
    assert "--from YYYY-MM-DD" in text and "--to YYYY-MM-DD" in text


@pytest.mark.parametrize("day", ["2026-13-01", "2026-02-30", "1.12.2026", ""])
def test_a_bad_date_is_a_usage_error_that_names_the_format(day, tmp_path, capsys):
    with pytest.raises(SystemExit) as done:
        main(["report", "--data", str(tmp_path), "--format", "csv", "--out", str(tmp_path / "o.csv"), "--to", day])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "argument --to" in err and "YYYY-MM-DD" in err and "Traceback" not in err
    assert not (tmp_path / "o.csv").exists()


def test_report_takes_an_office_by_code_or_by_name_and_lists_the_known_ones_otherwise(ctx, tmp_path, capsys,
                                                                                     monkeypatch):
    demo.fill_if_empty(ctx)  # the test's clock (2026-07-15): items reported 06-25 .. 07-15
    monkeypatch.setenv("DATABASE_URL", ctx.settings.resolved_database_url())
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    base = ["report", "--data", str(ctx.settings.data_dir), "--format", "csv", "--from", "2026-06-01",
            "--to", "2026-07-31"]
    written = {}
    for office in ("construction", "建筑工程管理处", " Construction Engineering Management Office ", None):
        out = tmp_path / f"{len(written)}.csv"
        assert main([*base, "--out", str(out), *(["--office", office] if office else [])]) == 0
        written[office] = (re.search(r"(\d+) 件问题", capsys.readouterr().out)[1], out.read_bytes())
    assert written["construction"] == written["建筑工程管理处"] == written[" Construction Engineering Management Office "]
    assert written["construction"] != written[None]  # the name filtered: fewer items than every office's
    assert main([*base, "--out", str(tmp_path / "x.csv"), "--office", "建设科"]) == ERROR_EXIT
    err = capsys.readouterr().err
    assert "建设科" in err and err.strip().endswith("(catalog.unknown_office_name)")
    for office in catalog.OFFICES:
        assert office.code in err and CATALOGUES["zh-CN"][f"office.{office.code}"] in err
    assert not (tmp_path / "x.csv").exists()


def test_user_add_then_the_user_can_log_in(tmp_path, live, ctx):
    data = ctx.settings.data_dir
    env = {"DATABASE_URL": ctx.settings.resolved_database_url(), "PATH": "/usr/bin:/bin"}
    added = run("user", "add", "--data", str(data), "--username", "wang", "--role", "office_staff",
                "--office", "landscaping", "--password-stdin", stdin="s3cret-pw-26\n", env=env)
    assert added.returncode == 0, added.stderr
    token = httpx.post(live.url + "/api/auth/token", json={"username": "wang", "password": "s3cret-pw-26"})
    assert token.status_code == 200 and token.json()["user"]["office"] == "landscaping"
    again = run("user", "add", "--data", str(data), "--username", "ＷＡＮＧ", "--role", "inspector",
                "--password-stdin", stdin="another-pw\n", env=env)  # full-width capitals: the same name
    assert again.returncode == 2 and "(user.exists)" in again.stderr
    weak = run("user", "add", "--data", str(data), "--username", "zhao", "--role", "inspector",
               "--password-stdin", stdin="password123\n", env=env)
    assert weak.returncode == 2 and "(user.password_too_common)" in weak.stderr
    bad = run("user", "add", "--data", str(data), "--username", "li", "--role", "office_staff",
              "--password-stdin", stdin="s3cret-pw-26\n", env=env)
    assert bad.returncode == 2 and "office" in bad.stderr


def test_demo_fills_once_and_prints_logins(ctx):
    env = {"DATABASE_URL": ctx.settings.resolved_database_url(), "PATH": "/usr/bin:/bin"}
    first = run("demo", "--data", str(ctx.settings.data_dir), env=env)
    assert first.returncode == 0 and "xuncha" in first.stdout and "cw-demo-2026" in first.stdout
    second = run("demo", "--data", str(ctx.settings.data_dir), env=env)
    assert second.returncode == 0 and "already" in second.stdout


def test_a_typed_error_from_any_command_is_one_message_and_exit_code_2(capsys, monkeypatch):
    from inspector import cli
    from inspector.errors import UnknownOffice

    def refuse(args):
        raise UnknownOffice(office="nowhere")

    monkeypatch.setattr(cli, "cmd_check", refuse)
    assert cli.main(["check", "--data", "unused"]) == cli.ERROR_EXIT == 2
    assert capsys.readouterr().err.strip().endswith("(catalog.unknown_office)")


def test_the_command_line_starts_without_the_server_the_ui_or_uvicorn():
    loaded = subprocess.run([sys.executable, "-c", "import sys, inspector.cli; print(sorted(sys.modules))"],
                            capture_output=True, text=True, cwd=ROOT, check=True, timeout=120).stdout
    for heavy in ("'flet'", "'uvicorn'", "'fastapi'", "'inspector.server.app'", "'inspector.ui.field'"):
        assert heavy not in loaded, heavy
