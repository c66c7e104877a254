"""The master workbook: writing a new one (import) and reading what it holds.

A new master is written with xlsxwriter, formatted for people who edit it: frozen
header, filters, wrapped text, widths and row heights that fit the Chinese text,
A4 landscape print setup.  After import, qingdan never rewrites the whole file.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter

from . import __version__
from . import words as W
from .errors import MasterError
from .guard import check_workbook
from .layout import row_height
from .model import LogEntry, ParsedList, list_headers
from .schema import CONTEXT_PROPERTY, FORMAT_VERSION, IDENTITY_PROPERTY

if TYPE_CHECKING:
    from .workbook import Kept

BODY_FONT = "宋体"
HEADER_FONT = "黑体"
FONT_SIZE = 11
EXTRA_ROWS = 300  # rows below the data that still get validation and highlighting

# (header, width, alignment) of the 清单 sheet
LIST_COLUMNS = [
    (W.H_CODE, 7, "center"),
    (W.H_PART, 12, "left"),
    (W.H_CATEGORY, 12, "left"),
    (W.H_SEQ, 5, "center"),
    (W.H_TASK, 58, "left"),
    (W.H_LEADER, 9, "center"),
    (W.H_OFFICES, 24, "left"),
    (W.H_SCHEDULE, 15, "left"),
    (W.H_DEADLINE, 11, "center"),
    (W.H_KIND, 9, "center"),
    (W.H_NOTE, 12, "left"),
]
CONTEXT_WIDTH = 30  # a context column (工作目标 …) of 清单
PROGRESS_WIDTHS = [7, 16, 10, 9, 50, 11, 24, 8, 13, 18, 28, 18]
OFFICE_WIDTHS = [24, 10, 28, 16, 10]
LOG_WIDTHS = [19, 8, 40, 16, 8, 60]
DERIVED_WIDTHS = [7, 30, 11, 9]
assert [c[0] for c in LIST_COLUMNS] == W.LIST_HEADERS
assert len(PROGRESS_WIDTHS) == len(W.PROGRESS_HEADERS)


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        base = {"font_name": BODY_FONT, "font_size": FONT_SIZE, "text_wrap": True,
                "valign": "top", "border": 1}
        self.header = book.add_format({**base, "font_name": HEADER_FONT, "align": "center",
                                       "valign": "vcenter", "bg_color": "#D9D9D9"})
        self.left = book.add_format(base)
        self.center = book.add_format({**base, "align": "center"})
        self.date = book.add_format({**base, "align": "center", "num_format": "yyyy-mm-dd"})
        self.todo = book.add_format({"bg_color": "#FFF2CC"})
        # the columns of 进展, 处室 and 日志: rows qingdan writes there later take this look
        # (wrapped, as their row heights assume) when the sheet has no row to copy it from
        self.column = book.add_format({"font_name": BODY_FONT, "font_size": FONT_SIZE, "text_wrap": True,
                                       "valign": "top"})


def _sheet_frame(sheet, fmt: _Formats, headers: list[str], widths: list[float], title: str,
                 column_format=None) -> None:
    """Header row, widths (and the columns' format), frozen header, filter and print
    setup shared by every sheet."""
    sheet.set_row(0, row_height([(h, w) for h, w in zip(headers, widths)], minimum=22))
    for c, (header, width) in enumerate(zip(headers, widths)):
        sheet.set_column(c, c, width, column_format)
        sheet.write_string(0, c, header, fmt.header)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, 0, len(headers) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_header("&C" + title[:200].replace("&", "&&"))
    sheet.set_footer("&C" + W.FOOTER_PAGES)


def _write_list(book, fmt: _Formats, parsed: ParsedList, headers: list[str]) -> None:
    sheet = book.add_worksheet(W.SHEET_LIST)
    known = {h: (w, how) for h, w, how in LIST_COLUMNS}
    columns = [(h, *known.get(h, (CONTEXT_WIDTH, "left"))) for h in headers]
    widths = [w for _, w, _ in columns]
    _sheet_frame(sheet, fmt, headers, widths, parsed.title)
    align = {"center": fmt.center, "left": fmt.left}
    deadline_col = headers.index(W.H_DEADLINE)
    for r, task in enumerate(parsed.tasks, 1):
        values = task.cells(headers)
        for c, (value, (_, _, how)) in enumerate(zip(values, columns)):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), fmt.date)
            elif value is None or value == "":
                sheet.write_blank(r, c, None, fmt.date if c == deadline_col else align[how])
            else:
                sheet.write_string(r, c, str(value), align[how])
        sheet.set_row(r, row_height([(str(v), w) for v, w in zip(values, widths) if isinstance(v, str)]))
    last = len(parsed.tasks) + EXTRA_ROWS
    col = {h: xlsxwriter.utility.xl_col_to_name(i) for i, h in enumerate(headers)}
    # What the import summary lists as 待人工补充 stays yellow until filled in: the
    # redaction mark *, a trailing 等, and a task without offices or schedule.
    task = col[W.H_TASK]
    # SEARCH treats * as a wildcard: ~* finds the character itself
    marks = ",".join(f'ISNUMBER(SEARCH("{"~*" if mark == "*" else mark}",{{c}}2))' for mark in W.PLACEHOLDERS)
    # 各有关单位, 市级有关部门 …: a collective addressee still to be written out as offices
    collective = ",".join(f'ISNUMBER(SEARCH("{word}",{{c}}2))' for word in W.COLLECTIVE_MARKS)
    rules = {
        W.H_TASK: f"=OR({marks})",
        W.H_LEADER: f"=OR({marks})",
        W.H_OFFICES: f'=OR(RIGHT({{c}}2,1)="{W.ETC}",AND(${task}2<>"",{{c}}2=""),{collective})',
        W.H_SCHEDULE: f'=OR({marks},AND(${task}2<>"",{{c}}2=""))',
    }
    for header, rule in rules.items():
        c = col[header]
        sheet.conditional_format(f"{c}2:{c}{last}", {
            "type": "formula", "criteria": rule.format(c=c), "format": fmt.todo})
    kind = headers.index(W.H_KIND)
    sheet.data_validation(1, kind, last - 1, kind, {"validate": "list", "source": W.DEADLINE_KINDS})
    deadline = headers.index(W.H_DEADLINE)
    sheet.data_validation(1, deadline, last - 1, deadline, {
        "validate": "date", "criteria": ">", "value": dt.date(2000, 1, 1), "ignore_blank": True,
        "error_title": W.H_DEADLINE, "error_message": W.M_DEADLINE_INPUT})


def _write_simple(book, fmt: _Formats, name: str, headers: list[str], widths: list[float],
                  rows: list[list[str]], title: str) -> None:
    sheet = book.add_worksheet(name)
    _sheet_frame(sheet, fmt, headers, widths, title, fmt.column)
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if value:
                sheet.write_string(r, c, value, fmt.left)
            else:
                sheet.write_blank(r, c, None, fmt.left)
        sheet.set_row(r, row_height(list(zip(row, widths))))


def _write_record(book, tasks) -> None:
    """The hidden sheet of what 完成时限 and 时限类型 were derived from: when the clerk
    edits 时间进度安排 they follow it, unless he typed them himself (see
    deadlines.follow_schedule).  No print setup or filter: nobody prints or sorts it."""
    sheet = book.add_worksheet(W.SHEET_DERIVED)
    for c, (header, width) in enumerate(zip(W.DERIVED_HEADERS, DERIVED_WIDTHS)):
        sheet.set_column(c, c, width)
        sheet.write_string(0, c, header)
    for r, t in enumerate(tasks, 1):
        for c, value in enumerate([t.code, t.schedule, t.deadline.isoformat() if t.deadline else "", t.kind]):
            if value:
                sheet.write_string(r, c, value)
    sheet.hide()


def write_new_master(path: Path, parsed: ParsedList, log: LogEntry, identity: str,
                     contacts: dict[str, list[str]] | None = None, history: list[list[str]] = ()) -> None:
    """Write a whole new master (docs/design.md, "The workbooks"): 清单, 进展 (headers only), 处室, 日志, and
    the hidden record of the derived columns, with its ``identity`` (new_identity) as a
    custom property.
    ``contacts`` (office → 联系人, 邮箱, 电话, 分管领导) pre-fills the 处室 sheet;
    ``history``: 日志 rows of the master this one replaces, before ``log``."""
    contacts = contacts or {}
    book = xlsxwriter.Workbook(str(path), {
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False})
    book.set_properties({"title": parsed.title, "subject": W.SHEET_LIST,
                         "comments": f"qingdan {__version__}: {parsed.source}"})
    book.set_custom_property("qingdan_format", FORMAT_VERSION)
    book.set_custom_property(IDENTITY_PROPERTY, identity)
    headers = list_headers(parsed.tasks)
    context = [h for h in headers if h not in W.LIST_HEADERS]
    if context:
        book.set_custom_property(CONTEXT_PROPERTY, "\t".join(context))
    fmt = _Formats(book)
    _write_list(book, fmt, parsed, headers)
    _write_simple(book, fmt, W.SHEET_PROGRESS, W.PROGRESS_HEADERS, PROGRESS_WIDTHS, [], parsed.title)
    _write_simple(book, fmt, W.SHEET_OFFICES, W.OFFICE_HEADERS, OFFICE_WIDTHS,
                  [[name, *(contacts.get(name, []) + [""] * 4)[:4]] for name in parsed.offices], parsed.title)
    _write_simple(book, fmt, W.SHEET_LOG, W.LOG_HEADERS, LOG_WIDTHS, [*history, log.cells()], parsed.title)
    _write_record(book, parsed.tasks)
    book.close()


def previous_master(path: Path) -> tuple[int, Kept]:
    """Of a master about to be replaced (import --force), read once: how many filled
    rows its 进展 sheet holds (0 when it has none), and what it hands on to the new one."""
    from python_calamine import CalamineWorkbook

    from .workbook import identity_of, kept_from

    if not zipfile.is_zipfile(path):
        raise MasterError(W.M_TARGET_UNREADABLE.format(path=path, reason=W.M_NOT_A_ZIP))
    check_workbook(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        rows = book.get_sheet_by_name(W.SHEET_PROGRESS).to_python() if W.SHEET_PROGRESS in book.sheet_names else []
    except Exception as exc:  # any calamine failure: we cannot vouch for the file
        raise MasterError(W.M_TARGET_UNREADABLE.format(path=path, reason=exc)) from None
    kept = kept_from(book)
    kept.identity, kept.title = identity_of(path, kept.log)
    return sum(1 for row in rows[1:] if any(str(v).strip() for v in row)), kept
