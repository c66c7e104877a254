"""The master after import: finding it, reading it, and writing the sheets qingdan owns.

Reading goes by header words, not positions: people edit the master, so a column
may have moved, a title row may sit above the header, extra columns may exist.

Writing never loads and re-saves the workbook.  ``updating(path)`` opens the
master's zip, lets the caller replace the rows of 进展 and 日志, and writes a new
zip in which every other part is copied unchanged (shapes, pictures, pivot
tables, formulas and their cached values, VBA …); calcChain.xml is dropped so
Excel rebuilds it.  Before the swap the old file is backed up; the new one is
written to a temporary file and renamed over the old in one step, under a lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import stat
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from pathlib import Path

from defusedxml import ElementTree as SafeET
from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name

from . import words as W
from .cells import cell_text, header_key
from .config import Config
from .dates import parse_date
from .deadlines import Deadline, Derived, follow_schedule, parse_deadline
from .errors import MasterError, QingdanError, UsageError
from .files import atomic_write, backup, master_lock, refuse_if_open
from .guard import check_workbook, packed_part, sheet_parts
from .layout import lines_height, one_line_chars, wrapped_lines
from .model import Problem, Progress, Task, offices_of
from .offices import OfficeList, split_offices
from .periods import Period, parse_period

MASTER_FOLDER = Path("workbooks")
HEADER_SEARCH_ROWS = 10  # a title or a blank row or two may sit above the header
OWNED_SHEETS = {W.SHEET_PROGRESS: W.PROGRESS_HEADERS, W.SHEET_LOG: W.LOG_HEADERS,
                W.SHEET_DERIVED: W.DERIVED_HEADERS}
HIDDEN_SHEETS = {W.SHEET_DERIVED}  # owned sheets people do not see (added back hidden)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


# --- finding the master --------------------------------------------------------

def find_master(option: str | Path | None, config: Config) -> Path:
    """The master to work on: ``--master``, else qingdan.toml's ``master``, else
    the one .xlsx in workbooks/.  UsageError when none or several are found."""
    chosen = option or config.master
    if chosen:
        path = Path(chosen)
        if path.is_dir():
            return _only_master_in(path)
        if not path.is_file():
            raise UsageError(W.M_MASTER_MISSING.format(path=path))
        return path
    if not MASTER_FOLDER.is_dir():  # most often: the command was run outside the project folder
        raise UsageError(W.M_NO_MASTER_FOLDER.format(cwd=Path.cwd()))
    return _only_master_in(MASTER_FOLDER)


def _only_master_in(folder: Path) -> Path:
    found = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith(("~$", ".")))
    if not found:
        raise UsageError(W.M_NO_MASTER.format(folder=folder))
    if len(found) > 1:
        raise UsageError(W.M_SEVERAL_MASTERS.format(folder=folder, names=W.LIST_JOIN.join(p.name for p in found)))
    return found[0]


# --- reading -------------------------------------------------------------------

@dataclass
class Contact:
    """A row of the 处室 sheet."""

    office: str
    person: str = ""
    email: str = ""
    phone: str = ""
    leader: str = ""


@dataclass
class Split:
    """A 下发 as 日志 records it."""

    period: Period | None  # None when the line's period cannot be read
    folder: str  # where it wrote the forms
    failed: bool  # it wrote none
    message: str
    time: str = ""  # when, as 日志 says (2023-06-20 09:00:00)


@dataclass
class DerivedRow:
    """A 清单 row's derived cells (完成时限, 时限类型): as read, and what the rule gives."""

    code: str
    line: int  # Excel row
    date_cell: object  # the 完成时限 cell as calamine read it
    kind_cell: str
    date: dt.date | None  # what holds (the task's deadline)
    kind: str
    record: Derived  # what to record as derived for this row
    recorded: Derived | None  # what the record sheet held for it


@dataclass
class Master:
    """What a master holds, read by header words."""

    path: Path
    title: str
    year: int | None
    tasks: list[Task]
    rows: dict[str, int]  # 编号 → row number in 清单 (1-based), for messages
    context: list[str] = field(default_factory=list)  # context columns of 清单 (工作目标 …), shown on forms
    progress: list[Progress] = field(default_factory=list)
    contacts: dict[str, Contact] = field(default_factory=dict)
    log: list[dict[str, str]] = field(default_factory=list)  # 日志 rows, header → text
    identity: str = ""  # made at import (master.new_identity); every form carries it
    # the file as read and its owned sheets' cells, so a write that follows (updating)
    # neither reads nor checks an unchanged master again
    data: bytes = field(default=b"", repr=False, compare=False)
    owned: dict[str, list[list]] = field(default_factory=dict, repr=False, compare=False)
    # 完成时限 / 时限类型 of each 清单 row, and their 0-based columns (None: 清单 lacks it)
    derived: list[DerivedRow] = field(default_factory=list, repr=False, compare=False)
    derived_columns: tuple[int | None, int | None] = field(default=(None, None), repr=False, compare=False)

    @cached_property
    def by_code(self) -> dict[str, Task]:
        """编号 → task."""
        return {t.code: t for t in self.tasks}

    @cached_property
    def by_office(self) -> dict[str, list[tuple[Task, str]]]:
        """Office → its tasks in list order, each with its role (牵头 for the first
        office named, else 配合)."""
        out: dict[str, list[tuple[Task, str]]] = {}
        for task in self.tasks:
            for name in task.offices.respondents:
                out.setdefault(name, []).append((task, task.offices.role(name)))
        return out

    @cached_property
    def offices(self) -> list[str]:
        """Every office named in 责任处室, in order of first appearance."""
        return offices_of(self.tasks)

    def pick_offices(self, names: list[str] | None) -> list[str]:
        """The offices asked for (all when ``names`` is empty), in list order;
        UsageError naming the first one the list does not have."""
        if not names:
            return self.offices
        unknown = [name for name in names if name not in self.offices]
        if unknown:
            raise UsageError(W.U_UNKNOWN_OFFICE.format(name=unknown[0], names=W.LIST_JOIN.join(self.offices)))
        return [name for name in self.offices if name in names]

    @property
    def demo(self) -> bool:
        """Whether qingdan demo made this master."""
        from .schema import DEMO_PREFIX

        return self.identity.startswith(DEMO_PREFIX)

    def owns(self, meta: dict[str, str]) -> bool:
        """Whether the form whose _meta pairs are ``meta`` was made from this master:
        by the identity it carries; a form made before forms carried one, by a 下发
        in this master's 日志 at the very second the form was made."""
        theirs = meta.get(W.META_IDENTITY, "")
        if theirs:
            return not self.identity or theirs == self.identity
        made = meta.get(W.META_MADE, "").replace("T", " ")
        return not made or any(split.time == made for split in self.splits())

    def splits(self) -> list[Split]:
        """Every 下发 that 日志 records, oldest first."""
        out = []
        for row in self.log:
            if row.get(W.LOG_HEADERS[1]) != W.ACTION_SPLIT:
                continue
            message = row.get(W.LOG_HEADERS[5], "")
            m = re.match(r"\s*([0-9QHqh-]+)", message)  # the message starts with the period's id
            try:
                period = parse_period(m[1]) if m else None
            except QingdanError:
                period = None
            out.append(Split(period, row.get(W.LOG_HEADERS[2], ""), row.get(W.LOG_HEADERS[4]) == W.RESULT_FAILED,
                             message, row.get(W.LOG_HEADERS[0], "")))
        return out

    def last_split(self, period: Period | None = None) -> tuple[Period, Path] | None:
        """(period, forms folder) of the latest 下发 in 日志 that wrote forms (of ``period`` when given)."""
        for split in reversed(self.splits()):
            if not split.failed and split.period is not None and (period is None or split.period == period):
                return split.period, Path(split.folder)
        return None

    def choose_period(self, period: str | Period | None) -> tuple[Period, str]:
        """(``period`` as a Period, or the latest split's; why that one, for the
        command's first line).  UsageError when none is given and none was split."""
        if isinstance(period, str):
            period = parse_period(period)
        if period is not None:
            return period, W.WHY_GIVEN
        for split in reversed(self.splits()):
            if not split.failed and split.period is not None:
                return split.period, W.WHY_LATEST_SPLIT.format(time=split.time[:10])
        raise UsageError(W.M_NO_SPLIT_PERIOD)

    @cached_property
    def fingerprint(self) -> str:
        """A hash of the 清单 content: it changes when a task's text changes,
        not when qingdan writes 进展 or 日志."""
        digest = hashlib.sha256()
        for task in self.tasks:
            values = task.cells() + [task.extra.get(h, "") for h in self.context]  # context only when there is any
            cells = [v.isoformat() if isinstance(v, dt.date) else str(v) for v in values]
            digest.update("\x1f".join(cells).encode() + b"\x1e")
        return digest.hexdigest()[:16]


