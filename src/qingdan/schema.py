"""The master's file format beyond its sheets: the custom document properties
qingdan writes, the identity, and the limits of the format itself.  Both the
writer of a new master (master.py) and the store (workbook.py) use it."""

from __future__ import annotations

import uuid

FORMAT_VERSION = 1  # custom property qingdan_format
EXCEL_CELL_MAX = 32_767  # characters Excel keeps in one cell
CONTEXT_PROPERTY = "qingdan_context"  # custom property: the context columns import made, tab-separated
IDENTITY_PROPERTY = "qingdan_id"  # custom property: the master's identity (see new_identity)
DEMO_PREFIX = "demo-"  # the identity of a master qingdan demo made


def new_identity(demo: bool = False) -> str:
    """A new master's identity: random, so no two imports (here or in another
    office, or the demo) ever share one.  It is kept by import --force, by
    re-saves (a custom document property, and the import line of 日志) and by
    copying the file; every 填报表 carries it, so merge can refuse a form of
    another master."""
    return (DEMO_PREFIX if demo else "") + uuid.uuid4().hex[:16]
