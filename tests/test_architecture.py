"""The shape of the code, checked: each rule lives in one place and each layer keeps to itself.

These read the source (``ast``), so a change that writes SQL in a service, spells
a role or lists event kinds outside their registry, or hides a failure in the UI
fails here with the place named.
"""

import ast
from pathlib import Path

import pytest

from inspector.domain.lifecycle import KINDS, STATUSES
from inspector.domain.roles import Role
from tests.conftest import ROOT

PACKAGE = ROOT / "inspector"
MAX_LINES = 400
SQL_NAMES = {"select", "insert", "update", "delete", "func", "text", "bindparam", "and_", "or_", "case"}
SESSION_CALLS = {"exec", "execute", "get", "add", "add_all", "delete", "scalar", "scalars", "merge", "flush",
                 "refresh"}


def modules(*exclude: str) -> list[Path]:
    """The package's modules, migrations aside, less those under ``exclude`` (paths relative to it)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/migrations/" in f"/{relative}" or any(relative.startswith(prefix) for prefix in exclude):
            continue
        found.append(path)
    return found


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{node.lineno}"


def test_every_sql_statement_is_in_the_store():
    found = []
    for path in modules("store/"):
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("sqlalchemy", "sqlmodel"):
                found += [where(path, node) for alias in node.names if alias.name in SQL_NAMES]
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in SESSION_CALLS and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "session"):
                found.append(where(path, node))
    assert found == []


def _strings(node: ast.AST) -> list[str]:
    items = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else [node]
    return [item.value for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str)]


def test_roles_are_named_through_the_role_enum_only():
    roles = {role.value for role in Role}
    found = []
    for path in modules("domain/roles.py", "i18n/"):
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(value in roles for side in sides for value in _strings(side)):
                    found.append(where(path, node))
    assert found == []


def _lists_kinds(strings: set[str]) -> bool:
    """Two or more kind codes, at least one of them not also a status (``verified`` is both)."""
    kinds = strings & set(KINDS)
    return len(kinds) >= 2 and bool(kinds - set(STATUSES))


def test_event_kinds_are_listed_in_the_registry_only():
    found = []
    for path in modules("domain/lifecycle.py", "i18n/"):
        for node in ast.walk(tree(path)):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and _lists_kinds(set(_strings(node))):
                found.append(where(path, node))
            if isinstance(node, ast.Dict) and _lists_kinds({k.value for k in node.keys if isinstance(k, ast.Constant)
                                                            and isinstance(k.value, str)}):
                found.append(where(path, node))
    assert found == []


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_is_over_400_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES


def test_the_ui_turns_failures_into_words_in_one_place():
    found = []
    for path in modules():
        if not path.relative_to(PACKAGE).as_posix().startswith("ui/") or path.name == "guard.py":
            continue
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.ExceptHandler) and isinstance(node.type, ast.Name) \
                    and node.type.id in ("Exception", "BaseException"):
                found.append(where(path, node))
            if isinstance(node, ast.ExceptHandler) and node.type is None:
                found.append(where(path, node))
    assert found == []


def test_no_import_inside_a_function_except_a_lazy_one_that_says_why():
    """An import inside a function is allowed to keep a command's start fast or a dependency optional,
    and then says so with ``# lazy:`` on its line; never to break an import cycle."""
    found = []
    for path in modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(tree(path)):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)) and "# lazy:" not in lines[inner.lineno - 1]:
                    found.append(where(path, inner))
    assert sorted(set(found)) == []
