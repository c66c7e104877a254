"""``qingdan demo``: every step that exists, on the bundled sample, inside one folder."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rich.console import Console

from . import words as W
from .config import default_config
from .document import import_document
from .errors import QingdanError
from .mail import mail
from .ooxml import escape
from .periods import Period
from .show import show_import, show_mail, show_split
from .split import split
from .workbook import Master

SAMPLE = "2023年度局委员会全面从严治党主体责任清单.txt"
MARK = ".qingdan-demo"  # a folder holding this file was made by demo
# what demo writes there, and removes before a new run
DEMO_PARTS = [W.DEMO_SOURCE_DIR, "workbooks", "output", W.DEMO_RETURNS_DIR]
DEMO_PERIOD = "2023Q2"
# The 处室 sheet as a clerk fills it in; two offices are left without an address,
# as happens, so the demo shows what 需手工发送 looks like.
DEMO_CONTACTS = {
    "人事教育处": ["王芳", "renjiao@mzj.example.cn", "025-8360 1001"],
    "办公室": ["李强", "bgs@mzj.example.cn", "025-8360 1002"],
    "机关党委": ["张敏", "jgdw@mzj.example.cn", "025-8360 1003"],
    "机关纪委": ["刘洋", "jgjw@mzj.example.cn", "025-8360 1004"],
    "规财处": ["陈静", "gcc@mzj.example.cn", "025-8360 1005"],
    "社会组织管理局": ["杨帆", "shzz@mzj.example.cn", "025-8360 1006"],
    "社会救助处": ["赵磊", "", "025-8360 1007"],
    "社会事务处": ["黄丽", "shsw@mzj.example.cn", "025-8360 1008"],
    "养老服务处": ["周杰", "ylfw@mzj.example.cn", "025-8360 1009"],
    "儿童福利处": ["吴婷", "", "025-8360 1010"],
}


@dataclass
class DemoResult:
    folder: Path
    source: Path
    master: Path
    forms: Path
    drafts: Path
    returns: Path
    report: Path
    pdf: Path | None


def sample_text() -> bytes:
    """The bundled seed list, as published."""
    return resources.files("qingdan").joinpath("data", SAMPLE).read_bytes()


def _prepare(folder: Path) -> None:
    """Make ``folder`` ready: new, or one an earlier demo made, whose own parts
    (and nothing else) are removed.  Any other non-empty folder is refused."""
    if folder.exists() and not folder.is_dir():
        raise QingdanError(W.M_DEMO_NOT_A_FOLDER.format(path=folder))
    try:
        if folder.exists() and any(folder.iterdir()):
            if not (folder / MARK).exists():
                raise QingdanError(W.M_DEMO_DIR_NOT_DEMO.format(path=folder))
            for part in DEMO_PARTS:
                target = folder / part
                if target.is_dir():
                    shutil.rmtree(target)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / MARK).write_text("qingdan demo\n", encoding="utf-8")
    except OSError as exc:
        raise QingdanError(W.M_DEMO_CANNOT_WRITE.format(path=folder, reason=exc.strerror or exc)) from None


# Months a clerk fills in for the published list's 2023年*月 (deterministic).
DEMO_MONTHS = [3, 5, 6, 9, 12, 4, 10, 6, 11, 12, 3, 8, 6, 9, 12, 5, 7, 10, 11, 12]
DEMO_MISSING = "社会救助处"  # returns nothing
DEMO_BAD_ROW = "机关纪委"  # writes a status qingdan cannot read in its first row
DEMO_RENAMED = "规财处"  # its file comes back under another name


def fill_months(text: str) -> tuple[str, int]:
    """The list with 2023年*月 in its schedule lines replaced by months, as the
    clerk fills them in; (text, how many)."""
    months = iter(DEMO_MONTHS * 10)
    count = 0
    lines = []
    for line in text.split("\n"):
        if line.startswith(W.H_SCHEDULE):
            line, n = re.subn(r"(\d{4}年)[*＊](月)", lambda m: f"{m[1]}{next(months)}{m[2]}", line)
            count += n
        lines.append(line)
    return "\n".join(lines), count


def _pick(code: str, office: str, n: int) -> int:
    return int(hashlib.sha256(f"{code}|{office}".encode()).hexdigest()[:8], 16) % n


def demo_answer(code: str, office: str, period_start: dt.date, due_early: bool = False) -> list[str]:
    """[完成状态, 进展情况, 完成日期, 佐证材料] an office writes for one task;
    ``due_early``: its deadline falls inside the period (some of those slip)."""
    k = _pick(code, office, 10)
    if due_early:
        status = W.STATUS_DONE if k < 4 else W.STATUS_DOING if k < 8 else W.STATUS_LATE
    else:
        status = (W.STATUS_DONE if k < 3 else W.STATUS_DOING if k < 8
                  else W.STATUS_NOT_STARTED if k == 8 else W.STATUS_LATE)
    progress = {W.STATUS_DONE: W.DEMO_PROGRESS[3], W.STATUS_NOT_STARTED: W.DEMO_PROGRESS[5],
                W.STATUS_LATE: W.DEMO_PROGRESS[4]}.get(status, W.DEMO_PROGRESS[_pick(code, office, 3)])
    done = (period_start + dt.timedelta(days=10 + _pick(code, office, 70))).isoformat() \
        if status == W.STATUS_DONE else ""
    evidence = W.DEMO_EVIDENCE[_pick(office, code, len(W.DEMO_EVIDENCE))]
    return [status, progress, done, evidence]


def fill_form(form: Path, answers: dict[str, list[str]], reporter: str, phone: str,
              saved: dt.datetime) -> bytes:
    """A 填报表 as an office sends it back: the yellow cells filled in (by 编号)
    and the file saved at ``saved``.  Made by editing the form's own XML, the way
    an office suite saves typed text, so every other part stays as split wrote it."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    from .formlayout import FIRST_ROW, HEADERS, PHONE_CELL, REPORTER_CELL
    from .returns import read_return

    rows = {row.code: row.row for row in read_return(form, form.read_bytes()).rows}  # 编号 → Excel row
    columns = [HEADERS.index(h) for h in (W.H_STATUS, W.H_PROGRESS, W.H_DONE_DATE, W.H_EVIDENCE)]
    cells = {xl_rowcol_to_cell(*REPORTER_CELL): reporter, xl_rowcol_to_cell(*PHONE_CELL[:2]): phone}
    for code, values in answers.items():
        row = rows.get(code, FIRST_ROW)
        for c, value in zip(columns, values):
            if value:
                cells[xl_rowcol_to_cell(row - 1, c)] = value
    src = zipfile.ZipFile(form)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                for ref, value in cells.items():
                    inline = f' t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
                    text = re.sub(rf'<c r="{ref}"( s="\d+")?/>',
                                  lambda m, r=ref, v=inline: f'<c r="{r}"{m[1] or ""}{v}', text, count=1)
                data = text.encode("utf-8")
            elif info.filename == "docProps/core.xml":
                stamp = saved.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                data = re.sub(rb"(<dcterms:modified\b[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            dst.writestr(info, data)
    return out.getvalue()


def write_returns(forms: Path, master: Master, period: Period, target: Path) -> list[str]:
    """Filled-in returns of every office but DEMO_MISSING, into ``target``; the offices written."""
    from .formlayout import read_meta

    target.mkdir(parents=True, exist_ok=True)
    written = []
    for i, office in enumerate(master.offices):
        if office == DEMO_MISSING:
            continue
        form = next((p for p in sorted(forms.glob("*.xlsx")) if (read_meta(p) or {}).get(W.META_OFFICE) == office),
                    None)
        if form is None:
            continue
        tasks = [t for t, _ in master.by_office[office]]
        codes = [t.code for t in tasks]
        answers = {t.code: demo_answer(t.code, office, period.start, t.deadline is not None and t.deadline < period.end)
                   for t in tasks}
        if office == DEMO_BAD_ROW and codes:
            answers[codes[0]][0] = W.DEMO_BAD_STATUS
        contact = DEMO_CONTACTS.get(office, ["", "", ""])
        saved = dt.datetime.combine(period.end, dt.time(9)) + dt.timedelta(days=1 + i % 4, hours=i)
        data = fill_form(form, answers, W.DEMO_REPORTERS[i % len(W.DEMO_REPORTERS)], contact[2], saved)
        name = W.DEMO_RENAMED.format(office=office) + ".xlsx" if office == DEMO_RENAMED else form.name
        (target / name).write_bytes(data)
        written.append(office)
    return written


def run_demo(folder: str | Path, console: Console) -> DemoResult:
    """Run the whole cycle on the sample list inside ``folder`` (made afresh),
    touching nothing outside it, and print each step."""
    from .merge import merge
    from .pdf import find_soffice
    from .periods import parse_period
    from .report import report
    from .show import show_merge, show_report, show_status
    from .status import status
    from .workbook import read_master

    folder = Path(folder)
    _prepare(folder)
    source = folder / W.DEMO_SOURCE_DIR / SAMPLE
    filled = source.with_name(f"{source.stem}{W.DEMO_FILLED_SUFFIX}{source.suffix}")
    try:
        source.parent.mkdir()
        source.write_bytes(sample_text())
        text, months = fill_months(sample_text().decode("utf-8"))
        filled.write_text(text, encoding="utf-8")
        (folder / "workbooks").mkdir()
    except OSError as exc:
        raise QingdanError(W.M_DEMO_CANNOT_WRITE.format(path=folder, reason=exc.strerror or exc)) from None
    period = parse_period(DEMO_PERIOD)
    now = dt.datetime.combine(period.end, dt.time(17)) + dt.timedelta(days=6)

    console.rule(W.M_DEMO_STEP.format(step=W.M_DEMO_STEP_IMPORT))
    console.print(W.M_DEMO_FILLED_MONTHS.format(n=months, path=filled))
    # every step runs at a fixed time in the period, so each run gives the same files
    result = import_document(filled, folder / "workbooks" / f"{source.stem}.xlsx", contacts=DEMO_CONTACTS, demo=True,
                             now=dt.datetime.combine(period.start, dt.time(9)) - dt.timedelta(days=60))
    show_import(console, result)

    config = default_config()  # whatever qingdan.toml the current folder holds
    console.rule(W.M_DEMO_STEP.format(step=W.M_DEMO_STEP_SPLIT))
    sent = dt.datetime.combine(period.end, dt.time(9)) - dt.timedelta(days=10)
    forms = split(result.master, period, out=folder / "output" / DEMO_PERIOD / W.FOLDER_FORMS, config=config,
                  now=sent)
    show_split(console, forms)

    console.rule(W.M_DEMO_STEP.format(step=W.M_DEMO_STEP_MAIL))
    letters = mail(result.master, period, config=config, now=sent + dt.timedelta(minutes=30))
    show_mail(console, letters)

    master = read_master(result.master)
    inbox = folder / W.DEMO_RETURNS_DIR
    try:
        offices = write_returns(forms.folder, master, period, inbox)
    except OSError as exc:
        raise QingdanError(W.M_DEMO_CANNOT_WRITE.format(path=folder, reason=exc.strerror or exc)) from None
    console.rule(W.M_DEMO_STEP.format(step=W.M_DEMO_STEP_RETURNS.format(n=len(offices), missing=DEMO_MISSING)))
    console.print(W.M_DEMO_RETURNS_NOTE.format(missing=DEMO_MISSING, bad=DEMO_BAD_ROW, word=W.DEMO_BAD_STATUS,
                                               renamed=DEMO_RENAMED))

    console.rule(W.M_DEMO_STEP.format(step=W.M_DEMO_STEP_MERGE))
    show_merge(console, merge([inbox], result.master, config=config, now=now))

    console.rule(W.M_DEMO_STEP.format(step=W.M_DEMO_STEP_STATUS))
    show_status(console, status(result.master, period, config=config))

    console.rule(W.M_DEMO_STEP.format(step=W.M_DEMO_STEP_REPORT))
    summary = report(result.master, period, out=folder / "output" / DEMO_PERIOD /
                     W.REPORT_FILE.format(unit=config.unit, period=period.label),
                     pdf=find_soffice() is not None, config=config, now=now)
    show_report(console, summary)

    console.rule()
    console.print(W.M_DEMO_DONE.format(path=folder))
    console.print(W.M_DEMO_LOOK)
    console.print(W.M_DEMO_SOURCE.format(path=source))
    console.print(W.M_DEMO_MASTER.format(path=result.master))
    console.print(W.M_DEMO_FORMS.format(path=forms.folder))
    console.print(W.M_DEMO_DRAFTS.format(path=letters.folder))
    console.print(W.M_DEMO_RETURNS.format(path=inbox))
    console.print(W.M_DEMO_REPORT.format(path=summary.path))
    if summary.pdf:
        console.print(W.M_DEMO_PDF.format(path=summary.pdf))
    # the hints each step printed act on the folder they are run in
    console.print(W.M_DEMO_TRY.format(path=folder))
    return DemoResult(folder, source, result.master, forms.folder, letters.folder, inbox, summary.path, summary.pdf)
