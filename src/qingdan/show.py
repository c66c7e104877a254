"""Terminal output with rich: what each command did, for a person to read."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from . import words as W
from .model import CODE_NUMBER, compress_codes

if TYPE_CHECKING:
    from .document import ImportResult
    from .mail import MailResult
    from .merge import MergeResult
    from .report import Report
    from .split import SplitResult
    from .status import StatusResult



def make_console() -> Console:
    """The console commands print to.  Plain lines are not wrapped, so a path or
    a list of 编号 stays on one line and can be copied; tables fit the terminal."""
    return Console(soft_wrap=True)


class LazyProgress:
    """A progress bar on stderr that appears only once a job has run for ``delay``
    seconds, so quick runs print nothing extra.  Call it with (done, total)."""

    def __init__(self, description: str, delay: float = 1.0) -> None:
        self.description = description
        self.delay = delay
        self.start = time.monotonic()
        self.bar = None
        self.task = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.start < self.delay:
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.description, total=total)
        self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _grouped(problems) -> list[tuple[str, str]]:
    """One row per message: the same remark on 18 tasks (“3天” has no start date) is
    said once, with their 编号 shortened (1-01～1-18)."""
    by_message: dict[str, list[str]] = {}
    for problem in problems:
        by_message.setdefault(problem.message, []).append(problem.where)
    rows = []
    for message, wheres in by_message.items():
        if len(wheres) > 1 and all(CODE_NUMBER.match(w) for w in wheres):
            rows.append((compress_codes(wheres), message))
        else:
            rows.extend((w, message) for w in wheres)
    return rows


def show_using(console: Console, master, period=None, why: str = "", demo: bool = False) -> None:
    """The first line of every command after import: which master, which period and why."""
    try:
        master = Path(master).resolve().relative_to(Path.cwd())
    except ValueError:
        pass  # elsewhere: as given
    line = W.M_USING.format(master=master)
    if period is not None:
        line += W.M_USING_PERIOD.format(period=period.label, period_id=period.id, why=why)
    console.print(line + (W.M_USING_DEMO if demo else ""))


def _display_names(paths: list) -> dict:
    """path → how a table shows it: its name, or its path from here when two files share a name."""
    from collections import Counter

    counts = Counter(p.name for p in paths)
    out = {}
    for p in paths:
        if counts[p.name] == 1:
            out[p] = p.name
        else:
            try:
                out[p] = str(Path(p).resolve().relative_to(Path.cwd()))
            except ValueError:
                out[p] = str(p)
    return out


def show_import(console: Console, result: "ImportResult") -> None:
    """Print the import summary: counts, offices, deadline kinds, what to fill in by hand."""
    parsed = result.parsed
    console.print(W.M_IMPORTED.format(source=parsed.source, master=result.master))
    if result.backup:
        console.print(W.M_BACKUP.format(backup=result.backup))
    if result.kept is not None:
        n = len(set(result.kept.contacts) & set(parsed.offices))
        console.print(W.M_IMPORT_KEPT.format(n=n, logs=len(result.kept.log)))
        if result.kept.sheets:
            sheets = W.LIST_JOIN.join(W.QUOTE.format(s) for s in result.kept.sheets)
            console.print(W.M_IMPORT_LEFT.format(sheets=sheets, backup=result.backup), style="yellow")
    console.print(W.M_TITLE.format(title=parsed.title) + parsed.title_from)
    console.print(W.M_YEAR.format(year=parsed.year) if parsed.year else W.M_YEAR_UNKNOWN)

    table = Table(title=W.T_SUMMARY_TITLE, title_justify="left")
    for header in (W.T_PARTS, W.T_CATEGORIES, W.T_ITEMS):
        table.add_column(header, justify="left" if header == W.T_PARTS else "right")
    for part in parsed.parts:
        items = sum(1 for t in parsed.tasks if t.part == part)
        table.add_row(part, str(len(parsed.categories(part))), str(items))
    table.add_row(W.T_TOTAL, str(len(parsed.categories())), str(len(parsed.tasks)), style="bold")
    console.print(table)

    offices = parsed.offices
    if offices:
        console.print(W.M_OFFICE_COUNT.format(count=len(offices), names=W.LIST_JOIN.join(offices)))
    elif any(t.offices.collective for t in parsed.tasks):
        console.print(W.M_ONLY_COLLECTIVE)
    else:
        console.print(W.M_NO_OFFICES)
    kinds = W.KIND_SEP.join(W.T_KIND_COUNT.format(kind=kind, n=n) for kind, n in parsed.kind_counts().items())
    console.print(W.M_KINDS.format(kinds=kinds))

    todos = parsed.todos()
    if todos:
        todo = Table(title=W.T_TODO, title_justify="left")
        todo.add_column(W.T_FIELD)
        todo.add_column(W.T_CODES)
        for label, codes in todos:
            todo.add_row(label, W.T_CODES_COUNT.format(codes=compress_codes(codes), n=len(codes)))
        console.print(todo)
    if parsed.problems:
        warn = Table(title=W.T_WARNINGS, title_justify="left")
        warn.add_column(W.T_FIELD, max_width=24)
        warn.add_column(W.T_WARNINGS, overflow="fold")  # Chinese has no spaces to wrap at
        for where, message in _grouped(parsed.problems):
            warn.add_row(where, message)
        console.print(warn)
    console.print((W.M_NEXT_TODO if todos else W.M_NEXT).format(master=result.master))
    year = parsed.year or dt.date.today().year
    console.print(W.M_IMPORT_NEXT.format(year=year))


def show_split(console: Console, result: "SplitResult") -> None:
    """Print office → rows → file for a split, then what was not sent and why."""
    show_using(console, result.master, result.period, result.why, result.demo)
    if result.replaced:
        console.print(W.M_SPLIT_REPLACED.format(n=len(result.replaced), offices=W.LIST_JOIN.join(result.replaced)),
                      style="yellow")
    if result.list_year and result.period.year != result.list_year:
        console.print(W.M_SPLIT_OTHER_YEAR.format(year=result.list_year, period=result.period.label), style="yellow")
    table = Table(title=W.T_SPLIT_TITLE.format(period=result.period.label, due=result.due.isoformat()),
                  title_justify="left")
    table.add_column(W.T_OFFICE)
    for header in (W.T_ROWS, W.T_LEAD, W.T_HELP, W.T_PREFILLED):
        table.add_column(header, justify="right")
    table.add_column(W.T_FILE)
    for form in result.forms:
        target = form.path.name if not form.error else f"[red]{form.error}[/red]"
        table.add_row(form.office, str(len(form.rows)), str(form.lead), str(len(form.rows) - form.lead),
                      str(form.prefilled), target)
    total = sum(len(f.rows) for f in result.forms)
    lead = sum(f.lead for f in result.forms)
    table.add_row(W.T_TOTAL, str(total), str(lead), str(total - lead),
                  str(sum(f.prefilled for f in result.forms)), "", style="bold")
    console.print(table)
    written = len(result.forms) - len(result.failed)
    if written:
        console.print(W.M_SPLIT_DONE.format(count=written, folder=result.folder))
    if result.failed:
        console.print(W.M_SPLIT_FAILED.format(count=len(result.failed)), style="red")
        for form in result.failed:
            console.print(W.ITEM_LINE.format(what=form.office, why=form.error), style="red")
    if result.unassigned:
        console.print(W.M_SPLIT_UNASSIGNED.format(count=len(result.unassigned),
                                                  codes=compress_codes(result.unassigned)), style="yellow")
    if result.etc:
        console.print(W.M_SPLIT_ETC.format(count=len(result.etc), codes=compress_codes(result.etc)), style="yellow")
    if result.collective:
        console.print(W.M_SPLIT_COLLECTIVE.format(count=len(result.collective),
                                                  codes=compress_codes(result.collective)), style="yellow")
    if result.log_error:
        console.print(W.M_SPLIT_LOG_FAILED.format(reason=result.log_error), style="red")
    if written:
        console.print(W.M_SPLIT_NEXT.format(period_id=result.period.id))


def show_mail(console: Console, result: "MailResult") -> None:
    """Print office → address → attachment → result, then what needs a person."""
    show_using(console, result.master, result.period, result.why, result.demo)
    kind = W.MAIL_KIND_REMIND if result.remind else W.MAIL_KIND_FORMS
    if not result.letters and result.asked:
        console.print(W.M_MAIL_ASKED_RETURNED.format(offices=W.LIST_JOIN.join(result.returned),
                                                     period=result.period.label))
    elif not result.letters:
        console.print(W.M_MAIL_ALL_RETURNED.format(period=result.period.label))
    else:
        table = Table(title=W.T_MAIL_TITLE.format(kind=kind, period=result.period.label), title_justify="left")
        headers = [W.T_OFFICE, *([W.T_STATE] if result.remind else []), W.T_CONTACT, W.T_EMAIL, W.T_ATTACHMENT,
                   W.T_RESULT, W.T_NOTE]
        for header in headers:
            table.add_column(header, overflow="fold")
        styles = {W.MAIL_DRAFTED: "green", W.MAIL_SENT: "green", W.MAIL_MANUAL: "yellow"}
        for letter in result.letters:
            contact = letter.contact.person if letter.contact else ""
            email = letter.contact.email if letter.contact else ""
            status = f"[{styles.get(letter.status, 'red')}]{letter.status}[/]"
            state = [letter.state] if result.remind else []
            table.add_row(letter.office, *state, contact, email, letter.form.name if letter.form else "", status,
                          letter.reason)
        console.print(table)
    if result.plain_template:
        console.print(W.M_MAIL_TEMPLATE_NO_SITUATION, style="yellow")
    if result.partial_folder is not None:
        console.print(W.M_MAIL_PARTIAL_FORMS.format(folder=result.partial_folder))
    if result.returned and result.letters:
        console.print(W.M_MAIL_RETURNED.format(offices=W.LIST_JOIN.join(result.returned)))
    if any(letter.draft for letter in result.letters):  # after --send: only those not sent have one
        console.print((W.M_MAIL_UNSENT_DRAFTS if result.send else W.M_MAIL_DRAFTS).format(folder=result.folder))
    sent = [letter for letter in result.letters if letter.status == W.MAIL_SENT]
    if result.error:
        console.print(result.error, style="red")
    if result.send:
        console.print(W.M_MAIL_SENT_COUNT.format(n=len(sent)))
    manual = [letter.office for letter in result.letters if letter.status == W.MAIL_MANUAL]
    if manual:
        console.print(W.M_MAIL_MANUAL_LIST.format(n=len(manual), offices=W.LIST_JOIN.join(manual)), style="yellow")
    if result.failed:
        console.print(W.M_MAIL_FAILED_LIST.format(n=len(result.failed),
                                                  offices=W.LIST_JOIN.join(f.office for f in result.failed)),
                      style="red")
    if result.log_error:
        console.print(W.M_MAIL_LOG_FAILED.format(reason=result.log_error), style="red")


_RESULT_STYLES = {W.RESULT_OK: "green", W.RESULT_DUPLICATE: "dim", W.RESULT_OLDER: "yellow",
                  W.RESULT_PARTLY: "yellow", W.RESULT_EMPTY: "yellow"}


SEEN_LISTED = 5  # files merged before are named one per line up to this many; beyond, only counted


def show_merge(console: Console, result: "MergeResult") -> None:
    """Print file → office → period → rows taken / refused → result, then every
    refused or changed row with its file, row, column and reason.  Files an earlier
    run already took are counted on one line, not listed."""
    show_using(console, result.master, demo=result.demo)
    seen = [f for f in result.files if f.seen]
    files = [f for f in result.files if not f.seen]
    names = _display_names([f.path for f in files])
    title = W.T_MERGE_TITLE_DRY if result.dry_run else W.T_MERGE_TITLE
    table = Table(title=title.format(n=len(files)), title_justify="left")
    table.add_column(W.T_FILE, overflow="fold")
    table.add_column(W.T_OFFICE, overflow="fold")
    table.add_column(W.T_PERIOD)
    table.add_column(W.T_ACCEPTED, justify="right")
    table.add_column(W.T_REJECTED, justify="right")
    table.add_column(W.T_RESULT)
    table.add_column(W.T_NOTE, overflow="fold")
    for f in files:
        status = f"[{_RESULT_STYLES.get(f.result, 'red')}]{f.result}[/]"
        counted = f.counted
        notes = f.notes()
        if f.error:  # said in full below the table, where it is not folded
            notes[0] = W.MAIL_SEE_BELOW
        table.add_row(names[f.path], f.office, f.period.id if f.period else "",
                      str(f.won) if counted else "", str(f.rejected_rows) if counted else "", status,
                      W.REASON_JOIN.join(notes))
    if files:
        console.print(table)
    if seen:
        console.print(W.M_MERGE_SEEN.format(n=len(seen)), style="dim")
        if len(seen) <= SEEN_LISTED:
            for f in seen:
                console.print(W.ITEM_LINE.format(what=f.path.name, why=f.seen), style="dim")
    failed = [f for f in result.files if f.error]
    if failed:
        console.print(W.M_MERGE_REFUSED_FILES.format(n=len(failed)), style="red")
        for f in failed:
            console.print(W.ITEM_INDENT + f.error, style="red")
        console.print(W.M_MERGE_AGAIN)
    if result.projects:
        console.print(W.M_MERGE_PROJECTS.format(projects=W.LIST_JOIN.join(result.projects)))
    if result.masters:
        console.print(W.M_MERGE_SKIPPED_MASTERS.format(files=W.LIST_JOIN.join(str(p) for p in result.masters)))
    if result.skipped:
        folders = W.LIST_JOIN.join(sorted({str(p.parent) for p in result.skipped}))
        console.print(W.M_MERGE_SKIPPED_FORMS.format(n=len(result.skipped), folders=folders))
    problems = [p for f in files if not f.superseded for p in f.problems]
    if problems:
        rows = Table(title=W.T_PROBLEMS_TITLE, title_justify="left")
        rows.add_column(W.T_FILE, overflow="fold")
        rows.add_column(W.T_WHERE)
        rows.add_column(W.T_REASON, overflow="fold")
        for p in problems:
            rows.add_row(p.file.name, p.where, p.reason, style="yellow" if p.taken else "red")
        console.print(rows)
    if result.dry_run:
        console.print(W.M_MERGE_DRY)
    elif result.added or result.updated:
        console.print(W.M_MERGE_DONE.format(master=result.master, added=result.added, updated=result.updated,
                                            archive=result.archive))
    elif result.written:
        console.print(W.M_MERGE_LOG_ONLY)
    else:
        console.print(W.M_MERGE_NOTHING)
    if problems:
        n = len({(p.file, p.row) for p in problems})
        console.print(W.M_MERGE_PROBLEM_ROWS.format(n=n), style="yellow")
    if not result.dry_run:  # after a dry run the next step is the merge itself (M_MERGE_DRY says so)
        periods = result.periods
        if result.latest in periods:  # another period's file beside this period's: this period comes first
            periods = [result.latest]
        for period in periods:
            console.print(W.M_MERGE_NEXT.format(period_id=period.id))


def show_status(console: Console, result: "StatusResult") -> None:
    """Print office → items → returned → missing → refused → state → when → file,
    then what each office still owes."""
    show_using(console, result.master, result.period, result.why, result.demo)
    if result.due:
        title = W.T_STATUS_TITLE.format(period=result.period.label, due=result.due.isoformat())
    else:
        title = W.T_STATUS_TITLE_NO_DUE.format(period=result.period.label)
    table = Table(title=title, title_justify="left")
    table.add_column(W.T_OFFICE, overflow="fold")
    for header in (W.T_ITEMS, W.T_RETURNED_ROWS, W.T_MISSING_ROWS, W.T_REJECTED):
        table.add_column(header, justify="right")
    table.add_column(W.T_STATE)
    table.add_column(W.T_WHEN)
    table.add_column(W.T_FROM, overflow="fold")
    styles = {W.STATE_RETURNED: "green", W.STATE_PARTLY: "yellow", W.STATE_MISSING: "red", W.STATE_REJECTED: "red",
              W.STATE_WRONG_PERIOD: "red"}
    names = _display_names(sorted({Path(f) for o in result.offices for f in o.files}))
    for o in result.offices:
        table.add_row(o.office, str(o.items), str(o.returned), str(o.missing), str(o.rejected),
                      f"[{styles[o.state]}]{o.state}[/]", o.when, W.LIST_JOIN.join(names[Path(f)] for f in o.files))
    table.add_row(W.T_TOTAL, *(str(sum(getattr(o, a) for o in result.offices))
                               for a in ("items", "returned", "missing", "rejected")), "", "", "", style="bold")
    console.print(table)
    if not result.sent:
        console.print(W.M_NOT_SPLIT.format(period=result.period.label, period_id=result.period.id), style="yellow")
    full = len(result.returned) - len(result.partly)
    console.print(W.M_STATUS_SUMMARY.format(total=len(result.offices), returned=full, partly=len(result.partly),
                                            missing=len(result.to_remind)))
    if result.to_remind:
        console.print(W.M_STATUS_REMIND.format(n=len(result.to_remind), offices=W.LIST_JOIN.join(result.to_remind)),
                      style="red")
    if result.partly:
        console.print(W.M_STATUS_PARTLY.format(n=len(result.partly), offices=W.LIST_JOIN.join(result.partly)),
                      style="yellow")
    for o in result.offices:
        if o.state == W.STATE_PARTLY and o.missing_codes:
            console.print(W.ITEM_LINE.format(what=o.office, why=W.M_STATUS_MISSING_CODES.format(
                n=len(o.missing_codes), codes=compress_codes(o.missing_codes))), style="yellow")
        elif o.state == W.STATE_PARTLY:
            console.print(W.ITEM_LINE.format(what=o.office, why=W.M_STATUS_ROWS_REFUSED.format(n=o.rejected)),
                          style="yellow")
        elif o.state == W.STATE_WRONG_PERIOD:
            other, time, file = o.wrong_period
            console.print(W.ITEM_LINE.format(what=o.office, why=W.M_STATUS_WRONG_PERIOD.format(
                file=file, time=time, other=other.label, period=result.period.label)), style="red")
        elif o.state == W.STATE_REJECTED and o.refused:
            last = o.refused[-1]
            console.print(W.ITEM_LINE.format(what=o.office, why=W.M_STATUS_REFUSED.format(
                file=last.file, time=last.time, reason=last.reason)), style="red")
    if (result.to_remind or result.partly) and result.sent:
        console.print(W.M_STATUS_NEXT.format(period_id=result.period.id))
    if not result.to_remind and not result.partly:
        console.print(W.M_STATUS_ALL.format(period=result.period.label), style="green")


def show_report(console: Console, result: "Report") -> None:
    """Print the by-office table and the key numbers, and where the files are."""
    from .dates import percent
    from .report import PIVOT_HEADERS

    show_using(console, result.master, result.period, result.why, result.demo)
    table = Table(title=W.T_REPORT_TITLE.format(period=result.period.label, as_of=result.as_of.isoformat()),
                  title_justify="left")
    table.add_column(W.R_OFFICE, overflow="fold")
    for header in PIVOT_HEADERS:
        table.add_column(header, justify="right")
    rate = PIVOT_HEADERS.index(W.R_RATE)

    def cells(row: list) -> list[str]:
        return [percent(v) if i == rate else str(v) for i, v in enumerate(row)]

    for key, row in zip(result.by_office.keys, result.by_office.rows):
        table.add_row(key, *cells(row))
    table.add_row(W.R_TOTAL, *cells(result.by_office.total), style="bold")
    console.print(table)
    if not result.sent:
        console.print(W.M_NOT_SPLIT.format(period=result.period.label, period_id=result.period.id), style="yellow")
    console.print(result.summary())
    if result.unreadable:
        console.print(W.M_REPORT_BAD_STATUS.format(n=len(result.unreadable),
                                                   items=W.LIST_JOIN.join(result.unreadable)), style="yellow")
    console.print(W.M_REPORT_DONE.format(path=result.path))
    if result.pdf:
        console.print(W.M_REPORT_PDF.format(path=result.pdf, pages=result.pdf_pages))
    if result.pdf_error:
        console.print(result.pdf_error, style="red")
    if result.log_error:
        console.print(W.M_REPORT_LOG_FAILED.format(reason=result.log_error), style="red")
