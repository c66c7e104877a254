"""A returned form against the master: whose it is (this master's, which office,
which period) and which of its rows can be taken, each refused row recorded with
its file, row, column and reason."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from . import words as W
from .cells import cell_text, header_key
from .dates import parse_date
from .errors import QingdanError, SourceError
from .formlayout import FILL_HEADERS, FORM_FORMAT, FormRow, row_hash
from .formlayout import LOCKED_HEADERS as LOCKED_BASE
from .model import Progress, Task
from .offices import safe_filename
from .ooxml import EXCEL_EPOCH, strip_illegal
from .periods import Period, parse_period
from .returns import Returned, ReturnedRow
from .schema import DEMO_PREFIX, EXCEL_CELL_MAX
from .statuses import normalise_status
from .workbook import Master

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
class Checked:
    """What check_rows made of a returned file's rows."""

    rows: list[Progress] = field(default_factory=list)  # accepted
    lines: list[int] = field(default_factory=list)  # the Excel row number of each accepted row
    problems: list[RowProblem] = field(default_factory=list)
    blank: int = 0  # rows of the office left empty
    missing: list[str] = field(default_factory=list)  # 编号 in _meta but not in the file


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
    m = _FORM_TITLE.fullmatch(header_key(first))
    if m and header_key(master.title) not in m["title"]:
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


def check_rows(returned: Returned, master: Master, office: str, period: Period, saved: dt.datetime) -> Checked:
    """The accepted rows and the problems of ``returned``, the form of ``office``
    for ``period`` saved at ``saved``."""
    file_result = Checked()
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
    return file_result


def _check_values(returned: Returned, row: ReturnedRow, period: Period
                  ) -> tuple[list[RowProblem], str | None, dt.date | None]:
    """(the problems of the row's answers, its 完成状态 as a word of vocab.STATUSES, its 完成日期)."""
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
    return [h for h in present if h != W.H_CODE and header_key(sent[h]) != header_key(expected[h])]