def find_header(rows: list[list], required: list[str],
                limit: int = HEADER_SEARCH_ROWS) -> tuple[int, dict[str, int]] | None:
    """(row index, header → column index) of the first row, among the first
    ``limit``, holding every required header."""
    for r, row in enumerate(rows[:limit]):
        columns: dict[str, int] = {}
        for c, value in enumerate(row):
            columns.setdefault(header_key(value), c)
        if all(h in columns for h in required):
            return r, columns
    return None


def _sheet_rows(book, name: str) -> list[list] | None:
    if name not in book.sheet_names:
        return None
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _custom_properties(zf: zipfile.ZipFile) -> dict[str, str]:
    """The custom document properties (name → text); {} when there are none."""
    try:
        if zf.getinfo("docProps/custom.xml").file_size > 1_000_000:  # properties are a few lines
            return {}
        custom = SafeET.fromstring(zf.read("docProps/custom.xml"))
    except Exception:
        return {}
    return {prop.get("name"): "".join(prop.itertext()).strip() for prop in custom if prop.get("name")}


def _context_of(properties: dict[str, str]) -> list[str]:
    """The context columns import made (工作目标, 分月序时进度 …), from the custom property
    it wrote; [] when there is none (a master made by hand, or before context columns)."""
    from .schema import CONTEXT_PROPERTY

    return [h for h in properties.get(CONTEXT_PROPERTY, "").split("\t") if h.strip()]


_LOGGED_IDENTITY = re.compile(re.escape(W.LOG_IDENTITY).replace(r"\{identity\}", r"(?P<id>[0-9a-z-]+)") + r"\s*$")


def _identity(properties: dict[str, str], log: list[dict[str, str]] | list[list[str]]) -> str:
    """The master's identity: its custom property; else (an office suite that
    dropped the property) the latest import line of 日志 naming it; else, for a
    master made before identities, one made from its first 日志 line (when it
    was imported, and what), the same every time it is read; "" without 日志."""
    from .schema import IDENTITY_PROPERTY

    if found := properties.get(IDENTITY_PROPERTY):
        return found
    rows = [r if isinstance(r, list) else [r.get(h, "") for h in W.LOG_HEADERS] for r in log]
    for row in reversed(rows):
        if len(row) > 5 and row[1] == W.ACTION_IMPORT and (m := _LOGGED_IDENTITY.search(str(row[5]))):
            return m["id"]
    if not rows:
        return ""
    first = "\x1f".join(str(v) for v in rows[0][:6])
    return "legacy-" + hashlib.sha256(first.encode("utf-8")).hexdigest()[:16]


def identity_of(data: bytes, log: list[list[str]]) -> tuple[str, str]:
    """(identity, list title) of the master whose bytes are ``data`` and whose 日志 rows are ``log``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            properties, title = _custom_properties(zf), _title_of(zf)
    except zipfile.BadZipFile:
        properties, title = {}, ""
    return _identity(properties, log), title


def _title_of(zf: zipfile.ZipFile) -> str:
    try:
        core = SafeET.fromstring(zf.read("docProps/core.xml"))
    except Exception:
        return ""
    for el in core.iter():
        if el.tag.endswith("}title") and el.text:
            return el.text.strip()
    return ""


def read_master(path: Path, data: bytes | None = None, checked: bool = False) -> Master:
    """Read the master's 清单, 进展 and 处室 sheets.  MasterError naming the sheet,
    row and column when the 清单 sheet cannot be used (missing headers, blank or
    repeated 编号); every such problem is reported at once.  ``checked``: ``data``
    has passed guard.check_workbook already."""
    from python_calamine import CalamineWorkbook

    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise MasterError(W.M_MASTER_UNREADABLE.format(path=path, reason=exc.strerror or exc)) from None
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise MasterError(W.M_MASTER_UNREADABLE.format(path=path, reason=W.M_NOT_A_ZIP))
    try:
        if not checked:
            check_workbook(path, data)
    except QingdanError as exc:
        raise MasterError(exc.message) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            title = _title_of(zf)
            properties = _custom_properties(zf)
            named = _context_of(properties)
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        list_rows = _sheet_rows(book, W.SHEET_LIST)
        progress_rows = _sheet_rows(book, W.SHEET_PROGRESS) or []
        office_rows = _sheet_rows(book, W.SHEET_OFFICES) or []
        log_rows = _sheet_rows(book, W.SHEET_LOG) or []
        record_rows = _sheet_rows(book, W.SHEET_DERIVED) or []
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # any calamine failure (a Rust panic is not an Exception): unreadable
        raise MasterError(W.M_MASTER_UNREADABLE.format(path=path, reason=exc)) from None
    if list_rows is None:
        raise MasterError(W.M_MASTER_NO_LIST.format(path=path, sheet=W.SHEET_LIST))
    title = title or path.stem
    m = _YEAR.search(title) or _YEAR.search(path.stem)
    year = int(m[1]) if m else None
    derived: list[DerivedRow] = []
    tasks, rows, context, columns = _read_tasks(path, list_rows, year, named, _read_record(record_rows), derived)
    log = _read_table(log_rows, W.LOG_HEADERS, 2)
    return Master(path=path, title=title, year=year, tasks=tasks, rows=rows, context=context,
                  derived=derived, derived_columns=columns,
                  progress=[Progress.from_values(r) for r in _read_table(progress_rows, W.PROGRESS_HEADERS, 3)],
                  contacts=_read_contacts(office_rows), log=log, identity=_identity(properties, log),
                  data=data, owned={W.SHEET_PROGRESS: progress_rows, W.SHEET_LOG: log_rows,
                                    W.SHEET_DERIVED: record_rows})


def _read_record(rows: list[list]) -> dict[str, Derived]:
    """编号 → what qingdan last derived for that row, from the hidden record sheet."""
    out: dict[str, Derived] = {}
    for values in _read_table(rows, W.DERIVED_HEADERS, 1):
        code = header_key(values[W.H_CODE])
        if code and code not in out:
            out[code] = Derived(values[W.H_SCHEDULE], parse_date(values[W.H_DEADLINE]), values[W.H_KIND])
    return out


_REQUIRED_LIST = [W.H_CODE, W.H_TASK, W.H_OFFICES]


def _read_tasks(path: Path, rows: list[list], year: int | None, named: list[str] = (),
                record: dict[str, Derived] | None = None, derived: list[DerivedRow] | None = None
                ) -> tuple[list[Task], dict[str, int], list[str], tuple[int | None, int | None]]:
    """清单's tasks, the row of each 编号, the context columns it has (in the
    sheet's order: the fixed names (工作目标 …) and those import named), and the
    columns of 完成时限 and 时限类型.  Each task's deadline follows its 时间进度安排
    (deadlines.follow_schedule, given ``record``); ``derived`` gets each row's cells."""
    record = record or {}
    found = find_header(rows, _REQUIRED_LIST)
    if found is None:
        raise MasterError(W.M_MASTER_NO_HEADER.format(
            path=path, sheet=W.SHEET_LIST, headers=W.LIST_JOIN.join(_REQUIRED_LIST)))
    header_row, col = found
    wanted = set(W.CONTEXT_HEADERS) | set(named)
    context = sorted((h for h in col if h in wanted and h not in W.LIST_HEADERS), key=col.get)
    context_cols = [(h, col[h]) for h in context]
    width = max((len(row) for row in rows), default=0)
    # each header's column, or one past the widest row when the sheet lacks it (a blank)
    columns = [col.get(h, width) for h in (W.H_TASK, W.H_CODE, W.H_SCHEDULE, W.H_OFFICES, W.H_DEADLINE,
                                           W.H_KIND, W.H_PART, W.H_CATEGORY, W.H_SEQ, W.H_LEADER, W.H_NOTE)]
    (c_task, c_code, c_schedule, c_offices, c_deadline, c_kind, c_part, c_category, c_seq, c_leader,
     c_note) = columns
    top = max([*columns, *(c for _, c in context_cols)])

    tasks: list[Task] = []
    where: dict[str, int] = {}
    problems: list[Problem] = []
    # many tasks share a schedule or an office list: each text is parsed once
    deadlines: dict[str, Deadline] = {}
    office_lists: dict[str, OfficeList] = {}
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        if len(row) <= top:  # a short row, or a column the sheet lacks: blanks
            row = row + [None] * (top + 1 - len(row))
        text = cell_text(row[c_task])
        code = header_key(row[c_code])
        if not code and not text:
            continue
        if not code or code in where:
            at = W.P_WHERE_CELL.format(row=r + 1, col=xl_col_to_name(col[W.H_CODE]))
            problems.append(Problem(at, W.P_DUPLICATE_CODE.format(code=code, first=where[code]) if code
                                    else W.P_NO_CODE))
            continue
        where[code] = r + 1
        schedule = cell_text(row[c_schedule])
        parsed = deadlines.get(schedule)
        if parsed is None:
            parsed = deadlines[schedule] = parse_deadline(schedule, year)
        offices_text = cell_text(row[c_offices])
        offices = office_lists.get(offices_text)
        if offices is None:
            offices = office_lists[offices_text] = split_offices(offices_text)
        kind_cell = cell_text(row[c_kind])
        # 完成时限 typed by the clerk wins; else it follows 时间进度安排 (so a clerk who
        # replaces * in the text, or edits it, gets the new deadline)
        deadline, kind, derivation = follow_schedule(schedule, parse_date(row[c_deadline]), kind_cell,
                                                     record.get(code), year, parsed)
        if derived is not None:
            derived.append(DerivedRow(code, r + 1, row[c_deadline], kind_cell, deadline, kind, derivation,
                                      record.get(code)))
        tasks.append(Task(
            code=code, part=cell_text(row[c_part]), category=cell_text(row[c_category]),
            seq=cell_text(row[c_seq]), text=text, leader=cell_text(row[c_leader]),
            offices=OfficeList(list(offices.names), offices.etc), schedule=schedule,
            deadline=deadline, kind=kind, note=cell_text(row[c_note]),
            extra={h: text for h, c in context_cols if (text := cell_text(row[c]))}))
    if problems:
        listed = "\n".join(W.ITEM_LINE.format(what=p.where, why=p.message) for p in problems)
        raise MasterError(W.M_MASTER_BAD_ROWS.format(path=path, sheet=W.SHEET_LIST, problems=listed))
    return tasks, where, context, (col.get(W.H_DEADLINE), col.get(W.H_KIND))


