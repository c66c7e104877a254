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

from . import numerals
from . import words as W

_NUM = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
# an optional year before a month, half or quarter: 2023年, or 次年 / 明年 / 当年 …
_YEAR = r"(?:(?P<{0}y>\d{{4}})\s*年|(?P<{0}r>次|明|翌|下一|当|本|今)年)?"
_NEXT_YEAR = {"次", "明", "翌", "下一"}

_PLACEHOLDER = re.compile("[" + re.escape(W.PLACEHOLDERS) + "]")
# Every way a date is named, as one alternation scanned left to right, so the
# year written in one phrase carries on to the next (2023年11月至次年3月).
_DATES = re.compile("|".join([
    r"(?P<iso>(?P<iy>\d{4})\s*[-./]\s*(?P<im>\d{1,2})\s*[-./]\s*(?P<id>\d{1,2}))",
    rf"(?P<full>{_YEAR.format('f')}(?P<fm>{_NUM})\s*月\s*(?P<fd>{_NUM})\s*[日号])",
    rf"(?P<month>{_YEAR.format('m')}(?<![每个])(?P<mm>{_NUM})\s*月\s*份?\s*(?P<mp>上旬|中旬|下旬|初|中|底|末)?)",
    rf"(?P<half>{_YEAR.format('h')}(?P<hh>[上下])半年)",
    rf"(?P<mid>{_YEAR.format('n')}年中)",
    rf"(?P<quarter>{_YEAR.format('q')}第?(?P<qq>[一二三四1-4])\s*季度)",
    r"(?P<end>(?:(?P<ey>\d{4})\s*|(?P<er>次|明|翌|下一|当|本|今)年?)?(?:" + "|".join(W.YEAR_END_WORDS) + "))",
    # 2023年 / 2023年度 / 2023年完成, but not 2024年春节前 (an unknown wording, to be reported)
    r"(?P<bare>(?P<by>\d{4})\s*年\s*(?:度|内|前|完成|$|(?=[，,；;。）)])))",
]))


@dataclass(frozen=True)
class Deadline:
    """The reading of one 时间进度安排 text."""

    date: dt.date | None
    kind: str
    problem: str | None = None  # a message for the user when the wording was not understood


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


class _NeedYear(Exception):
    pass


def _dates(text: str, year: int | None) -> list[tuple[re.Match, dt.date]]:
    """Every date the text names, left to right, with the match that names it.
    Raises ValueError for an impossible date and _NeedYear when a year is needed
    and none is known."""
    current = year  # the year in force: the list's, until the text names another
    found = []
    for m in _DATES.finditer(text):
        kind = m.lastgroup if m.lastgroup in ("iso", "bare") else next(
            k for k in ("full", "month", "half", "mid", "quarter", "end") if m[k])
        if kind == "iso":
            current = int(m["iy"])
            found.append((m, dt.date(current, int(m["im"]), int(m["id"]))))
            continue
        if kind == "bare":
            current = int(m["by"])
            found.append((m, dt.date(current, 12, 31)))
            continue
        prefix = {"full": "f", "month": "m", "half": "h", "mid": "n", "quarter": "q", "end": "e"}[kind]
        explicit, relative = m[prefix + "y"], m[prefix + "r"]
        if kind == "end" and not explicit and not relative and _COUNT_BEFORE.search(text[:m.start()]):
            continue  # 三年内, 力争5年内: a span of years, not this year's end
        if explicit:
            current = int(explicit)
        elif relative:
            if current is None:
                raise _NeedYear
            current += 1 if relative in _NEXT_YEAR else 0
        if current is None:
            raise _NeedYear
        if kind == "full":
            date = dt.date(current, numerals.to_int(m["fm"]), numerals.to_int(m["fd"]))
        elif kind == "month":
            day = {"上旬": 10, "初": 10, "中旬": 20, "中": 20}.get(m["mp"] or "")
            month = numerals.to_int(m["mm"])
            date = dt.date(current, month, day) if day else _month_end(current, month)
        elif kind == "half":
            date = dt.date(current, 6, 30) if m["hh"] == "上" else dt.date(current, 12, 31)
        elif kind == "mid":
            date = dt.date(current, 6, 30)
        elif kind == "quarter":
            date = _month_end(current, numerals.to_int(m["qq"]) * 3)
        else:
            date = dt.date(current, 12, 31)
        found.append((m, date))
    return found


