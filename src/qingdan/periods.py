"""报送期次: ``2023Q2`` ``2023-06`` ``2023H1`` ``2023`` ⇄ 2023年第二季度 …

A period is what one round of reporting covers.  Its canonical id is what
qingdan stores (进展 sheet, _meta, folder names); its label is what people read.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from . import numerals
from . import words as W
from .errors import UsageError

YEAR = "year"
HALF = "half"
QUARTER = "quarter"
MONTH = "month"

_ORDINAL = "一二三四"


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period; sorts by when it ends, the longer of two first."""

    end: dt.date
    start: dt.date
    kind: str
    year: int
    n: int = 0  # the half, quarter or month; 0 for a whole year

    @property
    def id(self) -> str:
        """The canonical id: 2023Q2, 2023-06, 2023H1, 2023."""
        if self.kind == QUARTER:
            return f"{self.year}Q{self.n}"
        if self.kind == MONTH:
            return f"{self.year}-{self.n:02d}"
        if self.kind == HALF:
            return f"{self.year}H{self.n}"
        return str(self.year)

    @property
    def label(self) -> str:
        """How people say it: 2023年第二季度, 2023年6月, 2023年上半年, 2023年度."""
        if self.kind == QUARTER:
            return W.PERIOD_QUARTER.format(year=self.year, n=_ORDINAL[self.n - 1])
        if self.kind == MONTH:
            return W.PERIOD_MONTH.format(year=self.year, n=self.n)
        if self.kind == HALF:
            return W.PERIOD_HALF.format(year=self.year, half=W.HALVES[self.n - 1])
        return W.PERIOD_YEAR.format(year=self.year)

    def __str__(self) -> str:
        return self.id


def make(kind: str, year: int, n: int = 0) -> Period:
    """The period of ``kind`` number ``n`` in ``year``."""
    if kind == QUARTER:
        first, last = 3 * n - 2, 3 * n
    elif kind == HALF:
        first, last = 6 * n - 5, 6 * n
    elif kind == MONTH:
        first = last = n
    else:
        first, last = 1, 12
    end = dt.date(year, last, calendar.monthrange(year, last)[1])
    return Period(end=end, start=dt.date(year, first, 1), kind=kind, year=year, n=n)


def quarter_of(day: dt.date) -> Period:
    """The quarter ``day`` falls in."""
    return make(QUARTER, day.year, (day.month - 1) // 3 + 1)


_NUM = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
_FORMS = [
    (re.compile(r"(\d{4})Q([1-4])", re.I), QUARTER),
    (re.compile(r"(\d{4})H([12])", re.I), HALF),
    (re.compile(r"(\d{4})[-./](\d{1,2})"), MONTH),
    (re.compile(r"(\d{4})(?:年度?)?"), YEAR),
    (re.compile(rf"(\d{{4}})年?第?{_NUM}季度?"), QUARTER),
    (re.compile(rf"(\d{{4}})年?{_NUM}月份?"), MONTH),
    (re.compile(r"(\d{4})年?([上下前后])半年度?"), HALF),
]
_HALF_WORDS = {"上": 1, "前": 1, "下": 2, "后": 2}
_LIMITS = {QUARTER: 4, HALF: 2, MONTH: 12}


def parse_period(text: str) -> Period:
    """Read a period as people write it: the canonical ids (``2023Q2``, ``2023-06``,
    ``2023H1``, ``2023``) or their labels (2023年第二季度, 2023年二季度, 2023年6月,
    2023年上半年, 2023年度).  Raises UsageError quoting the value otherwise."""
    return _parse_period(str(text))


@lru_cache(maxsize=256)  # every 进展 row names its period: the same few texts, read once each
def _parse_period(text: str) -> Period:
    value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    for pattern, kind in _FORMS:
        m = pattern.fullmatch(value)
        if not m:
            continue
        year = int(m[1])
        if kind == YEAR:
            n = 0
        elif kind == HALF and not m[2].isdigit():
            n = _HALF_WORDS[m[2]]
        else:
            try:
                n = numerals.to_int(m[2])
            except (KeyError, ValueError):
                continue
        if 1900 <= year <= 2100 and (kind == YEAR or 1 <= n <= _LIMITS[kind]):
            return make(kind, year, n)
    raise UsageError(W.U_BAD_PERIOD.format(value=text))
