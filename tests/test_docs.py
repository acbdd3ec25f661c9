"""Docs that cannot drift: docs/api.md lists exactly the server's operations and event kinds,
docs/architecture.md says where the rules live, and nothing in the project points outside the repository."""

import re
import subprocess

from inspector.domain.lifecycle import Kind
from inspector.server.app import create_app
from tests.conftest import ROOT

API = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
OUTSIDE = re.compile(r"\.\./+shared\b")  # the sibling folder the project once pointed into


def operations(schema: dict) -> set[str]:
    """Every operation of an OpenAPI schema as ``METHOD /path``."""
    return {f"{method.upper()} {path}" for path, operations in schema["paths"].items() for method in operations}


def documented_operations(text: str) -> set[str]:
    return set(re.findall(r"^\| `((?:GET|POST|PUT|HEAD|DELETE|PATCH) /[^` ]*)`", text, flags=re.M))


def documented_kinds(text: str) -> set[str]:
    return set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.M))


def test_every_operation_of_the_schema_is_documented_and_every_documented_route_exists(ctx):
    served = operations(create_app(ctx, with_ui=False).openapi())
    documented = documented_operations(API)
    assert served - documented == set(), "operations missing from docs/api.md"
    assert documented - served == set(), "docs/api.md lists routes the server does not have"


def test_every_event_kind_is_documented():
    documented = documented_kinds(API)
    assert set(Kind) - documented == set(), "event kinds missing from docs/api.md"
    assert documented - set(Kind) == set(), "docs/api.md lists event kinds the registry does not have"


def test_the_checks_see_a_route_or_a_kind_left_out():
    """The two checks above fail when a row goes: they read the table rows they are meant to read."""
    route = "| `GET /api/items/{item_id}` |"
    kind = "| `look_back_passed` |"
    assert route in API and kind in API
    shorter = "\n".join(line for line in API.splitlines() if not line.startswith((route, kind)))
    assert "GET /api/items/{item_id}" not in documented_operations(shorter)
    assert "GET /api/items/{item_id}" in documented_operations(API)
    assert Kind.LOOK_BACK_PASSED not in documented_kinds(shorter) and Kind.LOOK_BACK_PASSED in documented_kinds(API)


def test_the_architecture_says_where_the_rules_live():
    section = ARCHITECTURE.split("## Where the rules live", 1)[-1]
    assert "## Where the rules live" in ARCHITECTURE
    for place in ("domain/roles.py", "domain/lifecycle.py", "domain/decision.py", "store/", "store/public.py",
                  "ui/guard.py", "server/errors.py", "cli.py"):
        assert f"`inspector/{place}`" in section, place
    for layer in ("domain", "services", "store", "server", "sync", "ui"):
        assert f"`inspector/{layer}/`" in ARCHITECTURE, layer


def test_every_link_of_the_docs_stays_in_the_repository():
    for name in ("README.md", *(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md"))):
        text = (ROOT / name).read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            path = ((ROOT / name).parent / target).resolve()
            assert path.is_relative_to(ROOT.resolve()) and path.exists(), f"{name} links {target}"


def test_nothing_in_the_project_points_outside_the_repository():
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    pointing = [name for name in files if name.endswith((".py", ".md", ".toml", ".txt", ".cfg", ""))
                and (ROOT / name).is_file() and (ROOT / name).stat().st_size < 2_000_000
                and OUTSIDE.search((ROOT / name).read_text(encoding="utf-8", errors="ignore"))]
    assert pointing == []
