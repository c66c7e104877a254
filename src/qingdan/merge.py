"""``qingdan merge``: returned 填报表 → the master's 进展 sheet, nothing lost.

Every file is read in full before anything is written.  Rows are matched by
编号, never by position; each row problem is collected with its file, row,
column and reason, and a bad row or a bad file never stops the good ones.  The
files' bytes are archived by fingerprint beside the master before the master
changes, and then the master is written once, under its lock: accepted rows
into 进展 (one row per 编号 × 处室 × 期次, a file saved later superseding an
earlier one) and a line per file in 日志.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import words as W
from .checks import FROM_META, TIME_FORMAT, RowProblem, check_rows, identify
from .config import Config, load_config
from .errors import QingdanError, ReaderError, SourceError, UsageError
from .files import LaterSync, refuse_if_open
from .inbox import collect, split_folders
from .isolate import Reader
from .model import LogEntry, Progress, compress_codes
from .offices import safe_filename
from .periods import Period, parse_period
from .returns import check_return_name, fingerprint
from .tuning import fewer_collections
from .update import updating
from .workbook import Master, find_master, read_master


@dataclass
class FileResult:
    """One returned file and what merge made of it."""

    path: Path
    fingerprint: str = ""
    office: str = ""
    period: Period | None = None
    source: str = ""  # where office and period were found: FROM_META, FROM_TITLE, FROM_NAME
    saved: dt.datetime | None = None
    saved_guessed: bool = False  # no saved time in the file: its modification time stands in
    rows: list[Progress] = field(default_factory=list)  # accepted
    lines: list[int] = field(default_factory=list)  # the Excel row number of each accepted row
    problems: list[RowProblem] = field(default_factory=list)
    blank: int = 0  # rows of the office left empty
    missing: list[str] = field(default_factory=list)  # 编号 in _meta but not in the file
    won: int = 0  # accepted rows now in 进展 (not beaten by a file saved later)
    older: int = 0  # accepted rows beaten by a file saved later
    older_than: tuple[str, str] = ("", "")  # (file, time) of that later answer
    contested: bool = False  # another file answered the same 编号 × 处室 × 期次
    superseded: bool = False  # nothing taken: the office's later file of the period stands instead
    error: str = ""  # why the whole file was refused
    transient: bool = False  # the reader crashed or hung, or it could not be archived: tried again next run
    seen: str = ""  # already merged (or already refused) by an earlier run: when and how
    same_as: FileResult | None = None  # an earlier file of this run with the same bytes
    other_period: str = ""  # label of the latest split period, when this file is not of it
    archived: Path | None = None
    archived_now: bool = False  # the copy at ``archived`` was written by this run (not yet known to be on disk)

    @property
    def rejected(self) -> list[RowProblem]:
        return [p for p in self.problems if not p.taken]

    @property
    def rejected_rows(self) -> int:
        """Rows not taken (a row with two problems counts once)."""
        return len({p.row for p in self.rejected})

    @property
    def changed(self) -> list[RowProblem]:
        return [p for p in self.problems if p.taken]

    @property
    def result(self) -> str:
        if self.same_as is not None:
            return W.RESULT_SAME
        if self.seen:
            return W.RESULT_DUPLICATE
        if self.error:
            return W.RESULT_READ_FAILED if self.transient else W.RESULT_REFUSED
        if self.superseded:
            return W.RESULT_OLDER
        if self.rejected:
            return W.RESULT_PARTLY if self.won else W.RESULT_FAILED
        if not self.rows:
            return W.RESULT_EMPTY
        if self.older and not self.won:
            return W.RESULT_OLDER
        return W.RESULT_OK

    @property
    def refused(self) -> bool:
        """Something in this file was not taken and needs the clerk's attention."""
        if self.same_as is not None:
            return self.same_as.refused
        if self.superseded:
            return False
        return self.result in (W.RESULT_REFUSED, W.RESULT_READ_FAILED, W.RESULT_FAILED, W.RESULT_PARTLY,
                               W.RESULT_EMPTY) \
            or bool(self.changed)

    @property
    def counted(self) -> bool:
        """Whether the file was read in this run (not refused whole, not a repeat)."""
        return not self.error and not self.seen and self.same_as is None

    def notes(self) -> list[str]:
        """Short remarks for the table's 说明 column."""
        out = []
        if self.error:
            out.append(self.error)
        if self.seen:
            out.append(self.seen)
        if self.same_as is not None:
            out.append(W.M_RETURN_SAME_RUN.format(file=self.same_as.path.name, result=self.same_as.result))
        if not self.counted:
            return out
        if self.source != FROM_META:
            out.append(W.M_RETURN_FROM.format(source=self.source))
        if self.other_period:
            out.append(W.M_RETURN_OTHER_PERIOD.format(own=self.period.label, period=self.other_period))
        if self.superseded:
            out.append(W.M_RETURN_SUPERSEDED.format(file=self.older_than[0], time=self.older_than[1]))
            return out
        if self.missing:
            out.append(W.M_RETURN_MISSING_CODES.format(n=len(self.missing), codes=compress_codes(self.missing)))
        if self.blank:
            out.append(W.M_RETURN_BLANK.format(n=self.blank))
        if self.older:
            out.append(W.M_RETURN_OLDER_ROWS.format(n=self.older, file=self.older_than[0], time=self.older_than[1]))
        if self.contested and self.saved_guessed:
            out.append(W.M_RETURN_TIME_GUESSED)
        return out


