"""The records that flow through the cycle: document → tasks → master → …"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields

from . import words as W
from .offices import OfficeList


def has_placeholder(text: str) -> bool:
    """True when ``text`` still holds the redaction mark ``*``."""
    return any(mark in text for mark in W.PLACEHOLDERS)


def offices_of(tasks: list["Task"]) -> list[str]:
    """Every office named in the tasks' 责任处室, in order of first appearance
    (collective addressees such as 各有关单位 are no office)."""
    names: dict[str, None] = {}
    for task in tasks:
        names.update(dict.fromkeys(task.offices.respondents))
    return list(names)


@dataclass(frozen=True)
class Task:
    """One row of the master's 清单 sheet."""

    code: str  # 编号, e.g. 1-01
    part: str  # 清单
    category: str  # 类别
    seq: str  # 序号 as written in the document
    text: str  # 工作任务
    leader: str  # 牵头领导
    offices: OfficeList  # 责任处室
    schedule: str  # 时间进度安排, the original wording
    deadline: dt.date | None  # 完成时限
    kind: str  # 时限类型
    note: str = ""  # 备注
    extra: dict[str, str] = field(default_factory=dict)  # context columns (工作目标 …) → text

    def _cells(self) -> dict:
        return dict(zip(W.LIST_HEADERS, [
            self.code, self.part, self.category, self.seq, self.text, self.leader,
            self.offices.cell(), self.schedule, self.deadline, self.kind, self.note]))

    def cells(self, headers: list[str] | None = None) -> list:
        """The row of the 清单 sheet, in the order of ``headers`` (default words.LIST_HEADERS)."""
        values = self._cells()
        return [values[h] if h in values else self.extra.get(h, "") for h in (headers or W.LIST_HEADERS)]

    def named_cells(self) -> list[tuple[str, object]]:
        """(header, value) of every column this task fills, context columns included."""
        return [*self._cells().items(), *self.extra.items()]


def list_headers(tasks: list[Task]) -> list[str]:
    """The 清单 sheet's headers for these tasks: words.LIST_HEADERS, with the context
    columns any task fills (工作目标, 具体措施 …) after 工作任务."""
    present = list(dict.fromkeys(h for t in tasks for h in t.extra))
    at = W.LIST_HEADERS.index(W.H_TASK) + 1
    return W.LIST_HEADERS[:at] + present + W.LIST_HEADERS[at:]


@dataclass(frozen=True)
class Problem:
    """Something a person should check, found while reading; reported together."""

    where: str  # a 编号, or a line / row reference
    message: str


@dataclass
class ParsedList:
    """A responsibility list read from a document."""

    source: str  # the file name, for messages and the 日志
    title: str
    year: int | None
    tasks: list[Task] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    title_from: str = ""  # where the title came from, when not the list's own heading

    @property
    def parts(self) -> list[str]:
        """Part names in document order."""
        return list(dict.fromkeys(t.part for t in self.tasks))

    @property
    def offices(self) -> list[str]:
        """Every office named, in order of first appearance."""
        return offices_of(self.tasks)

    def categories(self, part: str | None = None) -> list[tuple[str, str]]:
        """(part, category) pairs in order; items outside any category are not one."""
        pairs = dict.fromkeys(
            (t.part, t.category) for t in self.tasks if t.category and (part is None or t.part == part)
        )
        return list(pairs)

    def todos(self) -> list[tuple[str, list[str]]]:
        """(what, 编号 list) of everything still to be filled in by hand; empty kinds left out."""
        checks = [
            (W.TODO_TASK_STAR, lambda t: has_placeholder(t.text)),
            (W.TODO_LEADER_STAR, lambda t: has_placeholder(t.leader)),
            (W.TODO_SCHEDULE_STAR, lambda t: has_placeholder(t.schedule)),
            (W.TODO_OFFICE_ETC, lambda t: t.offices.etc),
            (W.TODO_NO_OFFICE, lambda t: not t.offices.names),
            (W.TODO_COLLECTIVE, lambda t: bool(t.offices.collective)),
            (W.TODO_NO_SCHEDULE, lambda t: not t.schedule),
        ]
        found = [(label, [t.code for t in self.tasks if check(t)]) for label, check in checks]
        return [(label, codes) for label, codes in found if codes]

    def kind_counts(self) -> dict[str, int]:
        """时限类型 → number of tasks, every kind listed."""
        return {kind: sum(1 for t in self.tasks if t.kind == kind) for kind in W.DEADLINE_KINDS}