def _table(rows: list[list], header_row: int, col: dict[str, int], headers: list[str],
           lines: list[int] | None = None) -> list[dict[str, str]]:
    """The non-blank rows below ``header_row`` as header → text (blank for a missing
    column); ``lines``, when given, gets the 0-based index of each row taken."""
    out = []
    present = [(h, c) for h in headers if (c := col.get(h)) is not None]
    top = max((c for _, c in present), default=-1)
    blank = dict.fromkeys(headers, "")  # every header, in order
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        if len(row) <= top:
            row = row + [None] * (top + 1 - len(row))
        values = None
        for h, c in present:
            v = row[c]
            text = v.strip() if type(v) is str else cell_text(v)
            if text:
                if values is None:
                    values = blank.copy()
                values[h] = text
        if values is not None:
            out.append(values)
            if lines is not None:
                lines.append(r)
    return out


def _read_table(rows: list[list], headers: list[str], required: int) -> list[dict[str, str]]:
    """The non-blank rows below a header holding the first ``required`` headers."""
    found = find_header(rows, headers[:required])
    return _table(rows, *found, headers) if found else []


def _typed(value) -> int | float | bool | None:
    """A cell calamine read as a number, a date or time (as Excel's serial number:
    its cell style shows it as a date again) or TRUE/FALSE; None for text and blanks."""
    if type(value) is bool:
        return value
    if type(value) in (int, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return int(value) if type(value) is float and value.is_integer() else value
    if isinstance(value, dt.datetime):
        return (value - dt.datetime.combine(EXCEL_EPOCH, dt.time())).total_seconds() / 86400
    if isinstance(value, dt.date):
        return (value - EXCEL_EPOCH).days
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400
    return None


EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (as it counts from 1900-03-01 on)


def _read_contacts(rows: list[list]) -> dict[str, Contact]:
    contacts: dict[str, Contact] = {}
    for values in _read_table(rows, W.OFFICE_HEADERS, 1):
        office = values[W.OFFICE_HEADERS[0]]
        if office and office not in contacts:
            contacts[office] = Contact(*values.values())
    return contacts


@dataclass
class Kept:
    """What a master replaced by ``import --force`` hands on to the new one."""

    contacts: dict[str, list[str]]  # office → 联系人, 邮箱, 电话, 分管领导, as people filled them in
    log: list[list[str]]  # its 日志 rows
    sheets: list[str]  # its sheets beyond 清单, 进展, 处室 and 日志: left in the backup
    identity: str = ""  # the new master keeps it when it is of the same list: forms already sent still belong
    title: str = ""  # the list's title


def kept_from(book) -> Kept:
    """The 处室 contacts, the 日志 and the names of the other sheets of a master
    (a CalamineWorkbook); nothing when they cannot be read (its backup keeps it
    whole either way)."""
    try:
        names = list(book.sheet_names)
        contacts = {}
        for office, c in _read_contacts(_sheet_rows(book, W.SHEET_OFFICES) or []).items():
            if any(values := [c.person, c.email, c.phone, c.leader]):
                contacts[office] = values
        log = [list(row.values()) for row in _read_table(_sheet_rows(book, W.SHEET_LOG) or [], W.LOG_HEADERS, 2)]
    except Exception:  # calamine's failures on a damaged file: a new master is what --force is for
        return Kept({}, [], [])
    mine = {W.SHEET_LIST, W.SHEET_PROGRESS, W.SHEET_OFFICES, W.SHEET_LOG, W.SHEET_DERIVED}
    return Kept(contacts, log, [n for n in names if n not in mine])


# --- writing the sheets qingdan owns ------------------------------------------

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET_TYPE = _NS_REL + "/worksheet"
_SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class MasterUpdate:
    """The master's zip opened for replacing the rows of the sheets qingdan owns."""

    def __init__(self, path: Path, data: bytes, cells: dict[str, list[list]] | None = None) -> None:
        """``cells``: the owned sheets' rows as calamine read them from ``data``
        (read_master has them), so they are not parsed again."""
        self.path = path
        self.data = data
        self._new: dict[str, list[list]] = {}
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self._names = zf.namelist()
            self._sheets = sheet_parts(zf)
        self._cells = dict(cells or {})
        self._current: dict[str, list[list[str]]] = {}
        self._extra: dict[str, list[str]] = {}
        self._layout: dict[str, SheetLayout] = {}  # where the rows of each loaded sheet are now
        self._edited: dict[str, str] = {}  # part → its XML with single cells changed (set_cells)

    def headers(self, sheet: str) -> list[str]:
        """The sheet's columns: its contract headers, then any the clerk added
        (kept with their values, after the contract columns)."""
        self._load(sheet)
        return OWNED_SHEETS[sheet] + self._extra.get(sheet, [])

    def rows(self, sheet: str) -> list[list[str]]:
        """The data rows (below the header) of an owned sheet as it is now, in the
        order of ``headers(sheet)``; rows set earlier in this update win."""
        if sheet in self._new:
            return [list(r) for r in self._new[sheet]]
        return [list(r) for r in self._load(sheet)]

    def _load(self, name: str) -> list[list[str]]:
        """One owned sheet's rows (parsed on first use: a 日志 line needs no 进展)."""
        if name in self._current:
            return self._current[name]
        if name not in self._cells:
            from python_calamine import CalamineWorkbook

            book = CalamineWorkbook.from_filelike(io.BytesIO(self.data))
            self._cells[name] = _sheet_rows(book, name) or []
        rows = self._cells[name]
        headers = OWNED_SHEETS[name]
        found = find_header(rows, headers)
        if found is None:
            if any(cell_text(v) for row in rows for v in row):
                # rows we cannot place: refuse rather than write over them
                raise MasterError(W.M_OWNED_HEADER.format(path=self.path, sheet=name,
                                                          headers=W.LIST_JOIN.join(headers)))
            self._current[name] = []
            return []
        header_row, col = found
        columns = {h: col[h] for h in headers}
        # columns people added: kept by position, so two with one name both survive
        for c, value in enumerate(rows[header_row]):
            if c not in columns.values() and (text := cell_text(value)):
                columns[f"\x00{c}"] = c
                self._extra.setdefault(name, []).append(text)
        lines: list[int] = []
        self._current[name] = [list(values.values())
                               for values in _table(rows, header_row, columns, list(columns), lines)]
        # a number, date or TRUE/FALSE in a column people added stays one (qingdan's own columns are text)
        added = list(columns.values())[len(headers):]
        for row, r in zip(self._current[name], lines) if added else ():
            for k, oc in enumerate(added, len(headers)):
                if (value := _typed(rows[r][oc] if oc < len(rows[r]) else None)) is not None:
                    row[k] = value
        self._layout[name] = SheetLayout(header_row + 1, [r + 1 for r in lines], list(columns.values()), len(headers))
        return self._current[name]

    def set_rows(self, sheet: str, rows: list[list]) -> None:
        """Replace the data rows of an owned sheet (values in its contract header order).
        The rows ``rows(sheet)`` gave come first, in their order (changed or not),
        then new ones: each row keeps the cell and row formatting people gave it."""
        if sheet not in OWNED_SHEETS:
            raise ValueError(f"qingdan does not own sheet {sheet!r}")
        self._new[sheet] = rows

    def append(self, sheet: str, *rows: list) -> None:
        """Add rows below those the sheet holds."""
        self.set_rows(sheet, self.rows(sheet) + [list(r) for r in rows])

    def set_cells(self, sheet: str, cells: dict[tuple[int, int], object]) -> set[tuple[int, int]]:
        """Change single cells of a sheet people own (清单's derived 完成时限 and 时限类型):
        (Excel row, 0-based column) → a date, a text or None (blank).  Only those cells'
        elements change in the sheet's XML; each keeps its style (a date gets one that
        shows dates, added to styles.xml only when the workbook has none for it).
        Returns the cells left as they were (see _edit_cells)."""
        part = dict(self._sheets_by_name()).get(sheet)
        if part is None or not cells:
            return set(cells)
        with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
            xml = self._edited.get(part) or zf.read(part).decode("utf-8")
            styles_part = self._styles_part(zf)
            try:
                styles = self._edited.get(styles_part) or zf.read(styles_part).decode("utf-8")
            except KeyError:
                styles = ""
        date_styles = _date_styles(styles)
        added: dict[str, str] = {}

        def date_style(style: str) -> str | None:
            nonlocal styles
            if style not in added:
                made = _with_date_style(styles, style)
                if made is None:
                    return None
                added[style], styles = made
            return added[style]

        new, skipped = _edit_cells(xml, cells, date_styles, date_style)
        if new != xml:
            self._edited[part] = new
        if added:
            self._edited[styles_part] = styles
        return skipped

    def _styles_part(self, zf: zipfile.ZipFile) -> str:
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        for m in re.finditer(r"<Relationship\b[^>]*>", rels):
            attrs = dict(_ATTR.findall(m[0]))
            if attrs.get("Type", "").endswith("/styles") and attrs.get("Target"):
                target = attrs["Target"]
                return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        return "xl/styles.xml"

    @property
    def changed(self) -> bool:
        return bool(self._new or self._edited)

    def snapshot(self) -> tuple[dict, dict]:
        """What has been changed so far, for restore() to go back to."""
        return dict(self._new), dict(self._edited)

    def restore(self, snapshot: tuple[dict, dict]) -> None:
        """Forget every change made since ``snapshot``."""
        self._new, self._edited = dict(snapshot[0]), dict(snapshot[1])

    def build(self) -> bytes:
        """The new master's bytes: owned sheets rewritten, everything else copied."""
        parts = dict(self._sheets_by_name())
        with zipfile.ZipFile(io.BytesIO(self.data)) as src:
            extra: dict[str, bytes] = {part: xml.encode("utf-8") for part, xml in self._edited.items()}
            book_xml = src.read("xl/workbook.xml").decode("utf-8")
            rels_xml = src.read("xl/_rels/workbook.xml.rels").decode("utf-8")
            types_xml = src.read("[Content_Types].xml").decode("utf-8")
            for sheet, rows in self._new.items():
                part = parts.get(sheet)
                if part is None:  # someone deleted it: add it back at the end
                    part, book_xml, rels_xml, types_xml = _add_sheet(sheet, self._names + list(extra),
                                                                     book_xml, rels_xml, types_xml,
                                                                     hidden=sheet in HIDDEN_SHEETS)
                    extra[part] = _sheet_xml(None, self.headers(sheet), rows).encode("utf-8")
                    parts[sheet] = part
                else:
                    old = src.read(part).decode("utf-8")
                    xml = _sheet_xml(old, self.headers(sheet), rows, self._layout.get(sheet))
                    if "<f>" in xml or "<f " in xml:  # formulas people keep in the sheet (qingdan writes none)
                        book_xml = _recalculated_on_load(book_xml)
                    extra[part] = xml.encode("utf-8")
            rels_xml = re.sub(r'<Relationship\b[^>]*Target="[^"]*calcChain\.xml"[^>]*/>', "", rels_xml)
            types_xml = re.sub(r'<Override\b[^>]*PartName="/xl/calcChain\.xml"[^>]*/>', "", types_xml)
            replaced = dict(extra)
            # the workbook's own parts are rewritten only when they must change
            # (a sheet added back, calcChain dropped), else copied as they are
            for name, text in (("xl/workbook.xml", book_xml), ("xl/_rels/workbook.xml.rels", rels_xml),
                               ("[Content_Types].xml", types_xml)):
                if text.encode("utf-8") != src.read(name):
                    replaced[name] = text.encode("utf-8")
            # parts kept are copied still compressed, byte for byte (no inflate and
            # deflate of a large 清单 on every write); new parts are deflated
            zout = _ZipOut()
            for info in src.infolist():
                if info.filename == "xl/calcChain.xml":
                    continue
                if info.filename in replaced:
                    zout.deflate(info.filename, replaced.pop(info.filename), info)
                elif not zout.copy(self.data, info):
                    zout.deflate(info.filename, src.read(info.filename), info)
            for name, content in replaced.items():  # parts that did not exist before
                zout.deflate(name, content)
        return zout.finish()

    def _sheets_by_name(self) -> list[tuple[str, str]]:
        return [(name, part) for name, part in self._sheets if part in self._names]



_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_UTF8_NAME = 0x800


class _ZipOut:
    """A zip written entry by entry: parts copied with their compressed bytes as
    they are, or new content deflated.  Sizes stay far below zip64's limits (the
    guard caps a master at 500 MB and 5,000 parts)."""

    def __init__(self) -> None:
        self._out = io.BytesIO()
        self._central: list[bytes] = []

    def _add(self, name: str, date_time: tuple, method: int, crc: int, packed: bytes, size: int,
             external: int, system: int) -> None:
        raw_name = name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8_NAME
        year, month, day, hour, minute, second = date_time
        if year < 1980:
            year, month, day, hour, minute, second = 1980, 1, 1, 0, 0, 0
        dos_time = hour << 11 | minute << 5 | second // 2
        dos_date = (year - 1980) << 9 | month << 5 | day
        offset = self._out.tell()
        self._out.write(_LOCAL.pack(0x04034B50, 20, flags, method, dos_time, dos_date, crc, len(packed), size,
                                    len(raw_name), 0))
        self._out.write(raw_name)
        self._out.write(packed)
        self._central.append(_CENTRAL.pack(0x02014B50, system << 8 | 20, 20, flags, method, dos_time, dos_date,
                                           crc, len(packed), size, len(raw_name), 0, 0, 0, 0, external, offset)
                             + raw_name)

    def copy(self, data: bytes, info: zipfile.ZipInfo) -> bool:
        """Copy ``info``'s entry of the zip ``data`` without recompressing it;
        False when it cannot be copied so (see guard.packed_part), and the caller
        deflates it instead."""
        packed = packed_part(data, info)
        if packed is None:
            return False
        packed = bytes(packed)
        # inflated once to check its CRC (inflating is cheap; deflating again is what is saved):
        # a damaged part makes the write fail, as reading it would, and the master stays as it was
        content = packed if info.compress_type == zipfile.ZIP_STORED else zlib.decompress(packed, -15)
        if zlib.crc32(content) != info.CRC or len(content) != info.file_size:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
        self._add(info.filename, info.date_time, info.compress_type, info.CRC, packed, info.file_size,
                  info.external_attr, info.create_system)
        return True

    def deflate(self, name: str, content: bytes, like: zipfile.ZipInfo | None = None) -> None:
        """Add ``content`` as a new deflated entry (with ``like``'s date and attributes)."""
        packer = zlib.compressobj(3, zlib.DEFLATED, -15)  # level 3: near 6's size at a third of its time
        packed = packer.compress(content) + packer.flush()
        if like is None:
            self._add(name, (1980, 1, 1, 0, 0, 0), zipfile.ZIP_DEFLATED, zlib.crc32(content), packed,
                      len(content), 0o600 << 16, 3)
        else:
            self._add(name, like.date_time, zipfile.ZIP_DEFLATED, zlib.crc32(content), packed, len(content),
                      like.external_attr, like.create_system)

    def finish(self) -> bytes:
        """The zip's bytes, its central directory written."""
        directory = b"".join(self._central)
        offset = self._out.tell()
        self._out.write(directory)
        self._out.write(_END.pack(0x06054B50, 0, 0, len(self._central), len(self._central), len(directory),
                                  offset, 0))
        return self._out.getvalue()


@contextmanager
def updating(path: Path, now: dt.datetime | None = None, master: Master | None = None) -> Iterator[MasterUpdate]:
    """Open the master for an update of its owned sheets; on leaving the block the
    master is backed up and replaced atomically (only if something changed).
    ``master``: the master as this command read it; when the file still holds
    exactly those bytes, it is not checked or parsed again.

    Refuses when Excel/WPS has the master open, or another qingdan command is
    writing it.  An exception inside the block leaves the master untouched."""
    refuse_if_open(path)
    # the file's own read-only mark (Windows' 只读 attribute, or no write bit); checked
    # by mode rather than os.access, which says yes to root whatever the mark
    if path.exists() and not path.stat().st_mode & stat.S_IWUSR:
        raise MasterError(W.M_MASTER_READ_ONLY.format(path=path))
    with master_lock(path):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise MasterError(W.M_MASTER_UNREADABLE.format(path=path, reason=exc.strerror or exc)) from None
        try:
            if master is not None and master.data == data:  # checked when it was read
                update = MasterUpdate(path, data, master.owned)
            else:
                check_workbook(path, data)
                update = MasterUpdate(path, data)
        except QingdanError as exc:
            raise MasterError(exc.message) from None
        except (zipfile.BadZipFile, KeyError, zlib.error, SafeET.ParseError, UnicodeDecodeError) as exc:
            raise MasterError(W.M_MASTER_UNREADABLE.format(path=path, reason=exc)) from None
        yield update
        if update.changed:
            _follow_schedules(update, master if master is not None and master.data == data else None)
            try:
                content = update.build()
            except QingdanError:
                raise
            except Exception as exc:  # out of memory, a part we cannot rewrite …: the old master stays
                raise MasterError(W.M_WRITE_FAILED.format(path=path, reason=getattr(exc, "strerror", None) or exc)
                                  ) from None
            backup(path, now)
            atomic_write(path, lambda tmp: tmp.write_bytes(content))


def _follow_schedules(update: MasterUpdate, master: Master | None) -> None:
    """On a write that happens anyway: bring 清单's derived cells (完成时限, 时限类型) to
    what deadlines.follow_schedule gives, as forms and report already see them, and
    the hidden record of what was derived.  Only blank cells and those holding what
    qingdan derived change; a date or a kind the clerk typed, a formula, text that is
    no date are left.  Anything that goes wrong here leaves 清单 and the record as they
    were: the write the command came for goes ahead."""
    before = update.snapshot()
    try:
        if master is None:  # the file changed since the command read it
            master = read_master(update.path, update.data, checked=True)  # updating() checked it
        c_date, c_kind = master.derived_columns
        cells: dict[tuple[int, int], object] = {}
        for row in master.derived:
            raw = row.date_cell
            on_file = parse_date(raw)
            if c_date is not None and on_file != row.date and (on_file is not None or not cell_text(raw)):
                cells[(row.line, c_date)] = row.date
            if c_kind is not None and row.kind_cell != row.kind and (
                    not row.kind_cell or row.kind_cell in W.DEADLINE_KINDS):
                cells[(row.line, c_kind)] = row.kind
        left = {line for line, _ in update.set_cells(W.SHEET_LIST, cells)} if cells else set()
        rows = []
        for row in master.derived:
            # a row whose cells could not be written keeps its old record, so the reader
            # goes on deriving its values from the text
            derived = row.recorded if row.line in left else row.record
            if derived is not None:
                rows.append([row.code, derived.schedule, derived.date.isoformat() if derived.date else "",
                             derived.kind])
        if [r[:len(W.DERIVED_HEADERS)] for r in update.rows(W.SHEET_DERIVED)] != rows:
            update.set_rows(W.SHEET_DERIVED, rows)
    except Exception:  # a master the reader refuses, a 清单 we cannot edit: left as it is
        update.restore(before)


def log_line(path: Path, action: str, file: str, office: str, result: str, message: str,
             now: dt.datetime | None = None, master: Master | None = None) -> None:
    """Append one line to the master's 日志 sheet (``master``: as read by this command)."""
    from .model import LogEntry

    now = now or dt.datetime.now()
    with updating(path, now, master) as update:
        update.append(W.SHEET_LOG, LogEntry(now, action, file, office, result, message).cells())


# --- sheet XML -----------------------------------------------------------------

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
    above: str = ""  # those rows' XML, as it was
    kept: dict[int, dict[int, str]] = field(default_factory=dict)  # data row → added column → its old cell XML


# a cell's style as Excel, WPS, LibreOffice and qingdan write it: r= then s=
_CELL_STYLE = re.compile(r'<c r="([A-Z]{1,3})(\d+)"(?: s="(\d+)")?')  # no s=: style 0
# rows people hid, formatted as a whole, or grouped (LibreOffice also writes the defaults: hidden="false" …)
_ROW_MARKED = re.compile(
    r'<row\b(?=[^>]*\s(?:hidden="(?:1|true)"|customFormat="(?:1|true)"|outlineLevel="[1-7]"))[^>]*>')
_ATTR = re.compile(r'\s(\w+)="([^"]*)"')
_COL = re.compile(r"<col\b([^>]*)/>")


def _look(old: str | None, ncols: int, layout: SheetLayout | None = None) -> _Look:
    """The look of the sheet being replaced, so it survives: widths, the header's
    styles, each column's usual style for rows to come, and the styles and row
    attributes people gave single cells and rows (kept on those rows)."""
    look = _Look(["0"] * ncols, ["0"] * ncols, [10.0] * ncols, "")
    if old is None:
        return look
    where = layout.columns[:ncols] if layout else list(range(ncols))  # old column of each column
    new_of = {oc: c for c, oc in enumerate(where)}
    col_styles: dict[int, str] = {}
    rows_at = old.find("<sheetData")
    for m in _COL.finditer(old, 0, rows_at if rows_at >= 0 else len(old)):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m[1]))
        lo, hi = int(attrs.get("min", 1)), int(attrs.get("max", 1))
        for oc in range(lo - 1, min(hi, max(where, default=-1) + 1)):
            if (c := new_of.get(oc)) is None:
                continue
            if "width" in attrs:
                look.widths[c] = float(attrs["width"])
            if "style" in attrs:
                col_styles[c] = attrs["style"]
    header_at = layout.header if layout else 1
    m = re.search(rf'<row\b([^>]*?\sr="{header_at}"[^>]*?)(?<!/)>(.*?)</row>', old, re.S)
    start = m.end() if m else max(rows_at, 0)
    end = old.find("</sheetData>", start)
    end = len(old) if end < 0 else end
    if m and layout is not None and header_at > 1:  # a title people typed above the table: kept
        opened = _SHEET_DATA.search(old)
        if opened is not None and not opened[1] and opened.end() <= m.start():
            look.top, look.above = header_at, old[opened.end():m.start()]
    if m:
        look.row_attrs = " ".join(f'{k}="{v}"' for k, v in re.findall(r'(ht|customHeight)="([^"]*)"', m[1]))
        for cm in re.finditer(r'<c\b[^>]*\sr="([A-Z]+)\d+"[^>]*?\ss="(\d+)"', m[2]):
            if (c := new_of.get(xl_cell_to_rowcol(cm[1] + "1")[1])) is not None:
                look.head[c] = cm[2]
    counts, cells = _cell_styles(old, start, end)  # column letters → style → cells; every cell, if needed
    usual = {letters: max(styles, key=styles.get) for letters, styles in counts.items()}
    for c, oc in enumerate(where):
        letters = xl_col_to_name(oc)
        look.body[c] = usual[letters] if letters in usual else col_styles.get(c, "0")
    if layout is None:
        return look
    look.kept = _added_cells(old, start, end, layout, where, look.top)
    index = {line: i for i, line in enumerate(layout.lines)}  # Excel row → data row
    column_of = {letters: new_of.get(xl_cell_to_rowcol(letters + "1")[1]) for letters in counts}
    for letters, line, style in cells:  # cells people formatted apart from their column
        style = style or "0"
        if style != usual[letters] and (c := column_of[letters]) is not None:
            if (i := index.get(int(line))) is not None:
                look.cells.setdefault(i, {})[c] = style
    look.rows = _row_marks(old, start, end, index)
    return look


