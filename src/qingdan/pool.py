"""Run one function over many jobs in worker processes, one per CPU.

Split writes hundreds of forms and each is pure CPU work (XML and zip), so the
forms are spread over worker processes started once per run.  The workers are
plain subprocesses (``python -m qingdan.pool``) talking length-prefixed pickles
on stdin and stdout, as isolate.py's reader does: multiprocessing would re-run
the caller's own script in every worker when it lacks an
``if __name__ == "__main__"`` guard.
"""

from __future__ import annotations

import importlib
import os
import queue
import sys
import threading
from collections import deque
from collections.abc import Callable, Sequence

from . import words as W
from .isolate import become_worker, receive_frame, send_frame, start_worker

MAX_WORKERS = 4
# jobs handed to a worker at once: the next waits in its pipe while it works on one, so it
# never idles between jobs.  Answers must therefore stay small (under a pipe's buffer,
# 4 KB on Windows): a worker blocked writing a large answer while its next job is being
# sent to it would wait forever
AHEAD = 2


class WorkerFailed(Exception):
    """A job whose worker raised or died; ``str()`` says what happened."""


def cpus() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def run_all(func: Callable, jobs: Sequence[tuple], workers: int,
            done: Callable[[int, object], None]) -> None:
    """Call ``func(*job)`` for every job in ``workers`` new worker processes (see Workers.run)."""
    with Workers(max(1, min(workers, len(jobs)))) as pool:
        pool.run(func, jobs, done)


class Workers:
    """Worker processes, started at once so that they import ``preload`` while
    the caller goes on; ``run`` hands them jobs, ``close`` (or leaving the
    ``with`` block) ends them all, busy or not."""

    def __init__(self, count: int, preload: str = "") -> None:
        self._args = (preload,) if preload else ()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._live: set = set()  # every worker started and not yet ended
        self._idle: list = []
        for _ in range(count):
            try:
                self._idle.append(self._start())
            except OSError:  # no more processes: fewer workers, or one started per job later
                break
        self._count = max(count, 1)

    def _start(self):
        proc = start_worker("qingdan.pool", *self._args)
        with self._lock:
            stopped = self._stopped.is_set()
            if not stopped:
                self._live.add(proc)
        if stopped:  # closed while it started: it must not outlive close()
            _end(proc)
            raise OSError("workers closed")
        return proc

    def _kill(self, proc) -> None:
        with self._lock:
            self._live.discard(proc)
        _end(proc)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def run(self, func: Callable, jobs: Sequence[tuple], done: Callable[[int, object], None]) -> None:
        """Call ``func(*job)`` for every job, each worker working on one at a time
        (with the next queued, see AHEAD: its return values must be small).

        ``func`` must be a module-level function.  ``done(index, result)`` is
        called in the caller's thread as each job finishes, in the order they
        finish; ``result`` is the function's return value, or a WorkerFailed when
        it raised or its worker died (the worker is then started again for the
        next job).  When ``done`` raises or the caller is interrupted (Ctrl-C), no
        further job is started and the workers are ended before the error goes on."""
        target = (func.__module__, func.__qualname__)
        todo: queue.Queue = queue.Queue()
        for index, job in enumerate(jobs):
            todo.put((index, job))
        finished: queue.Queue = queue.Queue()

        def drive() -> None:
            with self._lock:
                proc = self._idle.pop() if self._idle else None
            sent: deque[tuple[int, tuple]] = deque()  # jobs with this worker, not yet answered, in order
            try:
                while not self._stopped.is_set():
                    # AHEAD jobs are kept with the worker: it starts the next as soon as it answers one
                    while len(sent) < AHEAD and not self._stopped.is_set():
                        try:
                            index, job = todo.get_nowait()
                        except queue.Empty:
                            break
                        try:
                            if proc is None:
                                proc = self._start()
                            send_frame(proc.stdin, (target, job))
                        except Exception as exc:  # it died, or could not start
                            if sent:  # it died on an earlier job, which is blamed below; this one waits
                                todo.put((index, job))
                                break
                            if proc is not None:
                                self._kill(proc)
                            proc = None
                            finished.put((index, WorkerFailed(W.M_WORKER_ENDED.format(kind=type(exc).__name__))))
                            continue
                        sent.append((index, job))
                    if not sent:
                        return
                    index, _ = sent.popleft()
                    try:
                        kind, value = receive_frame(proc.stdout)
                    except Exception as exc:  # it died on this job: this job fails, not the run
                        self._kill(proc)
                        proc = None
                        finished.put((index, WorkerFailed(W.M_WORKER_ENDED.format(kind=type(exc).__name__))))
                        while sent:  # never started: tried again, by this worker's successor or another
                            todo.put(sent.popleft())
                        continue
                    finished.put((index, value if kind == "ok" else WorkerFailed(value)))
            finally:
                if proc is not None:
                    with self._lock:
                        self._idle.append(proc)

        threads = [threading.Thread(target=drive, daemon=True) for _ in range(min(self._count, len(jobs)))]
        for thread in threads:
            thread.start()
        try:
            for _ in range(len(jobs)):
                done(*finished.get())
        except BaseException:
            self.close()  # the busy workers too: their threads then stop at once
            raise
        finally:
            for thread in threads:
                thread.join()

    def close(self) -> None:
        """End every worker without waiting for it: after a normal run each job it
        took has been answered (its file written and in place); an unused worker
        may still be importing; after an error or Ctrl-C nothing more is wanted."""
        with self._lock:
            self._stopped.set()
            live, self._live, self._idle = list(self._live), set(), []
        for proc in live:
            _end(proc)


def _end(proc) -> None:
    """Kill a worker and close its pipes."""
    try:
        proc.kill()
        proc.wait(5)
    except Exception:  # already gone, or will be reaped when qingdan ends
        pass
    for stream in (proc.stdin, proc.stdout):
        try:
            stream.close()
        except OSError:
            pass


def _serve(preload: str = "") -> None:
    """The worker: call the functions it is sent until its stdin ends."""
    out = become_worker()
    if preload:
        try:
            importlib.import_module(preload)
        except Exception:  # reported by the first job that needs it
            pass
    inp = sys.stdin.buffer
    functions: dict[tuple[str, str], Callable] = {}
    while True:
        try:
            target, job = receive_frame(inp)
        except EOFError:
            return
        try:
            func = functions.get(target)
            if func is None:
                func = functions[target] = getattr(importlib.import_module(target[0]), target[1])
            answer = ("ok", func(*job))
        except Exception as exc:  # reported for this job; the worker goes on
            answer = ("error", f"{type(exc).__name__}: {exc}")
        send_frame(out, answer)


if __name__ == "__main__":
    _serve(sys.argv[1] if len(sys.argv) > 1 else "")
