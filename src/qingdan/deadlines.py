"""时间进度安排 wording → 完成时限 (a date or nothing) + 时限类型.

The parser never raises: wording it cannot read becomes 时限待定 with a
``problem`` message, so the importer can report it by 编号.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from . import words as W

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
_YEAR = r"(?:(\d{4})\s*年)?"

_PLACEHOLDER = re.compile(r"[*＊×]")
_FULL_DATE = re.compile(_YEAR + _NUM + r"\s*月\s*" + _NUM + r"\s*[日号]")
_ISO_DATE = re.compile(r"(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})")
_MONTH = re.compile(_YEAR + r"(?<!每)(?<!个)" + _NUM + r"\s*月\s*份?\s*(上旬|中旬|下旬|初|中|底|末)?")
_HALF = re.compile(_YEAR + r"([上下])半年")
_QUARTER = re.compile(_YEAR + r"第?([一二三四1-4])\s*季度")
_YEAR_END = re.compile(r"(?:(\d{4})\s*年?\s*)?(?:" + "|".join(W.YEAR_END_WORDS) + ")")
_RANGE = re.compile(r"[至到~～—]|(?<=[月日号])-")
_BARE_YEAR = re.compile(r"(\d{4})\s*年(?!\s*[*＊\d一二三四五六七八九十上下第])")


@dataclass(frozen=True)
class Deadline:
    """The reading of one 时间进度安排 text."""

    date: dt.date | None
    kind: str
    problem: str | None = None  # a message for the user when the wording was not understood
    placeholder: bool = False  # pending because the text holds a ``*`` still to be filled


def _num(token: str) -> int:
    if token.isdigit():
        return int(token)
    if token == "十":
        return 10
    if token.startswith("十"):
        return 10 + _CN_DIGITS[token[1]]
    if token.endswith("十"):
        return _CN_DIGITS[token[0]] * 10
    if "十" in token:
        tens, ones = token.split("十")
        return _CN_DIGITS[tens] * 10 + _CN_DIGITS[ones]
    return _CN_DIGITS[token]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


class _NeedYear(Exception):
    pass


def _year(explicit: str | None, default: int | None) -> int:
    if explicit:
        return int(explicit)
    if default is None:
        raise _NeedYear
    return default


def _concrete_date(text: str, year: int | None) -> dt.date | None:
    """The first calendar date the text names, or None.  Raises ValueError for an
    impossible date and _NeedYear when a year is needed and unknown."""
    m = _ISO_DATE.search(text)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = _FULL_DATE.search(text)
    if m:
        return dt.date(_year(m[1], year), _num(m[2]), _num(m[3]))
    m = _MONTH.search(text)
    if m:
        y, month = _year(m[1], year), _num(m[2])
        day = {"上旬": 10, "初": 10, "中旬": 20, "中": 20}.get(m[3] or "")
        return dt.date(y, month, day) if day else _month_end(y, month)
    m = _HALF.search(text)
    if m:
        y = _year(m[1], year)
        return dt.date(y, 6, 30) if m[2] == "上" else dt.date(y, 12, 31)
    m = _QUARTER.search(text)
    if m:
        q = _num(m[2]) if not m[2].isdigit() else int(m[2])
        return _month_end(_year(m[1], year), q * 3)
    m = _YEAR_END.search(text)
    if m:
        return dt.date(_year(m[1], year), 12, 31)
    m = _BARE_YEAR.search(text)
    if m:
        return dt.date(int(m[1]), 12, 31)
    return None


def parse_deadline(text: str | None, year: int | None = None) -> Deadline:
    """Read a 时间进度安排 text.

    ``year`` is the list's year, used when the text names a month without one
    (``6月底前``).  A concrete date wins over periodic and ongoing words, so
    ``每季度报送，年底前完成`` is 限时完成 on 12-31.  A ``*`` in place of a month or
    day makes the deadline 时限待定 (the redacted list still to be filled in).
    """
    raw = (text or "").strip()
    if not raw:
        return Deadline(None, W.KIND_PENDING, None)
    norm = unicodedata.normalize("NFKC", raw)
    norm = re.sub(r"\s+", "", norm)
    if _PLACEHOLDER.search(norm):
        return Deadline(None, W.KIND_PENDING, None, placeholder=True)
    try:
        # In a range (5月10日至6月底) the end is the deadline.
        last = _RANGE.split(norm)[-1]
        date = _concrete_date(last, year) or _concrete_date(norm, year)
    except _NeedYear:
        return Deadline(None, W.KIND_PENDING, W.P_DEADLINE_NO_YEAR.format(text=raw))
    except (ValueError, KeyError):
        return Deadline(None, W.KIND_PENDING, W.P_DEADLINE_INVALID.format(text=raw))
    if date is not None:
        return Deadline(date, W.KIND_FIXED)
    if any(w in norm for w in W.PERIODIC_WORDS):
        return Deadline(None, W.KIND_PERIODIC)
    if any(w in norm for w in W.ONGOING_WORDS):
        return Deadline(None, W.KIND_ONGOING)
    return Deadline(None, W.KIND_PENDING, W.P_DEADLINE_UNKNOWN.format(text=raw))
