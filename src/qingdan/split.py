"""``qingdan split``: one locked, print-ready 填报表 per responsible office.

Each form has a visible sheet 填报 (title, period, deadline, 填报说明, 填报人 and
联系电话, then the table) and a very hidden sheet _meta that lets merge tell
which master, office and period a returned file is, and whether its locked text
was changed: every row's 编号 with a hash of the locked cells as they were
written.  Where everything sits is formlayout.py, shared with the readers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from . import words as W
from .config import Config, load_config
from .dates import date_cn, date_option, parse_date
from .errors import QingdanError, UsageError
from .files import atomic_write, refuse_if_open, sync_folder
from .formlayout import (
    FILL_HEADERS,
    FIRST_ROW,
    FORM_FORMAT,
    HEADER_ROW,
    META_KEYS_ROWS,
    NOTES_ROW,
    PERSON_ROW,
    PHONE_CELL,
    PHONE_LABEL,
    REPORTER_CELL,
    REPORTER_LABEL,
    STATUS_COLUMN,
    SUBTITLE_ROW,
    TITLE_ROW,
    FormRow,
    answers_digest,
    context_widths,
    form_columns,
    locked_headers,
    pack_hashes,
    row_hash,
)
from .layout import lines_height, max_lines, row_height
from .model import Progress
from .offices import unique_filenames
from .periods import Period, parse_period, quarter_of
from .tuning import fewer_collections
from .update import log_line
from .workbook import Master, find_master, read_master

BODY_FONT = "仿宋"
HEADER_FONT = "黑体"
FONT_SIZE = 11
FILL = "#FFF2CC"  # the cells an office fills in


@dataclass
class Form:
    """The 填报表 of one office."""

    office: str
    path: Path
    rows: list[FormRow]
    reporter: str = ""
    phone: str = ""
    prefilled_from: Period | None = None
    error: str = ""

    @property
    def lead(self) -> int:
        return sum(1 for r in self.rows if r.role == W.ROLE_LEAD)

    @property
    def prefilled(self) -> int:
        return sum(1 for r in self.rows if r.previous is not None)


@dataclass
class FormSheet:
    """What one form shows, as plain texts: all a worker process needs to write
    it (a Form's rows hold whole Task objects, which took a worker longer to
    unpickle than a tenth of the form's writing)."""

    office: str
    reporter: str
    phone: str
    prefilled_from: str  # the label of the period whose answers are pre-filled, or ""
    rows: list[tuple[tuple[str, ...], str, str, str, str]]  # locked cells, then the FILL_HEADERS cells' texts

    @classmethod
    def of(cls, form: Form, context: tuple[str, ...] = ()) -> FormSheet:
        blank = ("",) * len(FILL_HEADERS)
        rows = [(tuple(row.locked(context)), *(row.previous.answers if row.previous else blank))
                for row in form.rows]
        label = form.prefilled_from.label if form.prefilled_from is not None else ""
        return cls(form.office, form.reporter, form.phone, label, rows)


@dataclass
class SplitResult:
    master: Path
    period: Period
    due: dt.date
    folder: Path
    forms: list[Form]
    unassigned: list[str] = field(default_factory=list)  # 编号 without any office
    etc: list[str] = field(default_factory=list)  # 编号 whose office list ends in 等
    collective: list[str] = field(default_factory=list)  # 编号 naming 各有关单位 and the like
    log_error: str = ""
    list_year: int | None = None  # the year the list is for (its title): a period outside it needs --force
    why: str = ""  # how the period was chosen
    demo: bool = False  # the demo's master
    replaced: list[str] = field(default_factory=list)  # offices whose returned form of this period was written anew

    @property
    def failed(self) -> list[Form]:
        return [f for f in self.forms if f.error]


# --- choosing what goes into each form -----------------------------------------

def default_period(master: Master, today: dt.date) -> Period:
    """The quarter of today; refused when the list is of another year, where
    today's quarter cannot be what the clerk means."""
    if master.year is not None and master.year != today.year:
        raise UsageError(W.U_PERIOD_NEEDED.format(year=master.year, today=today.year))
    return quarter_of(today)


def check_period(master: Master, period: Period) -> None:
    """UsageError for a period outside the year the list is for (2032Q2 for a
    2023 list is a typo, and would become every command's default period)."""
    if master.year is not None and period.year != master.year:
        raise UsageError(W.U_PERIOD_OTHER_YEAR.format(year=master.year, period=period.label, period_id=period.id))


def _returned_offices(master: Master, period: Period, offices: list[str]) -> list[str]:
    """Of ``offices``, those that have already returned something for ``period``."""
    from .status import office_status

    found = office_status(master, period)
    return [o.office for o in found.offices if o.office in offices and (o.returned or o.refused or o.rejected)]


def _latest_answers(master: Master, period: Period) -> dict[tuple[str, str], tuple[Period, Progress]]:
    """(编号, 处室) → the latest answer given for this period or an earlier one."""
    best: dict[tuple[str, str], tuple[Period, Progress]] = {}
    for row in master.progress:
        try:
            when = parse_period(row.period)
        except QingdanError:
            continue
        if when > period:
            continue
        key = (row.code, row.office)
        if key not in best or best[key][0] <= when:
            best[key] = (when, row)
    return best


def plan_forms(master: Master, period: Period, offices: list[str] | None, folder: Path) -> list[Form]:
    """The forms to write: one per office with tasks (or per office asked for)."""
    if not master.offices:
        raise UsageError(W.U_NO_OFFICES)
    chosen = master.pick_offices(offices)
    names = unique_filenames(master.offices)  # over every office, so a name never depends on --office
    answers = _latest_answers(master, period)
    forms = []
    for office in chosen:
        rows = []
        newest: tuple[Period, Progress] | None = None
        for task, role in master.by_office.get(office, []):
            found = answers.get((task.code, office))
            rows.append(FormRow(task, role, found[1] if found else None))
            if found and (newest is None or newest[0] < found[0]):
                newest = found
        form = Form(office, folder / f"{names[office]}.xlsx", rows)
        if newest:
            form.prefilled_from = newest[0]
            form.reporter = newest[1].reporter
            form.phone = newest[1].phone
        forms.append(form)
    return forms


# --- writing one form -------------------------------------------------------------

@dataclass(frozen=True)
class FormContext:
    """What every form of one split shares (small, so worker processes get it cheaply)."""

    title: str  # the form's title line
    master_name: str
    identity: str  # the master's (Master.identity): merge refuses a form of another master
    list_title: str  # the list's name, for messages about a form of another list
    fingerprint: str  # of the master's 清单, for merge to tell a changed list
    period: Period
    due: dt.date
    password: str
    now: dt.datetime
    context: tuple[str, ...] = ()  # the list's context columns (工作目标 …), shown locked
    context_widths: tuple[float, ...] = ()

    @classmethod
    def of(cls, master: Master, period: Period, due: dt.date, config: Config, now: dt.datetime) -> FormContext:
        return cls(W.FORM_TITLE.format(title=_title(master, config)), master.path.name, master.identity, master.title,
                   master.fingerprint,
                   period, due, config.password, now, tuple(master.context),
                   context_widths(master.tasks, master.context))


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        base = {"font_name": BODY_FONT, "font_size": FONT_SIZE, "text_wrap": True, "valign": "top", "border": 1}
        self.title = book.add_format({"font_name": HEADER_FONT, "font_size": 16, "align": "center",
                                      "valign": "vcenter", "text_wrap": True})
        self.subtitle = book.add_format({"font_name": BODY_FONT, "font_size": 12, "align": "center",
                                         "valign": "vcenter"})
        self.notes = book.add_format({"font_name": BODY_FONT, "font_size": 10, "text_wrap": True,
                                      "valign": "top"})
        self.label = book.add_format({**base, "font_name": HEADER_FONT, "align": "center", "valign": "vcenter"})
        self.header = book.add_format({**base, "font_name": HEADER_FONT, "align": "center", "valign": "vcenter",
                                       "bg_color": "#D9D9D9"})
        self.locked = book.add_format(base)
        self.locked_center = book.add_format({**base, "align": "center"})
        unlocked = {**base, "locked": False, "bg_color": FILL}
        self.fill = book.add_format(unlocked)
        self.fill_center = book.add_format({**unlocked, "align": "center", "valign": "vcenter"})
        self.fill_date = book.add_format({**unlocked, "align": "center", "num_format": "yyyy-mm-dd"})


_CENTERED = {W.H_CODE, W.H_LEADER, W.H_DEADLINE, W.H_ROLE}


def write_form(path: Path, form: FormSheet, context: FormContext) -> None:
    """Write one 填报表 to ``path`` (the caller makes the write atomic)."""
    period, due, now = context.period, context.due, context.now
    book = xlsxwriter.Workbook(str(path), {
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        "in_memory": True})  # a form is small: no temporary files per part
    title = context.title
    book.set_properties({"title": title, "subject": f"{form.office} {period.label}",
                         "comments": f"qingdan {W.SHEET_FORM}", "created": now.astimezone(dt.timezone.utc)})
    fmt = _Formats(book)
    sheet = book.add_worksheet(W.SHEET_FORM)
    meta = book.add_worksheet(W.SHEET_META)
    columns = form_columns(context.context, context.context_widths)
    headers = [c[0] for c in columns]
    widths = [c[1] for c in columns]
    locked_order = locked_headers(context.context)
    last_col = len(columns) - 1

    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    total_width = sum(widths)
    sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, title, fmt.title)
    sheet.set_row(TITLE_ROW, row_height([(title, total_width * 0.75)], font_size=16, minimum=30))
    subtitle = W.FORM_SUBTITLE.format(office=form.office, period=period.label, due=date_cn(due))
    sheet.merge_range(SUBTITLE_ROW, 0, SUBTITLE_ROW, last_col, subtitle, fmt.subtitle)
    sheet.set_row(SUBTITLE_ROW, row_height([(subtitle, total_width * 0.9)], font_size=12, minimum=22))
    notes = [W.FORM_NOTES_TITLE] + [line.format(due=date_cn(due)) for line in W.FORM_NOTES]
    if form.prefilled_from:
        notes.append(W.FORM_NOTE_PREFILLED.format(period=form.prefilled_from))
    notes_text = "\n".join(notes)
    sheet.merge_range(NOTES_ROW, 0, NOTES_ROW, last_col, notes_text, fmt.notes)
    sheet.set_row(NOTES_ROW, row_height([(notes_text, total_width * 0.95)], font_size=10))

    sheet.merge_range(*REPORTER_LABEL, W.H_REPORTER, fmt.label)
    _text(sheet, *REPORTER_CELL, form.reporter, fmt.fill_center)
    sheet.merge_range(*PHONE_LABEL, W.H_PHONE, fmt.label)
    sheet.merge_range(*PHONE_CELL, form.phone, fmt.fill_center)
    sheet.set_row(PERSON_ROW, 24)

    for c, header in enumerate(headers):
        sheet.write_string(HEADER_ROW, c, header, fmt.header)
    sheet.set_row(HEADER_ROW, row_height([(h, w) for h, w in zip(headers, widths)], minimum=24))

    col = {h: i for i, h in enumerate(headers)}
    # 完成时限 too is text: what the office sees is exactly what the hash covers
    locked_cells = [(col[h], fmt.locked_center if h in _CENTERED else fmt.locked) for h in locked_order]
    locked_widths = [widths[col[h]] for h in locked_order]
    c_status, c_progress, c_done, c_evidence = (col[h] for h in (W.H_STATUS, W.H_PROGRESS, W.H_DONE_DATE,
                                                                W.H_EVIDENCE))
    write_string, write_blank = sheet.write_string, sheet.write_blank
    hashes = []
    fill_widths = [widths[col[h]] for h in (W.H_STATUS, W.H_PROGRESS, W.H_EVIDENCE)]
    for r, (locked, status, progress, done_text, evidence) in enumerate(form.rows, FIRST_ROW):
        known = _LOCKED_ROWS.get(locked)
        if known is None:  # a task's locked cells recur in the form of each of its offices
            if len(_LOCKED_ROWS) >= _LOCKED_ROWS_MAX:
                _LOCKED_ROWS.clear()
            known = _LOCKED_ROWS[locked] = (row_hash(locked), max_lines(zip(locked, locked_widths)))
        digest, lines = known
        hashes.append(digest)
        for (c, cell_fmt), value in zip(locked_cells, locked):
            if value:
                write_string(r, c, value, cell_fmt)
            else:
                write_blank(r, c, None, cell_fmt)
        _text(sheet, r, c_status, status, fmt.fill_center)
        _text(sheet, r, c_progress, progress, fmt.fill)
        done = parse_date(done_text)
        if done:
            sheet.write_datetime(r, c_done, dt.datetime.combine(done, dt.time()), fmt.fill_date)
        elif done_text:
            write_string(r, c_done, done_text, fmt.fill_date)
        else:
            write_blank(r, c_done, None, fmt.fill_date)
        _text(sheet, r, c_evidence, evidence, fmt.fill)
        if status or progress or evidence:
            lines = max(lines, max_lines(zip((status, progress, evidence), fill_widths)))
        sheet.set_row(r, lines_height(lines, FONT_SIZE))

    last_row = FIRST_ROW + max(len(form.rows), 1) - 1
    if form.rows:
        status_range = f"={W.FORM_STATUS_LIST_NAME}"
        sheet.data_validation(FIRST_ROW, col[W.H_STATUS], last_row, col[W.H_STATUS], {
            "validate": "list", "source": status_range, "input_title": W.H_STATUS,
            "input_message": W.FORM_STATUS_INPUT, "error_title": W.H_STATUS,
            "error_message": W.FORM_STATUS_ERROR})
        sheet.data_validation(FIRST_ROW, col[W.H_DONE_DATE], last_row, col[W.H_DONE_DATE], {
            "validate": "date", "criteria": "between", "minimum": dt.date(2000, 1, 1),
            "maximum": dt.date(2100, 12, 31), "input_title": W.H_DONE_DATE,
            "input_message": W.FORM_DATE_INPUT, "error_title": W.H_DONE_DATE,
            "error_message": W.FORM_DATE_ERROR})

    sheet.freeze_panes(FIRST_ROW, 0)
    sheet.protect(context.password, {
        "format_rows": True, "format_columns": True, "select_locked_cells": True,
        "select_unlocked_cells": True})
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(HEADER_ROW)
    sheet.print_area(0, 0, last_row, last_col)
    sheet.center_horizontally()
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_header(W.FORM_PAGE_HEADER.format(office=_amp(form.office), period=_amp(period.label)))
    sheet.set_footer("&C" + W.FOOTER_PAGES)
    sheet.activate()

    _write_meta(book, meta, form, context, hashes)
    book.close()


