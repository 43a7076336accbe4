"""Ctrl-C during an apply: finish the step in flight, then stop and report.

Stopping in the middle of a batched request would leave its outcome unknown,
so the first Ctrl-C only raises a flag that the executor reads between steps
(and while waiting). A second Ctrl-C stops at once.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def deferred_interrupt() -> Iterator[Callable[[], bool]]:
    """Yield a function telling whether Ctrl-C was pressed inside the block."""
    if threading.current_thread() is not threading.main_thread():
        # Signal handlers can only be set from the main thread.
        yield lambda: False
        return
    pressed = threading.Event()

    def handler(_signum: int, _frame: FrameType | None) -> None:
        if pressed.is_set():
            if callable(previous):  # lets the CLI see the press, whatever becomes of it
                previous(_signum, _frame)
            raise KeyboardInterrupt
        pressed.set()
        print(
            "\nktr: interrupted: finishing the step in flight (Ctrl-C again to stop at once)",
            file=sys.stderr,
            flush=True,
        )

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield pressed.is_set
    finally:
        signal.signal(signal.SIGINT, previous)
