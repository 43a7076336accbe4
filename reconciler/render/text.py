"""Terraform-like text for a terminal: ``+`` create, ``~`` change, ``-`` delete, ``!`` refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reconciler.plan.model import Plan
from reconciler.render.blocks import (
    Block,
    drift_blocks,
    drift_summary,
    heading,
    overrides_lines,
    plan_blocks,
    refusal_block,
    refusals_apart,
    summary_line,
)

if TYPE_CHECKING:
    from reconciler.plan.drift import DriftReport  # drift is its own command: imported there

_COLORS = {"+": "32", "~": "33", "-": "31", "-/+": "35", "!": "1;31", "?": "36"}


def plan(plan: Plan, *, color: bool = False) -> str:
    lines = [heading("plan", plan.cluster_id, plan.environment, plan.targets), ""]
    lines += _blocks(plan_blocks(plan), color)
    lines += _blocks([refusal_block(r) for r in refusals_apart(plan)], color)
    if overrides := overrides_lines(plan):
        lines.append(
            "Undeclared overrides (set on the cluster, not declared; left alone "
            "without --prune-configs):"
        )
        lines += [f"  {line}" for line in overrides]
        lines.append("")
    if plan.unmanaged:
        lines.append("Unmanaged topics (on the cluster, not declared; left alone):")
        lines += [f"  {name}" for name in plan.unmanaged]
        lines.append("")
    if plan.warnings:
        lines.append("Warnings:")
        lines += [f"  - {warning}" for warning in plan.warnings]
        lines.append("")
    lines.append(summary_line(plan))
    return "\n".join(lines)


def drift(report: DriftReport) -> str:
    lines = [heading("drift", report.cluster_id, report.environment), ""]
    lines += _blocks(drift_blocks(report), color=False)
    lines.append(drift_summary(report))
    return "\n".join(lines)


def _blocks(blocks: list[Block], color: bool) -> list[str]:
    """Blocks with details are set apart by blank lines; one-line blocks stay together."""
    lines: list[str] = []
    for block in blocks:
        sign = block.sign
        if color:
            sign = f"\x1b[{_COLORS.get(block.sign, '0')}m{sign}\x1b[0m"
        if block.details and lines and lines[-1] != "":
            lines.append("")
        lines.append(f"  {sign} {block.heading}")
        if block.details:
            lines += ["      " + d for d in block.details]
            lines.append("")
    if lines and lines[-1] != "":
        lines.append("")
    return lines
