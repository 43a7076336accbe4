"""Is a saved plan what its own record gives against the live cluster? Pure.

A saved plan records what it was made from (:class:`~reconciler.plan.model.PlanBasis`).
Computing the plan again from that record against the cluster as it is now
must give exactly the saved actions. A plan whose actions were edited, one
made against another state of the cluster, and one made elsewhere all fail
the same comparison, which names the first difference.
"""

from __future__ import annotations

from reconciler.gcpause import gc_paused
from reconciler.model import ClusterState
from reconciler.plan.model import Action, ActionKind, Plan
from reconciler.plan.pipeline import plan_against
from reconciler.settings import Settings

# What a destructive action needs on the command line of apply itself.
NEEDS_FLAG = {ActionKind.DELETE: "--allow-delete", ActionKind.RECREATE: "--allow-recreate"}


def missing_flags(plan: Plan, allow_delete: bool, allow_recreate: bool) -> list[str]:
    """The flags ``plan``'s destructive actions need that apply was not given, with the topics."""
    given = {"--allow-delete": allow_delete, "--allow-recreate": allow_recreate}
    lines = []
    for kind, flag in NEEDS_FLAG.items():
        topics = [a.topic for a in plan.actions if a.kind is kind]
        if topics and not given[flag]:
            shown = ", ".join(topics[:5]) + (
                f" and {len(topics) - 5} more" if len(topics) > 5 else ""
            )
            lines.append(f"{flag} ({len(topics)} to {kind.value}: {shown})")
    return lines


def first_difference(saved: Plan, now: ClusterState, settings: Settings) -> str | None:
    """What differs between ``saved`` and the plan its record gives on ``now``; None if nothing.

    ``settings`` are the ones in force at apply time: protection must come
    from them, and the plan must have been made with the same ones.
    """
    basis = saved.basis
    if basis is None:
        return "the plan does not record what it was made from"
    for name, recorded, current in (
        ("owned_topics", basis.owned, settings.owned),
        ("protected_topics", basis.protected, settings.protected),
    ):
        if tuple(recorded) != tuple(current):
            return (
                f"the plan was made with {name} {list(recorded)} in ktr.yaml, but the settings "
                f"now say {list(current)}"
            )
    if basis.desired.environment != saved.environment:
        return "the recorded environment differs from the plan's"
    with gc_paused():
        again = plan_against(basis.desired, now, settings, basis.options)
    for index, (mine, theirs) in enumerate(zip(saved.actions, again.actions, strict=False)):
        difference = _action_difference(mine, theirs)
        if difference:
            return f"actions[{index}] ({mine.kind.value} {mine.topic}): {difference}"
    if len(saved.actions) > len(again.actions):
        extra = saved.actions[len(again.actions)]
        return (
            f"actions[{len(again.actions)}] ({extra.kind.value} {extra.topic}) is not in the plan "
            "its recorded declarations give"
        )
    if len(again.actions) > len(saved.actions):
        missing = again.actions[len(saved.actions)]
        return f"the plan lacks {missing.kind.value} {missing.topic}, which its declarations give"
    refused = {r.topic for r in saved.refused}
    for refusal in again.refused:
        if refusal.topic not in refused:
            return f"the plan does not show the refused change of {refusal.topic}: {refusal.reason}"
    if tuple(saved.declared) != again.declared:
        return "the topics the plan covers (plan.declared) are not those of its declarations"
    return None


def _action_difference(mine: Action, theirs: Action) -> str | None:
    if (mine.kind, mine.topic) != (theirs.kind, theirs.topic):
        return f"the recorded declarations give {theirs.kind.value} {theirs.topic} here"
    for what in ("partitions", "replication_factor", "topic_id", "location"):
        ours, wanted = getattr(mine, what), getattr(theirs, what)
        if ours != wanted:
            return f"{what} is {ours!r}, the declarations give {wanted!r}"
    if mine.config != theirs.config:
        ours = {c.key: c for c in mine.config}
        for change in theirs.config:
            if ours.get(change.key) != change:
                return f"config {change.key} differs from what the declarations give"
        return "its config changes are not what the declarations give"
    return None
