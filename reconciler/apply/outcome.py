"""What an apply did: one outcome per action, and the bounds it ran within."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from reconciler.plan.model import Action


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