# locked cells (a tuple of their texts) → (their hash, the lines the tallest takes)
_LOCKED_ROWS: dict[tuple[str, ...], tuple[str, int]] = {}
_LOCKED_ROWS_MAX = 100_000


def _text(sheet, row: int, col: int, value: str, cell_format) -> None:
    if value:
        sheet.write_string(row, col, value, cell_format)
    else:
        sheet.write_blank(row, col, None, cell_format)


def _amp(text: str) -> str:
    return text.replace("&", "&&")


def _title(master: Master, config: Config) -> str:
    if config.unit and config.unit not in master.title:
        return config.unit + master.title
    return master.title


def _write_meta(book, meta, form: FormSheet, context: FormContext, hashes: list[str]) -> None:
    pairs = [
        (W.META_FORMAT, str(FORM_FORMAT)),
        (W.META_OFFICE, form.office),
        (W.META_PERIOD, context.period.id),
        (W.META_PERIOD_LABEL, context.period.label),
        (W.META_MASTER, context.master_name),
        (W.META_IDENTITY, context.identity),
        (W.META_LIST, context.list_title),
        (W.META_FINGERPRINT, context.fingerprint),
        (W.META_MADE, context.now.isoformat(timespec="seconds")),
        (W.META_DUE, context.due.isoformat()),
        (W.META_HEADER_ROW, str(HEADER_ROW + 1)),
        (W.META_REPORTER_CELL, xl_rowcol_to_cell(*REPORTER_CELL)),
        (W.META_PHONE_CELL, xl_rowcol_to_cell(*PHONE_CELL[:2])),
    ]
    if context.context:
        pairs.append((W.META_CONTEXT, "\t".join(context.context)))
    pairs.append((W.META_ANSWERS, answers_digest((locked[0], *answers) for locked, *answers in form.rows)))
    for r, (key, value) in enumerate(pairs):
        meta.write_string(r, 0, key)
        meta.write_string(r, 1, value)
    # every row's 编号 and hash, packed into as few cells as hold them: a row per task
    # would be a quarter of all the cells split writes, for a sheet nobody sees
    meta.write_string(META_KEYS_ROWS, 0, W.META_ROW_HASHES)
    for i, chunk in enumerate(pack_hashes([row[0][0] for row in form.rows], hashes), 1):  # 编号 leads the locked
        meta.write_string(META_KEYS_ROWS + i, 0, chunk)
    meta.write_string(0, STATUS_COLUMN, W.H_STATUS)
    for i, word in enumerate(W.STATUSES, 1):
        meta.write_string(i, STATUS_COLUMN, word)
    first = xl_rowcol_to_cell(1, STATUS_COLUMN, row_abs=True, col_abs=True)
    last = xl_rowcol_to_cell(len(W.STATUSES), STATUS_COLUMN, row_abs=True, col_abs=True)
    book.define_name(W.FORM_STATUS_LIST_NAME, f"={W.SHEET_META}!{first}:{last}")
    meta.very_hidden()


