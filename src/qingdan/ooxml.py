"""The OOXML layer below the master's storage: the parts qingdan rewrites or edits,
read with a real XML parser (the zip copy is zipout.py).

Every part read here is parsed (defusedxml's guarded expat).  Elements are found by
namespace URI and local name, so any prefix, quote style, attribute order or
whitespace a valid SpreadsheetML writer uses (Excel, WPS, LibreOffice, openpyxl,
the Open XML SDK) reads the same.  The parser also gives each element's byte
span, so a part edited in place (workbook.xml, its rels, [Content_Types].xml,
styles.xml, single cells of 清单) changes only the bytes of the elements and
attributes that must change; the rest stays byte for byte.  An owned sheet
rewritten whole is sheetxml.py's, on top of this.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable

from defusedxml.ElementTree import DefusedXMLParser
from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET_TYPE = NS_REL + "/worksheet"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (as it counts from 1900-03-01 on)
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def main_tag(name: str) -> str:
    return f"{NS_MAIN}}}{name}"  # expat's "uri}local"


C, ROW, SHEET_DATA, F = main_tag("c"), main_tag("row"), main_tag("sheetData"), main_tag("f")
CELLS = frozenset({C})


class PartError(ValueError):
    """A part lacks what qingdan must find in it (the reason names it)."""


# --- parsing ---------------------------------------------------------------------

class Node:
    """An element: ``tag`` "uri}local" (or "local" outside any namespace), its
    attributes by expanded name, and its byte span [start, end) in the part."""

    __slots__ = ("tag", "attrs", "start", "end", "close", "children", "decls", "inner")

    def __init__(self, tag: str, attrs: dict, start: int) -> None:
        self.tag, self.attrs, self.start, self.end = tag, attrs, start, start
        self.close = -1  # where its end tag begins; -1: an empty element <x/>
        # a sheet has hundreds of thousands of cells, most without children: the lists
        # are made on the first one (parse), an empty tuple till then
        self.children: list[Node] | tuple = ()
        self.decls: list[tuple[str, str]] | None = None  # namespaces declared on this element
        self.inner: list[str] | tuple = ()  # a leaf's (see parse) children's tags

    def first(self, tag: str) -> Node | None:
        return next((n for n in self.children if n.tag == tag), None)

    def all(self, tag: str) -> list[Node]:
        return [n for n in self.children if n.tag == tag]


# a start tag as XML's grammar has it: a value may hold ">" (and the other quote)
_TAG = re.compile(rb"""<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>""")
_ATTRIBUTE = re.compile(rb"""\s+([^\s=/>]+)(\s*=\s*)("[^"]*"|'[^']*')""")
_QNAME = re.compile(rb"<([^\s/>]+)")


def parse(data: bytes, leaves: frozenset[str] = frozenset()) -> Node:
    """The part's element tree with byte spans; the elements inside a ``leaves``
    element are parsed but not kept (a sheet's cells: their content is copied or
    replaced whole).  Raises the parser's errors (a DTD declaring entities,
    external references, malformed XML)."""
    parser = DefusedXMLParser()  # its entity and external-reference guards stay on the expat parser
    ex = parser.parser
    ex.ordered_attributes = False
    ex.CharacterDataHandler = ex.DefaultHandlerExpand = None  # text is not needed (nor passed to Python)
    root = Node("", {}, 0)
    stack = [root]
    decls: list[tuple[str, str]] = []
    inside = 0  # how deep inside a leaf

    def start(tag: str, attrs: dict) -> None:
        nonlocal inside
        if inside:
            if inside == 1:
                leaf = stack[-1]
                if leaf.inner:
                    leaf.inner.append(tag)
                else:
                    leaf.inner = [tag]
            inside += 1
            return
        node = Node(tag, attrs, ex.CurrentByteIndex)
        if decls:
            node.decls = decls[:]
            decls.clear()
        parent = stack[-1]
        if parent.children:
            parent.children.append(node)
        else:
            parent.children = [node]
        stack.append(node)
        if tag in leaves:
            inside = 1

    def end(tag: str) -> None:
        nonlocal inside
        if inside > 1:
            inside -= 1
            return
        inside = 0
        node = stack.pop()
        i = ex.CurrentByteIndex
        # <x/> ends where the handler is called; <x>…</x> ends at the ">" after it
        if node.children or node.inner or data[i - 2:i] != b"/>" or _TAG.match(data, node.start).end() != i:
            node.close, i = i, data.index(b">", i) + 1
        node.end = i

    ex.StartElementHandler, ex.EndElementHandler = start, end
    ex.StartNamespaceDeclHandler = lambda prefix, uri: decls.append((prefix or "", uri))
    ex.Parse(data, True)
    if not root.children:
        raise PartError("root")
    return root.children[0]


