"""The paragraph form of a list: numbered lines, their text and their assignments.

outline.py reads the lines into a tree by their numbering, in the order official
documents use it: ``第一部分`` > ``一、`` > ``（一）`` > ``1.`` > ``（1）`` > ``①``; text
lines and field lines (``责任单位：…``) belong to the numbered line above them.
Then, here:

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

Lines are joined first where a bracket or a value runs on (``（牵头单位：…、`` /
``…）``, ``完成时限：`` / ``2024年12月31日``), split where one paragraph holds its
own sub-items (``深化改革。（1）…（2）…``); the list's closing 落款 and date are no
part of it.  docs/design.md says the whole reading in order.
"""

from __future__ import annotations

import re

from . import words as W
from .fields import LIST_ROLES, bracket_inner, split_fields
from .items import (
    Item,
    ItemList,
    clean_text,
    heading_assignment,
    heading_like,
    heading_name,
    join_lines,
    shorten,
)
from .model import Problem
from .outline import CATEGORY, PAGE_NOISE, PART, Node, Tree, descendants


def _items_as_values(node: Node) -> None:
    """整改措施： followed by （1）（2） that carry no assignment of their own: they are the
    value of that field (the assignment after them is their parent's), not items."""
    for child in node.children:
        _items_as_values(child)
    ends = [at for at, _, _ in node.intros[1:]] + [len(node.children)]
    values: list[tuple[str, str]] = []
    for k in reversed(range(len(node.intros))):  # from the last, so the earlier ones' places hold
        at, _, role = node.intros[k]
        below = node.children[at:ends[k]]
        if not role or not below or any(_has_fields(c) for c in below[:-1]) or below[-1].children:
            continue
        last = below[-1]
        if last.fields and last.block_fields and ends[k] == len(node.children):
            # the assignment after the measures is the item's
            node.fields, last.fields = node.fields + last.fields, []
            node.fields_after_children = True
            node.last_role, node.fix_labels = last.last_role, node.fix_labels or last.fix_labels
        if not last.fields:
            lines = [piece for c in below for piece in [c.number + c.head, *c.body,
                                                         *(d.number + d.head for d in descendants(c))] if piece]
            values.insert(0, (role, join_lines(lines)))
            del node.children[at:ends[k]]
            del node.intros[k]  # (the later ones, done already, keep only their line for 备注)
    node.fields.extend(values)


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
            and (len(kids) > 1 or {role for role, _ in node.fields} - {W.FIELD_BRACKET})
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
    # several groups under one heading, each closed by one assignment on lines of its own
    # (1. 2. 整改责任单位：A  1. 2. 3. 整改责任单位：B, or numbered on: 3. 4. 整改责任单位：B):
    # each item of a group takes what its group's says and it does not say itself (an item
    # may carry its own 整改时限 and share the group's office)
    for run in _runs(kids):
        end = run[-1]
        if (len(run) > 1 and not end.children and {role for role, _ in end.block} & LIST_ROLES
                and not any(c.children or {role for role, _ in c.fields} & (LIST_ROLES | {W.FIELD_BRACKET})
                            for c in run[:-1])):  # (a task's own （市国资委） is its office)
            own = {role for c in run[:-1] for role, _ in c.fields}
            had_own = bool(own)
            order = [role in own for role, _ in end.block]
            if had_own and order != sorted(order, reverse=True):
                # 2.… 完成时限：… / 3.… 责任单位：… 完成时限：…: the office comes before what the
                # others say themselves — it is the last item's own, not the group's
                continue
            for item in run[:-1]:
                roles = {role for role, _ in item.fields}
                item.fields = item.fields + [(role, value) for role, value in end.block if role not in roles]
                item.last_role, item.fix_labels = end.last_role, item.fix_labels or end.fix_labels
            if not end.fix_labels or had_own:  # not a plain problem list: say so, it may be a missing office
                run[0].shared_run = len(run)
                run[0].shared_offices_only = had_own


def _runs(kids: list[Node]) -> list[list[Node]]:
    """Siblings cut into groups: a new group at each 1, and after each item closed by an
    office on a line of its own."""
    runs: list[list[Node]] = []
    closed = True
    for kid in kids:
        if closed or kid.seq in ("1", "一") or not kid.seq.isdigit():
            runs.append([kid])
        else:
            runs[-1].append(kid)
        closed = bool({role for role, _ in kid.block} & LIST_ROLES)
    return runs


def _group(role: str) -> str:
    """Roles that name the same thing: the offices (lead, responsible, bracket), the
    helpers, the leader, the timing …"""
    return W.FIELD_OFFICE if role in (W.FIELD_LEAD_OFFICE, W.FIELD_OFFICE, W.FIELD_BRACKET) else role


