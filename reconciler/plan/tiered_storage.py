"""Turning tiered storage off, which Kafka allows only together with deleting the remote data.

Kafka 3.9 and later refuse to change a topic's ``remote.storage.enable`` from
true to false unless the same change sets ``remote.log.delete.on.disable=true``
(LogConfig.validateTurningOffRemoteStorageWithDelete, LogConfig@3.9.1:648-655,
@4.1.0:530-537). Whether a change turns it off depends on the topic's current
value, so this is a rule of the plan, not of the declarations.
"""

from __future__ import annotations

from dataclasses import replace

from reconciler.model import ClusterState
from reconciler.plan.model import ActionKind, Plan, Refusal

_ENABLE = "remote.storage.enable"
_DELETE = "remote.log.delete.on.disable"


def refuse_turning_off_without_delete(plan: Plan, state: ClusterState) -> Plan:
    """``plan`` with a refusal for each config change that turns tiered storage off
    without ``remote.log.delete.on.disable=true``."""
    refused: list[Refusal] = []
    for action in plan.actions:
        if action.kind is not ActionKind.ALTER_CONFIG:
            continue
        changes = {c.key: c for c in action.config}
        enable = changes.get(_ENABLE)
        if enable is None or enable.before != "true" or enable.after == "true":
            continue
        delete = changes.get(_DELETE)
        topic = state.topics.get(action.topic)
        current = topic.config.get(_DELETE) if topic is not None else None
        after = delete.after if delete is not None else (current.value if current else None)
        if after == "true":
            continue
        refused.append(
            Refusal(
                action.topic,
                "turning tiered storage off (remote.storage.enable true => false) deletes the "
                "topic's remote data, and Kafka refuses it without "
                "remote.log.delete.on.disable=true",
                "declare remote.log.delete.on.disable: true beside remote.storage.enable: false "
                "if the remote data may go, or keep remote.storage.enable: true",
                location=action.location,
            )
        )
    return replace(plan, refused=plan.refused + tuple(refused)) if refused else plan
