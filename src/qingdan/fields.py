"""The assignment written beside a task in a list document.

A task's offices, leader and deadline come as labelled fields — lines of their
own (``责任处室：办公室``), runs inside a line (``…。（责任单位：A；完成时限：6月底前）``,
``问题整改责任单位：A 整改时限：3天``) — or as a bracket at the end of the task
without any label, naming offices with their roles (``（市发改委牵头，市财政局配合）``).
Here a line becomes its text and its fields.
"""

from __future__ import annotations

import re

from . import words as W
from .deadlines import parse_deadline
from .offices import is_collective, split_offices

OFFICE_ROLES = {W.FIELD_LEAD_OFFICE, W.FIELD_OFFICE, W.FIELD_HELP_OFFICE}
LIST_ROLES = OFFICE_ROLES | {W.FIELD_LEADER}
# values whose full stop goes: 张三。 → 张三 (责任人 is a name too, kept as context)
_BARE_ROLES = {W.FIELD_LEADER, W.FIELD_SCHEDULE, "责任人", "具体责任人", "整改责任人"}

_OPEN, _CLOSE = "（(【[〔", "）)】]〕"


def _spaced(word: str) -> str:
    """A field name with spaces allowed between its characters (责 任 处 室)."""
    return r"\s*".join(map(re.escape, word))


_NAMES = sorted(W.FIELD_WORDS, key=len, reverse=True)
# 责任处室： / 责任处室（单位）： / 【责任处室】 / 责任处室<tab>.  A label starts a line, follows
# an opening bracket, a separator or a space; 工作目标 and the like only the first two.
_FIELD = re.compile(
    r"(?:(?<=^)|(?<=[\s（(【\[〔；;，,。])|(?<=[（(【\[〔]\s))"
    rf"[【\[〔]?\s*(?P<name>{'|'.join(_spaced(w) for w in _NAMES)})\s*(?:[（(][^）)]{{0,12}}[）)])?\s*"
    r"(?:[】\]〕]\s*[:：]?|[:：]|\t|(?P<semi>[；;]))\s*"
)
_CONTEXT_OK_BEFORE = re.compile(r"(?:^|[（(【\[〔；;])\s*[【\[〔]?\s*$")
_ROLE_WORD = re.compile(W.OFFICE_ROLE_PHRASE)
_LEAD_WORD = re.compile(r"牵头|主办|主责")
_HELP_WORD = re.compile(r"配合|参与|协助|协办|协同|参照")  # 各镇（街）参照落实: they follow, after the others
# the last bracket of a line, with what may follow it (。；)
_END_BRACKET = re.compile(r"[（(]([^（()）]*(?:[（(][^（()）]*[)）][^（()）]*)*)[)）]\s*[。；;，,.]?\s*$"
                          r"|〔([^〔〕]*)〕\s*[。；;，,.]?\s*$")  # 〔省发展改革委等牵头，…按职责分工负责〕
# an office-like name: ends as offices do
_OFFICE_END = re.compile(r"(?:局|委|办|处|室|科|股|部|院|厅|署|会|联|协|中心|政府|党委|单位|部门|队|站|所|馆|街道"
                         r"|镇|乡|团|社|行|司|区|县|市|集团|公司|组|机关|纪委|监委|法院|检察院|工委|分局|支队|大队)$")


def name_of(match_name: str) -> str:
    return re.sub(r"\s+", "", match_name)


def trim_value(value: str, text: bool = False) -> str:
    """A field value cut out of a line: no separators or unmatched closing brackets at
    its end (a text field — 工作目标, 备注 — keeps its full stop)."""
    ends = "；;，,、（(【[〔 \t" if text else "；;，,、。（(【[〔 \t"
    value = value.strip().rstrip(ends)
    while value.endswith(tuple(_CLOSE)) and bracket_depth(value) < 0:
        value = value[:-1].rstrip(ends)
    return value


def bracket_depth(text: str) -> int:
    """Brackets opened in ``text`` and not closed (negative: closed more than opened)."""
    return sum(ch in _OPEN for ch in text) - sum(ch in _CLOSE for ch in text)


def _field_matches(line: str, numbered: bool = False) -> list[re.Match]:
    out = []
    for m in _FIELD.finditer(line):
        name = name_of(m["name"])
        before = line[:m.start("name")]
        if name in W.CONTEXT_FIELD_WORDS and not _CONTEXT_OK_BEFORE.search(before) and not (
                out and bracket_depth(before) > 0 and before.rstrip().endswith(("，", ","))):
            continue  # 围绕三个工作目标：… is a sentence, not a label; （牵头责任人：X，具体责任人：Y） is
        if numbered and name in W.BRACKET_ONLY_LABELS and bracket_depth(before) <= 0:
            continue  # 一、主体责任：局党委对…负主体责任 is a heading
        if m["semi"] and not (W.FIELD_WORDS[name] in OFFICE_ROLES and re.search(r"[（(【\[〔]\s*$", line[:m.start()])
                              and names_offices(re.split(r"[）)】\]〕；;]", line[m.end():])[0])):
            continue  # （责任单位；住建局…）, a typo for ：, only right after a bracket opens, before offices
        out.append(m)
    return out