def parse_deadline(text: str | None, year: int | None = None) -> Deadline:
    """Read a 时间进度安排 text.

    ``year`` is the list's year, used when the text names a month without one
    (``6月底前``); a year named in the text carries on to later phrases, and
    次年 means the year after.  A concrete date wins over periodic and ongoing
    words, so ``每季度报送，年底前完成`` is 限时完成 on 12-31; of several dates
    the latest is the deadline.  A ``*`` in place of a month or
    day makes the deadline 时限待定 (the redacted list still to be filled in).
    """
    raw = (text or "").strip()
    if not raw:
        return Deadline(None, W.KIND_PENDING, None)
    norm = unicodedata.normalize("NFKC", raw)
    norm = re.sub(r"\s+", "", norm)
    if _PLACEHOLDER.search(norm):
        return Deadline(None, W.KIND_PENDING)  # still to be filled in: listed, not a problem
    try:
        # Staged or ranged wording (6月底前完成初稿，12月底前全部完成; 5月至6月底):
        # the task is done by the latest date named.
        dates = [date for _, date in _dates(norm, year)]
    except _NeedYear:
        return Deadline(None, W.KIND_PENDING, W.P_DEADLINE_NO_YEAR.format(text=raw))
    except (ValueError, KeyError):
        return Deadline(None, W.KIND_PENDING, W.P_DEADLINE_INVALID.format(text=raw))
    date = max(dates, default=None)
    if date is not None:
        return Deadline(date, W.KIND_FIXED)
    if any(w in norm for w in W.PERIODIC_WORDS):
        return Deadline(None, W.KIND_PERIODIC)
    if any(w in norm for w in W.ONGOING_WORDS):
        return Deadline(None, W.KIND_ONGOING)
    if _RELATIVE.search(norm):
        return Deadline(None, W.KIND_PENDING, W.P_DEADLINE_RELATIVE.format(text=raw))
    return Deadline(None, W.KIND_PENDING, W.P_DEADLINE_UNKNOWN.format(text=raw))


@dataclass(frozen=True)
class Derived:
    """What qingdan last derived for one 清单 row (a row of the hidden record sheet):
    the 时间进度安排 text it read, and the 完成时限 and 时限类型 that text gave."""

    schedule: str
    date: dt.date | None
    kind: str


def follow_schedule(schedule: str, date_cell: dt.date | None, kind_cell: str, record: Derived | None,
                    year: int | None = None, parsed: Deadline | None = None
                    ) -> tuple[dt.date | None, str, Derived]:
    """The 完成时限 and 时限类型 that hold for a 清单 row, and what to record as derived.

    The one rule the reader (forms, report) and the writer (the master's cells) share:
    ``date_cell`` and ``kind_cell`` are the row's cells as read (a cell that holds no
    date is None), ``record`` what qingdan derived last time (None: a master made before
    the record, or a row the clerk added).

    - Text as recorded, or no record: the cells stand; a blank 完成时限 takes the
      text's date; a blank, unknown or 时限待定 时限类型 follows (限时完成 under a date).
    - Text edited since the record: a 完成时限 that is blank or still what qingdan
      derived follows the text (blank when it gives no date); another date is one the
      clerk typed, and stays.  时限类型 follows too when it is blank, unknown, 时限待定 or
      still what qingdan derived.
    """
    if parsed is None:
        parsed = parse_deadline(schedule, year)
    edited = record is not None and record.schedule != schedule
    if edited:
        date = parsed.date if date_cell is None or date_cell == record.date else date_cell
    else:
        date = date_cell or parsed.date
    derived_kind = W.KIND_FIXED if date else parsed.kind
    ours = kind_cell not in W.DEADLINE_KINDS or kind_cell == W.KIND_PENDING or (edited and kind_cell == record.kind)
    kind = derived_kind if ours else kind_cell
    if record is not None and not edited:
        return date, kind, record  # what was derived from this text stays the reference
    return date, kind, Derived(schedule, parsed.date, derived_kind)


# 3天, 15个工作日, 1个月内, 两周内: a limit counted from a day the list does not give
_RELATIVE = re.compile(rf"(?:\d+|[{numerals.CHARS}]+)个?(?:工作日|自然日|天|日|周|星期|个月|月)(?:内|以内)?"
                       rf"|(?:\d|[{numerals.CHARS}])年(?:内|以内)")  # 三年内