def prefix(data: bytes, node: Node) -> str:
    """The prefix the element is written with ("x:" for <x:row>, "" for <row>):
    elements added beside or in it are written so, in the same namespace."""
    name = _QNAME.match(data, node.start)[1].decode("utf-8")
    return name[:name.index(":") + 1] if ":" in name else ""


def qname(data: bytes, node: Node) -> bytes:
    return _QNAME.match(data, node.start)[1]


def tag_end(data: bytes, node: Node) -> int:
    return _TAG.match(data, node.start).end()


def splice(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """``data`` with each [start, end) replaced (edits do not overlap)."""
    out, at = [], 0
    for start, end, text in sorted(edits, key=lambda e: (e[0], e[1])):
        out += [data[at:start], text]
        at = end
    out.append(data[at:])
    return b"".join(out)


def quote(value: str) -> str:
    return escape(value).replace('"', "&quot;")


def set_attribute(data: bytes, node: Node, name: str, value: str) -> tuple[int, int, bytes]:
    """The edit giving the element's (unprefixed) attribute ``name`` the value: only its
    value changes (in its own quotes), or it is added at the end of the start tag."""
    end = tag_end(data, node)
    raw = name.encode()
    for m in _ATTRIBUTE.finditer(data, node.start, end):
        if m[1] == raw:
            q = m[3][:1]
            text = quote(value).replace("'", "&apos;") if q == b"'" else quote(value)
            return m.start(3), m.end(3), q + text.encode("utf-8") + q
    at = end - 2 if data[end - 2:end] == b"/>" else end - 1
    return at, at, f' {name}="{quote(value)}"'.encode("utf-8")


def insert_child(data: bytes, node: Node, text: bytes) -> tuple[int, int, bytes]:
    """The edit appending ``text`` as the element's last content (opening <x/>)."""
    if node.close < 0:
        tag = data[node.start:node.end - 2].rstrip()
        return node.start, node.end, tag + b">" + text + b"</" + qname(data, node) + b">"
    return node.close, node.close, text


def row_numbers(rows: list[Node]) -> list[int]:
    """Each row's number: its r=, else the one after the row before (as readers count)."""
    out, last = [], 0
    for row in rows:
        r = row.attrs.get("r", "")
        last = int(r) if r.isdigit() else last + 1
        out.append(last)
    return out


def cell_columns(cells: list[Node]) -> list[int]:
    """Each cell's 0-based column: its r=, else the one after the cell before."""
    out, last = [], -1
    for c in cells:
        ref = c.attrs.get("r")
        if ref:
            letters = ref.rstrip("0123456789")
            col = _COLUMNS.get(letters)
            if col is None and _CELL_REF.fullmatch(ref):
                col = _COLUMNS[letters] = xl_cell_to_rowcol(ref)[1]
            last = col if col is not None else last + 1
        else:
            last += 1
        out.append(last)
    return out


_COLUMNS: dict[str, int] = {}  # a cell reference's letters → its 0-based column


def cells_of(row: Node) -> list[tuple[int, Node]]:
    """(0-based column, cell) of each cell of the row."""
    found = row.all(C)
    return list(zip(cell_columns(found), found))


_CELL_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


def escape(text: str) -> str:
    """``text`` with &, < and > written as XML entities (what xml.sax.saxutils.escape
    does, without that module's imports of urllib, http and ssl in every process)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def strip_illegal(text: str) -> str:
    """``text`` without the characters an .xlsx cannot hold (control characters, lone surrogates)."""
    return ILLEGAL_XML.sub("", text)


def xml_text(text: str) -> str:
    """``text`` as a cell's XML content: without the characters an .xlsx cannot hold, escaped."""
    if not text.isprintable():  # control characters: a line break, or one an .xlsx cannot hold
        text = strip_illegal(text)
    return escape(text)


# --- the workbook's own parts ------------------------------------------------------

_AFTER_CALC_PR = {main_tag(name) for name in ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr",
                                        "smartTagTypes", "webPublishing", "fileRecoveryPr",
                                        "webPublishObjects", "extLst")}