def split_fields(line: str, labels: list[str] | None = None,
                 numbered: bool = False) -> tuple[str, list[tuple[str, str]]]:
    """Split a line into its text and the fields in it:
    ``任务。（责任处室：办公室；完成时限：6月底前）`` → (``任务。``, [(office, 办公室), (schedule, 6月底前)]).
    A field opened inside a bracket ends where the bracket closes; text after it is text.
    A bracket at the end of the text naming offices with their roles is taken too.
    ``labels``, when given, gets the field names as written (整改时限 …); ``numbered``:
    the line is the text after an item's number, where 主体责任： heads a section."""
    matches = _field_matches(line, numbered)
    if labels is not None:
        labels.extend(name_of(m["name"]) for m in matches)
    if not matches:
        return office_bracket(line)
    head = line[:matches[0].start()]
    depth = bracket_depth(head)
    texts = [head.rstrip(" \t（(【[〔；;，,")]
    fields: list[tuple[str, str]] = []
    for m, nxt in zip(matches, matches[1:] + [None]):
        end = nxt.start() if nxt else len(line)
        value = line[m.end():end]
        if depth > 0:  # inside a bracket: the value stops where it closes; what follows is text
            close = _closing(value, depth)
            if close is not None:
                rest = value[close + 1:]
                if bracket_depth(texts[-1]) > 0:  # 公交车101路（车牌号：…，责任单位：…）: the aside stays
                    texts[-1] += value[close]
                value = value[:close]
                depth = bracket_depth(rest)
                texts.append(rest.rstrip(" \t（(【[〔"))
        else:
            depth = bracket_depth(value)  # 责任单位：A（完成时限：B）: the next field is inside a bracket
        role = W.FIELD_WORDS[name_of(m["name"])]
        fields.append((role, trim_value(value, text=role not in _BARE_ROLES)))
    text = texts[0]
    for piece in texts[1:]:
        if re.sub(r"[。；;，,.）)\s]", "", piece):  # ）。 and the like: no text
            text += piece.strip()
    return text, fields


def _closing(value: str, depth: int) -> int | None:
    """The index in ``value`` of the bracket closing the ``depth`` brackets opened before it."""
    level = depth
    for i, ch in enumerate(value):
        if ch in _OPEN:
            level += 1
        elif ch in _CLOSE:
            level -= 1
            if level < depth:
                return i
    return None


def office_bracket(line: str) -> tuple[str, list[tuple[str, str]]]:
    """``任务。（市发改委牵头，市财政局、各区县配合）`` → (``任务。``, the offices by role).
    Only a bracket at the end counts, naming offices with 牵头/负责/配合 …; one naming
    nothing but offices by their own names (``（市国资委）``) is taken as a bracket that
    may be the task's offices (W.FIELD_BRACKET, its text as written): the task keeps it
    as text when it has a labelled office of its own.  Any other aside is text."""
    m = _END_BRACKET.search(line)
    if not m:
        return line, []
    inner = m[1] if m[1] is not None else m[2]
    fields = office_roles(inner)
    if not fields:
        names = split_offices(inner, document=True).names
        if not (names and all(_SPECIFIC_OFFICE.search(n) and (len(n) >= 3 or is_collective(n))
                              and not _QUANTITY.search(n) for n in names)):
            return line, []
        fields = [(W.FIELD_BRACKET, m.group(0).strip())]
    return line[:m.start()].rstrip(" \t"), fields


# （新建3处）, （共5处）, （覆盖所有街道）, （含2个街道办事处）: how much or where, not who
# (not 共青团市委, 秘书一处, 综合二处: 共 only before a number, 处/所 only after digits)
_QUANTITY = re.compile(r"^(?:共(?=[0-9０-９一二三四五六七八九十两百千])|含|包括|覆盖|新建|新增|其中|约|计|涉及|不含"
                       r"|全部|所有)"
                       r"|(?<![第0-9０-９一二三四五六七八九十两百千])(?:[0-9０-９]+(?:个|处|所|家|座|条|项|户|间|批|类|公里|万)"
                       r"|[一二三四五六七八九十两百千]+(?:个|家|座|条|项|户|间|批|类|公里|万))")


def bracket_inner(bracket: str) -> str:
    """``（市国资委）。`` → ``市国资委``: a FIELD_BRACKET value without its brackets (and
    the stop after them)."""
    return bracket.rstrip("。；;，,. \t")[1:-1].strip()


