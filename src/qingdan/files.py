"""Writing files without ever losing one: temp file + atomic replace, backups,
and the Excel/WPS lock file check."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from . import words as W
from .errors import MasterError


def office_lock_file(path: Path) -> Path | None:
    """The ``~$`` lock file Excel or WPS keeps beside an open workbook, if any
    (both name it ``~$`` + the workbook's whole name)."""
    candidate = path.with_name("~$" + path.name)
    return candidate if candidate.exists() else None


def lock_file(path: Path) -> Path:
    """The file qingdan locks while it writes ``path``."""
    return path.with_name(f".{path.name}.qingdan-lock")


@contextmanager
def master_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` while writing it, or refuse at once when
    another qingdan command holds it.  The lock is the operating system's, on a
    small file beside the master: it goes with the process that held it, so a
    run that was killed never leaves a stale lock behind."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_file(path), "a+b")
        _hide(lock_file(path))
    except OSError as exc:
        raise MasterError(W.M_WRITE_FAILED.format(path=path, reason=exc.strerror or exc)) from None
    try:
        if not _try_lock(handle):
            raise MasterError(W.M_MASTER_BUSY.format(path=path))
        try:
            yield
        finally:
            _unlock(handle)
    finally:
        handle.close()


def _hide(path: Path) -> None:
    """Windows shows dot-files: mark the lock file hidden there, as Linux hides it by name."""
    if os.name == "nt":
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x02)  # FILE_ATTRIBUTE_HIDDEN


def _try_lock(handle) -> bool:
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(handle) -> None:
    try:
        if os.name == "nt":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    except OSError:
        pass  # closing the handle releases it anyway


def refuse_if_open(path: Path) -> None:
    """MasterError when Excel or WPS has ``path`` open."""
    lock = office_lock_file(path)
    if lock is not None:
        raise MasterError(W.M_TARGET_LOCKED.format(path=path, lock=lock.name))


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


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``path``, flush it to disk,
    then swap it in with one rename, so ``path`` is always the old or the new file.

    Any failure (disk full, no permission, a folder in the way) becomes a
    MasterError and leaves ``path`` as it was.
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
    _sync_folder(path.parent)


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


def _sync_folder(folder: Path) -> None:
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
