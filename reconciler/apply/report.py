"""What an apply did, as lines a person reads: per topic, with new topic ids and warnings."""

from __future__ import annotations

from reconciler.apply.executor import ApplyResult, Status
from reconciler.plan import ActionKind

_SIGN = {Status.DONE: "ok", Status.FAILED: "FAILED", Status.NOT_DONE: "not done"}


def render_result(result: ApplyResult) -> str:
    """One line per action, then the totals and what to do next."""
    lines: list[str] = []
    for outcome in result.outcomes:
        action = outcome.action
        detail = f": {outcome.detail}" if outcome.detail else ""
        line = f"  {_SIGN[outcome.status]:<8} {action.kind.value:<15} {action.topic}{detail}"
        if outcome.new_topic_id:
            line += f" (new topic id {outcome.new_topic_id})"
        lines.append(line)
    recreated = [
        o.topic
        for o in result.outcomes
        if o.action.kind is ActionKind.RECREATE and o.status is Status.DONE
    ]
    if recreated:
        lines.append(
            "warning: recreated topic(s) "
            + ", ".join(recreated)
            + " have new topic ids and no data; restart their producers and consumers, "
            "which do not reliably notice a topic replaced under the same name"
        )
    lines.extend(f"warning: {w}" for w in result.warnings)
    done = len(result.by_status(Status.DONE))
    failed = len(result.by_status(Status.FAILED))
    not_done = len(result.by_status(Status.NOT_DONE))
    summary = f"Apply {'interrupted' if result.interrupted else 'finished'}: {done} done"
    if failed:
        summary += f", {failed} failed"
    if not_done:
        summary += f", {not_done} not done"
    lines.append(summary + ".")
    if not result.ok:
        lines.append("Run ktr plan to see what is left; running ktr apply again finishes the job.")
    return "\n".join(lines)
