"""Short scenarios for doctor tests: declarations, client files and settings in a temp dir,
and ``ktr doctor`` run in-process with its JSON report parsed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.commands_support import Result, ktr

ENVIRONMENTS = {"production": {}, "development": {}, "staging": {}}


def declare(directory: Path, topics: dict[str, Any], *, locked: bool = True) -> Path:
    """Write ``topics`` as a declaration file (with production, development and staging
    environments declared) into ``directory``, locked unless asked otherwise."""
    directory.mkdir(parents=True, exist_ok=True)
    doc = {"defaults": {"environments": ENVIRONMENTS}, "topics": topics}
    (directory / "topics.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    if locked:
        (directory / "topics.lock").write_text("".join(f"{name}\n" for name in sorted(topics)))
    return directory


def healthy(**overrides: Any) -> dict[str, Any]:
    """A topic no declaration rule objects to, with ``overrides`` on top."""
    topic: dict[str, Any] = {
        "partitions": 6,
        "replication_factor": 3,
        "config": {"min.insync.replicas": 2, "compression.type": "zstd"},
    }
    topic.update(overrides)
    return topic


def client_file(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text)
    return path


def settings_file(directory: Path, settings: dict[str, Any]) -> Path:
    path = directory / "ktr.yaml"
    path.write_text(yaml.safe_dump(settings, sort_keys=False))
    return path


def doctor(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[Result, dict[str, Any]]:
    """Run ``ktr doctor ARGS --format json``; the report is {} when none was printed."""
    result = ktr(capsys, "doctor", *args, "--format", "json")
    report = json.loads(result.out) if result.out.strip() else {}
    return result, report


def fired(report: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    """The findings of ``rule`` in a JSON report."""
    return [f for f in report.get("findings", []) if f["rule"] == rule]


def skipped(report: dict[str, Any]) -> dict[str, str]:
    return {s["rule"]: s["reason"] for s in report.get("skipped", [])}
