"""把各处室报送回来的填报表合并进总表。等同于 `qingdan merge …`。

    python scripts/merge_returns.py 收件/ [更多文件或文件夹] [--dry-run] [--master 总表.xlsx]
"""

import sys

from qingdan.cli import main

if __name__ == "__main__":
    main(["merge", *sys.argv[1:]])
