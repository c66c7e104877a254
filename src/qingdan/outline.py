"""The outline of a list in paragraph form: its lines prepared (page numbers
dropped, runs-on joined, own sub-items split) and read into a tree of Nodes by
their numbering — ``第一部分`` > ``一、`` > ``（一）`` > ``1.`` > ``（1）`` > ``①`` — with
text and field lines under the numbered line above them.  paragraphs.py reads
tasks out of the tree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from . import numerals
from . import words as W
from .dates import DATE_LINE
from .deadlines import names_a_time
from .fields import LIST_ROLES, bracket_depth, continues_list, split_fields, trim_value
from .items import (
    clean_text,
    heading_like,
    join_lines,
)
from .model import Problem

SECTION, PART, CATEGORY, ITEM, SUB_ITEM, CIRCLED, BULLET = range(7)
_CN = numerals.CHARS
_NUMBERED = [
    (SECTION, re.compile(rf"^(第\s*([{_CN}\d]+)\s*部分)\s*[、.．:：]?\s*(.*)$")),
    (PART, re.compile(rf"^(([{_CN}]+)\s*[、.．])\s*(.+)$")),
    (CATEGORY, re.compile(rf"^([（(]\s*([{_CN}]+)\s*[)）]\s*[、.．]?)\s*(.*)$")),
    # 1. / 1、 / 1． — and 4关于… with no mark at all (checked against the number due)
    (ITEM, re.compile(r"^((\d{1,4})\s*\*?\s*[.．、]|(\d{1,2})(?=[\u4e00-\u9fff])"
                      r"(?![月日年个项万亿元天人家次号时分岁条件名所座米吨位批类]))\s*(.*)$")),
    (SUB_ITEM, re.compile(r"^([（(]\s*(\d{1,3})\s*[)）]|(\d{1,3})\s*[)）])\s*(.*)$")),
    (CIRCLED, re.compile(r"^(图?\s*([①-⑳])\s*[：:]?)\s*(.*)$")),  # ①, and 图①： under a 督查 report's photos
    (BULLET, re.compile(r"^([●■◆▲•◎★☆▪])\s*()(.+)$")),  # unnumbered items: the innermost level
]
# page numbers and footers left in text copied from a PDF or a printout
PAGE_NOISE = re.compile(r"^(?:[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d+\s*页\s*[，,/]?\s*(?:共\s*\d+\s*页)?"
                        r"|共\s*\d+\s*页\s*第\s*\d+\s*页)$")
NEXT_ATTACHMENT = re.compile(r"^附\s*件\s*\d*\s*(?:[:：].*)?$")  # after the list: another document begins
_SENT_APART = re.compile(r"另发|另行印发|另行下发|另附")


def starts_attachment(line: str, after: str) -> bool:
    """Whether ``line`` (after the list has begun) opens another attachment: ``附件2：考核
    细则`` does; ``附件：机关管理制度目录（另发）`` named inside a task, or followed by that
    task's own 责任处室 line (``after``, the next line), does not."""
    if not NEXT_ATTACHMENT.match(line) or _SENT_APART.search(line):
        return False
    head, fields = split_fields(after)
    return not (fields and not clean_text(head))
_ASIDE_LINE = re.compile(r"^[（(][^（()）]*(?:[（(][^（()）]*[)）][^（()）]*)*[)）]。?$")
_ANY_ITEM = 99  # key of ``expected``: the item number due next anywhere, not only under this parent


