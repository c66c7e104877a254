"""Items found in a list document, before they are numbered and become Tasks.

Both readers (paragraphs.py, tables.py) collect Items: the part and category an
item stands under, its number as printed, its text and the fields written beside
it.  ``ItemList.tasks`` then gives each its 编号, reads its offices and deadline
(from its timing field, else from a deadline phrase in its sentence) and checks
the numbering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import numerals
from . import words as W
from .deadlines import deadline_in_text, parse_deadline
from .fields import OFFICE_ROLES, bracket_inner, looks_like_office, office_roles, office_value
from .model import Problem, Task
from .offices import OfficeList, merge_roles
from .schema import EXCEL_CELL_MAX

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|_x000[0-9A-Fa-f]_")  # and Excel's escaped ones
# stray markers (##paidbegin##) and invisible characters
_NOISE = re.compile(r"#{2}\s*[A-Za-z_]+\s*#{2}|[\u200b\u200c\u200d\ufeff\u2060]")
_CN_NUM = numerals.CHARS
PART = re.compile(rf"^([{_CN_NUM}]+)\s*[、.．]\s*(.+)$")
SECTION = re.compile(rf"^第\s*([{_CN_NUM}\d]+)\s*部分\s*[、.．:：]?\s*(.+)$")  # 第一部分 …
CATEGORY = re.compile(rf"^[（(]\s*([{_CN_NUM}]+)\s*[)）]\s*[、.．]?\s*(.+)$")




def clean_text(text: str) -> str:
    """Remove stray markers (##paidbegin##), invisible and control characters and outer spaces."""
    text = _NOISE.sub("", text).replace("\xa0", " ")
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return text.strip(" \t\r\n\u3000")


def join_lines(parts: list[str]) -> str:
    """Join text lines of one paragraph: no space between CJK, one between Latin words."""
    out = ""
    for part in filter(None, (clean_text(p) for p in parts)):
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


def shorten(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def heading_like(text: str) -> bool:
    """A unit's or a topic's name rather than a sentence: short, no sentence inside."""
    text = text.rstrip("：:。 ")
    return 0 < len(text) <= 30 and not re.search(r"[，,。；;！!？?]", text)


def heading_name(text: str) -> tuple[str, str]:
    """A heading's name and the rest of its line: ``实施基层治理提升行动。围绕…，重点抓好以下工作：``
    → (``实施基层治理提升行动``, ``围绕…，重点抓好以下工作：``).  The name ends at the first
    。 or ：, outside brackets and quotes."""
    text = clean_text(text)
    depth = 0
    for i, ch in enumerate(text):
        if ch in "（(“《【[":
            depth += 1
        elif ch in "）)”》】]" and depth:
            depth -= 1
        elif ch in "。：:" and depth == 0 and i > 0:
            return text[:i].strip(), text[i + 1:].strip()
    return text.rstrip("；;，,。 "), ""


# 县示范区管委会牵头工作, 袁家军省长主抓重点工作, 各区、县（市）政府、市政府各部门负责落实的工作任务
_LIST_NAME = re.compile(r"(?:清单|分解表|任务表|台账|一览表|方案|计划)$")
_LEADS_HEADING = re.compile(r"^(.+?)(?:牵头|负责|承办|主抓)(?:落实|推进|实施|办理)?的?(?:重点|主要)?(?:工作|事项|任务)"
                            r"(?:任务)?(?:[（(][^）)]*[)）])?$")
_LEADER_TITLE = re.compile(W.LEADER_TITLES + "$")


def heading_assignment(name: str) -> list[tuple[str, str]]:
    """``县示范区管委会牵头工作（8项）``: a heading naming the office that leads its items;
    ``朱伟县长牵头重点工作``: the leader who does.  [] for any other heading."""
    m = _LEADS_HEADING.match(name)
    if m and _LEADER_TITLE.search(m[1]):
        return [(W.FIELD_LEADER, m[1])]
    if m and looks_like_office(m[1]):
        return [(W.FIELD_LEAD_OFFICE, m[1])]
    return []


@dataclass
class Item:
    """An item as found in the document, before 编号 and deadline are worked out."""

    part_no: int  # which part heading it stands under (names may repeat)
    part: str
    category: str
    seq: str
    text_lines: list[str]
    fields: dict[str, list[str]] = field(default_factory=dict)
    group: object = None  # items numbered on from 1 under one heading share a group
    level: float = 0  # the kind of numbering (1. or （1）), for lists that number on across parts
    after: str = ""  # the number of the line before it at its level, when that line is no task (a heading)
    notes: list[str] = field(default_factory=list)  # the rest of the headings above it
    where: str = ""  # where it starts in the document, for messages

    def add(self, role: str, value: str) -> None:
        if value.strip():
            self.fields.setdefault(role, []).append(value)

    def get(self, role: str) -> str:
        return W.VALUE_JOIN.join(v for v in (clean_text(x) for x in self.fields.get(role, [])) if v)


# 按《市委工作要点》分工（蒋永根、俞福才、金跃民）: the names in the bracket, the rule before it a note
_LEADERS_BY_RULE = re.compile(r"^((?:按|根据|依照|按照)[^（(]*)[（(]([^（()）]+)[)）]$")


def _leader(value: str) -> tuple[str, str]:
    """(the 牵头领导, a note): a leader field that says by which rule it names the people
    keeps the names and puts the rule in 备注; 张三（局党组书记） stays as written."""
    if m := _LEADERS_BY_RULE.match(value):
        return m[2].strip(), m[1].strip()
    return value, ""


def _offices(item: Item) -> tuple[OfficeList, list[str], list[str]]:
    """The item's offices (lead first), the notes and the timings found among them: a
    field's value may name roles itself (``部门分工：省发展改革委牵头，各地、各部门配合``),
    carry an aside (``（除标注“分别牵头”外，列第一位为牵头单位）``) or a deadline
    (``责任单位：市住建局；2024年底前完成``)."""
    by_role: dict[str, list[str]] = {role: [] for role in (W.FIELD_LEAD_OFFICE, W.FIELD_OFFICE, W.FIELD_HELP_OFFICE)}
    notes: list[str] = []
    timings: list[str] = []
    for role in list(by_role):
        for raw in item.fields.get(role, []):
            text, note = office_value(clean_text(raw))
            if note:
                notes.append(note)
            for said, part in office_roles(text, role, labelled=True) or [(role, text)]:
                (timings if said == W.FIELD_SCHEDULE else by_role[said]).append(part)
    lists = [W.OFFICE_SEPARATOR.join(v) for v in by_role.values()]
    return merge_roles(*lists), notes, timings


class ItemList:
    """Items under the current part and category, then Tasks."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.part: str | None = None
        self.part_no = 0
        self.category = ""
        self.title_lines: list[str] = []  # text before the first heading or item
        self.sections = False  # parts are headed 第一部分 …
        self.problems: list[Problem] = []
        self.part_fields: list[tuple[str, str]] = []  # what the part's heading row assigns

    def new_part(self, name: str, fields: list[tuple[str, str]] | None = None) -> None:
        self.part, self.category = name, ""
        self.part_no += 1
        self.part_fields = list(fields or [])

    def heading_fields(self) -> list[tuple[str, str]]:
        """What the current part's and category's headings assign (潘东旭市长负责事项, or
        an office in the part's own row)."""
        return [*heading_assignment(self.part or ""), *self.part_fields, *heading_assignment(self.category)]

    def new_item(self, seq: str, text: str) -> Item:
        item = Item(self.part_no, self.part or "", self.category, seq, [text], group=(self.part_no, self.category))
        self.items.append(item)
        return item

    def heading(self, line: str) -> bool:
        """Take ``line`` as a part or category heading if it is one.  Once parts
        are called 第一部分, the 一、 headings under them are categories."""
        if m := SECTION.match(line):
            self.sections = True
            self.new_part(heading_name(m[2])[0])
        elif (m := PART.match(line)) and not self.sections:
            self.new_part(heading_name(m[2])[0])
        elif m := (CATEGORY.match(line) or PART.match(line)):
            if self.part is None:
                self.new_part("")
            self.category = heading_name(m[2])[0]
        elif self.items and _LIST_NAME.search(line) and len(line) <= 40 and not re.search(r"[，,。；;：:]", line):
            self.new_part(line)  # XX局2024年民生实事清单 above the next table: another list, a part of its own
        else:
            return False
        return True

    def loose_line(self, where: str, line: str) -> None:
        """A line that belongs to no item: title and preamble before the list, else reported."""
        if self.part is None and not self.items:
            self.title_lines.append(line)
        else:
            self.problems.append(Problem(where, W.P_LINE_IGNORED.format(text=shorten(line))))

    def tasks(self, title: str, year: int | None) -> list[Task]:
        """Number the items (编号 ``1-01`` = part 1, item 1) and make them Tasks."""
        # parts are numbered 1, 2, … in order, counting only those that hold items
        part_numbers: dict[int, int] = {}
        counts: dict[int, int] = {}
        for item in self.items:
            part_numbers.setdefault(item.part_no, len(part_numbers) + 1)
            counts[item.part_no] = counts.get(item.part_no, 0) + 1
        tasks, position = [], dict.fromkeys(part_numbers, 0)
        part_width = len(str(len(part_numbers)))  # 10 parts or more: 01-01 … 12-01, so 编号 sort as text
        previous: dict[object, int] = {}  # the last 序号 seen in each group
        # the last 序号 of each kind of numbering, and of any: some lists number on across parts
        last_seq: dict[float | None, int] = {}
        for item in self.items:
            position[item.part_no] += 1
            n = position[item.part_no]
            width = max(2, len(str(counts[item.part_no])))
            code = f"{part_numbers[item.part_no]:0{part_width}d}-{n:0{width}d}"
            if item.seq.isdigit():
                seq = int(item.seq)
                # numbering that starts again at 1 starts a new group (problems of another unit)
                # (the same number again: a 序号 cell merged over the rows of one task)
                allowed = ({previous[item.group] + 1, previous[item.group], 1} if item.group in previous
                           else {1, last_seq.get(item.level, 0) + 1, last_seq.get(None, 0) + 1})
                if item.after.isdigit():
                    allowed.add(int(item.after) + 1)
                if seq not in allowed:
                    expected = min(allowed)
                    self.problems.append(Problem(code, W.P_SEQ_GAP.format(seq=item.seq, expected=expected)))
                previous[item.group] = last_seq[item.level] = last_seq[None] = seq
            bracket = item.get(W.FIELD_BRACKET)
            if bracket and any(item.fields.get(r) for r in OFFICE_ROLES):
                item.text_lines.append(bracket)  # （机关纪委）beside its own 责任处室 line: part of the text
            elif bracket:
                item.add(W.FIELD_OFFICE, bracket_inner(bracket))
            text = join_lines(item.text_lines)
            offices, office_notes, timings = _offices(item)
            schedule = item.get(W.FIELD_SCHEDULE) or W.VALUE_JOIN.join(timings)
            if schedule:
                deadline = parse_deadline(schedule, year)
            elif found := deadline_in_text(text, year):
                schedule, deadline = found
            else:
                deadline = parse_deadline("", year)
            if deadline.problem:
                self.problems.append(Problem(code, deadline.problem))
            leader, leader_note = _leader(item.get(W.FIELD_LEADER))
            note = W.VALUE_JOIN.join(v for v in [*item.notes, *office_notes, leader_note, item.get(W.FIELD_NOTE)] if v)
            task = Task(
                code=code,
                part=item.part or title,
                category=item.category,
                seq=item.seq or str(n),
                text=text,
                leader=leader,
                offices=offices,
                schedule=schedule,
                deadline=deadline.date,
                kind=deadline.kind,
                note=note,
                extra={r: v for r in item.fields if r not in W.ROLES and (v := item.get(r))},
            )
            for header, value in task.named_cells():
                if isinstance(value, str) and len(value) > EXCEL_CELL_MAX:
                    self.problems.append(Problem(code, W.P_CELL_TOO_LONG.format(
                        header=header, length=len(value), limit=EXCEL_CELL_MAX)))
            tasks.append(task)
        return tasks
