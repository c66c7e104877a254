"""A list's covering notice and its title.

Lists are often published attached to a notice (印发通知): the notice's title
(``XX区人民政府关于印发《…》的通知``, broken over lines), its 文号 (``X政发〔2023〕2号``),
主送 (``各…：``), its own numbered paragraphs, 落款 and date, ``（此件公开发布）``,
then ``附件`` and the list.  None of that is the list: here the list's first line
is found, and its title chosen — its own heading, else the name in 《》 in the
notice title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import words as W
from .dates import DATE_LINE, YEAR_IN_TEXT, chinese_year
from .fields import looks_like_office, split_fields
from .items import clean_text
from .outline import numbered

_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}\s*[〔\[［(（【]\s*((?:19|20)\d{2})\s*[〕\]］)）】]\s*\d{1,4}\s*号$")
_ADDRESSEES = re.compile(r"^(?:各|市|区|县|省|全|有关|中共).{0,80}[：:]$")
_NOTICE_TITLE_END = re.compile(r"(?:通知|通报|函|决定)$")
_AFTER_SIGNATURE = re.compile(r"^[（(](?:此件|本件|联系人|此页).*[)）]$|^抄送|^联系人")
_ATTACHMENT = re.compile(r"^附\s*件\s*(\d*)\s*[:：]?\s*(.*)$")
_QUOTED = re.compile(r"《(.+?)》(?!》)")
_TITLE_END = re.compile(r"(?:清单|方案|计划|要点|分解|分解表|任务表|台账|分工表|责任表|一览表|安排|意见|细则|任务|表"
                        r"|问题|隐患)$")
_PUBLISHED = re.compile(r"印发|转发|制定|出台|公布")
_PUBLISHED_NAME = re.compile(r"关于(?:印发|转发)(.{4,60}?)的通知$")  # 关于印发2024年…工作要点的通知
_YEAR_IN_BRACKETS = re.compile(r"^[（(][^（()）]*(?:19|20)\d{2}[^（()）]*[)）]$")
# 现将《…》印发给你们，请…。 and 督查时间：2019年4月21日 are no title
_SENTENCE = re.compile(r"[，,；;].*[。：:]$|。.|^[\u4e00-\u9fff]{2,6}\s*[：:]\s*\S")
_SCAN = 80  # lines in which a notice must show itself
TITLE_MAX = 60  # characters; a longer line is a preamble, not a title


@dataclass
class Notice:
    """Where the list starts in the document's lines, and what the notice says of it."""

    start: int = 0  # index of the list's first line
    title: str = ""  # the notice's own title, joined, when there is a notice
    quoted: str = ""  # the name in 《》 in the notice title (or 现将《…》印发)
    year: int | None = None  # of the notice's 文号 or date
    title_end: int = 0  # the line after the notice's title


def date_line_year(text: str) -> int | None:
    """The year of a date line (2024年2月20日, 二○○七年六月四日, （2015年9月15日）), else None."""
    m = DATE_LINE.match(clean_text(text).strip("（()）"))
    return None if m is None else int(m[1]) if m[1] else chinese_year(m[2])


def dated(lines: list[str]) -> int | None:
    """The year of the first date line among ``lines`` (…实施意见 / （2015年9月15日））."""
    return next((year for line in lines if (year := date_line_year(line))), None)


