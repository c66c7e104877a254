"""Step 1 of the cycle, ``qingdan import``: a list document becomes the master.

The file is read by sources.py into lines and tables; here they become tasks.
Two shapes are understood:

* paragraph form: ``一、`` parts, ``（一）`` categories, ``1.`` items with their
  text over several lines, then field lines ``责任处室：…``;
* table form: a header row found by its words anywhere in the first rows, title
  rows above it, part and category rows or columns (merged cells carried down).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from . import numerals
from . import words as W
from .deadlines import parse_deadline
from .errors import MasterError, SourceError, UsageError
from .files import atomic_write, backup, master_lock, refuse_if_open
from .master import EXCEL_CELL_MAX, LogEntry, previous_master, write_new_master
from .model import ParsedList, Problem, Task
from .offices import merge_roles, safe_filename
from .sources import Source, Table, read_source
from .workbook import Kept

# stray markers (##paidbegin##) and invisible characters
_NOISE = re.compile(r"#{2}\s*[A-Za-z_]+\s*#{2}|[\u200b\u200c\u200d\ufeff\u2060]")
_CN_NUM = numerals.CHARS
_PART = re.compile(rf"^([{_CN_NUM}]+)\s*[、.．]\s*(.+)$")
_SECTION = re.compile(rf"^第\s*([{_CN_NUM}\d]+)\s*部分\s*[、.．:：]?\s*(.+)$")  # 第一部分 …
_CATEGORY = re.compile(rf"^[（(]\s*([{_CN_NUM}]+)\s*[)）]\s*[、.．]?\s*(.+)$")
_ITEM = re.compile(r"^(?:(\d{1,3})\s*(?:[.．、](?!\d)|[)）])|[（(](\d{1,3})[)）])\s*(.*)$")
# a field name, with spaces allowed between its characters (责 任 处 室)
_FIELD_NAME = "|".join(r"\s*".join(map(re.escape, word)) for word in sorted(W.FIELD_WORDS, key=len, reverse=True))
# 责任处室： / 责任处室（单位）： / 【责任处室】 / 责任处室<tab>, anywhere in a line
_FIELD = re.compile(
    rf"[【\[〔]?\s*(?P<name>{_FIELD_NAME})\s*(?:[（(][^）)]{{0,12}}[）)])?\s*"
    r"(?:[】\]〕]\s*[:：]?|[:：]|\t)\s*"
)
# page numbers and footers left in text copied from a PDF or a printout
_PAGE_NOISE = re.compile(r"^(?:[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d+\s*页\s*[，,/]?\s*(?:共\s*\d+\s*页)?"
                         r"|共\s*\d+\s*页\s*第\s*\d+\s*页)$")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
_HEADER_SCAN_ROWS = 30
_TITLE_MAX = 60  # characters; a longer line is a preamble, not a title
_OFFICE_ROLES = {W.FIELD_LEAD_OFFICE, W.FIELD_OFFICE, W.FIELD_HELP_OFFICE}
_LIST_ROLES = _OFFICE_ROLES | {W.FIELD_LEADER}
_FIELD_ROLES = (W.FIELD_LEADER, W.FIELD_LEAD_OFFICE, W.FIELD_OFFICE, W.FIELD_HELP_OFFICE, W.FIELD_SCHEDULE,
                W.FIELD_NOTE)
_HEADING_COLUMNS = {None, W.COL_SEQ, W.COL_PART, W.COL_CATEGORY}
_ATTACHMENT = re.compile(r"^附\s*件\s*\d*\s*[:：]?$")
_ATTACHMENT_PREFIX = re.compile(r"^附\s*件\s*\d*\s*[:：]\s*")


def clean_text(text: str) -> str:
    """Remove stray markers (##paidbegin##), invisible characters and outer spaces."""
    return _NOISE.sub("", text).replace("\xa0", " ").strip(" \t\r\n\u3000")


def _join(parts: list[str]) -> str:
    """Join text lines of one paragraph: no space between CJK, one between Latin words."""
    out = ""
    for part in filter(None, (clean_text(p) for p in parts)):
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


# --- building tasks --------------------------------------------------------------


@dataclass
class _Item:
    """An item as found in the document, before 编号 and deadline are worked out."""

    part_no: int  # which part heading it stands under (names may repeat)
    part: str
    category: str
    seq: str
    text_lines: list[str]
    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, role: str, value: str) -> None:
        if value.strip():
            self.fields.setdefault(role, []).append(value)

    def get(self, role: str) -> str:
        return W.VALUE_JOIN.join(v for v in (clean_text(x) for x in self.fields.get(role, [])) if v)


