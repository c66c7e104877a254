"""The table form of a list: a header row found by its words, then a row per task.

Columns are found by the words of their header, not their place: 序号, the task
(the most specific task word present: 工作任务 before 具体措施), the fields
(牵头领导, 责任单位, 完成时限 …), context columns (工作目标, 具体措施, 整改措施 …
when the task is another column), part and category.  Rows merged across the
table (``一、…``, ``（一）…``) are parts and categories; a category column merged
down carries on; a row whose task cell is empty adds its offices or deadline to
the task above.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import groupby
from pathlib import Path

from . import numerals
from . import words as W
from .fields import LIST_ROLES, OFFICE_ROLES
from .items import CATEGORY, PART, SECTION, Item, ItemList, clean_text, heading_like, heading_name, join_lines, shorten
from .model import Problem
from .outline import NEXT_ATTACHMENT, PAGE_NOISE
from .sources import Source, Table

HEADER_SCAN_ROWS = 30
_CN_NUM = numerals.CHARS
_HEADING_COLUMNS = {None, W.COL_SEQ, W.COL_PART, W.COL_CATEGORY}
_FIELD_ROLES = (W.FIELD_LEADER, W.FIELD_LEAD_OFFICE, W.FIELD_OFFICE, W.FIELD_HELP_OFFICE, W.FIELD_SCHEDULE,
                W.FIELD_NOTE)
_LEADING_NUMBER = re.compile(r"^\s*(?:(\d{1,3})\s*[.．、]|[（(]\s*(\d{1,3})\s*[)）])\s*(?=\S)")
_WORDS_LONGEST_FIRST = sorted(W.TABLE_HEADER_WORDS, key=len, reverse=True)


def header_key(text: str) -> str:
    return re.sub(r"\s+", "", clean_text(text))


@lru_cache(maxsize=4096)  # the same header texts, and the cells of every row, are asked again and again
def _header_word(text: str) -> str | None:
    """The known header word a cell holds: the whole cell, or the longest word inside
    it (责任处室（单位）, 时间进度安排及完成时限 …)."""
    key = header_key(text)
    if not key:
        return None
    if key in W.TABLE_HEADER_WORDS:
        return key
    for word in _WORDS_LONGEST_FIRST:
        if len(word) >= 2 and word in key and len(key) <= len(word) + 8 and word not in W.BRACKET_ONLY_LABELS:
            return word
    return None


def _row_words(row: list[str]) -> dict[int, str]:
    return {c: word for c, cell in enumerate(row) if (word := _header_word(cell))}


def _roles(words: dict[int, str], names: dict[int, str]) -> dict[int, str]:
    """column → role.  Of several task columns the one whose header is a task word (not
    one that only holds it: 重点工作 before 工作任务安排), then the most specific, is the
    task; the others are context columns under their own header (具体措施 beside 重点任务)."""
    roles = {c: W.TABLE_HEADER_WORDS[w] for c, w in words.items()}
    tasks = [c for c, r in roles.items() if r == W.COL_TASK]
    if len(tasks) > 1:
        # (重点任务（项目）, 工作任务（目标） are the word itself, with a gloss)
        best = min(tasks, key=lambda c: (re.sub(r"[（(][^）)]*[）)]", "", names[c]) != words[c],
                                         W.TASK_HEADER_WORDS.index(words[c])))
        for c in tasks:
            if c != best:
                roles[c] = names[c]
    return roles


def find_header(rows: list[list[str]]) -> tuple[int, dict[int, str], int] | None:
    """(header row index, column → role, first data row) among the first rows, if any.

    A header over two rows (``责任分工`` above ``牵头领导 | 责任处室``) counts as one:
    the lower row's words fill the columns the upper row leaves unnamed.  A column
    whose header is no known word keeps its header as its role: a context column."""
    found = _known_header(rows)
    if found is None:
        return None
    r, roles, data = found
    names = [header_key(c) for c in rows[r]]
    if data == r + 2:
        names = [a or header_key(b) for a, b in zip(names, rows[r + 1] + [""] * len(names))]
    elif data < len(rows) and (lower := _spanned_below(names, rows[data])):
        # 2025年进展情况 over 截至6月底进展 | 7月工作计划: the lower words name those columns
        for c, name in lower.items():
            names[c] = name
            word = _header_word(name)
            roles[c] = W.TABLE_HEADER_WORDS[word] if word else name
        data += 1
    _numbers_under_a_repeated_header(names, roles, rows[data:])
    _grouping_under_a_repeated_header(names, roles, rows[data:])
    _grouping_before_the_task(names, roles, rows[data:])
    taken = set(roles.values())
    for c, name in enumerate(names):
        if name in W.RESERVED_HEADERS and (c not in roles or roles[c] not in W.ROLES):
            name = W.CONTEXT_RENAMED.format(name=name)  # 进展情况 of the source is not the form's
        elif c in roles:
            continue
        if name and name not in taken and not name.isdigit():
            roles[c] = name
            taken.add(name)
    return r, roles, data


def _spanned_below(names: list[str], row: list[str]) -> dict[int, str]:
    """The second row of a header whose upper cells span several columns: column → its
    own word, when the row repeats the header elsewhere (cells merged down) and differs
    only under the spanning cells.  {} when the row is no header row."""
    lower = [header_key(c) for c in row] + [""] * max(0, len(names) - len(row))
    spanned = {c for c, name in enumerate(names) if name and names.count(name) > 1}
    differs = {c: lower[c] for c in range(len(names)) if lower[c] and lower[c] != names[c]}
    if differs and set(differs) <= spanned and all(lower[c] in ("", names[c]) for c in range(len(names))
                                                   if c not in differs):
        return differs
    return {}


def _numbers_under_a_repeated_header(names: list[str], roles: dict[int, str], rows: list[list[str]]) -> None:
    """工作任务 merged over two columns, the second holding 1, 2, 3 …: that one is 序号."""
    if W.COL_SEQ in roles.values():
        return
    for c, name in enumerate(names):
        if name and names.count(name) > 1 and names.index(name) != c:
            values = [clean_text(row[c]) for row in rows if c < len(row) and clean_text(row[c])]
            if values and all(v.isdigit() and len(v) <= 3 for v in values):
                roles[c] = W.COL_SEQ
                return


def _grouping_before_the_task(names: list[str], roles: dict[int, str], rows: list[list[str]]) -> None:
    """序号 | 指标 | 工作任务 …, 指标 merged down over its tasks (公共文化服务 × 4): a column of no
    known name standing just before the task column, every value of which repeats down a
    run of rows, groups the tasks — their category."""
    if W.COL_CATEGORY in roles.values() or W.COL_TASK not in roles.values():
        return
    c = min(k for k, r in roles.items() if r == W.COL_TASK) - 1
    if c < 0 or c in roles or not names[c]:
        return
    cells = [clean_text(row[c]) if c < len(row) else "" for row in rows]
    tasks = [row for row in rows if any(clean_text(x) for x in row)]
    runs = [sum(1 for _ in g) for v, g in groupby(cells) if v]
    if len(tasks) >= 2 and runs and all(n >= 2 for n in runs) and len(runs) < len(tasks):
        roles[c] = W.COL_CATEGORY


def _grouping_under_a_repeated_header(names: list[str], roles: dict[int, str], rows: list[list[str]]) -> None:
    """具体点位 over two columns, the first merged down (滨江街道辖区) beside the places: the
    first is the category; the second keeps the header's name."""
    if W.COL_CATEGORY in roles.values():
        return
    for c, name in enumerate(names):
        d = c + 1
        if c in roles or d >= len(names) or d in roles or not name or names[d] != name:
            continue
        first = [clean_text(row[c]) if c < len(row) else "" for row in rows]
        if any(a and a == b for a, b in zip(first, first[1:])):
            roles[c] = W.COL_CATEGORY
        return


