"""What an apply did: one outcome per action, and the bounds it ran within."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from reconciler.plan.model import Action

# Errors saying the broker lacks the operation itself (librdkafka's local
# check of the broker's API versions, or the broker's own answer).
UNSUPPORTED_CODES = frozenset({"_UNSUPPORTED_FEATURE", "UNSUPPORTED_VERSION"})
UNSUPPORTED = "the broker does not support this operation"


class Status(str, Enum):
    DONE = "done"
    FAILED = "failed"
    NOT_DONE = "not done"


@dataclass(frozen=True)
class Outcome:
    """What happened to one action."""

    action: Action
    status: Status
    detail: str = ""
    new_topic_id: str | None = None

    @property
    def topic(self) -> str:
        return self.action.topic

    @property
    def unsupported(self) -> bool:
        """Failed because the broker lacks the operation: applying again cannot help."""
        return self.status is Status.FAILED and self.detail.startswith(UNSUPPORTED)


@dataclass(frozen=True)
class ApplyResult:
    """Every action of the plan with its outcome, in plan order."""

    outcomes: tuple[Outcome, ...]
    interrupted: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.interrupted and all(o.status is Status.DONE for o in self.outcomes)

    def by_status(self, status: Status) -> list[Outcome]:
        return [o for o in self.outcomes if o.status is status]


@dataclass(frozen=True)
class ExecuteOptions:
    """Bounds on retries and waits."""

    propagation_timeout: float = 30.0
    attempts: int = 5
    first_backoff: float = 0.2
    max_backoff: float = 5.0