@dataclass
class MergeResult:
    master: Path
    dry_run: bool
    files: list[FileResult]
    added: int = 0
    updated: int = 0
    archive: Path | None = None
    written: bool = False
    skipped: list[Path] = field(default_factory=list)  # forms in split's folders, not returns
    demo: bool = False  # the demo's master
    projects: list[str] = field(default_factory=list)  # folders of other qingdan projects skipped, as said
    latest: Period | None = None  # the period split last
    masters: list[Path] = field(default_factory=list)  # masters in the folders given: skipped

    @property
    def refused(self) -> list[FileResult]:
        return [f for f in self.files if f.refused]

    @property
    def periods(self) -> list[Period]:
        return sorted({f.period for f in self.files if f.period is not None and f.won})


# --- the command ----------------------------------------------------------------------------

_LOGGED = re.compile(re.escape(W.LOG_PRINTS).replace(r"\{fingerprint\}", "(?P<print>[0-9a-f]{16})")
                     .replace(r"\{list\}", "(?P<list>[0-9a-f-]+)") + r"\s*$")


def _seen_before(master: Master) -> dict[str, tuple[str, str, str, str]]:
    """fingerprint → (how an earlier run dealt with a file of these bytes, its
    office, its period id, its name when that mattered): merged (a 进展 row came from it), or logged by merge against
    the same 清单 and under the same name (refused, empty, beaten by a later file …).
    Renamed (the file name may say its period) or under another 清单 (the clerk
    may have fixed the list), such a file is read again."""
    logged: dict[str, tuple[str, str, str, str, str]] = {}  # fingerprint → note, office, period, name, 清单
    for row in master.log:
        if row.get(W.LOG_HEADERS[1]) != W.ACTION_MERGE:
            continue
        message = row.get(W.LOG_HEADERS[5], "")
        m = _LOGGED.search(message)
        if m and row.get(W.LOG_HEADERS[4]) != W.RESULT_READ_FAILED:
            note = W.M_RETURN_SEEN.format(time=row.get(W.LOG_HEADERS[0], ""),
                                          file=Path(row.get(W.LOG_HEADERS[2], "")).name,
                                          result=row.get(W.LOG_HEADERS[4], ""))
            period = re.match(r"[0-9QH-]+(?=（)", message)
            logged.setdefault(m["print"], (note, row.get(W.LOG_HEADERS[3], ""), period[0] if period else "",
                                           Path(row.get(W.LOG_HEADERS[2], "")).name, m["list"]))
    seen: dict[str, tuple[str, str, str, str]] = {}
    for row in master.progress:  # merged: whatever it is called now
        fp = row.fingerprint
        if fp and fp not in seen:
            note = logged[fp][0] if fp in logged else W.M_RETURN_SEEN.format(
                time=row.when, file=Path(row.source).name, result=W.RESULT_OK)
            seen[fp] = (note, row.office, row.period, "")
    for fp, (note, office, period, name, list_print) in logged.items():
        if fp not in seen and list_print == master.fingerprint:
            seen[fp] = (note, office, period, name)
    return seen


