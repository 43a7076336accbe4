"""A plan as blocks of lines (a sign, a heading, details), shared by the text and Markdown forms."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from reconciler.plan.drift import DriftReport
from reconciler.plan.model import Action, ActionKind, ConfigChange, Plan, Refusal

SIGNS = {
    ActionKind.CREATE: "+",
    ActionKind.ADD_PARTITIONS: "~",
    ActionKind.ALTER_CONFIG: "~",
    ActionKind.DELETE: "-",
    ActionKind.RECREATE: "-/+",
}
REFUSED = "!"

_NOTES = {
    ActionKind.ADD_PARTITIONS: "add partitions; keyed records may move to other partitions",
    ActionKind.ALTER_CONFIG: "change config",
    ActionKind.DELETE: "delete; all data is lost",
    ActionKind.RECREATE: "delete and recreate; all data is lost",
}


@dataclass(frozen=True)
class Block:
    sign: str
    heading: str
    details: tuple[str, ...] = ()


def action_block(action: Action) -> Block:
    note = _NOTES.get(action.kind)
    heading = f"{action.topic}  ({note})" if note else action.topic
    return Block(SIGNS[action.kind], heading, tuple(_details(action)))


def _details(action: Action) -> list[str]:
    rows: list[tuple[str, str]] = []
    for label, (before, after) in (
        ("partitions", action.partitions),
        ("replication_factor", action.replication_factor),
    ):
        if before is None and after is None:
            continue
        if action.kind is ActionKind.CREATE or before is None:
            rows.append((label, str(after)))
        elif after is None or before == after:
            rows.append((label, str(before)))
        else:
            rows.append((label, f"{before} => {after}"))
    for change in action.config:
        rows.append((change.key, _config_value(action.kind, change)))
    width = max((len(label) for label, _ in rows), default=0)
    return [f"{label + ':':<{width + 1}} {value}" for label, value in rows]


def _config_value(kind: ActionKind, change: ConfigChange) -> str:
    if kind is ActionKind.CREATE:
        return str(change.after)
    if kind is ActionKind.RECREATE and change.before == change.after:
        return str(change.after)
    if change.before is not None and change.after is not None and change.before == change.after:
        # Right only as inherited from a broker: the plan sets it on the topic.
        return f"{change.after} (inherited from the broker => set on the topic)"
    before = "(default)" if change.before is None else change.before
    after = "(remove override)" if change.after is None else change.after
    return f"{before} => {after}"


def refusal_block(refusal: Refusal) -> Block:
    details = []
    if refusal.hint:
        details.append(f"to do: {refusal.hint}")
    if refusal.reassignment is not None:
        details.append("reassignment (kafka-reassign-partitions.sh --reassignment-json-file):")
        details += [f"  {line}" for line in reassignment_json(refusal.reassignment).split("\n")]
    return Block(REFUSED, f"{refusal.topic}: {refusal.reason}", tuple(details))


def reassignment_json(document: Mapping[str, object]) -> str:
    """The reassignment document, one partition a line: short to read, valid to copy."""
    partitions = document.get("partitions")
    if not isinstance(partitions, list):
        return json.dumps(document)
    rest = {k: v for k, v in document.items() if k != "partitions"}
    head = json.dumps(rest)[:-1] + (", " if rest else "") + '"partitions": ['
    items = [f"  {json.dumps(p)}" for p in partitions]
    return "\n".join([head, ",\n".join(items), "]}"])


def summary_line(plan: Plan) -> str:
    if not plan.has_changes:
        return "No changes: the cluster matches the declarations."
    counts = plan.summary()
    parts = [
        f"{counts['create']} to create",
        f"{counts['add_partitions']} to add partitions",
        f"{counts['alter_config']} to change config",
        f"{counts['delete']} to delete",
        f"{counts['recreate']} to recreate",
    ]
    line = "Plan: " + ", ".join(parts)
    if plan.refused:
        line += f"; {len(plan.refused)} refused (apply will change nothing until resolved)"
    return line + "."


def overrides_lines(plan: Plan) -> list[str]:
    """Undeclared overrides left alone: those this plan removes show in its actions."""
    removed = {
        (action.topic, change.key)
        for action in plan.actions
        for change in action.config
        if change.after is None
    }
    lines = []
    for topic, keys in sorted(plan.undeclared_overrides.items()):
        kept = sorted((k, v) for k, v in keys.items() if (topic, k) not in removed)
        if kept:
            lines.append(f"{topic}: " + ", ".join(f"{k}={v}" for k, v in kept))
    return lines


def heading(command: str, cluster_id: str | None, environment: str | None) -> str:
    where = f"cluster {cluster_id or '(unknown id)'}"
    if environment:
        where += f", environment {environment}"
    return f"ktr {command}: {where}"


# --------------------------------------------------------------------- drift


def drift_blocks(report: DriftReport) -> list[Block]:
    blocks = [
        Block("+", f"{name}  (declared, missing from the cluster)") for name in report.missing
    ]
    for change in report.changed:
        details = []
        for label, pair in (
            ("partitions", change.partitions),
            ("replication_factor", change.replication_factor),
        ):
            if pair is not None:
                details.append(f"{label}: declared {pair[0]}, actual {pair[1]}")
        details += [f"{c.key}: declared {c.declared}, actual {c.actual}" for c in change.config]
        details += [
            f"{key}: set on the cluster to {value}, not declared"
            for key, value in sorted(change.undeclared_overrides.items())
        ]
        blocks.append(Block("~", change.topic, tuple(details)))
    blocks += [
        Block("-", f"{name}  (declared deleted, still on the cluster)") for name in report.lingering
    ]
    for topic in report.unmanaged:
        note = "not declared"
        if topic.auto_created:
            note += "; 1 partition and no overrides: looks auto-created"
        blocks.append(Block("?", f"{topic.name}  ({note})"))
    return blocks


def drift_summary(report: DriftReport) -> str:
    if not report.drift:
        return "No drift: the cluster matches the declarations."
    auto = sum(1 for u in report.unmanaged if u.auto_created)
    unmanaged = f"{len(report.unmanaged)} unmanaged"
    if auto:
        unmanaged += f" ({auto} looking auto-created)"
    return (
        f"Drift: {len(report.missing)} missing, {len(report.changed)} changed, "
        f"{len(report.lingering)} declared deleted but present, {unmanaged}."
    )
