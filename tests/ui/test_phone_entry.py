"""The phone app (``flet build``): its entry runs without the server's packages, its config is what Flet reads.

Nothing here runs ``flet build`` (it downloads Flutter). What is proven instead:

- the staged app (``inspector.phone_stage``: what ``flet build`` would package) starts in a fresh
  interpreter with uvicorn, FastAPI, psycopg, argon2, Alembic, cryptography, fpdf2, openpyxl and brotli
  made unimportable: the first screen asks for the server, the address is kept in the local store,
  the login screen follows, a kept login opens the tabs, the 我 tab offers 更改服务器地址, and a
  report saved offline lands in the outbox;
- every package that run imported is installed by the ``phone`` dependency group alone;
- ``[tool.flet]`` parses and names what Flet 1.0's ``flet build`` reads (entry module, permissions);
- the schema the phone builds without Alembic is the one the migrations build.
"""

import json
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from inspector.errors import PhotoUnsupported
from inspector.phone import server_address
from inspector.phone_stage import phone_pyproject, stage
from inspector.store.engine import make_engine
from inspector.store.field.database import build_schema, head_revision
from inspector.store.schema import upgrade
from tests.photos.corpus import encode, scene

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SERVER_ONLY = ("uvicorn", "fastapi", "starlette", "psycopg", "psycopg_binary", "argon2", "alembic", "cryptography",
               "fpdf", "openpyxl", "brotli")
SERVER_DISTRIBUTIONS = {"uvicorn", "fastapi", "psycopg", "argon2-cffi", "alembic", "cryptography", "fpdf2",
                        "openpyxl", "brotli", "pillow-heif", "flet-charts", "flet-web"}
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing answers, as on a phone without network

# Runs in the staged folder, in a fresh interpreter: the finder is in place before anything is imported.
CHILD = r'''
import asyncio, importlib.abc, json, os, sys
BLOCKED = set(sys.argv[1].split(","))
tried = []

class NotOnThePhone(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            tried.append(name)
            raise ImportError(f"{name} is not on the phone")
        return None

sys.meta_path.insert(0, NotOnThePhone())

from datetime import datetime, timezone
import io
import flet as ft
from flet.controls.context import _context_page
from flet.messaging.connection import Connection
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub
from PIL import Image

import field_app
import inspector
from inspector import phone
from inspector.sync.wire import UserPublic
from inspector.sync.local import LocalStore
from inspector.sync.wire import TokenResponse
from inspector.ui.views.login import LoginView
from inspector.ui.views.me import MeView

URL = sys.argv[2]
# a login kept until a fixed instant: the phone keeps the expiry for the server to judge, it never reads it
KEPT_UNTIL = datetime(2026, 7, 31, tzinfo=timezone.utc)
out = {"inspector_file": inspector.__file__, "entry_main_is_phone_main": field_app.main is phone.main}


class Prefs:
    values = {}
    async def get(self, key): return self.values.get(key)
    async def set(self, key, value): self.values[key] = value
    async def remove(self, key): self.values.pop(key, None)


class Picker:
    def action(self): return None
    async def pick(self): return None


class Locator:
    async def locate(self): return None


class Devices:
    def photo_picker(self, purpose, on_photos): return Picker()
    def locator(self): return Locator()
    def prefs(self): return Prefs()


class Recording(Connection):
    def __init__(self):
        super().__init__()
        self.messages = []
    def send_message(self, message):
        self.messages.append(message)


SESSIONS = []  # a page holds its session weakly: keep each alive for the run


def new_page():
    conn = Recording()
    conn.loop = asyncio.get_running_loop()
    conn.pubsubhub = PubSubHub(loop=conn.loop)
    session = Session(conn)
    SESSIONS.append(session)
    _context_page.set(session.page)
    session.get_page_patch()
    return session.page


def texts(control, seen=None):
    """Every string a control tree shows (text, labels, button content)."""
    found, stack, seen = [], [control], set()
    while stack:
        c = stack.pop()
        if c is None or id(c) in seen:
            continue
        seen.add(id(c))
        if isinstance(c, (list, tuple)):
            stack.extend(c)
            continue
        for name in ("value", "label", "content", "text"):
            v = getattr(c, name, None)
            if isinstance(v, str):
                found.append(v)
        for name in ("content", "controls", "actions", "leading", "title", "label", "destinations"):
            v = getattr(c, name, None)
            if isinstance(v, (ft.BaseControl, list, tuple)):
                stack.append(v)
    return found


async def run():
    data_dir = phone.app_data_dir()
    out["data_dir"] = str(data_dir)
    # first start: the one question
    page = new_page()
    app = phone.PhoneApp(page, data_dir, Devices)
    await app.start()
    screen = app.screen
    out["first_screen_is_server_screen"] = page.controls == [screen.root]
    out["first_screen_texts"] = texts(screen.root)
    screen.field.value = "ftp://nowhere"
    await screen.submit()
    out["bad_address_error"] = screen.field.error_text
    out["kept_after_bad"] = phone.kept_server(data_dir)
    screen.field.value = URL
    await screen.submit()
    out["kept"] = phone.kept_server(data_dir)
    shell = page.data
    out["login_after_address"] = isinstance(shell.login_view, LoginView) and page.controls == [shell.login_view.root]
    app.client.close()

    # a login kept from an earlier session (what FieldClient.login leaves), then the next start
    store = LocalStore(data_dir)
    user = UserPublic(id="u-phone", username="xuncha", display_name="巡查员", role="inspector", office=None)
    store.begin_session(URL, TokenResponse(access_token="t", expires_at=KEPT_UNTIL,
                                           user=user))
    store.close()
    page = new_page()
    app = phone.PhoneApp(page, data_dir, Devices)
    await app.start()
    app.client.stop_auto_sync()  # nothing answers at URL anyway; the outbox is what is looked at
    shell = page.data
    out["tabs"] = [d.label for d in shell.nav.destinations]
    out["report_tab_shown"] = shell.body.content is not None and shell.tabs[shell.tab].name
    me = MeView(shell)
    out["me_texts"] = texts(me.root)

    # a report saved with no server reachable: in the outbox, waiting
    ws = shell.ws
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 40)).save(buffer, "JPEG")
    photo = ws.add_photo(buffer.getvalue())
    state = ws.record("reported", None, 0, {
        "category": "site_sewage", "location": {"lat": 30.2741, "lon": 120.1551, "accuracy_m": 8.0, "source": "gps"},
        "severity": "normal", "check_type": "supervisor", "description": "工地污水直排", "photos": [photo.sha256],
        "site": None})
    try:  # an iPhone's HEIC photo: pillow-heif is not on the phone, so it is refused in words
        ws.add_photo(open(sys.argv[3], "rb").read())
        out["heic"] = "kept"
    except Exception as error:
        out["heic"] = getattr(error, "code", repr(error))
    pending = app.client.store.pending()
    out["outbox"] = [[e.kind, e.item_id, e.state] for e in pending]
    out["item_id"] = state.id
    out["sync_status_pending"] = ws.sync_status().pending
    app.client.close()


asyncio.run(run())
out["tried_blocked"] = sorted(set(tried))
out["blocked_loaded"] = sorted(m for m in sys.modules if m.partition(".")[0] in BLOCKED)
out["top_modules"] = sorted({m.partition(".")[0] for m in sys.modules})
print("RESULT " + json.dumps(out, ensure_ascii=False))
'''