# --- the command ------------------------------------------------------------------

@fewer_collections()
def split(master_path: str | Path | None = None, period: str | Period | None = None,
          offices: list[str] | None = None, due: str | dt.date | None = None,
          out: str | Path | None = None, config: Config | None = None,
          now: dt.datetime | None = None, progress: Callable[[int, int], None] | None = None,
          force: bool = False) -> SplitResult:
    """Write one 填报表 per office for ``period`` and log the run in the master.

    A form that cannot be written is recorded on its Form (``error``) and the
    others are still written; UsageError/MasterError when nothing can be done:
    also for a period outside the list's year, or offices that have already
    returned the period's form, unless ``force``."""
    config = config or load_config()
    now = now or dt.datetime.now()
    path = find_master(master_path, config)
    refuse_if_open(path)  # unsaved edits in Excel would not reach the forms
    with _early_workers(path) as workers:
        return _split(path, period, offices, due, out, config, now, progress, workers, force)


def _early_workers(path: Path):
    """Worker processes for writing forms, started before the master is read so
    that they are ready when it is; only for a master large enough to give many
    forms (an unused worker is killed)."""
    from contextlib import nullcontext

    from .pool import MAX_WORKERS, Workers, cpus

    try:
        large = path.stat().st_size >= EARLY_WORKERS_BYTES
    except OSError:
        large = False
    if not large or cpus() < 2:
        return nullcontext(None)
    return Workers(min(cpus(), MAX_WORKERS), preload=__name__)