def _known_header(rows: list[list[str]]) -> tuple[int, dict[int, str], int] | None:
    best: tuple[int, dict[int, str]] | None = None
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        words = _row_words(row)
        distinct = {W.TABLE_HEADER_WORDS[w] for w in words.values()}
        if len(distinct) >= 2 and (best is None or len(distinct) > len({W.TABLE_HEADER_WORDS[w]
                                                                           for w in best[1].values()})):
            best = (r, words)
    if best is None:
        return None
    r, words = best
    names = {c: header_key(rows[r][c]) for c in words}
    below = _row_words(rows[r + 1]) if r + 1 < len(rows) else {}
    if below and not set(below) & set(words):
        names.update({c: header_key(rows[r + 1][c]) for c in below})
        return r, _roles({**words, **below}, names), r + 2
    return r, _roles(words, names), r + 1


def _looks_like_heading(text: str) -> bool:
    return bool(PART.match(text) or SECTION.match(text) or CATEGORY.match(text)) or text.endswith(W.PART_SUFFIX)


def _heading_kind(text: str) -> tuple[str, str]:
    """('part' | 'category', name) for a heading row's text."""
    if m := PART.match(text):
        return "part", heading_name(m[2])[0]
    if m := CATEGORY.match(text):
        return "category", heading_name(m[2])[0]
    if text.endswith(W.PART_SUFFIX):
        return "part", text
    return "category", heading_name(text)[0]