def recalculated_on_load(book: bytes) -> bytes:
    """workbook.xml asking Excel to recalculate every formula when it opens the
    file: values around the formulas people keep in 进展 have changed, and their
    cached results would otherwise show until someone presses F9."""
    root = parse(book)
    calc = root.first(main_tag("calcPr"))
    if calc is not None:
        return splice(book, [set_attribute(book, calc, "fullCalcOnLoad", "1")])
    # no calcPr: it goes before the first of the elements the schema puts after it
    sheets = root.first(main_tag("sheets"))
    after = root.children[root.children.index(sheets) + 1:] if sheets is not None else root.children
    new = f'<{prefix(book, root)}calcPr fullCalcOnLoad="1"/>'.encode()
    at = next((n.start for n in after if n.tag in _AFTER_CALC_PR), None)
    if at is None:
        return splice(book, [insert_child(book, root, new)])
    return splice(book, [(at, at, new)])


def add_sheet(sheet: str, names: list[str], book: bytes, rels: bytes, types: bytes, hidden: bool = False
              ) -> tuple[str, bytes, bytes, bytes]:
    """(its part, workbook.xml, its rels, [Content_Types].xml) with a new worksheet
    ``sheet`` at the end (``names``: the zip's parts, not to be reused)."""
    n = 1
    while f"xl/worksheets/sheet{n}.xml" in names:
        n += 1
    part = f"xl/worksheets/sheet{n}.xml"
    book_root, rels_root, types_root = parse(book), parse(rels), parse(types)
    ids = [int(r.attrs.get("Id", "")[3:]) for r in rels_root.children
           if re.fullmatch(r"rId\d+", r.attrs.get("Id", ""))]
    rid = f"rId{max(ids, default=0) + 1}"
    sheets = book_root.first(main_tag("sheets"))
    if sheets is None:
        raise PartError("sheets")
    sheet_ids = [int(s.attrs["sheetId"]) for s in sheets.all(main_tag("sheet"))
                 if s.attrs.get("sheetId", "").isdigit()]
    state = ' state="hidden"' if hidden else ""
    p = prefix(book, sheets)
    entry = (f'<{p}sheet name="{quote(sheet)}" sheetId="{max(sheet_ids, default=0) + 1}"{state} r:id="{rid}" '
             f'xmlns:r="{NS_REL}"/>')
    book = splice(book, [insert_child(book, sheets, entry.encode("utf-8"))])
    rel = (f'<{prefix(rels, rels_root)}Relationship Id="{rid}" Type="{WORKSHEET_TYPE}" '
           f'Target="worksheets/sheet{n}.xml"/>')
    rels = splice(rels, [insert_child(rels, rels_root, rel.encode())])
    override = f'<{prefix(types, types_root)}Override PartName="/{part}" ContentType="{SHEET_CT}"/>'
    types = splice(types, [insert_child(types, types_root, override.encode())])
    return part, book, rels, types


