"""看各处室本期的报送情况和需要催报的处室。等同于 `qingdan status …`。

    python scripts/show_status.py [--period 2023Q2] [--master 总表.xlsx]
"""

import sys

from qingdan.cli import main

if __name__ == "__main__":
    main(["status", *sys.argv[1:]])