def _read_table(table: Table, header_row: int, roles: dict[int, str], data_row: int, items: ItemList) -> None:
    """Fill ``items`` from the rows of one table below its header row."""
    rows = table.rows
    header = [header_key(c) for c in rows[header_row]]
    roles, fallback = _task_merged_down(rows[data_row:], roles, header)
    has_seq = W.COL_SEQ in roles.values()
    if not items.items:  # title rows above the first table's header
        for r, row in enumerate(rows[:header_row]):
            for text in dict.fromkeys(clean_text(c) for c in row):
                if _FORM_INFO.match(text):
                    items.problems.append(Problem(W.P_WHERE_ROW_OF.format(sheet=table.name, row=r + 1),
                                                  W.P_FORM_INFO.format(text=text)))
                elif text:
                    items.title_lines.append(text)

    def value(row: list[str], role: str) -> str:
        # a line break inside an office or leader cell separates names; inside text it does not
        join = _names if role in LIST_ROLES else join_lines  # a line break in their cell separates names
        values = [join([clean_text(x) for x in row[c].splitlines() if clean_text(x)])
                  for c, r in sorted(roles.items()) if r == role and c < len(row)]
        return W.VALUE_JOIN.join(dict.fromkeys(v for v in values if v))

    context = [r for r in dict.fromkeys(roles.values()) if r not in W.ROLES]

    part_row = ""  # where a part row is whose office no task has taken yet

    def unused() -> None:
        if part_row and items.part_fields:
            names = W.LIST_JOIN.join(text for _, text in items.part_fields)
            items.problems.append(Problem(part_row, W.P_PART_ROW_UNUSED.format(text=names)))

    last: Item | None = None  # the item of the row above, for continuation rows
    filled_context: set[str] = set()
    body = rows[data_row:]
    for index, row in enumerate(body):
        texts = [clean_text(c) for c in row]
        distinct = list(dict.fromkeys(t for t in texts if t))
        if not distinct or [header_key(c) for c in row] == header:
            continue
        where = W.P_WHERE_ROW_OF.format(sheet=table.name, row=data_row + index + 1)
        if items.items and (len(distinct) == 1 and NEXT_ATTACHMENT.match(distinct[0])
                            or len({W.TABLE_HEADER_WORDS[w] for w in _row_words(row).values()}) >= 3):
            # 附件2 in the sheet, or the header of another table below this one: not this list
            items.problems.append(Problem(where, W.P_NEXT_TABLE.format(text=W.LIST_JOIN.join(distinct[:4]))))
            break
        task, seq = value(row, W.COL_TASK), value(row, W.COL_SEQ)
        if distinct == [seq] and seq.isdigit() and sum(1 for t in texts if t) == 1:
            items.problems.append(Problem(where, W.P_SEQ_ONLY.format(seq=seq)))  # 2 | | |: a row left empty
            continue
        if re.sub(r"\s+", "", distinct[0]) in W.TOTAL_WORDS or re.sub(r"\s+", "", task) in W.TOTAL_WORDS:
            items.problems.append(Problem(where, W.P_TOTAL_ROW.format(text=W.LIST_JOIN.join(distinct[:4]))))
            continue
        if (len(distinct) == 1 and _FOOTNOTE.match(distinct[0]) and items.items
                and not any(value(r, W.COL_TASK) for r in body[index + 1:])):
            # 注：以上任务纳入年度考核。 under the table: of the whole table, not of its last task
            items.problems.append(Problem(where, W.P_FOOTNOTE.format(text=shorten(distinct[0]))))
            continue
        if all(_FORM_INFO.match(t) for t in distinct):
            items.problems.append(Problem(where, W.P_FORM_INFO.format(text=W.LIST_JOIN.join(distinct))))
            continue
        own_task = False
        if not task and fallback is not None and fallback < len(row) and clean_text(row[fallback]) and seq:
            task, own_task = join_lines(clean_text(row[fallback]).splitlines()), True  # its own 重点任务, no 具体措施
        filled = [c for c, t in enumerate(texts) if t]
        heading, part_fields = None, []
        # one text: merged across the row, alone in a column that can hold a
        # heading, or in the task column but shaped like one (一、… / （一）…)
        if len(distinct) == 1 and (not task or task == distinct[0]) and (
                len(filled) > 1 or roles.get(filled[0]) in _HEADING_COLUMNS
                or (roles.get(filled[0]) == W.COL_TASK and _looks_like_heading(distinct[0]))):
            heading = _heading_kind(distinct[0])
        elif len(distinct) == 1 and task and has_seq and _next_is_category(body, index + 1, value):
            # a text alone in the task cell, unnumbered where tasks are numbered, above a
            # （一） heading: the part those categories stand under
            heading = ("part", heading_name(task)[0])
        elif len(distinct) == 2 and seq and not (value(row, W.FIELD_SCHEDULE) or value(row, W.FIELD_OFFICE)):
            # 序号 cell "一" / "（一）" beside the heading text
            name = distinct[1] if distinct[0] == seq else distinct[0]
            if re.fullmatch(rf"[{_CN_NUM}]+[、.．]?", seq):
                heading = ("part", _heading_kind(name)[1])
            elif re.fullmatch(rf"[（(][{_CN_NUM}]+[)）]", seq):
                heading = ("category", _heading_kind(name)[1])
        elif (task and re.fullmatch(rf"[{_CN_NUM}]+[、.．]?", seq) and heading_like(task)
              and all(roles.get(c) in _PART_ROW_ROLES for c in filled) and _numbered_below(body, index + 1, value)):
            # 一 | 加强党的建设 | | 机关党委 above rows numbered 1, 2: a part, its office theirs
            # when they name none (a row with more in it — a goal, a deadline, a note — is a task)
            heading = ("part", _heading_kind(task)[1])
            part_fields = [(role, value(row, role)) for role in _FIELD_ROLES if value(row, role)]
        if heading:
            if heading[0] == "part":
                unused()
                items.new_part(heading[1], part_fields)
                part_row = where
            else:
                items.category = heading[1]
            last = None
            continue
        fields = {role: value(row, role) for role in (*_FIELD_ROLES, *context)}
        filled_context.update(r for r in context if fields[r])
        # a row that only adds offices or a deadline to the task above (its task
        # cell empty, or merged with the one above): one task, not two
        if last is not None and any(fields.values()) and (
                not task or (task == join_lines(last.text_lines) and seq in ("", last.seq))):
            for role, text in fields.items():
                if text not in last.fields.get(role, []):
                    last.add(role, text)
            continue
        if part := value(row, W.COL_PART):
            part = _heading_kind(part)[1]
            if part != items.part:
                items.new_part(part)
        if own_task and roles.get(fallback) == W.COL_CATEGORY:
            items.category = ""  # a task of its own, under no merged task
        elif category := value(row, W.COL_CATEGORY):
            items.category = _heading_kind(category)[1]
        if not task:
            continue
        if (m := _LEADING_NUMBER.match(task)) and (not seq or not has_seq or seq == (m[1] or m[2])):
            seq, task = m[1] or m[2], task[m.end():]  # 1.制定… in the task cell: its 序号
        last = items.new_item(seq, task)
        for role, text in fields.items():
            last.add(role, text)
        for role, text in items.heading_fields():
            if role not in last.fields and not (role != W.FIELD_LEADER and set(last.fields) & OFFICE_ROLES):
                last.add(role, text)
                if (role, text) in items.part_fields:
                    part_row = ""  # the part row's office went to a task
    unused()
    items.part_fields = []  # a part row's office is this table's
    kept = [name for name in context if name in filled_context]
    if kept:
        headers = "".join(W.QUOTE.format(name) for name in kept)
        items.problems.append(Problem(table.name, W.P_COLUMN_KEPT.format(headers=headers)))
    for name in context:
        if name not in filled_context:
            items.problems.append(Problem(table.name, W.P_COLUMN_EMPTY.format(header=name)))


