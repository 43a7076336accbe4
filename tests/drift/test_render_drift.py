"""Drift renderers: the report a scheduled job posts."""

from __future__ import annotations

import json

import pytest

from reconciler.plan.drift import DriftReport, detect_drift
from reconciler.render import render_drift
from reconciler.settings import Settings
from tests.states import cluster, declared, desired, existing


@pytest.fixture
def report() -> DriftReport:
    return detect_drift(
        desired(declared("orders", 12, config={"retention.ms": "1000"}), declared("absent")),
        cluster(existing("orders", 6, overrides={"retention.ms": "2000"}), existing("stray", 1)),
        Settings(),
    )


def test_text_lists_every_kind_of_drift(report: DriftReport) -> None:
    out = render_drift(report, "text")
    assert "  + absent  (declared, missing from the cluster)" in out
    assert "  ~ orders\n      partitions: declared 12, actual 6\n" in out
    assert "      retention.ms: declared 1000, actual 2000" in out
    assert "  ? stray  (not declared; 1 partition and no overrides: looks auto-created)" in out
    assert out.endswith(
        "Drift: 1 missing, 1 changed, 0 declared deleted but present, "
        "1 unmanaged (1 looking auto-created)."
    )


def test_text_says_so_when_nothing_drifted() -> None:
    report = detect_drift(desired(declared("a")), cluster(existing("a")), Settings())
    assert render_drift(report, "text").endswith("No drift: the cluster matches the declarations.")


def test_json_drift_report(report: DriftReport) -> None:
    doc = json.loads(render_drift(report, "json"))
    assert doc["drift"] is True and doc["missing"] == ["absent"]


def test_markdown_drift_has_a_table_and_a_diff(report: DriftReport) -> None:
    out = render_drift(report, "markdown")
    assert "| 1 | 1 | 0 | 1 | 1 |" in out
    assert "```diff\n+ absent" in out