def office_roles(text: str, default: str = W.FIELD_OFFICE, labelled: bool = False) -> list[tuple[str, str]]:
    """``市发改委牵头，市财政局配合`` → [(lead_office, 市发改委), (help_office, 市财政局)];
    a part without a role word takes ``default``, a deadline beside them is a schedule;
    [] when the text is not a list of offices.  Without a label (a bracket at the end of
    a task) only offices said with their roles count."""
    text = text.strip()
    if not text or re.search(r"[：:。]", text):
        return []
    segments = [s.strip() for s in re.split(r"[，,；;]", text) if s.strip()]
    # （国务院各部门分别负责，年内持续推进）: a timing beside the offices
    timing = [s for s in segments[1:] if _is_timing(s)]
    segments = [s for s in segments if s not in timing]
    has_role = any(_ROLE_WORD.search(s) for s in segments)
    fields = []
    for segment in segments:
        if _LEAD_WORD.search(segment):
            role = W.FIELD_LEAD_OFFICE
        elif _HELP_WORD.search(segment):
            role = W.FIELD_HELP_OFFICE
        else:
            role = default
        fields.append((role, segment))
    # only offices with their roles count: （党委会）, （全市）, （含相关配套管网）,
    # （以下简称“三个负责”）, （具体方案由市住建局会同有关部门另行制定） stay text
    names = split_offices(W.VALUE_JOIN.join(segments), document=True).names
    if (has_role or labelled) and names and all(_OFFICE_END.search(n) or is_collective(n) for n in names):
        return fields + [(W.FIELD_SCHEDULE, s) for s in timing]
    return []


def _is_timing(text: str) -> bool:
    """年内持续推进, 2023年6月底前完成, 长期坚持: a deadline phrase, not an office."""
    reading = parse_deadline(text, _ANY_YEAR)
    return reading.problem is None and reading.kind != W.KIND_PENDING


_ANY_YEAR = 2000  # a year for reading a timing's kind: 6月底前 is a deadline whatever the year
_ASIDE = re.compile(r"[（(]([^（()）]*)[)）]")


def office_value(value: str) -> tuple[str, str]:
    """An office field's value → (the offices, a note): what follows a full stop
    (``A、B按职责分工负责。具体任务均涉及…，下同。``) and an aside in brackets that names
    no office (``（除标注“分别牵头”外，列第一位为牵头单位）``) are notes, not offices."""
    value = value.strip()
    note = []
    head, stop, rest = value.partition("。")
    if stop and rest.strip():
        value, note = head, [rest.strip()]

    def aside(m: re.Match) -> str:
        inner = m[1].strip()
        if re.search(r"[，,：:。；;“”]", inner) or (len(inner) > 12 and not _OFFICE_END.search(inner)
                                                      and not is_collective(inner)):
            note.insert(0, inner)
            return ""
        return m[0]

    value = _ASIDE.sub(aside, value)
    return value.strip().rstrip("；;，,、。"), W.VALUE_JOIN.join(note)


# the end of an office's own name (市国资委, 市政府办, 社区卫生服务中心) — not 党委会, 全市, 局党委
_SPECIFIC_OFFICE = re.compile(r"(?:局|委|办|厅|处|科|股|室|部|联|中心|公司|院|所|站|队|署|集团|管委会|办事处|政府"
                              r"|委员会|工委|法院|检察院|工会|协会|商会|联合会|学会|乡镇|街道|单位|部门)$")


def names_offices(text: str) -> bool:
    """Whether ``text`` is nothing but a list of offices (市住建局、市交通局。) — not a
    sentence (各街道要积极配合，确保项目早落地。)."""
    names = split_offices(text, document=True).names
    return bool(names) and all((_OFFICE_END.search(n) or is_collective(n) and len(n) <= 12)
                               and not _SAYS.search(n) for n in names)


_SAYS = re.compile(r"要|应当|应该|必须|务必|确保|争取|力争")  # 各乡镇要积极配合: a sentence, no name


def continues_list(line: str, role: str, open_list: bool = False) -> bool:
    """Whether a line after an office or leader field carries on that list
    (a long list broken over lines), rather than being unrelated text: for offices,
    names that end as offices do (市住建局 市交通局 — not 加强扬尘管控, 各乡镇要积极配合);
    for leaders, short names; after a line that ended with 、 (``open_list``), any short
    names (市广播电视台、XX日报社) that say nothing."""
    line = line.rstrip("。.；;")  # 市住建局、市交通局。 ends the list
    if len(line) > 40 or re.search(r"[。：:]", line) or line.startswith(("（", "(")):
        return False
    names = split_offices(line, document=True).names
    if open_list:
        return bool(names) and all(len(n) <= 16 and not _SAYS.search(n) for n in names)
    if role != W.FIELD_LEADER:
        return names_offices(line)
    return bool(names) and all(len(n) <= 8 and not _SAYS.search(n) for n in names)


def looks_like_office(name: str) -> bool:
    """Whether a name ends as an office's does (局, 委, 办, 管委会 …)."""
    return bool(_OFFICE_END.search(name))


