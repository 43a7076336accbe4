"""A plan as blocks of lines (a sign, a heading, details), shared by the text and Markdown forms."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reconciler.plan.model import Action, ActionKind, ConfigChange, Plan, Refusal

if TYPE_CHECKING:
    from reconciler.plan.drift import DriftReport  # drift is its own command: imported there

SIGNS = {
    ActionKind.CREATE: "+",
    ActionKind.ADD_PARTITIONS: "~",
    ActionKind.ALTER_CONFIG: "~",
    ActionKind.DELETE: "-",
    ActionKind.RECREATE: "-/+",
}
REFUSED = "!"

# What each kind of change does, and what a reviewer must know about it.
_NOTES = {
    ActionKind.ADD_PARTITIONS: ("add partitions", "keyed records may move to other partitions"),
    ActionKind.ALTER_CONFIG: ("change config", None),
    ActionKind.DELETE: ("delete", "all data is lost"),
    ActionKind.RECREATE: ("delete and recreate", "all data is lost"),
}


@dataclass(frozen=True)
class Block:
    sign: str
    heading: str
    details: tuple[str, ...] = ()


def plan_blocks(plan: Plan) -> list[Block]:
    """One block per topic with every change planned for it, as Terraform shows a resource.

    Blocks come in the order apply reaches each topic first (creates, then
    changes, then deletes); the JSON document keeps the per-action order.
    """
    by_topic: dict[str, list[Action]] = {}
    for action in plan.actions:
        by_topic.setdefault(action.topic, []).append(action)
    refused: dict[str, list[Refusal]] = {}
    for refusal in plan.refused:
        if refusal.topic in by_topic:
            refused.setdefault(refusal.topic, []).append(refusal)
    blocks = []
    for topic, actions in by_topic.items():
        block = topic_block(actions)
        if topic in refused:
            # A refused change of a topic that also has planned ones belongs in its block.
            extra = [line for r in refused[topic] for line in _refused_lines(r)]
            block = Block(block.sign, block.heading, block.details + tuple(extra))
        blocks.append(block)
    return blocks


def refusals_apart(plan: Plan) -> list[Refusal]:
    """The refusals of topics with no planned change, shown as blocks of their own."""
    acted_on = {action.topic for action in plan.actions}
    return [r for r in plan.refused if r.topic not in acted_on]


def topic_block(actions: list[Action]) -> Block:
    """The block of one topic: ``actions`` are all planned for it, in execution order."""
    first = actions[0]
    labels = [_NOTES[a.kind] for a in actions if a.kind in _NOTES]
    heading = first.topic
    if labels:
        what = " and ".join(label for label, _ in labels)
        cautions = [caution for _, caution in labels if caution]
        heading += f"  ({'; '.join([what, *cautions])})"
    rows = _rows(first) if len(actions) == 1 else [r for a in actions for r in _rows(a)]
    width = max([len(label) for label, _ in rows], default=0) + 1
    details = tuple([f"{(label + ':').ljust(width)} {value}" for label, value in rows])
    return Block(SIGNS[first.kind], heading, details)


def action_block(action: Action) -> Block:
    return topic_block([action])


def _rows(action: Action) -> list[tuple[str, str]]:
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
    return rows


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
    return Block(REFUSED, f"{refusal.topic}: {refusal.reason}", tuple(_refusal_details(refusal)))


def _refused_lines(refusal: Refusal) -> list[str]:
    return [f"{REFUSED} refused: {refusal.reason}", *_refusal_details(refusal)]


def _refusal_details(refusal: Refusal) -> list[str]:
    details = []
    if refusal.hint:
        details.append(f"to do: {refusal.hint}")
    if refusal.reassignment is not None:
        details.append("reassignment (kafka-reassign-partitions.sh --reassignment-json-file):")
        details += [f"  {line}" for line in reassignment_json(refusal.reassignment).split("\n")]
    return details


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
        them = "it is" if len(plan.refused) == 1 else "they are"
        line += (
            f"; {len(plan.refused)} refused: this plan cannot be applied, and apply will "
            f"change nothing until {them} resolved"
        )
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


def heading(
    command: str, cluster_id: str | None, environment: str | None, targets: Sequence[str] = ()
) -> str:
    where = f"cluster {cluster_id or '(unknown id)'}"
    if environment:
        where += f", environment {environment}"
    if targets:
        # Like Terraform's -target: say loudly that the plan covers part of the topics.
        where += f", only topics matching {' '.join(targets)}"
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
