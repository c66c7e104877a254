"""生成供党委会打印的汇总表。等同于 `qingdan report …`。

    python scripts/make_report.py [--period 2023Q2] [--as-of 2023-06-30] [-o 文件] [--pdf]
"""

import sys

from qingdan.cli import main

if __name__ == "__main__":
    main(["report", *sys.argv[1:]])
