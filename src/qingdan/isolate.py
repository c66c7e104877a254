"""Reading returned files where a bad one cannot take qingdan down.

python-calamine can abort the whole process (an allocation failure in Rust is
not an exception), and a crafted file can make any reader spin or swallow the
memory.  So merge hands each file's bytes to one worker process
(``python -m qingdan.isolate``), reused from file to file, with a memory limit
(POSIX) and a time limit per file.  A file that kills or hangs its worker is
refused by name; the worker is started again for the next file, and the run
goes on.

The worker is a plain subprocess talking length-prefixed pickles over its
stdin and stdout, not multiprocessing: that would re-run the caller's own
script in the worker when it lacks an ``if __name__ == "__main__"`` guard.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
import threading
from pathlib import Path

from . import words as W
from .errors import QingdanError, SourceError

_MB = 1024 * 1024
_HEADER = struct.Struct("<Q")


def _send(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream):
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def _serve(memory_mb: int) -> None:
    """The worker: read (path, bytes, max_bytes) jobs from stdin until told to stop."""
    if memory_mb and os.name != "nt":
        import resource

        limit = memory_mb * _MB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # the protocol gets its own copy of stdout; fd 1 itself goes nowhere, so nothing
    # a library prints can break the framing
    out = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    from .returns import read_return

    inp = sys.stdin.buffer
    while True:
        try:
            job = _receive(inp)
        except EOFError:
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
        _send(out, answer)


class Reader:
    """One worker process reading returned files; use as a context manager."""

    def __init__(self, timeout: float = 60, memory_mb: int = 1024, max_bytes: int = 50 * _MB) -> None:
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.max_bytes = max_bytes
        self._proc: subprocess.Popen | None = None
        self.restarts = 0

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> None:
        env = dict(os.environ)
        src = str(Path(__file__).resolve().parents[1])  # qingdan importable as the caller has it
        env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        flags = subprocess.CREATE_NO_WINDOW if os.name == "nt" else 0
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "qingdan.isolate", str(self.memory_mb)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, creationflags=flags)

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait(5)
            for stream in (self._proc.stdin, self._proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
        self._proc = None
        self.restarts += 1

    def read(self, path: Path, data: bytes):
        """The file's Returned, read in the worker; SourceError with the reader's
        message, or one saying the file hung or crashed the worker."""
        if self._proc is not None and self._proc.poll() is not None:
            self._stop()
        if self._proc is None:
            self._start()
        answer: list = []

        def wait_for_answer() -> None:
            try:
                answer.append(_receive(self._proc.stdout))
            except (EOFError, OSError, pickle.UnpicklingError):
                pass

        try:
            _send(self._proc.stdin, (str(path), data, self.max_bytes))
        except OSError:  # it died before taking the job
            self._stop()
            raise SourceError(W.M_READER_CRASHED.format(path=path, memory=self.memory_mb)) from None
        # a thread, not select(): pipes cannot be polled on Windows
        waiter = threading.Thread(target=wait_for_answer, daemon=True)
        waiter.start()
        waiter.join(self.timeout)
        if waiter.is_alive():
            self._stop()
            raise SourceError(W.M_READER_TIMEOUT.format(path=path, seconds=self.timeout))
        if not answer:
            self._stop()
            raise SourceError(W.M_READER_CRASHED.format(path=path, memory=self.memory_mb))
        kind, value = answer[0]
        if kind == "ok":
            return value
        raise SourceError(value)

    def close(self) -> None:
        if self._proc is None:
            return
        try:
            _send(self._proc.stdin, None)
            self._proc.wait(2)
        except (OSError, subprocess.TimeoutExpired):
            self._proc.kill()
            self._proc.wait(2)
        for stream in (self._proc.stdin, self._proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self._proc = None


if __name__ == "__main__":
    _serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
