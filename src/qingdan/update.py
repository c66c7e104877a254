"""Writing the master after import (docs/design.md, "Safety rules").

Writing never loads and re-saves the workbook.  ``updating(path)`` opens the
master's zip, lets the caller replace the rows of the sheets qingdan owns (进展,
日志, the record of derived columns) and brings 清单's derived cells up to date,
and writes a new zip in which every other part is copied unchanged (shapes,
pictures, pivot tables, formulas and their cached values, VBA …); calcChain.xml
is dropped so Excel rebuilds it.  Before the swap the old file is backed up; the
new one is written to a temporary file and renamed over the old in one step,
under a lock, and never while an office suite has the master open.
"""

from __future__ import annotations

import datetime as dt
import io
import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from defusedxml import ElementTree as SafeET

from . import ooxml, sheetxml
from . import words as W
from .cells import cell_text
from .dates import parse_date
from .errors import MasterError, QingdanError
from .files import atomic_write, backup, master_lock, refuse_if_open
from .guard import check_workbook, sheet_parts
from .model import LogEntry, Progress
from .ooxml import PartError
from .sheetxml import SheetLayout
from .workbook import HIDDEN_SHEETS, OWNED_SHEETS, Master, find_header, read_master, sheet_rows, table_rows, typed_value
from .zipout import ZipOut