CODE_NUMBER = re.compile(r"^(.*-)(\d+)$")  # 编号 as its part and its number: 1- and 01


def compress_codes(codes: list[str]) -> str:
    """``1-01、1-02、1-03、2-05`` → ``1-01～1-03、2-05``: runs of three or more
    consecutive 编号 within one part are shortened."""
    runs: list[list[str]] = []
    for code in codes:
        m, prev = CODE_NUMBER.match(code), runs[-1][-1] if runs else None
        pm = CODE_NUMBER.match(prev) if prev else None
        if m and pm and m[1] == pm[1] and int(m[2]) == int(pm[2]) + 1:
            runs[-1].append(code)
        else:
            runs.append([code])
    parts = [W.LIST_JOIN.join(r) if len(r) < 3 else f"{r[0]}{W.RANGE_DASH}{r[-1]}" for r in runs]
    return W.LIST_JOIN.join(parts)


@dataclass(frozen=True)
class LogEntry:
    """One line of the 日志 sheet."""

    time: dt.datetime
    action: str
    file: str
    office: str
    result: str
    message: str

    def cells(self) -> list[str]:
        return [self.time.strftime("%Y-%m-%d %H:%M:%S"), self.action, self.file, self.office,
                self.result, self.message]


@dataclass(frozen=True)
class Progress:
    """One row of the master's 进展 sheet: what a respondent answered for one task
    and period, every value as text, in the order of words.PROGRESS_HEADERS.
    A 进展 column is a field here and a header there: nothing else to change."""

    code: str  # 编号
    office: str  # 责任处室 (the respondent)
    period: str  # 报送期次: the canonical id (periods.Period.id), or a label typed by hand
    status: str = ""  # 完成状态
    progress: str = ""  # 进展情况
    done: str = ""  # 完成日期, ISO
    evidence: str = ""  # 佐证材料
    reporter: str = ""  # 填报人
    phone: str = ""  # 联系电话
    when: str = ""  # 报送时间: when the office saved the file, "YYYY-MM-DD HH:MM:SS" (sorts as text)
    source: str = ""  # 来源文件
    fingerprint: str = ""  # 文件指纹

    @classmethod
    def from_cells(cls, cells: list) -> "Progress":
        """A row of 进展 as its cells, in header order (cells beyond them ignored, missing ones blank)."""
        values = [str(v) if v is not None else "" for v in list(cells)[:len(_PROGRESS_FIELDS)]]
        return cls(*values, *[""] * (len(_PROGRESS_FIELDS) - len(values)))

    @classmethod
    def from_values(cls, values: dict[str, str]) -> "Progress":
        """A row of 进展 as header → text."""
        return cls.from_cells([values.get(h, "") for h in W.PROGRESS_HEADERS])

    def cells(self) -> list[str]:
        """The row's cells, in header order."""
        return [getattr(self, name) for name in _PROGRESS_FIELDS]

    @property
    def key(self) -> tuple[str, str, str]:
        """What 进展 holds one row of: 编号 × 责任处室 × 报送期次."""
        return self.code, self.office, self.period

    @property
    def answers(self) -> tuple[str, str, str, str]:
        """What the office filled in: 完成状态, 进展情况, 完成日期, 佐证材料."""
        return self.status, self.progress, self.done, self.evidence

    @property
    def said(self) -> tuple[str, ...]:
        """Everything the file said (not when it was saved, nor which file it was)."""
        return (*self.key, *self.answers, self.reporter, self.phone)


_PROGRESS_FIELDS = [f.name for f in fields(Progress)]
assert len(_PROGRESS_FIELDS) == len(W.PROGRESS_HEADERS)
