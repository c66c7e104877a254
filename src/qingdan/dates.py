"""A single day as people type it: 2023-06-30, 2023.6.30, 2023/6/30, 2023年6月30日,
6月30日 (a year supplied by the caller), or an Excel date cell."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from . import words as W

# a document's date line: 2024年2月20日, 二○○七年六月四日 (the year's digits one by one)
_CN_DIGIT = "〇零○Ｏ一二三四五六七八九十"
_DAY = rf"[\d{_CN_DIGIT}]{{1,3}}"
DATE_LINE = re.compile(rf"^(?:(\d{{4}})|([{_CN_DIGIT}]{{4}}))\s*年\s*{_DAY}\s*月\s*{_DAY}\s*日$")
_YEAR_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")


def chinese_year(text: str) -> int | None:
    """二○○七 → 2007: a year written digit by digit in Chinese; None for anything else."""
    digits = text.translate(_YEAR_DIGITS)
    return int(digits) if digits.isdigit() else None


YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年")  # 2023年 in a title or a file name
_FULL = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*[日号]?")
_SHORT = re.compile(r"(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*[日号]?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


def parse_date(value, year: int | None = None) -> dt.date | None:
    """The day ``value`` names, or None when it names none (or a day that does not
    exist).  A day written without a year takes ``year``; without ``year`` it is None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not value or isinstance(value, (bool, int, float)):  # blank, or a number that is no date
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", text)  # 2023-06-30 00:00:00
    m = _FULL.fullmatch(text) or _COMPACT.fullmatch(text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    elif (m := _SHORT.fullmatch(text)) and year is not None:
        y, mo, d = year, int(m[1]), int(m[2])
    else:
        return None
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def date_cn(day: dt.date) -> str:
    """2023年7月5日."""
    return W.DATE_CN.format(year=day.year, month=day.month, day=day.day)


def date_option(value, year: int | None = None) -> dt.date:
    """A date given as a command option (--due, --as-of): a date passes through,
    text is read by parse_date; UsageError quoting it when it names no day."""
    from .errors import UsageError

    day = parse_date(value, year)
    if day is None:
        raise UsageError(W.U_BAD_DATE.format(value=value))
    return day


def percent(fraction: float) -> str:
    """0.344 → 34.4%, as the report and the terminal show a rate."""
    return f"{fraction * 100:.1f}%"
