"""The 填报表's layout, shared by the writer (split.py) and the readers (returns.py,
merge.py, mail.py, the demo): its columns, which are locked, where the title,
填报人 and table sit, and the very hidden _meta sheet — its key/value pairs, the
hash of each row's locked cells, and the hash of the answers it went out with."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from . import words as W
from .cells import cell_text, header_key
from .dates import parse_date
from .model import Progress, Task

FORM_FORMAT = 3  # 3: the master's identity and the answers sent; 2: hashes packed in a few cells; 1: a row per task

# (header, width, locked?) of the table on the 填报 sheet
COLUMNS = [
    (W.H_CODE, 6.5, True),
    (W.H_CATEGORY, 10, True),
    (W.H_TASK, 42, True),
    (W.H_LEADER, 7, True),
    (W.H_SCHEDULE, 11, True),
    (W.H_DEADLINE, 10.5, True),
    (W.H_ROLE, 5.5, True),
    (W.H_STATUS, 8.5, False),
    (W.H_PROGRESS, 34, False),
    (W.H_DONE_DATE, 10.5, False),
    (W.H_EVIDENCE, 14, False),
]
HEADERS = [c[0] for c in COLUMNS]
WIDTHS = [c[1] for c in COLUMNS]
LOCKED_HEADERS = [h for h, _, locked in COLUMNS if locked]
FILL_HEADERS = [h for h, _, locked in COLUMNS if not locked]


def context_widths(tasks: list[Task], context: list[str]) -> tuple[float, ...]:
    """A width for each context column by how much it holds: a phone number or a
    step needs less room than a quarter-by-quarter plan."""
    widths = []
    for header in context:
        longest = max((len(t.extra.get(header, "")) for t in tasks), default=0)
        widths.append(12.0 if longest <= 12 else 18.0 if longest <= 40 else 30.0)
    return tuple(widths)


def form_columns(context: tuple[str, ...] | list[str] = (),
                 widths: tuple[float, ...] = ()) -> list[tuple[str, float, bool]]:
    """The table's columns when the list has context columns (工作目标 …): each
    locked, after 工作任务 (which gives up some room when they need much)."""
    if not context:
        return COLUMNS
    widths = widths or (18.0,) * len(context)
    at = HEADERS.index(W.H_TASK) + 1
    task_width = COLUMNS[at - 1][1] if sum(widths) <= 40 else 32
    return (COLUMNS[:at - 1] + [(W.H_TASK, task_width, True)] + [(h, w, True) for h, w in zip(context, widths)]
            + COLUMNS[at:])


def locked_headers(context: tuple[str, ...] | list[str] = ()) -> list[str]:
    """The locked columns, in the order of FormRow.locked and of the hash."""
    return [h for h, _, locked in form_columns(context) if locked]


TITLE_ROW, SUBTITLE_ROW, NOTES_ROW, PERSON_ROW, HEADER_ROW = range(5)
FIRST_ROW = HEADER_ROW + 1
# 填报人 and 联系电话: label cells, then the (unlocked) cell to fill in
REPORTER_LABEL, REPORTER_CELL = (PERSON_ROW, 0, PERSON_ROW, 1), (PERSON_ROW, 2)
PHONE_LABEL, PHONE_CELL = (PERSON_ROW, 3, PERSON_ROW, 4), (PERSON_ROW, 5, PERSON_ROW, 6)
META_KEYS_ROWS = 24  # key/value pairs sit above the hash list in _meta (12 before format 3)
META_HASHES_CELL = 30_000  # characters of "编号 哈希" lines per cell (a cell holds 32,767)
STATUS_COLUMN = 4  # column E of _meta holds the drop-down's words


def row_hash(values: list[str]) -> str:
    """The hash of a row's locked cells, as text in LOCKED_HEADERS order; merge
    computes the same over a returned row to see whether it was edited."""
    joined = "\x1f".join(str(v).strip() for v in values)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def answers_digest(rows) -> str:
    """A hash of the answers in a form: ``rows`` are (编号, 完成状态, 进展情况,
    完成日期, 佐证材料) texts.  Split stores it for the answers it wrote (blank or
    pre-filled); merge computes it over a returned file, so a file sent back
    exactly as it went out is known by its answers, not by its timestamps.
    Spaces and full-width forms are ignored; a date counts as its ISO text."""
    lines = []
    for code, status, progress, done, evidence in sorted(rows):
        day = parse_date(done) if done else None
        lines.append("\x1f".join(header_key(v) for v in (code, status, progress, day.isoformat() if day else done,
                                                     evidence)))
    return hashlib.sha256("\x1e".join(lines).encode("utf-8")).hexdigest()[:16]


def pack_hashes(codes: list[str], hashes: list[str]) -> list[str]:
    """"编号 哈希" lines, joined into cells of at most META_HASHES_CELL characters."""
    cells: list[str] = []
    lines: list[str] = []
    size = 0
    for code, digest in zip(codes, hashes):
        line = f"{code} {digest}"
        if lines and size + len(line) + 1 > META_HASHES_CELL:
            cells.append("\n".join(lines))
            lines, size = [], 0
        lines.append(line)
        size += len(line) + 1
    if lines:
        cells.append("\n".join(lines))
    return cells


def _hash_table(rows: list[list]) -> int | None:
    """The row index of the hash list's header in _meta's rows, whatever the form's format."""
    for r, row in enumerate(rows[:META_KEYS_ROWS + 1]):
        head = [cell_text(v) for v in row[:3]]
        if head and (head[0] == W.META_ROW_HASHES or head == [W.META_ROWS, W.META_ROW_NUMBER, W.META_ROW_HASH]):
            return r
    return None


