"""``qingdan status``: who has returned for a period, who has not, what was refused.

Worked out from the master alone: 进展 says which 编号 each office has returned
(and when, from which file); 日志 says how many rows the last merge of each
office's file refused.  ``qingdan mail --remind`` writes to the offices this
finds 未报送.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import words as W
from .config import Config, load_config
from .dates import parse_date
from .errors import QingdanError
from .periods import Period, parse_period
from .tuning import fewer_collections
from .workbook import Master, open_master

_MERGED = re.compile(re.escape(W.M_LOG_MERGE)
                     .replace(r"\{period_id\}", r"(?P<period>[^（]+)").replace(r"\{period\}", ".*?")
                     .replace(r"\{accepted\}", r"\d+").replace(r"\{rejected\}", r"(?P<rejected>\d+)")
                     .replace(r"\{blank\}", r"\d+").replace(r"\{saved\}", r"(?P<saved>[^；]+)")
                     .replace(r"\{fingerprint\}", r"\S+").replace(r"\{list\}", r"\S+"))
# a file refused whole once its office and period were known (the form sent back unfilled …)
_REFUSED = re.compile(re.escape(W.M_LOG_MERGE_REFUSED_PERIOD)
                      .replace(r"\{period_id\}", r"(?P<period>[^（]+)").replace(r"\{period\}", ".*?")
                      .replace(r"\{reason\}", r"(?P<reason>.*)").replace(r"\{fingerprint\}", r"\S+")
                      .replace(r"\{list\}", r"\S+"), re.S)


@dataclass
class Refusal:
    """A file of an office that merge refused whole for the period."""

    time: str  # when merge refused it
    file: str  # its name
    reason: str


@dataclass
class OfficeStatus:
    """One office's return for the period."""

    office: str
    items: int  # tasks the office is responsible for
    returned: int = 0  # of those, with a row in 进展 for the period
    rejected: int = 0  # rows refused in the office's file saved last
    refused: list[Refusal] = field(default_factory=list)  # its files refused whole, oldest first
    when: str = ""  # latest 报送时间
    files: list[str] = field(default_factory=list)  # 来源文件, newest last
    missing_codes: list[str] = field(default_factory=list)  # its 编号 with no row for the period, in list order
    # the form of an earlier period the office saved after this period's forms went out:
    # (that period, when the office saved it, the file's name); this period has nothing of it
    wrong_period: tuple[Period, str, str] | None = None

    @property
    def missing(self) -> int:
        return self.items - self.returned

    @property
    def state(self) -> str:
        if not self.returned:
            if self.wrong_period is not None:
                return W.STATE_WRONG_PERIOD
            return W.STATE_REJECTED if self.rejected or self.refused else W.STATE_MISSING
        return W.STATE_PARTLY if self.missing or self.rejected else W.STATE_RETURNED


@dataclass
class StatusResult:
    master: Path
    period: Period
    due: dt.date | None
    offices: list[OfficeStatus]
    sent: bool = True  # 日志 records a split of the period
    why: str = ""  # how the period was chosen (Master.choose_period)
    demo: bool = False  # the demo's master

    @property
    def to_remind(self) -> list[str]:
        """Offices with nothing in 进展 for the period (none sent, every row
        refused, or the form of another period sent): the ones to 催报."""
        return [o.office for o in self.offices
                if o.state in (W.STATE_MISSING, W.STATE_REJECTED, W.STATE_WRONG_PERIOD)]

    @property
    def partly(self) -> list[str]:
        return [o.office for o in self.offices if o.state == W.STATE_PARTLY]

    @property
    def returned(self) -> list[str]:
        return [o.office for o in self.offices if o.returned]

    @property
    def complete(self) -> list[str]:
        """Offices with every item returned and nothing refused: no reminder."""
        return [o.office for o in self.offices if o.state == W.STATE_RETURNED]


def _is(text: str, period: Period) -> bool:
    """Whether a 报送期次 cell names ``period`` (its id, or its label typed by hand)."""
    if text == period.id:
        return True
    try:
        return parse_period(text) == period
    except QingdanError:
        return False


def _reason(reason: str, file: str) -> str:
    """A refusal's reason without the file's path it starts with (the mail names the file)."""
    for prefix in (file, Path(file).name):
        if prefix and reason.startswith(prefix):
            return reason[len(prefix):].lstrip("：: ")
    return reason


def office_status(master: Master, period: Period) -> StatusResult:
    """Each office's return for ``period``, in the order offices appear in 清单."""
    codes = {o: [task.code for task, _ in master.by_office[o]] for o in master.offices}
    code_sets = {o: set(c) for o, c in codes.items()}
    found = {o: OfficeStatus(o, len(codes[o])) for o in master.offices}
    seen: dict[str, set[str]] = {o: set() for o in master.offices}
    for row in master.progress:
        office = row.office
        if office not in found or row.code not in code_sets[office] or not _is(row.period, period):
            continue
        seen[office].add(row.code)
        status = found[office]
        status.when = max(status.when, row.when)
        if row.source and row.source not in status.files:
            status.files.append(row.source)
    for office, status in found.items():
        status.returned = len(seen[office])
        status.missing_codes = [c for c in codes[office] if c not in seen[office]]
    sent_at = next((s.time for s in master.splits if s.period == period and not s.failed), "")
    newest: dict[str, str] = {}
    for row in master.log:  # the file saved last wins, as it does in 进展
        office = row.get(W.LOG_HEADERS[3])
        if row.get(W.LOG_HEADERS[1]) != W.ACTION_MERGE or office not in found:
            continue
        message = row.get(W.LOG_HEADERS[5], "")
        time, file = row.get(W.LOG_HEADERS[0], ""), row.get(W.LOG_HEADERS[2], "")
        if row.get(W.LOG_HEADERS[4]) == W.RESULT_REFUSED:
            m = _REFUSED.match(message)
            if m and m["period"] == period.id:
                found[office].refused.append(Refusal(time, Path(file).name, _reason(m["reason"], file)))
            continue
        m = _MERGED.match(message)
        if not m:
            continue
        if m["period"] == period.id:
            if m["saved"] >= newest.get(office, ""):
                newest[office] = m["saved"]
                found[office].rejected = int(m["rejected"])
        elif sent_at and m["saved"] >= sent_at:
            try:
                other = parse_period(m["period"])
            except QingdanError:
                continue
            if other < period:  # last period's form, filled in after this one's went out
                found[office].wrong_period = (other, m["saved"], Path(file).name)
    due = None
    for split in reversed(master.splits):  # 报送截止 as the latest split of the period set it
        if split.period == period:
            m = re.search(r"(\d{4}-\d{2}-\d{2})\s*$", split.message)
            due = parse_date(m[1]) if m else None
            break
    return StatusResult(master=master.path, period=period, due=due, offices=list(found.values()),
                        sent=master.last_split(period) is not None)


@fewer_collections()
def status(master_path: str | Path | None = None, period: str | Period | None = None,
           config: Config | None = None) -> StatusResult:
    """The return status of ``period`` (default: the latest split in 日志)."""
    config = config or load_config()
    master = open_master(master_path, config)
    chosen, why = master.choose_period(period)
    result = office_status(master, chosen)
    result.why, result.demo = why, master.demo
    return result
