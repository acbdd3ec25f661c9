"""The re-check pack (复核材料): every finding's number and text in the PDF, the fix's photos embedded with their
evidence, the same findings in the workbook with photo hashes and links, per office or all."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from inspector.cli import ERROR_EXIT, main
from inspector.errors import Forbidden
from inspector.reports import recheck, render_recheck
from inspector.services import findings
from tests.factories import person, stored_photo
from tests.services.findings_helpers import ROWS, filled, fix


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def images(data: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def pack(ctx, clock):
    """Three findings imported (JP-1 construction, JP-2 landscaping, JP-10 real estate); JP-1 fixed with a photo."""
    people = {"admin": person(ctx, "guanli", "admin"), "supervisor": person(ctx, "dudao", "supervisor"),
              "staff": person(ctx, "jianzhu", "office_staff", "construction"),
              "other": person(ctx, "yuanlin", "office_staff", "landscaping"),
              "inspector": person(ctx, "xuncha", "inspector")}
    findings.import_findings(ctx, people["admin"], filled(ROWS))
    one = next(i for i in findings.listed(ctx, people["admin"]) if i.finding_number == "JP-1")
    people["photo"] = stored_photo(ctx, people["staff"], 5)
    people["fixed"] = fix(ctx, clock, people["supervisor"], people["staff"], one, people["photo"])
    return people


def test_the_pdf_of_all_offices_holds_every_number_and_text_and_the_fix_photo(ctx, pack):
    rendered = render_recheck(ctx, pack["supervisor"], "pdf", lang="zh-CN")
    assert rendered.media_type == "application/pdf" and rendered.item_count == 3
    text = pdf_text(rendered.data).replace("\n", "")
    for number, _, problem, *_ in ROWS:
        assert number in text and problem in text
    assert "技术评估反馈问题复核材料" in text and "共 3 个问题，其中 1 个已核查通过" in text
    assert "已核查" in text and "整改后" in text and "GPS" not in text  # the test photo has no position
    assert "服务器" in text and "拍摄" in text  # the evidence facts of the after photo
    assert images(rendered.data) == 1  # the one after photo; the imported findings came without any
    assert text.index("JP-2") < text.index("JP-10")  # numbers in their natural order


def test_the_pdf_in_english_and_of_one_office(ctx, pack):
    rendered = render_recheck(ctx, pack["admin"], "pdf", office="landscaping", lang="en")
    text = pdf_text(rendered.data)
    assert "Re-check pack" in text and "JP-2" in text and "JP-1 " not in text and "JP-10" not in text
    assert rendered.item_count == 1 and images(rendered.data) == 0 and rendered.filename.startswith(
        "recheck-landscaping-")


def test_the_workbook_lists_the_photos_by_hash_and_link_with_their_facts(ctx, pack):
    rendered = render_recheck(ctx, pack["admin"], "xlsx", lang="zh-CN")
    rows = list(load_workbook(io.BytesIO(rendered.data)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "评估编号" and [r[0] for r in rows[1:]] == ["JP-1", "JP-2", "JP-10"]
    one = rows[1]
    fixed = pack["fixed"]
    assert one[3] == "已核查" and one[5] is not None and one[7] is not None and one[8] is not None
    assert pack["photo"] in one[11] and f"/api/photos/{pack['photo']}" in one[11] and "服务器" in one[11]
    assert one[10] is None and one[9] == fixed.number  # no before photos: the finding came as words


def test_office_staff_get_their_own_office_and_inspectors_none(ctx, pack):
    mine = render_recheck(ctx, pack["staff"], "xlsx")
    assert mine.office == "construction" and mine.item_count == 1
    with pytest.raises(Forbidden):
        render_recheck(ctx, pack["staff"], "pdf", office="landscaping")
    with pytest.raises(Forbidden):
        render_recheck(ctx, pack["inspector"], "pdf")


def test_a_photo_missing_from_the_store_prints_its_facts_without_the_image(ctx, pack, monkeypatch):
    def gone(*args, **kwargs):
        raise OSError("blob gone")

    monkeypatch.setattr(recheck.photos, "photo_bytes", gone)
    rendered = render_recheck(ctx, pack["admin"], "pdf")
    assert images(rendered.data) == 0 and "服务器" in pdf_text(rendered.data)


def test_formula_like_text_stays_text_in_the_workbook(ctx, pack):
    findings.import_findings(ctx, pack["admin"], filled([["JP-99", "甲", "-号楼前积水 +垃圾", "loose_soil", ""]]))
    rows = list(load_workbook(io.BytesIO(render_recheck(ctx, pack["admin"], "xlsx").data)).worksheets[0]
                .iter_rows())
    cell = next(r[1] for r in rows if r[0].value == "JP-99")
    assert cell.data_type == "s" and cell.value.startswith("-号楼") and cell.quotePrefix


def test_the_command_line_writes_the_pack_of_an_office_as_pdf_or_workbook(ctx, pack, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", ctx.settings.resolved_database_url())
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    base = ["report", "recheck", "--data", str(ctx.settings.data_dir)]
    assert main([*base, "--out", str(tmp_path / "all.pdf")]) == 0
    assert "3 个问题" in capsys.readouterr().out and (tmp_path / "all.pdf").read_bytes().startswith(b"%PDF")
    assert main([*base, "--out", str(tmp_path / "c.xlsx"), "--office", "建筑工程管理处", "--xlsx"]) == 0
    rows = list(load_workbook(tmp_path / "c.xlsx").worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["JP-1"] and "1 个问题" in capsys.readouterr().out
    assert main([*base, "--out", str(tmp_path / "x.pdf"), "--month", "2026-07"]) == ERROR_EXIT
    assert "request.invalid" in capsys.readouterr().err and not (tmp_path / "x.pdf").exists()
