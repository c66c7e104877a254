"""Interpreter settings for the steps that make millions of small objects."""

from __future__ import annotations

import gc
from contextlib import contextmanager

# the young generation is collected after this many new objects instead of 700;
# older generations after 50 and 100 young and middle collections
THRESHOLDS = (100_000, 50, 100)


@contextmanager
def fewer_collections():
    """Let the cyclic garbage collector run far less often inside the block (also
    usable as a decorator).  Reading a master and writing a workbook make
    millions of short-lived objects; with the default thresholds the collector
    walks every live object again and again (a fifth of a report's time on W1,
    and more as the list grows).  Cycles are still collected, only less often."""
    old = gc.get_threshold()
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*old)