def find_notice(lines: list[str]) -> Notice:
    """Find a covering notice at the top of ``lines``: the list then starts after its
    date (and any ``（此件公开发布）`` or ``附件`` line after it), or — without a date —
    after the first line that is only ``附件``."""
    texts = [clean_text(x) for x in lines]
    found = Notice()
    head = [(i, t) for i, t in enumerate(texts[:_SCAN * 2]) if t][:_SCAN]
    title_at = _notice_title(head)
    markers = title_at is not None or any(
        _DOC_NUMBER.match(t) or (_ADDRESSEES.match(t) and t.startswith("各")) or ("印发给你们" in t)
        for _, t in head)
    if not markers:
        return found
    if title_at is not None:
        first, last, found.title = title_at
        if m := _QUOTED.search(found.title) or _PUBLISHED_NAME.search(found.title):
            found.quoted = m[1]
    for _, t in head:
        if not found.quoted and "印发" in t and (m := _QUOTED.search(t)):
            found.quoted = m[1]
        if (m := _DOC_NUMBER.match(t)) and found.year is None:
            found.year = int(m[1])
    # the notice's date has the list after it and no assignment before it; a date with
    # nothing numbered after it, or after the tasks' 责任单位 lines, is the list's own
    # signature at its end (清单 … 2024年2月20日), and what follows it an attachment
    # (a label alone on its line, 责任单位 / 基层卫生股, is an assignment as much as 责任单位：…)
    content_at = next((i for i, t in head if (split_fields(t)[1] and not _ADDRESSEES.match(t))
                       or re.sub(r"\s+", "", t) in W.FIELD_WORDS), len(texts))
    head = [(i, t) for i, t in head if i < content_at]
    date_at = next((i for i, t in head if DATE_LINE.match(t) and any(numbered(u, {}) for u in texts[i + 1:])),
                   None)
    if date_at is not None:
        found.year = found.year or date_line_year(texts[date_at])
        start = date_at + 1
        while start < len(texts) and (not texts[start] or _AFTER_SIGNATURE.match(texts[start])):
            start += 1
        found.start = start
        return found
    for i, t in head:
        m = _ATTACHMENT.match(t)
        if m and not m[2] and m[1] in ("", "1") and (title_at is None or i > title_at[1]):
            found.start = i + 1
            return found
        if m and m[2]:  # 附件：XX清单 in the notice, then the list headed XX清单
            name = _unquoted(m[2])
            # (the heading may be broken over lines: 区委…全面从严治党 / 主体责任清单, or say
            # who issues it: XX局党组2024年度…清单)
            later = next((j for j, u in head if j > i and len(_unquoted(u)) >= 6
                          and (name.startswith(_unquoted(u)) or (len(name) >= 6 and name in _unquoted(u)))), None)
            if later is not None:
                found.start = later
                return found
            if title_at is not None and i > title_at[1] and any(numbered(u, {}) for u in texts[i + 1:]):
                found.start = i + 1  # 附件：X after the notice's body: the list follows, under whatever heading
                return found
    if title_at is not None:
        found.start = found.title_end = title_at[1] + 1  # at least the notice's own title is no title of the list
    return found


def _notice_title(head: list[tuple[int, str]]) -> tuple[int, int, str] | None:
    """(first index, last index, text) of a notice title among the first lines:
    lines from one holding 关于 up to one ending in 通知, joined."""
    for k, (i, t) in enumerate(head[:20]):
        if numbered(t, {}):
            return None  # the list has begun: 2.学习…关于…的决定 is a task, not a notice
        if "关于" not in t:
            continue
        joined = ""
        for m, (j, u) in enumerate(head[k:k + 4], k):
            joined += u
            if _NOTICE_TITLE_END.search(joined) and len(joined) <= 150:
                after = head[m + 1][1] if m + 1 < len(head) else ""
                if (after and not joined.endswith("通知") and not _PUBLISHED.search(joined)
                        and len(after) <= 20 and _TITLE_END.search(after) and "关于" not in after
                        and not is_notice_line(after) and not numbered(after, {})):
                    return None  # XX局贯彻落实市委关于…的决定 / 2024年重点任务清单: one title, no notice
                return i, j, joined
            if len(joined) > 150:
                break
    return None


def _unquoted(text: str) -> str:
    return re.sub(r"\s+", "", text).strip("《》")


def title_above(lines: list[str]) -> str:
    """A list's own title standing above the date that ends a short preamble (XX局2024年度
    …责任清单 / 2024年1月5日 / 各处室：…): the first line there that names a list."""
    for x in map(clean_text, lines):
        if (x and len(x) <= TITLE_MAX and not is_notice_line(x) and not _SENTENCE.search(x)
                and YEAR_IN_TEXT.search(x) and _TITLE_END.search(x) and "关于" not in x):
            return x
    return ""


def is_notice_line(text: str) -> bool:
    """Lines of a notice that are never a title: dates (（2015年9月15日） too), 文号, 主送."""
    return bool(DATE_LINE.match(text.strip("（()）")) or _DOC_NUMBER.match(text) or _ADDRESSEES.match(text))


