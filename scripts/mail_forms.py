"""给每个处室生成（或发送）附带填报表的邮件。等同于 `qingdan mail …`。

    python scripts/mail_forms.py [--period 2023Q2] [--remind] [--send] [--office 办公室]
"""

import sys

from qingdan.cli import main

if __name__ == "__main__":
    main(["mail", *sys.argv[1:]])
