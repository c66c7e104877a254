"""``qingdan report``: the summary the 党委会 reads on paper.

Every assignment (a task × one of its offices) gets this period's status from
进展, or 未报送; it is 逾期 when its 完成时限 is before the as-of date and that
status is not 已完成.  pandas counts them by office, by deadline month, by
leader and by category; the code computes the 合计 rows itself (crosstab drops
blank keys, so blanks are named first).  xlsxwriter writes one print-ready sheet
per table, with native charts; LibreOffice can turn it into a PDF (pdf.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import words as W
from .config import Config, load_config
from .dates import date_cn, date_option, percent
from .errors import QingdanError, UsageError
from .files import atomic_write, refuse_if_open
from .layout import row_height
from .model import Progress, Task, compress_codes
from .periods import Period, parse_period
from .tuning import fewer_collections
from .update import log_line
from .workbook import Master, open_master

BODY_FONT = "仿宋"
HEADER_FONT = "黑体"
FONT_SIZE = 11
UNREPORTED = W.STATE_MISSING
STATUS_COLUMNS = [*W.STATUSES, UNREPORTED]  # exclusive: every assignment is in exactly one
PIVOT_HEADERS = [W.R_ASSIGNMENTS, *W.STATUSES, W.R_OVERDUE, UNREPORTED, W.R_RATE]
TASK_SHORT = 60  # characters of 工作任务 on the 逾期及滞后事项 sheet
LATE_FILL = "#FCE4D6"  # rows with something overdue
H = W.PROGRESS_HEADERS


@dataclass
class Assignment:
    """One task × one of its offices, as this period's report sees it."""

    task: Task
    office: str
    role: str
    status: str  # one of W.STATUSES, or 未报送
    progress: str = ""
    done: str = ""
    evidence: str = ""
    overdue: bool = False  # past its 完成时限 and its latest status is not 已完成
    same_as_before: bool = False  # this period's 进展情况 repeats the previous one word for word
    latest_status: str = ""  # this period's status, else the last one reported before (未报送 if none)
    latest_progress: str = ""

    @property
    def deadline_text(self) -> str:
        return self.task.deadline.isoformat() if self.task.deadline else self.task.kind


def deadline_group(task: Task) -> tuple[tuple, str]:
    """(sort key, label) of a task's deadline: its month, else its kind."""
    if task.deadline is not None:
        d = task.deadline
        return (0, d.year, d.month), W.R_MONTH.format(year=d.year, month=d.month)
    kinds = [W.KIND_ONGOING, W.KIND_PERIODIC, W.KIND_PENDING]
    kind = task.kind if task.kind in kinds else W.KIND_PENDING
    return (1, kinds.index(kind), 0), kind


def _previous(rows: list[tuple[Period, Progress]], period: Period) -> Progress | None:
    """The row of the period before ``period``: ended before it began, of the same
    kind when there is one (2023Q1 for 2023Q2, 2023-05 for 2023-06)."""
    before = [(when, row) for when, row in rows if when.end < period.start]
    same = [(when, row) for when, row in before if when.kind == period.kind]
    pool = same or before
    return max(pool, key=lambda x: (x[0].end, x[0].start))[1] if pool else None


def assignments(master: Master, period: Period, as_of: dt.date) -> tuple[list[Assignment], list[str]]:
    """(every task × office with this period's answer or 未报送, in 清单 order;
    the 进展 rows of this period whose 完成状态 cannot be read, as "编号（处室）：值")."""
    from .statuses import normalise_status

    mine: dict[tuple[str, str], Progress] = {}
    earlier: dict[tuple[str, str], list[tuple[Period, Progress]]] = {}
    for row in master.progress:
        key = (row.code, row.office)
        try:
            when = parse_period(row.period)
        except QingdanError:
            continue
        if when == period:
            mine[key] = row
        elif when.end <= period.end:
            earlier.setdefault(key, []).append((when, row))
    out, unreadable = [], []
    for task in master.tasks:
        for office in task.offices.respondents:
            key = (task.code, office)
            row = mine.get(key)
            a = Assignment(task, office, task.offices.role(office), UNREPORTED)
            if row is not None:
                status = normalise_status(row.status)
                if status:
                    a.status = status
                    a.progress, a.done, a.evidence = row.progress, row.done, row.evidence
                else:
                    unreadable.append(W.R_BAD_STATUS_ITEM.format(code=task.code, office=office, value=row.status))
            previous = _previous(earlier.get(key, []), period)
            a.same_as_before = bool(a.progress) and previous is not None and previous.progress == a.progress
            # the latest word on it: this period's, else the last one given before
            a.latest_status, a.latest_progress = a.status, a.progress
            if a.status == UNREPORTED:
                for _, old in sorted(earlier.get(key, []), key=lambda x: (x[0].end, x[0].start), reverse=True):
                    if status := normalise_status(old.status):
                        a.latest_status, a.latest_progress = status, old.progress
                        break
            a.overdue = task.deadline is not None and task.deadline < as_of and a.latest_status != W.STATUS_DONE
            out.append(a)
    return out, unreadable


