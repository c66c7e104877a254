"""Faults while the master is written: a failure at every step, kill -9 at random
moments, two merges at once, a read-only master.  The master always opens and
holds either the old or the new rows; the next run is never blocked."""

from __future__ import annotations

import os
import random
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MASTER_NAME
from filling import fill, progress
from python_calamine import CalamineWorkbook

import qingdan.files
import qingdan.update

FORMS = Path("output") / "2023Q2" / "下发"


@pytest.fixture
def returns(run, master) -> Path:
    assert run("split", "--period", "2023Q2").exit_code == 0
    inbox = Path("收件")
    for form in sorted(FORMS.glob("*.xlsx")):
        fill(form, inbox / form.name)
    return inbox


def rows(master: Path) -> int:
    """进展 rows, read with calamine (the master must open)."""
    table = CalamineWorkbook.from_path(str(master)).get_sheet_by_name("进展").to_python()
    return sum(1 for r in table[1:] if r[0])


def _fail(*args, **kwargs):
    raise OSError(28, "No space left on device")


_chmod = os.chmod


def _fail_on_temp(path, *args, **kwargs):
    """os.chmod failing on qingdan's temporary file only: the backup (shutil.copy2
    copies permissions with os.chmod too) goes through, the new master's fails."""
    if Path(path).name.startswith(".qingdan-"):
        _fail()
    return _chmod(path, *args, **kwargs)


NOT_WRITTEN = f"无法写入 workbooks/{MASTER_NAME}（No space left on device）。原文件未改动。请检查磁盘空间和文件夹权限。"
NOT_BACKED_UP = re.compile(
    rf"无法备份 workbooks/{re.escape(MASTER_NAME)} 到 workbooks/备份/{re.escape(MASTER_NAME[:-5])}\.[0-9-]+\.xlsx"
    r"（No space left on device），因此没有改动原文件。请检查磁盘空间和文件夹权限。")

STEPS = [  # (module, name, the failing stand-in, the message that says why nothing was written)
    (qingdan.files.shutil, "copy2", _fail, NOT_BACKED_UP),  # copying the master to 备份
    (qingdan.update.MasterUpdate, "build", _fail, NOT_WRITTEN),  # making the new zip
    (qingdan.files.os, "fsync", _fail, NOT_WRITTEN),  # flushing the temporary file
    (qingdan.files.os, "chmod", _fail_on_temp, NOT_WRITTEN),  # giving it the old file's permissions
    (qingdan.files.os, "replace", _fail, NOT_WRITTEN),  # the swap itself
]


@pytest.mark.parametrize("owner, name, failing, says", [
    pytest.param(*step, marks=() if step[1] in ("copy2", "replace") else pytest.mark.slow, id=step[1])
    for step in STEPS])  # the quick run: the first step and the last
def test_a_failure_at_each_step_leaves_the_old_master(run, master, returns, monkeypatch, owner, name, failing,
                                                      says):
    before = master.read_bytes()
    with monkeypatch.context() as patch:
        patch.setattr(owner, name, failing)
        result = run("merge", returns)
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert re.fullmatch(says, last) if isinstance(says, re.Pattern) else last == says, last
    assert master.read_bytes() == before
    assert not [p for p in master.parent.iterdir() if p.name.startswith(".qingdan-")]
    after = run("merge", returns)  # the next run is not blocked
    assert after.exit_code == 0, after.output
    assert rows(master) == 90


def test_a_read_only_master(run, master, returns):
    before = master.read_bytes()
    master.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        result = run("merge", returns)
    finally:
        master.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert result.exit_code == 1
    assert result.output.strip().endswith("是只读的，无法写入，原文件未改动。请在文件属性中去掉“只读”（或换到有写权限的文件夹）后再运行。")
    assert master.read_bytes() == before


def _merge_process(folder: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "qingdan", "merge", "收件"], cwd=folder,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "COLUMNS": "250"})


@pytest.mark.slow  # nine merge processes
def test_kill_9_at_random_moments(run, master, returns, workdir):
    """The merge is killed at moments spread over its run; every time the master
    opens and holds the old rows (0) or the new (90), and the next run is free."""
    start = time.monotonic()
    probe = _merge_process(workdir)
    probe.wait(120)
    whole = time.monotonic() - start
    assert rows(master) == 90
    # start afresh for the kills: a master without 进展 rows
    backups = sorted((master.parent / "备份").iterdir())
    fresh = backups[-1].read_bytes()  # the master as it was before that merge
    chance = random.Random(20230630)
    ends = []  # how each killed process ended: -SIGKILL while it ran, 0 when it had finished first
    for _ in range(8):
        master.write_bytes(fresh)
        proc = _merge_process(workdir)
        time.sleep(chance.uniform(0.05, whole * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        ends.append(proc.returncode)
        count = rows(master)
        # killed while it ran: before the swap the old master (0 rows), after it the new (90)
        assert count in ((0, 90) if proc.returncode == -signal.SIGKILL else (90,)), (proc.returncode, count)
        after = run("merge", "收件")  # not blocked by the lock the killed run held
        assert after.exit_code == 0, after.output
        assert rows(master) == 90
    assert set(ends) <= {0, -signal.SIGKILL}, ends  # a merge that ended by itself ended well
    # the seed puts six of the eight kills before half the time a merge takes: most strike one running
    assert ends.count(-signal.SIGKILL) >= 4, ends


@pytest.mark.slow  # two merge processes; the lock's refusal is also in test_import_refusals' quick tests
def test_two_merges_at_once(run, master, returns, workdir):
    """Two merges started together: the lock lets one write; the other either
    waited for nothing (it took the lock after the first let go: exit 0) or found
    it held and said so (exit 1).  Which one happens is the scheduler's choice."""
    first, second = _merge_process(workdir), _merge_process(workdir)
    outs = [p.communicate(timeout=120)[0].decode("utf-8", "replace") for p in (first, second)]
    codes = [first.returncode, second.returncode]
    assert 0 in codes, outs
    busy = f"另一个 qingdan 命令正在写 workbooks/{MASTER_NAME}，请等它结束后再运行。"
    for code, out in zip(codes, outs):
        if code != 0:
            assert code == 1 and out.strip().splitlines()[-1] == busy, out
    assert rows(master) == 90
    again = run("merge", "收件")
    assert again.exit_code == 0
    assert rows(master) == 90
    assert len(progress(master)) == 90
