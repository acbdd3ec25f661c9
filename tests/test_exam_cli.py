"""``inspector report bulletin --month YYYY-MM``: the 通报 PDF of a published month; an unpublished one refused."""

import io

import pytest
from pypdf import PdfReader

from inspector.cli import ERROR_EXIT, main
from inspector.services import exam
from tests.exam_month import after_july, july, people  # noqa: F401 - fixtures


@pytest.fixture
def cli_env(ctx, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", ctx.settings.resolved_database_url())
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    return ["report", "bulletin", "--data", str(ctx.settings.data_dir)]


def test_the_bulletin_of_a_published_month_is_written_and_an_unpublished_one_refused(ctx, people, after_july,
                                                                                     cli_env, tmp_path, capsys):
    out = tmp_path / "out" / "b.pdf"
    assert main([*cli_env, "--month", "2026-07", "--out", str(out)]) == ERROR_EXIT
    assert capsys.readouterr().err.strip().endswith("(exam.not_published)") and not out.exists()
    exam.publish(ctx, people["supervisor"], "2026-07")
    assert main([*cli_env, "--month", "2026-07", "--out", str(out)]) == 0
    assert "2026-07" in capsys.readouterr().out
    flat = "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages).split())
    assert "创卫巡查月考通报" in flat and "末位" in flat and flat.index("园林管理处") < flat.index("建筑工程管理处")


@pytest.mark.parametrize("extra", [[], ["--month", "2026-07", "--format", "csv"], ["--month", "2026-07", "--office",
                                                                                  "construction"]])
def test_a_bulletin_takes_a_month_and_none_of_the_summarys_options(ctx, people, cli_env, capsys, extra):
    assert main([*cli_env, *extra]) == ERROR_EXIT
    assert capsys.readouterr().err.strip().endswith("(request.invalid)")


@pytest.mark.parametrize("month", ["2026-13", "07-2026", "2026-7"])
def test_a_bad_month_is_a_usage_error_that_names_the_format(cli_env, capsys, month):
    with pytest.raises(SystemExit) as done:
        main([*cli_env, "--month", month])
    assert done.value.code == 2 and "YYYY-MM" in capsys.readouterr().err