@dataclass
class Pivot:
    """A count table: one row per key, PIVOT_HEADERS columns, and the 合计 row."""

    key_header: str
    keys: list[str]
    rows: list[list]  # counts per PIVOT_HEADERS (完成率 as a fraction)
    total: list
    overdue_rows: list[int] = field(default_factory=list)  # indexes of rows with something overdue


def pivot(items: list[Assignment], key_header: str, key, order) -> Pivot:
    """Count ``items`` by ``key(a)``; keys sorted by ``order(key)``."""
    import pandas as pd

    frame = pd.DataFrame({
        "key": [key(a) or W.R_NONE for a in items],  # crosstab would drop blank keys
        "status": pd.Categorical([a.status for a in items], categories=STATUS_COLUMNS),
        "overdue": [a.overdue for a in items],
    })
    counts = pd.crosstab(frame["key"], frame["status"], dropna=False).reindex(columns=STATUS_COLUMNS, fill_value=0)
    overdue = frame.groupby("key")["overdue"].sum()
    keys = sorted(counts.index, key=order)
    rows = []
    for k in keys:
        c = counts.loc[k]
        n = int(c.sum())
        rows.append([n, *(int(c[s]) for s in W.STATUSES), int(overdue[k]), int(c[UNREPORTED]),
                     int(c[W.STATUS_DONE]) / n if n else 0.0])
    n = len(items)
    done = sum(1 for a in items if a.status == W.STATUS_DONE)
    total = [n, *(sum(1 for a in items if a.status == s) for s in W.STATUSES), sum(1 for a in items if a.overdue),
             sum(1 for a in items if a.status == UNREPORTED), done / n if n else 0.0]
    return Pivot(key_header, [str(k) for k in keys], rows, total,
                 [i for i, r in enumerate(rows) if r[PIVOT_HEADERS.index(W.R_OVERDUE)]])


