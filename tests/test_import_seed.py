"""The real seed list: every item exactly, and a master a clerk can read and print."""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, SEED, convert
from python_calamine import CalamineWorkbook

GOLDEN = Path(__file__).parent / "golden" / "seed_tasks.tsv"
MASTER_NAME = "2023年度局委员会全面从严治党主体责任清单.xlsx"
LIST_HEADERS = ["编号", "清单", "类别", "序号", "工作任务", "牵头领导", "责任处室", "时间进度安排",
                "完成时限", "时限类型", "备注"]


def golden_rows() -> list[dict[str, str]]:
    with open(GOLDEN, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.fixture
def master(run, workdir) -> Path:
    result = run("import", SEED)
    assert result.exit_code == 0, result.output
    path = workdir / "workbooks" / MASTER_NAME
    assert path.exists()
    return path


def sheet_rows(path: Path, name: str) -> list[list]:
    ws = openpyxl.load_workbook(path)[name]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_seed_counts_in_summary(run, workdir):
    result = run("import", SEED)
    assert result.exit_code == 0
    out = result.output
    assert f"已导入：{SEED.name} → workbooks/{MASTER_NAME}" in out
    assert "清单名称：2023年度局委员会全面从严治党主体责任清单" in out
    assert "年度：2023" in out
    for part, cats, items in [("党委主体责任清单", 10, 32), ("局党委主要负责同志责任清单", 5, 12),
                              ("局领导班子成员责任清单", 5, 12), ("合计", 20, 56)]:
        assert re.search(rf"{part}\s*│\s*{cats}\s*│\s*{items}\s*│", out), part
    assert "共 10 个处室：人事教育处、办公室、机关党委、机关纪委、规财处、社会组织管理局、社会救助处、" \
           "社会事务处、养老服务处、儿童福利处" in out
    assert "时限类型：限时完成 0 · 持续推进 36 · 定期 0 · 时限待定 20" in out


def test_the_master_is_named_after_the_list_not_the_source_file(run, workdir, tmp_path):
    """A draft saved under any name still makes a master named by its 清单名称 (the
    name the merge, split and report find it by), and nothing else in workbooks/."""
    draft = tmp_path / "清单草稿（第二稿）.txt"
    draft.write_bytes(SEED.read_bytes())
    result = run("import", draft)
    assert result.exit_code == 0, result.output
    assert f"已导入：{draft.name} → workbooks/{MASTER_NAME}" in result.output
    folder = workdir / "workbooks"
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [MASTER_NAME]
    assert openpyxl.load_workbook(folder / MASTER_NAME)["清单"]["A2"].value == "1-01"


@pytest.mark.parametrize("label,codes", [
    ("工作任务中的 *", "1-02、1-09、2-03、2-06、3-02、3-03（6 项）"),
    ("牵头领导为 *", "1-01～1-32（32 项）"),
    ("时间进度安排中的 *", "1-02～1-04、2-01～2-03、2-06、2-08、3-01～3-12（20 项）"),
    ("责任处室末尾的“等”", "1-09、1-18、1-27、1-28、1-32（5 项）"),
    ("未写责任处室", "2-01～2-12、3-01～3-12（24 项）"),
])
def test_summary_lists_what_to_fill_by_hand(run, workdir, label, codes):
    result = run("import", SEED)
    # rich wraps long cells; compare without the table drawing
    flat = re.sub(r"[\s│┃]+", "", result.output)
    assert re.sub(r"\s+", "", label + codes) in flat


def test_every_item_exactly_as_golden(master):
    rows = sheet_rows(master, "清单")
    assert rows[0] == LIST_HEADERS
    golden = golden_rows()
    assert len(rows) - 1 == len(golden) == 56
    for got, exp in zip(rows[1:], golden):
        cells = dict(zip(LIST_HEADERS, got))
        assert cells["编号"] == exp["编号"]
        for header in ("清单", "类别", "序号", "牵头领导", "责任处室", "时间进度安排", "时限类型", "工作任务"):
            assert cells[header] == (exp[header] or None), (exp["编号"], header)  # an empty field: an empty cell
        assert cells["完成时限"] == (exp["完成时限"] or None)


def test_items_per_part_and_no_marker_left(master):
    rows = sheet_rows(master, "清单")[1:]
    per_part = {}
    for row in rows:
        per_part[row[1]] = per_part.get(row[1], 0) + 1
    assert per_part == {"党委主体责任清单": 32, "局党委主要负责同志责任清单": 12, "局领导班子成员责任清单": 12}
    assert len({(row[1], row[2]) for row in rows}) == 20
    for sheet in ("清单", "处室", "日志"):
        for row in sheet_rows(master, sheet):
            for value in row:
                text = str(value or "")
                assert "paid" not in text and "##" not in text
                assert text == text.strip(), repr(text)


def test_master_sheets_and_owned_sheets(master):
    book = openpyxl.load_workbook(master)
    assert book.sheetnames == ["清单", "进展", "处室", "日志", "_时限派生"]
    assert book["_时限派生"].sheet_state == "hidden"
    assert sheet_rows(master, "进展") == [["编号", "责任处室", "报送期次", "完成状态", "进展情况", "完成日期",
                                          "佐证材料", "填报人", "联系电话", "报送时间", "来源文件", "文件指纹"]]
    offices = sheet_rows(master, "处室")
    assert offices[0] == ["处室", "联系人", "邮箱", "电话", "分管领导"]
    assert [r[0] for r in offices[1:]] == ["人事教育处", "办公室", "机关党委", "机关纪委", "规财处", "社会组织管理局",
                                          "社会救助处", "社会事务处", "养老服务处", "儿童福利处"]
    log = sheet_rows(master, "日志")
    assert log[0] == ["时间", "操作", "文件", "处室", "结果", "说明"]
    assert len(log) == 2
    stamp, action, file, office, result, message = log[1]
    assert dt.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S")
    assert (action, file, office, result) == ("导入", SEED.name, None, "成功")
    assert re.fullmatch("《2023年度局委员会全面从严治党主体责任清单》：清单 3 个，类别 20 个，任务 56 项，处室 10 个；"
                        "总表标识 [0-9a-f]{16}", message), message
    assert book.properties.title == "2023年度局委员会全面从严治党主体责任清单"


def test_master_is_formatted_for_people(master):
    ws = openpyxl.load_workbook(master)["清单"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:K1"
    assert ws["A1"].font.name == "黑体"
    assert ws["E2"].font.name == "宋体"
    assert ws["E2"].alignment.wrap_text and ws["E2"].alignment.vertical == "top"
    assert ws.column_dimensions["E"].width >= 50  # 工作任务
    assert ws.column_dimensions["G"].width >= 20  # 责任处室
    heights = {ws.cell(r, 1).value: ws.row_dimensions[r].height for r in range(2, ws.max_row + 1)}
    lengths = {ws.cell(r, 1).value: len(ws.cell(r, 5).value) for r in range(2, ws.max_row + 1)}
    assert all(h and h > 15 for h in heights.values())
    # the longest task gets the tallest row, and ~2 units per CJK character decide the lines
    assert heights[max(lengths, key=lengths.get)] == max(heights.values())
    assert heights["3-03"] > heights["3-05"]  # 202 vs 41 characters
    width = ws.column_dimensions["E"].width
    lines = -(-lengths["3-03"] * 2 // (width - 1.5))
    assert heights["3-03"] >= lines * 11 * 1.2
    # print setup: A4 landscape, one page wide, header row repeated, page numbers
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # one page wide, any number of pages tall: fitToWidth="1" or left out (OOXML's default is 1); never 0,
    # which would mean "any width"
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    # 时限类型 is a drop-down; placeholders are highlighted until filled
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and lists[0].formula1 == '"限时完成,持续推进,定期,时限待定"'
    assert "J2" in lists[0].sqref
    rules = {str(rng.sqref): [r.formula[0] for r in rng.rules] for rng in ws.conditional_formatting}
    assert rules["E2:E356"] == ['OR(ISNUMBER(SEARCH("~*",E2)),ISNUMBER(SEARCH("＊",E2)))']
    assert rules["F2:F356"] == ['OR(ISNUMBER(SEARCH("~*",F2)),ISNUMBER(SEARCH("＊",F2)))']
    assert rules["G2:G356"] == ['OR(RIGHT(G2,1)="等",AND($E2<>"",G2=""),ISNUMBER(SEARCH("各",G2)),'
                                 'ISNUMBER(SEARCH("有关",G2)),ISNUMBER(SEARCH("相关",G2)))']
    assert rules["H2:H356"] == ['OR(ISNUMBER(SEARCH("~*",H2)),ISNUMBER(SEARCH("＊",H2)),AND($E2<>"",H2=""))']


def test_calamine_reads_the_same_master(master):
    book = CalamineWorkbook.from_path(str(master))
    assert book.sheet_names == ["清单", "进展", "处室", "日志", "_时限派生"]
    rows = book.get_sheet_by_name("清单").to_python()
    assert rows[0] == LIST_HEADERS
    assert [r[0] for r in rows[1:]] == [g["编号"] for g in golden_rows()]
    assert [r[4] for r in rows[1:]] == [g["工作任务"] for g in golden_rows()]


def test_libreoffice_opens_and_prints_master(master, libreoffice, tmp_path):
    out = tmp_path / "lo"
    out.mkdir()
    pdf = convert(libreoffice, master, "pdf", out)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert pages >= 4  # 56 long rows, one page wide
    assert (round(w), round(h)) == (842, 595)  # A4 landscape
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "全面从严治党" in text and re.search(r"第\s*1\s*页\s*共\s*\d+\s*页", text)
    # and LibreOffice's own .xlsx keeps every item
    back = convert(libreoffice, master, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo2")
    rows = CalamineWorkbook.from_path(str(back)).get_sheet_by_name("清单").to_python()
    assert [r[4] for r in rows[1:]] == [g["工作任务"] for g in golden_rows()]


def test_bundled_sample_is_the_seed():
    bundled = ROOT / "src" / "qingdan" / "data" / SEED.name
    assert bundled.read_bytes() == SEED.read_bytes()


def test_sample_master_in_workbooks_is_current(master):
    sample = ROOT / "workbooks" / MASTER_NAME
    assert sample.exists(), "workbooks/ must hold the sample master made by qingdan import"
    for sheet in ("清单", "进展", "处室"):
        assert sheet_rows(sample, sheet) == sheet_rows(master, sheet), sheet
