"""导入清单文档，生成总表。等同于 `qingdan import …`。

    python scripts/import_list.py 清单.docx [-o workbooks/总表.xlsx] [--year 2023] [--force]
"""

import sys

from qingdan.cli import main

if __name__ == "__main__":
    main(["import", *sys.argv[1:]])
