"""Docs that cannot drift: docs/api.md lists exactly the server's operations and event kinds, and
nothing in the project points outside the repository."""

import re
import subprocess

from inspector.domain.lifecycle import KINDS
from inspector.server.app import create_app
from tests.conftest import ROOT

API = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")


def test_every_operation_of_the_schema_is_documented_and_every_documented_route_exists(ctx):
    schema = create_app(ctx, with_ui=False).openapi()
    served = {f"{method.upper()} {path}" for path, operations in schema["paths"].items() for method in operations}
    documented = set(re.findall(r"^\| `((?:GET|POST|PUT|HEAD|DELETE|PATCH) /[^` ]*)`", API, flags=re.M))
    assert served - documented == set(), "operations missing from docs/api.md"
    assert documented - served == set(), "docs/api.md lists routes the server does not have"


def test_every_event_kind_is_documented():
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", API, flags=re.M))
    assert set(KINDS) - documented == set()


def test_nothing_in_the_project_points_outside_the_repository():
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    pointing = [name for name in files if name.endswith((".py", ".md", ".toml", ".txt", ".cfg", ""))
                and (ROOT / name).is_file() and (ROOT / name).stat().st_size < 2_000_000
                and "../shared" in (ROOT / name).read_text(encoding="utf-8", errors="ignore")
                and name != "tests/test_docs.py"]
    assert pointing == []