class MasterUpdate:
    """The master's zip opened for replacing the rows of the sheets qingdan owns."""

    def __init__(self, path: Path, data: bytes, cells: dict[str, list[list]] | None = None) -> None:
        """``cells``: the owned sheets' rows as calamine read them from ``data``
        (read_master has them), so they are not parsed again."""
        self.path = path
        self.data = data
        self._new: dict[str, list[list]] = {}
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self._names = zf.namelist()
            self._sheets = sheet_parts(zf)
        self._cells = dict(cells or {})
        self._current: dict[str, list[list[str]]] = {}
        self._extra: dict[str, list[str]] = {}
        self._layout: dict[str, SheetLayout] = {}  # where the rows of each loaded sheet are now
        self._edited: dict[str, bytes] = {}  # part → its XML with single cells changed (set_cells)

    def headers(self, sheet: str) -> list[str]:
        """The sheet's columns: its contract headers, then any the clerk added
        (kept with their values, after the contract columns)."""
        self._load(sheet)
        return OWNED_SHEETS[sheet] + self._extra.get(sheet, [])

    def rows(self, sheet: str) -> list[list[str]]:
        """The data rows (below the header) of an owned sheet as it is now, in the
        order of ``headers(sheet)``; rows set earlier in this update win."""
        if sheet in self._new:
            return [list(r) for r in self._new[sheet]]
        return [list(r) for r in self._load(sheet)]

    def _load(self, name: str) -> list[list[str]]:
        """One owned sheet's rows (parsed on first use: a 日志 line needs no 进展)."""
        if name in self._current:
            return self._current[name]
        if name not in self._cells:
            from python_calamine import CalamineWorkbook

            book = CalamineWorkbook.from_filelike(io.BytesIO(self.data))
            self._cells[name] = sheet_rows(book, name) or []
        rows = self._cells[name]
        headers = OWNED_SHEETS[name]
        found = find_header(rows, headers)
        if found is None:
            if any(cell_text(v) for row in rows for v in row):
                # rows we cannot place: refuse rather than write over them
                raise MasterError(W.M_OWNED_HEADER.format(path=self.path, sheet=name,
                                                          headers=W.LIST_JOIN.join(headers)))
            self._current[name] = []
            return []
        header_row, col = found
        columns = {h: col[h] for h in headers}
        # columns people added: kept by position, so two with one name both survive
        for c, value in enumerate(rows[header_row]):
            if c not in columns.values() and (text := cell_text(value)):
                columns[f"\x00{c}"] = c
                self._extra.setdefault(name, []).append(text)
        lines: list[int] = []
        self._current[name] = [list(values.values())
                               for values in table_rows(rows, header_row, columns, list(columns), lines)]
        # a number, date or TRUE/FALSE in a column people added stays one (qingdan's own columns are text)
        added = list(columns.values())[len(headers):]
        for row, r in zip(self._current[name], lines) if added else ():
            for k, oc in enumerate(added, len(headers)):
                if (value := typed_value(rows[r][oc] if oc < len(rows[r]) else None)) is not None:
                    row[k] = value
        self._layout[name] = SheetLayout(header_row + 1, [r + 1 for r in lines], list(columns.values()), len(headers))
        return self._current[name]

    def set_rows(self, sheet: str, rows: list[list]) -> None:
        """Replace the data rows of an owned sheet (values in its contract header order).
        The rows ``rows(sheet)`` gave come first, in their order (changed or not),
        then new ones: each row keeps the cell and row formatting people gave it."""
        if sheet not in OWNED_SHEETS:
            raise ValueError(f"qingdan does not own sheet {sheet!r}")
        self._new[sheet] = rows

    def append(self, sheet: str, *rows: list) -> None:
        """Add rows below those the sheet holds."""
        self.set_rows(sheet, self.rows(sheet) + [list(r) for r in rows])

    def progress(self) -> list[Progress]:
        """The 进展 rows as they are now (with what this update changed)."""
        return [Progress.from_cells(row) for row in self.rows(W.SHEET_PROGRESS)]

    def upsert_progress(self, rows: list[Progress]) -> None:
        """Write these 进展 rows: each replaces the row of its 编号 × 责任处室 × 报送期次,
        keeping the columns people added after 进展's own and their values, or is
        added below the others."""
        if not rows:
            return
        current = self.rows(W.SHEET_PROGRESS)
        extra = len(self.headers(W.SHEET_PROGRESS)) - len(W.PROGRESS_HEADERS)
        where = {tuple(row[:3]): i for i, row in enumerate(current)}  # the key: 编号, 责任处室, 报送期次
        for new in rows:
            i = where.get(new.key)
            if i is None:
                where[new.key] = len(current)
                current.append(new.cells() + [""] * extra)
            else:
                current[i] = new.cells() + current[i][len(W.PROGRESS_HEADERS):]
        self.set_rows(W.SHEET_PROGRESS, current)

    def log(self, *entries: LogEntry) -> None:
        """Add lines to 日志."""
        self.append(W.SHEET_LOG, *(entry.cells() for entry in entries))

    def set_cells(self, sheet: str, cells: dict[tuple[int, int], object]) -> set[tuple[int, int]]:
        """Change single cells of a sheet people own (清单's derived 完成时限 and 时限类型):
        (Excel row, 0-based column) → a date, a text or None (blank).  Only those cells'
        elements change in the sheet's XML; each keeps its style (a date gets one that
        shows dates, added to styles.xml only when the workbook has none for it).
        Returns the cells left as they were (see _edit_cells)."""
        part = dict(self._sheets_by_name()).get(sheet)
        if part is None or not cells:
            return set(cells)
        with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
            xml = self._edited.get(part) or zf.read(part)
            styles_part = ooxml.styles_part(zf.read("xl/_rels/workbook.xml.rels"))
            try:
                styles = self._edited.get(styles_part) or zf.read(styles_part)
            except KeyError:
                styles = b""
        dated = ooxml.date_styles(styles)
        added: dict[str, str] = {}

        def date_style(style: str) -> str | None:
            nonlocal styles
            if style not in added:
                made = ooxml.with_date_style(styles, style)
                if made is None:
                    return None
                added[style], styles = made
            return added[style]

        new, skipped = ooxml.edit_cells(xml, cells, dated, date_style)
        if new != xml:
            self._edited[part] = new
        if added:
            self._edited[styles_part] = styles
        return skipped

    @property
    def changed(self) -> bool:
        return bool(self._new or self._edited)

    def snapshot(self) -> tuple[dict, dict]:
        """What has been changed so far, for restore() to go back to."""
        return dict(self._new), dict(self._edited)

    def restore(self, snapshot: tuple[dict, dict]) -> None:
        """Forget every change made since ``snapshot``."""
        self._new, self._edited = dict(snapshot[0]), dict(snapshot[1])

    def build(self) -> bytes:
        """The new master's bytes: owned sheets rewritten, everything else copied."""
        parts = dict(self._sheets_by_name())
        with zipfile.ZipFile(io.BytesIO(self.data)) as src:
            extra: dict[str, bytes] = dict(self._edited)
            own = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml")
            original = {name: src.read(name) for name in own}
            book, rels, types = original.values()
            recalculate = False
            for sheet, rows in self._new.items():
                part = parts.get(sheet)
                try:
                    if part is None:  # someone deleted it: add it back at the end
                        part, book, rels, types = ooxml.add_sheet(sheet, self._names + list(extra), book, rels,
                                                                  types, hidden=sheet in HIDDEN_SHEETS)
                        extra[part] = sheetxml.sheet_xml(None, self.headers(sheet), rows)
                        parts[sheet] = part
                    else:
                        extra[part] = sheetxml.sheet_xml(src.read(part), self.headers(sheet), rows,
                                                      self._layout.get(sheet))
                        # formulas people keep in the sheet (qingdan writes none)
                        recalculate = recalculate or sheetxml.has_formula(extra[part])
                except PartError as exc:
                    raise MasterError(W.M_MASTER_UNREADABLE.format(path=self.path, reason=f"{part}: {exc}")
                                      ) from None
            if recalculate:
                book = ooxml.recalculated_on_load(book)
            rels, types = ooxml.without_calc_chain(rels, types)
            replaced = dict(extra)
            # the workbook's own parts are rewritten only when they must change
            # (a sheet added back, calcChain dropped), else copied as they are
            for name, content in zip(own, (book, rels, types)):
                if content != original[name]:
                    replaced[name] = content
            # parts kept are copied still compressed, byte for byte (no inflate and
            # deflate of a large 清单 on every write); new parts are deflated
            zout = ZipOut()
            for info in src.infolist():
                if info.filename == "xl/calcChain.xml":
                    continue
                if info.filename in replaced:
                    zout.deflate(info.filename, replaced.pop(info.filename), info)
                elif not zout.copy(self.data, info):
                    zout.deflate(info.filename, src.read(info.filename), info)
            for name, content in replaced.items():  # parts that did not exist before
                zout.deflate(name, content)
        return zout.finish()

    def _sheets_by_name(self) -> list[tuple[str, str]]:
        return [(name, part) for name, part in self._sheets if part in self._names]



