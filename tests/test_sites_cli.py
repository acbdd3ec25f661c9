"""``inspector sites qr``: the QR sheet to a file, every office or one (by code or name), the public URL."""

import io

from pypdf import PdfReader

from inspector.cli import ERROR_EXIT, main
from inspector.domain.roles import Role
from inspector.services import sites
from tests.factories import person

PARK = {"name": "人民公园", "kind": "green_belt", "office_code": "landscaping", "lat": 30.27, "lon": 120.15}


def links(path) -> list[str]:
    page = PdfReader(io.BytesIO(path.read_bytes())).pages[0]
    return [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", [])]


def test_sites_qr_writes_the_sheet_of_an_office_or_all(ctx, tmp_path, capsys, monkeypatch):
    admin = person(ctx, "admin1", Role.ADMIN)
    park = sites.register(ctx, admin, PARK)
    yard = sites.register(ctx, admin, {**PARK, "name": "A工地", "kind": "construction_site",
                                       "office_code": "construction"})
    monkeypatch.setenv("DATABASE_URL", ctx.settings.resolved_database_url())
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    base = ["sites", "qr", "--data", str(ctx.settings.data_dir)]
    assert main([*base, "--out", str(tmp_path / "all.pdf")]) == 0
    assert "2 个场所" in capsys.readouterr().out
    assert sorted(links(tmp_path / "all.pdf")) == sorted(f"http://127.0.0.1:8550/visit/{s.id}" for s in (park, yard))
    monkeypatch.setenv("INSPECTOR_PUBLIC_URL", "https://cw.example.cn/")
    assert main([*base, "--out", str(tmp_path / "out" / "one.pdf"), "--office", "园林管理处"]) == 0
    assert links(tmp_path / "out" / "one.pdf") == [f"https://cw.example.cn/visit/{park.id}"]
    assert main([*base, "--out", str(tmp_path / "x.pdf"), "--office", "建设科"]) == ERROR_EXIT
    assert "(catalog.unknown_office_name)" in capsys.readouterr().err and not (tmp_path / "x.pdf").exists()
