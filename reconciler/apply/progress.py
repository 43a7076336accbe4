"""Showing an apply as it runs: one updating line per step on a terminal, plain lines otherwise.

Long applies (a thousand topics, each waited for on every broker) should show
that they are moving; logs in CI should stay readable, so off a terminal
each step prints when it starts and when it ends, and nothing in between.
"""

from __future__ import annotations

import sys
from typing import Protocol, TextIO


class Progress(Protocol):
    """Where the executor reports what it is doing."""

    def start(self, title: str, total: int) -> None:
        """A step begins: ``title`` (e.g. "creating topics") over ``total`` items."""
        ...

    def update(self, done: int) -> None:
        """``done`` of the current step's items are finished."""
        ...

    def finish(self, message: str) -> None:
        """The current step ended; ``message`` says how."""
        ...

    def note(self, message: str) -> None:
        """A line worth keeping (a retry, a warning)."""
        ...


class Silent:
    """Reports nothing (library use, tests)."""

    def start(self, title: str, total: int) -> None:
        pass

    def update(self, done: int) -> None:
        pass

    def finish(self, message: str) -> None:
        pass

    def note(self, message: str) -> None:
        pass


class Lines:
    """One line when a step starts and one when it ends: for logs and CI."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def start(self, title: str, total: int) -> None:
        print(f"{title} ({total})...", file=self._stream, flush=True)

    def update(self, done: int) -> None:
        pass

    def finish(self, message: str) -> None:
        print(f"  {message}", file=self._stream, flush=True)

    def note(self, message: str) -> None:
        print(f"  {message}", file=self._stream, flush=True)


class LiveLine:
    """A single line per step, rewritten in place as items finish."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._title = ""
        self._total = 0
        self._open = False

    def start(self, title: str, total: int) -> None:
        self._title, self._total = title, total
        self._draw(0)

    def update(self, done: int) -> None:
        self._draw(done)

    def finish(self, message: str) -> None:
        self._clear()
        print(f"{self._title}: {message}", file=self._stream, flush=True)

    def note(self, message: str) -> None:
        self._clear()
        print(f"  {message}", file=self._stream, flush=True)

    def _draw(self, done: int) -> None:
        self._stream.write(f"\r\x1b[K{self._title}: {done}/{self._total}")
        self._stream.flush()
        self._open = True

    def _clear(self) -> None:
        if self._open:
            self._stream.write("\r\x1b[K")
            self._open = False


def for_stream(stream: TextIO | None = None) -> Progress:
    """A live line on a terminal, plain lines anywhere else."""
    out = stream or sys.stderr
    return LiveLine(out) if out.isatty() else Lines(out)