@dataclass
class Report:
    """Everything the summary workbook shows."""

    master: Path
    period: Period
    as_of: dt.date
    made: dt.date
    unit: str
    title: str
    tasks: list[Task]
    items: list[Assignment]
    offices: list[str]
    by_office: Pivot
    by_deadline: Pivot
    by_leader: Pivot
    by_category: Pivot
    missing_offices: list[str]  # nothing reported this period
    partly_offices: list[str] = field(default_factory=list)  # some of their tasks not reported
    unreadable: list[str] = field(default_factory=list)  # 进展 rows whose 完成状态 cannot be read
    path: Path | None = None
    pdf: Path | None = None
    pdf_pages: int = 0
    pdf_error: str = ""
    log_error: str = ""
    sent: bool = True  # 日志 records a split of the period
    why: str = ""  # how the period was chosen (Master.choose_period)
    demo: bool = False  # the demo's master

    @property
    def unassigned(self) -> int:
        return sum(1 for t in self.tasks if not t.offices.respondents)

    @property
    def items_done(self) -> int:
        """Tasks every office of which reports 已完成 (a task that still names a collective
        addressee, 各有关单位, is not: who else answers for it is not known yet)."""
        done: dict[str, bool] = {}
        for a in self.items:
            done[a.task.code] = (done.get(a.task.code, True) and a.status == W.STATUS_DONE
                                 and not a.task.offices.collective)
        return sum(done.values())

    @property
    def late(self) -> list[Assignment]:
        return [a for a in self.items if a.overdue or a.status == W.STATUS_LATE]

    def summary(self) -> str:
        """The paragraph of key numbers for the meeting."""
        t = self.by_office.total
        assigned = len(self.tasks) - self.unassigned
        return W.R_SUMMARY.format(
            as_of=date_cn(self.as_of), items=len(self.tasks), offices=len(self.offices), assignments=t[0],
            unassigned=W.R_SUMMARY_UNASSIGNED.format(n=self.unassigned) if self.unassigned else "",
            period=self.period.label, returned=len(self.offices) - len(self.missing_offices),
            partly=W.R_SUMMARY_PARTLY.format(n=len(self.partly_offices)) if self.partly_offices else "",
            missing_offices=len(self.missing_offices),
            missing_names=W.R_SUMMARY_MISSING.format(names=W.LIST_JOIN.join(self.missing_offices))
            if self.missing_offices else "",
            done=t[1], doing=t[2], not_started=t[3], late=t[4], overdue=t[5], unreported=t[6], rate=percent(t[7]),
            items_done=self.items_done, item_rate=percent(self.items_done / assigned if assigned else 0.0),
            of_assigned=W.R_SUMMARY_OF_ASSIGNED.format(n=assigned) if self.unassigned else "")


def build(master: Master, period: Period, as_of: dt.date, made: dt.date, unit: str) -> Report:
    """Count everything the report shows (no files written)."""
    items, unreadable = assignments(master, period, as_of)
    office_order = {o: i for i, o in enumerate(master.offices)}
    # a category name two parts share is two categories: named with its part then
    parts_of: dict[str, set[str]] = {}
    for t in master.tasks:
        parts_of.setdefault(t.category, set()).add(t.part)

    def category(t: Task) -> str:
        name = t.category or W.R_NONE
        return W.R_CATEGORY_IN_PART.format(category=name, part=t.part) if len(parts_of[t.category]) > 1 else name

    def leader(t: Task) -> str:
        name = t.leader.strip()
        return W.R_PENDING if name and all(ch in W.PLACEHOLDERS for ch in name) else name or W.R_NONE

    firsts: dict[str, dict[str, int]] = {"leader": {}, "category": {}}
    for t in master.tasks:
        firsts["leader"].setdefault(leader(t), len(firsts["leader"]))
        firsts["category"].setdefault(category(t), len(firsts["category"]))
    groups = {a.task.code: deadline_group(a.task) for a in items}
    group_order = {label: key for key, label in groups.values()}
    returned = {a.office for a in items if a.status != UNREPORTED}
    unreported = {a.office for a in items if a.status == UNREPORTED}
    return Report(
        master=master.path, period=period, as_of=as_of, made=made, unit=unit, title=master.title,
        tasks=master.tasks, items=items, offices=master.offices,
        by_office=pivot(items, W.R_OFFICE, lambda a: a.office, lambda k: office_order.get(k, len(office_order))),
        by_deadline=pivot(items, W.R_DEADLINE, lambda a: groups[a.task.code][1], lambda k: group_order[k]),
        by_leader=pivot(items, W.R_LEADER, lambda a: leader(a.task), lambda k: firsts["leader"].get(k, 0)),
        by_category=pivot(items, W.R_CATEGORY, lambda a: category(a.task), lambda k: firsts["category"].get(k, 0)),
        missing_offices=[o for o in master.offices if o not in returned],
        partly_offices=[o for o in master.offices if o in returned and o in unreported], unreadable=unreadable,
        sent=master.last_split(period) is not None)


# --- the workbook ---------------------------------------------------------------------

