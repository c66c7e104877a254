"""Step 1 of the cycle, ``qingdan import``: a list document becomes the master.

The file is read by sources.py into lines and tables; a covering notice at the top
is passed over (notice.py); the list itself is read in table form (tables.py)
when a table with a task column is there, else in paragraph form (paragraphs.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import words as W
from .dates import YEAR_IN_TEXT
from .errors import MasterError, SourceError, UsageError
from .files import atomic_write, backup, master_lock, refuse_if_open
from .items import clean_text
from .master import previous_master, write_new_master
from .model import LogEntry, ParsedList, Problem
from .notice import choose_title, dated, find_notice, title_above
from .offices import safe_filename
from .outline import NEXT_ATTACHMENT, numbered, starts_attachment
from .paragraphs import read_paragraphs
from .schema import new_identity
from .sources import Source, read_source
from .tables import HEADER_SCAN_ROWS, read_tables
from .workbook import Kept


def _cut_at_next_attachment(source: Source, start: int) -> Problem | None:
    """Drop everything from a second attachment on (``附件2``, ``附件：考核细则`` after the
    list has begun): another document, whose table must not be taken for the list."""
    seen_lines = 0
    begun = False
    for index, block in enumerate(source.blocks):
        if not isinstance(block, str):
            begun = begun or seen_lines >= start
            continue
        seen_lines += 1
        line = clean_text(block)
        if seen_lines <= start or not line:
            continue
        if begun and NEXT_ATTACHMENT.match(line) and starts_attachment(line, next(
                (clean_text(b) for b in source.blocks[index + 1:] if isinstance(b, str) and clean_text(b)), "")):
            del source.blocks[index:]
            return Problem(W.P_WHERE_LINE.format(line=seen_lines), W.P_NEXT_ATTACHMENT.format(text=line))
        begun = begun or numbered(line, {}) is not None
    return None


def parse_document(path: str | Path, year: int | None = None) -> ParsedList:
    """Read and parse a list document into tasks (no file is written).

    ``year`` overrides the year found in the document's title (or file name).
    """
    path = Path(path)
    source = read_source(path)
    notice = find_notice(source.lines)
    ended = _cut_at_next_attachment(source, notice.start)
    lines = source.lines
    # a notice whose end was not found (no date, no 附件) is still there above the first table
    body_left = bool(notice.title) and notice.start == notice.title_end
    items, no_task_column = read_tables(path, source, skip=notice.start, notice=body_left)
    from_tables = items is not None
    if items is None:
        # paragraph form; a stray table (a contact list, say) does not stand in its way
        items = read_paragraphs(list(enumerate(lines, 1))[notice.start:])
    if not items.items:
        if no_task_column:
            raise SourceError(no_task_column)
        if from_tables:
            raise SourceError(W.M_TABLE_WITHOUT_ROWS.format(path=path))
        if source.tables and not source.lines:
            raise SourceError(W.M_NO_TABLE_HEADER.format(path=path, rows=HEADER_SCAN_ROWS))
        raise SourceError(W.M_NO_ITEMS.format(path=path))
    items.problems[:0] = [Problem(name, W.P_SHEET_HIDDEN) for name in source.hidden]
    if ended:
        items.problems.append(ended)
    title, title_from = choose_title(items.title_lines, notice)
    if not title and not notice.title:
        title = title_above(lines[:notice.start])
    if not title:
        title, title_from = path.stem, W.M_TITLE_FROM_FILE
    if year is None:
        m = YEAR_IN_TEXT.search(title) or YEAR_IN_TEXT.search(path.stem)
        year = int(m[1]) if m else notice.year or dated(items.title_lines)
    tasks = items.tasks(title, year)
    return ParsedList(source=path.name, title=title, year=year, tasks=tasks, problems=items.problems,
                      title_from=title_from)


# --- the import step -------------------------------------------------------------------


@dataclass
class ImportResult:
    """What ``import_document`` did."""

    parsed: ParsedList
    master: Path
    backup: Path | None
    kept: Kept | None = None  # what the master it replaced handed on (import --force)


def default_master_path(parsed: ParsedList, folder: Path = Path("workbooks")) -> Path:
    """``workbooks/<清单名称>.xlsx``."""
    return folder / f"{safe_filename(parsed.title)}.xlsx"


def import_document(source: str | Path, master: str | Path | None = None, year: int | None = None,
                    force: bool = False, now: dt.datetime | None = None,
                    contacts: dict[str, list[str]] | None = None, demo: bool = False) -> ImportResult:
    """Turn a list document into a new master workbook.

    ``master`` is the file to write, or a folder to write ``<清单名称>.xlsx`` into
    (default: ``workbooks/``).  Refuses to overwrite an existing master unless
    ``force``, and always when it already holds rows in 进展.  The old file is
    backed up before it is replaced; the new one is written to a temporary file
    and swapped in, keeping the old one's identity.  ``contacts`` pre-fills the
    处室 sheet; ``demo`` marks the master as the demo's (both for qingdan demo).
    """
    now = now or dt.datetime.now().replace(microsecond=0)
    parsed = parse_document(source, year)
    if master is None:
        target = default_master_path(parsed)
    elif Path(master).is_dir() or not Path(master).suffix:  # a folder, existing or to be made
        target = default_master_path(parsed, Path(master))
    else:
        target = Path(master)
    if target.suffix.lower() != ".xlsx":
        raise UsageError(W.M_TARGET_NOT_XLSX.format(path=target))
    if target.exists() and not force:
        raise MasterError(W.M_TARGET_EXISTS.format(path=target, backup_dir=target.parent / W.BACKUP_DIR))
    with master_lock(target):
        saved = kept = None
        if target.exists():
            refuse_if_open(target)
            # the contacts people typed and the 日志 (splits already sent) go on into the new master
            rows, kept = previous_master(target)
            if rows:
                raise MasterError(W.M_TARGET_HAS_PROGRESS.format(path=target, rows=rows))
            saved = backup(target, now)
        # the same list made again keeps its identity (the forms sent stay its own); another
        # list imported over it (the wrong document, first) gets a new one: its forms are not this list's
        same = kept is not None and kept.identity and kept.title == parsed.title
        identity = kept.identity if same else new_identity(demo)
        log = LogEntry(now, W.ACTION_IMPORT, parsed.source, "", W.RESULT_OK, summary_line(parsed, identity))
        people = {**(kept.contacts if kept else {}), **(contacts or {})}
        atomic_write(target, lambda tmp: write_new_master(tmp, parsed, log, identity, people,
                                                          kept.log if kept else []))
    return ImportResult(parsed, target, saved, kept)


def summary_line(parsed: ParsedList, identity: str) -> str:
    """One line of counts (and the master's identity) for the 日志 sheet."""
    return W.M_LOG_IMPORT.format(
        title=parsed.title, parts=len(parsed.parts), categories=len(parsed.categories()),
        items=len(parsed.tasks), offices=len(parsed.offices), identity=identity)