def _row_marks(old: str, start: int, end: int, index: dict[int, int]) -> dict[int, str]:
    """Data row → the attributes people gave the row: hidden, a row format, an outline level."""
    marks: dict[int, str] = {}
    if not any(old.find(word, start, end) >= 0 for word in ('hidden="', 'customFormat="', 'outlineLevel="')):
        return marks  # the usual case, found without a pass over the rows
    for rm in _ROW_MARKED.finditer(old, start, end):
        attrs = dict(_ATTR.findall(rm[0]))
        i = index.get(int(attrs["r"])) if attrs.get("r", "").isdigit() else None
        if i is None:
            continue
        kept = [f'{k}="{attrs[k]}"' for k in ("hidden", "outlineLevel", "collapsed") if k in attrs]
        if attrs.get("customFormat") in ("1", "true") and attrs.get("s", "").isdigit():
            kept += [f's="{attrs["s"]}"', 'customFormat="1"']
        marks[i] = " " + " ".join(kept)
    return marks


def _added_cells(old: str, start: int, end: int, layout: SheetLayout, where: list[int], top: int
                 ) -> dict[int, dict[int, str]]:
    """Data row → column → the old cell's XML, for the columns people added (a
    formula, a number, a date stays what it was), when every column keeps its
    place and every old row its row number (no blank rows between them, no spacer
    column, no column of theirs between qingdan's: a moved cell would clash with
    another, and a formula would read another column).  Otherwise such columns are
    written from their values (a formula as its last result)."""
    # only when every column stays where it was: the cells' r= and a formula's references hold
    added = {xl_col_to_name(where[c]): c for c in range(layout.contract, len(where))}
    if (not added or where != list(range(len(where)))
            or layout.lines != list(range(top + 1, top + 1 + len(layout.lines)))):
        return {}
    pattern = re.compile(rf'<c r="({"|".join(added)})(\d+)"[^>]*?(?:/>|>.*?</c>)', re.S)
    kept: dict[int, dict[int, str]] = {}
    last = top + len(layout.lines)
    for cm in pattern.finditer(old, start, end):
        line = int(cm[2])
        if top < line <= last:
            kept.setdefault(line - top - 1, {})[added[cm[1]]] = cm[0]
    return kept


