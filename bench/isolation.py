"""What reading returns in a separate worker process costs: merge of a whole
workload's returns, isolated (as qingdan runs) against read in-process.

    python bench/isolation.py [--workload W1]

The workload's master and forms are made as in run.py; each office's return is
its form filled in the way ``qingdan demo`` fills them.  Prints both times and
the overhead as a percentage (the hostile-input issue allows 20 %).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import WORKLOADS, make_list  # noqa: E402

import qingdan.merge as merge_module  # noqa: E402
from qingdan.demo import demo_answer, fill_form  # noqa: E402
from qingdan.document import import_document  # noqa: E402
from qingdan.errors import QingdanError  # noqa: E402
from qingdan.forms import split  # noqa: E402
from qingdan.periods import parse_period  # noqa: E402
from qingdan.returns import read_return  # noqa: E402


class InProcess:
    """A stand-in for isolate.Reader that reads in this process."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass

    def start(self) -> None:
        pass

    def read_many(self, jobs):
        for i, (path, data) in enumerate(jobs):
            try:
                yield i, read_return(path, data)
            except QingdanError as exc:
                yield i, exc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", default="W1", choices=sorted(WORKLOADS))
    args = parser.parse_args(argv)
    tasks, offices = WORKLOADS[args.workload]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_list(folder / "list.xlsx", tasks, offices)
        made = import_document(folder / "list.xlsx", folder / "workbooks", year=2023)
        period = parse_period("2023Q2")
        forms = split(made.master, period, out=folder / "forms")
        inbox = folder / "returns"
        inbox.mkdir()
        for form in forms.forms:
            answers = {row.task.code: demo_answer(row.task.code, form.office, period.start) for row in form.rows}
            (inbox / form.path.name).write_bytes(fill_form(form.path, answers, "张三", "123",
                                                           dt.datetime(2023, 7, 2, 9)))
        pristine = made.master.read_bytes()

        def once() -> float:
            made.master.write_bytes(pristine)
            shutil.rmtree(made.master.parent / "归档", ignore_errors=True)
            start = time.perf_counter()
            merge_module.merge([inbox], made.master)
            return time.perf_counter() - start

        reader = merge_module.Reader
        isolated, direct = [], []
        for _ in range(3):  # alternated, so warm caches favour neither
            isolated.append(once())
            merge_module.Reader = InProcess
            try:
                direct.append(once())
            finally:
                merge_module.Reader = reader
        isolated, direct = min(isolated), min(direct)
    print(f"{args.workload}: {len(forms.forms)} returns, merge isolated {isolated:.2f} s, "
          f"in-process {direct:.2f} s, overhead {100 * (isolated - direct) / direct:+.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