EARLY_WORKERS_BYTES = 64 * 1024  # a master this large lists a few hundred tasks


def _split(path: Path, period, offices, due, out, config: Config, now: dt.datetime,
           progress, workers, force: bool) -> SplitResult:
    master = read_master(path)
    if period is None:
        chosen = default_period(master, now.date())
        why = W.WHY_TODAY
    else:
        chosen = period if isinstance(period, Period) else parse_period(period)
        why = W.WHY_GIVEN
        if not force:
            check_period(master, chosen)
    if due is None:
        due_day = chosen.end + dt.timedelta(days=config.due_days)
    else:
        due_day = date_option(due, chosen.end.year)
        if due_day < chosen.start and parse_date(due) is None:  # written without a year
            due_day = due_day.replace(year=due_day.year + 1)  # 1月5日 after a 第四季度
    if due_day < chosen.start:
        raise UsageError(W.U_DUE_BEFORE_START.format(due=due_day, start=chosen.start))
    folder = Path(out) if out else Path("output") / chosen.id / W.FOLDER_FORMS
    forms = plan_forms(master, chosen, offices, folder)
    existing = [f.office for f in forms if f.path.exists()]  # forms this split would write over
    replaced = _returned_offices(master, chosen, existing) if existing else []
    if replaced and not force:
        raise UsageError(W.U_SPLIT_RETURNED.format(period=chosen.label, n=len(replaced),
                                                   offices=W.LIST_JOIN.join(replaced), folder=folder))
    result = SplitResult(master=path, period=chosen, due=due_day, folder=folder,
                         forms=forms,
                         unassigned=[t.code for t in master.tasks if not t.offices.names],
                         collective=[t.code for t in master.tasks if t.offices.collective],
                         etc=[t.code for t in master.tasks if t.offices.etc], why=why, demo=master.demo,
                         list_year=master.year, replaced=replaced)
    write_forms(forms, FormContext.of(master, chosen, due_day, config, now), progress, workers)
    written = [f for f in forms if not f.error]
    message = W.M_LOG_SPLIT.format(period_id=chosen.id, period=chosen.label, offices=len(written),
                                   rows=sum(len(f.rows) for f in written), due=due_day.isoformat())
    who = W.LIST_JOIN.join(f.office for f in forms) if offices else W.M_LOG_ALL_OFFICES
    outcome = W.RESULT_OK if not result.failed else (W.RESULT_PARTLY if written else W.RESULT_FAILED)
    try:
        log_line(path, W.ACTION_SPLIT, str(folder.resolve()), who, outcome, message, now, master)
    except QingdanError as exc:
        result.log_error = exc.message
    return result


