"""Filling in a 填报表 as a person in an office would, for the merge tests.

A form made by ``qingdan split`` is opened with openpyxl (another office suite
than the one that wrote it), its yellow cells are filled in, and it is saved
again; the saved time in docProps/core.xml can be set, since openpyxl stamps
the time of the save.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

HEADER_ROW = 5
FIRST_ROW = 6


def answer(code: str) -> dict[str, object]:
    """The default answer of a row: 推进中 and a progress text naming the 编号."""
    return {"完成状态": "推进中", "进展情况": f"{code} 按计划推进", "佐证材料": f"{code} 文件"}


def fill(src: Path, dst: Path | None = None, answers: dict[str, dict[str, object]] | None = None, *,
         reporter: str = "张三", phone: str = "025-8888 6666", saved: dt.datetime | None = None,
         edit: Callable[[openpyxl.worksheet.worksheet.Worksheet], None] | None = None) -> Path:
    """Fill the form ``src`` and save it as ``dst`` (default: in place), saved at
    ``saved`` (default: a minute from now).

    ``answers``: 编号 → {header: value}; None fills every row with ``answer``;
    a row not named is left as it was.  ``edit`` gets the sheet for anything else."""
    book = openpyxl.load_workbook(src)
    sheet = book["填报"]
    col = {cell.value: cell.column for cell in sheet[HEADER_ROW] if cell.value}
    for r in range(FIRST_ROW, sheet.max_row + 1):
        code = sheet.cell(r, col["编号"]).value
        if not code:
            continue
        values = answer(code) if answers is None else answers.get(code)
        for header, value in (values or {}).items():
            cell = sheet.cell(r, col[header])
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # typed as text, even when it starts with =
    sheet["C4"] = reporter
    sheet["F4"] = phone
    if edit:
        edit(sheet)
    dst = dst or src
    dst.parent.mkdir(parents=True, exist_ok=True)
    book.save(dst)
    # a person saves minutes after split made the form, never in the same second
    # (merge takes created == modified as "never saved since split")
    set_saved(dst, saved or dt.datetime.now().replace(microsecond=0) + dt.timedelta(minutes=1))
    return dst


def set_saved(path: Path, when: dt.datetime) -> None:
    """Set the file's last-saved time (docProps/core.xml, UTC) to ``when`` (local time)."""
    stamp = when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    rewrite_part(path, "docProps/core.xml",
                 lambda xml: re.sub(rb"(<dcterms:modified\b[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), xml))


def rewrite_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite one part of an .xlsx's zip in place."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info.filename, change(data) if info.filename == part else data)
    path.write_bytes(out.getvalue())


def form_values(path: Path) -> list[list]:
    """The 填报 sheet's rows as calamine reads them."""
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("填报").to_python(skip_empty_area=False)


def progress(master: Path) -> list[dict[str, object]]:
    """The master's 进展 rows as header → value, read with openpyxl."""
    rows = list(openpyxl.load_workbook(master)["进展"].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if any(v not in (None, "") for v in r)]


def log(master: Path) -> list[dict[str, object]]:
    rows = list(openpyxl.load_workbook(master)["日志"].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if any(v not in (None, "") for v in r)]