class _Formats:
    def __init__(self, book) -> None:
        body = {"font_name": BODY_FONT, "font_size": FONT_SIZE, "border": 1, "valign": "vcenter", "text_wrap": True}
        self.title = book.add_format({"font_name": HEADER_FONT, "font_size": 16, "align": "center",
                                      "valign": "vcenter", "text_wrap": True})
        self.subtitle = book.add_format({"font_name": BODY_FONT, "font_size": 12, "align": "center",
                                         "valign": "vcenter"})
        self.left = book.add_format({"font_name": BODY_FONT, "font_size": 10, "align": "left", "valign": "vcenter"})
        self.right = book.add_format({"font_name": BODY_FONT, "font_size": 10, "align": "right", "valign": "vcenter"})
        self.header = book.add_format({**body, "font_name": HEADER_FONT, "align": "center", "bg_color": "#D9D9D9"})
        self.text = book.add_format(body)
        self.center = book.add_format({**body, "align": "center"})
        self.number = book.add_format({**body, "align": "center", "num_format": "0"})
        self.rate = book.add_format({**body, "align": "center", "num_format": "0.0%"})
        self.paragraph = book.add_format({"font_name": BODY_FONT, "font_size": 12, "text_wrap": True,
                                          "valign": "vcenter"})
        self.note = book.add_format({"font_name": BODY_FONT, "font_size": 10, "text_wrap": True, "valign": "top"})
        late = {"bg_color": LATE_FILL}
        self.text_late = book.add_format({**body, **late})
        self.center_late = book.add_format({**body, **late, "align": "center"})
        self.number_late = book.add_format({**body, **late, "align": "center", "num_format": "0"})
        self.rate_late = book.add_format({**body, **late, "align": "center", "num_format": "0.0%"})
        total = {"bold": True, "bg_color": "#F2F2F2"}
        self.text_total = book.add_format({**body, **total, "align": "center"})
        self.number_total = book.add_format({**body, **total, "align": "center", "num_format": "0"})
        self.rate_total = book.add_format({**body, **total, "align": "center", "num_format": "0.0%"})


HEADER_ROW = 2  # title, then 制表单位 / 制表日期, then the table's header