def _inherit(outer: list[tuple[str, str]], inner: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``inner`` (a task's own fields, or a heading's nearer than ``outer``) with what
    ``outer`` says of the things ``inner`` does not: a list-wide 责任处室 does not join a
    task's own 牵头单位, an outer leader gives way to an inner one.  A task that names its
    lead or responsible office takes none of the outer helpers either; one that names
    only helpers takes the outer lead.  An outer bracket of office names is an office."""
    said = {_group(role) for role, _ in inner}
    if W.FIELD_OFFICE in said:
        said.add(W.FIELD_HELP_OFFICE)
    kept = [(W.FIELD_OFFICE, bracket_inner(v)) if r == W.FIELD_BRACKET else (r, v)
            for r, v in outer if _group(r) not in said]
    return [*inner, *kept]


def _gives_offices(node: Node) -> bool:
    """A heading (一、加强党的建设（机关党委牵头）, a unit's name, its own 责任单位 line) whose
    assignment is only who answers: the items below take it, it is no task."""
    return (node.rank <= CATEGORY and heading_like(node.head) and not node.head.rstrip().endswith(("。", "."))
            and not node.body and {role for role, _ in node.fields} <= LIST_ROLES
            # (when every item below names its own office, the heading's is its own: a task)
            and any(not _names_office(c) for c in node.children))


def _names_office(node: Node) -> bool:
    return any(_group(role) == W.FIELD_OFFICE for role, _ in node.fields)


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
        self.positions: dict[int, dict[int, int]] = {}

    def walk(self, node: Node, heads: list[Node], shared: list[tuple[str, str]]) -> None:
        at_task_level = any(c.fields for c in node.children)
        for child in node.children:
            if child.fields and {role for role, _ in child.fields} == {W.FIELD_BRACKET} and any(
                    _has_fields(g) for g in child.children):
                # 一、加强党的建设（政策法规处） above items: the office of those that name none
                office = [(W.FIELD_OFFICE, bracket_inner(value)) for _, value in child.fields]
                self.walk(child, [*heads, child], _inherit(shared, office))
                continue
            if node.rank < 0:
                # the level tasks have is a part's own: a leader's list of （一）（二） with no
                # assignment stands beside a part whose 1. items carry theirs
                self.task_rank = _min_task_rank(child) if child.children else self.doc_rank
            if child.fields:
                inherited = _inherit(shared, child.fields)
                if child.children and any(_has_fields(g) for g in child.children) and _gives_offices(child):
                    # 一、区教育局（整改责任单位：区教育局） above 1.…（整改时限：…）: a heading that
                    # names who answers for the items below (said when some name their own)
                    taking = sum(1 for g in child.children if not _names_office(g))
                    if taking < len(child.children):
                        self.items.problems.append(Problem(W.P_WHERE_LINE.format(line=child.line),
                                                           W.P_HEADING_OFFICES.format(n=taking)))
                    self.walk(child, [*heads, child], inherited)
                elif child.children and any(_has_fields(g) for g in child.children):
                    # an item with its own assignment and items below with theirs (（一）… then
                    # 具体措施：1.… 2.…): a task, and the category of the ones below
                    self.task(child, heads, shared, own_text_only=True)
                    self.walk(child, [*heads, child], shared)
                elif child.children and (
                        child.unnumbered
                        or child.rank <= CATEGORY and (child.fields_after_children or heading_like(child.head))
                        or child.fix_labels and child.fields_after_children):
                    for grandchild in child.children:  # a group of problems sharing one assignment
                        self.task(grandchild, [*heads, child], inherited)
                else:
                    self.task(child, heads, inherited)
            elif _has_fields(child):
                self.walk(child, [*heads, child], _inherit(shared, _heading_offices(child)))
            elif at_task_level:
                self.task(child, heads, shared)  # a task whose assignment is missing
            elif _is_prose(heading_name(child.head)[0]) or any(_is_prose(heading_name(h.head)[0]) for h in heads):
                self.prose(child)
            elif child.children:
                self.walk(child, [*heads, child], _inherit(shared, _heading_offices(child)))
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
                intros = [line for _, line, _ in h.intros]
                notes.extend(x for x in (intros if h.is_task else [rest, *h.body, *intros, *h.asides]) if x)
                if not h.is_task:
                    for line, text in h.late:
                        self._late(line, text, h)
        node.is_task = True
        notes.extend(node.asides)
        if node.shared_run:
            self.items.problems.append(Problem(W.P_WHERE_LINE.format(line=node.line),
                                               (W.P_SHARED_OFFICES if node.shared_offices_only
                                                else W.P_SHARED_FIELDS).format(n=node.shared_run)))
        lines = node.text_lines()
        for sub in () if own_text_only else descendants(node):
            lines.extend([sub.number + (sub.head or ""), *sub.body])
            for line, text in sub.late:
                self._late(line, text, sub)
        for line, text in node.late:
            self._late(line, text, node)
        parent = heads[-1] if heads else None
        siblings = (parent or self.root).children
        if id(siblings) not in self.positions:  # (looked up once per parent: 10,000 items stay linear)
            self.positions[id(siblings)] = {id(s): i for i, s in enumerate(siblings)}
        at = self.positions[id(siblings)].get(id(node), 0)
        after = siblings[at - 1].seq if at and not siblings[at - 1].is_task else ""
        item = Item(part_no, part, category, node.seq, lines, group=id(parent), level=node.rank, after=after,
                    notes=notes,
                    where=W.P_WHERE_LINE.format(line=node.line))
        own = node.fields
        if {role for role, _ in own} & LIST_ROLES == set():
            # 1.推进重大项目建设。（县财政局）: the bracket is its office (with a labelled office of
            # its own the bracket stays text)
            own = [(W.FIELD_OFFICE, bracket_inner(v)) if r == W.FIELD_BRACKET else (r, v) for r, v in own]
        # what the headings and the list's top say fills only what the task does not say itself
        for role, value in _inherit(shared, own):
            item.add(role, value)
        self.items.items.append(item)

    def _late(self, line: int, text: str, node: Node) -> None:
        if node.rank < 0:
            message = W.P_LINE_IGNORED.format(text=shorten(text))
        else:
            message = W.P_LINE_AFTER_FIELDS.format(text=shorten(text), task=node.line)
        self.items.problems.append(Problem(W.P_WHERE_LINE.format(line=line), message))


def _min_task_rank(node: Node) -> int | None:
    ranks = [c.rank for c in descendants(node) if c.fields]
    return min(ranks) if ranks else None


def read_paragraphs(lines: list[tuple[int, str]]) -> ItemList:
    """Items from the paragraph form.  ``lines``: (line number, text) from where the
    list starts (after any covering notice)."""
    items = ItemList()
    cleaned = [(n, clean_text(t)) for n, t in lines]
    cleaned = [(n, t) for n, t in cleaned if t and not PAGE_NOISE.match(t)]
    tree = Tree(cleaned)
    root, problems = tree.build(), tree.problems
    items.title_lines = root.text_lines()
    items.problems.extend(problems)
    _items_as_values(root)
    _lift_shared(root)
    reader = _Reader(items, _min_task_rank(root), root)  # the rank for items at the top; each part has its own
    reader.walk(root, [], _list_wide(root, tree.top, items))
    for line, text in root.late:
        reader._late(line, text, root)
    return items


_LIST_WIDE = LIST_ROLES | {W.FIELD_SCHEDULE}


def _list_wide(root: Node, top: list[tuple[int, str]], items: ItemList) -> list[tuple[str, str]]:
    """What stands above the first numbered line, besides the title: an assignment there
    (牵头领导：… 责任处室：… under the title) is the whole list's, handed to every task that
    names none; sentences (为深入贯彻…，现制定如下清单。) are the list's preamble.  Both are said.
    A label that comes again further down, with only items without it after that (责任领导：
    张局长 / 1. 2. / 责任领导：李副局长 / 3. 4.), heads groups: which items it covers cannot be
    told, so it is said and left out."""
    nodes = list(descendants(root))
    heads_groups = {role for role in {r for r, _ in root.fields} for i, node in enumerate(nodes[:-1])
                    if role in {r for r, _ in node.block}
                    and not any(role in {r for r, _ in later.fields} for later in nodes[i + 1:])}
    shared = [(role, value) for role, value in root.fields
              if role in _LIST_WIDE and value and role not in heads_groups]
    first_field = next((n for n, line in top if split_fields(line)[1]), None)
    if shared and first_field is not None:
        labels = W.LIST_JOIN.join(dict.fromkeys(clean_text(line).split("：")[0].split(":")[0] for n, line in top
                                         if {r for r, _ in split_fields(line)[1]} - heads_groups))
        items.problems.append(Problem(W.P_WHERE_LINE.format(line=first_field), W.P_LIST_FIELDS.format(text=labels)))
    body = set(root.body)
    preamble = 0
    for n, line in top:
        text = clean_text(line)
        head, fields = split_fields(text)
        if not fields and len(text) > 15 and re.search(r"[。，,；;]", text) and text in body:
            preamble += 1
            if preamble <= _PREAMBLE_SAID:
                items.problems.append(Problem(W.P_WHERE_LINE.format(line=n), W.P_PREAMBLE.format(text=shorten(text))))
        elif fields and not {role for role, _ in fields} & (_LIST_WIDE - heads_groups):
            said = W.P_TOP_LABEL_AGAIN if {role for role, _ in fields} & heads_groups else W.P_LINE_IGNORED
            items.problems.append(Problem(W.P_WHERE_LINE.format(line=n), said.format(text=shorten(text))))
    if preamble > _PREAMBLE_SAID:
        items.problems.append(Problem(W.P_WHERE_TEXT, W.P_PREAMBLE_MORE.format(n=preamble - _PREAMBLE_SAID)))
    return shared


_PREAMBLE_SAID = 5  # preamble lines said one by one; beyond them, how many more