def _cell_styles(old: str, start: int, end: int) -> tuple[dict[str, dict[str, int]], list[tuple[str, str, str]]]:
    """(column letters → style → how many cells of ``old[start:end]`` have it, and
    every cell as (letters, row, style) when they differ; [] when every cell has
    one style).  That usual case (qingdan writes them so) is shown by a sample and
    three counts, without a pass in Python over each cell (a tenth of a second on
    10,000 rows); otherwise one pass reads every cell, a cell without s= as style 0."""
    styled = old.count(' s="', start, end)
    if not styled:
        return {}, []  # no cell has its own style: rows to come take the column's format
    counts: dict[str, dict[str, int]] = {}
    for (letters, style), n in Counter((cm[1], cm[3] or "0")
                                       for cm in islice(_CELL_STYLE.finditer(old, start, end), 1000)).items():
        counts.setdefault(letters, {})[style] = n
    sampled = {style for styles in counts.values() for style in styles}
    if (len(sampled) == 1 and old.count(f' s="{next(iter(sampled))}"', start, end) == styled
            and old.count('<c r="', start, end) == styled):
        return counts, []  # every cell has the one style: the sample is the answer
    cells = _CELL_STYLE.findall(old, start, end)
    counts = {}
    for (letters, style), n in Counter((letters, style or "0") for letters, _, style in cells).items():
        counts.setdefault(letters, {})[style] = n
    return counts, cells


