"""Measure qingdan's split, merge, status and report against, in the same run,
a naive pandas pipeline, python-office's poexcel and the read/write limit.

    python bench/run.py [--workloads W0,W1] [--repeat 5] [--out bench/results.md]

Workloads are generated first (bench/workload.py).  Every measurement runs in a
fresh Python process, so peak memory is that job's own (its worker processes
included) and no run warms another's caches; the jobs of a step take turns,
over every workload, so a machine whose speed drifts favours none of them and
W1 ÷ W0 compares times taken side by side; the modules a job needs are
imported before its clock starts.  Peak memory is the resident memory of the
job's process and every process it starts (sampled every 10 ms while it runs).
Times are the best of --repeat runs and are reported as ratios, never as
absolute targets; the targets of the performance issue are checked on W1 and
written to bench/results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workload import PERIOD, WORKLOADS, Workload, make_workload  # noqa: E402

# step → the jobs measured for it; the first is qingdan
JOBS = {
    "split": ["qingdan", "naive", "poexcel", "limit"],
    "merge": ["qingdan", "naive", "poexcel", "limit"],
    "status": ["qingdan", "naive"],
    "report": ["qingdan", "naive"],
}
# (step, job, rule, bound): qingdan's time against that job's, on W1
#   "faster": job ÷ qingdan ≥ bound;  "within": qingdan ÷ job ≤ bound
TARGETS = [
    ("split", "naive", "faster", 2.0),
    ("split", "poexcel", "faster", 2.0),
    ("split", "limit", "within", 1.5),
    ("merge", "naive", "faster", 5.0),
    ("merge", "poexcel", "faster", 3.5),
    ("merge", "limit", "within", 3.0),
    ("report", "naive", "faster", 3.0),
]
LONG_RUN = 30  # seconds: a job this slow is run once
SHORT_RUN = 1  # seconds: a job this quick is run twice as often (the machine's jitter is a larger part of it)
SCALING_BOUND = 4.4  # W1 ÷ W0 time, for 4× the work
MERGE_MEMORY_MB = 250


# --- the jobs, each run in a child process ------------------------------------------
# prepare(work, out) imports and makes inputs (not timed); it returns the call to time.

def _read_sheet(path: Path, sheet: str):
    import pandas as pd

    return pd.read_excel(path, sheet_name=sheet, engine="openpyxl", dtype=str)


def _exploded(path: Path):
    """The master's 清单, one row per task × office (pandas, as a naive script would)."""
    frame = _read_sheet(path, "清单")
    frame["处室"] = frame["责任处室"].fillna("").str.split("、")
    return frame.explode("处室")


def split_qingdan(work: Workload, out: Path):
    from qingdan.split import split

    master = out / "master.xlsx"
    shutil.copyfile(work.pristine, master)
    return lambda: split(master, PERIOD, out=out / "forms")


def split_naive(work: Workload, out: Path):
    import pandas  # noqa: F401

    def run():
        frame = _exploded(work.pristine)
        for office, rows in frame.groupby("处室"):
            rows.to_excel(out / f"{office}.xlsx", engine="openpyxl", index=False)
    return run


def split_poexcel(work: Workload, out: Path):
    from poexcel.lib.excel import SplitExcel

    table = out / "exploded.xlsx"
    frame = _exploded(work.pristine)
    column = list(frame.columns).index("处室") + 1
    frame.to_excel(table, index=False)  # poexcel splits a table already exploded (made untimed)
    return lambda: SplitExcel.split_excel_by_column(str(table), column)


def _form_cells(work: Workload):
    """Every cell split writes, per office: the table rows and the _meta rows."""
    from python_calamine import CalamineWorkbook

    cells = {}
    for path in sorted(work.forms.glob("*.xlsx")):
        book = CalamineWorkbook.from_path(str(path))
        cells[path.name] = [book.get_sheet_by_name(n).to_python() for n in ("填报", "_meta")]
    return cells


def split_limit(work: Workload, out: Path):
    import xlsxwriter

    cells = _form_cells(work)

    def run():
        for name, sheets in cells.items():
            book = xlsxwriter.Workbook(str(out / name), {"in_memory": True})
            for title, rows in zip(("填报", "_meta"), sheets):
                ws = book.add_worksheet(title)
                for r, row in enumerate(rows):
                    ws.write_row(r, 0, row)
            book.close()
    return run


def merge_qingdan(work: Workload, out: Path):
    from qingdan.merge import merge

    folder = out / "workbooks"
    folder.mkdir()
    master = folder / "master.xlsx"
    shutil.copyfile(work.pristine, master)
    return lambda: merge([work.returns], master)


