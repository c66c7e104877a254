"""The OOXML layer reads SpreadsheetML by namespace, not by spelling: a master whose
parts are written with a namespace prefix on every element (as the Open XML SDK
writes), single-quoted attributes in another order, or both, or re-saved by
LibreOffice, goes through split, merge, status, report and a derived-cell update;
parts qingdan does not own come out byte for byte, and those it edits keep their
spelling.  Below: the parser-level functions on small XML strings."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import convert
from defusedxml.ElementTree import iterparse
from filling import fill
from python_calamine import CalamineWorkbook

from qingdan import ooxml, sheetxml
from qingdan.guard import sheet_parts

FORMS = Path("output") / "2023Q2" / "下发"
MAIN = ooxml.NS_MAIN
XML_NS = "http://www.w3.org/XML/1998/namespace"
DEFAULT_PREFIXES = {MAIN: "x", ooxml.NS_TYPES: "ct", ooxml.NS_PKG_REL: "pr"}


# --- a master written another way ----------------------------------------------------

def _escape(text: str, quote: str = "") -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        text = text.replace(quote, {'"': "&quot;", "'": "&apos;"}[quote])
        text = text.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    return text


def respell(content: bytes, prefixed: bool, quote: str, reverse: bool) -> bytes:
    """The part parsed and written again by a serializer of our own: each namespace
    with the prefix it had (with ``prefixed``, the default ones get one: x: for
    SpreadsheetML), attributes in ``quote`` and, with ``reverse``, in reverse order."""
    declared: dict[str, str] = {}
    root = None
    for event, item in iterparse(io.BytesIO(content), events=("start-ns", "start")):
        if event == "start-ns":
            declared.setdefault(item[1], item[0])
        elif root is None:
            root = item
    if prefixed:
        declared = {uri: p or DEFAULT_PREFIXES.get(uri, f"d{i}") for i, (uri, p) in enumerate(declared.items())}
    q = quote

    def name(tag: str) -> str:
        if not tag.startswith("{"):
            return tag
        uri, local = tag[1:].split("}")
        if uri == XML_NS:
            return f"xml:{local}"
        return f"{declared[uri]}:{local}" if declared[uri] else local

    def write(el, out: list[str], top: bool) -> None:
        attrs = [f"{name(k)}={q}{_escape(v, q)}{q}" for k, v in el.attrib.items()]
        if top:
            attrs += [f"xmlns:{p}={q}{uri}{q}" if p else f"xmlns={q}{uri}{q}" for uri, p in declared.items()]
        if reverse:
            attrs.reverse()
        out.append(f"<{name(el.tag)}{''.join(' ' + a for a in attrs)}")
        if len(el) or el.text:
            out.append(">" + _escape(el.text or ""))
            for child in el:
                write(child, out, False)
                out.append(_escape(child.tail or ""))
            out.append(f"</{name(el.tag)}>")
        else:
            out.append("/>")

    out = [f"<?xml version={q}1.0{q} encoding={q}UTF-8{q} standalone={q}yes{q}?>\n"]
    write(root, out, True)
    return "".join(out).encode("utf-8")


def respelled(master: Path, prefixed: bool, quote: str, reverse: bool) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(master) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename.endswith((".xml", ".rels")):
                content = respell(content, prefixed, quote, reverse)
            dst.writestr(info, content)
    master.write_bytes(out.getvalue())


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def sheet_part(path: Path, sheet: str) -> str:
    with zipfile.ZipFile(path) as zf:
        return dict(sheet_parts(zf))[sheet]


def progress_rows(master: Path) -> tuple[list, list]:
    """进展's rows as openpyxl and as calamine read them (values only)."""
    book = openpyxl.load_workbook(master)["进展"]
    by_openpyxl = [list(r) for r in book.iter_rows(values_only=True) if any(v not in (None, "") for v in r)]
    by_calamine = [r for r in CalamineWorkbook.from_path(str(master)).get_sheet_by_name("进展").to_python()
                   if any(v not in (None, "") for v in r)]
    return by_openpyxl, by_calamine


def through_the_commands(run, master: Path) -> dict[str, bytes]:
    """split, merge one return, status, report, then a derived-cell update (the
    schedule of 1-02 edited); returns the parts as they were before all that."""
    before = parts(master)
    result = run("split", "--period", "2023Q2", "--office", "办公室")
    assert result.exit_code == 0, result.output
    filled = fill(FORMS / "办公室.xlsx", Path("收件") / "办公室.xlsx", saved=dt.datetime(2023, 7, 3, 9, 0))
    result = run("merge", filled)
    assert result.exit_code == 0, result.output
    assert run("status").exit_code == 0
    result = run("report", "-o", "汇总.xlsx")
    assert result.exit_code == 0, result.output
    assert Path("汇总.xlsx").is_file()
    return before