def without_calc_chain(rels: bytes, types: bytes) -> tuple[bytes, bytes]:
    """The workbook's rels and [Content_Types].xml without calcChain.xml (Excel rebuilds it)."""
    rels_root, types_root = parse(rels), parse(types)
    rels = splice(rels, [(r.start, r.end, b"") for r in rels_root.all(f"{NS_PKG_REL}}}Relationship")
                         if r.attrs.get("Target", "").endswith("calcChain.xml")])
    types = splice(types, [(o.start, o.end, b"") for o in types_root.all(f"{NS_TYPES}}}Override")
                           if o.attrs.get("PartName", "") == "/xl/calcChain.xml"])
    return rels, types


def styles_part(rels: bytes) -> str:
    """The styles part the workbook's rels name."""
    for r in parse(rels).all(f"{NS_PKG_REL}}}Relationship"):
        if r.attrs.get("Type", "").endswith("/styles") and (target := r.attrs.get("Target")):
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return "xl/styles.xml"


# Excel's built-in number formats that show a date (ids 27-36 and 50-58: the East Asian dates)
_DATE_FORMAT_IDS = {*range(14, 18), 22, *range(27, 37), *range(50, 59)}


def _cell_xfs(styles: bytes) -> tuple[Node, Node | None]:
    root = parse(styles)
    return root, root.first(main_tag("cellXfs"))


def date_styles(styles: bytes) -> set[str]:
    """The cell styles (indexes into cellXfs, as s= gives them) whose number format shows a date."""
    if not styles:
        return set()
    root, xfs = _cell_xfs(styles)
    formats = set(_DATE_FORMAT_IDS)
    for fmt in (root.first(main_tag("numFmts")) or Node("", {}, 0)).all(main_tag("numFmt")):
        code = re.sub(r'"[^"]*"|\\.|\[(?!\$-F800)[^\]]*\]', "", fmt.attrs.get("formatCode", "")).lower()
        if fmt.attrs.get("numFmtId", "").isdigit() and ("y" in code or "d" in code or "$-f800" in code):
            formats.add(int(fmt.attrs["numFmtId"]))
    out = set()
    for i, xf in enumerate(xfs.all(main_tag("xf")) if xfs is not None else ()):
        fmt = xf.attrs.get("numFmtId", "0")
        if fmt.isdigit() and int(fmt) in formats:
            out.add(str(i))
    return out


def with_date_style(styles: bytes, style: str) -> tuple[str, bytes] | None:
    """styles.xml with one more cell style: ``style`` showing dates (yyyy-mm-dd's built-in
    14, 年/月/日 in a Chinese Excel); (its s=, the new styles.xml), None when styles.xml
    has no such style."""
    if not styles:
        return None
    _, xfs = _cell_xfs(styles)
    found = xfs.all(main_tag("xf")) if xfs is not None else []
    if not found or not style.isdigit() or int(style) >= len(found):
        return None
    xf = found[int(style)]
    end = tag_end(styles, xf)
    closing = b"/>" if styles[end - 2:end] == b"/>" else b">"
    kept = [m[0] for m in _ATTRIBUTE.finditer(styles, xf.start, end)
            if m[1] not in (b"numFmtId", b"applyNumberFormat")]
    new = (b"<" + qname(styles, xf) + b"".join(kept) + b' numFmtId="14" applyNumberFormat="1"' + closing
           + styles[end:xf.end])
    return str(len(found)), splice(styles, [(found[-1].end, found[-1].end, new),
                                            set_attribute(styles, xfs, "count", str(len(found) + 1))])


# --- single cells of a sheet people own (the derived 完成时限 / 时限类型 of 清单) -------