def merge_naive(work: Workload, out: Path):
    import pandas as pd

    def run():
        frames = []
        for path in sorted(work.returns.glob("*.xlsx")):
            frame = pd.read_excel(path, sheet_name="填报", header=5, engine="openpyxl", dtype=str)
            frame["文件"] = path.name
            frames.append(frame)
        progress = pd.concat(frames, ignore_index=True)
        tasks = _read_sheet(work.pristine, "清单")
        with pd.ExcelWriter(out / "master.xlsx", engine="openpyxl") as writer:
            tasks.to_excel(writer, sheet_name="清单", index=False)
            progress.to_excel(writer, sheet_name="进展", index=False)
    return run


def merge_poexcel(work: Workload, out: Path):
    from poexcel.core.ExcelType import MainExcel

    excel = MainExcel()
    return lambda: excel.merge2excel(str(work.returns), str(out / "merged.xlsx"))


def merge_limit(work: Workload, out: Path):
    from python_calamine import CalamineWorkbook

    def run():
        for path in sorted(work.returns.glob("*.xlsx")):
            book = CalamineWorkbook.from_path(str(path))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python()
    return run


def status_qingdan(work: Workload, out: Path):
    from qingdan.status import status

    return lambda: status(work.merged, PERIOD)


def status_naive(work: Workload, out: Path):
    import pandas  # noqa: F401

    def run():
        tasks = _exploded(work.merged)
        progress = _read_sheet(work.merged, "进展")
        progress = progress[progress["报送期次"] == PERIOD]
        expected = tasks.groupby("处室").size()
        returned = progress.groupby("责任处室").size().reindex(expected.index, fill_value=0)
        return expected - returned
    return run


def report_qingdan(work: Workload, out: Path):
    import pandas  # noqa: F401  (imported before the clock, as the baseline's is)

    from qingdan.report import report

    master = out / "master.xlsx"
    shutil.copyfile(work.merged, master)
    return lambda: report(master, PERIOD, as_of="2023-06-30", out=out / "report.xlsx")


def report_naive(work: Workload, out: Path):
    import pandas as pd

    def run():
        tasks = _exploded(work.merged)
        progress = _read_sheet(work.merged, "进展")
        progress = progress[progress["报送期次"] == PERIOD].rename(columns={"责任处室": "处室"})
        detail = tasks.merge(progress, how="left", on=["编号", "处室"])
        detail["完成状态"] = detail["完成状态"].fillna("未报送")
        detail["完成时限"] = detail["完成时限"].fillna("时限待定")
        with pd.ExcelWriter(out / "report.xlsx", engine="openpyxl") as writer:
            for key, sheet in (("处室", "按处室"), ("完成时限", "按时限"), ("牵头领导", "按牵头领导"),
                               ("类别", "按类别")):
                pd.crosstab(detail[key], detail["完成状态"], margins=True).to_excel(writer, sheet_name=sheet)
            detail.to_excel(writer, sheet_name="明细", index=False)
    return run


def child(step: str, job: str, folder: Path, name: str, out: Path) -> None:
    """Run one job once in this (fresh) process and print its time."""
    work = Workload(name, folder)
    call = globals()[f"{step}_{job}"](work, out)
    print("ready", flush=True)  # the parent's memory watch starts from here
    sys.stdin.readline()
    start = time.perf_counter()
    call()
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds}), flush=True)


# --- the parent ---------------------------------------------------------------------

CHILDREN_EVERY = 10  # samples: finding a job's worker processes scans every process on the machine


def run_once(step: str, job: str, work: Workload) -> dict:
    """One run of a job in a fresh process: its time, and the peak resident memory
    of its process tree sampled every 10 ms while the job runs.  The sampling
    itself must not slow a job that keeps both CPUs busy: the job's processes are
    looked up every 100 ms (psutil scans all of /proc for that, ~2 ms), and only
    their memory is read every 10 ms."""
    with tempfile.TemporaryDirectory(dir=work.folder) as out:
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", step, job, str(work.folder), work.name, out],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"})
        watched = psutil.Process(proc.pid)
        ready = proc.stdout.readline()
        peak = 0
        if ready.strip() == "ready":
            proc.stdin.write("go\n")
            proc.stdin.flush()
            tree = [watched]
            samples = 0
            while proc.poll() is None:
                if samples % CHILDREN_EVERY == 0:
                    try:
                        tree = [watched, *watched.children(recursive=True)]
                    except psutil.Error:
                        break
                samples += 1
                total = 0
                for p in tree:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:  # it ended since it was found
                        pass
                peak = max(peak, total)
                time.sleep(0.01)
        stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{step}/{job} on {work.name} failed:\n{stderr[-3000:]}")
    got = json.loads(stdout.strip().splitlines()[-1])
    return {**got, "peak_mb": peak / 2**20}