def unpack_hashes(rows: list[list]) -> dict[str, str]:
    """编号 → hash from _meta's rows below its key/value pairs, in any format."""
    start = _hash_table(rows)
    if start is None:
        return {}
    table = rows[start:]
    out: dict[str, str] = {}
    if cell_text(table[0][0]) == W.META_ROW_HASHES:
        for row in table[1:]:
            for line in cell_text(row[0] if row else "").splitlines():
                code, _, digest = line.strip().rpartition(" ")
                if code:
                    out[header_key(code)] = digest
    else:  # format 1
        for row in table[1:]:
            if len(row) > 2 and cell_text(row[0]):
                out[header_key(row[0])] = cell_text(row[2])
    return out


def deadline_text(task: Task) -> str:
    """What the 完成时限 column shows: the date, else the kind (持续推进, 定期 …)."""
    return task.deadline.isoformat() if task.deadline else task.kind


@dataclass
class FormRow:
    """One task as an office sees it."""

    task: Task
    role: str  # 牵头 or 配合
    previous: Progress | None = None

    def locked(self, context: tuple[str, ...] | list[str] = ()) -> list[str]:
        t = self.task
        return [t.code, t.category, t.text, *(t.extra.get(h, "") for h in context), t.leader, t.schedule,
                deadline_text(t), self.role]


def read_meta(path: Path) -> dict[str, str] | None:
    """The key/value pairs of a form's _meta sheet, or None when the file is not a
    readable 填报表 (no _meta, not a workbook, or refused by the guard)."""
    from python_calamine import CalamineWorkbook

    from .guard import check_workbook

    try:
        data = path.read_bytes()
        check_workbook(path, data)
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if W.SHEET_META not in book.sheet_names:
            return None
        rows = book.get_sheet_by_name(W.SHEET_META).to_python(skip_empty_area=False)
    except Exception:  # unreadable, refused by the guard, or calamine's own errors
        return None
    return meta_pairs(rows)


def meta_pairs(rows: list[list]) -> dict[str, str]:
    """The key/value pairs at the top of a _meta sheet (its rows as calamine reads them)."""
    end = _hash_table(rows)
    return {cell_text(r[0]): cell_text(r[1]) for r in rows[:META_KEYS_ROWS if end is None else end]
            if len(r) > 1 and cell_text(r[0])}
