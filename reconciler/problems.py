"""Problems found in declarations, each pointing at a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake (or warning) in a declaration file.

    Lines and columns are 1-based, as editors and GitHub annotations count.
    """

    file: str
    line: int
    column: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.file}:{self.line}:{self.column}: {prefix}{self.message}"


class UserError(Exception):
    """A failure the user can act on, reported as one line without a traceback.

    The CLI prints ``str(error)`` and exits with ``exit_code``.
    """

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def plural(count: int, noun: str) -> str:
    """``1 file``, ``2 files``: the counts that close a report of problems."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def read_text(path: Path, what: str) -> str:
    """The text of a file the user named, or a one-line UserError saying why not.

    ``what`` names the file's role in the message: ``{path}: cannot read {what}: ...``.
    """
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise UserError(f"{path}: cannot read {what}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: cannot read {what}: not UTF-8 text") from None