class _Writer:
    def __init__(self, report: Report, path: Path) -> None:
        import xlsxwriter

        self.report = report
        self.book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                                    "strings_to_numbers": False, "in_memory": True})
        self.book.set_properties({"title": self.title(), "subject": report.period.label,
                                  "comments": "qingdan report"})
        self.fmt = _Formats(self.book)

    def title(self) -> str:
        r = self.report
        name = r.title if not r.unit or r.unit in r.title else r.unit + r.title
        return W.REPORT_TITLE.format(title=name)

    def frame(self, name: str, widths: list[float], header: list[str], header_row: int = HEADER_ROW):
        """A sheet with its title, 制表单位 / 制表日期 line, header row and print setup."""
        r = self.report
        sheet = self.book.add_worksheet(name)
        last = len(widths) - 1
        for c, w in enumerate(widths):
            sheet.set_column(c, c, w)
        total = sum(widths)
        title = self.title() + "\n" + W.REPORT_SUBTITLE.format(period=r.period.label, as_of=date_cn(r.as_of)) \
            + "\u3000" + name
        sheet.merge_range(0, 0, 0, last, title, self.fmt.title)
        sheet.set_row(0, row_height([(self.title(), total * 0.7)], font_size=16, minimum=30) + 22)
        half = max(1, len(widths) // 2)
        unit = W.REPORT_UNIT.format(unit=r.unit)  # blank without qingdan.toml's unit: filled in by pen
        made = W.REPORT_DATE.format(date=date_cn(r.made))
        if half - 1 > 0:
            sheet.merge_range(1, 0, 1, half - 1, unit, self.fmt.left)
        else:
            sheet.write_string(1, 0, unit, self.fmt.left)
        if last > half:
            sheet.merge_range(1, half, 1, last, made, self.fmt.right)
        else:
            sheet.write_string(1, last, made, self.fmt.right)
        sheet.set_row(1, 20)
        for c, h in enumerate(header):
            sheet.write_string(header_row, c, h, self.fmt.header)
        sheet.set_row(header_row, row_height(list(zip(header, widths)), minimum=24))
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(header_row)
        sheet.center_horizontally()
        sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.7)
        sheet.set_footer("&C" + W.FOOTER_PAGES)
        sheet.freeze_panes(header_row + 1, 0)
        return sheet

    def pivot_sheet(self, name: str, table: Pivot, key_width: float, chart_title: str | None = None) -> None:
        widths = [key_width] + [8.5] * (len(PIVOT_HEADERS) - 1) + [9]
        sheet = self.frame(name, widths, [table.key_header, *PIVOT_HEADERS])
        f = self.fmt
        rate = PIVOT_HEADERS.index(W.R_RATE)
        for i, (key, row) in enumerate(zip(table.keys, table.rows)):
            r = HEADER_ROW + 1 + i
            late = i in table.overdue_rows
            sheet.write_string(r, 0, key, f.text_late if late else f.text)
            for c, value in enumerate(row):
                if c == rate:
                    sheet.write_number(r, c + 1, value, f.rate_late if late else f.rate)
                else:
                    sheet.write_number(r, c + 1, value, f.number_late if late else f.number)
            sheet.set_row(r, row_height([(key, key_width)], minimum=20))
        r = HEADER_ROW + 1 + len(table.rows)
        sheet.write_string(r, 0, W.R_TOTAL, f.text_total)
        for c, value in enumerate(table.total):
            sheet.write_number(r, c + 1, value, f.rate_total if c == rate else f.number_total)
        sheet.set_row(r, 20)
        sheet.print_area(0, 0, r, len(widths) - 1)
        if chart_title and table.rows:
            self.chart(name, table, chart_title)

    def chart(self, name: str, table: Pivot, title: str) -> None:
        """The statuses by key as a stacked bar chart, on a chart sheet of its own
        (it prints as a whole landscape page, under its own title)."""
        r = self.report
        horizontal = table.key_header == W.R_OFFICE
        chart = self.book.add_chart({"type": "bar" if horizontal else "column", "subtype": "stacked"})
        first, last = HEADER_ROW + 1, HEADER_ROW + len(table.rows)
        colours = ["#70AD47", "#5B9BD5", "#A5A5A5", "#ED7D31", "#C00000"]
        columns = [1 + PIVOT_HEADERS.index(s) for s in STATUS_COLUMNS]
        for colour, c in zip(colours, columns):
            chart.add_series({"name": [name, HEADER_ROW, c], "categories": [name, first, 0, last, 0],
                              "values": [name, first, c, last, c], "fill": {"color": colour}, "gap": 60})
        heading = title + "\n" + W.REPORT_SUBTITLE.format(period=r.period.label, as_of=date_cn(r.as_of))
        chart.set_title({"name": heading, "name_font": {"name": HEADER_FONT, "size": 14}})
        axis_font = {"name": BODY_FONT, "size": 10}
        value_axis = {"name": W.R_CHART_AXIS, "num_font": axis_font, "name_font": axis_font,
                      "major_gridlines": {"visible": True}}
        if horizontal:
            chart.set_x_axis(value_axis)
            chart.set_y_axis({"reverse": True, "num_font": axis_font})
        else:
            chart.set_y_axis(value_axis)
            chart.set_x_axis({"num_font": axis_font})
        chart.set_legend({"position": "bottom", "font": {"name": BODY_FONT, "size": 10}})
        sheet = self.book.add_chartsheet(W.CHART_SHEET.format(name=name))
        sheet.set_chart(chart)
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        sheet.set_footer("&C" + W.FOOTER_PAGES)

    def overview(self) -> None:
        """The key numbers: the paragraph for the meeting, then the table; one page."""
        r = self.report
        widths = [60, 24]
        header_row = HEADER_ROW + 1  # the paragraph sits above the table
        sheet = self.frame(W.SHEET_OVERVIEW, widths, [W.R_ITEM, W.R_VALUE], header_row)
        text = r.summary()
        sheet.merge_range(HEADER_ROW, 0, HEADER_ROW, 1, text, self.fmt.paragraph)
        sheet.set_row(HEADER_ROW, row_height([(text, sum(widths) * 0.85)], font_size=12) + 10)
        t = r.by_office.total
        assigned = len(r.tasks) - r.unassigned
        values = [len(r.tasks), r.unassigned, t[0], len(r.offices), t[1], t[2], t[3], t[4], t[6], t[5], t[7],
                  r.items_done, r.items_done / assigned if assigned else 0.0,
                  len(r.offices) - len(r.missing_offices), len(r.missing_offices)]
        rates = {W.R_OVERVIEW_ROWS[10], W.R_OVERVIEW_ROWS[12]}
        for i, (label, value) in enumerate(zip(W.R_OVERVIEW_ROWS, values)):
            row = header_row + 1 + i
            sheet.write_string(row, 0, label, self.fmt.text)
            sheet.write_number(row, 1, value, self.fmt.rate if label in rates else self.fmt.number)
            sheet.set_row(row, 20)
        row = header_row + 1 + len(values)
        note = W.R_OVERVIEW_NOTE.format(as_of=date_cn(r.as_of))
        sheet.merge_range(row, 0, row, 1, note, self.fmt.note)
        sheet.set_row(row, row_height([(note, sum(widths) * 0.95)], font_size=10) + 4)
        sheet.print_area(0, 0, row, 1)
        sheet.fit_to_pages(1, 1)
        sheet.activate()

    def list_sheet(self, name: str, header: list[str], widths: list[float], rows: list[list[str | int]],
                   centered: set[int], late_rows: set[int] = frozenset()) -> None:
        """A table sheet: text cells, and counts (int) as numbers Excel can add up."""
        sheet = self.frame(name, widths, header)
        f = self.fmt
        plain = [f.center if c in centered else f.text for c in range(len(header))]
        marked = [f.center_late if c in centered else f.text_late for c in range(len(header))]
        for i, row in enumerate(rows):
            r = HEADER_ROW + 1 + i
            formats = marked if i in late_rows else plain
            for c, value in enumerate(row):
                fmt = formats[c]
                if type(value) is int:
                    sheet.write_number(r, c, value, fmt)
                elif value:
                    sheet.write_string(r, c, value, fmt)
                else:
                    sheet.write_blank(r, c, None, fmt)
            sheet.set_row(r, row_height([(str(v), w) for v, w in zip(row, widths)], minimum=20))
        sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + max(len(rows), 1), len(header) - 1)
        sheet.print_area(0, 0, HEADER_ROW + max(len(rows), 1), len(header) - 1)

    def late(self) -> None:
        header = [W.H_CODE, W.H_TASK, W.R_OFFICE, W.R_DEADLINE, W.H_STATUS, W.H_PROGRESS, W.R_SITUATION]
        rows = []
        for a in self.report.late:
            text = a.task.text if len(a.task.text) <= TASK_SHORT else a.task.text[:TASK_SHORT - 1] + W.R_SHORT_MARK
            situation = W.LIST_JOIN.join(w for w, on in ((W.R_LATE_OVERDUE, a.overdue),
                                                           (W.STATUS_LATE, a.status == W.STATUS_LATE)) if on)
            rows.append([a.task.code, text, a.office, a.deadline_text, a.status, a.latest_progress, situation])
        self.list_sheet(W.SHEET_LATE, header, [7, 46, 12, 11, 8, 46, 9], rows, {0, 2, 3, 4, 6})

    def missing(self) -> None:
        header = [W.R_OFFICE, W.R_SITUATION, W.R_COUNT, W.R_CODES]
        rows = []
        unreported: dict[str, list[str]] = {}
        for a in self.report.items:
            if a.status == UNREPORTED:
                unreported.setdefault(a.office, []).append(a.task.code)
        for office in self.report.offices:
            codes = unreported.get(office)
            if codes:
                situation = W.R_ALL_MISSING if office in self.report.missing_offices else W.R_PARTLY
                rows.append([office, situation, len(codes), compress_codes(codes)])
        self.list_sheet(W.SHEET_MISSING, header, [18, 12, 8, 90], rows, {0, 1, 2})

    def detail(self) -> None:
        header = [W.H_CODE, W.H_CATEGORY, W.H_TASK, W.R_OFFICE, W.H_ROLE, W.H_LEADER, W.R_DEADLINE, W.H_STATUS,
                  W.H_PROGRESS, W.H_DONE_DATE, W.H_EVIDENCE, W.R_OVERDUE, W.R_SAME]
        rows, late = [], set()
        for i, a in enumerate(self.report.items):
            rows.append([a.task.code, a.task.category, a.task.text, a.office, a.role, a.task.leader, a.deadline_text,
                         a.status, a.progress, a.done, a.evidence, W.R_YES if a.overdue else "",
                         W.R_SAME if a.same_as_before else ""])
            if a.overdue:
                late.add(i)
        widths = [6.5, 10, 40, 11, 5.5, 7, 10.5, 7.5, 36, 10.5, 12, 5.5, 8]
        self.list_sheet(W.SHEET_DETAIL, header, widths, rows, {0, 3, 4, 5, 6, 7, 9, 11, 12}, late)

    # the sheets in order, then the saving: one progress step each
    PARTS = ("overview", "by_office", "by_deadline", "by_leader", "by_category", "late", "missing", "detail", "save")

    def by_office(self) -> None:
        self.pivot_sheet(W.SHEET_BY_OFFICE, self.report.by_office, 19, W.R_CHART_OFFICE)

    def by_deadline(self) -> None:
        self.pivot_sheet(W.SHEET_BY_DEADLINE, self.report.by_deadline, 14, W.R_CHART_DEADLINE)

    def by_leader(self) -> None:
        self.pivot_sheet(W.SHEET_BY_LEADER, self.report.by_leader, 12)

    def by_category(self) -> None:
        self.pivot_sheet(W.SHEET_BY_CATEGORY, self.report.by_category, 24)

    def save(self) -> None:
        self.book.close()


