"""Checks on a zip-based Office file before any parser touches it.

python-calamine aborts the whole process (an uncatchable out-of-memory abort)
on a tiny .xlsx holding one cell at XFD1048576, and every reader balloons on a
zip bomb.  So before a workbook or document is opened, its zip directory and
its sheets' cell references are checked here, with the standard library only.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from pathlib import Path

from defusedxml import ElementTree as SafeET
from xlsxwriter.utility import xl_col_to_name

from . import words as W
from .errors import SourceError

MAX_ENTRIES = 5_000
MAX_ENTRY_BYTES = 200 * 1024 * 1024  # uncompressed, one part
MAX_TOTAL_BYTES = 500 * 1024 * 1024  # uncompressed, all parts
MAX_RATIO = 200  # uncompressed ÷ compressed, for parts over 1 MB
MAX_CELLS = 5_000_000  # rows × columns a sheet may span (calamine allocates them all)
MAX_RETURN_SHEETS = 200  # a 填报表 has two
MAX_TAG = 4 * 1024 * 1024  # bytes one XML tag may take

# A tag is the text between a "<" and the next ">" with no "<" inside, so the
# plain patterns below are tried from one "<" to the next at most: linear in the
# part's size whatever it holds.  A quoted attribute value may hold a ">" (XML
# allows it) or, in a malformed file some readers still accept, a "<": the quoted
# patterns read values whole (up to 4,096 characters, to stay linear).  The full
# scan takes the larger extent of both.  Either quote, spaces around "=", any
# namespace prefix (letters, digits, "-", "." and "_"); lower-case references are
# read by some parsers: all matched.
_PREFIX = rb"(?:[\w.-]+:)?"
_PLAIN = rb"[^<>]*?"
_QUOTED = rb'(?:[^<>"\']|"[^"]{0,4096}"|\'[^\']{0,4096}\')*?'
_CELL_TAIL = rb'\sr\s*=\s*["\']\$?([A-Za-z]{1,3})\$?([0-9]{1,7})["\']'
_ROW_TAIL = rb'\sr\s*=\s*["\']([0-9]{1,7})["\']'
_DIMENSION_TAIL = rb'\sref\s*=\s*["\'](?:[A-Za-z$]{1,4}[0-9$]{1,8}:)?\$?([A-Za-z]{1,3})\$?([0-9]{1,7})["\']'
_CELL_REFS = [re.compile(rb"<" + _PREFIX + rb"c(?=\s)" + attrs + _CELL_TAIL) for attrs in (_PLAIN, _QUOTED)]
_ROW_REFS = [re.compile(rb"<" + _PREFIX + rb"row(?=\s)" + attrs + _ROW_TAIL) for attrs in (_PLAIN, _QUOTED)]
_DIMENSION_REFS = [re.compile(rb"<" + _PREFIX + rb"dimension(?=\s)" + attrs + _DIMENSION_TAIL)
                   for attrs in (_PLAIN, _QUOTED)]
# the usual spelling: a cell (letters and row) or a row (row only, letters b"")
_CANON_TAG = re.compile(rb'<(?:c r="([A-Z]{1,3})|row r=")([0-9]{1,7})"')
_CANON_DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]{1,3}[0-9]{1,7}:)?([A-Z]{1,3})([0-9]{1,7})"')
_ODD_OPENING = re.compile(rb"<(?:c|row)[\t\n\r\x0b\x0c/>]")  # a cell or row tag opened any other way
_MB = 1024 * 1024
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _column_letters(n: int) -> str:
    """The letters of the ``n``-th column (1-based)."""
    return xl_col_to_name(n - 1)


def check_zip(path: Path, zf: zipfile.ZipFile) -> None:
    """Refuse a zip whose directory looks like a bomb or a path-traversal trick."""
    entries = zf.infolist()
    if len(entries) > MAX_ENTRIES:
        raise SourceError(W.M_GUARD_ENTRIES.format(path=path, count=len(entries), limit=MAX_ENTRIES))
    total = 0
    for info in entries:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in posixpath.normpath(name).split("/") or ":" in name:
            raise SourceError(W.M_GUARD_NAME.format(path=path, name=name))
        total += info.file_size
        too_big = info.file_size > MAX_ENTRY_BYTES or total > MAX_TOTAL_BYTES
        packed = info.file_size > _MB and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        if too_big or packed:
            raise SourceError(W.M_GUARD_SIZE.format(path=path, size=max(info.file_size, total) // _MB))


def sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name as users see it, worksheet part name) in workbook order.
    Raises KeyError or a parse error when workbook.xml or its rels are missing or bad."""
    book = SafeET.fromstring(zf.read("xl/workbook.xml"))
    rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
    parts = []
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
        parts.append((sheet.get("name", part), part))
    return parts


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name → the sheet's name as users see it (best effort)."""
    try:
        return {part: name for name, part in sheet_parts(zf)}
    except Exception:  # a workbook without these still gets checked, by part name
        return {}


