"""The command line (README): every command answers --help, is documented, and works."""

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from inspector.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ["serve", "demo", "user add", "field", "sync", "report", "check", "backup", "restore"]


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
