"""Markdown for pull-request comments and job summaries: a summary table, then the diff."""

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
    reassignment_json,
    summary_line,
)

if TYPE_CHECKING:
    from reconciler.plan.drift import DriftReport  # drift is its own command: imported there


def plan(plan: Plan) -> str:
    counts = plan.summary()
    lines = [f"### {heading('plan', plan.cluster_id, plan.environment, plan.targets)}", ""]
    lines += _table(
        ["Create", "Add partitions", "Change config", "Delete", "Recreate", "Refused", "Unmanaged"],
        [
            counts["create"],
            counts["add_partitions"],
            counts["alter_config"],
            counts["delete"],
            counts["recreate"],
            counts["refused"],
            counts["unmanaged"],
        ],
    )
    lines += ["", summary_line(plan), ""]
    if plan.actions:
        lines += _diff(plan_blocks(plan))
    if plan.refused:
        lines += ["#### Refused", ""]
        for refusal in plan.refused:
            lines.append(f"- **`{refusal.topic}`**: {refusal.reason}")
            if refusal.hint:
                lines.append(f"  - To do: {refusal.hint}")
            if refusal.reassignment is not None:
                lines += [
                    "",
                    "  <details><summary>Reassignment JSON</summary>",
                    "",
                    "  ```json",
                    *(f"  {line}" for line in reassignment_json(refusal.reassignment).split("\n")),
                    "  ```",
                    "",
                    "  </details>",
                ]
        lines.append("")
    if overrides := overrides_lines(plan):
        lines += ["#### Undeclared overrides", ""]
        lines += [f"- `{line}`" for line in overrides]
        lines.append("")
    if plan.unmanaged:
        lines += ["#### Unmanaged topics (left alone)", ""]
        lines += [f"- `{name}`" for name in plan.unmanaged]
        lines.append("")
    if plan.warnings:
        lines += ["#### Warnings", ""]
        lines += [f"- {warning}" for warning in plan.warnings]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def drift(report: DriftReport) -> str:
    lines = [f"### {heading('drift', report.cluster_id, report.environment)}", ""]
    lines += _table(
        ["Missing", "Changed", "Declared deleted", "Unmanaged", "Looks auto-created"],
        [
            len(report.missing),
            len(report.changed),
            len(report.lingering),
            len(report.unmanaged),
            sum(1 for u in report.unmanaged if u.auto_created),
        ],
    )
    lines += ["", drift_summary(report), ""]
    blocks = drift_blocks(report)
    if blocks:
        lines += _diff(blocks)
    return "\n".join(lines).rstrip() + "\n"


def _table(headers: list[str], values: list[int]) -> list[str]:
    return [
        "| " + " | ".join(headers) + " |",
        "|" + "---:|" * len(headers),
        "| " + " | ".join(str(v) for v in values) + " |",
    ]


def _diff(blocks: list[Block]) -> list[str]:
    # In a ```diff block GitHub colours lines by their first character, so
    # every detail line repeats its block's sign.
    lines = ["```diff"]
    for block in blocks:
        lines.append(f"{block.sign} {block.heading}")
        mark = block.sign[0]
        lines += [f"{mark}     {detail}" for detail in block.details]
    return [*lines, "```", ""]
