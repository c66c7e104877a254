"""Reading a list document's file into lines of text and tables of cells.

.txt (UTF-8, UTF-8 with BOM, UTF-16 with or without BOM, GB18030), .docx
(paragraphs and tables, see wordfile.py), .xlsx/.xlsm/.xls/.ods (read by
content, not by name) and .csv/tab-separated text.  Anything unreadable, or a
file that is really something else, becomes a SourceError naming the file and
what to do.  Zip-based files pass guard.py before any parser sees them.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from . import words as W
from .cells import cell_text
from .errors import SourceError, UsageError
from .guard import check_workbook, check_zip

_TEXT_TYPES = {".txt", ".text"}
_WORD_TYPES = {".docx"}
_SHEET_TYPES = {".xlsx", ".xlsm", ".xls", ".ods"}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc and password-protected Office files
MAX_SOURCE_BYTES = 100 * 2**20


@dataclass
class Table:
    """A table of cell texts: a sheet of a workbook or a table of a Word document."""

    name: str
    rows: list[list[str]]
    is_sheet: bool


@dataclass
class Source:
    """What a file holds before any parsing: lines of text and tables, in document order."""

    blocks: list[str | Table] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)  # sheets not read because hidden

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def lines(self) -> list[str]:
        return [b for b in self.blocks if isinstance(b, str)]


def _decode_text(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError:
            raise SourceError(W.M_ENCODING.format(path=path)) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise SourceError(W.M_ENCODING.format(path=path)) from None
    if b"\x00" in data:
        # UTF-16 without a byte-order mark (some exporters write it): accept it
        # only when it reads as text, else this is no text file at all.
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not any(unicodedata.category(ch) in ("Cc", "Cn", "Co") and ch not in "\r\n\t" for ch in text):
                return text
        raise SourceError(W.M_BINARY_TEXT.format(path=path))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise SourceError(W.M_ENCODING.format(path=path)) from None
    # GB18030 maps almost any byte string somewhere; private-use or unassigned
    # characters mean the file was in some other encoding.
    if any(unicodedata.category(ch) in ("Co", "Cn") for ch in text):
        raise SourceError(W.M_ENCODING.format(path=path))
    return text


def _what_is_it(path: Path, data: bytes) -> str:
    """A word on what a mislabelled file really is, or ''."""
    if data.startswith(b"%PDF"):
        return W.M_REALLY_PDF
    if data.lstrip()[:15].lower().startswith((b"<html", b"<!doctype", b"<?xml")):
        return W.M_REALLY_HTML
    if data.startswith(OLE2_MAGIC):
        return W.M_REALLY_OLD_OFFICE
    if _is_zip(data):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, EOFError):
            return ""
        if "word/document.xml" in names:
            return W.M_REALLY_DOCX
        if "xl/workbook.xml" in names:
            return W.M_REALLY_XLSX
    return ""


def _is_zip(data: bytes) -> bool:
    return zipfile.is_zipfile(io.BytesIO(data))


def _read_text(path: Path, data: bytes) -> Source:
    return Source(blocks=_decode_text(path, data).splitlines())


def _read_csv(path: Path, data: bytes) -> Source:
    csv.field_size_limit(2**31 - 1)  # a long task text is not an error (the file size is already bounded)
    text = _decode_text(path, data)
    head = text[:4096]
    delimiter = "\t" if head.count("\t") > head.count(",") else ","  # tab-separated exports too
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise SourceError(W.M_BAD_CSV.format(path=path, reason=exc)) from None
    return Source(blocks=[Table(path.stem, rows, True)])


def _read_docx(path: Path, data: bytes) -> Source:
    real = _what_is_it(path, data)
    if real == W.M_REALLY_OLD_OFFICE:
        raise SourceError(W.M_DOC_IS_OLD.format(path=path))
    if real == W.M_REALLY_XLSX:
        raise SourceError(W.M_WRONG_EXTENSION.format(path=path, real=real, right=".xlsx"))
    if real not in ("", W.M_REALLY_DOCX) or not _is_zip(data):
        raise SourceError(W.M_NOT_DOCX.format(path=path, detail=f"，{real}" if real else ""))
    from .wordfile import read_blocks  # python-docx is imported only when a .docx is read

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_zip(path, zf)
        source = Source()
        for block in read_blocks(io.BytesIO(data)):
            if isinstance(block, str):
                source.blocks.append(block)
            else:
                source.blocks.append(Table(W.M_DOCX_TABLE.format(n=len(source.tables) + 1), block, False))
    except SourceError:
        raise
    except Exception:  # python-docx raises many kinds on a damaged file, none worth showing
        raise SourceError(W.M_NOT_DOCX.format(path=path, detail=W.M_DAMAGED)) from None
    return source


def _read_sheets(path: Path, data: bytes) -> Source:
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    is_zip, is_ole = _is_zip(data), data.startswith(OLE2_MAGIC)
    real = _what_is_it(path, data)
    if not (is_zip or is_ole):
        if path.suffix.lower() == ".xls" and not real:
            try:  # many systems export tab-separated text under the name .xls
                return _read_csv(path, data)
            except SourceError:
                pass
        raise SourceError(W.M_NOT_WORKBOOK.format(path=path, detail=real or W.M_UNKNOWN_FORMAT))
    if real == W.M_REALLY_DOCX:
        raise SourceError(W.M_WRONG_EXTENSION.format(path=path, real=real, right=".docx"))
    check_workbook(path, data)
    source = Source()
    try:
        # from the content, not the name: an .xls renamed .xlsx reads as what it is
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for meta in book.sheets_metadata:
            name = meta.name
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            if meta.visible != SheetVisibleEnum.Visible:
                if name != W.SHEET_DERIVED:  # a master's own record of derived deadlines: nothing to say
                    source.hidden.append(name)  # an old round or a helper list, not the list itself
                continue
            sheet = book.get_sheet_by_name(name)
            rows = [[cell_text(v, chinese_dates=True) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            # a merged range reads as its top-left value in every cell, as in Word
            for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
                top_left = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else ""
                for r in range(r0, min(r1 + 1, len(rows))):
                    for c in range(c0, min(c1 + 1, len(rows[r]))):
                        rows[r][c] = top_left
            source.blocks.append(Table(name, rows, True))
    except PasswordError:
        raise SourceError(W.M_ENCRYPTED.format(path=path)) from None
    except Exception as exc:  # calamine raises its own error kinds on damaged files
        raise SourceError(W.M_NOT_WORKBOOK.format(path=path, detail=W.M_DAMAGED_DETAIL.format(detail=exc))) from None
    return source


_READERS = {**dict.fromkeys(_TEXT_TYPES, _read_text), **dict.fromkeys(_WORD_TYPES, _read_docx),
            **dict.fromkeys(_SHEET_TYPES, _read_sheets), ".csv": _read_csv}


def read_source(path: Path) -> Source:
    """Read a source file into lines and tables; SourceError on anything unreadable."""
    if not path.exists():
        raise UsageError(W.M_SOURCE_MISSING.format(path=path))  # a path mistyped: exit 2, as merge
    if path.is_dir():
        raise SourceError(W.M_SOURCE_IS_DIR.format(path=path))
    ext = path.suffix.lower()
    if ext not in _READERS and ext != ".doc":
        raise SourceError(W.M_SOURCE_TYPE.format(path=path, ext=ext or path.name))
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise SourceError(W.M_TOO_BIG.format(path=path, size=size // 2**20, limit=MAX_SOURCE_BYTES // 2**20))
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(W.M_SOURCE_UNREADABLE.format(path=path, reason=exc.strerror or exc)) from None
    if not data.strip():
        raise SourceError(W.M_SOURCE_EMPTY.format(path=path))
    if data.startswith(OLE2_MAGIC) and "EncryptedPackage".encode("utf-16-le") in data:
        raise SourceError(W.M_ENCRYPTED.format(path=path))  # a password-protected .docx/.xlsx
    if ext == ".doc":  # by what it holds: a .docx or a text file renamed .doc is read as such
        from .guard import TEXT, ZIP, sniff

        ext = {ZIP: ".docx", TEXT: ".txt"}.get(sniff(data), "")
        if not ext:
            raise SourceError(W.M_DOC_IS_OLD.format(path=path))
    return _READERS[ext](path, data)