def _phone_closure() -> set[str]:
    """The distributions the ``phone`` group installs: its pins and everything they require (no extras)."""
    todo = [Requirement(r) for r in PYPROJECT["dependency-groups"]["phone"]]
    seen: set[str] = set()
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            child = Requirement(line)
            if child.marker is None or child.marker.evaluate({"extra": ""}):
                todo.append(child)
    return seen


def _not_on_the_phone() -> set[str]:
    """Top-level modules to make unimportable: the server's, and every installed one the phone group lacks."""
    closure = _phone_closure()
    blocked = set(SERVER_ONLY)
    for module, distributions in metadata.packages_distributions().items():
        if module.isidentifier() and module != "inspector" and not any(
                canonicalize_name(d) in closure for d in distributions):
            blocked.add(module)
    return blocked


@pytest.fixture(scope="module")
def phone_run(tmp_path_factory) -> dict:
    """The staged app's startup in a fresh interpreter with only the phone's packages importable."""
    tmp_path = tmp_path_factory.mktemp("phone")
    src = stage(tmp_path / "src")
    storage = tmp_path / "storage"
    heic = tmp_path / "photo.heic"
    heic.write_bytes(encode(scene(), "HEIF", quality=60))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "FLET_APP_STORAGE_DATA": str(storage)}
    done = subprocess.run([sys.executable, "-c", CHILD, ",".join(sorted(_not_on_the_phone())), UNREACHABLE,
                           str(heic)],
                          cwd=src, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-4000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["src"], result["storage"] = str(src), str(storage)
    return result


def test_the_phone_entry_runs_with_the_server_packages_unimportable(phone_run):
    out = phone_run
    assert out["inspector_file"].startswith(out["src"])  # the staged copy ran, not the repository
    assert out["entry_main_is_phone_main"]
    assert Path(out["data_dir"]).is_relative_to(out["storage"])  # the app's storage folder
    assert (Path(out["data_dir"]) / "field.db").exists()
    # first start: the server address, in words, before anything else
    assert out["first_screen_is_server_screen"]
    assert "连接巡查服务器" in out["first_screen_texts"] and "服务器地址" in out["first_screen_texts"]
    assert out["bad_address_error"] and out["kept_after_bad"] is None
    assert out["kept"] == UNREACHABLE
    assert out["login_after_address"]
    # a kept login: the tabs, the 我 tab's server section, and a report saved offline waits in the outbox
    assert out["tabs"][0] == "上报" and out["report_tab_shown"] == "report"
    assert UNREACHABLE in out["me_texts"] and "更改服务器地址" in out["me_texts"]
    assert out["outbox"] == [["reported", out["item_id"], "pending"]] and out["sync_status_pending"] == 1
    assert out["heic"] == PhotoUnsupported.code
    # nothing of the server's was loaded; asked for only where the absence is planned: Alembic by
    # open_field_db (its absence picks build_schema), brotli by httpx (an optional decoder)
    assert out["blocked_loaded"] == []
    assert {m.partition(".")[0] for m in out["tried_blocked"]} & set(SERVER_ONLY) <= {"alembic", "brotli"}


def test_every_package_the_phone_run_imported_is_in_the_phone_group(phone_run):
    by_module = metadata.packages_distributions()
    imported = {canonicalize_name(d) for m in phone_run["top_modules"] for d in by_module.get(m, [])}
    imported.discard("inspector")
    assert {"flet", "sqlmodel", "httpx", "pillow", "pydantic-settings"} <= imported  # the run did import them
    assert imported <= _phone_closure(), sorted(imported - _phone_closure())
    assert not imported & SERVER_DISTRIBUTIONS


def test_flet_build_config_names_the_entry_permissions_and_the_phone_dependencies(tmp_path):
    flet = PYPROJECT["tool"]["flet"]
    # what flet build's validate_entry_point checks: <module>.py in the app folder's root
    module = Path(flet["app"]["module"]).stem
    assert (ROOT / f"{module}.py").exists() and module != "main"  # main.py stays the server's quick start
    assert flet["org"] and flet["product"] and flet["bundle_id"].count(".") >= 2
    permissions = flet["android"]["permission"]
    assert {"android.permission.ACCESS_FINE_LOCATION", "android.permission.ACCESS_COARSE_LOCATION",
            "android.permission.CAMERA"} <= {k for k, v in permissions.items() if v is True}
    assert {"NSLocationWhenInUseUsageDescription", "NSCameraUsageDescription",
            "NSPhotoLibraryUsageDescription"} <= set(flet["ios"]["info"])
    # the phone group: pinned as the server's list pins them, and none of the server's packages
    phone = [Requirement(r) for r in PYPROJECT["dependency-groups"]["phone"]]
    server = {canonicalize_name(Requirement(r).name): Requirement(r).specifier
              for r in PYPROJECT["project"]["dependencies"]}
    for req in phone:
        assert str(req.specifier).startswith("=="), req
        assert server[canonicalize_name(req.name)] == req.specifier, req
    assert not {canonicalize_name(r.name) for r in phone} & SERVER_DISTRIBUTIONS
    # the staged folder is what flet build reads: its [project].dependencies are the phone group's
    src = stage(tmp_path / "src")
    staged = tomllib.loads((src / "pyproject.toml").read_text(encoding="utf-8"))
    assert staged["project"]["dependencies"] == PYPROJECT["dependency-groups"]["phone"]
    assert staged["tool"]["flet"] == flet and (src / f"{module}.py").exists()
    assert staged["project"]["version"] == PYPROJECT["project"]["version"]
    assert not (src / "inspector" / "__pycache__").exists()


def test_staging_never_replaces_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(ValueError):
        stage(tmp_path / "mine")
    with pytest.raises(ValueError):
        stage(ROOT)
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"
    stage(tmp_path / "again")
    stage(tmp_path / "again")  # its own earlier stage is replaced
    with pytest.raises(ValueError):
        phone_pyproject("[project]\nname = 'x'\n[dependency-groups]\nphone = []\n")


def test_the_server_address_is_read_as_the_client_uses_it():
    assert server_address(" xuncha.example.gov.cn/ ") == "https://xuncha.example.gov.cn"
    assert server_address("http://10.0.0.5:8550") == "http://10.0.0.5:8550"
    for bad in ("", "   ", "ftp://x", "https://", "http://host/?a=1", "http://host/#x"):
        assert server_address(bad) is None, bad


def test_the_phone_schema_without_alembic_is_the_migrations_schema(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'phone.db'}")
    build_schema(engine)
    build_schema(engine)  # a second start changes nothing
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
        stamped = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        assert connection.execute(text("SELECT count(*) FROM offices")).scalar_one() > 0
    assert stamped == head_revision()
    upgrade(engine)  # the folder copied to a laptop: Alembic takes it from the stamp, nothing to redo
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == stamped
    engine.dispose()


def test_a_newer_phone_app_adds_the_columns_an_older_one_lacked(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:  # as an older app version left it: client_state without "value"
        connection.execute(text('CREATE TABLE client_state ("key" VARCHAR NOT NULL PRIMARY KEY)'))
        connection.execute(text("INSERT INTO client_state (\"key\") VALUES ('device_id')"))
    build_schema(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("client_state")}
    assert "value" in columns
    with engine.connect() as connection:
        assert connection.execute(text("SELECT \"key\" FROM client_state")).scalars().all() == ["device_id"]
    engine.dispose()
