"""``qingdan demo``: every step that exists, on the bundled sample, inside one folder."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rich.console import Console

from . import words as W
from .config import default_config
from .document import import_document
from .errors import QingdanError
from .forms import split
from .mail import mail
from .show import show_import, show_mail, show_split

SAMPLE = "2023年度局委员会全面从严治党主体责任清单.txt"
MARK = ".qingdan-demo"  # a folder holding this file was made by demo
DEMO_PARTS = [W.DEMO_SOURCE_DIR, "workbooks", "output"]  # what demo writes there, and removes before a new run
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


def run_demo(folder: str | Path, console: Console) -> DemoResult:
    """Run the cycle on the sample list inside ``folder`` (made afresh), touching
    nothing outside it, and print each step."""
    folder = Path(folder)
    _prepare(folder)
    source = folder / W.DEMO_SOURCE_DIR / SAMPLE
    try:
        source.parent.mkdir()
        source.write_bytes(sample_text())
        (folder / "workbooks").mkdir()
    except OSError as exc:
        raise QingdanError(W.M_DEMO_CANNOT_WRITE.format(path=folder, reason=exc.strerror or exc)) from None

    console.rule(W.M_DEMO_STEP.format(step=W.M_DEMO_STEP_IMPORT))
    result = import_document(source, folder / "workbooks", contacts=DEMO_CONTACTS)
    show_import(console, result)

    config = default_config()  # whatever qingdan.toml the current folder holds
    console.rule(W.M_DEMO_STEP.format(step=W.M_DEMO_STEP_SPLIT))
    forms = split(result.master, DEMO_PERIOD, out=folder / "output" / DEMO_PERIOD / W.FOLDER_FORMS, config=config)
    show_split(console, forms)

    console.rule(W.M_DEMO_STEP.format(step=W.M_DEMO_STEP_MAIL))
    letters = mail(result.master, DEMO_PERIOD, config=config)
    show_mail(console, letters)

    console.rule()
    console.print(W.M_DEMO_DONE.format(path=folder))
    console.print(W.M_DEMO_LOOK)
    console.print(W.M_DEMO_SOURCE.format(path=source))
    console.print(W.M_DEMO_MASTER.format(path=result.master))
    console.print(W.M_DEMO_FORMS.format(path=forms.folder))
    console.print(W.M_DEMO_DRAFTS.format(path=letters.folder))
    return DemoResult(folder, source, result.master, forms.folder, letters.folder)
