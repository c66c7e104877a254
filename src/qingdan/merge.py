"""``qingdan merge``: returned 填报表 → the master's 进展 sheet, nothing lost.

Every file is read in full before anything is written.  Rows are matched by
编号, never by position; each row problem is collected with its file, row,
column and reason, and a bad row or a bad file never stops the good ones.  The
files' bytes are archived by fingerprint beside the master before the master
changes, and then the master is written once, under its lock: accepted rows
into 进展 (one row per 编号 × 处室 × 期次, a file saved later superseding an
earlier one) and a line per file in 日志.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import words as W
from .config import Config, load_config
from .dates import parse_date
from .errors import QingdanError, ReaderError, SourceError, UsageError
from .files import LaterSync, refuse_if_open
from .formlayout import FILL_HEADERS, FORM_FORMAT, FormRow, row_hash
from .formlayout import LOCKED_HEADERS as LOCKED_BASE
from .isolate import Reader
from .model import LogEntry, Progress, Task, compress_codes
from .offices import safe_filename
from .periods import Period, parse_period
from .returns import Returned, ReturnedRow, check_return_name, fingerprint
from .schema import DEMO_PREFIX, EXCEL_CELL_MAX
from .statuses import normalise_status
from .tuning import fewer_collections
from .workbook import EXCEL_EPOCH, MASTER_FOLDER, Master, cell_text, find_master, read_master, strip_illegal, updating

WIDTH = len(W.PROGRESS_HEADERS)  # 进展's own columns; the clerk's own come after them
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

# how a file's office and period were found
FROM_META, FROM_TITLE, FROM_NAME = W.SOURCE_META, W.SOURCE_TITLE, W.SOURCE_NAME


_SERIALS = range(36526, 73051)  # 2000-01-01 … 2099-12-31 as Excel date serials


def returned_date(value, period: Period) -> dt.date | None:
    """A 完成日期 as an office wrote it: an Excel date, text in any form
    dates.parse_date reads (``6月30日`` in the period's year), a number typed as
    20230630, or a date serial pasted as a plain number (45107)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        number = int(value)
        if 19000101 <= number <= 21001231:
            return parse_date(str(number))
        if number in _SERIALS:
            return EXCEL_EPOCH + dt.timedelta(days=number)
        return None
    return parse_date(value, period.end.year)


def clean_text(value) -> str:
    """A returned cell as the text to store: trimmed, line breaks as \\n, and
    without characters an .xlsx cannot hold.  A leading = + - @ stays text."""
    text = cell_text(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return strip_illegal(text)


@dataclass
class RowProblem:
    """A row of a returned file that was not taken, or was taken with a change refused."""

    file: Path
    row: int
    column: str  # letter, or "" for the whole row
    header: str
    reason: str
    taken: bool = False  # the row's answers were taken; only the change named is not

    @property
    def where(self) -> str:
        if self.column:
            return W.P_WHERE_ROW_COL.format(row=self.row, col=self.column, header=self.header)
        return W.P_WHERE_ROW.format(row=self.row)


@dataclass
class FileResult:
    """One returned file and what merge made of it."""

    path: Path
    fingerprint: str = ""
    office: str = ""
    period: Period | None = None
    source: str = ""  # where office and period were found: FROM_META, FROM_TITLE, FROM_NAME
    saved: dt.datetime | None = None
    saved_guessed: bool = False  # no saved time in the file: its modification time stands in
    rows: list[Progress] = field(default_factory=list)  # accepted
    lines: list[int] = field(default_factory=list)  # the Excel row number of each accepted row
    problems: list[RowProblem] = field(default_factory=list)
    blank: int = 0  # rows of the office left empty
    missing: list[str] = field(default_factory=list)  # 编号 in _meta but not in the file
    won: int = 0  # accepted rows now in 进展 (not beaten by a file saved later)
    older: int = 0  # accepted rows beaten by a file saved later
    older_than: tuple[str, str] = ("", "")  # (file, time) of that later answer
    contested: bool = False  # another file answered the same 编号 × 处室 × 期次
    superseded: bool = False  # nothing taken: the office's later file of the period stands instead
    error: str = ""  # why the whole file was refused
    transient: bool = False  # the reader crashed or hung, or it could not be archived: tried again next run
    seen: str = ""  # already merged (or already refused) by an earlier run: when and how
    same_as: FileResult | None = None  # an earlier file of this run with the same bytes
    other_period: str = ""  # label of the latest split period, when this file is not of it
    archived: Path | None = None
    archived_now: bool = False  # the copy at ``archived`` was written by this run (not yet known to be on disk)

    @property
    def rejected(self) -> list[RowProblem]:
        return [p for p in self.problems if not p.taken]

    @property
    def rejected_rows(self) -> int:
        """Rows not taken (a row with two problems counts once)."""
        return len({p.row for p in self.rejected})

    @property
    def changed(self) -> list[RowProblem]:
        return [p for p in self.problems if p.taken]

    @property
    def result(self) -> str:
        if self.same_as is not None:
            return W.RESULT_SAME
        if self.seen:
            return W.RESULT_DUPLICATE
        if self.error:
            return W.RESULT_READ_FAILED if self.transient else W.RESULT_REFUSED
        if self.superseded:
            return W.RESULT_OLDER
        if self.rejected:
            return W.RESULT_PARTLY if self.won else W.RESULT_FAILED
        if not self.rows:
            return W.RESULT_EMPTY
        if self.older and not self.won:
            return W.RESULT_OLDER
        return W.RESULT_OK

    @property
    def refused(self) -> bool:
        """Something in this file was not taken and needs the clerk's attention."""
        if self.same_as is not None:
            return self.same_as.refused
        if self.superseded:
            return False
        return self.result in (W.RESULT_REFUSED, W.RESULT_READ_FAILED, W.RESULT_FAILED, W.RESULT_PARTLY,
                               W.RESULT_EMPTY) \
            or bool(self.changed)

    @property
    def counted(self) -> bool:
        """Whether the file was read in this run (not refused whole, not a repeat)."""
        return not self.error and not self.seen and self.same_as is None

    def notes(self) -> list[str]:
        """Short remarks for the table's 说明 column."""
        out = []
        if self.error:
            out.append(self.error)
        if self.seen:
            out.append(self.seen)
        if self.same_as is not None:
            out.append(W.M_RETURN_SAME_RUN.format(file=self.same_as.path.name, result=self.same_as.result))
        if not self.counted:
            return out
        if self.source != FROM_META:
            out.append(W.M_RETURN_FROM.format(source=self.source))
        if self.other_period:
            out.append(W.M_RETURN_OTHER_PERIOD.format(own=self.period.label, period=self.other_period))
        if self.superseded:
            out.append(W.M_RETURN_SUPERSEDED.format(file=self.older_than[0], time=self.older_than[1]))
            return out
        if self.missing:
            out.append(W.M_RETURN_MISSING_CODES.format(n=len(self.missing), codes=compress_codes(self.missing)))
        if self.blank:
            out.append(W.M_RETURN_BLANK.format(n=self.blank))
        if self.older:
            out.append(W.M_RETURN_OLDER_ROWS.format(n=self.older, file=self.older_than[0], time=self.older_than[1]))
        if self.contested and self.saved_guessed:
            out.append(W.M_RETURN_TIME_GUESSED)
        return out


@dataclass
class MergeResult:
    master: Path
    dry_run: bool
    files: list[FileResult]
    added: int = 0
    updated: int = 0
    archive: Path | None = None
    written: bool = False
    skipped: list[Path] = field(default_factory=list)  # forms in split's folders, not returns
    demo: bool = False  # the demo's master
    projects: list[str] = field(default_factory=list)  # folders of other qingdan projects skipped, as said
    latest: Period | None = None  # the period split last
    masters: list[Path] = field(default_factory=list)  # masters in the folders given: skipped

    @property
    def refused(self) -> list[FileResult]:
        return [f for f in self.files if f.refused]

    @property
    def periods(self) -> list[Period]:
        return sorted({f.period for f in self.files if f.period is not None and f.won})


# --- finding the files ----------------------------------------------------------------

def split_folders(master: Master) -> set[Path]:
    """The folders split wrote forms into, as 日志 records them, and the default
    output/<期次>/下发 of each period split (in a copy of the whole project, 日志
    names the original's folders)."""
    folders = set()
    for split in master.splits():
        if split.folder:
            folders.add(Path(split.folder).resolve())
            if split.period is not None:
                folders.add((Path("output") / split.period.id / W.FOLDER_FORMS).resolve())
        if split.period is not None:  # the forms of the items still missing that mail --remind wrote
            for base in {Path("output") / split.period.id, Path(split.folder).parent if split.folder else None}:
                if base is not None:
                    folders.add((base / W.FOLDER_PARTIAL).resolve())
    return folders


def _inside(resolved: Path, folders: set[Path]) -> Path | None:
    """The folder of ``folders`` that holds the file at ``resolved`` (a resolved path)."""
    return next((f for f in folders if f in resolved.parents), None)


@dataclass
class Collected:
    """The files a merge was given, sorted out before any is read."""

    files: list[Path] = field(default_factory=list)  # to merge
    forms: list[Path] = field(default_factory=list)  # forms in split's folders: skipped
    named_forms: dict[Path, Path] = field(default_factory=dict)  # forms named on purpose → their folder
    projects: list[tuple[Path, bool]] = field(default_factory=list)  # other qingdan project folders: (folder, demo?)
    masters: list[Path] = field(default_factory=list)  # masters found in workbooks/ folders (a copy of this one …)


def _other_projects(folder: Path, identity: str) -> tuple[list[tuple[Path, bool]], set[Path]]:
    """(the folders below ``folder``, not ``folder`` itself, of another qingdan
    project — a workbooks/ folder beside them holds a master whose identity is
    known and not ``identity`` (the demo's, another list's) — each with whether it
    is the demo's; the masters in any workbooks/ folder below ``folder``, resolved:
    a copy of this master, say, is no return).  A master whose identity cannot be
    read does not make its folder another project's."""
    from .workbook import identity_of

    projects, masters = [], set()
    for found in sorted(folder.rglob(str(MASTER_FOLDER))):
        if not found.is_dir():
            continue
        for master in sorted(found.glob("*.xlsx")):
            if master.name.startswith(("~$", ".")):
                continue
            try:
                theirs = identity_of(master.read_bytes(), [])[0]
            except OSError:
                continue
            if not theirs:
                continue
            masters.add(master.resolve())
            if theirs != identity and found.parent.resolve() != folder.resolve() \
                    and all(p != found.parent for p, _ in projects):
                projects.append((found.parent, theirs.startswith(DEMO_PREFIX)))
    return projects, masters


def _project_name(folder: Path, demo: bool) -> str:
    return (W.M_PROJECT_DEMO if demo else W.M_PROJECT_OTHER).format(folder=folder)


def collect(paths: Iterable[str | Path], master: Path, forms: set[Path] = frozenset(),
            identity: str = "") -> Collected:
    """The files as given, and the spreadsheets found in folders (recursively),
    without Office lock files, hidden files, qingdan's archives and backups (this
    master's, or any 归档/备份 folder below a folder given), the master, the forms
    split wrote (``forms`` folders), or anything inside the folder of another
    qingdan project (the demo's, a copy of another list's).  A form named on
    purpose is listed, to be refused with a message.  UsageError for a path that
    does not exist."""
    skip_dirs = {(master.parent / W.ARCHIVE_DIR).resolve(), (master.parent / W.BACKUP_DIR).resolve()}
    own_dirs = {W.ARCHIVE_DIR, W.BACKUP_DIR}
    wanted = {*(s.lower() for s in W.RETURN_SUFFIXES), W.WPS_SUFFIX}
    the_master = master.resolve()
    out = Collected()
    found, skipped, named_forms = out.files, out.forms, out.named_forms
    seen: set[Path] = set()

    def add(path: Path, resolved: Path) -> None:
        if resolved not in seen and resolved != the_master:
            seen.add(resolved)
            found.append(path)

    for given in paths:
        path = Path(given)
        if path.is_dir():
            projects, masters = _other_projects(path, identity)
            out.projects += projects
            away = {p.resolve() for p, _ in projects}
            for child in sorted(path.rglob("*")):
                if not child.is_file() or child.suffix.lower() not in wanted:
                    continue
                if child.name.startswith(("~$", ".")):
                    continue
                if not own_dirs.isdisjoint(child.relative_to(path).parts[:-1]):
                    continue  # qingdan's backups and archives, of this master or another one
                resolved = child.resolve()  # once: every check below is on it
                if not skip_dirs.isdisjoint(resolved.parents) or not away.isdisjoint(resolved.parents):
                    continue
                if resolved in masters:
                    out.masters.append(child)
                    continue
                if _inside(resolved, forms):
                    skipped.append(child)
                    continue
                add(child, resolved)
        elif path.is_file():
            resolved = path.resolve()
            add(path, resolved)
            if folder := _inside(resolved, forms):
                named_forms[path] = folder
        else:
            raise UsageError(W.U_PATH_MISSING.format(path=path))
    return out


# --- which office and period ------------------------------------------------------------

# periods a file name may state: 2023Q2, 2023H1, 2023-06, 2023年第二季度, 2023年上半年, 2023年6月
# (not 2023年度: list titles, often part of a file name, start with it)
_PERIOD_IN_NAME = re.compile(
    r"(?<!\d)(\d{4}(?:[Qq][1-4]|[Hh][12]|-\d{1,2})|\d{4}年(?:第[一二三四1-4]季度|[上下]半年|\d{1,2}月))(?!\d)")
_SUBTITLE = re.compile(rf"{W.SUBTITLE_PERIOD}\s*[:：]\s*(.+?)(?=\s{{2,}}|{W.SUBTITLE_DUE}|$)", re.M)
_SUBTITLE_OFFICE = re.compile(rf"{W.SUBTITLE_OFFICE}\s*[:：]\s*(\S+)")


def _period_in_name(text: str) -> Period | None:
    for m in _PERIOD_IN_NAME.finditer(unicodedata.normalize("NFKC", text)):
        try:
            return parse_period(m[1])
        except QingdanError:
            continue
    return None


def _period_in_title(title: str) -> Period | None:
    """The period after 报送期次： on the form's subtitle line (spaces inside allowed)."""
    for m in _SUBTITLE.finditer(unicodedata.normalize("NFKC", title)):
        try:
            return parse_period(re.sub(r"\s+", "", m[1]))
        except QingdanError:
            continue
    return None


def _office_in(text: str, offices: list[str]) -> str | None:
    """The longest office name found in ``text`` (as written or as its safe file name)."""
    text = unicodedata.normalize("NFKC", text)
    hits = [o for o in offices if unicodedata.normalize("NFKC", o) in text or safe_filename(o) in text]
    return max(hits, key=len) if hits else None


_FORM_TITLE = re.compile(re.escape(W.FORM_TITLE).replace(r"\{title\}", "(?P<title>.+)"))


def _same_master(returned: Returned, master: Master) -> None:
    """SourceError when ``returned`` is a form of another master: its _meta names
    another identity (another list, another import of it, the demo), or, without
    _meta (values copied into a new workbook), its title names another list."""
    meta = returned.meta
    if meta is not None:
        if master.owns(meta):
            return

        theirs = meta.get(W.META_IDENTITY, "")
        if theirs.startswith(DEMO_PREFIX) and not master.demo:
            raise SourceError(W.M_RETURN_DEMO.format(path=returned.path))
        if not theirs:  # a form made before forms named their master, at no 下发 of this one
            raise SourceError(W.M_RETURN_UNKNOWN_SPLIT.format(
                path=returned.path, made=meta.get(W.META_MADE, "").replace("T", " "),
                file=meta.get(W.META_MASTER, "")))
        raise SourceError(W.M_RETURN_OTHER_MASTER.format(
            path=returned.path, list=meta.get(W.META_LIST, ""), file=meta.get(W.META_MASTER, ""),
            our_list=master.title, our_file=master.path.name))
    first = next((line for line in returned.title.splitlines() if line.strip()), "")
    m = _FORM_TITLE.fullmatch(_same_text(first))
    if m and _same_text(master.title) not in m["title"]:
        raise SourceError(W.M_RETURN_OTHER_LIST.format(path=returned.path, list=first.strip(), our_list=master.title))


def identify(returned: Returned, master: Master, latest: Period | None = None) -> tuple[str, Period, str]:
    """(office, period, where they were found): _meta, else the title line above
    the table and the file name.  Without _meta, a period stated in the file name
    wins (renaming is how a clerk corrects it); one read only from the title that
    is not ``latest`` is refused rather than filed under a period it may not be.
    SourceError when either cannot be found."""
    path = returned.path
    meta = returned.meta
    _same_master(returned, master)
    if meta and meta.get(W.META_OFFICE) and meta.get(W.META_PERIOD):
        version = meta.get(W.META_FORMAT, "")
        if version.isdigit() and int(version) > FORM_FORMAT:
            raise SourceError(W.M_RETURN_NEWER_FORMAT.format(path=path, version=version))
        office = meta[W.META_OFFICE]
        if office not in master.offices:
            raise SourceError(W.M_RETURN_UNKNOWN_OFFICE.format(path=path, office=office))
        try:
            return office, parse_period(meta[W.META_PERIOD]), FROM_META
        except QingdanError:
            pass  # a damaged _meta: fall back to what people can see
    title = unicodedata.normalize("NFKC", returned.title)
    sources = []
    m = _SUBTITLE_OFFICE.search(title)
    office = m[1] if m and m[1] in master.offices else _office_in(title, master.offices)
    if office:
        sources.append(FROM_TITLE)
    else:
        office = _office_in(path.stem, master.offices)
        if office:
            sources.append(FROM_NAME)
    if office is None:
        raise SourceError(W.M_RETURN_NO_OFFICE.format(path=path))
    period = _period_in_name(path.stem)
    if period is not None:
        sources.append(FROM_NAME)
    else:
        period = _period_in_title(title)
        if period is None:
            raise SourceError(W.M_RETURN_NO_PERIOD.format(path=path, office=office))
        sources.append(FROM_TITLE)
        if latest is not None and period != latest:
            raise SourceError(W.M_RETURN_PERIOD_UNSURE.format(path=path, period=period.label, latest=latest.label,
                                                              office=office, period_id=period.id))
    return office, period, W.LIST_JOIN.join(dict.fromkeys(sources))


# --- checking the rows -------------------------------------------------------------------

def _letter(returned: Returned, header: str) -> str:
    from xlsxwriter.utility import xl_col_to_name

    c = returned.columns.get(header)
    return xl_col_to_name(c) if c is not None else ""


def _merged_rows(returned: Returned) -> dict[int, str]:
    """Excel row number → the merged range that covers fill-in cells of that row."""
    fill = {returned.columns[h] for h in FILL_HEADERS if h in returned.columns}
    first_data = returned.header_row  # 0-based index of the first row below the header
    out: dict[int, str] = {}
    from xlsxwriter.utility import xl_range

    for r0, c0, r1, c1 in returned.merged:
        if r1 < first_data or (r0 == r1 and c0 == c1):
            continue
        if not any(c0 <= c <= c1 for c in fill):
            continue
        for r in range(max(r0, first_data), r1 + 1):
            out[r + 1] = xl_range(r0, c0, r1, c1)
    return out


def check_rows(returned: Returned, master: Master, office: str, period: Period, file_result: FileResult,
               saved: dt.datetime) -> None:
    """Fill ``file_result`` with the accepted rows and the problems of ``returned``."""
    tasks = master.by_code
    path = returned.path
    by_code: dict[str, list[ReturnedRow]] = {}
    problems = file_result.problems
    merged = _merged_rows(returned)
    code_letter = _letter(returned, W.H_CODE)
    for row in returned.rows:
        code = row.code
        filled = any(row.text(h) for h in FILL_HEADERS)
        if not code:
            if filled:
                problems.append(RowProblem(path, row.row, code_letter, W.H_CODE, W.P_ROW_NO_CODE))
            continue
        by_code.setdefault(code, []).append(row)

    for code, rows in by_code.items():
        if len(rows) > 1:
            numbers = W.LIST_JOIN.join(str(r.row) for r in rows)
            for row in rows:
                problems.append(RowProblem(path, row.row, code_letter, W.H_CODE,
                                           W.P_ROW_DUPLICATE.format(code=code, n=len(rows), rows=numbers)))
    if returned.hashes:
        file_result.missing = [c for c in returned.hashes if c not in by_code]

    when = saved.strftime(TIME_FORMAT)
    for code, rows in by_code.items():
        if len(rows) > 1:
            continue
        row = rows[0]
        if not any(row.text(h) for h in FILL_HEADERS):
            if code in tasks and office in tasks[code].offices.respondents:
                file_result.blank += 1
            continue
        task = tasks.get(code)
        if task is None:
            problems.append(RowProblem(path, row.row, code_letter, W.H_CODE, W.P_ROW_UNKNOWN_CODE.format(code=code)))
            continue
        if office not in task.offices.respondents:
            problems.append(RowProblem(path, row.row, code_letter, W.H_CODE, W.P_ROW_OTHER_OFFICE.format(
                code=code, offices=W.LIST_JOIN.join(task.offices.names), office=office)))
            continue
        row_problems, status, done = _check_values(returned, row, period)
        if row.row in merged:
            row_problems.insert(0, RowProblem(path, row.row, "", "", W.P_ROW_MERGED.format(ref=merged[row.row])))
        if row_problems:
            problems.extend(row_problems)
            continue
        changed = _locked_changes(returned, row, task, office)
        if changed:
            problems.append(RowProblem(path, row.row, "", "", W.P_ROW_LOCKED.format(
                columns=W.LIST_JOIN.join(changed)), taken=True))
        file_result.lines.append(row.row)
        file_result.rows.append(Progress(
            code, office, period.id, status, clean_text(row.text(W.H_PROGRESS)),
            done.isoformat() if done else "", clean_text(row.text(W.H_EVIDENCE)),
            clean_text(returned.reporter), clean_text(returned.phone), when, str(path), returned.fingerprint))


def _check_values(returned: Returned, row: ReturnedRow, period: Period
                  ) -> tuple[list[RowProblem], str | None, dt.date | None]:
    """(the problems of the row's answers, its 完成状态 as a DESIGN.md word, its 完成日期)."""
    out = []
    path = returned.path
    for header in FILL_HEADERS:
        n = len(row.text(header))
        if n > EXCEL_CELL_MAX:
            out.append(RowProblem(path, row.row, _letter(returned, header), header, W.P_ROW_TOO_LONG.format(n=n)))
    raw_status = row.value(W.H_STATUS)
    status = normalise_status(raw_status)
    if status is None:
        out.append(RowProblem(path, row.row, _letter(returned, W.H_STATUS), W.H_STATUS,
                              W.P_ROW_STATUS.format(value=clean_text(raw_status))))
    elif not status:
        out.append(RowProblem(path, row.row, _letter(returned, W.H_STATUS), W.H_STATUS, W.P_ROW_NO_STATUS))
    raw_date = row.value(W.H_DONE_DATE)
    done = returned_date(raw_date, period) if row.text(W.H_DONE_DATE) else None
    if row.text(W.H_DONE_DATE) and done is None:
        out.append(RowProblem(path, row.row, _letter(returned, W.H_DONE_DATE), W.H_DONE_DATE,
                              W.P_ROW_DATE.format(value=clean_text(raw_date))))
    return out, status, done


def _locked_changes(returned: Returned, row: ReturnedRow, task: Task, office: str) -> list[str]:
    """The locked columns whose text differs from what the form held (the master's
    text stands either way).  With _meta's hash, an unchanged row is known at once
    even when the master has changed since the split."""
    if row.unchanged:  # the common case: its cells hash as split wrote them
        return []
    locked = returned.locked
    present = [h for h in locked if h in returned.columns]
    code = row.code
    sent = {h: clean_text(row.text(h)) for h in present}
    if code in returned.hashes and len(present) == len(locked):
        if row_hash([sent[h] for h in locked]) == returned.hashes[code]:
            return []
    role = task.offices.role(office)
    context = [h for h in locked if h not in LOCKED_BASE]
    expected = dict(zip(locked, FormRow(task, role).locked(context)))
    # a changed row, or no hash to go by: name the columns that differ from the master
    return [h for h in present if h != W.H_CODE and _same_text(sent[h]) != _same_text(expected[h])]


def _same_text(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# --- the command ----------------------------------------------------------------------------

_LOGGED = re.compile(re.escape(W.LOG_PRINTS).replace(r"\{fingerprint\}", "(?P<print>[0-9a-f]{16})")
                     .replace(r"\{list\}", "(?P<list>[0-9a-f-]+)") + r"\s*$")


def _seen_before(master: Master) -> dict[str, tuple[str, str, str, str]]:
    """fingerprint → (how an earlier run dealt with a file of these bytes, its
    office, its period id, its name when that mattered): merged (a 进展 row came from it), or logged by merge against
    the same 清单 and under the same name (refused, empty, beaten by a later file …).
    Renamed (the file name may say its period) or under another 清单 (the clerk
    may have fixed the list), such a file is read again."""
    logged: dict[str, tuple[str, str, str, str, str]] = {}  # fingerprint → note, office, period, name, 清单
    for row in master.log:
        if row.get(W.LOG_HEADERS[1]) != W.ACTION_MERGE:
            continue
        message = row.get(W.LOG_HEADERS[5], "")
        m = _LOGGED.search(message)
        if m and row.get(W.LOG_HEADERS[4]) != W.RESULT_READ_FAILED:
            note = W.M_RETURN_SEEN.format(time=row.get(W.LOG_HEADERS[0], ""),
                                          file=Path(row.get(W.LOG_HEADERS[2], "")).name,
                                          result=row.get(W.LOG_HEADERS[4], ""))
            period = re.match(r"[0-9QH-]+(?=（)", message)
            logged.setdefault(m["print"], (note, row.get(W.LOG_HEADERS[3], ""), period[0] if period else "",
                                           Path(row.get(W.LOG_HEADERS[2], "")).name, m["list"]))
    seen: dict[str, tuple[str, str, str, str]] = {}
    for row in master.progress:  # merged: whatever it is called now
        fp = row.fingerprint
        if fp and fp not in seen:
            note = logged[fp][0] if fp in logged else W.M_RETURN_SEEN.format(
                time=row.when, file=Path(row.source).name, result=W.RESULT_OK)
            seen[fp] = (note, row.office, row.period, "")
    for fp, (note, office, period, name, list_print) in logged.items():
        if fp not in seen and list_print == master.fingerprint:
            seen[fp] = (note, office, period, name)
    return seen


@fewer_collections()
def merge(paths: Iterable[str | Path], master_path: str | Path | None = None, dry_run: bool = False,
          config: Config | None = None, now: dt.datetime | None = None,
          progress: Callable[[int, int], None] | None = None) -> MergeResult:
    """Merge the returned files (and folders of them) at ``paths`` into the master's 进展.

    Returns a MergeResult with one FileResult per file; refused files and rows are
    recorded there, not raised.  UsageError/MasterError only when nothing can be
    done (no master, a path that does not exist, the master open in Excel)."""
    config = config or load_config()
    now = now or dt.datetime.now()
    path = find_master(master_path, config)
    if not dry_run:
        refuse_if_open(path)  # before anything is archived or read
    limits = config.merge
    reader_limits = (limits["timeout"], limits["memory_mb"], limits["max_mb"] * 1024 * 1024)
    # the reader's worker starts first: it imports its readers while the master is read;
    # archive copies are flushed to disk in the background, all of them before the master changes
    with Reader(*reader_limits) as reader, LaterSync() as syncer:
        reader.start()
        master = read_master(path)
        forms = split_folders(master)
        collected = collect(paths, path, forms, master.identity)
        files, skipped, named_forms = collected.files, collected.forms, collected.named_forms
        if not files and not skipped:
            projects = W.LIST_JOIN.join(_project_name(p, demo) for p, demo in collected.projects)
            raise UsageError(W.M_MERGE_NO_FILES.format(paths=W.LIST_JOIN.join(str(p) for p in paths))
                             + (W.M_MERGE_PROJECTS_SKIPPED.format(projects=projects) if projects else ""))
        seen_before = _seen_before(master)
        latest = master.last_split()
        latest_period = latest[0] if latest else None
        results: list[FileResult] = []
        first: dict[str, FileResult] = {}  # fingerprint → the first file of this run with it
        archive = None if dry_run else path.parent / W.ARCHIVE_DIR
        reading: list[tuple[FileResult, Path, str]] = []  # the files handed to the reader, in order
        done = 0

        def prepared():
            """The files to read, each prepared (archived …) just before the reader needs it."""
            nonlocal done
            for file in files:
                result = FileResult(file)
                results.append(result)
                folder = named_forms.get(file)
                if folder is not None:
                    result.error = W.M_RETURN_IS_FORM.format(path=file, folder=folder)
                else:
                    ready = _prepare(file, result, seen_before, first, archive, limits["max_mb"] * 1024 * 1024,
                                     syncer)
                    if ready is not None:
                        data, name = ready
                        reading.append((result, file, name))
                        yield file, data
                        continue
                done += 1
                if progress:
                    progress(done, len(files))

        for index, answer in reader.read_many(prepared()):
            result, file, name = reading[index]
            _finish(file, result, answer, master, archive, name, latest_period, syncer)
            done += 1
            if progress:
                progress(done, len(files))
        for result, reason in syncer.wait():  # not on disk: as if it could not be archived
            if not result.archived_now:
                continue  # this run's copy gave way to a whole one already there (see _move)
            result.error = W.M_ARCHIVE_FAILED.format(path=result.path, archive=result.archived.parent, reason=reason)
            result.transient = True  # the file is not at fault: read again next run
            try:
                result.archived.unlink()  # so the next run writes it again
            except OSError:
                pass
            result.archived = None
    for result in results:
        if result.same_as is not None:  # known only now that the first one is read
            result.office, result.period = result.same_as.office, result.same_as.period
        if latest_period and result.period and result.period != latest_period and result.counted:
            result.other_period = latest_period.label
    outcome = MergeResult(master=path, dry_run=dry_run, files=results, archive=path.parent / W.ARCHIVE_DIR,
                          skipped=skipped, demo=master.demo,
                          projects=[_project_name(p, demo) for p, demo in collected.projects], latest=latest_period,
                          masters=collected.masters)
    taking = [r for r in results if r.rows and r.counted]
    if not files:  # only forms from split's folders were found
        return outcome
    if dry_run:
        _superseded(results, _apply(taking, [row.cells() for row in master.progress], WIDTH, outcome))
        return outcome
    logged = [r for r in results if r.error or r.counted]
    if not logged:
        return outcome
    with updating(path, now, master) as update:
        rows = _apply(taking, update.rows(W.SHEET_PROGRESS), len(update.headers(W.SHEET_PROGRESS)), outcome)
        _superseded(results, rows)
        if outcome.added or outcome.updated:
            update.set_rows(W.SHEET_PROGRESS, rows)
        update.append(W.SHEET_LOG, *(_log_entry(r, master.fingerprint, now).cells() for r in logged))
    outcome.written = True
    return outcome


def _prepare(file: Path, result: FileResult, seen_before: dict[str, tuple[str, str, str, str]],
             first: dict[str, FileResult], archive: Path | None, max_bytes: int,
             syncer: LaterSync) -> tuple[bytes, str] | None:
    """Everything before a file is parsed: its name, its bytes, whether it was
    seen before (in this run or an earlier one), and its copy in the archive.
    (bytes, archive name) when it is to be read; None when ``result`` is settled.
    ``archive`` is None on a dry run."""
    try:
        check_return_name(file)
        size = file.stat().st_size
        if size > max_bytes:  # never read into this process at all
            raise SourceError(W.M_RETURN_TOO_BIG.format(path=file, size=size // (1024 * 1024),
                                                        limit=max_bytes // (1024 * 1024)))
        data = file.read_bytes()
    except SourceError as exc:
        result.error = exc.message
        return None
    except OSError as exc:
        result.error = W.M_RETURN_UNREADABLE.format(path=file, reason=exc.strerror or exc)
        return None
    if not data:
        result.error = W.M_RETURN_EMPTY_FILE.format(path=file)
        return None
    result.fingerprint = fingerprint(data)
    if result.fingerprint in first:
        result.same_as = first[result.fingerprint]
        return None
    first[result.fingerprint] = result
    note, office, period, name = seen_before.get(result.fingerprint, ("", "", "", ""))
    if note and name in ("", file.name):
        result.seen, result.office = note, office
        try:
            result.period = parse_period(period) if period else None
        except QingdanError:
            pass
        return None
    name = f"{result.fingerprint}_{safe_filename(file.stem)}{file.suffix.lower()}"
    if archive is not None:
        # kept before any parser sees it: under 未识别 until its period is known
        result.archived = archive / W.ARCHIVE_UNKNOWN / name
        if not _keep(result, data, syncer):
            return None
    return data, name


def _finish(file: Path, result: FileResult, returned, master: Master, archive: Path | None, name: str,
            latest: Period | None, syncer: LaterSync) -> None:
    """Identify and check a file the reader has read (``returned`` is its Returned,
    or the SourceError it was refused with)."""
    try:
        if isinstance(returned, QingdanError):
            raise returned
        result.office, result.period, result.source = identify(returned, master, latest)
        if returned.unsaved:  # refused, but known: 日志 and status name its office and period
            raise SourceError(W.M_RETURN_UNSAVED.format(path=file))
    except QingdanError as exc:
        result.error = exc.message
        result.transient = isinstance(exc, ReaderError)
        return
    if archive is not None:
        _move(result, archive / result.period.id / name, syncer)
    saved = returned.saved
    if saved is None:
        result.saved_guessed = True
        try:
            saved = dt.datetime.fromtimestamp(file.stat().st_mtime).replace(microsecond=0)
        except OSError:
            saved = dt.datetime.now().replace(microsecond=0)
    result.saved = saved
    check_rows(returned, master, result.office, result.period, result, saved)


def _apply(results: list[FileResult], current: list[list[str]], width: int,
           outcome: MergeResult) -> list[list[str]]:
    """The 进展 rows once ``results`` are taken in: for each 编号 × 处室 × 期次 the
    answer saved last wins, whether it is already in 进展 or in one of the files.
    Two files saved at the same time with different answers: neither is taken.
    Columns the clerk added to 进展 (beyond WIDTH) keep their values."""
    rows = [list(r) + [""] * (width - len(r)) for r in current]
    olds = [Progress.from_cells(r) for r in rows]
    where = {p.key: i for i, p in enumerate(olds)}
    offers: dict[tuple[str, str, str], list[tuple[FileResult, int, Progress]]] = {}
    for result in results:
        for line, new in zip(result.lines, result.rows):
            offers.setdefault(new.key, []).append((result, line, new))
    added = updated = 0
    for key, offered in offers.items():
        i = where.get(key)
        old = olds[i] if i is not None else None
        if len(offered) > 1 or old is not None:
            for result, _, _ in offered:
                result.contested = True
        best = max(new.when for _, _, new in offered)
        if old is not None and old.when > best:
            for result, _, _ in offered:
                result.older += 1
                result.older_than = (Path(old.source).name, old.when)
            continue
        top = [offer for offer in offered if offer[2].when == best]
        if len({new.said for _, _, new in top}) > 1:
            for result, line, _ in top:
                others = W.LIST_JOIN.join(r.path.name for r, _, _ in top if r is not result)
                result.problems.append(RowProblem(result.path, line, "", "", W.P_ROW_TIE.format(
                    file=others, time=best)))
            for result, _, new in offered:
                if new.when != best:
                    result.older += 1
            continue
        winner = top[0]
        for result, _, new in offered:
            if new.when == best:
                result.won += 1  # the winner, or a file saying the same at the same time
            else:
                result.older += 1
                result.older_than = (winner[0].path.name, best)
        new = winner[2]
        if old is None:
            where[key] = len(rows)
            rows.append(new.cells() + [""] * (width - WIDTH))
            olds.append(new)
            added += 1
        elif old != new:
            rows[i] = new.cells() + rows[i][WIDTH:]
            olds[i] = new
            updated += 1
    outcome.added, outcome.updated = added, updated
    return rows


def _superseded(results: list[FileResult], rows: list[list[str]]) -> None:
    """Mark the files of which nothing was taken because the same office sent the
    period's form again later: their refused rows no longer need anyone."""
    newest: dict[tuple[str, str], tuple[str, str]] = {}  # (处室, 期次) → (报送时间, file) of 进展's latest answer
    for row in map(Progress.from_cells, rows):
        key = (row.office, row.period)
        if row.when > newest.get(key, ("", ""))[0]:
            newest[key] = (row.when, Path(row.source).name)
    for result in results:
        if not result.counted or result.won or result.period is None or result.saved is None:
            continue
        when, file = newest.get((result.office, result.period.id), ("", ""))
        if when > result.saved.strftime(TIME_FORMAT):
            result.superseded = True
            result.older_than = (file, when)


def _keep(result: FileResult, data: bytes, syncer: LaterSync) -> bool:
    """Write the file's bytes to ``result.archived`` unless a whole copy is there
    (``syncer`` flushes it to disk before the master changes); a file that cannot
    be archived is not merged."""
    target = result.archived
    try:
        if target.stat().st_size == len(data):
            return True
    except OSError:
        pass  # not there yet
    try:
        syncer.write(target, data, result)
        result.archived_now = True
    except OSError as exc:
        result.error = W.M_ARCHIVE_FAILED.format(path=result.path, archive=target.parent,
                                                 reason=exc.strerror or exc)
        result.transient = True  # the file is not at fault (a full disk …): read again next run
        result.archived = None
        return False
    return True


def _move(result: FileResult, target: Path, syncer: LaterSync) -> None:
    """Move the archived copy from 未识别 into its period's folder."""
    staged = result.archived
    try:
        if target.exists() and target.stat().st_size == staged.stat().st_size:
            staged.unlink()
            result.archived_now = False  # the copy kept is an earlier run's
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
        syncer.moved(target)
        result.archived = target
    except OSError:
        return  # it stays archived under 未识别: still kept, only less tidy
    try:
        staged.parent.rmdir()  # only when nothing else waits there
    except OSError:
        pass


def _log_entry(result: FileResult, list_print: str, now: dt.datetime) -> LogEntry:
    if result.error and result.period is not None:  # refused whole, office and period known
        message = W.M_LOG_MERGE_REFUSED_PERIOD.format(period_id=result.period.id, period=result.period.label,
                                                      reason=result.error.rstrip("。"),
                                                      fingerprint=result.fingerprint or "-", list=list_print)
    elif result.error:
        message = W.M_LOG_MERGE_REFUSED.format(reason=result.error.rstrip("。"), fingerprint=result.fingerprint or "-",
                                               list=list_print)
    else:
        message = W.M_LOG_MERGE.format(period_id=result.period.id, period=result.period.label,
                                       accepted=result.won, rejected=result.rejected_rows, blank=result.blank,
                                       saved=result.saved.strftime(TIME_FORMAT), fingerprint=result.fingerprint,
                                       list=list_print)
    return LogEntry(now, W.ACTION_MERGE, str(result.path), result.office, result.result, message)
