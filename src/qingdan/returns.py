"""Reading one returned 填报表, whatever happened to it on the way back.

Offices rename the file, re-save it in WPS or LibreOffice (.xlsx, .xls, .ods),
insert columns or rows, reorder rows, or copy the values into a new workbook.
So nothing here relies on positions: the sheet is the one whose header row holds
编号 and 完成状态, columns are found by their header words, and rows are kept
with their 编号 for merge to match.  _meta, when it survived, says which office
and period the file is, and holds the hash of every row's locked text.

Before any parser sees the bytes, the file is checked by its name, size and zip
directory (guard.py): one bad file must never take the run down.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree as SafeET

from . import words as W
from .cells import cell_text, header_key
from .errors import QingdanError, SourceError
from .formlayout import (
    FILL_HEADERS,
    LOCKED_HEADERS,
    answers_digest,
    locked_headers,
    meta_pairs,
    row_hash,
    unpack_hashes,
)
from .guard import check_workbook
from .workbook import find_header

MAX_RETURN_BYTES = 50 * 1024 * 1024  # a form is tens of KB; this is far beyond any real one
HEADER_SEARCH_ROWS = 30  # rows people may have added above the table
REQUIRED_HEADERS = [W.H_CODE, W.H_STATUS]
_MB = 1024 * 1024


def fingerprint(data: bytes) -> str:
    """The file's fingerprint: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass
class ReturnedRow:
    """A non-blank row below the header: its Excel row number and each cell as
    text by header, and the cells that are not text (numbers, dates) as read.
    What can be known from the file alone is worked out where the file is read
    (the reader's worker process), so merge's own process only matches rows
    against the master."""

    row: int
    texts: dict[str, str]  # cell_text of each cell; an unchanged row keeps only 编号 of its locked cells
    values: dict[str, object] = field(default_factory=dict)  # cells read as numbers, dates or booleans
    code: str = ""  # its 编号 as compared (header_key)
    unchanged: bool = False  # its locked cells hash as split wrote them (the hash in _meta)

    def text(self, header: str) -> str:
        """The cell as text ("" for a column the file does not have)."""
        return self.texts.get(header, "")

    def value(self, header: str):
        """The cell as read: a number or date as such, text as its (trimmed) text."""
        return self.values.get(header, self.texts.get(header))


@dataclass
class Returned:
    """What a returned file holds, read by header words."""

    path: Path
    fingerprint: str
    sheet: str
    header_row: int  # Excel row number of the header
    columns: dict[str, int]  # header word → 0-based column
    rows: list[ReturnedRow]
    meta: dict[str, str] | None = None  # _meta's key/value pairs, if it survived
    hashes: dict[str, str] = field(default_factory=dict)  # 编号 → hash of the locked text as sent
    title: str = ""  # the text above the table (title, 填报处室, 报送期次 …)
    reporter: str = ""
    phone: str = ""
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based r0, c0, r1, c1
    locked: list[str] = field(default_factory=lambda: list(LOCKED_HEADERS))  # the form's locked columns
    saved: dt.datetime | None = None  # when the office last saved it, by the file's own properties
    unsaved: bool = False  # the form exactly as split wrote it, never saved by an office suite




def check_return_name(path: Path) -> None:
    """SourceError for a file merge cannot take by its name: WPS .et, or not a spreadsheet."""
    suffix = path.suffix.lower()
    if suffix == W.WPS_SUFFIX:
        raise SourceError(W.M_RETURN_ET.format(path=path))
    if suffix not in W.RETURN_SUFFIXES:
        raise SourceError(W.M_RETURN_SUFFIX.format(path=path))