def escape(text: str) -> str:
    """``text`` with &, < and > written as XML entities (what xml.sax.saxutils.escape
    does, without that module's imports of urllib, http and ssl in every process)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def strip_illegal(text: str) -> str:
    """``text`` without the characters an .xlsx cannot hold (control characters, lone surrogates)."""
    return _ILLEGAL_XML.sub("", text)


def _cell(ref: str, value, style: str) -> str:
    s = f' s="{style}"' if style != "0" else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>' if s else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if isinstance(value, dt.date):
        value = value.isoformat()
    return _text_cell(ref, s, str(value))


def _xml_text(text: str) -> str:
    """``text`` as a cell's XML content: without the characters an .xlsx cannot hold, escaped."""
    if not text.isprintable():  # control characters: a line break, or one an .xlsx cannot hold
        text = strip_illegal(text)
    return escape(text)


def _text_cell(ref: str, style_attr: str, text: str) -> str:
    """A cell holding ``text`` as an inline string (never a formula)."""
    return f'<c r="{ref}"{style_attr} t="inlineStr"><is><t xml:space="preserve">{_xml_text(text)}</t></is></c>'


def _sheet_data(headers: list[str], rows: list[list], old: str | None,
                layout: SheetLayout | None = None) -> tuple[str, str, int]:
    """(<sheetData> with the header and ``rows``, the last cell's reference, the header's row)."""
    look = _look(old, len(headers), layout)
    head, body, widths = look.head, look.body, look.widths
    n = len(headers)
    letters = [xl_col_to_name(c) for c in range(n)]
    # a text cell is  <c r="  letter row  " s=.. t="inlineStr"><is><t …>  text  </t></is></c>
    opens = [f'<c r="{letter}' for letter in letters]
    styles = [f' s="{style}"' if style != "0" else "" for style in body]
    mids = [f'"{s} t="inlineStr"><is><t xml:space="preserve">' for s in styles]
    fits = [one_line_chars(w) for w in widths]  # texts this short (and on one line) set no height
    known: list[dict[str, int]] = [{} for _ in range(n)]  # column → text → its lines: values repeat
    heights: dict[int, str] = {}
    own_cells, own_rows = look.cells, look.rows  # formatting people gave single cells and rows
    kept, top = look.kept, look.top
    out = [f'<sheetData>{look.above}<row r="{top}"{" " + look.row_attrs if look.row_attrs else ""}>']
    out.extend(_cell(f"{letters[c]}{top}", h, head[c]) for c, h in enumerate(headers))
    out.append("</row>")
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
                cells.append(as_was[c])
            elif type(v) is str and v:  # nearly every cell: written here, for speed
                if len(v) > fits[c] or "\n" in v:
                    k = known[c].get(v)
                    if k is None:
                        k = known[c][v] = wrapped_lines(v, widths[c])
                    if k > lines:
                        lines = k
                if own is None or c not in own:
                    cells.append(f"{opens[c]}{at}{mids[c]}{_xml_text(v)}</t></is></c>")  # _text_cell's XML
                else:
                    cells.append(_cell(f"{letters[c]}{at}", v, own[c]))
            else:
                if v is not None and v != "":
                    lines = max(lines, wrapped_lines(str(v), widths[c]))
                cells.append(_cell(f"{letters[c]}{at}", v, own.get(c, body[c]) if own else body[c]))
        height = heights.get(lines)
        if height is None:
            height = heights[lines] = str(lines_height(lines))
        marks = own_rows.get(r - top - 1, "") if own_rows else ""
        out.append(f'<row r="{at}" ht="{height}" customHeight="1"{marks}>{"".join(cells)}</row>')
    out.append("</sheetData>")
    last = f"{letters[-1]}{top + len(rows)}"
    return "".join(out), last, top