WAYS = {
    "prefixed": dict(prefixed=True, quote='"', reverse=False),
    "single quotes, reversed attributes": dict(prefixed=False, quote="'", reverse=True),
    "both": dict(prefixed=True, quote="'", reverse=True),
}


@pytest.mark.parametrize("way", list(WAYS))
def test_a_master_written_another_way_goes_through_every_command(run, master, way, tmp_path):
    def header_look(path: Path) -> list:
        sheet = openpyxl.load_workbook(path)["进展"]
        return [(c.font.b, c.fill.fgColor.rgb, c.alignment.wrap_text) for c in sheet[1]]

    look = header_look(master)
    respelled(master, **WAYS[way])
    if WAYS[way]["prefixed"]:
        assert b"<x:sheetData" in parts(master)[sheet_part(master, "进展")]
    before = through_the_commands(run, master)
    after = parts(master)
    by_openpyxl, by_calamine = progress_rows(master)
    assert header_look(master) == look and look[0][1] != "00000000"  # the header's fill and wrap kept
    assert len(by_openpyxl) == len(by_calamine) == 6 and by_openpyxl[0][:4] == ["编号", "责任处室", "报送期次", "完成状态"]
    assert {r[by_openpyxl[0].index("责任处室")] for r in by_openpyxl[1:]} == {"办公室"}
    assert [[str(v) for v in r[:4]] for r in by_openpyxl] == [[str(v) for v in r[:4]] for r in by_calamine]
    owned = {sheet_part(master, s) for s in ("进展", "日志", "_时限派生")}
    changed = {n for n in after if after[n] != before.get(n)}
    assert changed <= owned | {"xl/_rels/workbook.xml.rels", "[Content_Types].xml"}, changed
    for part in owned & changed:  # written in the spelling the sheet had
        xml = after[part]
        assert (b"<x:row " in xml) == WAYS[way]["prefixed"] and (b"<row " in xml) != WAYS[way]["prefixed"]


@pytest.mark.parametrize("way", list(WAYS))
def test_derived_cells_of_a_list_written_another_way_follow_its_schedule(run, master, way):
    """清单's 时间进度安排 of 1-02 (row 3) edited: 完成时限 and 时限类型 follow, in the
    list's own spelling, and nothing else of the list changes."""
    book = openpyxl.load_workbook(master)
    sheet = book["清单"]
    col = {c.value: c.column_letter for c in sheet[1]}
    sheet[f"{col['时间进度安排']}3"] = "2023年6月底前完成"
    book.save(master)
    respelled(master, **WAYS[way])
    part = sheet_part(master, "清单")
    before = parts(master)[part]
    assert run("split", "--period", "2023Q2", "--office", "人事教育处").exit_code == 0
    after = parts(master)[part]
    sheet = openpyxl.load_workbook(master)["清单"]
    assert sheet[f"{col['完成时限']}3"].value == dt.datetime(2023, 6, 30)
    assert sheet[f"{col['时限类型']}3"].value == "限时完成"
    record = CalamineWorkbook.from_path(str(master)).get_sheet_by_name("_时限派生").to_python()
    assert ["1-02", "2023年6月底前完成", "2023-06-30", "限时完成"] in record
    # only row 3 changed: the rest of the part byte for byte
    row3 = re.compile(rb"<(x:)?row [^>]*?r=['\"]3['\"].*?</(x:)?row>", re.S)
    assert row3.sub(b"", after) == row3.sub(b"", before)
    assert (b"<x:c " in row3.search(after)[0]) == WAYS[way]["prefixed"]


@pytest.mark.slow
def test_a_master_libreoffice_saved_goes_through_every_command(run, master, libreoffice, tmp_path):
    lo = tmp_path / "lo"
    lo.mkdir()
    master.write_bytes(convert(libreoffice, master, "xlsx:Calc MS Excel 2007 XML", lo).read_bytes())
    through_the_commands(run, master)
    by_openpyxl, by_calamine = progress_rows(master)
    assert len(by_openpyxl) == len(by_calamine) > 1


def test_a_sheet_without_sheet_data_is_refused_naming_the_master(run, master):
    part = sheet_part(master, "日志")
    data = parts(master)
    data[part] = re.sub(rb"<sheetData.*?</sheetData>|<sheetData/>", b"", data[part], flags=re.S)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in data.items():
            zf.writestr(name, content)
    master.write_bytes(out.getvalue())
    result = run("split", "--period", "2023Q2", "--office", "办公室")
    assert f"无法读取总表 {Path('workbooks') / master.name}" in result.output or str(master) in result.output
    assert "sheetData" in result.output


# --- the parser-level functions -----------------------------------------------------

NS = f'xmlns="{MAIN}"'
XNS = f'xmlns:x="{MAIN}"'