def check_return(path: Path, data: bytes, max_bytes: int = MAX_RETURN_BYTES) -> str:
    """Everything decided before a parser may see the bytes: the name, the size,
    the type by the first bytes (not the name), and that type's own checks (zip
    directory, XML entity declarations, sheet extent; OLE2 password and extent).
    Returns the type (guard.ZIP or guard.OLE); SourceError for anything else."""
    from . import guard

    check_return_name(path)
    if not data:
        raise SourceError(W.M_RETURN_EMPTY_FILE.format(path=path))
    if len(data) > max_bytes:
        raise SourceError(W.M_RETURN_TOO_BIG.format(path=path, size=len(data) // _MB, limit=max_bytes // _MB))
    kind = guard.sniff(data)
    if kind == guard.ZIP:
        check_workbook(path, data, returned=True)
    elif kind == guard.OLE:
        guard.check_xls(path, data)
    elif kind == guard.HTML:
        raise SourceError(W.M_GUARD_HTML.format(path=path, suffix=path.suffix))
    elif kind == guard.TEXT:
        raise SourceError(W.M_GUARD_TEXT.format(path=path, suffix=path.suffix))
    else:
        raise SourceError(W.M_GUARD_UNKNOWN.format(path=path))
    return kind


def read_return(path: Path, data: bytes, max_bytes: int = MAX_RETURN_BYTES) -> Returned:
    """Read the returned file ``path`` whose bytes are ``data``.

    SourceError (naming the file and what to do) when it is not a form merge can
    read: refused by check_return, unreadable, or without the table's header."""
    is_zip = check_return(path, data, max_bytes) == "zip"
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
        meta_rows = _rows(book, W.SHEET_META) if W.SHEET_META in names else None
        found = None
        # 填报 first; then any other sheet holding the table (values copied elsewhere)
        for name in sorted((n for n in names if n != W.SHEET_META), key=lambda n: n != W.SHEET_FORM):
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            header = find_header(rows, REQUIRED_HEADERS, HEADER_SEARCH_ROWS)
            if header is not None:
                found = name, rows, header, sheet.merged_cell_ranges or []
                break
    except QingdanError:
        raise
    except Exception as exc:  # calamine's errors on a broken or foreign file
        raise SourceError(W.M_RETURN_UNREADABLE.format(path=path, reason=_short(exc))) from None
    if found is None:
        raise SourceError(W.M_RETURN_NO_HEADER.format(path=path, headers=W.LIST_JOIN.join(REQUIRED_HEADERS)))
    name, rows, (header_row, columns), merged = found
    if is_zip and not merged:
        merged = _ods_merges(data, name)  # calamine gives no merged ranges for .ods
    returned = Returned(path=path, fingerprint=fingerprint(data), sheet=name, header_row=header_row + 1,
                        columns=columns, rows=_data_rows(rows, header_row, columns),
                        merged=[(r0, c0, r1, c1) for (r0, c0), (r1, c1) in merged])
    above = rows[:header_row]
    returned.title = "\n".join(t for row in above for v in row if (t := cell_text(v)))
    # 填报人 and 联系电话 sit above the table on our forms; people may move them below it
    below = rows[header_row + 1:]
    returned.reporter = _labelled(above, W.H_REPORTER) or _labelled(below, W.H_REPORTER)
    returned.phone = _labelled(above, W.H_PHONE) or _labelled(below, W.H_PHONE)
    if meta_rows is not None:
        returned.meta, returned.hashes = _meta(meta_rows)
        context = (returned.meta or {}).get(W.META_CONTEXT, "")
        returned.locked = locked = locked_headers([h for h in context.split("\t") if h])
        if returned.hashes and all(h in columns for h in locked):
            hashes = returned.hashes
            for row in returned.rows:
                if row.code in hashes and row_hash([row.text(h) for h in locked]) == hashes[row.code]:
                    row.unchanged = True
                    for h in locked[1:]:  # not needed any more: the row goes to merge's process lighter
                        row.texts.pop(h, None)
                        row.values.pop(h, None)
    if is_zip:
        created, returned.saved = _zip_times(data)
        # created == modified: no office suite has saved the file since split wrote it (some
        # tools stamp both, though): untouched only when its answers are also what was sent
        returned.unsaved = (returned.meta is not None and path.suffix.lower() in (".xlsx", ".xlsm")
                            and created is not None and created == returned.saved and _answers_as_sent(returned))
    else:
        returned.saved = _ole_saved_time(data)
    return returned


def _answers_as_sent(returned: Returned) -> bool:
    """Whether the answers of every row split sent are what it wrote (by the hash in
    _meta; a form made before that hash: all blank)."""
    by_code = {row.code: row for row in returned.rows}
    answers = []
    for code in returned.hashes:
        row = by_code.get(code)
        answers.append((code, *(row.text(h) if row else "" for h in FILL_HEADERS)))
    sent = (returned.meta or {}).get(W.META_ANSWERS)
    if sent:
        return answers_digest(answers) == sent
    return not any(any(values) for _, *values in answers)


def _rows(book, name: str) -> list[list]:
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "…"


def _data_rows(rows: list[list], header_row: int, columns: dict[str, int]) -> list[ReturnedRow]:
    """Rows below the header with anything in a column that has a header."""
    out = []
    wanted = [(h, c) for h, c in columns.items() if h]
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        width = len(row)
        texts: dict[str, str] = {}
        values: dict[str, object] = {}
        for h, c in wanted:
            if c < width:
                v = row[c]
                if type(v) is str:  # nearly every cell
                    texts[h] = v.strip()
                else:
                    texts[h] = cell_text(v)
                    if v is not None and v != "":
                        values[h] = v
        if any(texts.values()):
            out.append(ReturnedRow(r + 1, texts, values, header_key(texts.get(W.H_CODE))))
    return out


def _labelled(rows: list[list], label: str) -> str:
    """The value beside a label cell (填报人 → the next filled cell to its right,
    unless that is the next label), or written in the same cell as 填报人：张三;
    the first such label with a value."""
    for row in rows:
        for c, value in enumerate(row):
            key = header_key(value)
            if key == label:
                for v in row[c + 1:]:
                    if header_key(v) in _LABELS:
                        break
                    if text := cell_text(v):
                        return text
            elif key.startswith(label) and key[len(label):len(label) + 1] == ":":
                if text := re.split(r"[:：]", cell_text(value), maxsplit=1)[1].strip():
                    return text
    return ""


_LABELS = {W.H_REPORTER, W.H_PHONE}


def _meta(rows: list[list]) -> tuple[dict[str, str], dict[str, str]]:
    """(key/value pairs, 编号 → locked-text hash) of a form's _meta sheet."""
    return meta_pairs(rows), unpack_hashes(rows)


_ODS_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
}
_MAX_SPAN_ROWS = 100_000  # rows an .ods row element may repeat that are still counted


def _ods_merges(data: bytes, sheet: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Merged ranges of one sheet of an .ods (0-based, as calamine gives them for
    .xlsx/.xls); [] for anything that is not an .ods."""
    table_ns = "{%s}" % _ODS_NS["table"]
    out: list[tuple[tuple[int, int], tuple[int, int]]] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if "content.xml" not in zf.namelist():
                return []
            with zf.open("content.xml") as fh:
                row = -1
                inside = False
                col = 0
                for event, el in SafeET.iterparse(fh, events=("start", "end")):
                    tag = el.tag
                    if tag == table_ns + "table":
                        if event == "start":
                            inside = el.get(table_ns + "name") == sheet
                            row = -1
                        elif inside:
                            break
                        continue
                    if not inside:
                        if event == "end":
                            el.clear()
                        continue
                    if tag == table_ns + "table-row":
                        if event == "start":
                            row += 1
                            col = 0
                        else:
                            repeat = int(el.get(table_ns + "number-rows-repeated", "1"))
                            row += min(repeat, _MAX_SPAN_ROWS) - 1
                            el.clear()
                    elif tag in (table_ns + "table-cell", table_ns + "covered-table-cell") and event == "start":
                        spans = (int(el.get(table_ns + "number-rows-spanned", "1")),
                                 int(el.get(table_ns + "number-columns-spanned", "1")))
                        if spans != (1, 1):
                            out.append(((row, col), (row + spans[0] - 1, col + spans[1] - 1)))
                        col += int(el.get(table_ns + "number-columns-repeated", "1"))
    except Exception:  # merged ranges only sharpen the checks; a file they fail on is read anyway
        return out
    return out


_TIMES = {"docProps/core.xml": ("created", "modified"), "meta.xml": ("creation-date", "date")}


def _zip_times(data: bytes) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(created, last saved) from the document properties, in local time:
    docProps/core.xml for .xlsx/.xlsm, meta.xml for .ods."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for part, (created_tag, saved_tag) in _TIMES.items():
                if part not in zf.namelist() or zf.getinfo(part).file_size > 1_000_000:
                    continue
                found: dict[str, dt.datetime | None] = {}
                for el in SafeET.fromstring(zf.read(part)).iter():
                    tag = el.tag.rsplit("}", 1)[-1]
                    if tag in (created_tag, saved_tag) and el.text and tag not in found:
                        found[tag] = _local_time(el.text.strip())
                return found.get(created_tag), found.get(saved_tag)
    except Exception:  # properties are a nicety: without them the file's own time is used
        pass
    return None, None


def _ole_saved_time(data: bytes) -> dt.datetime | None:
    """The last-saved time of an .xls (its SummaryInformation stream), in local time."""
    try:
        import olefile

        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            when = ole.get_metadata().last_saved_time
    except Exception:  # not OLE2, or no properties
        return None
    if not isinstance(when, dt.datetime) or when.year < 1990:
        return None
    return when.replace(tzinfo=dt.timezone.utc).astimezone().replace(tzinfo=None, microsecond=0)


def _local_time(text: str) -> dt.datetime | None:
    text = re.sub(r"\.\d+", "", text).replace("Z", "+00:00")
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)
    return when