@dataclass
class Node:
    """A numbered line of the document with what belongs to it."""

    rank: float  # the numbering's level (SECTION … BULLET); -1 the document; x.5 an unnumbered heading
    number: str = ""  # as printed: （1）, 1., ①
    seq: str = ""  # the number as digits or Chinese numerals, for 序号
    line: int = 0  # its line in the document, for messages
    head: str = ""  # the text on the numbered line
    body: list[str] = field(default_factory=list)  # text lines before any field
    fields: list[tuple[str, str]] = field(default_factory=list)
    block_fields: bool = True  # every field came on a line of its own
    fields_after_children: bool = False
    late: list[tuple[int, str]] = field(default_factory=list)  # text after the fields: no place for it
    children: list[Node] = field(default_factory=list)
    last_role: str | None = None
    fix_labels: bool = False  # its fields came under 整改 labels (整改责任单位, 整改时限 …)
    unnumbered: bool = False  # a heading without a number (a unit's name with its 责任单位)
    # labels alone on their lines above some of its items (工作目标：1. 2. 具体措施：1. 2.):
    # (how many children came before it, the line, the role when its items may be its value)
    intros: list[tuple[int, str, str]] = field(default_factory=list)
    shared_run: int = 0  # on a group's first item: how many items share them (told the clerk)
    shared_offices_only: bool = False  # the items of that group had their own timing: only offices are shared
    is_task: bool = False  # a task itself, and the heading of the tasks below it
    asides: list[str] = field(default_factory=list)  # bracketed lines after its fields: notes
    open_list: bool = False  # its last field line ended with 、: the next line carries the list on
    awaiting: str = ""  # a label alone on its line: the role whose value the next lines are
    block: list[tuple[str, str]] = field(default_factory=list)  # the fields that came on lines of their own

    def text_lines(self) -> list[str]:
        return [x for x in [self.head, *self.body] if x]


def numbered(line: str, expected: dict[int, int]) -> tuple[int, str, str, str] | None:
    """(rank, number as printed, seq, rest) when ``line`` starts with a number."""
    for rank, pattern in _NUMBERED:
        m = pattern.match(line)
        if not m:
            continue
        if rank in (SUB_ITEM, ITEM):
            number, seq, rest = m[1], m[2] or m[3], m[4]
        else:
            number, seq, rest = m[1], m[2], m[3]
        if rank == CIRCLED:
            seq = str(numerals.CIRCLED.index(seq) + 1)
        if rank == BULLET:
            return rank, number, "", rest
        if rest.startswith(number):
            rest = rest[len(number):].lstrip()  # （三）（三）组织开展…: the number printed twice
        seq = unicodedata.normalize("NFKC", re.sub(r"\s+", "", seq))
        if rank == ITEM and (m[3] or rest[:1].isdigit() and not number.rstrip().endswith("、")):
            # 1.2023年6月底前完成 is item 1; 1.5亿元 running on from the line above is not
            # a new item unless its number is the one due next (so is 4关于… with no mark)
            # (lists that number on across parts: the number after the last one seen)
            if int(seq) not in (expected.get(ITEM, 1), expected.get(_ANY_ITEM)):
                return None
        return rank, re.sub(r"\s+", "", number), seq, rest
    return None


def _fix(labels: list[str]) -> bool:
    return any(W.FIX_WORD in label for label in labels)


_INLINE = re.compile(r"(?:(?<=^)|(?<=[。；;：:）)]))\s*(?=[（(]\d{1,2}[)）]|[①-⑳])")