_PART_ROW_ROLES = {W.COL_SEQ, W.COL_TASK, W.FIELD_LEADER, W.FIELD_LEAD_OFFICE, W.FIELD_OFFICE, W.FIELD_HELP_OFFICE}


def _numbered_below(rows: list[list[str]], start: int, value) -> bool:
    """Whether the next row with a 序号 numbers it in digits (1, 2 … under 一、)."""
    for row in rows[start:]:
        if seq := value(row, W.COL_SEQ):
            return seq.isdigit()
    return False


_FOOTNOTE = re.compile(r"^(?:注|备注|说明)\s*\d*\s*[：:]")
_FORM_INFO = re.compile(r"^(?:" + "|".join(W.FORM_INFO_LABELS) + r")\s*[：:]")


def _next_is_category(rows: list[list[str]], start: int, value) -> bool:
    """Whether the next row with text is a category heading: （一）… alone in its row,
    or （一） in the 序号 cell beside one text."""
    for row in rows[start:]:
        texts = list(dict.fromkeys(t for t in (clean_text(c) for c in row) if t))
        if texts:
            if len(texts) == 1:
                return bool(CATEGORY.match(texts[0]))
            seq = value(row, W.COL_SEQ)
            return len(texts) == 2 and bool(re.fullmatch(rf"[（(][{_CN_NUM}]+[)）]", seq))
    return False