# after a date in a sentence, what makes it a deadline: 6月底前, 9月30日之前, 年底完成
_DEADLINE_AFTER = re.compile(r"(?P<limit>(?:底|末)?(?:前|之前|以前|内|以内)?)"
                             r"(?:完成|建成|全面完成|基本完成|出台|印发)?")
# before a date, what makes it no deadline: 自2023年1月1日起, 截至6月底


def names_a_time(text: str) -> bool:
    """Whether ``text`` speaks of a time (3月底前，制定改造方案；/ 每季度 / 持续推进)."""
    norm = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return bool(_DATES.search(norm) or _PLACEHOLDER.search(norm)
                or any(w in norm for w in (*W.PERIODIC_WORDS, *W.ONGOING_WORDS)))


def deadline_in_text(text: str | None, year: int | None = None) -> tuple[str, Deadline] | None:
    """The deadline a task's sentence gives when the list has no timing line for it
    (``6月底前，完成…``, ``年底前建成…``, ``力争9月底前…``): (the phrases as written,
    joined, for 时间进度安排; the deadline, the latest of them).  None when the text
    names no deadline.  A date that starts something (``自…起``) or states a
    position (``截至6月底``) is no deadline, nor is a year named alone (``到2025年，…``
    sets a goal, ``2022年度`` names a year)."""
    norm = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    if not norm or not _DATES.search(norm):
        return None
    try:
        matches = _dates(norm, year)
    except _NeedYear:
        phrases = _deadline_phrases(norm, [(m, None) for m in _DATES.finditer(norm)])
        if not phrases:
            return None
        joined = W.VALUE_JOIN.join(p for p, _, _ in phrases)
        if all(periodic for _, _, periodic in phrases):
            return joined, Deadline(None, W.KIND_PERIODIC)
        return joined, Deadline(None, W.KIND_PENDING, W.P_DEADLINE_NO_YEAR.format(text=joined))
    except (ValueError, KeyError):
        return None
    phrases = _deadline_phrases(norm, matches)
    if not phrases:
        return None
    fixed = [(p, d) for p, d, periodic in phrases if not periodic]
    if not fixed:  # 每年3月底前报送…: a date that comes round again
        return W.VALUE_JOIN.join(dict.fromkeys(p for p, _, _ in phrases)), Deadline(None, W.KIND_PERIODIC)
    joined = W.VALUE_JOIN.join(dict.fromkeys(p for p, _ in fixed))
    return joined, Deadline(max(d for _, d in fixed), W.KIND_FIXED)


_COUNT_BEFORE = re.compile(r"[0-9０-９一二三四五六七八九十两几多半]$")
_PERIODIC_BEFORE = re.compile(r"(?:每年|每季度|每季|每月|每半年|每个月|每个季度)(?:的|于|在)?(?:第[一二三四1-4])?$")


def _deadline_phrases(norm: str, matches) -> list[tuple[str, dt.date | None, bool]]:
    """(the phrase, its date, whether it recurs: 每年3月底前) of each date named as a deadline."""
    out = []
    for m, date in matches:
        before = norm[:m.start()]
        after = _DEADLINE_AFTER.match(norm, m.end())
        word = m.group()
        if m.lastgroup == "bare" or norm[m.end() + len(after["limit"]):].startswith("后"):
            continue  # 到2025年 (a goal), 10月1日前后 (about then)
        if word == W.WHOLE_YEAR:
            continue  # 全年完成投资1650亿元: the year's target, not a date to finish by
        if before.endswith(W.NOT_DEADLINE_BEFORE) and not after["limit"].endswith("前"):
            continue  # 自…起, 截至6月底 (a position); 截止6月底前完成 is a deadline
        periodic = _PERIODIC_BEFORE.search(before)
        prefix = periodic.group() if periodic else ""
        if after.group():
            out.append((prefix + word + after["limit"], date, bool(periodic)))
        elif m["end"] and (word.endswith("年内") or word.endswith(W.YEAR_END_SHARP) and before.endswith(
                W.BY_WORDS)):
            out.append((word, date, False))  # 年内完成…, 到年底…; not 2016年末政府债务余额
    return out