_EMPTY_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}"><dimension ref="A1"/>'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
    'state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
    "<sheetData/></worksheet>"
)


def _sheet_xml(old: str | None, headers: list[str], rows: list[list], layout: SheetLayout | None = None) -> str:
    """The sheet's XML with new rows: everything outside <sheetData> (widths, frozen
    pane, print setup, protection …) kept, the dimension and filter range updated;
    with ``layout``, the rows that were there keep their own cell and row formatting."""
    data, last, top = _sheet_data(headers, rows, old, layout)
    xml = old if old is not None else _EMPTY_SHEET
    # found with find(), not one regex over the old rows: a lazy .*? across
    # megabytes of them is slow
    start = _SHEET_DATA.search(xml)
    end = -1
    if start is not None:
        end = start.end() if start[1] else xml.find("</sheetData>", start.end())
    if end < 0:
        raise MasterError(W.M_MASTER_UNREADABLE.format(path="", reason="sheetData"))
    if not start[1]:
        end += len("</sheetData>")
    head, tail = xml[:start.start()], xml[end:]
    for pattern, first in zip(_RANGE_REFS, ("A1", f"A{top}")):  # the first one, as in the sheet before
        ref = f"{first}:{last}"
        head, n = pattern.subn(lambda m, ref=ref: f"{m[1]}{ref}{m[2]}", head, count=1)
        if n == 0:
            tail = pattern.sub(lambda m, ref=ref: f"{m[1]}{ref}{m[2]}", tail, count=1)
    return head + data + tail


_SHEET_DATA = re.compile(r"<sheetData\b[^>]*?(/?)>")
_RANGE_REFS = [re.compile(rf'(<{tag}\b[^>]*\sref=")[^"]*(")') for tag in ("dimension", "autoFilter")]


_AFTER_CALC_PR = ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
                  "fileRecoveryPr", "webPublishObjects", "extLst")


def _recalculated_on_load(book_xml: str) -> str:
    """workbook.xml asking Excel to recalculate every formula when it opens the
    file: values around the formulas people keep in 进展 have changed, and their
    cached results would otherwise show until someone presses F9."""
    m = re.search(r"<calcPr\b[^>]*>", book_xml)
    if m:
        tag = m[0]
        attribute = re.search(r"""\sfullCalcOnLoad\s*=\s*(["'])[^"']*\1""", tag)
        if attribute:
            tag = tag[:attribute.start()] + ' fullCalcOnLoad="1"' + tag[attribute.end():]
        else:
            tag = tag.replace("<calcPr", '<calcPr fullCalcOnLoad="1"', 1)
        return book_xml[:m.start()] + tag + book_xml[m.end():]
    # no calcPr: it goes before the first of the elements the schema puts after it (looked
    # for after </sheets>: a workbookView, before it, may hold an extLst of its own)
    sheets = max(book_xml.find("</sheets>"), 0)
    at = min((m.start() for name in _AFTER_CALC_PR if (m := re.compile(rf"<{name}\b").search(book_xml, sheets))),
             default=book_xml.rfind("</workbook>"))
    if at < 0:
        return book_xml
    return book_xml[:at] + '<calcPr fullCalcOnLoad="1"/>' + book_xml[at:]


def _add_sheet(sheet: str, names: list[str], book_xml: str, rels_xml: str, types_xml: str, hidden: bool = False):
    n = 1
    while f"xl/worksheets/sheet{n}.xml" in names:
        n += 1
    part = f"xl/worksheets/sheet{n}.xml"
    ids = [int(x) for x in re.findall(r'Id="rId(\d+)"', rels_xml)]
    rid = f"rId{max(ids, default=0) + 1}"
    sheet_ids = [int(x) for x in re.findall(r'<sheet\b[^>]*\ssheetId="(\d+)"', book_xml)]
    sheet_id = max(sheet_ids, default=0) + 1
    state = ' state="hidden"' if hidden else ""
    entry = f'<sheet name="{escape(sheet)}" sheetId="{sheet_id}"{state} r:id="{rid}" xmlns:r="{_NS_REL}"/>'
    book_xml = re.sub(r"</sheets>", lambda _: entry + "</sheets>", book_xml, count=1)
    rel = f'<Relationship Id="{rid}" Type="{_WORKSHEET_TYPE}" Target="worksheets/sheet{n}.xml"/>'
    rels_xml = rels_xml.replace("</Relationships>", rel + "</Relationships>", 1)
    override = f'<Override PartName="/{part}" ContentType="{_SHEET_CT}"/>'
    types_xml = types_xml.replace("</Types>", override + "</Types>", 1)
    return part, book_xml, rels_xml, types_xml


