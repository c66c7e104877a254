"""Synthetic workloads for the bench: a list, its master, the forms split makes
for one period and every office's return, filled in.

    W0 = 1,250 tasks × 50 offices, W1 = 5,000 × 200, W2 = 20,000 × 800

Tasks have 1–4 offices each, realistic Chinese text lengths and half of them a
deadline.  The master is made by qingdan's own import, the forms by its own
split and the returns by filling those forms the way ``qingdan demo`` does, so
every step is measured on what it meets in use.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

WORKLOADS = {"W0": (1_250, 50), "W1": (5_000, 200), "W2": (20_000, 800)}
PERIOD = "2023Q2"
PHRASES = [
    "深入学习贯彻党的二十大精神，",
    "严格落实全面从严治党主体责任，",
    "加强对权力运行的制约和监督，",
    "推动各项工作落到实处，",
    "定期研究部署党风廉政建设工作，",
    "健全完善内控制度，",
    "抓好巡视巡察反馈问题整改，",
    "开展警示教育，",
    "持续整治形式主义官僚主义，",
]
DEADLINES = ["持续推进", "6月底前", "2023年12月底前完成", "每季度", "三季度", "2023年9月底前完成"]
LEADERS = ["张三", "李四", "王五", "赵六", "钱七"]


def make_list(path: Path, tasks: int, offices: int, seed: int = 7) -> None:
    """A table-form list: title row, header, a part row every 200 tasks."""
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
        # 40–240 characters, as the tasks of a real list run
        text = "".join(rnd.choice(PHRASES) for _ in range(rnd.randint(3, 16))).rstrip("，") + "。"
        chosen = rnd.sample(names, rnd.randint(1, 4))
        deadline = DEADLINES[i % len(DEADLINES)] if i % 2 else "持续推进"
        ws.write_row(row, 0, [i % 200 + 1, f"类别{i // 20 % 10 + 1}", text, rnd.choice(LEADERS),
                              "、".join(chosen), deadline])
        row += 1
    book.close()


@dataclass
class Workload:
    """One workload's files inside ``folder``; its size comes from its name."""

    name: str
    folder: Path

    def __post_init__(self) -> None:
        self.tasks, self.offices = WORKLOADS[self.name]
        self.source = self.folder / "list.xlsx"
        self.pristine = self.folder / "pristine.xlsx"  # as import made it: split and merge start from a copy
        self.merged = self.folder / "merged.xlsx"  # every return merged: status and report read it
        self.forms = self.folder / "forms"
        self.returns = self.folder / "returns"


def make_workload(name: str, folder: Path) -> Workload:
    """Generate workload ``name`` inside ``folder`` (list, masters, forms, returns)."""
    from qingdan.demo import demo_answer, fill_form
    from qingdan.document import import_document
    from qingdan.merge import merge
    from qingdan.periods import parse_period
    from qingdan.split import split

    work = Workload(name, folder)
    folder.mkdir(parents=True, exist_ok=True)
    make_list(work.source, work.tasks, work.offices)
    made = import_document(work.source, folder / "import", year=2023)
    period = parse_period(PERIOD)
    now = dt.datetime(2023, 6, 20, 9)
    result = split(made.master, period, out=work.forms, now=now)
    shutil.copyfile(made.master, work.pristine)  # split's 日志 line included, as in use
    work.returns.mkdir()
    for form in result.forms:
        answers = {row.task.code: demo_answer(row.task.code, form.office, period.start) for row in form.rows}
        data = fill_form(form.path, answers, "张三", "13800000000", dt.datetime(2023, 7, 2, 9))
        (work.returns / form.path.name).write_bytes(data)
    merge([work.returns], made.master, now=dt.datetime(2023, 7, 3, 9))
    shutil.copyfile(made.master, work.merged)
    shutil.rmtree(folder / "import")
    return work