@contextmanager
def updating(path: Path, now: dt.datetime | None = None, master: Master | None = None) -> Iterator[MasterUpdate]:
    """Open the master for an update of its owned sheets; on leaving the block the
    master is backed up and replaced atomically (only if something changed).
    ``master``: the master as this command read it; when the file still holds
    exactly those bytes, it is not checked or parsed again.

    Refuses while an office suite (Excel, WPS, LibreOffice) has the master open,
    or another qingdan command is writing it.  An exception inside the block
    leaves the master untouched."""
    refuse_if_open(path)
    # the file's own read-only mark (Windows' 只读 attribute, or no write bit); checked
    # by mode rather than os.access, which says yes to root whatever the mark
    if path.exists() and not path.stat().st_mode & stat.S_IWUSR:
        raise MasterError(W.M_MASTER_READ_ONLY.format(path=path))
    with master_lock(path):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise MasterError(W.M_MASTER_UNREADABLE.format(path=path, reason=exc.strerror or exc)) from None
        if master is not None and master.data != data:
            master = None  # the file changed since the command read it
        try:
            if master is not None:  # checked when it was read
                update = MasterUpdate(path, data, master.owned)
            else:
                check_workbook(path, data)
                update = MasterUpdate(path, data)
        except QingdanError as exc:
            raise MasterError(exc.message) from None
        except (zipfile.BadZipFile, KeyError, zlib.error, SafeET.ParseError, UnicodeDecodeError) as exc:
            raise MasterError(W.M_MASTER_UNREADABLE.format(path=path, reason=exc)) from None
        yield update
        if update.changed:
            _follow_schedules(update, master)
            try:
                content = update.build()
            except QingdanError:
                raise
            except Exception as exc:  # out of memory, a part we cannot rewrite …: the old master stays
                raise MasterError(W.M_WRITE_FAILED.format(path=path, reason=getattr(exc, "strerror", None) or exc)
                                  ) from None
            backup(path, now)
            atomic_write(path, lambda tmp: tmp.write_bytes(content))


def _follow_schedules(update: MasterUpdate, master: Master | None) -> None:
    """On a write that happens anyway: bring 清单's derived cells (完成时限, 时限类型) to
    what deadlines.follow_schedule gives, as forms and report already see them, and
    the hidden record of what was derived.  Only blank cells and those holding what
    qingdan derived change; a date or a kind the clerk typed, a formula, text that is
    no date are left.  Anything that goes wrong here leaves 清单 and the record as they
    were: the write the command came for goes ahead."""
    before = update.snapshot()
    try:
        if master is None:  # the file changed since the command read it
            master = read_master(update.path, update.data, checked=True)  # updating() checked it
        c_date, c_kind = master.derived_columns
        cells: dict[tuple[int, int], object] = {}
        for row in master.derived:
            raw = row.date_cell
            on_file = parse_date(raw)
            if c_date is not None and on_file != row.date and (on_file is not None or not cell_text(raw)):
                cells[(row.line, c_date)] = row.date
            if c_kind is not None and row.kind_cell != row.kind and (
                    not row.kind_cell or row.kind_cell in W.DEADLINE_KINDS):
                cells[(row.line, c_kind)] = row.kind
        left = {line for line, _ in update.set_cells(W.SHEET_LIST, cells)} if cells else set()
        rows = []
        for row in master.derived:
            # a row whose cells could not be written keeps its old record, so the reader
            # goes on deriving its values from the text
            derived = row.recorded if row.line in left else row.record
            if derived is not None:
                rows.append([row.code, derived.schedule, derived.date.isoformat() if derived.date else "",
                             derived.kind])
        if [r[:len(W.DERIVED_HEADERS)] for r in update.rows(W.SHEET_DERIVED)] != rows:
            update.set_rows(W.SHEET_DERIVED, rows)
    except Exception:  # a master the reader refuses, a 清单 we cannot edit: left as it is
        update.restore(before)


def log_line(path: Path, action: str, file: str, office: str, result: str, message: str,
             now: dt.datetime | None = None, master: Master | None = None) -> None:
    """Append one line to the master's 日志 sheet (``master``: as read by this command)."""
    now = now or dt.datetime.now()
    with updating(path, now, master) as update:
        update.log(LogEntry(now, action, file, office, result, message))
