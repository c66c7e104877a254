"""An owned sheet of the master rewritten (进展, 日志, _时限派生): everything outside
<sheetData> kept as it was, new rows written as text in the old sheet's own
namespace prefix, and the look people gave it — widths, the header's styles,
each column's usual style, cells and rows they formatted, rows above the header,
columns they added — carried over.  The old sheet is read through ooxml.parse.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from xlsxwriter.utility import xl_col_to_name

from .layout import lines_height, one_line_chars, wrapped_lines
from .ooxml import (
    CELLS,
    NS_MAIN,
    NS_REL,
    ROW,
    SHEET_DATA,
    C,
    F,
    Node,
    PartError,
    cell_columns,
    cells_of,
    main_tag,
    parse,
    prefix,
    quote,
    row_numbers,
    set_attribute,
    splice,
    tag_end,
    text_cell,
    xml_text,
)


@dataclass
class SheetLayout:
    """Where an owned sheet's rows were in the sheet being replaced: its header's
    Excel row, the Excel row of each data row MasterUpdate.rows gave (in that
    order), and the 0-based column of each of its columns (contract headers, then
    the ones people added)."""

    header: int
    lines: list[int]
    columns: list[int]
    contract: int = 0  # the first this many columns are qingdan's; the rest people added


@dataclass
class _Look:
    """What the rewritten sheet takes from the old one."""

    head: list[str]  # header style per column
    body: list[str]  # style per column: what most of its cells had (else the column's format)
    widths: list[float]
    row_attrs: str  # the header row's height
    cells: dict[int, dict[int, str]] = field(default_factory=dict)  # data row → column → its own style
    rows: dict[int, str] = field(default_factory=dict)  # data row → row attributes people set (hidden …)
    top: int = 1  # the header's row: rows people put above it stay there
    above: bytes = b""  # those rows' XML, as it was
    kept: dict[int, dict[int, bytes]] = field(default_factory=dict)  # data row → added column → its old cell


def _look(old: bytes, ws: Node, data: Node, ncols: int, layout: SheetLayout | None) -> _Look:
    """The look of the sheet being replaced, so it survives: widths, the header's
    styles, each column's usual style for rows to come, and the styles and row
    attributes people gave single cells and rows (kept on those rows)."""
    look = _Look(["0"] * ncols, ["0"] * ncols, [10.0] * ncols, "")
    where = layout.columns[:ncols] if layout else list(range(ncols))  # old column of each column
    new_of = {oc: c for c, oc in enumerate(where)}
    col_styles: dict[int, str] = {}
    for cols in ws.all(main_tag("cols")):
        for col in cols.all(main_tag("col")):
            attrs = col.attrs
            lo, hi = int(attrs.get("min", 1)), int(attrs.get("max", 1))
            for oc in range(lo - 1, min(hi, max(where, default=-1) + 1)):
                if (c := new_of.get(oc)) is None:
                    continue
                if "width" in attrs:
                    look.widths[c] = float(attrs["width"])
                if "style" in attrs:
                    col_styles[c] = attrs["style"]
    rows = data.all(ROW)
    numbers = row_numbers(rows)
    header_at = layout.header if layout else 1
    h = next((i for i, (n, row) in enumerate(zip(numbers, rows)) if n == header_at and row.close >= 0), None)
    if h is not None:
        header = rows[h]
        if layout is not None and header_at > 1:  # a title people typed above the table: kept
            look.top, look.above = header_at, old[tag_end(old, data):header.start]
        look.row_attrs = " ".join(f'{k}="{quote(header.attrs[k])}"' for k in ("ht", "customHeight")
                                  if k in header.attrs)
        found = header.all(C)
        for oc, cell in zip(cell_columns(found), found):
            if "s" in cell.attrs and (c := new_of.get(oc)) is not None:
                look.head[c] = cell.attrs["s"]
    body = list(zip(numbers[h + 1:], rows[h + 1:])) if h is not None else list(zip(numbers, rows))
    cells = [(oc, line, cell.attrs.get("s")) for line, row in body for oc, cell in cells_of(row)]
    counts: dict[int, Counter] = {}
    if any(s is not None for _, _, s in cells):  # else rows to come take the column's format
        for oc, _, s in cells:
            counts.setdefault(oc, Counter())[s or "0"] += 1
    usual = {oc: max(styles, key=styles.get) for oc, styles in counts.items()}
    for c, oc in enumerate(where):
        look.body[c] = usual[oc] if oc in usual else col_styles.get(c, "0")
    if layout is None:
        return look
    look.kept = _added_cells(old, body, layout, where, look.top, data)
    index = {line: i for i, line in enumerate(layout.lines)}  # Excel row → data row
    for oc, line, s in cells if counts else ():  # cells people formatted apart from their column
        s = s or "0"
        if s != usual[oc] and (c := new_of.get(oc)) is not None and (i := index.get(line)) is not None:
            look.cells.setdefault(i, {})[c] = s
    for line, row in body:  # rows people hid, formatted as a whole, or grouped
        a = row.attrs
        if (i := index.get(line)) is None or not (a.get("hidden") in ("1", "true") or a.get("customFormat") in (
                "1", "true") or a.get("outlineLevel") in _OUTLINED):
            continue
        kept = [f'{k}="{quote(a[k])}"' for k in ("hidden", "outlineLevel", "collapsed") if k in a]
        if a.get("customFormat") in ("1", "true") and a.get("s", "").isdigit():
            kept += [f's="{a["s"]}"', 'customFormat="1"']
        look.rows[i] = " " + " ".join(kept)
    return look


_OUTLINED = {str(n) for n in range(1, 8)}


def _added_cells(old: bytes, body: list[tuple[int, Node]], layout: SheetLayout, where: list[int], top: int,
                 data: Node) -> dict[int, dict[int, bytes]]:
    """Data row → column → the old cell's XML, for the columns people added (a
    formula, a number, a date stays what it was), when every column keeps its
    place and every old row its row number (no blank rows between them, no spacer
    column, no column of theirs between qingdan's: a moved cell would clash with
    another, and a formula would read another column), and the cells' namespaces
    are declared where the new sheet keeps them.  Otherwise such columns are
    written from their values (a formula as its last result)."""
    added = {where[c]: c for c in range(layout.contract, len(where))}
    if (not added or where != list(range(len(where)))
            or layout.lines != list(range(top + 1, top + 1 + len(layout.lines)))
            or any(row.decls for _, row in body)):
        return {}
    kept: dict[int, dict[int, bytes]] = {}
    last = top + len(layout.lines)
    for line, row in body:
        if top < line <= last:
            found = row.all(C)
            for oc, cell in zip(cell_columns(found), found):
                if oc in added:
                    kept.setdefault(line - top - 1, {})[added[oc]] = old[cell.start:cell.end]
    return kept


def _cell(ref: str, value, style: str, p: str) -> str:
    s = f' s="{style}"' if style != "0" else ""
    if value is None or value == "":
        return f'<{p}c r="{ref}"{s}/>' if s else ""
    if isinstance(value, bool):
        return f'<{p}c r="{ref}"{s} t="b"><{p}v>{int(value)}</{p}v></{p}c>'
    if isinstance(value, (int, float)):
        return f'<{p}c r="{ref}"{s}><{p}v>{value!r}</{p}v></{p}c>'
    if isinstance(value, dt.date):
        value = value.isoformat()
    return text_cell(ref, s, str(value), p)


def _sheet_data(headers: list[str], rows: list[list], look: _Look, p: str) -> tuple[str, str]:
    """(the rows of <sheetData>: the header and ``rows``, the last cell's reference)."""
    head, body, widths = look.head, look.body, look.widths
    n = len(headers)
    letters = [xl_col_to_name(c) for c in range(n)]
    # a text cell is  <c r="  letter row  " s=.. t="inlineStr"><is><t …>  text  </t></is></c>
    opens = [f'<{p}c r="{letter}' for letter in letters]
    styles = [f' s="{style}"' if style != "0" else "" for style in body]
    mids = [f'"{s} t="inlineStr"><{p}is><{p}t xml:space="preserve">' for s in styles]
    closing = f"</{p}t></{p}is></{p}c>"
    fits = [one_line_chars(w) for w in widths]  # texts this short (and on one line) set no height
    known: list[dict[str, int]] = [{} for _ in range(n)]  # column → text → its lines: values repeat
    heights: dict[int, str] = {}
    own_cells, own_rows = look.cells, look.rows  # formatting people gave single cells and rows
    kept, top = look.kept, look.top
    out = [f'<{p}row r="{top}"{" " + look.row_attrs if look.row_attrs else ""}>']
    out.extend(_cell(f"{letters[c]}{top}", h, head[c], p) for c, h in enumerate(headers))
    out.append(f"</{p}row>")
    for r, row in enumerate(rows, top + 1):
        at = str(r)
        lines = 1
        cells = []
        own = own_cells.get(r - top - 1) if own_cells else None
        as_was = kept.get(r - top - 1) if kept else None  # cells of columns people added, as they were
        for c, v in enumerate(row[:n]):
            if as_was is not None and c in as_was:
                if v is not None and v != "":
                    lines = max(lines, wrapped_lines(str(v), widths[c]))
                cells.append(as_was[c].decode("utf-8"))
            elif type(v) is str and v:  # nearly every cell: written here, for speed
                if len(v) > fits[c] or "\n" in v:
                    k = known[c].get(v)
                    if k is None:
                        k = known[c][v] = wrapped_lines(v, widths[c])
                    if k > lines:
                        lines = k
                if own is None or c not in own:
                    cells.append(f"{opens[c]}{at}{mids[c]}{xml_text(v)}{closing}")  # text_cell's XML
                else:
                    cells.append(_cell(f"{letters[c]}{at}", v, own[c], p))
            else:
                if v is not None and v != "":
                    lines = max(lines, wrapped_lines(str(v), widths[c]))
                cells.append(_cell(f"{letters[c]}{at}", v, own.get(c, body[c]) if own else body[c], p))
        height = heights.get(lines)
        if height is None:
            height = heights[lines] = str(lines_height(lines))
        marks = own_rows.get(r - top - 1, "") if own_rows else ""
        out.append(f'<{p}row r="{at}" ht="{height}" customHeight="1"{marks}>{"".join(cells)}</{p}row>')
    return "".join(out), f"{letters[-1]}{top + len(rows)}"


EMPTY_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><dimension ref="A1"/>'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
    'state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
    "<sheetData/></worksheet>"
).encode("utf-8")


