"""Writing an import: checked in a scratch copy first, then put in place, and the lock updated."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from reconciler.declarations import lock
from reconciler.declarations.resolve import load_declarations
from reconciler.declarations.result import format_problem
from reconciler.model import DesiredState
from reconciler.problems import Problem, UserError

from .build import Output
from .verify import mismatches


def check(output: Output, out: Path) -> list[str]:
    """Raise UserError unless the files, written over a copy of ``out``, validate and
    resolve in every environment to exactly the topics imported; return the
    validation warnings about the files to write (``FILE:LINE:COL: warning: ...``)."""
    if not output.texts:
        return []
    warnings: list[Problem] = []
    with tempfile.TemporaryDirectory(prefix="ktr-import-") as scratch:
        copy = Path(scratch) / "topics"
        if out.is_dir():
            shutil.copytree(out, copy, ignore=shutil.ignore_patterns(lock.LOCK_FILE))
        else:
            copy.mkdir()
        for path, text in output.texts.items():
            target = copy / path.relative_to(out)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        expected = dict(output.expected)
        if None not in expected:
            expected[None] = []  # the files as written must validate too
        found = mismatches(copy, expected, output.tombstones, warnings)
        written = {str(copy / path.relative_to(out)): str(path) for path in output.texts}
    if found:
        shown = [line.replace(str(copy), str(out)) for line in found[:20]]
        more = f" (and {len(found) - 20} more)" if len(found) > 20 else ""
        raise UserError(
            "the declarations this import would write do not hold what the source has, so "
            "nothing was written:\n  " + "\n  ".join(shown) + more
        )
    return [format_problem(replace(p, file=written[p.file])) for p in warnings if p.file in written]


def write(output: Output) -> None:
    """Write every file of ``output`` (each whole, new or merged)."""
    for path, text in output.texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise UserError(f"{path}: cannot write: {error.strerror or error}") from None


def update_lock(out: Path) -> tuple[Path, int] | None:
    """Rewrite ``out``'s topics.lock when it has one: (its path, topics in it); else None."""
    path = out / lock.LOCK_FILE
    if not lock.exists(path):
        return None
    base = load_declarations([out], None, check_lock=False)
    states: dict[str | None, DesiredState] = {None: base.desired}
    for env in base.environments:
        states[env] = load_declarations([out], env, check_lock=False).desired
    entries = lock.notes(states)
    path.write_text(lock.render(entries), encoding="utf-8")
    return path, len(entries)