def measure(step: str, jobs: list[str], works: list[Workload], repeat: int) -> dict[tuple[str, str], dict]:
    """The best run of each (workload, job).  They take turns (W0's jobs, W1's jobs,
    then again), so a machine that slows down or speeds up during the bench
    favours none of them, and W1 ÷ W0 compares times taken side by side; a job
    slower than LONG_RUN runs once, one quicker than SHORT_RUN twice as often."""
    best: dict[tuple[str, str], dict] = {}
    for turn in range(2 * repeat):
        for work in works:
            for job in jobs:
                key = (work.name, job)
                seconds = best[key]["seconds"] if key in best else None
                if seconds is not None and seconds > LONG_RUN:
                    continue  # noise is small beside it; one run is enough
                if turn >= repeat and seconds >= SHORT_RUN:
                    continue
                got = run_once(step, job, work)
                old = best.get(key)
                if old is None or got["seconds"] < old["seconds"]:
                    best[key] = {**got, "peak_mb": max(got["peak_mb"], old["peak_mb"] if old else 0)}
                else:
                    old["peak_mb"] = max(old["peak_mb"], got["peak_mb"])
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", default="W0,W1")
    parser.add_argument("--steps", default=",".join(JOBS))
    parser.add_argument("--jobs", default="all",
                        help="which of qingdan,naive,poexcel,limit to run (qingdan always runs), e.g. for W2")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        step, job, folder, name, out = args.child
        child(step, job, Path(folder), name, Path(out))
        return 0
    names = args.workloads.split(",")
    steps = args.steps.split(",")
    times: dict[tuple[str, str, str], dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        works = []
        for name in names:
            start = time.perf_counter()
            works.append(make_workload(name, Path(tmp) / name))
            print(f"{name}: generated in {time.perf_counter() - start:.1f} s", flush=True)
        for step in steps:
            jobs = [job for job in JOBS[step]
                    if job == "qingdan" or args.jobs == "all" or job in args.jobs.split(",")]
            got_all = measure(step, jobs, works, args.repeat)
            for name in names:
                for job in jobs:
                    got = times[name, step, job] = got_all[name, job]
                    print(f"  {name} {step:<6} {job:<8} {got['seconds']:7.2f} s  {got['peak_mb']:6.0f} MB",
                          flush=True)
    text = results(times, names, steps)
    args.out.write_text(text, encoding="utf-8")
    print("\n" + text)
    print(f"written {args.out}")
    return 0


def results(times: dict, names: list[str], steps: list[str]) -> str:
    """bench/results.md: the table of every run and the targets checked."""
    lines = ["# bench results", "",
             f"{time.strftime('%Y-%m-%d')}; {platform.python_implementation()} {platform.python_version()}, "
             f"{platform.machine()}, "
             f"{os.cpu_count()} CPUs; best of the runs; peak = resident memory of the job's process and its "
             "worker processes together, sampled every 10 ms.", "",
             "| workload | step | job | seconds | × qingdan's time | peak MB |",
             "| --- | --- | --- | ---: | ---: | ---: |"]
    for name in names:
        tasks, offices = WORKLOADS[name]
        for step in steps:
            ours = times[name, step, "qingdan"]["seconds"]
            for job in JOBS[step]:
                if (name, step, job) not in times:
                    continue
                got = times[name, step, job]
                lines.append(f"| {name} ({tasks:,}×{offices}) | {step} | {job} | {got['seconds']:.2f} "
                             f"| {got['seconds'] / ours:.2f} | {got['peak_mb']:.0f} |")
    if "W1" in names:
        lines += ["", "## targets on W1", "", "| target | measured | met |", "| --- | ---: | --- |"]
        for step, job, rule, bound in TARGETS:
            if step not in steps or ("W1", step, job) not in times:
                continue
            ours, theirs = times["W1", step, "qingdan"]["seconds"], times["W1", step, job]["seconds"]
            if rule == "faster":
                value, ok, text = theirs / ours, theirs / ours >= bound, f"{step}: ≥ {bound}× faster than {job}"
            else:
                value, ok, text = ours / theirs, ours / theirs <= bound, f"{step}: ≤ {bound}× the {job}"
            lines.append(f"| {text} | {value:.2f} | {'yes' if ok else 'NO'} |")
        if "W0" in names:
            for step in steps:
                value = times["W1", step, "qingdan"]["seconds"] / times["W0", step, "qingdan"]["seconds"]
                lines.append(f"| {step}: W1 ÷ W0 time ≤ {SCALING_BOUND} | {value:.2f} "
                             f"| {'yes' if value <= SCALING_BOUND else 'NO'} |")
        if "merge" in steps:
            peak = times["W1", "merge", "qingdan"]["peak_mb"]
            lines.append(f"| merge: peak memory ≤ {MERGE_MEMORY_MB} MB | {peak:.0f} MB "
                         f"| {'yes' if peak <= MERGE_MEMORY_MB else 'NO'} |")
    if "W1" in names and "W2" in names:
        lines += ["", "## W2 ÷ W1 time (4× the work; no target)", "", "| step | ratio |", "| --- | ---: |"]
        for step in steps:
            value = times["W2", step, "qingdan"]["seconds"] / times["W1", step, "qingdan"]["seconds"]
            lines.append(f"| {step} | {value:.2f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