class _Builder:
    """Collects items under the current part and category, then makes Tasks."""

    def __init__(self) -> None:
        self.items: list[_Item] = []
        self.part: str | None = None
        self.part_no = 0
        self.category = ""
        self.title_lines: list[str] = []  # text before the first heading or item
        self.sections = False  # parts are headed 第一部分 …
        self.problems: list[Problem] = []

    def new_part(self, name: str) -> None:
        self.part, self.category = name, ""
        self.part_no += 1

    def new_item(self, seq: str, text: str) -> _Item:
        item = _Item(self.part_no, self.part or "", self.category, seq, [text])
        self.items.append(item)
        return item

    def heading(self, line: str) -> bool:
        """Take ``line`` as a part or category heading if it is one.  Once parts
        are called 第一部分, the 一、 headings under them are categories."""
        if m := _SECTION.match(line):
            self.sections = True
            self.new_part(clean_text(m[2]))
        elif (m := _PART.match(line)) and not self.sections:
            self.new_part(clean_text(m[2]))
        elif m := (_CATEGORY.match(line) or _PART.match(line)):
            if self.part is None:
                self.new_part("")
            self.category = clean_text(m[2])
        else:
            return False
        return True

    def loose_line(self, where: str, line: str) -> None:
        """A line that belongs to no item: title and preamble before the list, else reported."""
        if self.part is None and not self.items:
            self.title_lines.append(line)
        else:
            self.problems.append(Problem(where, W.P_LINE_IGNORED.format(text=_shorten(line))))

    def tasks(self, title: str, year: int | None) -> list[Task]:
        # parts are numbered 1, 2, … in order, counting only those that hold items
        part_numbers: dict[int, int] = {}
        counts: dict[int, int] = {}
        for item in self.items:
            part_numbers.setdefault(item.part_no, len(part_numbers) + 1)
            counts[item.part_no] = counts.get(item.part_no, 0) + 1
        tasks, position = [], dict.fromkeys(part_numbers, 0)
        part_width = len(str(len(part_numbers)))  # 10 parts or more: 01-01 … 12-01, so 编号 sort as text
        previous: dict[int, int] = {}  # the last 序号 seen in each part
        last_seq = 0  # the last 序号 seen anywhere: some lists number on across parts
        for item in self.items:
            position[item.part_no] += 1
            n = position[item.part_no]
            width = max(2, len(str(counts[item.part_no])))
            code = f"{part_numbers[item.part_no]:0{part_width}d}-{n:0{width}d}"
            if item.seq.isdigit():
                seq = int(item.seq)
                allowed = {previous[item.part_no] + 1} if item.part_no in previous else {1, last_seq + 1}
                if seq not in allowed:
                    expected = min(allowed)
                    self.problems.append(Problem(code, W.P_SEQ_GAP.format(seq=item.seq, expected=expected)))
                previous[item.part_no] = last_seq = seq
            schedule = item.get(W.FIELD_SCHEDULE)
            deadline = parse_deadline(schedule, year)
            if deadline.problem:
                self.problems.append(Problem(code, deadline.problem))
            offices = merge_roles(
                item.get(W.FIELD_LEAD_OFFICE), item.get(W.FIELD_OFFICE), item.get(W.FIELD_HELP_OFFICE)
            )
            task = Task(
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
            )
            for header, value in zip(W.LIST_HEADERS, task.cells()):
                if isinstance(value, str) and len(value) > EXCEL_CELL_MAX:
                    self.problems.append(Problem(code, W.P_CELL_TOO_LONG.format(
                        header=header, length=len(value), limit=EXCEL_CELL_MAX)))
            tasks.append(task)
        return tasks


