"""Writing the master after import: only the sheets qingdan owns (进展, 日志) change.

A master that people have worked on (an extra sheet with a formula, a picture, a
comment, their own formatting), last saved by openpyxl or by LibreOffice, goes
through a merge; every other part of its zip must come out byte for byte, and
the result must open in openpyxl, python-calamine and LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import convert
from filling import fill, progress
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.styles import Font, PatternFill
from PIL import Image as PILImage
from python_calamine import CalamineWorkbook

from qingdan.guard import sheet_parts

FORMS = Path("output") / "2023Q2" / "下发"


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def owned_parts(path: Path) -> set[str]:
    """The worksheet parts of 进展 and 日志."""
    from qingdan.guard import sheet_parts

    with zipfile.ZipFile(path) as zf:
        return {part for name, part in sheet_parts(zf) if name in ("进展", "日志")}


def decorate(master: Path, tmp_path: Path) -> None:
    """What people add to a master: a sheet of their own with a formula, a
    picture, a comment and formatting, saved with openpyxl."""
    book = openpyxl.load_workbook(master)
    mine = book.create_sheet("自用统计")
    mine["A1"] = "任务数"
    mine["B1"] = "=COUNTA(清单!A:A)-1"
    mine["A2"] = "备忘"
    mine["B2"] = "党委会前打印"
    picture = tmp_path / "stamp.png"
    PILImage.new("RGB", (40, 20), (200, 30, 30)).save(picture)
    mine.add_image(Image(str(picture)), "D2")
    sheet = book["清单"]
    sheet["A1"].comment = Comment("编号不要改", "办公室")
    sheet["E2"].fill = PatternFill("solid", fgColor="FFC7CE")
    sheet.column_dimensions["E"].width = 70
    book.save(master)


@pytest.fixture
def forms(run, master) -> Path:
    assert run("split", "--period", "2023Q2", "--office", "办公室").exit_code == 0
    return FORMS


def merge_one(run, master: Path) -> None:
    filled = fill(FORMS / "办公室.xlsx", Path("收件") / "办公室.xlsx", saved=dt.datetime(2023, 7, 3, 9, 0))
    result = run("merge", filled)
    assert result.exit_code == 0, result.output


def check_kept(before: dict[str, bytes], master: Path) -> None:
    after = parts(master)
    owned = owned_parts(master)
    assert sorted(after) == sorted(before)
    changed = sorted(n for n in after if after[n] != before[n])
    assert set(changed) <= owned, changed
    assert owned & set(changed)


def check_opens(master: Path, libreoffice: str, tmp_path: Path) -> None:
    rows = progress(master)
    assert len(rows) == 5 and {r["责任处室"] for r in rows} == {"办公室"}
    book = openpyxl.load_workbook(master)
    assert book["清单"]["A1"].comment.text == "编号不要改"
    assert book["清单"]["E2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert len(book["自用统计"]._images) == 1
    calamine = CalamineWorkbook.from_path(str(master))
    assert calamine.get_sheet_by_name("进展").to_python()[1][0] in {"1-01", "1-04", "1-09", "1-10", "1-24"}
    out = tmp_path / "reopened"
    out.mkdir()
    reopened = convert(libreoffice, master, "xlsx:Calc MS Excel 2007 XML", out)
    again = openpyxl.load_workbook(reopened)
    assert len([r for r in again["进展"].iter_rows(values_only=True) if r[0]]) == 6
    assert again["自用统计"]["B2"].value == "党委会前打印"


def test_master_saved_by_openpyxl_keeps_every_other_part(run, master, forms, libreoffice, tmp_path):
    decorate(master, tmp_path)
    before = parts(master)
    merge_one(run, master)
    check_kept(before, master)
    check_opens(master, libreoffice, tmp_path)


def test_master_saved_by_libreoffice_keeps_every_other_part(run, master, forms, libreoffice, tmp_path):
    decorate(master, tmp_path)
    lo = tmp_path / "lo"
    lo.mkdir()
    master.write_bytes(convert(libreoffice, master, "xlsx:Calc MS Excel 2007 XML", lo).read_bytes())
    # LibreOffice computed the formula: its cached value is in the file
    tasks = sum(1 for r in openpyxl.load_workbook(master)["清单"].iter_rows(min_row=2, values_only=True) if r[0])
    assert openpyxl.load_workbook(master, data_only=True)["自用统计"]["B1"].value == tasks
    before = parts(master)
    merge_one(run, master)
    check_kept(before, master)
    assert openpyxl.load_workbook(master, data_only=True)["自用统计"]["B1"].value == tasks
    assert openpyxl.load_workbook(master)["自用统计"]["B1"].value == "=COUNTA(清单!A:A)-1"
    assert CalamineWorkbook.from_path(str(master)).get_sheet_by_name("自用统计").to_python()[0][1] == tasks
    check_opens(master, libreoffice, tmp_path)


def test_calc_chain_is_dropped_with_its_relationship_and_content_type(run, master, forms):
    """Excel keeps formula order in calcChain.xml; after qingdan rewrote sheets it
    must go (Excel rebuilds it), and nothing else but the owned sheets changes."""
    data = parts(master)
    data["xl/calcChain.xml"] = b'<?xml version="1.0"?><calcChain xmlns="http://schemas.openxmlformats.org/' \
        b'spreadsheetml/2006/main"><c r="A1" i="1"/></calcChain>'
    data["xl/_rels/workbook.xml.rels"] = data["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>')
    data["[Content_Types].xml"] = data["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.calcChain+xml"/></Types>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in data.items():
            zf.writestr(name, content)
    master.write_bytes(out.getvalue())
    merge_one(run, master)
    after = parts(master)
    assert "xl/calcChain.xml" not in after
    assert b"calcChain" not in after["xl/_rels/workbook.xml.rels"]
    assert b"calcChain" not in after["[Content_Types].xml"]
    changed = {n for n in after if after[n] != data[n]}
    assert changed == owned_parts(master) | {"xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
    assert re.sub(rb'<Relationship Id="rId99"[^>]*/>', b"", data["xl/_rels/workbook.xml.rels"]) \
        == after["xl/_rels/workbook.xml.rels"]
    openpyxl.load_workbook(master)


def test_progress_sheet_layout(run, master, forms):
    """The rewritten 进展 keeps its header, widths, frozen row and filter."""
    merge_one(run, master)
    sheet = openpyxl.load_workbook(master)["进展"]
    assert [c.value for c in sheet[1]] == ["编号", "责任处室", "报送期次", "完成状态", "进展情况", "完成日期", "佐证材料",
                                          "填报人", "联系电话", "报送时间", "来源文件", "文件指纹"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:L6"
    assert sheet.column_dimensions["E"].width > 30
    assert sheet["A1"].font.name == "黑体"  # the header font of every sheet qingdan writes
    assert all(sheet.row_dimensions[r].height for r in range(2, 7))
    # the rows are wrapped, as their heights assume: a long 来源文件 is not cut off by 文件指纹
    assert all(sheet.cell(r, c).alignment.wrap_text for r in range(2, 7) for c in range(1, 13))


def _formatted(master: Path) -> None:
    """What a clerk does to 进展 and 日志 in Excel: marks one cell, one word, hides a row."""
    book = openpyxl.load_workbook(master)
    sheet = book["进展"]
    sheet["D2"].fill = PatternFill("solid", fgColor="00FF00")
    sheet["E4"].font = Font(bold=True, color="FF0000")
    sheet.row_dimensions[5].hidden = True
    book["日志"]["A2"].fill = PatternFill("solid", fgColor="FFFF00")
    book.save(master)


def _look(master: Path) -> tuple[dict, dict]:
    """(编号 → (D's fill, E's bold, hidden) of each 办公室 row in 进展, 日志 row → A's fill)."""
    book = openpyxl.load_workbook(master)
    sheet = book["进展"]
    rows = {}
    for r in range(2, sheet.max_row + 1):
        code, office = sheet.cell(r, 1).value, sheet.cell(r, 2).value
        rows[(code, office)] = (sheet.cell(r, 4).fill.fgColor.rgb if sheet.cell(r, 4).fill.fill_type else None,
                                bool(sheet.cell(r, 5).font.b), bool(sheet.row_dimensions[r].hidden))
    log = book["日志"]
    fills = {r: log.cell(r, 1).fill.fgColor.rgb if log.cell(r, 1).fill.fill_type else None
             for r in range(2, log.max_row + 1)}
    return rows, fills


@pytest.mark.parametrize("suite", ["openpyxl", "libreoffice"])
def test_formatting_people_add_to_progress_and_log_survives(run, master, forms, libreoffice, tmp_path, suite):
    """DESIGN.md: any formatting people add survives.  A cell marked in 进展 stays
    marked on its row (the row of its 编号 × 处室 × 期次) through a merge that
    updates rows and adds others; it does not spread to its column, and rows merge
    adds take the column's usual look."""
    merge_one(run, master)
    first = {(r["编号"], r["责任处室"]) for r in progress(master)}
    _formatted(master)
    if suite == "libreoffice":
        lo = tmp_path / "lo"
        lo.mkdir()
        master.write_bytes(convert(libreoffice, master, "xlsx:Calc MS Excel 2007 XML", lo).read_bytes())
    marked, bold, hidden = (_row_key(master, r) for r in (2, 4, 5))
    assert run("split", "--period", "2023Q2", "--office", "规财处").exit_code == 0
    fill(FORMS / "规财处.xlsx", Path("收件") / "规财处.xlsx", saved=dt.datetime(2023, 7, 3, 10, 0))
    fill(FORMS / "办公室.xlsx", Path("收件") / "办公室（更正）.xlsx", saved=dt.datetime(2023, 7, 4, 9, 0),
         answers={code: {"完成状态": "已完成", "进展情况": "更正"} for code, _ in (marked, bold, hidden)})
    result = run("merge", "收件")
    assert result.exit_code == 0, result.output
    rows, log_fills = _look(master)
    assert len(rows) == 7 and set(rows) > first  # 5 of 办公室 (3 updated) and 2 of 规财处
    assert rows[marked][0].endswith("00FF00")
    assert rows[bold][1] and rows[hidden][2]
    others = [look for key, look in rows.items() if key != marked]
    assert [fill for fill, _, _ in others] == [None] * len(others)  # the column's usual look: no fill
    assert sum(b for _, b, _ in rows.values()) == 1 and sum(h for _, _, h in rows.values()) == 1
    assert log_fills[2].endswith("FFFF00")
    assert len(log_fills) > 3 and [f for r, f in log_fills.items() if r > 2] == [None] * (len(log_fills) - 1)
    # the updated rows hold the new answers: the formatting went with the row, not with its values
    assert {r["进展情况"] for r in progress(master) if (r["编号"], r["责任处室"]) == marked} == {"更正"}


def _row_key(master: Path, row: int) -> tuple[str, str]:
    sheet = openpyxl.load_workbook(master)["进展"]
    return sheet.cell(row, 1).value, sheet.cell(row, 2).value


def test_a_title_row_and_columns_people_add_to_progress_survive(run, master, forms, libreoffice, tmp_path):
    """A title typed above 进展's header stays above it; a column of numbers and one
    of formulas added beside the table keep their numbers and formulas (not text)
    on the rows that were there; rows merge adds leave them blank."""
    merge_one(run, master)
    book = openpyxl.load_workbook(master)
    sheet = book["进展"]
    sheet.insert_rows(1)
    sheet["A1"] = "2023年落实情况台账（手工标题）"
    sheet["M2"], sheet["N2"] = "得分", "字数"
    for r in range(3, 8):
        sheet.cell(r, 13, 90 + r)
        sheet.cell(r, 14, f"=LEN(E{r})")
    book.save(master)
    lo = tmp_path / "lo"  # saved once more by LibreOffice: the formulas get their values
    lo.mkdir()
    master.write_bytes(convert(libreoffice, master, "xlsx:Calc MS Excel 2007 XML", lo).read_bytes())
    before = {r[0]: r[12:14] for r in openpyxl.load_workbook(master, data_only=True)["进展"].iter_rows(
        min_row=3, max_row=7, values_only=True)}
    assert all(isinstance(n, int) and length > 0 for n, length in before.values())
    assert run("split", "--period", "2023Q2", "--office", "规财处").exit_code == 0
    fill(FORMS / "规财处.xlsx", Path("收件") / "规财处.xlsx", saved=dt.datetime(2023, 7, 3, 10, 0))
    assert run("merge", "收件/规财处.xlsx").exit_code == 0
    sheet = openpyxl.load_workbook(master)["进展"]
    assert sheet["A1"].value == "2023年落实情况台账（手工标题）"
    assert [c.value for c in sheet[2]][:3] == ["编号", "责任处室", "报送期次"] and sheet["M2"].value == "得分"
    assert sheet.auto_filter.ref == "A2:N9"
    assert [sheet.cell(r, 13).value for r in range(3, 8)] == [93, 94, 95, 96, 97]
    assert [sheet.cell(r, 14).value for r in range(3, 8)] == [f"=LEN(E{r})" for r in range(3, 8)]
    assert all(sheet.cell(r, 13).value is None and sheet.cell(r, 14).value is None for r in (8, 9))
    values = openpyxl.load_workbook(master, data_only=True)["进展"]
    assert {r[0]: r[12:14] for r in values.iter_rows(min_row=3, max_row=7, values_only=True)} == before
    rows = progress_rows_below_title(master)
    assert len(rows) == 7 and {r["责任处室"] for r in rows} == {"办公室", "规财处"}
    # the kept formulas' values around them changed: Excel recalculates when it opens the file
    assert re.search(r'<calcPr\b[^>]*fullCalcOnLoad="1"', parts(master)["xl/workbook.xml"].decode())


def progress_rows_below_title(master: Path) -> list[dict]:
    rows = list(openpyxl.load_workbook(master)["进展"].iter_rows(min_row=2, values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if r[0]]


def _second_merge(run) -> None:
    """A merge that updates 办公室's rows and adds 规财处's."""
    if not (FORMS / "规财处.xlsx").exists():
        assert run("split", "--period", "2023Q2", "--office", "规财处").exit_code == 0
    inbox = Path("收件")
    saved = dt.datetime(2023, 7, 4 + len(list(inbox.glob("*.xlsx"))), 9, 0)
    fill(FORMS / "规财处.xlsx", inbox / f"规财处{saved.day}.xlsx", saved=saved)
    fill(FORMS / "办公室.xlsx", inbox / f"办公室{saved.day}.xlsx", saved=saved,
         answers={code: {"完成状态": "已完成", "进展情况": f"更正{saved.day}"} for code in ("1-01", "1-04")})
    result = run("merge", inbox)
    assert result.exit_code == 0, result.output


def _well_formed(master: Path) -> list[list]:
    """进展's rows (calamine); every row's cells in column order, each reference once."""
    with zipfile.ZipFile(master) as zf:
        part = next(p for n, p in sheet_parts(zf) if n == "进展")
        xml = zf.read(part).decode()
    for row, cells in re.findall(r'<row r="(\d+)"[^>]*>(.*?)</row>', xml, re.S):
        refs = re.findall(r'<c r="([A-Z]+)(\d+)"', cells)
        assert all(r == row for _, r in refs), row
        columns = [openpyxl.utils.column_index_from_string(c) for c, _ in refs]
        assert columns == sorted(set(columns)), (row, refs)
    return CalamineWorkbook.from_path(str(master)).get_sheet_by_name("进展").to_python()


@pytest.mark.parametrize("where", ["between", "spacer"])
def test_columns_people_put_between_or_apart_keep_their_values(run, master, forms, where):
    """A column inserted among qingdan's (序号 in C), or one left of a blank spacer
    (得分 in N): after two merges every value is still under its own header, on
    its own row, and 报送期次 is intact (the columns move to the end, or close up)."""
    merge_one(run, master)
    book = openpyxl.load_workbook(master)
    sheet = book["进展"]
    col, name = (3, "序号") if where == "between" else (14, "得分")
    if where == "between":
        sheet.insert_cols(3)
    sheet.cell(1, col, name)
    for r in range(2, 7):
        sheet.cell(r, col, 90 + r)
    book.save(master)
    before = {sheet.cell(r, 1).value: 90 + r for r in range(2, 7)}
    _second_merge(run)
    _second_merge(run)
    rows = _well_formed(master)
    header = rows[0]
    assert header[:12] == ["编号", "责任处室", "报送期次", "完成状态", "进展情况", "完成日期", "佐证材料", "填报人",
                           "联系电话", "报送时间", "来源文件", "文件指纹"]
    k = header.index(name)
    got = {r[0]: r[k] for r in rows[1:] if r[1] == "办公室"}
    assert got == before  # numbers, each on its row
    assert {r[2] for r in rows[1:] if r[0]} == {"2023Q2"}
    assert all(r[k] == "" for r in rows[1:] if r[1] == "规财处")


def test_one_marked_cell_of_an_unstyled_column_stays_one(run, master, forms):
    """A column people typed into (no cell style) with one cell marked red: the
    red stays on that cell; rows merge adds are not red."""
    merge_one(run, master)
    book = openpyxl.load_workbook(master)
    sheet = book["进展"]
    sheet["M1"] = "备忘"
    for r in range(2, 7):
        sheet.cell(r, 13, f"备忘{r}")
    sheet["M3"].fill = PatternFill("solid", fgColor="FF0000")
    book.save(master)
    marked = sheet["A3"].value
    _second_merge(run)
    sheet = openpyxl.load_workbook(master)["进展"]
    red = [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)
           if sheet.cell(r, 13).fill.fill_type and sheet.cell(r, 13).fill.fgColor.rgb.endswith("FF0000")]
    assert red == [marked] and sheet.max_row == 8


def test_moved_columns_keep_their_types_and_their_formulas_results(run, master, forms, libreoffice, tmp_path):
    """A column people inserted among qingdan's moves everything after it: their
    columns are then written from their values, and a formula as its last result
    (kept as a formula it would read another column), a date as a date, TRUE as TRUE."""
    merge_one(run, master)
    book = openpyxl.load_workbook(master)
    sheet = book["进展"]
    sheet.insert_cols(3)
    sheet["C1"], sheet["N1"], sheet["O1"], sheet["P1"] = "权重", "加权", "核对日期", "已核对"
    for r in range(2, 7):
        sheet.cell(r, 3, r)
        sheet.cell(r, 14, f"=C{r}*10")
        sheet.cell(r, 15, dt.date(2023, 7, r)).number_format = "yyyy-mm-dd"
        sheet.cell(r, 16, r % 2 == 0)
    book.save(master)
    lo = tmp_path / "lo"  # LibreOffice computes the formulas' results into the file
    lo.mkdir()
    master.write_bytes(convert(libreoffice, master, "xlsx:Calc MS Excel 2007 XML", lo).read_bytes())
    codes = {r: sheet.cell(r, 1).value for r in range(2, 7)}
    _second_merge(run)
    sheet = openpyxl.load_workbook(master)["进展"]
    header = [c.value for c in sheet[1]]
    assert header[12:] == ["权重", "加权", "核对日期", "已核对"]
    got = {(sheet.cell(r, 1).value, sheet.cell(r, 2).value): [sheet.cell(r, c).value for c in range(13, 17)]
           for r in range(2, sheet.max_row + 1)}
    for r, code in codes.items():
        assert got[(code, "办公室")] == [r, r * 10, dt.datetime(2023, 7, r), r % 2 == 0]
    assert "<f" not in parts(master)[sorted(owned_parts(master))[0]].decode()  # no formula reading the wrong column
    assert {sheet.cell(r, 3).value for r in range(2, sheet.max_row + 1)} == {"2023Q2"}