@pytest.mark.parametrize("book, exp", [
    (f'<workbook {NS}><sheets/><calcPr calcId="191029"/></workbook>',
     f'<workbook {NS}><sheets/><calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>'),
    (f'<workbook {NS}><sheets/><calcPr fullCalcOnLoad="0" calcId="1"/></workbook>',
     f'<workbook {NS}><sheets/><calcPr fullCalcOnLoad="1" calcId="1"/></workbook>'),
    (f'<workbook {NS}><sheets/><definedNames/><extLst/></workbook>',
     f'<workbook {NS}><sheets/><definedNames/><calcPr fullCalcOnLoad="1"/><extLst/></workbook>'),
    (f'<workbook {NS}><sheets/></workbook>', f'<workbook {NS}><sheets/><calcPr fullCalcOnLoad="1"/></workbook>'),
    (f'<workbook {NS}><sheets/><calcPr calcId="1"  fullCalcOnLoad = "0" /></workbook>',
     f'<workbook {NS}><sheets/><calcPr calcId="1"  fullCalcOnLoad = "1" /></workbook>'),
    (f"<workbook {NS}><sheets/><calcPr fullCalcOnLoad='0'/></workbook>",
     f"<workbook {NS}><sheets/><calcPr fullCalcOnLoad='1'/></workbook>"),
    (f'<workbook {NS}><bookViews><workbookView><extLst/></workbookView></bookViews><sheets></sheets><extLst/>'
     '</workbook>',
     f'<workbook {NS}><bookViews><workbookView><extLst/></workbookView></bookViews><sheets></sheets><calcPr '
     'fullCalcOnLoad="1"/><extLst/></workbook>'),
    (f"<x:workbook {XNS}><x:sheets/><x:calcPr x:foo='>' calcId='1'/></x:workbook>",
     f"<x:workbook {XNS}><x:sheets/><x:calcPr x:foo='>' calcId='1' fullCalcOnLoad=\"1\"/></x:workbook>"),
    (f"<x:workbook {XNS}><x:sheets/><x:extLst/></x:workbook>",
     f'<x:workbook {XNS}><x:sheets/><x:calcPr fullCalcOnLoad="1"/><x:extLst/></x:workbook>'),
])
def test_recalculated_on_load(book, exp):
    got = ooxml.recalculated_on_load(book.encode()).decode()
    assert got == exp


SHEET = ('<?xml version="1.0" encoding="UTF-8"?>\n<x:worksheet {ns}><x:dimension ref=\'A1:C3\'/><x:cols>'
         '<x:col max="2" width="30" min="2"/></x:cols><x:sheetData>{rows}</x:sheetData>'
         "<x:autoFilter ref='A1:C3'/></x:worksheet>")


@pytest.mark.parametrize("rows, exp_rows", [
    # rows without r=, cells without r=, s= before r=: the header's style, the column's usual one
    ('<x:row><x:c s="5" t="inlineStr"><x:is><x:t>甲</x:t></x:is></x:c><x:c/></x:row>'
     '<x:row><x:c s="7" r="A2"/><x:c r="B2" s="8"/></x:row><x:row><x:c s="7"/></x:row>',
     '<x:row r="1"><x:c r="A1" s="5" t="inlineStr"><x:is><x:t xml:space="preserve">甲</x:t></x:is></x:c>'
     '<x:c r="B1" t="inlineStr"><x:is><x:t xml:space="preserve">乙</x:t></x:is></x:c></x:row>'
     '<x:row r="2" ht="{h}" customHeight="1"><x:c r="A2" s="7" t="inlineStr"><x:is><x:t xml:space="preserve">'
     'a</x:t></x:is></x:c><x:c r="B2" s="8"/></x:row>'),
    # a hidden row keeps hidden= (single-quoted, in any order)
    ("<x:row hidden='1' r='2'><x:c r='A2'/></x:row>",
     '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t xml:space="preserve">甲</x:t></x:is></x:c>'
     '<x:c r="B1" t="inlineStr"><x:is><x:t xml:space="preserve">乙</x:t></x:is></x:c></x:row>'
     '<x:row r="2" ht="{h}" customHeight="1"><x:c r="A2" t="inlineStr"><x:is><x:t xml:space="preserve">'
     'a</x:t></x:is></x:c></x:row>'),
])
def test_sheet_xml_in_the_old_sheets_spelling(rows, exp_rows):
    from qingdan.layout import lines_height

    old = SHEET.format(ns=XNS, rows=rows).encode()
    got = sheetxml.sheet_xml(old, ["甲", "乙"], [["a", ""]]).decode()
    exp = SHEET.format(ns=XNS, rows=exp_rows.replace("{h}", str(lines_height(1))))
    exp = exp.replace("ref='A1:C3'", "ref='A1:B2'")
    assert got == exp


