"""在示例清单上演示全部步骤。等同于 `qingdan demo …`。

    python scripts/demo.py [-o output/demo]
"""

import sys

from qingdan.cli import main

if __name__ == "__main__":
    main(["demo", *sys.argv[1:]])
