"""``ktr doctor`` reports as text for a terminal, JSON for tools, Markdown for summaries."""

from __future__ import annotations

import json
from typing import Any

from reconciler.doctor.findings import Finding, Report
from reconciler.problems import plural

FORMATS = ("text", "json", "markdown")


def render_report(report: Report, fmt: str) -> str:
    """``report`` as ``fmt`` ("text", "json" or "markdown")."""
    if fmt == "text":
        return text(report)
    if fmt == "json":
        return json.dumps(document(report), indent=2)
    if fmt == "markdown":
        return markdown(report)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def heading(report: Report) -> str:
    where = f"cluster {report.cluster_id}" if report.cluster_id else "no cluster"
    environment = report.environment or "(none)"
    kind = (
        "production checklist"
        if report.production
        else "not a production environment: only the rules for every environment"
    )
    return f"ktr doctor: {where}, environment {environment} ({kind})"


def summary(report: Report) -> str:
    counts = [
        plural(report.count("error"), "error"),
        plural(report.count("warning"), "warning"),
    ]
    if report.count("info"):
        counts.append(plural(report.count("info"), "note"))
    skipped = f"; {plural(len(report.skipped), 'rule')} skipped" if report.skipped else ""
    return f"Doctor: {', '.join(counts)}{skipped}."


def text(report: Report) -> str:
    lines = [heading(report), ""]
    for finding in report.findings:
        where = f"{finding.where}: " if finding.where else ""
        lines.append(f"  {finding.severity:<7}  {finding.rule}: {where}{finding.message}")
        lines.append(f"           fix: {finding.fix}")
    if report.findings:
        lines.append("")
    for reason, rules in _skipped_by_reason(report).items():
        lines.append(f"Skipped ({reason}): {', '.join(rules)}")
    if report.skipped:
        lines.append("")
    lines.append(summary(report))
    return "\n".join(lines)


def _skipped_by_reason(report: Report) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for skipped in report.skipped:
        grouped.setdefault(skipped.reason, []).append(skipped.rule)
    return grouped


def finding_document(finding: Finding) -> dict[str, Any]:
    entry: dict[str, Any] = {"rule": finding.rule, "severity": finding.severity}
    if finding.topic is not None:
        entry["topic"] = finding.topic
    if finding.group is not None:
        entry["group"] = finding.group
    if finding.file is not None:
        entry["file"] = finding.file
        entry["line"] = finding.line
    entry["message"] = finding.message
    entry["fix"] = finding.fix
    return entry


def document(report: Report) -> dict[str, Any]:
    return {
        "environment": report.environment,
        "production": report.production,
        "cluster_id": report.cluster_id,
        "findings": [finding_document(f) for f in report.findings],
        "skipped": [{"rule": s.rule, "reason": s.reason} for s in report.skipped],
        "summary": {
            "error": report.count("error"),
            "warning": report.count("warning"),
            "info": report.count("info"),
            "skipped": len(report.skipped),
        },
    }


_SPECIALS = set("\\`*_[]<>|~&#")


def _cell(value: str) -> str:
    flat = " ".join(value.splitlines())
    return "".join("\\" + char if char in _SPECIALS else char for char in flat)


def markdown(report: Report) -> str:
    lines = [f"### {_cell(heading(report))}", "", summary(report), ""]
    if report.findings:
        lines += ["| Severity | Rule | Where | Finding | Fix |", "|---|---|---|---|---|"]
        for f in report.findings:
            where = f.where or f.topic or f.group or ""
            lines.append(
                f"| {f.severity} | `{f.rule}` | {_cell(where)} | {_cell(f.message)} "
                f"| {_cell(f.fix)} |"
            )
        lines.append("")
    skipped = _skipped_by_reason(report)
    if skipped:
        lines.append("Skipped:")
        lines.append("")
        lines += [f"- {_cell(reason)}: {', '.join(rules)}" for reason, rules in skipped.items()]
        lines.append("")
    return "\n".join(lines)
