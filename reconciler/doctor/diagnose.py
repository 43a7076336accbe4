"""Run the rules that apply to one environment, and honour suppressions."""

from __future__ import annotations

from reconciler.doctor.catalogue import BROKER_CONFIG_RULES, RULES
from reconciler.doctor.facts import Facts
from reconciler.doctor.findings import Finding, Report, Skipped
from reconciler.doctor.profile import rules_to_run
from reconciler.doctor.rules import CHECKS

_ORDER = {"error": 0, "warning": 1, "info": 2}
NO_CONNECTION = "no connection to a cluster; pass -b or set KAFKA_BOOTSTRAP_SERVERS"


def diagnose(facts: Facts) -> Report:
    """Every finding for ``facts``'s environment, sorted: errors first, then by place.

    Outside production only the rules marked to run everywhere apply. Rules
    switched off for the environment do not run; a topic's own
    ``doctor: {ignore: [...]}`` drops that rule's findings about it.
    """
    profile = facts.profile
    findings: list[Finding] = []
    applies = set(rules_to_run(profile))
    # What gathering could not read matters only for the rules that run.
    skipped = [s for s in facts.skipped if s.rule in applies]
    already = {s.rule for s in skipped}
    cluster = facts.cluster
    unreadable = cluster is not None and cluster.broker_configs is None
    for rule_id, rule in RULES.items():
        if rule_id not in applies or rule_id in already:
            continue
        if rule_id == "broker-configs-unreadable":
            if unreadable and cluster is not None:
                findings.append(_unreadable(cluster.broker_configs_error))
            continue
        needs_cluster = rule.source == "cluster" or rule_id == "assignor-change"
        if needs_cluster and cluster is None:
            skipped.append(Skipped(rule_id, NO_CONNECTION))
            continue
        if unreadable and rule_id in BROKER_CONFIG_RULES:
            skipped.append(Skipped(rule_id, "broker configs unreadable"))
            continue
        for finding in CHECKS[rule_id](facts):
            spec = facts.desired.topics.get(finding.topic) if finding.topic else None
            if spec is not None and rule_id in spec.doctor_ignore:
                continue
            findings.append(finding)
    findings.sort(key=_reading_order)
    return Report(
        environment=profile.name,
        production=profile.production,
        cluster_id=cluster.cluster_id if cluster is not None else None,
        findings=tuple(findings),
        skipped=tuple(sorted(skipped)),
    )


def _unreadable(error: str | None) -> Finding:
    return Finding(
        rule="broker-configs-unreadable",
        severity=RULES["broker-configs-unreadable"].severity,
        message=f"the cluster did not show its broker configs ({error or 'no answer'}): "
        "the rules that need them are skipped",
        fix="grant this principal DESCRIBE_CONFIGS on the cluster; on a broker that cannot "
        "describe its configs, check auto.create.topics.enable, num.partitions, "
        "default.replication.factor and offsets.retention.minutes by hand",
    )


def _reading_order(finding: Finding) -> tuple[int, str, int, str, str]:
    return (
        _ORDER[finding.severity],
        finding.file or "",
        finding.line,
        finding.rule,
        finding.topic or finding.group or "",
    )