@fewer_collections()
def merge(paths: Iterable[str | Path], master_path: str | Path | None = None, dry_run: bool = False,
          config: Config | None = None, now: dt.datetime | None = None,
          progress: Callable[[int, int], None] | None = None) -> MergeResult:
    """Merge the returned files (and folders of them) at ``paths`` into the master's 进展.

    Returns a MergeResult with one FileResult per file; refused files and rows are
    recorded there, not raised.  UsageError/MasterError only when nothing can be
    done (no master, a path that does not exist, the master open in Excel)."""
    config = config or load_config()
    now = now or dt.datetime.now()
    path = find_master(master_path, config)
    if not dry_run:
        refuse_if_open(path)  # before anything is archived or read
    limits = config.merge
    reader_limits = (limits["timeout"], limits["memory_mb"], limits["max_mb"] * 1024 * 1024)
    # the reader's worker starts first: it imports its readers while the master is read;
    # archive copies are flushed to disk in the background, all of them before the master changes
    with Reader(*reader_limits) as reader, LaterSync() as syncer:
        reader.start()
        master = read_master(path)
        forms = split_folders(master)
        collected = collect(paths, path, forms, master.identity)
        files, skipped, named_forms = collected.files, collected.forms, collected.named_forms
        if not files and not skipped:
            projects = W.LIST_JOIN.join(collected.project_names)
            raise UsageError(W.M_MERGE_NO_FILES.format(paths=W.LIST_JOIN.join(str(p) for p in paths))
                             + (W.M_MERGE_PROJECTS_SKIPPED.format(projects=projects) if projects else ""))
        seen_before = _seen_before(master)
        latest = master.last_split()
        latest_period = latest[0] if latest else None
        results: list[FileResult] = []
        first: dict[str, FileResult] = {}  # fingerprint → the first file of this run with it
        archive = None if dry_run else path.parent / W.ARCHIVE_DIR
        reading: list[tuple[FileResult, Path, str]] = []  # the files handed to the reader, in order
        done = 0

        def prepared():
            """The files to read, each prepared (archived …) just before the reader needs it."""
            nonlocal done
            for file in files:
                result = FileResult(file)
                results.append(result)
                folder = named_forms.get(file)
                if folder is not None:
                    result.error = W.M_RETURN_IS_FORM.format(path=file, folder=folder)
                else:
                    ready = _prepare(file, result, seen_before, first, archive, limits["max_mb"] * 1024 * 1024,
                                     syncer)
                    if ready is not None:
                        data, name = ready
                        reading.append((result, file, name))
                        yield file, data
                        continue
                done += 1
                if progress:
                    progress(done, len(files))

        for index, answer in reader.read_many(prepared()):
            result, file, name = reading[index]
            _finish(file, result, answer, master, archive, name, latest_period, syncer)
            done += 1
            if progress:
                progress(done, len(files))
        for result, reason in syncer.wait():  # not on disk: as if it could not be archived
            if not result.archived_now:
                continue  # this run's copy gave way to a whole one already there (see _move)
            result.error = W.M_ARCHIVE_FAILED.format(path=result.path, archive=result.archived.parent, reason=reason)
            result.transient = True  # the file is not at fault: read again next run
            try:
                result.archived.unlink()  # so the next run writes it again
            except OSError:
                pass
            result.archived = None
    for result in results:
        if result.same_as is not None:  # known only now that the first one is read
            result.office, result.period = result.same_as.office, result.same_as.period
        if latest_period and result.period and result.period != latest_period and result.counted:
            result.other_period = latest_period.label
    outcome = MergeResult(master=path, dry_run=dry_run, files=results, archive=path.parent / W.ARCHIVE_DIR,
                          skipped=skipped, demo=master.demo,
                          projects=collected.project_names, latest=latest_period,
                          masters=collected.masters)
    taking = [r for r in results if r.rows and r.counted]
    if not files:  # only forms from split's folders were found
        return outcome
    if dry_run:
        _superseded(results, [*master.progress, *_apply(taking, master.progress, outcome)])
        return outcome
    logged = [r for r in results if r.error or r.counted]
    if not logged:
        return outcome
    with updating(path, now, master) as update:
        current = update.progress()
        changed = _apply(taking, current, outcome)
        update.upsert_progress(changed)
        _superseded(results, [*current, *changed])
        update.log(*(_log_entry(r, master.fingerprint, now) for r in logged))
    outcome.written = True
    return outcome


