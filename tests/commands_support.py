"""Running ktr commands in-process against the fake cluster, for command tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from reconciler import cli
from reconciler.cluster.admin import Admin
from reconciler.commands import cluster_access


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def use_cluster(monkeypatch: pytest.MonkeyPatch, admin: Admin) -> list[tuple[object, ...]]:
    """Make every command connect to ``admin``; returns the list of connect calls made."""
    calls: list[tuple[object, ...]] = []

    def connect(
        bootstrap: str | None,
        properties: Sequence[str],
        config: Path | None,
        timeout: float,
        *,
        base: Sequence[tuple[str, str, str]] = (),
    ) -> Admin:
        calls.append((bootstrap, tuple(properties), config, timeout))
        return admin

    monkeypatch.setattr(cluster_access, "connect", connect)
    return calls


def ktr(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    """Run ``ktr ARGS`` in-process and return its exit code and output."""
    try:
        cli.main(list(args))
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def write_topics(directory: Path, text: str) -> Path:
    """Write a declaration file into ``directory`` (made if needed) and return the directory."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "topics.yaml").write_text(text)
    return directory
