"""Whether output goes to a terminal that wants colour."""

from __future__ import annotations

import os
import sys


def use_color(stream: object = sys.stdout) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)
    or the terminal says it is dumb (TERM=dumb: Emacs shells, some CI consoles)."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