def _prepare(file: Path, result: FileResult, seen_before: dict[str, tuple[str, str, str, str]],
             first: dict[str, FileResult], archive: Path | None, max_bytes: int,
             syncer: LaterSync) -> tuple[bytes, str] | None:
    """Everything before a file is parsed: its name, its bytes, whether it was
    seen before (in this run or an earlier one), and its copy in the archive.
    (bytes, archive name) when it is to be read; None when ``result`` is settled.
    ``archive`` is None on a dry run."""
    try:
        check_return_name(file)
        size = file.stat().st_size
        if size > max_bytes:  # never read into this process at all
            raise SourceError(W.M_RETURN_TOO_BIG.format(path=file, size=size // (1024 * 1024),
                                                        limit=max_bytes // (1024 * 1024)))
        data = file.read_bytes()
    except SourceError as exc:
        result.error = exc.message
        return None
    except OSError as exc:
        result.error = W.M_RETURN_UNREADABLE.format(path=file, reason=exc.strerror or exc)
        return None
    if not data:
        result.error = W.M_RETURN_EMPTY_FILE.format(path=file)
        return None
    result.fingerprint = fingerprint(data)
    if result.fingerprint in first:
        result.same_as = first[result.fingerprint]
        return None
    first[result.fingerprint] = result
    note, office, period, name = seen_before.get(result.fingerprint, ("", "", "", ""))
    if note and name in ("", file.name):
        result.seen, result.office = note, office
        try:
            result.period = parse_period(period) if period else None
        except QingdanError:
            pass
        return None
    name = f"{result.fingerprint}_{safe_filename(file.stem)}{file.suffix.lower()}"
    if archive is not None:
        # kept before any parser sees it: under 未识别 until its period is known
        result.archived = archive / W.ARCHIVE_UNKNOWN / name
        if not _keep(result, data, syncer):
            return None
    return data, name


def _finish(file: Path, result: FileResult, returned, master: Master, archive: Path | None, name: str,
            latest: Period | None, syncer: LaterSync) -> None:
    """Identify and check a file the reader has read (``returned`` is its Returned,
    or the SourceError it was refused with)."""
    try:
        if isinstance(returned, QingdanError):
            raise returned
        result.office, result.period, result.source = identify(returned, master, latest)
        if returned.unsaved:  # refused, but known: 日志 and status name its office and period
            raise SourceError(W.M_RETURN_UNSAVED.format(path=file))
    except QingdanError as exc:
        result.error = exc.message
        result.transient = isinstance(exc, ReaderError)
        return
    if archive is not None:
        _move(result, archive / result.period.id / name, syncer)
    saved = returned.saved
    if saved is None:
        result.saved_guessed = True
        try:
            saved = dt.datetime.fromtimestamp(file.stat().st_mtime).replace(microsecond=0)
        except OSError:
            saved = dt.datetime.now().replace(microsecond=0)
    result.saved = saved
    checked = check_rows(returned, master, result.office, result.period, saved)
    result.rows, result.lines, result.missing = checked.rows, checked.lines, checked.missing
    result.blank = checked.blank
    result.problems.extend(checked.problems)


def _apply(results: list[FileResult], current: list[Progress], outcome: MergeResult) -> list[Progress]:
    """The 进展 rows to write once ``results`` are taken in (new ones, and changed
    ones): for each 编号 × 处室 × 期次 the answer saved last wins, whether it is
    already in 进展 (``current``) or in one of the files.  Two files saved at the
    same time with different answers: neither is taken."""
    olds = {row.key: row for row in current}
    offers: dict[tuple[str, str, str], list[tuple[FileResult, int, Progress]]] = {}
    for result in results:
        for line, new in zip(result.lines, result.rows):
            offers.setdefault(new.key, []).append((result, line, new))
    out: list[Progress] = []
    added = updated = 0
    for key, offered in offers.items():
        old = olds.get(key)
        if len(offered) > 1 or old is not None:
            for result, _, _ in offered:
                result.contested = True
        best = max(new.when for _, _, new in offered)
        if old is not None and old.when > best:
            for result, _, _ in offered:
                result.older += 1
                result.older_than = (Path(old.source).name, old.when)
            continue
        top = [offer for offer in offered if offer[2].when == best]
        if len({new.said for _, _, new in top}) > 1:
            for result, line, _ in top:
                others = W.LIST_JOIN.join(r.path.name for r, _, _ in top if r is not result)
                result.problems.append(RowProblem(result.path, line, "", "", W.P_ROW_TIE.format(
                    file=others, time=best)))
            for result, _, new in offered:
                if new.when != best:
                    result.older += 1
            continue
        winner = top[0]
        for result, _, new in offered:
            if new.when == best:
                result.won += 1  # the winner, or a file saying the same at the same time
            else:
                result.older += 1
                result.older_than = (winner[0].path.name, best)
        new = winner[2]
        if old is None:
            added += 1
            out.append(new)
        elif old != new:
            updated += 1
            out.append(new)
    outcome.added, outcome.updated = added, updated
    return out


def _superseded(results: list[FileResult], rows: list[Progress]) -> None:
    """Mark the files of which nothing was taken because the same office sent the
    period's form again later: their refused rows no longer need anyone."""
    newest: dict[tuple[str, str], tuple[str, str]] = {}  # (处室, 期次) → (报送时间, file) of 进展's latest answer
    for row in rows:
        key = (row.office, row.period)
        if row.when > newest.get(key, ("", ""))[0]:
            newest[key] = (row.when, Path(row.source).name)
    for result in results:
        if not result.counted or result.won or result.period is None or result.saved is None:
            continue
        when, file = newest.get((result.office, result.period.id), ("", ""))
        if when > result.saved.strftime(TIME_FORMAT):
            result.superseded = True
            result.older_than = (file, when)


def _keep(result: FileResult, data: bytes, syncer: LaterSync) -> bool:
    """Write the file's bytes to ``result.archived`` unless a whole copy is there
    (``syncer`` flushes it to disk before the master changes); a file that cannot
    be archived is not merged."""
    target = result.archived
    try:
        if target.stat().st_size == len(data):
            return True
    except OSError:
        pass  # not there yet
    try:
        syncer.write(target, data, result)
        result.archived_now = True
    except OSError as exc:
        result.error = W.M_ARCHIVE_FAILED.format(path=result.path, archive=target.parent,
                                                 reason=exc.strerror or exc)
        result.transient = True  # the file is not at fault (a full disk …): read again next run
        result.archived = None
        return False
    return True


def _move(result: FileResult, target: Path, syncer: LaterSync) -> None:
    """Move the archived copy from 未识别 into its period's folder."""
    staged = result.archived
    try:
        if target.exists() and target.stat().st_size == staged.stat().st_size:
            staged.unlink()
            result.archived_now = False  # the copy kept is an earlier run's
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
        syncer.moved(target)
        result.archived = target
    except OSError:
        return  # it stays archived under 未识别: still kept, only less tidy
    try:
        staged.parent.rmdir()  # only when nothing else waits there
    except OSError:
        pass


def _log_entry(result: FileResult, list_print: str, now: dt.datetime) -> LogEntry:
    if result.error and result.period is not None:  # refused whole, office and period known
        message = W.M_LOG_MERGE_REFUSED_PERIOD.format(period_id=result.period.id, period=result.period.label,
                                                      reason=result.error.rstrip("。"),
                                                      fingerprint=result.fingerprint or "-", list=list_print)
    elif result.error:
        message = W.M_LOG_MERGE_REFUSED.format(reason=result.error.rstrip("。"), fingerprint=result.fingerprint or "-",
                                               list=list_print)
    else:
        message = W.M_LOG_MERGE.format(period_id=result.period.id, period=result.period.label,
                                       accepted=result.won, rejected=result.rejected_rows, blank=result.blank,
                                       saved=result.saved.strftime(TIME_FORMAT), fingerprint=result.fingerprint,
                                       list=list_print)
    return LogEntry(now, W.ACTION_MERGE, str(result.path), result.office, result.result, message)
