"""Measure qingdan against a naive pandas pipeline in the same run.

    python bench/run.py [--workloads W0,W1] [--out bench/results.md]

Each workload is generated here, synthetically (N tasks over M offices, 1–4
offices each, realistic Chinese text lengths, half with deadlines).  Times are
reported as ratios against the baseline measured in the same process, never as
absolute targets.  Steps measured so far: import (a table-form .xlsx list →
master).  split, merge and report join as they are built.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import xlsxwriter

WORKLOADS = {"W0": (1_250, 50), "W1": (5_000, 200), "W2": (20_000, 800)}
PHRASE = "深入学习贯彻党的二十大精神，严格落实全面从严治党主体责任，加强监督检查，推动各项工作落到实处。"
DEADLINES = ["持续推进", "6月底前", "2023年12月底前完成", "每季度", "三季度", "2023年*月底前完成"]


def make_list(path: Path, tasks: int, offices: int, seed: int = 7) -> None:
    """A table-form list: title row, header, a part row every ~200 tasks."""
    rnd = random.Random(seed)
    names = [f"第{i + 1}处" for i in range(offices)]
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet("清单")
    ws.write_row(0, 0, ["2023年度某某系统责任清单"])
    ws.write_row(1, 0, ["序号", "类别", "工作任务", "牵头领导", "责任处室", "时间进度安排"])
    row = 2
    for i in range(tasks):
        if i % 200 == 0:
            ws.write_row(row, 0, [f"{'一二三四五六七八九十'[i // 200 % 10]}、第{i // 200 + 1}部分清单"])
            row += 1
        text = PHRASE * rnd.randint(1, 4)
        chosen = rnd.sample(names, rnd.randint(1, 4))
        deadline = DEADLINES[i % len(DEADLINES)] if i % 2 else "持续推进"
        ws.write_row(row, 0, [i % 200 + 1, f"类别{i // 20 % 10 + 1}", text, "张三", "、".join(chosen), deadline])
        row += 1
    book.close()


def naive_import(src: Path, out: Path) -> None:
    """The baseline: pandas reads the table with openpyxl and writes it back unstyled."""
    import pandas as pd

    frame = pd.read_excel(src, engine="openpyxl", header=1, dtype=str)
    frame.to_excel(out, engine="openpyxl", index=False)


def qingdan_import(src: Path, out: Path) -> None:
    from qingdan.document import import_document

    import_document(src, out, force=True)


def timed(fn, src: Path, out_dir: Path, name: str) -> float:
    """Seconds of one call, the best of two, each writing a new file (so neither
    run pays for a backup of the other's output)."""
    best = float("inf")
    for n in range(2):
        start = time.perf_counter()
        fn(src, out_dir / f"{name}-{n}.xlsx")
        best = min(best, time.perf_counter() - start)
    return best


def python_peak_mb(fn, src: Path, out: Path) -> float:
    """Peak MB of Python-level allocations during one call (tracemalloc; memory
    held inside native readers such as calamine is not counted)."""
    tracemalloc.start()
    fn(src, out)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", default="W0,W1")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.md"))
    args = parser.parse_args(argv)
    lines = ["| workload | step | qingdan s | baseline s | ratio (baseline ÷ qingdan) | qingdan Python peak MB |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.workloads.split(","):
            tasks, offices = WORKLOADS[name]
            src = Path(tmp) / f"{name}.xlsx"
            make_list(src, tasks, offices)
            ours = timed(qingdan_import, src, Path(tmp), f"{name}-master")
            base = timed(naive_import, src, Path(tmp), f"{name}-naive")
            peak = python_peak_mb(qingdan_import, src, Path(tmp) / f"{name}-peak.xlsx")
            lines.append(f"| {name} ({tasks}×{offices}) | import | {ours:.2f} | {base:.2f} "
                         f"| {base / ours:.2f} | {peak:.0f} |")
            print(lines[-1], flush=True)
    args.out.write_text("# bench results\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
