"""The lock file: the declared topic names, kept in git next to the declarations.

Adding or removing a topic is the change reviewers most need to notice. With
a ``topics.lock`` present, validation fails until the lock is rewritten with
``ktr lock``, so each such change shows up as a line in the lock's diff.

The format is one topic per line, sorted, with an optional note after the
name (``deleted`` for a tombstone); ``#`` starts a comment. Only the names
are checked: notes are there for the reader.
"""

from __future__ import annotations

import shlex
from collections.abc import Collection, Mapping
from pathlib import Path

from reconciler.model import DesiredState, Location
from reconciler.problems import Problem, Unreadable, read_regular

LOCK_FILE = "topics.lock"

HEADER = """\
# topics.lock: every declared topic name, sorted. Written by `ktr lock`.
# `ktr validate`, `ktr plan` and `ktr apply` fail when a topic is added or
# removed without re-running `ktr lock`, so that each shows up in this diff.
# "deleted" marks a tombstone (delete: true), everywhere or in the environments named.
"""


def exists(path: Path) -> bool:
    return path.is_file()


def notes(states: Mapping[str | None, DesiredState]) -> dict[str, str]:
    """The note of each declared name, from its state in every environment.

    ``states`` maps each environment (None: no ``--env``) to its desired state.
    """
    result: dict[str, str] = {}
    all_names = sorted({name for state in states.values() for name in state.topics})
    for name in all_names:
        deleted_in = [
            env
            for env, state in states.items()
            if name in state.topics and state.topics[name].absent
        ]
        if not deleted_in:
            result[name] = ""
        elif len(deleted_in) == len(states):
            result[name] = "deleted"
        elif None in deleted_in:
            # Deleted as written; an overlay keeps it somewhere.
            kept = sorted(str(env) for env in states if env is not None and env not in deleted_in)
            result[name] = "deleted, kept in " + ", ".join(kept)
        else:
            result[name] = "deleted in " + ", ".join(sorted(str(env) for env in deleted_in))
    return result


def render(entries: Mapping[str, str]) -> str:
    """The lock file's text for ``entries`` (name to note)."""
    width = max((len(name) for name, note in entries.items() if note), default=0)
    lines = [HEADER]
    for name in sorted(entries):
        note = entries[name]
        lines.append(f"{name.ljust(width)}  {note}\n" if note else f"{name}\n")
    return "".join(lines)


def read(path: Path) -> dict[str, int]:
    """The names in a lock file, each with its (1-based) line. Raises Unreadable."""
    names: dict[str, int] = {}
    # An editor may have saved it with a byte-order mark, which is not part of the first name.
    text = read_regular(path).removeprefix("\ufeff")
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.split("#", 1)[0].split()
        if content and content[0] not in names:
            names[content[0]] = number
    return names


def relock_command(path: Path) -> str:
    """The command that rewrites the lock ``path``, as a user would type it."""
    directory = path.parent
    return "ktr lock" if directory == Path("topics") else f"ktr lock {shlex.quote(str(directory))}"


def check(
    path: Path,
    declared: Mapping[str, Location],
    *,
    unchecked: Collection[str] | None = (),
) -> list[Problem]:
    """Problems for each topic added to or removed from the declarations since ``path``.

    An added topic is reported where it is declared; a removed one at its
    line in the lock. ``unchecked`` names topics declared in files left out
    of the check, which are not removed; None when such a file's topics are
    unknown, so that no locked name can be called removed.
    """
    try:
        locked = read(path)
    except Unreadable as why:
        return [Problem(str(path), 0, 0, f"cannot read the lock file: {why}")]
    problems: list[Problem] = []
    for name, location in declared.items():
        if name not in locked:
            problems.append(
                Problem(
                    location.file,
                    location.line,
                    location.column,
                    f"topic '{name}' is not in {path}; run `{relock_command(path)}` to add it "
                    "(and commit the lock with it)",
                )
            )
    for name, line in locked.items():
        if unchecked is None:
            break
        if name not in declared and name not in unchecked:
            problems.append(
                Problem(
                    str(path),
                    line,
                    1,
                    f"topic '{name}' is in the lock but no longer declared; "
                    f"run `{relock_command(path)}` to remove it (and commit the lock with it)",
                )
            )
    return problems
