"""Ctrl-C (or SIGTERM) during an apply: finish the step in flight, then stop and report.

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
from typing import Any

# SIGTERM is how CI runners and service managers cancel a job; it gets the
# same chance as Ctrl-C to finish the step in flight and release the lock.
SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def deferred_interrupt() -> Iterator[Callable[[], bool]]:
    """Yield a function telling whether Ctrl-C (or SIGTERM) came inside the block."""
    if threading.current_thread() is not threading.main_thread():
        # Signal handlers can only be set from the main thread.
        yield lambda: False
        return
    pressed = threading.Event()
    previous: dict[int, Any] = {}

    def handler(signum: int, frame: FrameType | None) -> None:
        if pressed.is_set():
            before = previous.get(signum)
            if callable(before):  # lets the CLI see the press, whatever becomes of it
                before(signum, frame)
            raise KeyboardInterrupt
        pressed.set()
        again = "Ctrl-C again" if signum == signal.SIGINT else "signal again"
        print(
            f"\nktr: interrupted: finishing the step in flight ({again} to stop at once)",
            file=sys.stderr,
            flush=True,
        )

    for number in SIGNALS:
        previous[number] = signal.signal(number, handler)
    try:
        yield pressed.is_set
    finally:
        for number in SIGNALS:
            signal.signal(number, previous[number])
