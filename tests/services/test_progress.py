"""Long work tells its steps through a plain ``progress(done, total)`` callable: the imports and the reports
call it in order, ``done`` rising to ``total``, and work without one runs as before."""

import io

import pytest
from openpyxl import Workbook

from inspector.domain.roles import Role
from inspector.errors import SiteImportRowsInvalid
from inspector.reports import render, render_recheck, site_qr
from inspector.services import findings, site_import, sites
from inspector.services.progress import Steps
from tests.factories import person
from tests.services.findings_helpers import filled

HEAD = ["场所名称", "类型", "责任单位", "纬度", "经度", "地址", "联系人"]


def register(rows: int) -> bytes:
    book = Workbook()
    book.active.append(HEAD)
    for n in range(rows):
        book.active.append([f"工地{n}", "建筑工地", "建筑工程管理处", 30.27 + n / 10000, 120.15, f"新路 {n} 号", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rising(calls: list[tuple[int, int]]) -> bool:
    """Each call one step further on, never past its total, the last one full."""
    dones = [done for done, _ in calls]
    return (dones == sorted(set(dones)) and all(0 < done <= total for done, total in calls)
            and calls[-1][0] == calls[-1][1])


@pytest.fixture
def admin(ctx):
    return person(ctx, "guanli", Role.ADMIN)


def test_steps_count_up_grow_and_finish_full():
    calls = []
    steps = Steps(lambda done, total: calls.append((done, total)), 3)
    steps.tick()
    steps.add(2)
    steps.tick(2)
    steps.finish()
    assert calls == [(1, 3), (3, 5), (5, 5)]
    nothing = []
    Steps(lambda done, total: nothing.append((done, total))).finish()  # nothing to count: one full step
    assert nothing == [(1, 1)]
    Steps(None, 4).tick()  # nobody listening: nothing to call


def test_the_site_import_tells_each_row_written_in_order(ctx, admin):
    calls = []
    result = site_import.import_sites(ctx, admin, register(7), "zh-CN", progress=lambda d, t: calls.append((d, t)))
    assert len(result.added) == 7
    assert calls == [(n, 7) for n in range(1, 8)]


def test_a_refused_site_import_tells_nothing(ctx, admin):
    book = Workbook()
    book.active.append(HEAD)
    book.active.append(["", "建筑工地", "建筑工程管理处", 30.27, 120.15])
    out = io.BytesIO()
    book.save(out)
    calls = []
    with pytest.raises(SiteImportRowsInvalid):
        site_import.import_sites(ctx, admin, out.getvalue(), "zh-CN", progress=lambda d, t: calls.append((d, t)))
    assert calls == [] and sites.list_sites(ctx) == []


def test_the_findings_import_tells_the_findings_written_chunk_by_chunk(ctx, admin):
    rows = [[f"JP-{n}", "某地", f"问题 {n}", "loose_soil", ""] for n in range(1, 121)]
    calls = []
    result = findings.import_findings(ctx, admin, filled(rows), progress=lambda d, t: calls.append((d, t)))
    assert result.status == "imported" and len(result.imported) == 120
    assert calls == [(50, 120), (100, 120), (120, 120)]
    assert len({item.number for item in findings.listed(ctx, admin)}) == 120  # one report number each


def test_the_recheck_pack_tells_each_finding_read_then_written(ctx, admin):
    findings.import_findings(ctx, admin, filled([[f"JP-{n}", "某地", f"问题 {n}", "loose_soil", ""]
                                                 for n in range(1, 5)]))
    calls = []
    rendered = render_recheck(ctx, admin, "pdf", progress=lambda d, t: calls.append((d, t)))
    assert rendered.item_count == 4 and rendered.data.startswith(b"%PDF")
    assert calls == [(n, 9) for n in range(1, 10)]  # 4 read, 4 written, the file: the total known from the start
    xlsx = []
    render_recheck(ctx, admin, "xlsx", progress=lambda d, t: xlsx.append((d, t)))
    assert rising(xlsx) and xlsx[-1] == (5, 5)  # 4 read, then the workbook


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_the_summary_tells_its_steps_in_order(ctx, admin, fmt):
    calls = []
    rendered = render(ctx, admin, fmt, progress=lambda d, t: calls.append((d, t)))
    assert rendered.data
    assert rising(calls) and len({total for _, total in calls}) == 1  # the total known from the start
    # the items, the scores, then for the PDF 8 photo pairs (none here), its five sections and the file; else the file
    assert calls[-1] == ((2 + 8 + 6, 2 + 8 + 6) if fmt == "pdf" else (3, 3))


def test_the_qr_sheet_tells_each_card_then_the_file(ctx, admin):
    for n in range(3):
        sites.register(ctx, admin, {"name": f"工地{n}", "kind": "construction_site", "office_code": "construction",
                                    "lat": 30.27 + n / 1000, "lon": 120.15})
    calls = []
    data = site_qr.render(ctx, "https://cw.example.cn", None, "zh-CN", progress=lambda d, t: calls.append((d, t)))
    assert data.startswith(b"%PDF") and calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
