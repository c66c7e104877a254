"""Terminal output with rich: what each command did, for a person to read."""

from __future__ import annotations

import re

from rich.console import Console
from rich.table import Table

from . import words as W
from .document import ImportResult

_CODE = re.compile(r"^(.*-)(\d+)$")


def make_console() -> Console:
    """The console commands print to.  Plain lines are not wrapped, so a path or
    a list of 编号 stays on one line and can be copied; tables fit the terminal."""
    return Console(soft_wrap=True)


def compress_codes(codes: list[str]) -> str:
    """``1-01、1-02、1-03、2-05`` → ``1-01～1-03、2-05``: runs of three or more
    consecutive 编号 within one part are shortened."""
    runs: list[list[str]] = []
    for code in codes:
        m, prev = _CODE.match(code), runs[-1][-1] if runs else None
        pm = _CODE.match(prev) if prev else None
        if m and pm and m[1] == pm[1] and int(m[2]) == int(pm[2]) + 1:
            runs[-1].append(code)
        else:
            runs.append([code])
    parts = [W.LIST_JOIN.join(r) if len(r) < 3 else f"{r[0]}{W.RANGE_DASH}{r[-1]}" for r in runs]
    return W.LIST_JOIN.join(parts)


def show_import(console: Console, result: ImportResult) -> None:
    """Print the import summary: counts, offices, deadline kinds, what to fill in by hand."""
    parsed = result.parsed
    console.print(W.M_IMPORTED.format(source=parsed.source, master=result.master))
    if result.backup:
        console.print(W.M_BACKUP.format(backup=result.backup))
    console.print(W.M_TITLE.format(title=parsed.title))
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
        warn.add_column(W.T_FIELD)
        warn.add_column(W.T_WARNINGS)
        for problem in parsed.problems:
            warn.add_row(problem.where, problem.message)
        console.print(warn)
    console.print((W.M_NEXT_TODO if todos else W.M_NEXT).format(master=result.master))
