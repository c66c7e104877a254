"""为每个处室生成填报表。等同于 `qingdan split …`。

    python scripts/split_forms.py --period 2023Q2 [--office 办公室] [--due 2023-07-05] [-o 文件夹]
"""

import sys

from qingdan.cli import main

if __name__ == "__main__":
    main(["split", *sys.argv[1:]])
