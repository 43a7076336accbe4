"""The last check before anything changes: does the cluster still hold what the plan assumed?"""

from __future__ import annotations

from collections.abc import Mapping

from reconciler.model import TopicInfo
from reconciler.plan.model import ActionKind, Plan
from reconciler.problems import UserError, plural
from reconciler.settings import Settings


class StalePlan(UserError):
    """The cluster no longer looks as the plan assumed; nothing was changed."""


def check_plan_against(
    plan: Plan, topics: Mapping[str, TopicInfo], settings: Settings
) -> list[str]:
    """Why the plan can no longer be applied as it is, one line per topic. Pure.

    Every action must still find the topic it was planned against: absent for
    a create, present with the same topic id (and partition count, for an
    increase) otherwise. Deleting a protected topic is refused here too, as a
    last line of defence whatever produced the plan.
    """
    problems: list[str] = []
    for action in plan.actions:
        live = topics.get(action.topic)
        destructive = action.kind in (ActionKind.DELETE, ActionKind.RECREATE)
        if destructive and settings.is_protected(action.topic):
            problems.append(f"{action.topic}: protected topic; ktr never deletes it")
        elif action.kind is ActionKind.CREATE:
            if live is not None:
                problems.append(f"{action.topic}: planned as new, but it exists now")
        elif live is None:
            problems.append(f"{action.topic}: planned to {_verb(action.kind)}, but it is gone")
        elif action.topic_id and live.topic_id and action.topic_id != live.topic_id:
            problems.append(
                f"{action.topic}: was deleted and recreated since the plan "
                f"(topic id {action.topic_id} is now {live.topic_id})"
            )
        elif (
            action.kind is ActionKind.ADD_PARTITIONS
            and action.partitions[0] is not None
            and live.partition_count != action.partitions[0]
        ):
            problems.append(
                f"{action.topic}: planned from {plural(action.partitions[0], 'partition')}, "
                f"now has {live.partition_count}"
            )
    return problems


def _verb(kind: ActionKind) -> str:
    return {
        ActionKind.CREATE: "create",
        ActionKind.ADD_PARTITIONS: "add partitions",
        ActionKind.ALTER_CONFIG: "change configs",
        ActionKind.DELETE: "delete",
        ActionKind.RECREATE: "recreate",
    }[kind]