def _bracket_lines(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A bracket opened on one line and closed on the next (``（牵头单位：市工信局；配合单位：
    市财政局、`` / ``市住建局）``) is one line."""
    out: list[tuple[int, str]] = []
    for n, line in lines:
        if (out and bracket_depth(out[-1][1]) > 0 and not numbered(line, {}) and bracket_depth(out[-1][1] + line) <= 0
                and len(out[-1][1]) + len(line) < 2000):
            out[-1] = (out[-1][0], out[-1][1] + line)
        else:
            out.append((n, line))
    return out


# 具体任务, 重点工作 …: a label alone on its line, whose content (the next line) is a task
_TASK_LABELS = {word for word in W.TASK_HEADER_WORDS if len(word) >= 4}
_LABEL_WORDS = {*W.FIELD_WORDS, *_TASK_LABELS}  # a value that is itself a label: the cell was empty
# 存在问题：公示栏管理不到位。 — a problem said after its label on the same line is a task;
# 具体措施：… and 工作目标：… on the same line stay context, in their own columns
_PROBLEM_LABEL = re.compile(r"^(问题|存在问题|问题描述|问题表现)\s*[：:]\s*(.+)$")
# 明馨园小区 above 存在问题：… is the place; a title (…整改清单, a year) is not
_NOT_A_PLACE = re.compile(r"(?:19|20)\d{2}\s*年|(?:清单|方案|计划|要点|台账|通报|汇总|问题|报告)$")


def _label_lines(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A table copied off a web page, a label and its content on lines of their own
    (具体任务 / 全面落实… / 责任单位 / 卫健局、文旅局): ``责任单位：卫健局、文旅局``, and the
    task an item of its own."""
    out: list[tuple[int, str]] = []
    k, places = 0, 0
    while k < len(lines):
        n, line = lines[k]
        key = re.sub(r"\s+", "", line)
        value = lines[k + 1][1] if k + 1 < len(lines) else ""
        is_label = key in W.FIELD_WORDS or key in _TASK_LABELS
        if (k and _PROBLEM_LABEL.match(value) and heading_like(line) and not _NOT_A_PLACE.search(key)
                and not re.search(r"[：:]", line) and not numbered(line, {}) and not split_fields(line)[1]):
            # 明馨园小区 / 存在问题：…: the place is the category of its problems
            places += 1
            out.append((n, f"（{numerals.from_int(places)}）{line}"))
            k += 1
        elif m := _PROBLEM_LABEL.match(line):
            out.append((n, f"● {m[2]}"))  # 存在问题：公示栏管理不到位。
            k += 1
        elif (is_label and value and not numbered(value, {})
              and re.sub(r"\s+", "", value) not in _LABEL_WORDS):
            out.append((n, f"{key}：{value}" if key in W.FIELD_WORDS else f"● {value}"))
            k += 2
        elif key in W.FIELD_WORDS and re.sub(r"\s+", "", value) in _LABEL_WORDS:
            out.append((n, f"{key}："))  # 责任单位 / 具体任务: a cell left empty
            k += 1
        else:
            out.append((n, line))
            k += 1
    return out


def _inline_items(line: str) -> list[str]:
    """A paragraph holding its own sub-items (``深化改革。（1）…（牵头）（2）…``) as lines:
    split before each marker that ends a sentence or bracket, when they run 1, 2, …"""
    cuts = [m.start() for m in _INLINE.finditer(line) if m.start() > 0]
    if len(cuts) < 2 or split_fields(line)[0] == "":
        return [line]  # 整改措施：（1）…（2）… is one field's value
    numbers = [re.match(r"\s*(?:[（(](\d{1,2})[)）]|([①-⑳]))", line[c:]) for c in cuts]
    seqs = [int(m[1]) if m[1] else numerals.CIRCLED.index(m[2]) + 1 for m in numbers]
    if seqs != list(range(1, len(seqs) + 1)):
        return [line]
    pieces = [line[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(line)]) if line[a:b].strip()]
    with_fields = [i for i, piece in enumerate(pieces) if i and split_fields(piece)[1]]
    head = split_fields(pieces[-1])[0] if with_fields == [len(pieces) - 1] else ""
    rest = pieces[-1][len(head):].strip()
    if head and pieces[-1].startswith(head) and rest[:1] in "（(〔【[":
        # 稳定就业。①…；②…。（市人社局负责）: the one assignment, at the end, is the whole item's
        pieces[-1:] = [head, rest]
    return pieces


