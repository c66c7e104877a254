"""Shared fixtures: the seed list, a CLI runner, and builders of source documents
made under tmp_path (nothing is ever written into workbooks/)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from qingdan.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "workbooks" / "2023年度局委员会全面从严治党主体责任清单.txt"


@pytest.fixture
def seed() -> Path:
    return SEED


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """Run inside an empty folder, so default paths (workbooks/, output/) land there."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def run(workdir):
    """Invoke the CLI as a user would; returns click's Result."""
    runner = CliRunner(env={"COLUMNS": "250"})  # wide enough that rich tables never wrap

    def invoke(*args: str):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


def pytest_collection_modifyitems(items):
    """Tests that start LibreOffice are slow: ``pytest -m "not slow"`` leaves them out."""
    for item in items:
        if "libreoffice" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def libreoffice():
    """Path of LibreOffice (with poppler's pdfinfo/pdftotext beside it); CI
    installs both, so there a missing one is a failure, elsewhere a skip."""
    exe = soffice()
    if exe is None or not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        if os.environ.get("CI"):
            pytest.fail("CI must install LibreOffice and poppler-utils (see .ci/run)")
        pytest.skip("LibreOffice or poppler-utils is not installed")
    return exe


def convert(exe: str, src: Path, fmt: str, outdir: Path) -> Path:
    """Convert with LibreOffice headless into outdir; returns the new file."""
    profile = outdir / "lo-profile"
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
         "--outdir", str(outdir), str(src)],
        check=True, capture_output=True, timeout=180,
    )
    out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    assert out.exists(), f"LibreOffice did not write {out}"
    return out


MASTER_NAME = "2023年度局委员会全面从严治党主体责任清单.xlsx"


def _made_once(factory, name: str, *commands: tuple) -> Path:
    """A folder in which the CLI ran ``commands`` once per test session."""
    folder = factory.mktemp(name)
    here = Path.cwd()
    os.chdir(folder)
    try:
        for command in commands:
            result = CliRunner().invoke(cli, [str(a) for a in command], catch_exceptions=False)
            assert result.exit_code == 0, result.output
    finally:
        os.chdir(here)
    return folder


@pytest.fixture(scope="session")
def _imported(tmp_path_factory) -> Path:
    return _made_once(tmp_path_factory, "imported", ("import", SEED))


@pytest.fixture(scope="session")
def _split(tmp_path_factory) -> Path:
    return _made_once(tmp_path_factory, "split", ("import", SEED), ("split", "--period", "2023Q2"))


@pytest.fixture
def master(workdir, _imported) -> Path:
    """The seed imported into workdir/workbooks/, as a clerk's first step (imported
    once per session through the CLI, copied for each test)."""
    shutil.copytree(_imported / "workbooks", workdir / "workbooks")
    return workdir / "workbooks" / MASTER_NAME


def open_elsewhere(path, lock: str, program: str = "Excel 或 WPS") -> str:
    """The message that refuses to write ``path`` while an office suite holds it."""
    return (f"{path} 正在被 {program} 打开（发现锁文件 {lock}），现在写入会被它随后的保存冲掉。"
            f"请先在 {program} 中保存并关闭它再运行；如确定没有打开，是程序异常退出时留下的锁文件，删除 {lock} 即可。")


@pytest.fixture
def forms(master, _split) -> Path:
    """The 填报表 of 2023Q2, split from the master into output/2023Q2/下发 (split once
    per session through the CLI; the master as that split left it, and its forms,
    copied for each test)."""
    shutil.rmtree(master.parent)
    shutil.copytree(_split / "workbooks", master.parent)  # the master and the backup split's 日志 line made
    shutil.copytree(_split / "output", Path("output"))
    return Path("output") / "2023Q2" / "下发"


@pytest.fixture
def returns(workdir) -> Path:
    """An empty 收件 folder for returned files, relative, as a clerk types it."""
    folder = Path("收件")
    folder.mkdir()
    return folder
