"""Terraform-like text for a terminal: ``+`` create, ``~`` change, ``-`` delete, ``!`` refused."""

from __future__ import annotations

from reconciler.drift import DriftReport
from reconciler.plan import Plan
from reconciler.render.blocks import (
    Block,
    action_block,
    drift_blocks,
    drift_summary,
    heading,
    overrides_lines,
    refusal_block,
    summary_line,
)

_COLORS = {"+": "32", "~": "33", "-": "31", "-/+": "35", "!": "1;31", "?": "36"}


def plan(plan: Plan, *, color: bool = False) -> str:
    lines = [heading("plan", plan.cluster_id, plan.environment), ""]
    for block in [action_block(a) for a in plan.actions] + [refusal_block(r) for r in plan.refused]:
        lines += _block(block, color)
    if plan.undeclared_overrides:
        lines.append("Undeclared overrides (set on the cluster, not declared; --prune-configs")
        lines.append("removes them):")
        lines += [f"  {line}" for line in overrides_lines(plan)]
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
    for block in drift_blocks(report):
        lines += _block(block, color=False)
    lines.append(drift_summary(report))
    return "\n".join(lines)


def _block(block: Block, color: bool) -> list[str]:
    sign = block.sign
    if color:
        sign = f"\x1b[{_COLORS.get(block.sign, '0')}m{sign}\x1b[0m"
    return [f"  {sign} {block.heading}", *(f"      {d}" for d in block.details), ""]
