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
import zipfile
import zlib
from pathlib import Path

from defusedxml import ElementTree as SafeET

from . import words as W
from .errors import SourceError

MAX_ENTRIES = 5_000
MAX_ENTRY_BYTES = 200 * 1024 * 1024  # uncompressed, one part
MAX_TOTAL_BYTES = 500 * 1024 * 1024  # uncompressed, all parts
MAX_RATIO = 200  # uncompressed ÷ compressed, for parts over 1 MB
MAX_CELLS = 5_000_000  # rows × columns a sheet may span (calamine allocates them all)

_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="([0-9]{1,7})"')
_MB = 1024 * 1024
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


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


def _sheet_extent(zf: zipfile.ZipFile, part: str) -> tuple[int, int, str]:
    """(rows, columns, last cell reference) a sheet's cells actually reach, read
    in chunks so a large sheet is never held in memory whole."""
    max_row = max_col = 0
    tail = b""
    with zf.open(part) as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            for m in _CELL_REF.finditer(data):
                max_col = max(max_col, _column_number(m[1]))
                max_row = max(max_row, int(m[2]))
            for m in _ROW_REF.finditer(data):
                max_row = max(max_row, int(m[1]))
            tail = data[-256:]  # a tag cut by the chunk boundary is matched again next round
    return max_row, max_col, f"{_column_letters(max_col)}{max_row}"


def check_workbook(path: Path, data: bytes | None = None) -> None:
    """Refuse an .xlsx/.xlsm whose zip or sheet extent would take a reader down.
    ``data``, when given, is the file already read (``path`` then only names it).
    Does nothing for files that are not zips (.xls is checked by its reader)."""
    source = io.BytesIO(data) if data is not None else path
    if not zipfile.is_zipfile(source):
        return
    try:
        with zipfile.ZipFile(source) as zf:
            check_zip(path, zf)
            names = _sheet_names(zf)
            for part in (n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")):
                rows, cols, last = _sheet_extent(zf, part)
                if rows * cols > MAX_CELLS:
                    raise SourceError(W.M_GUARD_EXTENT.format(
                        path=path, sheet=names.get(part, part), ref=last, rows=rows, cols=cols))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError) as exc:
        raise SourceError(W.M_NOT_WORKBOOK.format(path=path, detail=exc)) from None
