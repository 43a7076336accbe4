"""Output formats for plans and drift reports: text for people, JSON for tools, Markdown for PRs.

Pure functions from a plan or report to a string (``terminal`` only answers
whether a stream wants colour). May import the pure core; never the cluster.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from reconciler.gcpause import gc_paused
from reconciler.plan.model import Plan
from reconciler.render import markdown, text

if TYPE_CHECKING:
    from reconciler.plan.drift import DriftReport  # drift is its own command: imported there

FORMATS = ("text", "json", "markdown")


def render_plan(plan: Plan, fmt: str, *, color: bool = False) -> str:
    """``plan`` as ``fmt`` ("text", "json" or "markdown"). Colour applies to text only."""
    with gc_paused():  # a large plan's lines are many objects, none in cycles
        if fmt == "text":
            return text.plan(plan, color=color)
        if fmt == "json":
            from reconciler.plan.document import to_document  # only JSON shows the document

            return json.dumps(to_document(plan), indent=2)
        if fmt == "markdown":
            return markdown.plan(plan)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def render_drift(report: DriftReport, fmt: str) -> str:
    """``report`` as ``fmt`` ("text", "json" or "markdown")."""
    if fmt == "text":
        return text.drift(report)
    if fmt == "json":
        from reconciler.plan.drift import drift_document

        return json.dumps(drift_document(report), indent=2)
    if fmt == "markdown":
        return markdown.drift(report)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
