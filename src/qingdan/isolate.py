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

import gc
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable
from pathlib import Path

from . import words as W
from .errors import QingdanError, ReaderError, SourceError
from .tuning import THRESHOLDS

_MB = 1024 * 1024
_HEADER = struct.Struct("<Q")


def send_frame(stream, obj) -> None:
    """Write ``obj`` to ``stream`` as one length-prefixed pickle."""
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def receive_frame(stream):
    """Read one length-prefixed pickle from ``stream``; EOFError when it ended."""
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
    out = become_worker()
    from .returns import read_return

    inp = sys.stdin.buffer
    while True:
        try:
            job = receive_frame(inp)
        except EOFError:
            return
        if job is None:
            return
        index, path, data, max_bytes = job
        try:
            answer = (index, "ok", read_return(Path(path), data, max_bytes))
        except QingdanError as exc:
            answer = (index, "error", exc.message)
        except MemoryError:
            answer = (index, "error", W.M_READER_CRASHED.format(path=path, memory=memory_mb))
        except Exception as exc:  # a reader's own failure on this file
            answer = (index, "error", W.M_RETURN_UNREADABLE.format(path=path, reason=type(exc).__name__))
        send_frame(out, answer)


def watch_parent() -> None:
    """End the worker when qingdan itself is gone (killed, crashed): never an orphan."""
    if os.name == "nt":
        return  # its stdin closes with the parent, and the next read ends it
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def start_worker(module: str, *args: str) -> subprocess.Popen:
    """``python -m module args…`` with pipes for the pickle protocol, qingdan
    importable as the caller has it, no console window on Windows."""
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    flags = subprocess.CREATE_NO_WINDOW if os.name == "nt" else 0
    return subprocess.Popen([sys.executable, "-m", module, *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, creationflags=flags)


def become_worker():
    """Set up a worker process (started by start_worker) and return its stream for
    answers: its own copy of stdout, while fd 1 itself goes nowhere, so nothing a
    library prints can break the framing.  The worker also ends when qingdan is
    gone, and collects garbage less often (see tuning.py)."""
    out = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    watch_parent()
    gc.set_threshold(*THRESHOLDS)
    return out


_DEAD = object()  # the receiver's word that the worker's output ended
AHEAD = 4  # files queued in the worker beyond the one being answered


class Reader:
    """One worker process reading returned files; use as a context manager.

    Jobs go to the worker from a writer thread and answers come back through a
    reader thread, both tagged with the job's index: the caller never blocks on
    a pipe, and an answer is never paired with the wrong file.  ``read_many``
    keeps a few files queued in the worker while the caller deals with the
    last answer."""

    def __init__(self, timeout: float = 60, memory_mb: int = 1024, max_bytes: int = 50 * _MB) -> None:
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.max_bytes = max_bytes
        self._proc: subprocess.Popen | None = None
        self._answers: queue.Queue | None = None
        self._jobs: queue.Queue | None = None
        self.restarts = 0

    def __enter__(self) -> Reader:
        return self

    def start(self) -> None:
        """Start the worker now (it imports its readers while the caller goes on)."""
        if self._proc is None:
            self._start()

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> None:
        proc = start_worker("qingdan.isolate", str(self.memory_mb))
        answers: queue.Queue = queue.Queue()
        jobs: queue.Queue = queue.Queue()

        def receive() -> None:
            while True:
                try:
                    answers.put(receive_frame(proc.stdout))
                except (EOFError, OSError, ValueError, pickle.UnpicklingError):
                    answers.put(_DEAD)
                    return

        def write() -> None:
            while (job := jobs.get()) is not None:
                try:
                    send_frame(proc.stdin, job)
                except (OSError, ValueError):  # the worker is gone; the reader thread says so
                    return

        threading.Thread(target=receive, daemon=True).start()
        threading.Thread(target=write, daemon=True).start()
        self._proc, self._answers, self._jobs = proc, answers, jobs

    def _stop(self) -> None:
        if self._proc is not None:
            self._jobs.put(None)
            self._proc.kill()
            self._proc.wait(5)
            for stream in (self._proc.stdin, self._proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
        self._proc = self._answers = self._jobs = None
        self.restarts += 1

    def _answer(self, index: int, path: Path):
        """The worker's answer to job ``index``: the Returned, or a SourceError.
        A timeout, a dead worker or an answer to another job stops the worker."""
        try:
            got = self._answers.get(timeout=self.timeout)
        except queue.Empty:
            self._stop()
            return ReaderError(W.M_READER_TIMEOUT.format(path=path, seconds=self.timeout))
        if got is _DEAD or got[0] != index:
            self._stop()
            return ReaderError(W.M_READER_CRASHED.format(path=path, memory=self.memory_mb))
        _, kind, value = got
        return value if kind == "ok" else SourceError(value)

    def read_many(self, jobs: Iterable[tuple[Path, bytes]]):
        """Yield (index, Returned or SourceError) for each (path, bytes), in order.
        ``jobs`` is consumed as the worker needs them (a few files ahead of the
        answers), so the caller can prepare the next files while it reads."""
        source = iter(jobs)
        window: deque[tuple[int, Path, bytes]] = deque()  # handed to the worker, not yet answered
        count = 0
        more = True
        while True:
            # a worker that ended between files is replaced before it is sent more; one
            # that ended with files queued is not: its answers come first, then the word
            # that it died, which blames the file it died on (and only that one)
            if self._proc is not None and not window and self._proc.poll() is not None:
                self._stop()
            if self._proc is None:
                self._start()
                for index, path, data in window:  # a new worker has nothing queued: send them again
                    self._jobs.put((index, str(path), data, self.max_bytes))
            while more and len(window) < AHEAD:
                try:
                    path, data = next(source)
                except StopIteration:
                    more = False
                    break
                window.append((count, path, data))
                self._jobs.put((count, str(path), data, self.max_bytes))
                count += 1
            if not window:
                return
            index, path, _ = window[0]
            answer = self._answer(index, path)
            window.popleft()
            yield index, answer

    def read(self, path: Path, data: bytes):
        """The file's Returned, read in the worker; SourceError with the reader's
        message, or a ReaderError saying the file hung or crashed the worker."""
        _, answer = next(self.read_many([(path, data)]))
        if isinstance(answer, SourceError):
            raise answer
        return answer

    def close(self) -> None:
        if self._proc is None:
            return
        self._jobs.put(None)
        try:
            self._proc.stdin.close()  # end of jobs: the worker's next read ends it
        except OSError:
            pass
        try:
            self._proc.wait(2)
        except subprocess.TimeoutExpired:
            self._proc.kill()  # still busy (a file that hangs it): no waiting on it
            self._proc.wait(2)
        try:
            self._proc.stdout.close()
        except OSError:
            pass
        self._proc = self._answers = self._jobs = None


if __name__ == "__main__":
    _serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