_LABEL_END = "：: \t"


def _form_item(table: Table) -> Item | None:
    """A task laid out as a form, a label and its content on each row (重点工作： | 支持…;
    牵头单位： | 广州开发区管委会; 年度阶段性工作目标： | …): one task, the other rows its
    fields and context."""
    pairs = []
    for row in table.rows:
        cells = [clean_text(c) for c in row if clean_text(c)]
        if not cells:
            continue
        if len(cells) != 2:
            return None
        pairs.append((header_key(cells[0]).rstrip(_LABEL_END), row))
    tasks = [i for i, (label, _) in enumerate(pairs) if label in W.TASK_HEADER_WORDS and len(label) >= 2]
    if len(pairs) < 2 or len(tasks) != 1 or not any(label in W.FIELD_WORDS for label, _ in pairs):
        return None
    values = [join_lines([clean_text(x) for x in next(c for c in row if clean_text(c) and header_key(c).rstrip(
        _LABEL_END) != label).splitlines()]) for label, row in pairs]
    item = Item(1, "", "", "", [values[tasks[0]]], where=table.name)
    for i, (label, _) in enumerate(pairs):
        if i != tasks[0]:
            role = W.FIELD_WORDS.get(label) or (W.CONTEXT_RENAMED.format(name=label) if label in W.RESERVED_HEADERS
                                                else label)
            item.add(role, values[i])
    return item


def _longest_text_column(table: Table, header_row: int, roles: dict[int, str], data_row: int) -> int | None:
    """Of the columns with a header of their own (context), the one whose cells are
    longest on average — the tasks' text in a table that names its task column in words
    qingdan does not know — when the table also has offices or a deadline."""
    if not {W.FIELD_OFFICE, W.FIELD_LEAD_OFFICE, W.FIELD_SCHEDULE} & set(roles.values()):
        return None
    best, best_length = None, _TASK_TEXT_MIN
    for c, role in roles.items():
        if role in W.ROLES and role != W.COL_CATEGORY:  # (民生项目 reads as a 项目 column, a category)
            continue
        cells = [clean_text(row[c]) for row in table.rows[data_row:] if c < len(row) and clean_text(row[c])]
        length = sum(map(len, cells)) / len(cells) if cells else 0
        if length > best_length:
            best, best_length = c, length
    return best


