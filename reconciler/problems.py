"""Problems found in declarations, each pointing at a file, line and column."""

from __future__ import annotations

import os
import stat
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


#: The largest file ktr reads when the user names it (declarations, settings,
#: client config, lock): far above any real one, far below what exhausts memory.
MAX_FILE_BYTES = 64 * 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class Unreadable(Exception):
    """Why a file cannot be read, in words for a one-line error."""


def read_regular(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of the regular file ``path``, at most ``limit`` bytes.

    Anything else (a FIFO, which would block, ``/dev/zero``, which never
    ends, a socket, a directory) and anything larger raises
    :class:`Unreadable`, as do missing and undecodable files.
    """
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (it has no
        # effect on regular files, which are all that is read).
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise Unreadable(error.strerror or str(error)) from None
    with os.fdopen(fd, "rb") as stream:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a file")
            raise Unreadable(f"{kind}, not a regular file")
        try:
            data = stream.read(limit + 1)
        except OSError as error:
            raise Unreadable(error.strerror or str(error)) from None
    if len(data) > limit:
        size = f"{limit // 2**20} MiB" if limit >= 2**20 else f"{limit} bytes"
        raise Unreadable(f"larger than {size}, the most ktr reads")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Unreadable("not UTF-8 text") from None


def read_text(path: Path, what: str, limit: int = MAX_FILE_BYTES) -> str:
    """The text of a file the user named, or a one-line UserError saying why not.

    ``what`` names the file's role in the message: ``{path}: cannot read {what}: ...``.
    """
    try:
        return read_regular(path, limit)
    except Unreadable as why:
        raise UserError(f"{path}: cannot read {what}: {why}") from None
