"""完成时限 and 时限类型 follow 时间进度安排 after the clerk edits it (a date he typed wins):
the master's cells, the forms and the summary agree, and nothing else of 清单 changes.

The clerk's edits are made here as Excel makes them: single cells changed inside the
master's zip (a LibreOffice re-save is the other office suite's variant)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import SEED, convert
from python_calamine import CalamineWorkbook

from qingdan import words as W
from qingdan.deadlines import Derived, follow_schedule
from qingdan.guard import sheet_parts

FIXED, ONGOING, PERIODIC, PENDING = W.KIND_FIXED, W.KIND_ONGOING, W.KIND_PERIODIC, W.KIND_PENDING
JUNE, SEPT, TYPED = dt.date(2023, 6, 30), dt.date(2023, 9, 30), dt.date(2023, 8, 15)
STAR, SIX, NINE = "2023年*月底前完成", "2023年6月底前完成", "2023年9月底前完成"
EPOCH = dt.date(1899, 12, 30)
RECORD = "_时限派生"


# --- the rule -------------------------------------------------------------------

RULE_CASES = [
    # (text now, 完成时限 cell, 时限类型 cell, record) → (完成时限, 时限类型, recorded)
    ("text as recorded: a typed date stands", SIX, TYPED, FIXED, Derived(SIX, JUNE, FIXED),
     TYPED, FIXED, Derived(SIX, JUNE, FIXED)),
    ("text as recorded: a blank date comes from the text", SIX, None, "", Derived(SIX, JUNE, FIXED),
     JUNE, FIXED, Derived(SIX, JUNE, FIXED)),
    ("text as recorded: a kind typed by hand stands", SIX, JUNE, ONGOING, Derived(SIX, JUNE, FIXED),
     JUNE, ONGOING, Derived(SIX, JUNE, FIXED)),
    ("* replaced by a month", SIX, None, PENDING, Derived(STAR, None, PENDING),
     JUNE, FIXED, Derived(SIX, JUNE, FIXED)),
    ("edited: qingdan's date follows the text", NINE, JUNE, FIXED, Derived(SIX, JUNE, FIXED),
     SEPT, FIXED, Derived(NINE, SEPT, FIXED)),
    ("edited: a date the clerk typed stays", NINE, TYPED, FIXED, Derived(SIX, JUNE, FIXED),
     TYPED, FIXED, Derived(NINE, SEPT, FIXED)),
    ("edited to no date: qingdan's date goes, the kind follows", "持续推进", JUNE, FIXED, Derived(SIX, JUNE, FIXED),
     None, ONGOING, Derived("持续推进", None, ONGOING)),
    ("edited to no date: a typed date stays 限时完成", "每季度报送", TYPED, FIXED, Derived(SIX, JUNE, FIXED),
     TYPED, FIXED, Derived("每季度报送", None, FIXED)),
    ("edited: a kind the clerk chose stays", NINE, JUNE, ONGOING, Derived(SIX, JUNE, FIXED),
     SEPT, ONGOING, Derived(NINE, SEPT, FIXED)),
    ("edited: an unknown kind follows", "每季度报送", None, "看情况", Derived(SIX, JUNE, FIXED),
     None, PERIODIC, Derived("每季度报送", None, PERIODIC)),
    ("edited back to *: the date goes, 时限待定", STAR, JUNE, FIXED, Derived(SIX, JUNE, FIXED),
     None, PENDING, Derived(STAR, None, PENDING)),
    ("no record: a date present stands", NINE, JUNE, FIXED, None,
     JUNE, FIXED, Derived(NINE, SEPT, FIXED)),
    ("no record: a blank date comes from the text", NINE, None, PENDING, None,
     SEPT, FIXED, Derived(NINE, SEPT, FIXED)),
    ("no record: a blank kind follows the text", "持续推进", None, "", None,
     None, ONGOING, Derived("持续推进", None, ONGOING)),
]


@pytest.mark.parametrize("case, text, date_cell, kind_cell, record, exp_date, exp_kind, exp_record",
                         RULE_CASES, ids=[c[0] for c in RULE_CASES])
def test_follow_schedule(case, text, date_cell, kind_cell, record, exp_date, exp_kind, exp_record):
    got = follow_schedule(text, date_cell, kind_cell, record, 2023)
    assert got == (exp_date, exp_kind, exp_record)


# --- editing the master as a clerk would --------------------------------------

def _part(data: bytes, sheet: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return dict(sheet_parts(zf))[sheet]


def _rezip(path: Path, change) -> None:
    """Rewrite ``path`` with ``change(name, content) → content or None (dropped)`` applied to each part."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = change(info.filename, src.read(info.filename))
            if content is not None:
                dst.writestr(info, content)
    path.write_bytes(out.getvalue())


