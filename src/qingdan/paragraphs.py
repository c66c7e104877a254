"""The paragraph form of a list: numbered lines, their text and their assignments.

Lines are read into a tree by their numbering, in the order official documents
use it: ``第一部分`` > ``一、`` > ``（一）`` > ``1.`` > ``（1）`` > ``①``.  Text lines and
field lines (``责任单位：…``) belong to the numbered line above them.  Then:

* a numbered item that carries an assignment (offices, leader, deadline) is a
  task; numbered lines below it without one of their own are part of its text;
* numbered lines above the tasks are headings: the outermost a part, the
  innermost a category; a heading's name ends at its first 。 or ：, the rest of
  it (and text under it before its first task) goes to the first task's 备注;
* one assignment written after a group of problems (``（1）…（2）…`` then
  ``整改责任单位：…``) under a heading is every problem's;
* a part with no assignment anywhere (a leader's own list) has its innermost
  numbered items as tasks; sections such as 总体要求 or 保障措施 that hold no
  task are prose, reported and left out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from . import numerals
from . import words as W
from .fields import LIST_ROLES, continues_list, split_fields
from .items import Item, ItemList, clean_text, heading_assignment, heading_name, join_lines, shorten
from .model import Problem
from .notice import DATE_LINE

SECTION, PART, CATEGORY, ITEM, SUB_ITEM, CIRCLED, BULLET = range(7)
_CN = numerals.CHARS
_NUMBERED = [
    (SECTION, re.compile(rf"^(第\s*([{_CN}\d]+)\s*部分)\s*[、.．:：]?\s*(.*)$")),
    (PART, re.compile(rf"^(([{_CN}]+)\s*[、.．])\s*(.+)$")),
    (CATEGORY, re.compile(rf"^([（(]\s*([{_CN}]+)\s*[)）]\s*[、.．]?)\s*(.*)$")),
    # 1. / 1、 / 1． — and 4关于… with no mark at all (checked against the number due)
    (ITEM, re.compile(r"^((\d{1,4})\s*[.．、]|(\d{1,2})(?=[\u4e00-\u9fff])"
                      r"(?![月日年个项万亿元天人家次号时分岁条件名所座米吨位批类]))\s*(.*)$")),
    (SUB_ITEM, re.compile(r"^([（(]\s*(\d{1,3})\s*[)）]|(\d{1,3})\s*[)）])\s*(.*)$")),
    (CIRCLED, re.compile(r"^(([①-⑳]))\s*(.*)$")),
    (BULLET, re.compile(r"^([●■◆▲•◎★☆▪])\s*()(.+)$")),  # unnumbered items: the innermost level
]
# page numbers and footers left in text copied from a PDF or a printout
PAGE_NOISE = re.compile(r"^(?:[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d+\s*页\s*[，,/]?\s*(?:共\s*\d+\s*页)?"
                        r"|共\s*\d+\s*页\s*第\s*\d+\s*页)$")
ATTACHMENT = re.compile(r"^附\s*件\s*\d*\s*[:：]?$")
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
    intro: str = ""  # a label alone on its line above its items (具体措施：)
    shared_run: int = 0  # on a group's first item: how many items share them (told the clerk)
    is_task: bool = False  # a task itself, and the heading of the tasks below it
    asides: list[str] = field(default_factory=list)  # bracketed lines after its fields: notes
    open_list: bool = False  # its last field line ended with 、: the next line carries the list on

    def text_lines(self) -> list[str]:
        return [x for x in [self.head, *self.body] if x]


def _numbered(line: str, expected: dict[int, int]) -> tuple[int, str, str, str] | None:
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
            seq = str("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".index(number) + 1)
        if rank == BULLET:
            return rank, number, "", rest
        seq = unicodedata.normalize("NFKC", re.sub(r"\s+", "", seq))
        if rank == ITEM and (m[3] or rest[:1].isdigit() and not number.rstrip().endswith("、")):
            # 1.2023年6月底前完成 is item 1; 1.5亿元 running on from the line above is not
            # a new item unless its number is the one due next (so is 4关于… with no mark)
            # (lists that number on across parts: the number after the last one seen)
            if int(unicodedata.normalize("NFKC", seq)) not in (expected.get(ITEM, 1), expected.get(_ANY_ITEM)):
                return None
        return rank, re.sub(r"\s+", "", number), seq, rest
    return None


def _fix(labels: list[str]) -> bool:
    return any(W.FIX_WORD in label for label in labels)


def _heading_like(text: str) -> bool:
    """A unit's or a topic's name rather than a sentence: short, no sentence inside."""
    text = text.rstrip("：:。 ")
    return 0 < len(text) <= 30 and not re.search(r"[，,。；;！!？?]", text)


_INLINE = re.compile(r"(?:(?<=^)|(?<=[。；;：:）)]))\s*(?=[（(]\d{1,2}[)）]|[①-⑳])")


def _inline_items(line: str) -> list[str]:
    """A paragraph holding its own sub-items (``深化改革。（1）…（牵头）（2）…``) as lines:
    split before each marker that ends a sentence or bracket, when they run 1, 2, …"""
    cuts = [m.start() for m in _INLINE.finditer(line) if m.start() > 0]
    if len(cuts) < 2 or split_fields(line)[0] == "":
        return [line]  # 整改措施：（1）…（2）… is one field's value
    numbers = [re.match(r"\s*(?:[（(](\d{1,2})[)）]|([①-⑳]))", line[c:]) for c in cuts]
    seqs = [int(m[1]) if m[1] else "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".index(m[2]) + 1 for m in numbers]
    if seqs != list(range(1, len(seqs) + 1)):
        return [line]
    pieces = [line[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(line)]) if line[a:b].strip()]
    with_fields = [i for i, piece in enumerate(pieces) if i and split_fields(piece)[1]]
    if with_fields == [len(pieces) - 1]:
        # 稳定就业。①…；②…。（市人社局负责）: the one assignment, at the end, is the whole item's
        head = split_fields(pieces[-1])[0]
        pieces[-1:] = [head, pieces[-1][len(head):].strip()]
    return pieces


class _Tree:
    """Lines → a tree of numbered nodes, each holding its text, fields and children."""

    def __init__(self, lines: list[tuple[int, str]]) -> None:
        self.lines = [(n, piece) for n, line in lines for piece in _inline_items(line)]
        self.root = Node(-1)
        self.stack = [self.root]
        self.problems: list[Problem] = []
        self.expected: dict[int, int] = {}  # rank → the number due next under the current parent
        # 整改措施： then （1）…（2）… with no assignment of their own: the label's value, being read
        self.collecting: tuple[Node, str, str, list[str]] | None = None  # node, role, label line, lines

    def build(self) -> Node:
        for k, (line_no, line) in enumerate(self.lines):
            if len(self.stack) > 1 and ATTACHMENT.match(line):
                self.problems.append(Problem(W.P_WHERE_LINE.format(line=line_no),
                                             W.P_NEXT_ATTACHMENT.format(text=line)))
                break  # the next attachment is another document
            found = _numbered(line, self.expected)
            if self.collecting and self.collect(line, found):
                continue
            if found:
                self.numbered(line_no, *found)
            else:
                self.unnumbered(k, line_no, line)
        self.end_collecting()
        return self.root

    def collect(self, line: str, found) -> bool:
        """Take ``line`` into the context field being read, if it belongs there: a numbered
        line below the item without an assignment of its own, or a line of its text."""
        node = self.collecting[0]
        if found and found[0] > node.rank and not split_fields(found[3])[1]:
            self.collecting[3].append(found[1] + found[3])
            return True
        if not found and self.collecting[3] and not split_fields(line)[1]:
            self.collecting[3].append(line)
            return True
        self.end_collecting()
        return False

    def end_collecting(self) -> None:
        if self.collecting:
            node, role, label, lines = self.collecting
            if lines:
                node.fields.append((role, join_lines(lines)))
                node.last_role = role
            else:
                node.intro = label  # 具体措施： above items with assignments of their own
            self.collecting = None

    def open(self, node: Node) -> None:
        """Put ``node`` under the nearest open node of a higher level."""
        while self.stack[-1].rank >= node.rank:
            self.stack.pop()
        self.stack[-1].children.append(node)
        self.stack.append(node)

    def numbered(self, line_no: int, rank: float, printed: str, seq: str, rest: str) -> None:
        node = Node(rank, printed, seq, line_no)
        labels: list[str] = []
        head, fields = split_fields(rest, labels)
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
        following = _numbered(self.lines[k + 1][1], {}) if k + 1 < len(self.lines) else None
        node = self.stack[-1]
        if DATE_LINE.match(line) or (k + 1 < len(self.lines) and DATE_LINE.match(self.lines[k + 1][1])
                                     and not fields and _heading_like(line)):
            return  # the list's own 落款 and date (XX市民政局 / 2024年2月20日): no part of it
        if not head and len(fields) == 1 and not fields[0][1] and following:
            if fields[0][0] in W.ROLES:
                node.intro = line  # 责任单位： above 1. 2. …: an introduction, not an empty field
            else:
                self.collecting = (node, fields[0][0], line, [])
            return
        if fields and _heading_like(head) and following and following[2] in ("1", "一"):
            # 胖东来时代广场（责任单位：魏都区）above problems 1., 2., …: a heading of its own
            # between the levels: above the items it heads, below the heading above it
            self.open(Node(following[0] - 0.5, "", "", line_no, head=head, fields=list(fields), block_fields=False,
                           last_role=fields[-1][0], fix_labels=_fix(labels), unnumbered=True))
            return
        continuing = node.last_role in LIST_ROLES and not fields and head and (
            continues_list(head) or node.open_list)
        if (head and node.fields and node.fields[-1][1] and not fields and not continuing and node.rank >= 0
                and not re.search(r"[：:]", head) and _fields_follow(self.lines, k + 1)):
            # 操作间存在鼠粪。 / 整改责任单位：… after a finished problem: a problem without a number
            self.open(Node(node.rank, "", "", line_no, head=head))
            return
        if head:
            if not node.fields:
                node.body.append(head)
            elif continuing:
                node.fields.append((node.last_role, head))  # a long office list broken over lines
            elif _ASIDE_LINE.match(head):
                node.asides.append(head)  # （具体方案由…另行制定） under a task: its 备注
            else:
                node.late.append((line_no, head))
        if fields:
            node.fields.extend(fields)
            node.last_role = fields[-1][0]
            node.block_fields = node.block_fields and not head
            node.fix_labels = node.fix_labels or _fix(labels)
        # 责任单位：A、B、 — the list goes on on the next line
        node.open_list = bool(fields or continuing) and line.rstrip().endswith(("、", "，", ","))


def _fields_follow(lines: list[tuple[int, str]], start: int) -> bool:
    """Whether an assignment of its own comes next (office lines, before any numbered
    line): what an unnumbered item has."""
    for _, line in lines[start:start + 6]:
        if _numbered(line, {}):
            return False
        head, fields = split_fields(line)
        if fields and not clean_text(head) and any(role in LIST_ROLES for role, _ in fields):
            return True
    return False


def _has_fields(node: Node) -> bool:
    return bool(node.fields) or any(_has_fields(c) for c in node.children)


def _lift_shared(node: Node) -> None:
    """One assignment written on its own lines after the last of several items
    none of which has its own (``（1）…（2）…`` then ``责任单位：…``) belongs to them all:
    it moves to their parent, which hands it on (a task takes them into its text,
    a heading gives it to each)."""
    for child in node.children:
        _lift_shared(child)
    kids = node.children
    if not kids:
        return
    last = kids[-1]
    if (node.rank >= 0 and last.fields and last.block_fields and not last.children
            and not any(_has_fields(c) for c in kids[:-1])
            and (len(kids) > 1 or node.fields)
            and not {role for role, _ in last.fields} & {role for role, _ in node.fields}):
        # XX超市（责任单位：…） 1.… 2.… 整改时限：…: the item's own bracket, and the rest after its items
        had_fields = bool(node.fields)
        node.fields, last.fields = node.fields + last.fields, []
        node.fields_after_children = True
        node.last_role, node.fix_labels = last.last_role, node.fix_labels or last.fix_labels
        if node.rank <= CATEGORY and not node.fix_labels and not had_fields:  # each item will carry them
            kids[0].shared_run = len(kids)
        return
    if len(kids) < 2 or node.fields:
        return
    # several groups under one heading, each numbered from 1 and closed by one assignment
    # (1. 2. 整改责任单位：A  1. 2. 3. 整改责任单位：B): each item of a group carries its group's
    for run in _runs(kids):
        end = run[-1]
        if (len(run) > 1 and end.fields and end.block_fields and not end.children
                and not any(_has_fields(c) for c in run[:-1])):
            for item in run[:-1]:
                item.fields = list(end.fields)
                item.last_role, item.fix_labels = end.last_role, end.fix_labels
            if not end.fix_labels:  # a list, not a problem list: say so, it may be a missing office
                run[0].shared_run = len(run)


def _runs(kids: list[Node]) -> list[list[Node]]:
    """Siblings cut into runs numbered 1, 2, 3 …: a new run at each 1."""
    runs: list[list[Node]] = []
    for kid in kids:
        if not runs or kid.seq in ("1", "一") or not kid.seq.isdigit():
            runs.append([kid])
        else:
            runs[-1].append(kid)
    return runs


def _heading_offices(node: Node) -> list[tuple[str, str]]:
    return heading_assignment(heading_name(node.head)[0])


def _is_prose(name: str) -> bool:
    """总体要求, 保障措施, 总体要求和主要目标 …: a 方案's section of prose (not 加强组织领导)."""
    return all(piece in W.PROSE_HEADINGS for piece in re.split(r"[和及与、]", name))


