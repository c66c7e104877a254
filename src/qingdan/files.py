"""Writing files without ever losing one: temp file + atomic replace, backups,
and the office suites' lock file check."""

from __future__ import annotations

import datetime as dt
import os
import queue
import shutil
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from . import words as W
from .errors import MasterError


def office_lock_file(path: Path) -> tuple[Path, str] | None:
    """(lock file, program) when an office suite has ``path`` open, else None.

    Excel and WPS keep ``~$`` + the workbook's name beside it; Word, and some
    Excel versions, replace the name's first one or two characters with ``~$``
    (``~$23年度….xlsx`` for ``2023年度….xlsx``); LibreOffice keeps ``.~lock.`` +
    the name + ``#``."""
    name = path.name
    candidates = [(f".~lock.{name}#", W.PROGRAM_LIBREOFFICE), (f"~${name}", W.PROGRAM_EXCEL_WPS)]
    candidates += [(f"~${name[n:]}", W.PROGRAM_EXCEL_WPS) for n in (1, 2) if len(name) - n > len(path.suffix)]
    for lock, program in candidates:
        candidate = path.with_name(lock)
        if candidate.exists():
            return candidate, program
    return None


def lock_file(path: Path) -> Path:
    """The file qingdan locks while it writes ``path``."""
    return path.with_name(f".{path.name}.qingdan-lock")


@contextmanager
def master_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` while writing it, or refuse at once when
    another qingdan command holds it.  The lock is the operating system's
    (filelock), on a small file beside the master: it goes with the process that
    held it, so a run that was killed never leaves a stale lock behind."""
    from filelock import FileLock, Timeout

    lock = FileLock(lock_file(path), timeout=0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise MasterError(W.M_MASTER_BUSY.format(path=path)) from None
    except OSError as exc:
        raise MasterError(W.M_WRITE_FAILED.format(path=path, reason=exc.strerror or exc)) from None
    try:
        _hide(lock_file(path))
        yield
    finally:
        lock.release()


def _hide(path: Path) -> None:
    """Windows shows dot-files: mark the lock file hidden there, as Linux hides it by name."""
    if os.name == "nt":
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x02)  # FILE_ATTRIBUTE_HIDDEN


def refuse_if_open(path: Path) -> None:
    """MasterError when an office suite (Excel, WPS, Word, LibreOffice) has ``path`` open."""
    found = office_lock_file(path)
    if found is not None:
        lock, program = found
        raise MasterError(W.M_TARGET_LOCKED.format(path=path, lock=lock.name, program=program))


def backup(path: Path, now: dt.datetime | None = None) -> Path:
    """Copy ``path`` into the 备份 folder beside it, stamped with the time."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = path.parent / W.BACKUP_DIR
    target = folder / f"{path.stem}.{stamp}{path.suffix}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{path.stem}.{stamp}-{n}{path.suffix}"
    try:
        folder.mkdir(exist_ok=True)
        shutil.copy2(path, target)
    except OSError as exc:
        raise MasterError(W.M_BACKUP_FAILED.format(path=path, backup=target, reason=exc.strerror or exc)) from None
    return target


def atomic_write(path: Path, write: Callable[[Path], None], flush_folder: bool = True) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``path``, flush it to disk,
    then swap it in with one rename, so ``path`` is always the old or the new file.

    Any failure (disk full, no permission, a folder in the way) becomes a
    MasterError and leaves ``path`` as it was.  ``flush_folder=False`` leaves
    flushing the rename to the caller (sync_folder()), once for many files.
    """
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".qingdan-", suffix=path.suffix + ".tmp", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except Exception as exc:  # OSError, or the writer's own error wrapping one
        reason = getattr(exc, "strerror", None) or exc
        raise MasterError(W.M_WRITE_FAILED.format(path=path, reason=reason)) from None
    finally:
        if tmp is not None and tmp.exists():
            tmp.unlink()
    if flush_folder:
        sync_folder(path.parent)


class LaterSync:
    """Many small files written now and flushed to disk by a background thread
    (merge's archive copies): each is written to a temporary file and renamed
    into place at once, so it is there before anything reads it, but the run does
    not wait on the disk for each.  ``wait()`` returns once every file (and the
    folders their renames changed) is on disk: call it before writing anything
    that relies on them.  Use as a context manager, so the thread always ends."""

    def __init__(self) -> None:
        self._queue: queue.Queue = queue.Queue(maxsize=64)  # open files waiting: a bounded number
        self._failed: list[tuple[object, str]] = []
        self._folders: set[Path] = set()
        self._thread = threading.Thread(target=self._flush, daemon=True)
        self._thread.start()
        self._waited = False

    def _flush(self) -> None:
        while (item := self._queue.get()) is not None:
            fd, key = item
            try:
                os.fsync(fd)
            except Exception as exc:  # whatever it is, the thread goes on: wait() must not hang
                self._failed.append((key, getattr(exc, "strerror", None) or str(exc)))
            try:
                os.close(fd)
            except OSError:
                pass

    def write(self, path: Path, data: bytes, key: object) -> None:
        """Put ``data`` at ``path`` by temporary file and rename (OSError when it
        cannot); ``key`` names it in what ``wait()`` returns."""
        if self._waited:
            raise RuntimeError("LaterSync.write after wait()")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".qingdan-", suffix=path.suffix + ".tmp", dir=path.parent)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.chmod(tmp, _mode_for(path))
            if os.name == "nt":  # an open file cannot be renamed there: flushed now
                os.fsync(fd)
                os.close(fd)
                fd = -1
            os.replace(tmp, path)
            self._folders.add(path.parent)
            if fd >= 0:
                self._queue.put((fd, key))  # still open: the rename does not change what it flushes
                fd = -1  # the thread closes it now
        except BaseException:
            if fd >= 0:
                os.close(fd)
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def moved(self, path: Path) -> None:
        """A file written here was renamed to ``path``: its folder is flushed too."""
        self._folders.add(path.parent)

    def wait(self) -> list[tuple[object, str]]:
        """Block until everything written is on disk; (key, reason) of each file
        that could not be flushed."""
        if not self._waited:
            self._waited = True
            self._queue.put(None)
            self._thread.join()
            # each folder, and the one holding it (a folder made for these files is an entry there)
            for folder in self._folders | {f.parent for f in self._folders}:
                sync_folder(folder)
        return self._failed

    def __enter__(self) -> LaterSync:
        return self

    def __exit__(self, *exc) -> None:
        self.wait()


def _mode_for(path: Path) -> int:
    """The permissions the file should have: those of the file it replaces, else
    what the user's umask gives a new file (mkstemp's 0600 would lock colleagues
    out of a master on a shared folder)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