def clerk_edits(master: Path, cells: dict[str, object]) -> None:
    """Type values into 清单's cells, as Excel saves them: only those <c> elements change,
    each keeping its style (a text as an inline string, a date as its serial number)."""
    part = _part(master.read_bytes(), "清单")

    def change(name: str, content: bytes):
        if name != part:
            return content
        xml = content.decode()
        for ref, value in cells.items():
            m = re.search(rf'<c r="{ref}"( s="\d+")?[^>]*?(/>|>.*?</c>)', xml, re.S)
            assert m, ref
            style = m[1] or ""
            if isinstance(value, dt.date):
                cell = f'<c r="{ref}"{style}><v>{(value - EPOCH).days}</v></c>'
            else:
                cell = f'<c r="{ref}"{style} t="inlineStr"><is><t>{value}</t></is></c>'
            xml = xml[:m.start()] + cell + xml[m.end():]
        return xml.encode()

    _rezip(master, change)


def without_record(master: Path) -> None:
    """The master as qingdan wrote it before the record sheet existed."""
    part = _part(master.read_bytes(), RECORD)
    target = part.removeprefix("xl/")

    def change(name: str, content: bytes):
        if name == part:
            return None
        text = content.decode()
        if name == "xl/workbook.xml":
            text = re.sub(rf'<sheet name="{RECORD}"[^>]*/>', "", text)
        elif name == "xl/_rels/workbook.xml.rels":
            text = re.sub(rf'<Relationship [^>]*Target="{target}"/>', "", text)
        elif name == "[Content_Types].xml":
            text = text.replace(f'<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-'
                                'officedocument.spreadsheetml.worksheet+xml"/>', "")
        elif name == "docProps/app.xml":
            text = text.replace(f"<vt:lpstr>{RECORD}</vt:lpstr>", "").replace(
                "<vt:i4>5</vt:i4>", "<vt:i4>4</vt:i4>").replace('size="5"', 'size="4"')
        assert RECORD not in text, name
        return text.encode()

    _rezip(master, change)
    assert RECORD not in openpyxl.load_workbook(master).sheetnames


def list_cells(master: Path) -> dict[str, tuple]:
    """Every cell of 清单 as openpyxl sees it: value and look."""
    sheet = openpyxl.load_workbook(master)["清单"]
    return {c.coordinate: (c.value, c.number_format, *(repr(getattr(c, a)) for a in (
                "font", "fill", "border", "alignment", "protection")))
            for row in sheet.iter_rows() for c in row}


def list_xml_without(data: bytes, refs: list[str]) -> str:
    """清单's sheet XML in the master ``data`` with the cells ``refs`` taken out."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read(_part(data, "清单")).decode()
    for ref in refs:
        xml = re.sub(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', "", xml, flags=re.S)
    return xml


def parts(master: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(master) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def record(master: Path) -> dict[str, list]:
    rows = CalamineWorkbook.from_path(str(master)).get_sheet_by_name(RECORD).to_python()
    assert rows[0] == ["编号", "时间进度安排", "完成时限", "时限类型"]
    return {r[0]: r[1:] for r in rows[1:]}


def form_deadlines(form: Path) -> dict[str, object]:
    """编号 → 完成时限 on a form's 填报 sheet."""
    rows = CalamineWorkbook.from_path(str(form)).get_sheet_by_name("填报").to_python(skip_empty_area=False)
    header = next(i for i, r in enumerate(rows) if "编号" in r and "完成时限" in r)
    col = {h: i for i, h in enumerate(rows[header])}
    return {r[col["编号"]]: r[col["完成时限"]] for r in rows[header + 1:] if r[col["编号"]]}


def report_deadlines(path: Path) -> dict[str, object]:
    """编号 → what the summary's 明细 sheet shows as the deadline."""
    rows = openpyxl.load_workbook(path)["明细"].iter_rows(values_only=True)
    out, col = {}, None
    for row in rows:
        if col is None:
            if "编号" in row and "完成时限" in row:
                col = {h: i for i, h in enumerate(row)}
            continue
        if row[col["编号"]]:
            out[row[col["编号"]]] = row[col["完成时限"]]
    return out


