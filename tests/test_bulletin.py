"""`tracker bulletin` on the seed data: golden markdown bulletins (zh and en) at 2023-05,
2023-Q2 and 2023 with fixed issue days; every format of one bulletin shows the same words and
numbers; Word and Excel files read back by libraries that did not write them; the options.

Regenerate the goldens with `UPDATE_GOLDEN=1 python -m pytest tests/test_bulletin.py`, then
read them as an analyst would before committing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from conftest import SEED, run_cli
from liuxia_tracker.commands.bulletin import build_bulletin, bulletin_period
from liuxia_tracker.commands.dataset import resolve_data_dir
from liuxia_tracker.engine.bulletin import Bulletin
from liuxia_tracker.i18n import Language
from liuxia_tracker.render.bulletin_document import document
from liuxia_tracker.render.bulletin_view import Table

GOLDEN = Path(__file__).parent / "golden"
# Each bulletin with an issue day of its own, so no golden depends on today.
CASES = {"2023-05": "2023-06-20", "2023-Q2": "2023-07-31", "2023": "2024-02-20"}


def seed_bulletin(period: str = "2023-05", issued: str = "2023-06-20") -> Bulletin:
    result = build_bulletin(
        resolve_data_dir(SEED), bulletin_period(period), date.fromisoformat(issued)
    )
    assert result.bulletin is not None and result.diagnostics == []
    return result.bulletin


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("period", list(CASES))
def test_golden_markdown(period: str, lang: str) -> None:
    result = run_cli(
        "bulletin", "--period", period, "--issued", CASES[period], "--lang", lang,
        "--data", str(SEED),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    path = GOLDEN / f"bulletin.{period}.{lang}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8")


def test_the_may_bulletin_by_hand() -> None:
    """Numbers an analyst checks in the May bulletin (issued 20 June)."""
    text = (GOLDEN / "bulletin.2023-05.zh.md").read_text(encoding="utf-8")
    # 章丘 伊莱特 15亿元: Q1 3.2亿元 in hand (Q2 not over on 31 May); 3 quarters left:
    # (15 − 3.2) / 3 = 3.933… → 3.93亿元 a quarter.
    assert "后3个季度需季均完成3.93亿元" in text
    # 历下 CBD交付建筑面积: 6 + 10 = 16万平方米 of 80 = 20.0%; pace due through W20 (ends
    # 21 May, day 141): 16/80 − 141/365 = 0.2 − 0.3863 = −18.6 points… measured at the due
    # week W21 (ends 28 May, day 148): 0.2 − 0.4055 = −20.5 points.
    assert "| 历下区 | CBD交付建筑面积  | 滞后       |" in text
    assert "20.0% |       -20.5个百分点 |" in text
    # May's revenue figure was corrected to 16.6 (the latest record, known once May ended).
    assert "一般公共预算收入增长" in text and "低于目标0.4个百分点" in text
    # Innovation items: behind in April (7 of 28 by 30 April), 13 by May: on pace again, so
    # yellow (recovering), not green.
    assert re.search(r"创新突破事项 +\| 滞后 +\| 超进度 .*黄灯（回升）", text)


def _all_cells(bulletin: Bulletin, lang: Language) -> list[str]:
    cells = []
    for block in document(bulletin, lang).blocks:
        if isinstance(block, Table):
            cells += [cell for row in block.rows for cell in row]
    return cells


def _strip_markup(text: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", text)))


@pytest.mark.parametrize("lang", list(Language))
def test_every_text_format_shows_the_same_cells(lang: Language) -> None:
    from liuxia_tracker.render import bulletin_html, bulletin_markdown, bulletin_plain

    bulletin = seed_bulletin("2023-Q2", "2023-07-31")
    texts = {
        "markdown": bulletin_markdown.render(bulletin, lang).replace("\\", ""),
        "plain": bulletin_plain.render(bulletin, lang),
        "html": _strip_markup(bulletin_html.render(bulletin, lang)),
        "docx": _docx_text(bulletin, lang),
    }
    for cell in _all_cells(bulletin, lang):
        for name, text in texts.items():
            assert cell in text, (name, cell)


def _docx_text(bulletin: Bulletin, lang: Language) -> str:
    import io

    from docx2python import docx2python

    from liuxia_tracker.render.bulletin_docx import render

    with docx2python(io.BytesIO(render(bulletin, lang))) as read:
        return str(read.text)


def test_the_excel_bulletin_holds_the_same_numbers(tmp_path: Path) -> None:
    import openpyxl

    bulletin = seed_bulletin()
    out = tmp_path / "may.xlsx"
    result = run_cli(
        "bulletin", "-p", "2023-05", "--issued", "2023-06-20", "-f", "xlsx", "-o", str(out),
        "--lang", "zh", "--data", str(SEED),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "历下区", "章丘区"]
    summary = [str(c.value) for row in book["汇总"].iter_rows() for c in row if c.value is not None]
    doc = document(bulletin, Language.ZH)
    for block in doc.blocks:
        if isinstance(block, Table) and block.key in ("overview", "ranking"):
            for row in block.rows:
                assert all(cell in summary for cell in row)
    sheet = book["历下区"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:L12"
    assert len(sheet.conditional_formatting) >= 1
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    lixia = [c for c in bulletin.comparison.targets if c.row.district_id == "lixia"]

    # Excel keeps 15 significant digits of a number.
    def same(cell: object, value: float | None) -> bool:
        return cell == value if value is None else cell == pytest.approx(value, rel=1e-14)

    for values, change in zip(rows, lixia, strict=True):
        assert same(values[3], change.row.target)
        assert same(values[4], change.row.actual)
        assert same(values[6], change.row.completion)
        if change.row.kind != "rate":
            assert same(values[7], change.row.schedule_gap)
    # number formats carry the target's unit
    assert sheet["D6"].number_format == 'General"万平方米"'


def test_excel_text_is_never_a_formula(tmp_path: Path) -> None:
    import openpyxl

    from liuxia_tracker.render.bulletin_xlsx import render

    bulletin = seed_bulletin()
    row = bulletin.comparison.targets[0].row
    from dataclasses import replace

    from liuxia_tracker.engine.bulletin import TargetChange

    evil = replace(row, name='=HYPERLINK("http://x")', owner="+1+2")
    comparison = replace(
        bulletin.comparison,
        targets=(TargetChange(evil, None, None), *bulletin.comparison.targets[1:]),
    )
    out = tmp_path / "evil.xlsx"
    out.write_bytes(render(replace(bulletin, comparison=comparison), Language.ZH))
    sheet = openpyxl.load_workbook(out)["历下区"]
    assert sheet["A2"].value == '=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == "+1+2" and sheet["B2"].data_type == "s"


def test_the_word_bulletin_is_an_official_document(tmp_path: Path) -> None:
    out = tmp_path / "may.docx"
    result = run_cli(
        "bulletin", "-p", "2023-05", "--issued", "2023-06-20", "-f", "docx", "-o", str(out),
        "--lang", "zh", "--data", str(SEED),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert 'w:eastAsia="方正小标宋简体"' in xml  # the title
    assert 'w:eastAsia="黑体"' in xml and 'w:eastAsia="仿宋_GB2312"' in xml
    assert 'w:sz w:val="44"' in xml  # 2号 = 22 pt = 44 half-points
    assert 'w:sz w:val="32"' in xml  # 3号 = 16 pt
    assert "<w:tblHeader" in xml  # header rows repeat on every page
    assert "2023年5月重点工作目标进展情况通报" in xml


def test_a_word_template_is_used(tmp_path: Path) -> None:
    import docx

    template = tmp_path / "office.docx"
    made = docx.Document()
    made.add_paragraph("区督查室 模板页眉")
    made.save(str(template))
    out = tmp_path / "out.docx"
    result = run_cli(
        "bulletin", "-p", "2023-05", "--issued", "2023-06-20", "-f", "docx", "-o", str(out),
        "--template", str(template), "--lang", "zh", "--data", str(SEED),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert 0 <= xml.index("区督查室 模板页眉") < xml.index("2023年5月重点工作目标进展情况通报")


def test_status_as_excel(tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "status.xlsx"
    result = run_cli(
        "status", "--as-of", "2023-06-30", "-f", "xlsx", "-o", str(out), "--lang", "zh",
        "--data", str(SEED),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "历下区", "章丘区"]
    assert book["历下区"].freeze_panes == "A2"
    assert run_cli("status", "-f", "xlsx", "--data", str(SEED)).exit_code == 2
    again = run_cli("status", "-f", "xlsx", "-o", str(out), "--data", str(SEED))
    assert again.exit_code == 2 and "--force" in again.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "2023-W05"], "a bulletin is for a month"),
        (["-p", "2023-13"], "--period"),
        (["-p", "2024-05", "--issued", "2024-06-20"], "outside the plan year"),
        (["-p", "2023-05", "--issued", "2023-05-20"], "before the end of 2023-05"),
        (["-p", "2023-05", "--issued", "2023-06-20", "-f", "docx"], "give --output"),
        (["-p", "2023-05", "--issued", "2023-06-20", "-f", "pdf"], "--format"),
        (["-p", "2023-05", "--issued", "2023-06-20", "--by", "team"], "--by"),
        (["-p", "2023-05", "--issued", "2023-06-20", "nowhere"], "no district 'nowhere'"),
        (["-p", "2023-05", "--issued", "2023-06-20", "--compare", "2023-06"], "does not end"),
    ],
)
def test_usage_errors(args: list[str], message: str) -> None:
    result = run_cli("bulletin", *args, "--data", str(SEED))
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_output_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "may.md"
    args = ["bulletin", "-p", "2023-05", "--issued", "2023-06-20", "--data", str(SEED)]
    assert run_cli(*args, "-o", str(out)).exit_code == 0
    refused = run_cli(*args, "-o", str(out))
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert run_cli(*args, "-o", str(out), "--force").exit_code == 0


def test_by_owner_and_district_selection() -> None:
    result = run_cli(
        "bulletin", "zhangqiu", "-p", "2023-05", "--issued", "2023-06-20", "--by", "owner",
        "--lang", "zh", "--data", str(SEED),
    )  # fmt: skip
    assert result.exit_code == 0
    assert "历下区 |" not in result.stdout
    # the seed plan names no owners: sections 三–五 group under one heading that says so
    assert "### 未明确责任单位" in result.stdout
    # ranks stay those among every district: 章丘区 second of two
    assert re.search(r"\| 章丘区 +\| +34\.6% \| +2/2 \|", result.stdout)


def test_an_explicit_compare_period_and_its_issue_day() -> None:
    result = run_cli(
        "bulletin", "-p", "2023", "--issued", "2024-02-20", "--compare", "2023-Q3",
        "--lang", "zh", "--data", str(SEED),
    )  # fmt: skip
    assert result.exit_code == 0
    # the issue day moved back by the three months between the periods' ends
    assert "比较对象：2023年第三季度通报（按2023-11-20印发时的数据）" in result.stdout


def test_without_the_office_extra_one_line_and_exit_2(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('docx', 'xlsxwriter'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from liuxia_tracker.cli import main\n"
        f"sys.argv = ['tracker', *{sys.argv[:0]!r}, *sys.argv[1:]]\n"
        "main()\n"
    )
    for fmt in ("docx", "xlsx"):
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                script,
                "bulletin",
                "-p",
                "2023-05",
                "--issued",
                "2023-06-20",
                "-f",
                fmt,
                "-o",
                str(tmp_path / f"x.{fmt}"),
                "--data",
                str(SEED),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr == (
            f"tracker: --format {fmt} needs the office extra: pip install "
            "'liuxia-tracker[office]' (python-docx, XlsxWriter)\n"
        )
        assert not (tmp_path / f"x.{fmt}").exists()


def test_status_and_version_import_no_office_library() -> None:
    script = (
        "import sys\n"
        "from liuxia_tracker.cli import main\n"
        "sys.argv = ['tracker', 'status', '--data', sys.argv[1], '--as-of', '2023-06-30']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('docx', 'xlsxwriter', 'liuxia_tracker.render.bulletin_html') "
        "if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(SEED)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_html_is_self_contained_and_escapes_values() -> None:
    from dataclasses import replace

    from liuxia_tracker.engine.bulletin import TargetChange
    from liuxia_tracker.render.bulletin_html import render

    bulletin = seed_bulletin()
    row = replace(bulletin.comparison.targets[0].row, name="<script>alert(1)</script>")
    comparison = replace(
        bulletin.comparison,
        targets=(TargetChange(row, None, None), *bulletin.comparison.targets[1:]),
    )
    page = render(replace(bulletin, comparison=comparison), Language.ZH)
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r"(src|href)=|@import|url\(", page)
    assert page.count("<svg") >= 3  # ranking bars, completion bars, at least one path
    assert "@page { size: A4 portrait" in page and "break-inside: avoid" in page
