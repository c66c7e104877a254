"""Reading returned files where a bad one cannot take qingdan down.

python-calamine can abort the whole process (an allocation failure in Rust is
not an exception), and a crafted file can make any reader spin or swallow the
memory.  So merge hands each file's bytes to one worker process, reused from
file to file, with a memory limit (POSIX) and a time limit per file.  A file
that kills or hangs its worker is refused by name; the worker is started again
for the next file, and the run goes on.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from pathlib import Path

from . import words as W
from .errors import QingdanError, SourceError

_MB = 1024 * 1024


def _serve(conn, memory_mb: int) -> None:
    """The worker: read (path, bytes, max_bytes) jobs until told to stop.  Its
    own stderr goes nowhere: when it dies, the parent says so in Chinese."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        _work(conn, memory_mb)
    except BaseException:  # out of memory while starting or unpickling: just end
        os._exit(70)


def _work(conn, memory_mb: int) -> None:
    if memory_mb and os.name != "nt":
        import resource

        limit = memory_mb * _MB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from .returns import read_return

    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        path, data, max_bytes = job
        try:
            answer = ("ok", read_return(Path(path), data, max_bytes))
        except QingdanError as exc:
            answer = ("error", exc.message)
        except MemoryError:
            answer = ("error", W.M_READER_CRASHED.format(path=path, memory=memory_mb))
        except Exception as exc:  # a reader's own failure on this file
            answer = ("error", W.M_RETURN_UNREADABLE.format(path=path, reason=type(exc).__name__))
        conn.send(answer)


class Reader:
    """One worker process reading returned files; use as a context manager."""

    def __init__(self, timeout: float = 60, memory_mb: int = 1024, max_bytes: int = 50 * _MB) -> None:
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.max_bytes = max_bytes
        self._proc = None
        self._conn = None
        self.restarts = 0

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> None:
        # spawn everywhere: the same on Windows, and no copy of the parent's threads
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child, self.memory_mb), daemon=True)
        self._proc.start()
        child.close()
        self._conn = parent

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(5)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None
        self.restarts += 1

    def read(self, path: Path, data: bytes):
        """The file's Returned, read in the worker; SourceError with the reader's
        message, or one saying the file hung or crashed the worker."""
        if self._proc is None or not self._proc.is_alive():
            if self._proc is not None:
                self._stop()
            self._start()
        try:
            self._conn.send((str(path), data, self.max_bytes))
            if not self._conn.poll(self.timeout):
                self._stop()
                raise SourceError(W.M_READER_TIMEOUT.format(path=path, seconds=self.timeout))
            kind, value = self._conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._stop()
            raise SourceError(W.M_READER_CRASHED.format(path=path, memory=self.memory_mb)) from None
        if kind == "ok":
            return value
        raise SourceError(value)

    def close(self) -> None:
        if self._proc is None:
            return
        try:
            self._conn.send(None)
            self._proc.join(2)
        except OSError:
            pass
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join(2)
        self._conn.close()
        self._proc = self._conn = None