def sheet_xml(old: bytes | None, headers: list[str], rows: list[list], layout: SheetLayout | None = None) -> bytes:
    """The sheet's XML with new rows: everything outside <sheetData> (widths, frozen
    pane, print setup, protection …) kept, the dimension and filter range updated;
    with ``layout``, the rows that were there keep their own cell and row formatting.
    PartError("sheetData") when the old sheet has none."""
    xml = old if old is not None else EMPTY_SHEET
    ws = parse(xml, CELLS)
    data = ws.first(SHEET_DATA) if ws.tag == main_tag("worksheet") else None
    if data is None:
        raise PartError("sheetData")
    look = _look(xml, ws, data, len(headers), layout)
    p = prefix(xml, data)
    body, last = _sheet_data(headers, rows, look, p)
    # the namespaces the old <sheetData> declared stay declared (its prefix, or the kept cells', may need them)
    decls = "".join(f' xmlns:{k}="{quote(v)}"' if k else f' xmlns="{quote(v)}"' for k, v in data.decls or ())
    new = f"<{p}sheetData{decls}>".encode("utf-8") + look.above + body.encode("utf-8") + f"</{p}sheetData>".encode()
    edits = [(data.start, data.end, new)]
    for tag, first in ((main_tag("dimension"), "A1"), (main_tag("autoFilter"), f"A{look.top}")):
        if (node := ws.first(tag)) is not None and "ref" in node.attrs:
            edits.append(set_attribute(xml, node, "ref", f"{first}:{last}"))
    return splice(xml, edits)


_FORMULA = re.compile(rb"<(?:[^\s/>:]+:)?f[\s/>]")


def has_formula(sheet: bytes) -> bool:
    """Whether a cell of the sheet holds a formula (a cheap look first: most sheets hold none)."""
    if not _FORMULA.search(sheet):
        return False
    data = parse(sheet, CELLS).first(SHEET_DATA)
    return data is not None and any(F in c.inner for row in data.all(ROW) for c in row.all(C))
