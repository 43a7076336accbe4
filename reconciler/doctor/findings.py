"""What doctor reports: findings (a rule that fired) and the rules it could not run."""

from __future__ import annotations

from dataclasses import dataclass

from reconciler.doctor.catalogue import Severity


@dataclass(frozen=True, order=True)
class Finding:
    """One thing to change, and where.

    ``file`` and ``line`` point at the declaration or client file to edit
    (line 0: the file as a whole); a finding about the cluster has neither.
    """

    rule: str
    severity: Severity
    message: str
    fix: str
    topic: str | None = None
    group: str | None = None
    file: str | None = None
    line: int = 0

    @property
    def where(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line > 0 else self.file


@dataclass(frozen=True, order=True)
class Skipped:
    """A rule that did not run, and why (no connection, the cluster would not say)."""

    rule: str
    reason: str


@dataclass(frozen=True)
class Report:
    """Every finding for one environment, in reading order, and what was skipped."""

    environment: str | None
    production: bool
    cluster_id: str | None
    findings: tuple[Finding, ...]
    skipped: tuple[Skipped, ...]

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)