def edit_cells(xml: bytes, cells: dict[tuple[int, int], object], dated: set[str],
               date_style: Callable[[str], str | None]) -> tuple[bytes, set[tuple[int, int]]]:
    """``xml`` (a worksheet) with the cells at (Excel row, 0-based column) holding the given
    values (a date, a text, or None for blank), each keeping its own style; a cell the
    row lacks is inserted in column order.  A date is written as Excel's serial number in
    a style that shows dates (``dated``): the cell's own, else the one most cells of its
    column that show dates have, else ``date_style(its style)`` (None: the cell is left).
    Returns (the XML, the cells left as they were).  Left as they were: a formula, a row
    that is not there, a row with a cell whose place its r= does not give (a cell cannot
    be put among them safely), and every cell of a part that is no transitional
    SpreadsheetML worksheet (strict OOXML …)."""
    root = parse(xml, CELLS)
    data = root.first(SHEET_DATA) if root.tag == main_tag("worksheet") else None
    if data is None:
        return xml, set(cells)
    rows = data.all(ROW)
    by_number: dict[int, Node] = {}
    for number, row in zip(row_numbers(rows), rows):
        by_number.setdefault(number, row)
    by_line: dict[int, dict[int, object]] = {}
    for (line, c), value in cells.items():
        by_line.setdefault(line, {})[c] = value
    column_styles: dict[int, tuple[str, str]] | None = None  # column → (usual style, usual date style)

    def usual(c: int) -> tuple[str, str]:
        nonlocal column_styles
        if column_styles is None:
            counts: dict[int, Counter] = {}
            for row in rows:
                found = row.all(C)
                for col, cell in zip(cell_columns(found), found):
                    counts.setdefault(col, Counter())[cell.attrs.get("s", "0")] += 1
            column_styles = {}
            for col, styles in counts.items():
                dates = Counter({s: n for s, n in styles.items() if s in dated})
                column_styles[col] = (max(styles, key=styles.get), max(dates, key=dates.get) if dates else "")
        return column_styles.get(c, ("0", ""))

    edits: list[tuple[int, int, bytes]] = []
    skipped: set[tuple[int, int]] = set()
    for line in sorted(by_line):
        row = by_number.get(line)
        found = row.all(C) if row is not None else []
        refs = [_CELL_REF.fullmatch(cell.attrs.get("r", "")) for cell in found]
        if row is None or any(ref is None or ref[2] != str(line) for ref in refs):
            skipped.update((line, c) for c in by_line[line])
            continue
        p = prefix(xml, row)
        pieces = dict(zip(cell_columns(found), found))
        new_cells: list[tuple[int, int, bytes]] = []
        for c, value in sorted(by_line[line].items()):
            old = pieces.get(c)
            if old is not None and F in old.inner:
                skipped.add((line, c))  # a formula the clerk wrote: his
                continue
            style = old.attrs.get("s", "0") if old is not None else usual(c)[0]
            ref = f"{xl_col_to_name(c)}{line}"
            if isinstance(value, dt.date):
                shown = style if style in dated else usual(c)[1] or date_style(style)
                if shown is None:
                    skipped.add((line, c))
                    continue
                s = f' s="{shown}"' if shown != "0" else ""
                cell = f'<{p}c r="{ref}"{s}><{p}v>{(value - EXCEL_EPOCH).days}</{p}v></{p}c>'
            elif value is None or value == "":
                cell = f'<{p}c r="{ref}" s="{style}"/>' if style != "0" else f'<{p}c r="{ref}"/>'
            else:
                cell = text_cell(ref, f' s="{style}"' if style != "0" else "", str(value), p)
            if old is not None:
                new_cells.append((old.start, old.end, cell.encode("utf-8")))
            else:  # before the first cell to its right, else at the row's end
                at = min((n.start for col, n in pieces.items() if col > c), default=None)
                new_cells.append((at, at, cell.encode("utf-8")) if at is not None else (-1, -1, cell.encode("utf-8")))
        at_end = b"".join(text for start, _, text in new_cells if start < 0)
        edits += [e for e in new_cells if e[0] >= 0]
        if at_end:
            edits.append(insert_child(xml, row, at_end))
    return splice(xml, edits), skipped


def text_cell(ref: str, style_attr: str, text: str, p: str = "") -> str:
    """A cell holding ``text`` as an inline string (never a formula)."""
    return (f'<{p}c r="{ref}"{style_attr} t="inlineStr"><{p}is><{p}t xml:space="preserve">{xml_text(text)}'
            f'</{p}t></{p}is></{p}c>')