def test_sheet_xml_keeps_row_marks_and_added_cells_with_a_layout():
    rows = ('<x:row r="1"><x:c r="A1"/><x:c r="B1"/><x:c r="C1"/></x:row>'
            "<x:row r='2' hidden='true'><x:c r='A2'/><x:c r='C2'><x:f>1+1</x:f><x:v>2</x:v></x:c></x:row>")
    old = SHEET.format(ns=XNS, rows=rows).encode()
    layout = sheetxml.SheetLayout(1, [2], [0, 1, 2], 2)
    got = sheetxml.sheet_xml(old, ["甲", "乙", "加"], [["a", "b", 2]], layout).decode()
    assert "<x:c r='C2'><x:f>1+1</x:f><x:v>2</x:v></x:c></x:row>" in got
    assert re.search(r'<x:row r="2" [^>]*hidden="true"', got)


@pytest.mark.parametrize("sheet, cells, exp, exp_skipped", [
    # a text into a cell without r= siblings … r= present: replaced keeping its style; s= first, single quotes
    (f"<worksheet {NS}><sheetData><row r='1'><c s='3' r='A1'/><c r='C1'/></row></sheetData></worksheet>",
     {(1, 1): "x", (1, 0): None},
     f"<worksheet {NS}><sheetData><row r='1'><c r=\"A1\" s=\"3\"/><c r=\"B1\" t=\"inlineStr\"><is>"
     "<t xml:space=\"preserve\">x</t></is></c><c r='C1'/></row></sheetData></worksheet>", set()),
    # prefixed; a date in a date style; a row opened from <x:row/>
    (f"<x:worksheet {XNS}><x:sheetData><x:row r='1'><x:c r='A1' s='2'><x:v>1</x:v></x:c></x:row>"
     "<x:row r='2'/></x:sheetData></x:worksheet>",
     {(1, 0): dt.date(2023, 6, 30), (2, 0): "y"},
     f"<x:worksheet {XNS}><x:sheetData><x:row r='1'><x:c r=\"A1\" s=\"2\"><x:v>45107</x:v></x:c></x:row>"
     "<x:row r='2'><x:c r=\"A2\" s=\"2\" t=\"inlineStr\"><x:is><x:t xml:space=\"preserve\">y</x:t></x:is></x:c>"
     "</x:row></x:sheetData></x:worksheet>", set()),
    # a formula, a row that is not there, a row whose cells carry no r=: left
    (f"<worksheet {NS}><sheetData><row><c><f>1</f></c></row><row><c/></row></sheetData></worksheet>",
     {(1, 0): "a", (2, 0): "b", (9, 0): "c"},
     f"<worksheet {NS}><sheetData><row><c><f>1</f></c></row><row><c/></row></sheetData></worksheet>",
     {(1, 0), (2, 0), (9, 0)}),
])
def test_edit_cells(sheet, cells, exp, exp_skipped):
    got, skipped = ooxml.edit_cells(sheet.encode(), cells, {"2"}, lambda style: None)
    assert (got.decode(), skipped) == (exp, exp_skipped)


STYLES = (f"<x:styleSheet {XNS}><x:numFmts count='1'><x:numFmt formatCode='yyyy&quot;年&quot;m' numFmtId='176'/>"
          "</x:numFmts><x:cellXfs count='3'><x:xf numFmtId='0'/><x:xf applyNumberFormat='1' numFmtId='176'/>"
          "<x:xf numFmtId='49' fontId='2'><x:alignment wrapText='1'/></x:xf></x:cellXfs></x:styleSheet>")


def test_date_styles_and_a_date_style_added():
    assert ooxml.date_styles(STYLES.encode()) == {"1"}
    style, styles = ooxml.with_date_style(STYLES.encode(), "2")
    assert style == "3"
    assert styles.decode() == STYLES.replace("count='3'", "count='4'").replace(
        "</x:cellXfs>", " <x:xf fontId='2' numFmtId=\"14\" applyNumberFormat=\"1\"><x:alignment wrapText='1'/>"
        "</x:xf></x:cellXfs>".lstrip())
    assert ooxml.date_styles(styles) == {"1", "3"}


@pytest.mark.parametrize("exp", [
    [b'<b x="1"/>', b"<c>/></c>", b'<d y=">" />'],
    [b"<p:b\n x='1'\n/>", b"<p:c>t</p:c >", b"<p:d><p:d/></p:d>"],
])
def test_parse_spans(exp):
    data = b'<a xmlns="u" xmlns:p="u">' + b"".join(exp) + b"</a>"
    root = ooxml.parse(data)
    got = [data[n.start:n.end] for n in root.children]
    assert got == exp and data[root.start:root.end] == data


def test_parse_refuses_entities():
    with pytest.raises(Exception, match="(?i)entit"):
        ooxml.parse(b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')