class _Reader:
    def __init__(self, items: ItemList, task_rank: int | None, root: Node) -> None:
        self.items = items
        self.root = root
        self.doc_rank = self.task_rank = task_rank
        self.part_numbers: dict[int, int] = {}
        self.noted: set[int] = set()

    def walk(self, node: Node, heads: list[Node], shared: list[tuple[str, str]]) -> None:
        at_task_level = any(c.fields for c in node.children)
        for child in node.children:
            if node.rank < 0:
                # the level tasks have is a part's own: a leader's list of （一）（二） with no
                # assignment stands beside a part whose 1. items carry theirs
                self.task_rank = _min_task_rank(child) if child.children else self.doc_rank
            if child.fields:
                inherited = [*shared, *child.fields]
                if child.children and any(_has_fields(g) for g in child.children):
                    # an item with its own assignment and items below with theirs (（一）… then
                    # 具体措施：1.… 2.…): a task, and the category of the ones below
                    self.task(child, heads, shared, own_text_only=True)
                    self.walk(child, [*heads, child], shared)
                elif child.children and (child.unnumbered or (
                        child.fields_after_children or _heading_like(child.head)) and (
                        child.rank <= CATEGORY or child.fix_labels)):
                    for grandchild in child.children:  # a group of problems sharing one assignment
                        self.task(grandchild, [*heads, child], inherited)
                else:
                    self.task(child, heads, inherited)
            elif _has_fields(child):
                self.walk(child, [*heads, child], [*shared, *_heading_offices(child)])
            elif at_task_level:
                self.task(child, heads, shared)  # a task whose assignment is missing
            elif _is_prose(heading_name(child.head)[0]) or any(_is_prose(heading_name(h.head)[0]) for h in heads):
                self.prose(child)
            elif child.children:
                self.walk(child, [*heads, child], [*shared, *_heading_offices(child)])
            elif self.task_rank is None or child.rank >= self.task_rank:
                self.task(child, heads, shared)
            else:
                self.prose(child)

    def prose(self, node: Node) -> None:
        name = heading_name(node.head)[0]
        self.items.problems.append(Problem(W.P_WHERE_LINE.format(line=node.line),
                                           W.P_PROSE.format(text=shorten(node.number + name, 20))))

    def task(self, node: Node, heads: list[Node], shared: list[tuple[str, str]],
             own_text_only: bool = False) -> None:
        part_head = heads[0] if heads and heads[0].rank <= PART else None
        inner = [h for h in heads if h is not part_head]
        part = heading_name(part_head.head)[0] if part_head else ""
        category = heading_name(inner[-1].head)[0] if inner else ""
        part_no = self.part_numbers.setdefault(id(part_head), len(self.part_numbers) + 1)
        notes = []
        for h in heads:
            if id(h) not in self.noted:
                self.noted.add(id(h))
                rest = heading_name(h.head)[1]
                notes.extend(x for x in ([h.intro] if h.is_task else [rest, *h.body, h.intro]) if x)
                if not h.is_task:
                    for line, text in h.late:
                        self._late(line, text, h)
        node.is_task = True
        notes.extend(node.asides)
        if node.shared_run:
            self.items.problems.append(Problem(W.P_WHERE_LINE.format(line=node.line),
                                               W.P_SHARED_FIELDS.format(n=node.shared_run)))
        lines = node.text_lines()
        for sub in () if own_text_only else _descendants(node):
            lines.extend([sub.number + (sub.head or ""), *sub.body])
            for line, text in sub.late:
                self._late(line, text, sub)
        for line, text in node.late:
            self._late(line, text, node)
        parent = heads[-1] if heads else None
        siblings = (parent or self.root).children
        at = next((i for i, s in enumerate(siblings) if s is node), 0)
        after = siblings[at - 1].seq if at and not siblings[at - 1].is_task else ""
        item = Item(part_no, part, category, node.seq, lines, group=id(parent), level=node.rank, after=after,
                    notes=notes,
                    where=W.P_WHERE_LINE.format(line=node.line))
        roles_here = {role for role, _ in node.fields}
        for role, value in [*node.fields, *((r, v) for r, v in shared if r not in roles_here)]:
            item.add(role, value)
        self.items.items.append(item)

    def _late(self, line: int, text: str, node: Node) -> None:
        if node.rank < 0:
            message = W.P_LINE_IGNORED.format(text=shorten(text))
        else:
            message = W.P_LINE_AFTER_FIELDS.format(text=shorten(text), task=node.line)
        self.items.problems.append(Problem(W.P_WHERE_LINE.format(line=line), message))


def _descendants(node: Node):
    for child in node.children:
        yield child
        yield from _descendants(child)


def _min_task_rank(node: Node) -> int | None:
    ranks = [c.rank for c in _descendants(node) if c.fields]
    return min(ranks) if ranks else None


def read_paragraphs(lines: list[tuple[int, str]]) -> ItemList:
    """Items from the paragraph form.  ``lines``: (line number, text) from where the
    list starts (after any covering notice)."""
    items = ItemList()
    cleaned = [(n, clean_text(t)) for n, t in lines]
    cleaned = [(n, t) for n, t in cleaned if t and not PAGE_NOISE.match(t)]
    tree = _Tree(cleaned)
    root, problems = tree.build(), tree.problems
    items.title_lines = root.text_lines()
    items.problems.extend(problems)
    _lift_shared(root)
    reader = _Reader(items, _min_task_rank(root), root)  # the rank for items at the top; each part has its own
    reader.walk(root, [], [])
    for line, text in root.late:
        reader._late(line, text, root)
    return items
