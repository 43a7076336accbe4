"""Which files are declarations: the YAML files under the paths given, hidden ones skipped."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from reconciler.declarations import lock
from reconciler.problems import Problem

DEFAULT_PATHS = (Path("topics"),)
SUFFIXES = (".yaml", ".yml")


def declaration_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The YAML files under ``paths``, in order, and problems with the paths themselves."""
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in SUFFIXES and p.is_file() and not _hidden(p, path)
            )
            if not found:
                problems.append(
                    Problem(str(path), 0, 0, "no declaration files (*.yaml, *.yml) found")
                )
        elif path.name == lock.LOCK_FILE and path.exists():
            problems.append(
                Problem(
                    str(path),
                    0,
                    0,
                    "this is the lock file written by `ktr lock`, not a declaration; "
                    "pass its directory to check the lock",
                )
            )
            continue
        elif path.exists():
            found = [path]
        else:
            message = "no such file or directory"
            if path in DEFAULT_PATHS:
                message += (
                    " (ktr reads topics/ by default; "
                    "pass the files or directories that hold your declarations)"
                )
            problems.append(Problem(str(path), 0, 0, message))
            continue
        for file in found:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                files.append(file)
    return files, problems


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