def write_report(report: Report, path: Path, step: Callable[[], None] = lambda: None) -> None:
    """Write the summary workbook to ``path`` (the caller makes the write atomic);
    ``step()`` is called after each sheet and after saving."""
    writer = _Writer(report, path)
    for part in _Writer.PARTS:
        getattr(writer, part)()
        step()


# --- the command ----------------------------------------------------------------------

@fewer_collections()
def report(master_path: str | Path | None = None, period: str | Period | None = None,
           as_of: str | dt.date | None = None, out: str | Path | None = None, pdf: bool = False,
           config: Config | None = None, now: dt.datetime | None = None,
           progress: Callable[[int, int], None] | None = None) -> Report:
    """Write the summary workbook for ``period`` (default: the latest split) and,
    with ``pdf``, its PDF beside it; log the run in the master.
    ``progress(done, total)`` is called after each step (reading, counting, each sheet, the PDF)."""
    config = config or load_config()
    now = now or dt.datetime.now()
    total = 2 + len(_Writer.PARTS) + (1 if pdf else 0)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    # refused while open elsewhere: its 日志 line could not be written, and unsaved edits would not be counted
    master = open_master(master_path, config, writing=True)
    path = master.path
    step()
    chosen, why = master.choose_period(period)
    day = date_option(as_of, chosen.end.year) if as_of is not None else min(now.date(), chosen.end)
    result = build(master, chosen, day, now.date(), config.unit)
    result.why, result.demo = why, master.demo
    step()
    name = W.REPORT_FILE.format(unit=config.unit, period=chosen.label)
    target = Path(out) if out else Path("output") / chosen.id / name
    if target.is_dir():
        target = target / name
    if target.suffix.lower() != ".xlsx":
        raise UsageError(W.U_REPORT_SUFFIX.format(path=target))
    if target.resolve() == path.resolve():
        raise UsageError(W.U_REPORT_IS_MASTER.format(path=target))
    refuse_if_open(target)  # Excel holds it: the swap would fail
    atomic_write(target, lambda tmp: write_report(result, tmp, step))
    result.path = target
    if pdf:
        from .pdf import PdfError, to_pdf

        try:
            result.pdf, result.pdf_pages = to_pdf(target)
        except PdfError as exc:
            result.pdf_error = exc.message
        step()
    t = result.by_office.total
    message = W.M_LOG_REPORT.format(period_id=chosen.id, period=chosen.label, as_of=day.isoformat(),
                                    assignments=t[0], done=t[1], overdue=t[5], unreported=t[6])
    try:
        log_line(path, W.ACTION_REPORT, str(target.resolve()), "", W.RESULT_OK, message, now, master)
    except QingdanError as exc:
        result.log_error = exc.message
    return result