def is_date_format(fmt: str) -> bool:
    return "y" in fmt.lower() and "d" in fmt.lower()


# --- through the commands ------------------------------------------------------

FORMS = Path("output") / "2023Q2" / "下发"
# seed rows: 1-02 on row 3 (人事教育处), 1-03 on row 4 (人事教育处 …), 1-04 on row 5, all 2023年*月底前完成


def test_edited_schedule_is_followed_by_the_master_the_forms_and_the_summary(run, master):
    assert [openpyxl.load_workbook(master)["清单"][f"H{r}"].value for r in (3, 4, 5)] == [STAR] * 3
    clerk_edits(master, {"H3": SIX, "H4": NINE, "I4": TYPED, "H5": "持续推进"})
    before, kept, data = list_cells(master), parts(master), master.read_bytes()
    result = run("split", "--period", "2023Q2", "--office", "人事教育处")
    assert result.exit_code == 0, result.output

    after = list_cells(master)
    changed = {ref for ref in after if after[ref] != before[ref]}
    assert changed == {"I3", "J3", "J4", "J5"}
    sheet = openpyxl.load_workbook(master)["清单"]
    assert sheet["I3"].value == dt.datetime(2023, 6, 30) and is_date_format(sheet["I3"].number_format)
    assert sheet["J3"].value == "限时完成"
    assert sheet["I4"].value == dt.datetime(2023, 8, 15) and sheet["J4"].value == "限时完成"  # typed: stays
    assert sheet["I5"].value is None and sheet["J5"].value == "持续推进"
    # the cells kept their style; every other byte of 清单's XML is as it was
    for ref in ("I3", "J3", "J4", "J5"):
        assert after[ref][2:] == before[ref][2:], ref
    refs = ["I3", "J3", "J4", "J5"]
    assert list_xml_without(master.read_bytes(), refs) == list_xml_without(data, refs)
    with zipfile.ZipFile(master) as zf:
        owned = {part for name, part in sheet_parts(zf) if name in ("清单", "日志", RECORD)}
    now = parts(master)
    assert {n for n in now if now[n] != kept[n]} == owned
    CalamineWorkbook.from_path(str(master)).get_sheet_by_name("清单").to_python()

    book = openpyxl.load_workbook(master)
    assert book.sheetnames[-1] == RECORD and book[RECORD].sheet_state == "hidden"
    assert record(master)["1-02"] == [SIX, "2023-06-30", "限时完成"]
    assert record(master)["1-03"] == [NINE, "2023-09-30", "限时完成"]
    forms = form_deadlines(FORMS / "人事教育处.xlsx")
    assert forms["1-02"] in ("2023-06-30", dt.date(2023, 6, 30), dt.datetime(2023, 6, 30))
    assert forms["1-03"] in ("2023-08-15", dt.date(2023, 8, 15), dt.datetime(2023, 8, 15))

    # once brought there, the cells and the record stay as they are on the next write
    settled = parts(master)
    assert run("split", "--period", "2023Q2", "--office", "办公室").exit_code == 0
    with zipfile.ZipFile(master) as zf:
        log = dict(sheet_parts(zf))["日志"]
    assert {n for n, content in parts(master).items() if content != settled[n]} == {log}

    # the clerk edits the text again: the 6-30 was qingdan's, so it follows; a report writes
    clerk_edits(master, {"H3": NINE})
    result = run("report", "--period", "2023Q2", "--as-of", "2023-07-01", "-o", "汇总.xlsx")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(master)["清单"]
    assert sheet["I3"].value == dt.datetime(2023, 9, 30) and sheet["J3"].value == "限时完成"
    assert sheet["I4"].value == dt.datetime(2023, 8, 15)
    summary = report_deadlines(Path("汇总.xlsx"))
    assert summary["1-02"] in ("2023-09-30", dt.datetime(2023, 9, 30))
    assert summary["1-03"] in ("2023-08-15", dt.datetime(2023, 8, 15))
    assert record(master)["1-02"] == [NINE, "2023-09-30", "限时完成"]