def _names(lines: list[str]) -> str:
    """The lines of an office or leader cell as one list: a line starting with a bracket
    belongs to the line above (市安委办 / （工作专班办公室））; spaces padding a short
    name go (俞 悦)."""
    out: list[str] = []
    for line in lines:
        line = re.sub(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[（(])", "", line)
        if out and line[:1] in "（(":
            out[-1] += line
        elif re.fullmatch(r"[\u4e00-\u9fff](?:[ \u3000]+[\u4e00-\u9fff]){1,3}", line):
            out.append(re.sub(r"[ \u3000]+", "", line))
        else:
            out.append(line)
    return W.OFFICE_SEPARATOR.join(out)


def _task_merged_down(rows: list[list[str]], roles: dict[int, str],
                      header: list[str]) -> tuple[dict[int, str], int | None]:
    """When the task column repeats down the rows (merged: ``（一）制定工作任务清单``) while
    another text column changes row by row (``1.制定…``, ``2.制定…``), the rows are that
    column's tasks and the merged one is their category; a row where that column is
    empty (a 重点任务 without 具体措施) keeps its task from the merged column, whose index
    is returned for that.  A column of names or dates (责任人) is no such column.  A
    category column the table already has becomes the part, unless rows across the table
    name the parts: then it stays the category and the merged column is context under
    its own header."""
    task_cols = [c for c, r in roles.items() if r == W.COL_TASK]
    if not task_cols:
        return roles, None
    task = task_cols[0]
    others = [c for c, r in sorted(roles.items()) if c != task and (r == W.COL_TASK or r not in W.ROLES)]
    others.sort(key=lambda c: roles[c] not in W.TASK_HEADER_WORDS and roles[c] != W.COL_TASK)  # 子项目 first

    def cell(row, c):
        return clean_text(row[c]) if c < len(row) else ""

    data = [row for row in rows if len({t for t in (clean_text(v) for v in row) if t}) > 1]  # not heading rows
    for other in others:
        values = [v for row in data if cell(row, task) and (v := cell(row, other))]
        if not values or sum(map(len, values)) / len(values) < _TASK_TEXT_MIN:
            continue
        repeats = any(cell(a, task) and cell(a, task) == cell(b, task) and cell(a, other) != cell(b, other)
                      for a, b in zip(data, data[1:]))
        if repeats:
            new = dict(roles)
            new[task], new[other] = W.COL_CATEGORY, W.COL_TASK
            headed = len(data) < len([row for row in rows if any(clean_text(v) for v in row)])
            for c, r in roles.items():
                if r == W.COL_CATEGORY:
                    if W.COL_PART not in roles.values() and not headed:
                        new[c] = W.COL_PART
                    else:
                        new[c], new[task] = W.COL_CATEGORY, header[task] or W.H_TASK
            return new, task
    return roles, None


_TASK_TEXT_MIN = 8  # characters a task's text has on average; names and dates have fewer


def read_tables(path: Path, source: Source, skip: int = 0,
                notice: bool = False) -> tuple[ItemList | None, str | None]:
    """Table form: the tables with a task column, with any heading paragraphs
    between them; the first ``skip`` lines of text (a covering notice) are passed
    over, and — when there is a notice — every line before the first table is no
    heading (its own 一、二、 paragraphs).  Returns (items, None), or (None, why no
    table could serve)."""
    headers = {id(t): find_header(t.rows) for t in source.tables}
    guessed: list[Problem] = []
    for table in source.tables:
        found = headers[id(table)]
        if found and W.COL_TASK not in found[1].values() and (column := _longest_text_column(table, *found)):
            # 序号 | 民生实事 | 责任单位 | 完成时限: no task word, but one column holds the tasks' text
            name = found[1][column] if found[1][column] not in W.ROLES else header_key(table.rows[found[0]][column])
            found[1][column] = W.COL_TASK
            guessed.append(Problem(table.name, W.P_TASK_COLUMN_GUESSED.format(header=name)))
    usable = [t for t in source.tables if (h := headers[id(t)]) and W.COL_TASK in h[1].values()]
    forms = [item for t in source.tables if not usable and (item := _form_item(t))]
    if forms:
        items = ItemList()
        items.items.extend(forms)
        items.title_lines = [clean_text(b) for b in source.blocks if isinstance(b, str) and clean_text(b)]
        return items, None
    if not usable:
        for table in source.tables:
            if (found := headers[id(table)]) is not None:
                row, roles, _ = found
                names = W.LIST_JOIN.join(clean_text(table.rows[row][c]) for c in sorted(roles))
                return None, W.M_NO_TASK_COLUMN.format(path=path, sheet=table.name, row=row + 1, headers=names)
        return None, None
    items = ItemList()
    items.problems.extend(guessed)
    several_sheets = sum(1 for t in usable if t.is_sheet) > 1
    seen = 0
    first_table = next(i for i, b in enumerate(source.blocks) if any(b is t for t in usable))
    for index, block in enumerate(source.blocks):
        if isinstance(block, str):
            seen += 1
            if seen <= skip:
                continue
            if not (line := clean_text(block)) or PAGE_NOISE.match(line):
                continue
            if NEXT_ATTACHMENT.match(line) and items.items:
                items.problems.append(Problem(W.P_WHERE_TEXT, W.P_NEXT_ATTACHMENT.format(text=line)))
                break  # 附件2: another document
            if (notice and index < first_table) or not items.heading(line):
                items.loose_line(W.P_WHERE_TEXT, line)
        elif any(block is t for t in usable):
            if several_sheets:  # one part per sheet unless the sheet names its parts
                items.new_part(block.name)
            _read_table(block, *headers[id(block)], items)
    return items, None