# （征求意见稿）, （试行）, （征求意见稿V2.2）, （2022年7月份第4周）: a line that finishes a title
_TITLE_BRACKET = re.compile(r"^[（(](?:[^（()），,。；;：:]{0,8}(?:稿|试行|暂行|修订|草案)[^（()），,。；;：:]{0,6}"
                            r"|(?:19|20)\d{2}年[^（()），,。；;：:]{1,10})[)）]$")


def choose_title(lines: list[str], notice: Notice) -> tuple[str, str]:
    """(the list's title, where it came from) among the lines above the list: the first
    that names a 清单 (else the first with a year, else the first short line); a title
    broken over lines is joined; an issuing body's name above it, dates, 文号 and 主送
    are passed over.  Without any, the name in 《》 in the notice title."""
    candidates = []
    last = ""
    for x in lines:
        x = clean_text(x)
        if m := _ATTACHMENT.match(x):
            x = m[2].strip()
        if x.startswith("《") and x.endswith("》") and x.count("《") == 1:
            x = x[1:-1]  # a heading printed in 《》
        if x.startswith("关于") and last and looks_like_office(last) and len(last) <= 20:
            x = last + x  # 华容县文旅广电局 / 关于落实…的实施方案: the issuer heads the title
        last = x
        if re.fullmatch(r"[\u4e00-\u9fff]{2,12}[：:]", x):
            x = x[:-1]  # 附件： / 存在问题：: the attachment's heading
        if (x and len(x) <= TITLE_MAX and not is_notice_line(x) and not _AFTER_SIGNATURE.match(x)
                and not _SENTENCE.search(x) and not (looks_like_office(x) and not YEAR_IN_TEXT.search(x))):
            if candidates and (_YEAR_IN_BRACKETS.match(x) or _TITLE_BRACKET.match(x)):
                candidates[-1] += x  # 普陀区…行动方案 / （2026年）, …实施意见 / （征求意见稿）: one title
            else:
                candidates.append(x)
    published = [x for x in candidates if _PUBLISHED.search(x) and x.endswith("通知")]
    if published and len(published) < len(candidates):
        # 省政府印发2020年…责任分解通知 (a news headline) above the list's own heading
        candidates = [x for x in candidates if x not in published]
    if candidates:
        for test in (lambda x: W.PART_SUFFIX in x, YEAR_IN_TEXT.search, _TITLE_END.search):
            i = next((i for i, line in enumerate(candidates) if test(line)), None)
            if i is not None:
                break
        else:
            # nothing reads as a title: the line right after a notice is the list's heading
            # (unless the notice names it in 《》); else a line long enough to be one (not
            # 近日 of a news page); else the file name
            i = 0 if (notice.start and not notice.quoted) or len(candidates[0]) >= 8 else None
        if i is not None:
            title = candidates[i]
            before = candidates[i - 1] if i else ""
            if before and not _TITLE_END.search(before) and not before.endswith(("通知", "通报")) and (
                    not YEAR_IN_TEXT.search(title) and YEAR_IN_TEXT.search(before) or "关于" in before
                    or len(title) <= 10 and len(before) <= 30 and not re.search(r"[。，,：:；;]", before)):
                title = before + title  # 2023年度局委员会全面从严治党 / 主体责任清单
            j = i + 1
            while (j < len(candidates) and len(candidates[j]) <= 30 and not re.search(r"[。，,：:；;]", candidates[j])
                   and _TITLE_END.search(title + candidates[j])
                   and (not _TITLE_END.search(title) or candidates[j][0] in "和及与暨并的")):
                title += candidates[j]  # XX区2023年重点工作任务分解 / 和责任分工方案
                j += 1
            return title, ""
    if notice.quoted:
        return notice.quoted, W.M_TITLE_FROM_NOTICE
    if notice.title and notice.start and notice.start == notice.title_end:
        return notice.title, W.M_TITLE_NOTICE_ITSELF  # the notice itself is the list
    for x in lines:  # 近日，…特转发…制定的《…清单》: the name the text gives the list
        if _PUBLISHED.search(x) and (m := _QUOTED.search(x)) and not _CITED.search(x[:m.start()]):
            return m[1], W.M_TITLE_FROM_TEXT
    return "", ""


# 根据《昆明市人民政府关于印发…的通知》，结合实际，特制定如下措施: the document it follows, not its name
_CITED = re.compile(r"(?:根据|依据|按照|贯彻|落实|参照)[^，。；]{0,6}$")
