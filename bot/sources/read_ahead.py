"""Day files read and parsed ahead of the import, on a worker thread, while SQLite indexes.

Why: a fresh import of the 393 recorded days spends about as long decoding JSON and parsing
entries as SQLite spends writing and indexing them, one after the other. The batch's end
(`storage.bulk.deferred_index`: one `INSERT … SELECT` per text index, then the commit) is one
long SQLite call that lets go of the GIL, so the next batch's files can be parsed meanwhile.

Why only then: a worker parsing all the time slows the import down (measured: 1.15 → 1.34–1.49
s). The thread that writes makes thousands of short SQLite calls, and each time one returns it
waits for the parsing thread to hand back the GIL (up to the 5 ms switch interval). So the
worker parses only while the gate is open (`ReadAhead.allow`), and the writing thread parses
any file the worker has not reached itself.

What it does not do: touch the database. A file is read, digested and parsed here; whether it
is unchanged since its last import is checked by the caller with the digest, on the
database's thread (a file parsed ahead that turns out unchanged is simply not stored).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Prepared(Generic[T]):
    """One file: `prepare(path)`'s result, or the exception it raised (re-raised by `get`)."""

    path: Path
    value: T | None
    error: BaseException | None

    def get(self) -> T:
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]


class ReadAhead(Generic[T]):
    """Each of `paths` in order (`__iter__`), with `prepare(path)`'s result when the worker
    thread reached it first (while the gate was open: `allow`), else None: the caller then
    does that file itself, its own way (it may skip parsing an unchanged file). The worker
    stays at most `AHEAD` files ahead, so only so many parsed days are held."""

    AHEAD = 256

    def __init__(self, paths: Sequence[Path], prepare: Callable[[Path], T]) -> None:
        self._paths = list(paths)
        self._prepare = prepare
        self._cond = threading.Condition()
        self._claimed = 0  # every file before this one is done or being done
        self._next = 0  # the file the caller is at
        self._done: dict[int, Prepared[T]] = {}
        self._gate = False
        self._stop = False
        self._worker: threading.Thread | None = None

    def __enter__(self) -> ReadAhead[T]:
        if len(self._paths) > 1:
            self._worker = threading.Thread(
                target=self._work, name="paperbot-import-ahead", daemon=True
            )
            self._worker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if self._worker is not None:
            self._worker.join()

    def allow(self, on: bool) -> None:
        """Open (or close) the gate: open it just before a long SQLite call that lets go of
        the GIL (a batch's indexing and commit), close it when that returns."""
        with self._cond:
            self._gate = on
            self._cond.notify_all()

    def __iter__(self) -> Iterator[tuple[Path, Prepared[T] | None]]:
        for i, path in enumerate(self._paths):
            done = None
            with self._cond:
                self._next = i
                self._cond.notify_all()
                if i >= self._claimed:  # the worker has not reached it: the caller does it
                    self._claimed = i + 1
                else:
                    while i not in self._done:
                        self._cond.wait()
                    done = self._done.pop(i)
            yield path, done

    def _run(self, i: int) -> Prepared[T]:
        path = self._paths[i]
        try:
            return Prepared(path, self._prepare(path), None)
        except Exception as e:  # carried to the caller's thread, for that file alone
            return Prepared(path, None, e)

    def _may_claim(self) -> bool:
        ahead = self._claimed - self._next - 1  # claimed beyond the caller's file
        return self._gate and self._claimed < len(self._paths) and ahead < self.AHEAD

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._stop and not self._may_claim():
                    self._cond.wait()
                if self._stop:
                    return
                i = self._claimed
                self._claimed += 1
            done = self._run(i)
            with self._cond:
                self._done[i] = done
                self._cond.notify_all()
