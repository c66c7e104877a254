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
import queue
import struct
import subprocess
import sys
import threading
from pathlib import Path

from . import words as W
from .errors import QingdanError, ReaderError, SourceError

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


_DEAD = object()  # the receiver's word that the worker's output ended


class Reader:
    """One worker process reading returned files; use as a context manager.

    ``read`` takes one file; ``read_many`` keeps the next file queued in the
    worker while the caller deals with the last answer.  A thread drains the
    worker's answers as they come, so neither side ever waits on a full pipe."""

    def __init__(self, timeout: float = 60, memory_mb: int = 1024, max_bytes: int = 50 * _MB) -> None:
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.max_bytes = max_bytes
        self._proc: subprocess.Popen | None = None
        self._answers: queue.Queue | None = None
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
        answers: queue.Queue = queue.Queue()
        stdout = self._proc.stdout

        def receive() -> None:
            while True:
                try:
                    answers.put(_receive(stdout))
                except (EOFError, OSError, ValueError, pickle.UnpicklingError):
                    answers.put(_DEAD)
                    return

        threading.Thread(target=receive, daemon=True).start()
        self._answers = answers

    def _alive(self) -> None:
        if self._proc is not None and self._proc.poll() is not None:
            self._stop()
        if self._proc is None:
            self._start()

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait(5)
            for stream in (self._proc.stdin, self._proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
        self._proc = self._answers = None
        self.restarts += 1

    def _send(self, path: Path, data: bytes) -> bool:
        try:
            _send(self._proc.stdin, (str(path), data, self.max_bytes))
            return True
        except OSError:  # it died before taking the job
            return False

    def _answer(self, path: Path):
        """The worker's answer for ``path``: the Returned, or a SourceError to raise."""
        try:
            got = self._answers.get(timeout=self.timeout)
        except queue.Empty:
            self._stop()
            return ReaderError(W.M_READER_TIMEOUT.format(path=path, seconds=self.timeout))
        if got is _DEAD:
            self._stop()
            return ReaderError(W.M_READER_CRASHED.format(path=path, memory=self.memory_mb))
        kind, value = got
        return value if kind == "ok" else SourceError(value)

    def read(self, path: Path, data: bytes):
        """The file's Returned, read in the worker; SourceError with the reader's
        message, or one saying the file hung or crashed the worker."""
        self._alive()
        if not self._send(path, data):
            self._stop()
            raise ReaderError(W.M_READER_CRASHED.format(path=path, memory=self.memory_mb))
        answer = self._answer(path)
        if isinstance(answer, SourceError):
            raise answer
        return answer

    def read_many(self, jobs: list[tuple[Path, bytes]]):
        """Yield (index, Returned or SourceError) for each (path, bytes), in order,
        with the next job already queued in the worker."""
        sent = 0  # jobs handed to the current worker
        done = 0
        while done < len(jobs):
            self._alive()
            while sent < len(jobs) and sent <= done + 1:
                if not self._send(*jobs[sent]):
                    break
                sent += 1
            if sent == done:  # not even the next job could be handed over: the worker is gone
                self._stop()
                yield done, ReaderError(W.M_READER_CRASHED.format(path=jobs[done][0], memory=self.memory_mb))
                done = sent = done + 1
                continue
            answer = self._answer(jobs[done][0])
            yield done, answer
            done += 1
            if self._proc is None:  # it died or hung on that file: what was queued goes again
                sent = done

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
        self._proc = self._answers = None


if __name__ == "__main__":
    _serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