PARALLEL_FORMS = 16  # from this many forms on, worker processes (one per CPU) write them


def write_forms(forms: list[Form], context: FormContext,
                progress: Callable[[int, int], None] | None = None, workers=None) -> None:
    """Write each form atomically; one that fails gets its ``error`` and the others
    are still written.  Many forms are written by worker processes on every CPU
    (a form's XML and zip are CPU work; the workers are started once per split):
    ``workers`` (pool.Workers) when the caller started them, else new ones."""
    from .pool import MAX_WORKERS, WorkerFailed, cpus, run_all

    count = 0

    def done(index: int, result) -> None:
        nonlocal count
        form = forms[index]
        if isinstance(result, WorkerFailed):  # a worker that died or failed outside atomic_write
            result = W.M_WRITE_FAILED.format(path=form.path, reason=result)
        form.error = result
        count += 1
        if progress:
            progress(count, len(forms))

    if len(forms) < PARALLEL_FORMS or cpus() < 2:
        for index, form in enumerate(forms):
            done(index, _write_one(form.path, FormSheet.of(form, context.context), context))
    else:
        jobs = [(form.path, FormSheet.of(form, context.context), context) for form in forms]
        if workers is not None:
            workers.run(_write_one, jobs, done)
        else:
            run_all(_write_one, jobs, min(cpus(), MAX_WORKERS), done)
    for folder in {form.path.parent for form in forms}:  # the renames made durable, once per folder
        sync_folder(folder)


def _write_one(path: Path, sheet: FormSheet, context: FormContext) -> str:
    """Write one form; its error message, or "" when it was written."""
    try:
        atomic_write(path, lambda tmp: write_form(tmp, sheet, context), flush_folder=False)
    except QingdanError as exc:
        return exc.message
    return ""
