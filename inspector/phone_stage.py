"""Stage the phone app's source for ``flet build``: a folder holding only what the phone ships.

``flet build`` packages the folder it runs in and installs that folder's
``[project].dependencies``; this repository's list is the server's (uvicorn,
psycopg, argon2, Alembic...), which the phone must not carry. So the phone app
is built from a copy:

    uv run python -m inspector.phone_stage build/phone-src
    cd build/phone-src && flet build apk

The copy holds ``field_app.py`` (the ``[tool.flet.app] module``), the
``inspector`` package, ``assets/`` and a ``pyproject.toml`` equal to this one
except that ``[project].dependencies`` is the ``phone`` dependency group.
"""

import argparse
import re
import shutil
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENTRY = "field_app.py"
COPIED = ("inspector", "assets", ENTRY, "README.md")
_DEPENDENCIES = re.compile(r"^dependencies = \[\n.*?^\]\n", re.MULTILINE | re.DOTALL)
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "make_subset.py")
MARK = ".inspector-phone-stage"  # a folder with this file was written here, and may be replaced


def phone_pyproject(text: str) -> str:
    """``text`` (a pyproject.toml) with ``[project].dependencies`` replaced by the ``phone`` group."""
    phone = tomllib.loads(text)["dependency-groups"]["phone"]
    block = "dependencies = [\n" + "".join(f'    "{requirement}",\n' for requirement in phone) + "]\n"
    staged, count = _DEPENDENCIES.subn(lambda _match: block, text, count=1)
    if count != 1:
        raise ValueError("no [project].dependencies list to replace")
    return staged


def stage(out: Path, root: Path = ROOT) -> Path:
    """Write the phone app's source folder at ``out`` (replaced if there); returns ``out``."""
    out = Path(out).resolve()
    if out == root.resolve() or out in root.resolve().parents:
        raise ValueError(f"{out} would hold the project itself: name a new folder")
    if out.exists() and any(out.iterdir()):
        if not (out / MARK).exists():
            raise ValueError(f"{out} is not empty and was not staged here: name a new folder")
        shutil.rmtree(out)  # a previous stage: replaced whole, so no removed file lingers
    out.mkdir(parents=True, exist_ok=True)
    (out / MARK).write_text("written by inspector.phone_stage\n", encoding="utf-8")
    for name in COPIED:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, out / name, ignore=_SKIP)
        elif source.exists():
            shutil.copy2(source, out / name)
    (out / "pyproject.toml").write_text(phone_pyproject((root / "pyproject.toml").read_text(encoding="utf-8")),
                                        encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m inspector.phone_stage OUT``: stage the phone app's source in OUT."""
    parser = argparse.ArgumentParser(prog="python -m inspector.phone_stage", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder to write (replaced if it exists), e.g. build/phone-src")
    args = parser.parse_args(argv)
    try:
        out = stage(args.out)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"staged the phone app in {out}; next: cd {out} && flet build apk")
    return 0


if __name__ == "__main__":
    sys.exit(main())
