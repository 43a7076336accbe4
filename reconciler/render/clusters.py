"""One report for several clusters (``--all-clusters``): a section per cluster, in each format.

A cluster that could not be planned (unreachable, invalid for its version)
gets a section saying why, so one failure never hides the other clusters.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reconciler.plan.model import Plan
from reconciler.problems import plural
from reconciler.render import render_drift, render_plan

if TYPE_CHECKING:
    from reconciler.plan.drift import DriftReport  # drift is its own command: imported there


@dataclass(frozen=True)
class ClusterSection:
    """What one cluster of ktr.yaml gave: a plan or a drift report, or the error instead."""

    cluster: str
    environment: str | None
    kafka_version: str | None = None
    plan: Plan | None = None
    drift: DriftReport | None = None
    error: str | None = None

    @property
    def changed(self) -> bool:
        if self.plan is not None:
            return self.plan.has_changes
        return self.drift is not None and self.drift.drift


def render_sections(sections: Sequence[ClusterSection], fmt: str, *, color: bool = False) -> str:
    """The combined report as ``fmt`` ("text", "json" or "markdown")."""
    if fmt == "json":
        return json.dumps({"clusters": [_document(s) for s in sections]}, indent=2)
    if fmt == "markdown":
        return "\n\n".join(_markdown(s) for s in sections) + "\n\n" + _summary(sections) + "\n"
    return "\n\n".join(_text(s, color) for s in sections) + "\n\n" + _summary(sections)


def _heading(section: ClusterSection) -> str:
    env = f", environment {section.environment}" if section.environment else ", topics as written"
    version = f", Kafka {section.kafka_version}" if section.kafka_version else ""
    return f"cluster {section.cluster}{env}{version}"


def _text(section: ClusterSection, color: bool) -> str:
    head = f"=== {_heading(section)} ==="
    if section.error is not None:
        return f"{head}\nktr: error: {section.error}"
    if section.plan is not None:
        return f"{head}\n{render_plan(section.plan, 'text', color=color)}"
    assert section.drift is not None
    return f"{head}\n{render_drift(section.drift, 'text')}"


def _markdown(section: ClusterSection) -> str:
    head = f"## {_heading(section)}"
    if section.error is not None:
        quoted = "\n".join(f"    {line}" for line in section.error.splitlines())
        return f"{head}\n\n**Error**: this cluster could not be read:\n\n{quoted}"
    if section.plan is not None:
        return f"{head}\n\n{render_plan(section.plan, 'markdown')}"
    assert section.drift is not None
    return f"{head}\n\n{render_drift(section.drift, 'markdown')}"


def _document(section: ClusterSection) -> dict[str, object]:
    document: dict[str, object] = {
        "cluster": section.cluster,
        "environment": section.environment,
        "kafka_version": section.kafka_version,
        "ok": section.error is None,
        "error": section.error,
    }
    if section.drift is not None or (section.plan is None and section.error is not None):
        if section.drift is None:
            document["drift"] = None
        else:
            from reconciler.plan.drift import drift_document

            document["drift"] = drift_document(section.drift)
    if section.plan is not None or section.drift is None:
        from reconciler.plan.document import to_document  # only JSON shows the document

        document["plan"] = None if section.plan is None else to_document(section.plan)
    return document


def _summary(sections: Sequence[ClusterSection]) -> str:
    failed = [s.cluster for s in sections if s.error is not None]
    changed = [s.cluster for s in sections if s.error is None and s.changed]
    what = "drift" if any(s.drift is not None for s in sections) else "changes"
    parts = [f"{plural(len(sections), 'cluster')}"]
    parts.append(f"{what} in {', '.join(changed)}" if changed else f"no {what}")
    if failed:
        parts.append(f"{len(failed)} could not be read: {', '.join(failed)}")
    return "Clusters: " + "; ".join(parts) + "."