def test_a_master_made_before_the_record_gets_it_on_its_next_write(run, master):
    without_record(master)
    before, kept = list_cells(master), parts(master)
    assert run("split", "--period", "2023Q2", "--office", "办公室").exit_code == 0
    book = openpyxl.load_workbook(master)
    assert book.sheetnames == ["清单", "进展", "处室", "日志", RECORD]
    assert book[RECORD].sheet_state == "hidden"
    now = parts(master)
    part = _part(master.read_bytes(), "清单")
    assert now[part] == kept[part]  # nothing of 清单 changed
    assert list_cells(master) == before
    rows = record(master)
    assert len(rows) == len(before) // 11 - 1 and rows["1-02"] == [STAR, "", "时限待定"]
    assert CalamineWorkbook.from_path(str(master)).sheet_names[-1] == RECORD


def test_a_master_made_before_the_record_with_an_edited_schedule(run, master):
    """No record: a blank 完成时限 comes from the text, a date there stands."""
    without_record(master)
    clerk_edits(master, {"H3": SIX, "H4": NINE, "I4": TYPED})
    before = list_cells(master)
    assert run("split", "--period", "2023Q2", "--office", "办公室").exit_code == 0
    after = list_cells(master)
    assert {ref for ref in after if after[ref] != before[ref]} == {"I3", "J3", "J4"}
    sheet = openpyxl.load_workbook(master)["清单"]
    assert sheet["I3"].value == dt.datetime(2023, 6, 30) and sheet["J3"].value == "限时完成"
    assert sheet["I4"].value == dt.datetime(2023, 8, 15) and sheet["J4"].value == "限时完成"
    assert record(master)["1-03"] == [NINE, "2023-09-30", "限时完成"]


def test_a_command_that_writes_nothing_does_not_write_the_derived_cells(run, master):
    clerk_edits(master, {"H3": SIX})
    kept = master.read_bytes()
    files = set(Path().rglob("*"))
    assert run("status", "--period", "2023Q2").exit_code == 0
    assert master.read_bytes() == kept
    assert set(Path().rglob("*")) == files  # no backup either
    assert openpyxl.load_workbook(master)["清单"]["I3"].value is None
    assert run("split", "--period", "2023Q2", "--office", "人事教育处").exit_code == 0  # a command that writes
    assert openpyxl.load_workbook(master)["清单"]["I3"].value == dt.datetime(2023, 6, 30)


def test_the_record_sheet_is_no_sheet_of_the_clerk_on_import_force(run, master):
    result = run("import", "--force", SEED, "-o", master)
    assert result.exit_code == 0, result.output
    assert RECORD not in result.output
    assert openpyxl.load_workbook(master).sheetnames == ["清单", "进展", "处室", "日志", RECORD]


@pytest.mark.slow
def test_a_master_resaved_by_libreoffice_follows_too(run, master, libreoffice, tmp_path):
    """LibreOffice writes 清单 with shared strings and its own styles: only the two
    derived cells of the edited row change."""
    book = openpyxl.load_workbook(master)
    book["清单"]["H3"] = SIX
    book["清单"]["H4"] = NINE
    book["清单"]["I4"] = dt.datetime(2023, 8, 15)
    book["清单"]["I4"].number_format = "yyyy-mm-dd"
    book.save(master)
    lo = tmp_path / "lo"
    lo.mkdir()
    master.write_bytes(convert(libreoffice, master, "xlsx:Calc MS Excel 2007 XML", lo).read_bytes())
    part = _part(master.read_bytes(), "清单")
    assert b't="s"' in parts(master)[part]  # shared strings, as Excel and LibreOffice write them
    before, kept = list_cells(master), parts(master)
    result = run("split", "--period", "2023Q2", "--office", "人事教育处")
    assert result.exit_code == 0, result.output
    after = list_cells(master)
    assert {ref for ref in after if after[ref] != before[ref]} == {"I3", "J3", "J4"}
    sheet = openpyxl.load_workbook(master)["清单"]
    assert sheet["I3"].value == dt.datetime(2023, 6, 30) and is_date_format(sheet["I3"].number_format)
    assert sheet["J3"].value == "限时完成" and after["J3"][2:] == before["J3"][2:]
    assert sheet["I4"].value == dt.datetime(2023, 8, 15) and sheet["J4"].value == "限时完成"
    now = parts(master)
    with zipfile.ZipFile(master) as zf:
        owned = {p for name, p in sheet_parts(zf) if name in ("清单", "日志", RECORD)}
    assert {n for n in now if now[n] != kept[n]} == owned
    assert openpyxl.load_workbook(master)[RECORD].sheet_state == "hidden"
    forms = form_deadlines(FORMS / "人事教育处.xlsx")
    assert forms["1-02"] in ("2023-06-30", dt.date(2023, 6, 30), dt.datetime(2023, 6, 30))
    again = tmp_path / "again"
    again.mkdir()
    reopened = openpyxl.load_workbook(convert(libreoffice, master, "xlsx:Calc MS Excel 2007 XML", again))
    assert reopened["清单"]["I3"].value == dt.datetime(2023, 6, 30)