def _sheet_extent(zf: zipfile.ZipFile, part: str, path: Path | None = None) -> tuple[int, int, str]:
    """(rows, columns, last cell reference) a sheet's cells reach or its <dimension>
    claims (readers allocate by either), read in chunks so a large sheet is
    never held in memory whole."""
    max_row = max_col = 0
    tail = b""
    with zf.open(part) as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            # a tag cut by the chunk boundary is read whole with the next chunk
            start = data.rfind(b"<")
            start = len(data) if start < 0 else start
            body, tail = data[:start], data[start:]
            if len(tail) > MAX_TAG:
                raise SourceError(W.M_GUARD_TAG.format(path=path, part=part, size=len(tail) // _MB))
            rows, cols = _extent(body)
            max_row, max_col = max(max_row, rows), max(max_col, cols)
    rows, cols = _extent(tail)  # the part's last tag
    max_row, max_col = max(max_row, rows), max(max_col, cols)
    return max_row, max_col, f"{_column_letters(max_col)}{max_row}"


def _extent(body: bytes) -> tuple[int, int]:
    """(last row, last column) the tags in ``body`` name.  Files written by Office,
    WPS, LibreOffice or xlsxwriter spell every cell, row and dimension tag one way
    (``<c r="A1"``): when each tag found is spelled so, a fast literal scan does;
    any other spelling falls back to patterns that read every form."""
    found = _CANON_TAG.findall(body)
    dimensions = _CANON_DIMENSION.findall(body) if b"dimension" in body else []
    canonical = (b":c" not in body and b":row" not in body
                 and len(found) == body.count(b"<c ") + body.count(b"<row ")
                 and len(dimensions) == body.count(b"dimension")
                 and not _ODD_OPENING.search(body))
    if canonical:
        found += dimensions  # row tags are in it with no letters
    else:
        found = [ref for pattern in _CELL_REFS for ref in pattern.findall(body)]
        found += [(b"", row) for pattern in _ROW_REFS for row in pattern.findall(body)]
        if b"dimension" in body:
            found += [ref for pattern in _DIMENSION_REFS for ref in pattern.findall(body)]
    if not found:
        return 0, 0
    # the few distinct column letters and row numbers are compared, not every tag's
    return max(map(int, {r for _, r in found})), max(_letters_number(c) for c in {c for c, _ in found})


_NESTED = (".zip", ".rar", ".7z", ".gz", ".tar", ".xlsx", ".xlsm", ".xls", ".docx", ".doc", ".et", ".ods", ".bin")


def _letters_number(letters: bytes) -> int:
    """The 1-based number of the column named by ``letters`` (b"XFD" → 16384), however
    many letters a hostile file gives (xlsxwriter.utility stops at three)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _check_dtd(path: Path, zf: zipfile.ZipFile, data: bytes | None = None) -> None:
    """Refuse XML parts that declare a DOCTYPE or entities (billion laughs, external entities)."""
    for info in zf.infolist():
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        head = _head(zf, info, data, 4096)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise SourceError(W.M_GUARD_DTD.format(path=path, part=info.filename))


def packed_part(data: bytes, info: zipfile.ZipInfo) -> memoryview | None:
    """A part's compressed bytes, found through its local header in the zip's
    bytes ``data``; None when they cannot be taken as they are (encrypted, a
    method other than stored or deflated, a local header that is missing, names
    another part or is cut short): the caller then goes through zipfile."""
    start = info.header_offset
    if (info.flag_bits & 0x1 or data[start:start + 4] != b"PK\x03\x04"
            or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)):
        return None
    flags, = struct.unpack_from("<H", data, start + 6)
    name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
    name = bytes(data[start + 30:start + 30 + name_len]).decode("utf-8" if flags & 0x800 else "cp437", "replace")
    begin = start + 30 + name_len + extra_len
    packed = memoryview(data)[begin:begin + info.compress_size]
    if name != info.orig_filename or len(packed) != info.compress_size:
        return None
    return packed


def _head(zf: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes | None, size: int) -> bytes:
    """The first ``size`` bytes of a part.  With the zip's bytes at hand they are
    inflated straight from them (a workbook has a dozen small parts, and opening
    each through zipfile costs more than reading it); anything unusual (see
    packed_part, or a stream that gives less than it should) goes through
    zipfile, which reads or refuses it as it always did."""
    packed = packed_part(data, info) if data is not None else None
    if packed is not None:
        if info.compress_type == zipfile.ZIP_STORED:
            head = bytes(packed[:size])
        else:
            try:
                # all of the part's input may be needed: a stream may open with any number of empty blocks
                head = zlib.decompressobj(-15).decompress(packed, size)
            except zlib.error:
                head = b""
        if len(head) == min(size, info.file_size):
            if info.file_size <= size and zlib.crc32(head) != info.CRC:
                # read whole, so checked as zipfile checks it: a damaged part is refused here
                raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
            return head
    with zf.open(info) as fh:
        return fh.read(size)


def _ods_extent(zf: zipfile.ZipFile) -> tuple[str, int, int]:
    """(sheet, rows, columns) of the largest area an .ods's tables fill: the last
    row and the last column that hold something, counting repeats (trailing
    empty repeats are how LibreOffice writes every sheet and cost nothing)."""
    table_ns = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    office_ns = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    worst = ("", 0, 0)
    name, row, col, row_repeat, filled_cols = "", 0, 0, 1, 0
    max_rows = max_cols = 0
    with zf.open("content.xml") as fh:
        for event, el in SafeET.iterparse(fh, events=("start", "end")):
            tag = el.tag
            if tag == table_ns + "table":
                if event == "start":
                    name, row, max_rows, max_cols = el.get(table_ns + "name", ""), 0, 0, 0
                elif max_rows * max_cols > worst[1] * worst[2]:
                    worst = (name, max_rows, max_cols)
            elif tag == table_ns + "table-row":
                if event == "start":
                    col, filled_cols = 0, 0
                    row_repeat = int(el.get(table_ns + "number-rows-repeated", "1"))
                else:
                    if filled_cols:
                        max_rows = max(max_rows, row + row_repeat)
                        max_cols = max(max_cols, filled_cols)
                    row += row_repeat
                    el.clear()
            elif tag in (table_ns + "table-cell", table_ns + "covered-table-cell") and event == "end":
                repeat = int(el.get(table_ns + "number-columns-repeated", "1"))
                col += repeat
                if el.get(office_ns + "value-type") or len(el):
                    filled_cols = col
    return worst


def check_workbook(path: Path, data: bytes | None = None, returned: bool = False) -> None:
    """Refuse an .xlsx/.xlsm/.ods whose zip, XML or sheet extent would take a
    reader down: entry count and sizes, DOCTYPE/entity declarations, the cells a
    sheet declares (<dimension>) or reaches.  ``returned``: a file from an office,
    which must not embed other archives or documents either.
    ``data``, when given, is the file already read (``path`` then only names it).
    Does nothing for files that are not zips (see check_xls)."""
    source = io.BytesIO(data) if data is not None else path
    if not zipfile.is_zipfile(source):
        if returned:  # it starts like a zip (see sniff) but has no directory: cut short
            raise SourceError(W.M_GUARD_TRUNCATED.format(path=path))
        return
    try:
        with zipfile.ZipFile(source) as zf:
            check_zip(path, zf)
            if returned:
                for name in zf.namelist():
                    if name.lower().endswith(_NESTED):
                        raise SourceError(W.M_GUARD_NESTED.format(path=path, name=name))
                sheets = sum(1 for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))
                if sheets > MAX_RETURN_SHEETS:
                    raise SourceError(W.M_GUARD_SHEETS.format(path=path, count=sheets, limit=MAX_RETURN_SHEETS))
            _check_dtd(path, zf, data)
            names = _sheet_names(zf)
            # every sheet the workbook names, wherever its part is, and any part in xl/worksheets
            parts = {n for n in names if n in zf.namelist()}
            parts |= {n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")}
            for part in sorted(parts):
                rows, cols, last = _sheet_extent(zf, part, path)
                if rows * cols > MAX_CELLS:
                    raise SourceError(W.M_GUARD_EXTENT.format(
                        path=path, sheet=names.get(part, part), ref=last, rows=rows, cols=cols))
            if "content.xml" in zf.namelist():
                sheet, rows, cols = _ods_extent(zf)
                if rows * cols > MAX_CELLS:
                    raise SourceError(W.M_GUARD_EXTENT.format(
                        path=path, sheet=sheet, ref=f"{_column_letters(cols)}{rows}", rows=rows, cols=cols))
    except SourceError:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError, SafeET.ParseError) as exc:
        raise SourceError(W.M_NOT_WORKBOOK.format(path=path, detail=exc)) from None
    except Exception as exc:  # defusedxml's refusals (entities, DTD) and anything else odd
        raise SourceError(W.M_GUARD_DTD.format(path=path, part=type(exc).__name__)) from None


# --- what a file really is ---------------------------------------------------------------

ZIP, OLE, HTML, TEXT, UNKNOWN = "zip", "ole", "html", "text", "unknown"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> str:
    """The file's type by its first bytes, whatever its name says."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return ZIP
    if data.startswith(_OLE_MAGIC):
        return OLE
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml", b"<meta", b"<head", b"<body")):
        return HTML
    sample = data[:4096]
    for encoding in ("utf-8", "gb18030", "utf-16"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError as exc:
            if len(data) <= len(sample) or exc.start < len(sample) - 4:
                continue
            text = sample[:exc.start].decode(encoding)  # a character cut in two by the sample's end
        printable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
        if text and printable / len(text) > 0.95:
            return TEXT
    return UNKNOWN


# BIFF8 records that hold a cell: (row, column) are their first two u16 values
_XLS_CELLS = {0x0006, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00BD, 0x00BE, 0x0207}
_XLS_FILEPASS, _XLS_DIMENSIONS = 0x002F, 0x0200


def check_xls(path: Path, data: bytes) -> None:
    """Refuse an OLE2 file that is password protected, or whose sheets declare or
    reach more cells than a reader can take (it allocates them all)."""
    import struct

    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(s) for s in ole.listdir()}
            if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
                raise SourceError(W.M_GUARD_ENCRYPTED.format(path=path))
            book = next((s for s in ("Workbook", "Book") if s in streams), None)
            if book is None:
                raise SourceError(W.M_GUARD_XLS.format(path=path, reason="Workbook"))
            stream = ole.openstream(book).read()
    except SourceError:
        raise
    except Exception as exc:  # olefile's errors on a damaged container
        raise SourceError(W.M_GUARD_XLS.format(path=path, reason=exc)) from None
    pos, rows, cols = 0, 0, 0
    while pos + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4:pos + 4 + size]
        pos += 4 + size
        if kind == _XLS_FILEPASS:
            raise SourceError(W.M_GUARD_ENCRYPTED.format(path=path))
        if kind == _XLS_DIMENSIONS and len(body) >= 12:
            _, last_row, _, last_col = struct.unpack_from("<IIHH", body)
            rows, cols = max(rows, last_row), max(cols, last_col)
        elif kind in _XLS_CELLS and len(body) >= 4:
            row, col = struct.unpack_from("<HH", body)
            if kind in (0x00BD, 0x00BE) and len(body) >= 6:
                col = struct.unpack_from("<H", body, len(body) - 2)[0]
            rows, cols = max(rows, row + 1), max(cols, col + 1)
    if rows * cols > MAX_CELLS:
        raise SourceError(W.M_GUARD_EXTENT.format(path=path, sheet=book, ref=f"{_column_letters(cols)}{rows}",
                                                  rows=rows, cols=cols))