class Tree:
    """Lines → a tree of numbered nodes, each holding its text, fields and children."""

    def __init__(self, lines: list[tuple[int, str]]) -> None:
        self.lines = [(n, piece) for n, line in _label_lines(_bracket_lines(lines)) for piece in _inline_items(line)]
        self.root = Node(-1)
        self.stack = [self.root]
        self.problems: list[Problem] = []
        self.expected: dict[int, int] = {}  # rank → the number due next under the current parent
        self.demoted: set[float] = set()  # levels whose headings hold tasks without numbers
        self.top: list[tuple[int, str]] = []  # lines above the first numbered one: (line, text)
        self.numbers = any(numbered(line, {}) for _, line in self.lines)  # (a 督查 report may have none)

    def build(self) -> Node:
        for k, (line_no, line) in enumerate(self.lines):
            if len(self.stack) > 1 and starts_attachment(line, self._text(k + 1)):
                self.problems.append(Problem(W.P_WHERE_LINE.format(line=line_no),
                                             W.P_NEXT_ATTACHMENT.format(text=line)))
                break  # the next attachment is another document
            found = numbered(line, self.expected)
            if found:
                self.numbered(line_no, *found)
            else:
                self.unnumbered(k, line_no, line)
        # 二、水污染防治 / 开展河道清淤。/ 责任单位：… as its sibling 一、 is read (a heading with
        # one paragraph under it and no sibling like that is one task: 一、推进重大项目建设 / 建立…)
        for node in descendants(self.root):
            if (node.rank in self.demoted and node.body and node.fields and not node.children
                    and heading_like(node.head) and not node.head.endswith(("，", ",", "、"))):
                _demote(node)
        return self.root

    def _text(self, k: int) -> str:
        """Line ``k``'s text, "" past the end."""
        return self.lines[k][1] if k < len(self.lines) else ""

    def _nothing_after(self, k: int) -> bool:
        """Whether no line from ``k`` on is numbered or carries a field (before any 附件)."""
        for j, (_, line) in enumerate(self.lines[k:], k):
            if starts_attachment(line, self._text(j + 1)):
                return True
            if numbered(line, {}) or split_fields(line)[1]:
                return False
        return True

    def _own_office_follows(self, k: int, role: str) -> bool:
        """Whether the next line is an office line of the same role (组建城市运营集团 /
        责任单位：…: the line is the next task, which names its own office), or the
        document ends here (its 落款)."""
        if k + 1 >= len(self.lines):
            return True
        head, fields = split_fields(self.lines[k + 1][1])
        return bool(fields) and not clean_text(head) and fields[0][0] == role

    def _top_heading(self) -> None:
        """Before the first unnumbered task at the top: a heading line below the title
        (创建…督查通报 / 前期通报整改情况 / 近日，…分别为：) heads the tasks, and the lines
        after it are its introduction."""
        body = self.root.body
        at = next((i for i in range(len(body) - 1, 0, -1) if heading_like(body[i]) and not _ASIDE_LINE.match(body[i])
                   and not DATE_LINE.match(body[i])), None)
        if at is not None and all(not heading_like(x) for x in body[at + 1:]):
            heading = Node(PART, "", "", 0, head=body[at], body=body[at + 1:], unnumbered=True)
            self.root.body = body[:at]
            self.open(heading)

    def open(self, node: Node) -> None:
        """Put ``node`` under the nearest open node of a higher level."""
        while self.stack[-1].rank >= node.rank:
            self.stack.pop()
        self.stack[-1].children.append(node)
        self.stack.append(node)

    def numbered(self, line_no: int, rank: float, printed: str, seq: str, rest: str) -> None:
        node = Node(rank, printed, seq, line_no)
        labels: list[str] = []
        head, fields = split_fields(rest, labels, numbered=True)
        node.head = clean_text(head)
        if fields:
            node.fields, node.block_fields = list(fields), False
            node.last_role, node.fix_labels = fields[-1][0], _fix(labels)
        self.open(node)
        expected = self.expected
        for r in list(expected):
            if rank < r < _ANY_ITEM:
                del expected[r]
        if seq.isdigit():
            expected[rank] = int(seq) + 1
            if rank == ITEM:
                expected[_ANY_ITEM] = int(seq) + 1

    def unnumbered(self, k: int, line_no: int, line: str) -> None:
        labels: list[str] = []
        head, fields = split_fields(line, labels)
        head = clean_text(head)
        # the next numbered line, past bracketed asides (胖东来时代广场（责任单位：…） / （该商户已停业） / 1.…)
        after = next((x for _, x in self.lines[k + 1:k + 4] if not _ASIDE_LINE.match(x)), "")
        following = numbered(after, {}) if after else None
        node = self.stack[-1]
        if node is self.root:
            self.top.append((line_no, line))
        owner = next(n for n in reversed(self.stack) if n.rank < following[0]) if following else None
        stages = (fields and fields[0][0] == W.FIELD_SCHEDULE and owner is node and names_a_time(following[3][:12]))
        if (not head and len(fields) == 1 and not fields[0][1] and owner is not None and owner.rank >= 0
                and (fields[0][0] != W.FIELD_SCHEDULE or stages)):
            # 具体措施： above 1. 2. …: their introduction, or — when they carry no assignment of
            # their own — a context field whose value they are (decided once the tree is read)
            # (the items below it may stand at a level above this node: 整改措施： after a unit's problems;
            # 完成时限： only above this item's own stages, 1.2024年6月底前完成方案；…)
            role = fields[0][0] if fields[0][0] not in W.ROLES or stages else ""
            owner.intros.append((len(owner.children), line, role))
            return
        if (node.awaiting == W.FIELD_SCHEDULE and node.fields and node.fields[-1][0] == W.FIELD_SCHEDULE
                and node.fields[-1][1] and fields_follow(self.lines, k + 1)):
            # 完成时限： / 2024年10月底前 / 6月底前完成…安装。 / 责任单位：… — a line with an assignment
            # of its own is the next task, not one more stage of this one's schedule
            node.awaiting = ""
        if node.awaiting and head and not fields and (node.awaiting != W.FIELD_SCHEDULE or names_a_time(head)):
            node.fields.append((node.awaiting, trim_value(head, text=node.awaiting not in LIST_ROLES)))
            node.block.append(node.fields[-1])
            node.last_role = node.awaiting
            node.open_list = line.rstrip().endswith(("、", "，", ","))
            if node.awaiting != W.FIELD_SCHEDULE:
                node.awaiting = ""  # one line; an office list goes on only as lists do (办公室、 / 人事处)
            return
        if (DATE_LINE.match(line) or (k + 1 < len(self.lines) and DATE_LINE.match(self.lines[k + 1][1])
                                      and not fields and heading_like(line))) and self._nothing_after(k + 1):
            node.awaiting = ""
            return  # the list's own 落款 and date at its end (XX市民政局 / 2024年2月20日): no part of it
        if fields and heading_like(head) and following and following[2] in ("1", "一"):
            # 胖东来时代广场（责任单位：魏都区）above problems 1., 2., …: a heading of its own
            # between the levels: above the items it heads, below the heading above it
            self.open(Node(following[0] - 0.5, "", "", line_no, head=head, fields=list(fields), block_fields=False,
                           last_role=fields[-1][0], fix_labels=_fix(labels), unnumbered=True))
            return
        if (head and not fields and node.fields and node.last_role == W.FIELD_SCHEDULE == node.fields[-1][0]
                and node.fields[-1][1].endswith(("年", "月", "、", "，", ",", "至", "到"))
                and len(head) <= 20 and names_a_time(head) and not numbered(head, {})):
            node.fields[-1] = (W.FIELD_SCHEDULE, node.fields[-1][1] + head)  # 完成时限：2024年 / 12月底前
            return
        continuing = (node.last_role in LIST_ROLES and not fields and head
                      and continues_list(head, node.last_role, node.open_list)
                      and (node.open_list or not self._own_office_follows(k, node.last_role)))
        if (node is self.root and head and not fields and not self.numbers and self.root.body
                and fields_follow(self.lines, k + 1)):
            # 操作间存在鼠粪。 / 整改责任单位：… in a list with no numbers at all: the first task
            self._top_heading()
            self.open(Node(BULLET, "", "", line_no, head=head))
            return
        if (head and not heading_like(head) and {role for role, _ in fields} & LIST_ROLES
                and (node is self.root or node.fields and node.rank >= ITEM)):
            # 长江大道（责任单位：九江经开区）：管线凌乱问题…； — a task without a number that names
            # its own office on its line: at the top of a 督查通报, or after a finished task
            if node is self.root:
                self._top_heading()
            rank = BULLET if self.stack[-1] is self.root or self.stack[-1].rank < ITEM else node.rank
            self.open(Node(rank, "", "", line_no, head=head, fields=list(fields), block_fields=False,
                           last_role=fields[-1][0], fix_labels=_fix(labels)))
            return
        if (head and node.fields and node.fields[-1][1] and not fields and not continuing and node.rank >= 0
                and not re.search(r"[：:]", head) and fields_follow(self.lines, k + 1)):
            # 操作间存在鼠粪。 / 整改责任单位：… after a finished problem: a problem without a number
            if node.rank <= CATEGORY and node.body and not node.children and heading_like(node.head):
                # 一、大气污染防治 / 推进燃煤锅炉淘汰。 / 责任单位：… / 加强扬尘管控。 …: the heading's
                # first line of text, with its assignment, was its first task without a number
                _demote(node)
                self.demoted.add(node.rank)
                self.open(Node(BULLET, "", "", line_no, head=head))
            else:
                self.open(Node(node.rank, "", "", line_no, head=head))
            return
        if head:
            if not node.fields:
                node.body.append(head)
            elif continuing:
                node.fields.append((node.last_role, head))  # a long office list broken over lines
                node.block.append(node.fields[-1])
            elif _ASIDE_LINE.match(head):
                node.asides.append(head)  # （具体方案由…另行制定） under a task: its 备注
            else:
                node.late.append((line_no, head))
                node.last_role = None  # the assignment has ended: a 落款 below is no office of it
        if fields:
            # 时间进度安排： alone on its line: its value comes on the next (3月底前，制定方案；)
            node.awaiting = fields[-1][0] if not fields[-1][1] and not head else ""
            node.fields.extend(fields)
            if not head:
                node.block.extend(fields)
            node.last_role = fields[-1][0]
            node.block_fields = node.block_fields and not head
            node.fix_labels = node.fix_labels or _fix(labels)
        # 责任单位：A、B、 — the list goes on on the next line
        node.open_list = bool(fields or continuing) and line.rstrip().endswith(("、", "，", ","))


def _demote(node: Node) -> None:
    """A heading's text and assignment become its first task without a number; a line
    that leads into the tasks (重点抓好以下工作：) stays the heading's, a note."""
    lead = 0
    while lead < len(node.body) - 1 and node.body[lead].endswith(("：", ":")):
        lead += 1
    first = Node(BULLET, "", "", node.line, head=join_lines(node.body[lead:]), fields=node.fields,
                 block_fields=node.block_fields, last_role=node.last_role, fix_labels=node.fix_labels,
                 block=node.block)
    node.body, node.fields, node.late, node.block = node.body[:lead], [], [], []
    node.children.append(first)


def fields_follow(lines: list[tuple[int, str]], start: int) -> bool:
    """Whether an assignment of its own comes next (office lines, before any numbered
    line): what an unnumbered item has."""
    for _, line in lines[start:start + 6]:
        if numbered(line, {}):
            return False
        head, fields = split_fields(line)
        if fields and not clean_text(head) and any(role in LIST_ROLES for role, _ in fields):
            return True
    return False


def descendants(node: Node):
    for child in node.children:
        yield child
        yield from descendants(child)
