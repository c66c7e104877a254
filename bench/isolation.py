"""What reading returns in a separate worker process costs: merge of a whole
workload's returns, isolated (as qingdan runs) against read in-process.

    python bench/isolation.py [--workload W1]

The workload is made by workload.py: each office's return is its form filled
in the way ``qingdan demo`` fills them.  Prints both times and
the overhead as a percentage (the hostile-input issue allows 20 %).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workload import WORKLOADS, make_workload  # noqa: E402

import qingdan.merge as merge_module  # noqa: E402
from qingdan.errors import QingdanError  # noqa: E402
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
    with tempfile.TemporaryDirectory() as tmp:
        work = make_workload(args.workload, Path(tmp) / args.workload)
        master = Path(tmp) / "workbooks" / "master.xlsx"
        master.parent.mkdir()
        inbox = work.returns
        pristine = work.pristine.read_bytes()
        count = len(list(inbox.iterdir()))

        def once() -> float:
            master.write_bytes(pristine)
            shutil.rmtree(master.parent / "归档", ignore_errors=True)
            start = time.perf_counter()
            merge_module.merge([inbox], master)
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
    print(f"{args.workload}: {count} returns, merge isolated {isolated:.2f} s, "
          f"in-process {direct:.2f} s, overhead {100 * (isolated - direct) / direct:+.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
