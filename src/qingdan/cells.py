"""A spreadsheet cell as text, and a header cell as the words it is compared by:
one version for every reader (the master, returned forms, list documents)."""

from __future__ import annotations

import datetime as dt
import unicodedata

from .dates import date_cn


def cell_text(value, chinese_dates: bool = False) -> str:
    """A cell as calamine reads it, as text: trimmed, integral floats without .0,
    TRUE/FALSE, dates as 2023-06-30 (``chinese_dates``: 2023年6月30日, as a list
    document says them)."""
    if type(value) is str:  # most cells: checked first, this runs for every cell read
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time() or chinese_dates:
            value = value.date()
        else:
            return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return date_cn(value) if chinese_dates else value.isoformat()
    return str(value).strip()


def header_key(text) -> str:
    """A cell's text as compared — a header, an 编号, an answer, a list's name:
    spaces, line breaks and full-width forms ignored."""
    if type(text) is str and text.isascii() and text.isprintable() and " " not in text:
        return text  # 1-046 and the like: nothing to normalise or take out
    return "".join(unicodedata.normalize("NFKC", cell_text(text)).split())  # split(): what \s matches
