"""``qingdan demo``: every step that exists, on the bundled sample, inside one folder."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rich.console import Console

from . import words as W
from .document import import_document
from .errors import QingdanError
from .show import show_import

SAMPLE = "2023年度局委员会全面从严治党主体责任清单.txt"
MARK = ".qingdan-demo"  # a folder holding this file was made by demo
DEMO_PARTS = [W.DEMO_SOURCE_DIR, "workbooks", "output"]  # what demo writes there, and removes before a new run


@dataclass
class DemoResult:
    folder: Path
    source: Path
    master: Path


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
    result = import_document(source, folder / "workbooks")
    show_import(console, result)

    console.rule()
    console.print(W.M_DEMO_DONE.format(path=folder))
    console.print(W.M_DEMO_LOOK)
    console.print(W.M_DEMO_SOURCE.format(path=source))
    console.print(W.M_DEMO_MASTER.format(path=result.master))
    return DemoResult(folder, source, result.master)

