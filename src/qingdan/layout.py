"""Sizes for people: column widths and row heights that fit wrapped Chinese text.

Excel and LibreOffice do not autofit wrapped CJK rows reliably, so qingdan sets
every row height itself.  A CJK character is about 2 width units of a column.
"""

from __future__ import annotations

import math
import re
import sys
from functools import lru_cache

LINE_FACTOR = 1.45  # line height ÷ font size: Noto CJK (LibreOffice on Linux) needs 1.45, 宋体 1.3
DEFAULT_HEIGHT = 15.0  # points; Excel's default row for an 11 pt font
MAX_HEIGHT = 409.0  # points; the tallest row Excel allows
PADDING = 6.0  # points above and below the text


# East Asian wide and full-width characters (unicodedata.east_asian_width W/F),
# as one regex; the narrow ones are counted (the complement), because Chinese
# text holds few of them: counting is the hot loop of every row height.
_WIDE_RANGES = (
    "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U0001f300-\U0001f64f"
    "\U0001f900-\U0001f9ff\U00020000-\U0003fffd"
)
_NARROW = re.compile(f"[^{_WIDE_RANGES}]")


WIDE_UNITS = 2.1  # a 宋体 11 pt character is 14.7 px; a column-width unit is Calibri's 7 px digit
NARROW_UNITS = 1.1


def wide_chars(text: str) -> int:
    """How many East Asian wide or full-width characters ``text`` holds."""
    return 0 if text.isascii() else len(text) - len(_NARROW.findall(text))


def text_units(text: str) -> float:
    """Width of ``text`` in column-width units (a CJK character ≈ 2.1, others ≈ 1.1)."""
    wide = wide_chars(text)
    return WIDE_UNITS * wide + NARROW_UNITS * (len(text) - wide)


def terminal_columns(text: str) -> int:
    """How many columns ``text`` takes in a terminal: a wide character two."""
    return len(text) + wide_chars(text)


def fits_one_line(text: str, width: float) -> bool:
    """True when ``text`` fits on one line of a cell ``width`` units wide whatever
    characters it holds (a cheap test that spares counting them)."""
    return len(text) * WIDE_UNITS <= width - 1.5 and "\n" not in text


def one_line_chars(width: float) -> int:
    """The most characters that fits_one_line allows in a column ``width`` units wide."""
    if not math.isfinite(width):  # a hand-edited width="inf" lets any text fit, as fits_one_line says
        return sys.maxsize if width > 0 else 0
    n = max(0, int((width - 1.5) / WIDE_UNITS) + 1)
    while n and n * WIDE_UNITS > width - 1.5:  # the same float test as fits_one_line
        n -= 1
    return n


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a wrapped cell ``width`` units wide."""
    text = str(text)
    if fits_one_line(text, width):
        return 1
    if len(text) <= _CACHED_LENGTH:
        return _lines(text, width)
    return _lines.__wrapped__(text, width)


_CACHED_LENGTH = 2000  # longer texts are rare and would make the cache large


@lru_cache(maxsize=65536)  # a task's text recurs in every form and sheet that shows it
def _lines(text: str, width: float) -> int:
    usable = max(width - 1.5, 2.0)  # cell margins
    return sum(max(1, math.ceil(text_units(line) / usable)) for line in text.split("\n"))


def row_height(cells: list[tuple[str, float]], font_size: float = 11, minimum: float = DEFAULT_HEIGHT) -> float:
    """The height in points of a row whose wrapped cells are ``(text, column width)``."""
    return lines_height(max_lines(cells), font_size, minimum)


def max_lines(cells) -> int:
    """The lines of the tallest of the wrapped cells ``(text, column width)``; 1 for none."""
    return max((wrapped_lines(text, width) for text, width in cells if text), default=1)


def lines_height(lines: int, font_size: float = 11, minimum: float = DEFAULT_HEIGHT) -> float:
    """The height in points of a row ``lines`` lines of text high."""
    return min(MAX_HEIGHT, max(minimum, round(lines * font_size * LINE_FACTOR + PADDING, 1)))