def _list_xml(master: Path, change) -> None:
    part = _part(master.read_bytes(), "清单")
    _rezip(master, lambda name, content: change(content.decode()).encode() if name == part else content)


def test_a_missing_cell_is_added_in_its_place_and_a_formula_is_left(run, master):
    """A blank 完成时限 the sheet does not hold at all (no <c>) gets a dated cell between its
    neighbours; a 完成时限 the clerk wrote as a formula is his, even when the text changes."""
    clerk_edits(master, {"H3": SIX, "H4": NINE})
    _list_xml(master, lambda xml: re.sub(r'<c r="I3"[^>]*/>', "", re.sub(
        r'<c r="I4"( s="\d+")?[^>]*/>', r'<c r="I4"\1><f>DATE(2023,7,1)</f><v>45108</v></c>', xml)))
    assert 'r="I3"' not in list_xml_without(master.read_bytes(), [])
    before = list_cells(master)
    assert run("split", "--period", "2023Q2", "--office", "人事教育处").exit_code == 0
    after = list_cells(master)
    assert {ref for ref in after if after[ref] != before[ref]} == {"I3", "J3", "J4"}
    sheet = openpyxl.load_workbook(master)["清单"]
    assert sheet["I3"].value == dt.datetime(2023, 6, 30) and is_date_format(sheet["I3"].number_format)
    assert after["I3"][2:] == after["I5"][2:]  # the look of its column's date cells
    assert sheet["I4"].value == "=DATE(2023,7,1)" and sheet["J4"].value == "限时完成"
    row = re.search(r'<row r="3".*?</row>', list_xml_without(master.read_bytes(), []), re.S)[0]
    assert re.findall(r'<c r="([A-Z]+)3"', row) == list("ABCDEFGHIJK")
    assert record(master)["1-02"] == [SIX, "2023-06-30", "限时完成"]


def test_a_list_sheet_written_with_a_prefix_is_edited_in_its_spelling(run, master):
    """清单 written with a prefixed namespace (<x:worksheet …>): its derived cells follow
    the schedule like any other's, written as x: cells, the rest of the part unchanged."""
    clerk_edits(master, {"H3": SIX})

    def prefixed(xml: str) -> str:
        xml = re.sub(r"<(/?)([A-Za-z]\w*)(?=[\s/>])", r"<\1x:\2", xml)
        return xml.replace('<x:worksheet xmlns="', '<x:worksheet xmlns:x="', 1)

    _list_xml(master, prefixed)
    part = _part(master.read_bytes(), "清单")
    kept = parts(master)[part]
    assert run("split", "--period", "2023Q2", "--office", "人事教育处").exit_code == 0
    row3 = re.compile(r'<x:row r="3".*?</x:row>', re.S)
    after = parts(master)[part].decode()
    assert row3.sub("", after) == row3.sub("", kept.decode()) and "<c " not in after
    assert record(master)["1-02"] == [SIX, "2023-06-30", "限时完成"]
    assert openpyxl.load_workbook(master)["清单"]["I3"].value == dt.datetime(2023, 6, 30)
    assert form_deadlines(FORMS / "人事教育处.xlsx")["1-02"] in ("2023-06-30", dt.date(2023, 6, 30),
                                                              dt.datetime(2023, 6, 30))


def test_a_master_imported_as_a_source_says_nothing_of_its_record_sheet(run, master):
    """Another master given to import as the list: its 清单 is read, and its hidden record is
    no \"hidden sheet, unhide it if it belongs to the list\" for the clerk."""
    result = run("import", master, "-o", "workbooks/复制.xlsx")
    assert result.exit_code == 0, result.output
    assert RECORD not in result.output
    assert openpyxl.load_workbook("workbooks/复制.xlsx")[RECORD].sheet_state == "hidden"
