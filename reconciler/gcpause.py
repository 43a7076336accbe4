"""Pausing CPython's cyclic garbage collector while large states are built.

Reading 10,000 topics and diffing them allocates over a million objects
that all stay alive until the plan is made. Each allocation burst triggers
the cyclic collector, which walks every live container object again: a
third of the time of a large plan went there, for nothing, since these
objects form no reference cycles. Reference counting frees everything as
usual while the collector is paused. When it runs again, what the pause
built is frozen out of its sight (``gc.freeze``): the next collections would
otherwise walk it all once more, a few milliseconds each.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# The collector is one switch for the whole process, and blocks on several
# threads (loading declarations while clusters are read) overlap: it runs
# again only when the last of them ends, and only if it ran before the first.
_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause automatic cyclic collection for the block (nested blocks, and blocks
    on several threads at once, are fine)."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                # What outlives a pause is the state or plan it built, which
                # lives until the command ends: frozen out of the collector's
                # sight, it is not walked again by every later collection.
                # A cycle made meanwhile is never collected then; there are few.
                gc.freeze()
                gc.enable()
