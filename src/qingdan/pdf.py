"""Workbook → PDF with LibreOffice headless, for printing.

LibreOffice runs with a profile of its own in a temporary folder (so a
LibreOffice the user has open does not swallow the job) and, on Linux, with a
fontconfig file shipped here that maps 仿宋 / 黑体 / 宋体 to installed CJK fonts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

from . import words as W
from .errors import PdfError

TIMEOUT = 300  # seconds; a large report takes well under a minute
_WINDOWS_PLACES = [r"C:\Program Files\LibreOffice\program\soffice.exe",
                   r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"]


def find_soffice() -> str | None:
    """The LibreOffice executable, or None."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.name == "nt":
        return next((p for p in _WINDOWS_PLACES if Path(p).exists()), None)
    return None


def fonts_conf() -> Path:
    """The fontconfig file that maps the Chinese document fonts to installed ones."""
    return Path(str(resources.files("qingdan").joinpath("data", "fonts.conf")))


def to_pdf(workbook: Path) -> tuple[Path, int]:
    """Convert ``workbook`` to a PDF beside it; (path, page count). PdfError
    when LibreOffice is missing or fails (the workbook itself stays)."""
    exe = find_soffice()
    if exe is None:
        raise PdfError(W.M_REPORT_NO_LO.format(path=workbook))
    target = workbook.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="qingdan-lo-") as tmp:
        env = dict(os.environ)
        if os.name != "nt":
            env["FONTCONFIG_FILE"] = str(fonts_conf())
            # LibreOffice's dconf and font caches go to the temporary folder, not the user's home
            env["XDG_CACHE_HOME"] = str(Path(tmp, "cache"))
            env["XDG_CONFIG_HOME"] = str(Path(tmp, "config"))
        profile = Path(tmp, "profile").as_uri()
        try:
            proc = subprocess.run(
                [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
                 "--outdir", tmp, str(workbook.resolve())],
                capture_output=True, timeout=TIMEOUT, env=env)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfError(W.M_REPORT_PDF_FAILED.format(path=workbook, reason=exc)) from None
        made = Path(tmp, workbook.stem + ".pdf")
        if proc.returncode != 0 or not made.exists():
            reason = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()[:200] or proc.returncode
            raise PdfError(W.M_REPORT_PDF_FAILED.format(path=workbook, reason=reason))
        data = made.read_bytes()
    from .errors import MasterError
    from .files import atomic_write

    try:
        atomic_write(target, lambda tmp_path: tmp_path.write_bytes(data))
    except MasterError as exc:
        raise PdfError(exc.message) from None
    return target, count_pages(data)


def count_pages(data: bytes) -> int:
    """Pages of a PDF LibreOffice wrote (its page tree states the count)."""
    import re

    counts = [int(m) for m in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    if not counts:
        counts = [int(m) for m in re.findall(rb"/Count\s+(\d+)", data)]
    return max(counts, default=0)
