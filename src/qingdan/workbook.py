"""The master after import, as a store: finding it and reading it into records
(update.py writes it).

Reading goes by header words, not positions: people edit the master, so a column
may have moved, a title row may sit above the header, extra columns may exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from defusedxml import ElementTree as SafeET
from xlsxwriter.utility import xl_col_to_name

from . import words as W
from .cells import cell_text, header_key
from .config import Config
from .dates import YEAR_IN_TEXT, parse_date
from .deadlines import Deadline, Derived, follow_schedule, parse_deadline
from .errors import MasterError, QingdanError, UsageError
from .files import refuse_if_open
from .guard import check_workbook
from .model import Problem, Progress, Task, offices_of
from .offices import OfficeList, split_offices
from .ooxml import EXCEL_EPOCH
from .periods import Period, parse_period
from .schema import CONTEXT_PROPERTY, DEMO_PREFIX, IDENTITY_PROPERTY

MASTER_FOLDER = Path("workbooks")
HEADER_SEARCH_ROWS = 10  # a title or a blank row or two may sit above the header
OWNED_SHEETS = {W.SHEET_PROGRESS: W.PROGRESS_HEADERS, W.SHEET_LOG: W.LOG_HEADERS,
                W.SHEET_DERIVED: W.DERIVED_HEADERS}
HIDDEN_SHEETS = {W.SHEET_DERIVED}  # owned sheets people do not see (added back hidden)


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

@dataclass(frozen=True)
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
        return self.identity.startswith(DEMO_PREFIX)

    def owns(self, meta: dict[str, str]) -> bool:
        """Whether the form whose _meta pairs are ``meta`` was made from this master:
        by the identity it carries; a form made before forms carried one, by a 下发
        in this master's 日志 at the very second the form was made."""
        theirs = meta.get(W.META_IDENTITY, "")
        if theirs:
            return not self.identity or theirs == self.identity
        made = meta.get(W.META_MADE, "").replace("T", " ")
        return not made or any(split.time == made for split in self.splits)

    @cached_property
    def splits(self) -> list[Split]:
        """Every 下发 that 日志 records, oldest first (read once)."""
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
        for split in reversed(self.splits):
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
        for split in reversed(self.splits):
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


def sheet_rows(book, name: str) -> list[list] | None:
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
    return [h for h in properties.get(CONTEXT_PROPERTY, "").split("\t") if h.strip()]


_LOGGED_IDENTITY = re.compile(re.escape(W.LOG_IDENTITY).replace(r"\{identity\}", r"(?P<id>[0-9a-z-]+)") + r"\s*$")


def _identity(properties: dict[str, str], log: list[dict[str, str]] | list[list[str]]) -> str:
    """The master's identity: its custom property; else (an office suite that
    dropped the property) the latest import line of 日志 naming it; else, for a
    master made before identities, one made from its first 日志 line (when it
    was imported, and what), the same every time it is read; "" without 日志."""
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


def identity_of(source: Path | bytes, log: list[list[str]]) -> tuple[str, str]:
    """(identity, list title) of the master at ``source`` (its path, or its bytes)
    whose 日志 rows are ``log``; only its document properties are read."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zf:
            properties, title = _custom_properties(zf), _title_of(zf)
    except (zipfile.BadZipFile, OSError):
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


def open_master(option: str | Path | None, config: Config, writing: bool = False) -> Master:
    """The master to work on (find_master), read into records (read_master).
    ``writing``: the command will write it (its 日志 line at least), so it is
    refused at once while an office suite has it open, before any work is done."""
    path = find_master(option, config)
    if writing:
        refuse_if_open(path)
    return read_master(path)


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
        list_rows = sheet_rows(book, W.SHEET_LIST)
        progress_rows = sheet_rows(book, W.SHEET_PROGRESS) or []
        office_rows = sheet_rows(book, W.SHEET_OFFICES) or []
        log_rows = sheet_rows(book, W.SHEET_LOG) or []
        record_rows = sheet_rows(book, W.SHEET_DERIVED) or []
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # any calamine failure (a Rust panic is not an Exception): unreadable
        raise MasterError(W.M_MASTER_UNREADABLE.format(path=path, reason=exc)) from None
    if list_rows is None:
        raise MasterError(W.M_MASTER_NO_LIST.format(path=path, sheet=W.SHEET_LIST))
    title = title or path.stem
    m = YEAR_IN_TEXT.search(title) or YEAR_IN_TEXT.search(path.stem)
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


def table_rows(rows: list[list], header_row: int, col: dict[str, int], headers: list[str],
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
    return table_rows(rows, *found, headers) if found else []


def typed_value(value) -> int | float | bool | None:
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
        for office, c in _read_contacts(sheet_rows(book, W.SHEET_OFFICES) or []).items():
            if any(values := [c.person, c.email, c.phone, c.leader]):
                contacts[office] = values
        log = [list(row.values()) for row in _read_table(sheet_rows(book, W.SHEET_LOG) or [], W.LOG_HEADERS, 2)]
    except Exception:  # calamine's failures on a damaged file: a new master is what --force is for
        return Kept({}, [], [])
    mine = {W.SHEET_LIST, W.SHEET_PROGRESS, W.SHEET_OFFICES, W.SHEET_LOG, W.SHEET_DERIVED}
    return Kept(contacts, log, [n for n in names if n not in mine])