def _shorten(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _continues_list(line: str) -> bool:
    """Whether a line after an office or leader field carries on that list
    (a long list broken over lines), rather than being unrelated text."""
    return len(line) <= 40 and not re.search(r"[。：:]", line)


def _trim_value(value: str) -> str:
    """A field value cut out of a line: no separators or unmatched closing brackets at its end."""
    value = value.strip().rstrip("；;，,、 \t")
    while value.endswith(("）", ")")) and (
            value.count("（") + value.count("(") < value.count("）") + value.count(")")):
        value = value[:-1].rstrip("；;，,、 \t")
    return value


def split_fields(line: str) -> tuple[str, list[tuple[str, str]]]:
    """Split a line into the text before any field and the fields in it:
    ``任务。（责任处室：办公室；完成时限：6月底前）`` → (``任务。``, [(office, 办公室), (schedule, 6月底前)])."""
    matches = list(_FIELD.finditer(line))
    if not matches:
        return line, []
    head = line[:matches[0].start()].rstrip(" \t（(【[；;，,")
    fields = []
    for m, nxt in zip(matches, matches[1:] + [None]):
        name = re.sub(r"\s+", "", m["name"])
        value = line[m.end():nxt.start() if nxt else len(line)]
        fields.append((W.FIELD_WORDS[name], _trim_value(value)))
    return head, fields


def _parse_paragraphs(lines: list[str], builder: _Builder) -> None:
    """Fill ``builder`` from paragraph-form lines."""
    item: _Item | None = None
    last_role: str | None = None  # the field the previous line filled
    for number, raw in enumerate(lines, 1):
        line = clean_text(raw)
        if not line or _PAGE_NOISE.match(line):
            continue
        where = W.P_WHERE_LINE.format(line=number)
        if builder.items and _ATTACHMENT.match(line):
            builder.problems.append(Problem(where, W.P_NEXT_ATTACHMENT.format(text=line)))
            break  # the next attachment is another document
        if builder.heading(line):
            item, last_role = None, None
            continue
        if m := _ITEM.match(line):
            item, last_role = builder.new_item(unicodedata.normalize("NFKC", m[1] or m[2]), ""), None
            line = m[3]
        head, fields = split_fields(line)
        if item is None:
            builder.loose_line(where, line)
            continue
        if head:
            if last_role is None:
                item.text_lines.append(head)  # task text running over several lines
            elif last_role in _LIST_ROLES and not fields and _continues_list(head):
                item.add(last_role, head)
            else:
                builder.loose_line(where, head)
        for role, value in fields:
            item.add(role, value)
            last_role = role


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


def _row_roles(row: list[str]) -> dict[int, str]:
    return {c: role for c, cell in enumerate(row) if (role := _header_role(cell))}


def _find_header(rows: list[list[str]]) -> tuple[int, dict[int, str], int] | None:
    """(header row index, column → role, first data row) among the first rows, if any.

    A header over two rows (``责任分工`` above ``牵头领导 | 责任处室``) counts as one:
    the lower row's words fill the columns the upper row leaves unnamed."""
    best: tuple[int, dict[int, str]] | None = None
    for r, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        roles = _row_roles(row)
        distinct = set(roles.values())
        if len(distinct) >= 2 and (best is None or len(distinct) > len(set(best[1].values()))):
            best = (r, roles)
    if best is None:
        return None
    r, roles = best
    below = _row_roles(rows[r + 1]) if r + 1 < len(rows) else {}
    if below and not set(below) & set(roles):
        return r, {**roles, **below}, r + 2
    return r, roles, r + 1


def _looks_like_heading(text: str) -> bool:
    return bool(_PART.match(text) or _SECTION.match(text) or _CATEGORY.match(text)) or text.endswith(W.PART_SUFFIX)


def _heading_kind(text: str) -> tuple[str, str]:
    """('part' | 'category', name) for a heading row's text."""
    if m := _PART.match(text):
        return "part", clean_text(m[2])
    if m := _CATEGORY.match(text):
        return "category", clean_text(m[2])
    if text.endswith(W.PART_SUFFIX):
        return "part", text
    return "category", text


def _parse_table(table: Table, header_row: int, roles: dict[int, str], data_row: int,
                 builder: _Builder) -> None:
    """Fill ``builder`` from the rows of one table below its header row."""
    rows = table.rows
    header = [_header_key(c) for c in rows[header_row]]
    for c, text in enumerate(header):
        if text and c not in roles:
            builder.problems.append(Problem(table.name, W.P_COLUMN_IGNORED.format(header=text)))
    if not builder.items:  # title rows above the first table's header
        for row in rows[:header_row]:
            for text in dict.fromkeys(clean_text(c) for c in row):
                if text:
                    builder.title_lines.append(text)

    def value(row: list[str], role: str) -> str:
        # a line break inside an office cell separates offices; inside text it does not
        join = W.OFFICE_SEPARATOR.join if role in _OFFICE_ROLES else _join
        values = [join([clean_text(x) for x in row[c].splitlines() if clean_text(x)])
                  for c, r in sorted(roles.items()) if r == role and c < len(row)]
        return W.VALUE_JOIN.join(dict.fromkeys(v for v in values if v))

    last: _Item | None = None  # the item of the row above, for continuation rows
    for row in rows[data_row:]:
        texts = [clean_text(c) for c in row]
        distinct = list(dict.fromkeys(t for t in texts if t))
        if not distinct or [_header_key(c) for c in row] == header:
            continue
        task, seq = value(row, W.COL_TASK), value(row, W.COL_SEQ)
        filled = [c for c, t in enumerate(texts) if t]
        heading = None
        # one text: merged across the row, alone in a column that can hold a
        # heading, or in the task column but shaped like one (一、… / （一）…)
        if len(distinct) == 1 and (not task or task == distinct[0]) and (
                len(filled) > 1 or roles.get(filled[0]) in _HEADING_COLUMNS
                or (roles.get(filled[0]) == W.COL_TASK and _looks_like_heading(distinct[0]))):
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
            last = None
            continue
        fields = {role: value(row, role) for role in _FIELD_ROLES}
        # a row that only adds offices or a deadline to the task above (its task
        # cell empty, or merged with the one above): one task, not two
        if last is not None and any(fields.values()) and (
                not task or (task == _join(last.text_lines) and seq in ("", last.seq))):
            for role, text in fields.items():
                last.add(role, text)
            continue
        if part := value(row, W.COL_PART):
            part = _heading_kind(part)[1]
            if part != builder.part:
                builder.new_part(part)
        if category := value(row, W.COL_CATEGORY):
            builder.category = _heading_kind(category)[1]
        if not task:
            continue
        last = builder.new_item(seq, task)
        for role, text in fields.items():
            last.add(role, text)


def _parse_tables(path: Path, source: Source) -> tuple[_Builder | None, str | None]:
    """Table form: the tables with a task column, with any heading paragraphs
    between them.  Returns (builder, None), or (None, why no table could serve)."""
    headers = {id(t): _find_header(t.rows) for t in source.tables}
    usable = [t for t in source.tables if (h := headers[id(t)]) and W.COL_TASK in h[1].values()]
    if not usable:
        for table in source.tables:
            if (found := headers[id(table)]) is not None:
                row, roles, _ = found
                names = W.LIST_JOIN.join(clean_text(table.rows[row][c]) for c in sorted(roles))
                return None, W.M_NO_TASK_COLUMN.format(path=path, sheet=table.name, row=row + 1, headers=names)
        return None, None
    builder = _Builder()
    several_sheets = sum(1 for t in usable if t.is_sheet) > 1
    for block in source.blocks:
        if isinstance(block, str):
            if (line := clean_text(block)) and not _PAGE_NOISE.match(line) and not builder.heading(line):
                builder.loose_line(W.P_WHERE_TEXT, line)
        elif any(block is t for t in usable):
            if several_sheets:  # one part per sheet unless the sheet names its parts
                builder.new_part(block.name)
            _parse_table(block, *headers[id(block)], builder)
    return builder, None


def _title(lines: list[str], path: Path) -> str:
    """The list's title among the lines above it: the first that names a 清单
    (else the first with a year, else the first short line); a title broken over
    two lines is joined; an issuing body's name above it is passed over."""
    lines = [_ATTACHMENT_PREFIX.sub("", x) for x in lines if not _ATTACHMENT.match(x)]
    lines = [x for x in lines if x and len(x) <= _TITLE_MAX]
    if not lines:
        return path.stem
    for test in (lambda x: W.PART_SUFFIX in x, _YEAR_IN_TITLE.search):
        i = next((i for i, line in enumerate(lines) if test(line)), None)
        if i is not None:
            break
    else:
        i = 0
    if i and not _YEAR_IN_TITLE.search(lines[i]) and _YEAR_IN_TITLE.search(lines[i - 1]):
        return lines[i - 1] + lines[i]  # 2023年度局委员会全面从严治党 / 主体责任清单
    return lines[i]


def parse_document(path: str | Path, year: int | None = None) -> ParsedList:
    """Read and parse a list document into tasks (no file is written).

    ``year`` overrides the year found in the document's title (or file name).
    """
    path = Path(path)
    source = read_source(path)
    builder, no_task_column = _parse_tables(path, source)
    if builder is None:
        # paragraph form; a stray table (a contact list, say) does not stand in its way
        builder = _Builder()
        _parse_paragraphs(source.lines, builder)
    if not builder.items:
        if no_task_column:
            raise SourceError(no_task_column)
        if source.tables and not source.lines:
            raise SourceError(W.M_NO_TABLE_HEADER.format(path=path, rows=_HEADER_SCAN_ROWS))
        raise SourceError(W.M_NO_ITEMS.format(path=path))
    builder.problems[:0] = [Problem(name, W.P_SHEET_HIDDEN) for name in source.hidden]
    title = _title(builder.title_lines, path)
    if year is None and (m := _YEAR_IN_TITLE.search(title) or _YEAR_IN_TITLE.search(path.stem)):
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
    kept: Kept | None = None  # what the master it replaced handed on (import --force)


def default_master_path(parsed: ParsedList, folder: Path = Path("workbooks")) -> Path:
    """``workbooks/<清单名称>.xlsx``."""
    return folder / f"{safe_filename(parsed.title)}.xlsx"


def import_document(source: str | Path, master: str | Path | None = None, year: int | None = None,
                    force: bool = False, now: dt.datetime | None = None,
                    contacts: dict[str, list[str]] | None = None) -> ImportResult:
    """Turn a list document into a new master workbook.

    ``master`` is the file to write, or a folder to write ``<清单名称>.xlsx`` into
    (default: ``workbooks/``).  Refuses to overwrite an existing master unless
    ``force``, and always when it already holds rows in 进展.  The old file is
    backed up before it is replaced; the new one is written to a temporary file
    and swapped in.  ``contacts`` pre-fills the 处室 sheet (the demo uses it).
    """
    now = now or dt.datetime.now().replace(microsecond=0)
    parsed = parse_document(source, year)
    if master is None:
        target = default_master_path(parsed)
    elif Path(master).is_dir() or not Path(master).suffix:  # a folder, existing or to be made
        target = default_master_path(parsed, Path(master))
    else:
        target = Path(master)
    if target.suffix.lower() != ".xlsx":
        raise UsageError(W.M_TARGET_NOT_XLSX.format(path=target))
    if target.exists() and not force:
        raise MasterError(W.M_TARGET_EXISTS.format(path=target, backup_dir=target.parent / W.BACKUP_DIR))
    with master_lock(target):
        saved = kept = None
        if target.exists():
            refuse_if_open(target)
            # the contacts people typed and the 日志 (splits already sent) go on into the new master
            rows, kept = previous_master(target)
            if rows:
                raise MasterError(W.M_TARGET_HAS_PROGRESS.format(path=target, rows=rows))
            saved = backup(target, now)
        log = LogEntry(now, W.ACTION_IMPORT, parsed.source, "", W.RESULT_OK, summary_line(parsed))
        people = {**(kept.contacts if kept else {}), **(contacts or {})}
        atomic_write(target, lambda tmp: write_new_master(tmp, parsed, log, people, kept.log if kept else []))
    return ImportResult(parsed, target, saved, kept)


def summary_line(parsed: ParsedList) -> str:
    """One line of counts for the 日志 sheet."""
    return W.M_LOG_IMPORT.format(
        title=parsed.title, parts=len(parsed.parts), categories=len(parsed.categories()),
        items=len(parsed.tasks), offices=len(parsed.offices))
