"""What an apply did, as lines a person reads: per topic, with new topic ids and warnings."""

from __future__ import annotations

from typing import Any

from reconciler.apply.outcome import ApplyResult, Status
from reconciler.plan.model import ActionKind

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
    restart = restart_warning(result)
    if restart:
        lines.append(f"warning: {restart}")
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
    unsupported = sum(1 for o in result.outcomes if o.unsupported)
    if unsupported:
        lines.append(unsupported_note(unsupported))
    if failed > unsupported:
        # A failure may be lasting (a broker policy): applying again only
        # helps once its cause is gone.
        lines.append(
            "Run ktr plan to see what is left; ktr apply again finishes the job "
            "once the cause of each FAILED line is gone."
        )
    elif not result.ok and not failed:
        lines.append("Run ktr plan to see what is left; running ktr apply again finishes the job.")
    return "\n".join(lines)


def unsupported_note(count: int) -> str:
    """What to do about ``count`` changes the broker cannot make at all."""
    what = "1 FAILED line" if count == 1 else f"{count} FAILED lines"
    return (
        f"The broker does not support the operation of {what}: applying again will not "
        "make it on this cluster. Declare what the broker can do (for a partition "
        "increase: keep the current count), or use a broker that supports it."
    )


def restart_warning(result: ApplyResult) -> str | None:
    """What to tell about recreated topics, or None when nothing was recreated."""
    recreated = [
        o.topic
        for o in result.outcomes
        if o.action.kind is ActionKind.RECREATE and o.status is Status.DONE
    ]
    if not recreated:
        return None
    return (
        ("recreated topic " if len(recreated) == 1 else "recreated topics ")
        + ", ".join(recreated)
        + (" has a new topic id" if len(recreated) == 1 else " have new topic ids")
        + " and no data; restart their producers and consumers, "
        "which do not reliably notice a topic replaced under the same name"
    )


def result_document(result: ApplyResult) -> dict[str, Any]:
    """The result as JSON-ready data (``ktr apply --format json``)."""
    return {
        "ok": result.ok,
        "interrupted": result.interrupted,
        "summary": {status.value: len(result.by_status(status)) for status in Status},
        "outcomes": [
            {
                "action": o.action.kind.value,
                "topic": o.topic,
                "status": o.status.value,
                "detail": o.detail,
                "new_topic_id": o.new_topic_id,
            }
            for o in result.outcomes
        ],
        "warnings": list(result.warnings),
    }


def render_result_markdown(result: ApplyResult) -> str:
    """The result as a Markdown table, for pull requests and step summaries."""
    title = "interrupted" if result.interrupted else ("applied" if result.ok else "failed")
    lines = [f"### ktr apply: {title}", "", "| | Action | Topic | Detail |", "|---|---|---|---|"]
    marks = {Status.DONE: "✅", Status.FAILED: "❌", Status.NOT_DONE: "⏸️"}
    for o in result.outcomes:
        detail = o.detail + (f" (new topic id `{o.new_topic_id}`)" if o.new_topic_id else "")
        detail = detail.replace("|", "\\|")
        lines.append(f"| {marks[o.status]} | {o.action.kind.value} | `{o.topic}` | {detail} |")
    lines.append("")
    restart = restart_warning(result)
    warnings = [restart, *result.warnings] if restart else list(result.warnings)
    lines.extend(f"> **Warning:** {w}" for w in warnings)
    summary = {status: len(result.by_status(status)) for status in Status}
    lines.append(
        f"{summary[Status.DONE]} done, {summary[Status.FAILED]} failed, "
        f"{summary[Status.NOT_DONE]} not done."
    )
    unsupported = sum(1 for o in result.outcomes if o.unsupported)
    if unsupported:
        lines += ["", unsupported_note(unsupported)]
    return "\n".join(lines)
