"""Step 1 of the cycle, ``qingdan import``: a list document becomes the master.

Sources: .txt (UTF-8, UTF-8 with BOM, UTF-16 with BOM or GB18030), .docx
(paragraphs and tables) and .xlsx/.xlsm/.xls (a table).  Two shapes are understood:

* paragraph form: ``一、`` parts, ``（一）`` categories, ``1.`` items with their
  text over several lines, then field lines ``责任处室：…``;
* table form: a header row found by its words anywhere in the first rows, title
  rows above it, part and category rows or columns (merged cells carried down).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from . import words as W
from .deadlines import parse_deadline
from .errors import MasterError, SourceError
from .files import BACKUP_DIR, atomic_write, backup, refuse_if_open
from .master import LogEntry, progress_rows, write_new_master
from .model import ParsedList, Problem, Task
from .offices import merge_roles, safe_filename

_MARKER = re.compile(r"#{2}\s*[A-Za-z_]+\s*#{2}")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u2060"), None)
_CN_NUM = "一二三四五六七八九十百零〇"
_PART = re.compile(rf"^([{_CN_NUM}]+)\s*[、.．]\s*(.+)$")
_CATEGORY = re.compile(rf"^[（(]\s*([{_CN_NUM}]+)\s*[)）]\s*[、.．]?\s*(.+)$")
_ITEM = re.compile(r"^(\d{1,3})\s*(?:[.．、](?!\d)|[)）])\s*(.*)$")
_FIELD = re.compile(
    r"^(" + "|".join(sorted(W.FIELD_WORDS, key=len, reverse=True)) + r")\s*[:：]\s*(.*)$"
)
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
_HEADER_SCAN_ROWS = 30
_OFFICE_ROLES = {W.FIELD_LEAD_OFFICE, W.FIELD_OFFICE, W.FIELD_HELP_OFFICE}
_TEXT_TYPES = {".txt", ".text", ".csv"}
_WORD_TYPES = {".docx", ".docm"}
_SHEET_TYPES = {".xlsx", ".xlsm", ".xls", ".ods"}


def clean_text(text: str) -> str:
    """Remove stray markers (##paidbegin##), invisible characters and outer spaces."""
    text = _MARKER.sub("", text).translate(_INVISIBLE)
    return text.replace("\xa0", " ").strip(" \t\r\n\u3000")


def _join(parts: list[str]) -> str:
    """Join text lines of one paragraph: no space between CJK, one between Latin words."""
    out = ""
    for part in filter(None, (clean_text(p) for p in parts)):
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


# --- reading the source --------------------------------------------------------


@dataclass
class _Source:
    """What a file holds, before any parsing: lines of text and tables of cells."""

    lines: list[str] = field(default_factory=list)
    tables: list[tuple[str, list[list[str]]]] = field(default_factory=list)  # (sheet/table name, rows)


def _decode_text(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise SourceError(W.M_BINARY_TEXT.format(path=path))
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # GB18030 decodes many byte strings; only accept a result that reads as text.
        if sum(1 for ch in text if unicodedata.category(ch) in ("Co", "Cn", "Cc") and ch not in "\r\n\t") == 0:
            return text
    raise SourceError(W.M_ENCODING.format(path=path))


def _read_text(path: Path, data: bytes) -> _Source:
    return _Source(lines=_decode_text(path, data).splitlines())


def _read_docx(path: Path, data: bytes) -> _Source:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SourceError(W.M_DOC_IS_OLD.format(path=path))
    if not zipfile.is_zipfile(path):
        raise SourceError(W.M_NOT_DOCX.format(path=path, detail=_sniff(data)))
    import docx  # heavy: imported only when a .docx is read
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        source = _Source()
        for n, block in enumerate(document.iter_inner_content(), 1):
            if isinstance(block, Table):
                rows = [[cell.text for cell in row.cells] for row in block.rows]
                source.tables.append((f"表格{len(source.tables) + 1}", rows))
            else:
                source.lines.extend(block.text.split("\n"))
    except SourceError:
        raise
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise SourceError(W.M_NOT_DOCX.format(path=path, detail=f"：{exc}")) from None
    return source


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def _read_sheets(path: Path, data: bytes) -> _Source:
    from python_calamine import CalamineWorkbook

    if not (zipfile.is_zipfile(path) or data.startswith(b"\xd0\xcf\x11\xe0")):
        raise SourceError(W.M_NOT_WORKBOOK.format(path=path, detail=_sniff(data).strip("，")))
    source = _Source()
    try:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            rows = [[_cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
                top_left = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else ""
                for r in range(r0, min(r1 + 1, len(rows))):
                    for c in range(c0, min(c1 + 1, len(rows[r]))):
                        rows[r][c] = top_left
            source.tables.append((name, rows))
    except SourceError:
        raise
    except Exception as exc:  # calamine raises its own error kinds on damaged files
        raise SourceError(W.M_NOT_WORKBOOK.format(path=path, detail=str(exc))) from None
    return source


def _sniff(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return "，它其实是 PDF 文件"
    if data.lstrip()[:15].lower().startswith((b"<html", b"<!doctype")):
        return "，它其实是网页文件"
    return ""


def read_source(path: Path) -> _Source:
    """Read a source file into lines and tables; SourceError on anything unreadable."""
    if not path.exists():
        raise SourceError(W.M_SOURCE_MISSING.format(path=path))
    if path.is_dir():
        raise SourceError(W.M_SOURCE_IS_DIR.format(path=path))
    ext = path.suffix.lower()
    readers = {**dict.fromkeys(_TEXT_TYPES, _read_text), **dict.fromkeys(_WORD_TYPES, _read_docx),
               **dict.fromkeys(_SHEET_TYPES, _read_sheets)}
    if ext == ".doc":
        raise SourceError(W.M_DOC_IS_OLD.format(path=path))
    if ext not in readers:
        raise SourceError(W.M_SOURCE_TYPE.format(path=path, ext=ext or path.name))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(W.M_SOURCE_UNREADABLE.format(path=path, reason=exc.strerror or exc)) from None
    if not data.strip():
        raise SourceError(W.M_SOURCE_EMPTY.format(path=path))
    return readers[ext](path, data)


# --- building tasks --------------------------------------------------------------


@dataclass
class _Item:
    """An item as found in the document, before 编号 and deadline are worked out."""

    part: str
    category: str
    seq: str
    text_lines: list[str]
    where: str
    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, role: str, value: str) -> None:
        if value.strip():
            self.fields.setdefault(role, []).append(value)

    def get(self, role: str) -> str:
        return "，".join(v for v in (clean_text(x) for x in self.fields.get(role, [])) if v)


class _Builder:
    """Collects items under the current part and category, then makes Tasks."""

    def __init__(self) -> None:
        self.items: list[_Item] = []
        self.part: str | None = None
        self.category = ""
        self.problems: list[Problem] = []

    def new_part(self, name: str) -> None:
        self.part, self.category = name, ""

    def new_item(self, seq: str, text: str, where: str) -> _Item:
        item = _Item(self.part or "", self.category, seq, [text], where)
        self.items.append(item)
        return item

    def tasks(self, title: str, year: int | None) -> list[Task]:
        part_numbers: dict[str, int] = {}
        counts: dict[str, int] = {}
        for item in self.items:
            part_numbers.setdefault(item.part, len(part_numbers) + 1)
            counts[item.part] = counts.get(item.part, 0) + 1
        tasks, position = [], dict.fromkeys(part_numbers, 0)
        for item in self.items:
            position[item.part] += 1
            n = position[item.part]
            width = max(2, len(str(counts[item.part])))
            code = f"{part_numbers[item.part]}-{n:0{width}d}"
            if item.seq.isdigit() and int(item.seq) != n:
                self.problems.append(Problem(code, W.P_SEQ_GAP.format(seq=item.seq, expected=n)))
            schedule = item.get(W.FIELD_SCHEDULE)
            deadline = parse_deadline(schedule, year)
            if deadline.problem:
                self.problems.append(Problem(code, deadline.problem))
            offices = merge_roles(
                item.get(W.FIELD_LEAD_OFFICE), item.get(W.FIELD_OFFICE), item.get(W.FIELD_HELP_OFFICE)
            )
            tasks.append(Task(
                code=code,
                part=item.part or title,
                category=item.category,
                seq=item.seq or str(n),
                text=_join(item.text_lines),
                leader=item.get(W.FIELD_LEADER),
                offices=offices,
                schedule=schedule,
                deadline=deadline.date,
                kind=deadline.kind,
                note=item.get(W.FIELD_NOTE),
            ))
        return tasks


def _parse_paragraphs(lines: list[str], builder: _Builder) -> list[str]:
    """Fill ``builder`` from paragraph-form lines; return the lines before the first
    heading or item (title and preamble)."""
    preamble: list[str] = []
    item: _Item | None = None
    last_role: str | None = None  # continuation lines belong to the last field seen
    for number, raw in enumerate(lines, 1):
        line = clean_text(raw)
        if not line:
            continue
        if m := _PART.match(line):
            builder.new_part(clean_text(m[2]))
            item, last_role = None, None
        elif m := _CATEGORY.match(line):
            if builder.part is None:
                builder.new_part("")
            builder.category = clean_text(m[2])
            item, last_role = None, None
        elif m := _ITEM.match(line):
            item, last_role = builder.new_item(m[1], m[2], f"第 {number} 行"), None
        elif m := _FIELD.match(line):
            if item is None:
                builder.problems.append(Problem("", W.P_FIELD_BEFORE_ITEM.format(line=number, text=line)))
                continue
            last_role = W.FIELD_WORDS[m[1]]
            item.add(last_role, m[2])
        elif item is not None:
            if last_role is None:
                item.text_lines.append(line)
            else:
                item.add(last_role, line)
        elif builder.part is None and not builder.items:
            preamble.append(line)
    return preamble


# --- table form ---------------------------------------------------------------------


def _header_key(text: str) -> str:
    return re.sub(r"\s+", "", clean_text(text))


def _header_role(text: str) -> str | None:
    key = _header_key(text)
    if not key:
        return None
    if key in W.TABLE_HEADER_WORDS:
        return W.TABLE_HEADER_WORDS[key]
    # 责任处室（单位）, 时间进度安排及完成时限 …: the longest known word inside the cell.
    for word in sorted(W.TABLE_HEADER_WORDS, key=len, reverse=True):
        if len(word) >= 2 and word in key and len(key) <= len(word) + 8:
            return W.TABLE_HEADER_WORDS[word]
    return None


def _find_header(rows: list[list[str]]) -> tuple[int, dict[int, str]] | None:
    best: tuple[int, dict[int, str]] | None = None
    for r, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        roles = {c: role for c, cell in enumerate(row) if (role := _header_role(cell))}
        distinct = set(roles.values())
        if len(distinct) >= 2 and (best is None or len(distinct) > len(set(best[1].values()))):
            best = (r, roles)
    return best


def _heading_kind(text: str) -> tuple[str, str]:
    """('part' | 'category', name) for a heading row's text."""
    if m := _PART.match(text):
        return "part", clean_text(m[2])
    if m := _CATEGORY.match(text):
        return "category", clean_text(m[2])
    if text.endswith("清单"):
        return "part", text
    return "category", text


def _parse_table(path: Path, sheet: str, rows: list[list[str]], builder: _Builder) -> list[str] | None:
    """Fill ``builder`` from one table; return its title lines, or None when the
    table has no header row."""
    found = _find_header(rows)
    if found is None:
        return None
    header_row, roles = found
    if W.COL_TASK not in roles.values():
        headers = "、".join(clean_text(rows[header_row][c]) for c in sorted(roles))
        raise SourceError(W.M_NO_TASK_COLUMN.format(path=path, sheet=sheet, row=header_row + 1, headers=headers))
    title = [t for row in rows[:header_row] for t in dict.fromkeys(clean_text(c) for c in row) if t]
    header = [_header_key(c) for c in rows[header_row]]

    def cols(role: str) -> list[int]:
        return [c for c, r in sorted(roles.items()) if r == role]

    def value(row: list[str], role: str) -> str:
        # a line break inside an office cell separates offices; inside text it does not
        join = W.OFFICE_SEPARATOR.join if role in _OFFICE_ROLES else _join
        values = [join([clean_text(x) for x in row[c].splitlines() if clean_text(x)])
                  for c in cols(role) if c < len(row)]
        return "，".join(dict.fromkeys(v for v in values if v))

    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        distinct = list(dict.fromkeys(t for t in (clean_text(c) for c in row) if t))
        if not distinct or [_header_key(c) for c in row] == header:
            continue
        task, seq = value(row, W.COL_TASK), value(row, W.COL_SEQ)
        heading = None
        if len(distinct) == 1 and (not task or task == distinct[0]):
            heading = _heading_kind(distinct[0])
        elif len(distinct) == 2 and seq and not (value(row, W.FIELD_SCHEDULE) or value(row, W.FIELD_OFFICE)):
            # 序号 cell "一" / "（一）" beside the heading text
            name = distinct[1] if distinct[0] == seq else distinct[0]
            if re.fullmatch(rf"[{_CN_NUM}]+[、.．]?", seq):
                heading = ("part", _heading_kind(name)[1])
            elif re.fullmatch(rf"[（(][{_CN_NUM}]+[)）]", seq):
                heading = ("category", _heading_kind(name)[1])
        if heading:
            if heading[0] == "part":
                builder.new_part(heading[1])
            else:
                builder.category = heading[1]
            continue
        if part := value(row, W.COL_PART):
            part = _heading_kind(part)[1]
            if part != builder.part:
                builder.new_part(part)
        if category := value(row, W.COL_CATEGORY):
            builder.category = _heading_kind(category)[1]
        if not task:
            continue
        item = builder.new_item(seq, task, f"“{sheet}”第 {r + 1} 行")
        for role in (W.FIELD_LEADER, W.FIELD_LEAD_OFFICE, W.FIELD_OFFICE, W.FIELD_HELP_OFFICE,
                     W.FIELD_SCHEDULE, W.FIELD_NOTE):
            item.add(role, value(row, role))
    return title


def parse_document(path: str | Path, year: int | None = None) -> ParsedList:
    """Read and parse a list document into tasks (no file is written).

    ``year`` overrides the year found in the document's title.
    """
    path = Path(path)
    source = read_source(path)
    builder = _Builder()
    title_lines: list[str] | None = None
    for name, rows in source.tables:
        title = _parse_table(path, name, rows, builder)
        if title is not None and builder.items:
            title_lines = title or [clean_text(x) for x in source.lines if clean_text(x)]
            break
    if title_lines is None:
        if source.tables and not source.lines:
            raise SourceError(W.M_NO_TABLE_HEADER.format(path=path, rows=_HEADER_SCAN_ROWS))
        builder = _Builder()
        title_lines = _parse_paragraphs(source.lines, builder)
    if not builder.items:
        raise SourceError(W.M_NO_ITEMS.format(path=path))
    title = title_lines[0] if title_lines else path.stem
    if year is None and (m := _YEAR_IN_TITLE.search(title)):
        year = int(m[1])
    tasks = builder.tasks(title, year)
    return ParsedList(source=path.name, title=title, year=year, tasks=tasks, problems=builder.problems)


# --- the import step -------------------------------------------------------------------


@dataclass
class ImportResult:
    """What ``import_document`` did."""

    parsed: ParsedList
    master: Path
    backup: Path | None


def default_master_path(parsed: ParsedList, folder: Path = Path("workbooks")) -> Path:
    """``workbooks/<清单名称>.xlsx``."""
    return folder / f"{safe_filename(parsed.title)}.xlsx"


def import_document(source: str | Path, master: str | Path | None = None, year: int | None = None,
                    force: bool = False, now: dt.datetime | None = None) -> ImportResult:
    """Turn a list document into a new master workbook.

    ``master`` is the file to write, or a folder to write ``<清单名称>.xlsx`` into
    (default: ``workbooks/``).  Refuses to overwrite an existing master unless ``force``, and always when it
    already holds rows in 进展.  The old file is backed up before it is replaced;
    the new one is written to a temporary file and swapped in.
    """
    now = now or dt.datetime.now().replace(microsecond=0)
    parsed = parse_document(source, year)
    if master is None:
        target = default_master_path(parsed)
    elif Path(master).is_dir():
        target = default_master_path(parsed, Path(master))
    else:
        target = Path(master)
    if target.suffix.lower() != ".xlsx":
        raise MasterError(W.M_TARGET_NOT_XLSX.format(path=target))
    saved = None
    if target.exists():
        refuse_if_open(target)
        if not force:
            raise MasterError(W.M_TARGET_EXISTS.format(path=target, backup_dir=target.parent / BACKUP_DIR))
        rows = progress_rows(target)
        if rows:
            raise MasterError(W.M_TARGET_HAS_PROGRESS.format(path=target, rows=rows))
        saved = backup(target, now)
    log = LogEntry(now, W.ACTION_IMPORT, parsed.source, "", W.RESULT_OK, summary_line(parsed))
    atomic_write(target, lambda tmp: write_new_master(tmp, parsed, log))
    return ImportResult(parsed, target, saved)


def summary_line(parsed: ParsedList) -> str:
    """One line of counts for the 日志 sheet."""
    return W.M_LOG_IMPORT.format(
        title=parsed.title, parts=len(parsed.parts), categories=len(parsed.categories()),
        items=len(parsed.tasks), offices=len(parsed.offices))
