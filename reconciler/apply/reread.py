"""After a step ended without an answer, read the cluster and say what actually happened.

A batch request that timed out, or whose follow-up read did, leaves every
action of the step with an unknown outcome; reporting them all as failed is
wrong (most of a large create usually went through) and so is guessing. The
cluster is read once more, with a time budget of its own, and each action is
reported as what the cluster shows: done, not done, or, if even that read
fails, unknown.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

from reconciler.apply.outcome import Status
from reconciler.apply.wait import config_mismatches
from reconciler.cluster.admin import Admin, ClusterError
from reconciler.model import ConfigEntry, TopicInfo
from reconciler.plan.model import Action, ActionKind

#: Each request of the re-read may take this long (or the user's --timeout if longer).
REREAD_REQUEST_TIMEOUT = 30.0
_ATTEMPTS = 3

Found = tuple[Status, str]


def reread(
    admin: Admin,
    actions: Sequence[Action],
    cause: str,
    same_value: Callable[[str, str | None, str | None], bool],
    sleep: Callable[[float], None] = time.sleep,
) -> dict[tuple[ActionKind, str], Found] | str:
    """What the cluster shows for each of ``actions``, whose step ended with ``cause``.

    A string instead says why the cluster could not be read again either.
    """
    names = sorted({a.topic for a in actions})
    wanted = {a.topic: _wanted_configs(a) for a in actions if _wanted_configs(a) is not None}
    error = ""
    with admin.patient(REREAD_REQUEST_TIMEOUT):
        for attempt in range(_ATTEMPTS):
            try:
                live = admin.topics(ids_for=names)
                present = [n for n in wanted if n in live]
                configs = admin.topic_configs(present) if present else {}
                break
            except ClusterError as failed:
                error = str(failed)
                if attempt + 1 < _ATTEMPTS:
                    sleep(2.0**attempt)
        else:
            return error
    return {(a.kind, a.topic): _found(a, live, configs, cause, same_value) for a in actions}


def _wanted_configs(action: Action) -> dict[str, str | None] | None:
    if action.kind is ActionKind.ALTER_CONFIG:
        return action.config_changes
    if action.kind in (ActionKind.CREATE, ActionKind.RECREATE):
        return dict(action.created_config)
    return None


def _found(
    action: Action,
    live: Mapping[str, TopicInfo],
    configs: Mapping[str, Mapping[str, ConfigEntry]],
    cause: str,
    same_value: Callable[[str, str | None, str | None], bool],
) -> Found:
    seen = f"(the step ended with: {cause}; this is what reading the cluster again shows)"
    topic = live.get(action.topic)
    kind = action.kind
    if kind is ActionKind.DELETE:
        if topic is None:
            return Status.DONE, f"deleted {seen}"
        return Status.FAILED, f"not deleted: the topic is still there {seen}"
    if topic is None:
        if kind is ActionKind.RECREATE:
            return Status.FAILED, (
                f"DELETED, but not created again: the topic does not exist now {seen}; "
                "fix the cause, then run ktr apply to create it"
            )
        if kind is ActionKind.CREATE:
            return Status.FAILED, f"not created {seen}"
        return Status.FAILED, f"not done: the topic is gone {seen}"
    if kind is ActionKind.RECREATE and (
        action.topic_id is None or topic.topic_id in (None, action.topic_id)
    ):
        return Status.FAILED, f"not recreated: the topic is still the one planned against {seen}"
    wanted_partitions = action.partitions[1]
    if wanted_partitions is not None and topic.partition_count != wanted_partitions:
        return Status.FAILED, (
            f"not done: the topic has {topic.partition_count} partitions, "
            f"{wanted_partitions} planned {seen}"
        )
    wanted = _wanted_configs(action)
    if wanted:
        bad = config_mismatches({action.topic: wanted}, configs, same_value).get(action.topic)
        if bad:
            shown = "; ".join(f"{key} {problem}" for key, problem in sorted(bad.items()))
            return Status.FAILED, f"not done: {shown} {seen}"
    verb = {
        ActionKind.CREATE: "created",
        ActionKind.RECREATE: "recreated",
        ActionKind.ADD_PARTITIONS: "partitions added",
        ActionKind.ALTER_CONFIG: "configs changed",
    }[kind]
    return Status.DONE, f"{verb} {seen}; not yet confirmed on every broker"