# --- single cells of a sheet people own (the derived 完成时限 / 时限类型 of 清单) -------

_WORKSHEET_DEFAULT_NS = re.compile(rf'^\s*(?:<\?xml[^>]*\?>\s*)?<worksheet\b[^>]*\sxmlns="{re.escape(_NS_MAIN)}"')
_CELL = re.compile(r'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")
# Excel's built-in number formats that show a date (ids 27-36 and 50-58: the East Asian dates)
_DATE_FORMAT_IDS = {*range(14, 18), 22, *range(27, 37), *range(50, 59)}


def _date_styles(styles_xml: str) -> set[str]:
    """The cell styles (indexes into cellXfs, as s= gives them) whose number format shows a date."""
    formats = set(_DATE_FORMAT_IDS)
    for m in re.finditer(r"<numFmt\b[^>]*/>", styles_xml):
        attrs = dict(_ATTR.findall(m[0]))
        code = attrs.get("formatCode", "").replace("&quot;", '"').replace("&amp;", "&")
        code = re.sub(r'"[^"]*"|\\.|\[(?!\$-F800)[^\]]*\]', "", code).lower()  # quoted text, escapes, [Red] …
        if attrs.get("numFmtId", "").isdigit() and ("y" in code or "d" in code or "$-f800" in code):
            formats.add(int(attrs["numFmtId"]))
    xfs = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", styles_xml, re.S)
    out = set()
    for i, m in enumerate(re.finditer(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", xfs[1] if xfs else "", re.S)):
        fmt = dict(_ATTR.findall(re.match(r"<xf\b[^>]*", m[0])[0])).get("numFmtId", "0")
        if fmt.isdigit() and int(fmt) in formats:
            out.add(str(i))
    return out


def _with_date_style(styles_xml: str, style: str) -> tuple[str, str] | None:
    """styles.xml with one more cell style: ``style`` showing dates (yyyy-mm-dd's built-in
    14, 年/月/日 in a Chinese Excel); (its s=, the new styles.xml), None when styles.xml
    cannot be read so."""
    xfs = re.search(r"(<cellXfs\b[^>]*>)(.*?)(</cellXfs>)", styles_xml, re.S)
    if xfs is None:
        return None
    found = list(re.finditer(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", xfs[2], re.S))
    if not found or not style.isdigit() or int(style) >= len(found):
        return None
    xf = found[int(style)][0]
    tag = re.match(r"<xf\b[^>]*?(?=/?>)", xf)[0]
    new_tag = re.sub(r'\s(?:numFmtId|applyNumberFormat)="[^"]*"', "", tag) + ' numFmtId="14" applyNumberFormat="1"'
    body = xfs[2] + new_tag + xf[len(tag):]
    opening = re.sub(r'\scount="\d+"', f' count="{len(found) + 1}"', xfs[1])
    return str(len(found)), styles_xml[:xfs.start()] + opening + body + xfs[3] + styles_xml[xfs.end():]


def _edit_cells(xml: str, cells: dict[tuple[int, int], object], date_styles: set[str],
                date_style: Callable[[str], str | None]) -> tuple[str, set[tuple[int, int]]]:
    """``xml`` (a worksheet) with the cells at (Excel row, 0-based column) holding the given
    values (a date, a text, or None for blank), each keeping its own style; a cell the
    row lacks is inserted in column order.  A date is written as Excel's serial number in
    a style that shows dates: the cell's own, else the one most cells of its column that
    show dates have, else ``date_style(its style)`` (None: the cell is left).  Returns
    (the XML, the cells left as they were).  Left as they were: a formula, a row that
    is not there or whose cells carry no r=, and every cell of a sheet not written as
    Excel, WPS, LibreOffice and xlsxwriter write it (a prefixed namespace, strict
    OOXML …): editing what we cannot read safely could damage it, and the reader's
    rule gives forms and report the same values either way."""
    skipped: set[tuple[int, int]] = set()
    data = _SHEET_DATA.search(xml)
    if not _WORKSHEET_DEFAULT_NS.match(xml) or data is None or data[1]:
        return xml, set(cells)
    by_line: dict[int, dict[int, object]] = {}
    for (line, c), value in cells.items():
        by_line.setdefault(line, {})[c] = value
    column_styles: dict[int, tuple[str, str]] = {}  # column → (usual style, usual date style)

    def usual(c: int) -> tuple[str, str]:
        if c not in column_styles:
            letters = xl_col_to_name(c)
            styles = Counter(cm[2] or "0" for cm in _CELL_STYLE.finditer(xml) if cm[1] == letters)
            dated = Counter({s: n for s, n in styles.items() if s in date_styles})
            column_styles[c] = (max(styles, key=styles.get) if styles else "0",
                                max(dated, key=dated.get) if dated else "")
        return column_styles[c]

    out, at = [], data.end()
    out.append(xml[:at])
    end = xml.find("</sheetData>", at)
    for line in sorted(by_line):
        m = re.compile(rf'<row\b(?=[^>]*\sr="{line}")([^>]*?)(/?)>').search(xml, at, end)
        close = xml.find("</row>", m.end(), end) if m is not None and not m[2] else -1
        if m is None or (not m[2] and close < 0):
            skipped.update((line, c) for c in by_line[line])
            continue
        content = "" if m[2] else xml[m.end():close]
        found = list(_CELL.finditer(content))
        refs = [_CELL_REF.fullmatch(dict(_ATTR.findall(cm[1])).get("r", "")) for cm in found]
        if any(ref is None or ref[2] != str(line) for ref in refs):
            skipped.update((line, c) for c in by_line[line])
            continue
        columns = [xl_cell_to_rowcol(ref[0])[1] for ref in refs]
        pieces = [(col, cm.start(), cm.end(), cm) for col, cm in zip(columns, found)]
        new_cells: list[tuple[int, int, int, str]] = []  # (start, end, column, XML) in content
        for c, value in sorted(by_line[line].items()):
            old = next((p for p in pieces if p[0] == c), None)
            if old is not None and re.search(r"<f\b", old[3][0]):
                skipped.add((line, c))  # a formula the clerk wrote: his
                continue
            style = dict(_ATTR.findall(old[3][1])).get("s", "0") if old is not None else usual(c)[0]
            ref = f"{xl_col_to_name(c)}{line}"
            if isinstance(value, dt.date):
                shown = style if style in date_styles else usual(c)[1] or date_style(style)
                if shown is None:
                    skipped.add((line, c))
                    continue
                cell = f'<c r="{ref}" s="{shown}"><v>{(value - EXCEL_EPOCH).days}</v></c>' if shown != "0" \
                    else f'<c r="{ref}"><v>{(value - EXCEL_EPOCH).days}</v></c>'
            elif value is None or value == "":
                cell = f'<c r="{ref}" s="{style}"/>' if style != "0" else f'<c r="{ref}"/>'
            else:
                cell = _text_cell(ref, f' s="{style}"' if style != "0" else "", str(value))
            if old is not None:
                new_cells.append((old[1], old[2], c, cell))
            else:  # before the first cell to its right, else at the row's end
                pos = min((p[1] for p in pieces if p[0] > c), default=len(content))
                new_cells.append((pos, pos, c, cell))
        new_content = content
        for start, stop, _, cell in sorted(new_cells, reverse=True):  # from the end: offsets hold
            new_content = new_content[:start] + cell + new_content[stop:]
        out.append(xml[at:m.start()])
        if m[2]:  # <row r="5"/>: opened to hold the cells
            out.append(f"<row{m[1]}>{new_content}</row>")
            at = m.end()
        else:
            out.append(xml[m.start():m.end()] + new_content)
            at = close
    out.append(xml[at:])
    return "".join(out), skipped
