"""The pure diff: what the declarations want against what the cluster has, as a Plan.

Safety lives here, not in apply: a change ktr must not make (shrinking
partitions without ``--allow-recreate``, changing a replication factor,
deleting a protected topic) becomes a :class:`~reconciler.plan.model.Refusal`
that names the topic, the reason and the way out.
"""

from __future__ import annotations

from dataclasses import replace

from reconciler.kafka import catalogue
from reconciler.model import (
    ActualTopic,
    ClusterState,
    DesiredState,
    Location,
    TopicSpec,
)
from reconciler.plan.capacity import broker_warnings, capacity_warnings
from reconciler.plan.compare import compare_topic, effective_value
from reconciler.plan.model import (
    Action,
    ActionKind,
    ConfigChange,
    Plan,
    PlanBasis,
    Refusal,
)
from reconciler.plan.model import PlanOptions as PlanOptions  # re-exported: callers plan with it
from reconciler.plan.reassignment import reassignment
from reconciler.plan.targets import selected, unmatched
from reconciler.problems import plural
from reconciler.settings import Settings

_KIND_ORDER = {kind: index for index, kind in enumerate(ActionKind)}


def is_untouchable(name: str, topic: ActualTopic | None, settings: Settings) -> bool:
    """Internal and protected topics are never deleted or recreated."""
    return (
        settings.is_internal(name)
        or settings.is_protected(name)
        or (topic is not None and topic.internal)
    )


def unmanaged_topics(
    desired: DesiredState, actual: ClusterState, settings: Settings
) -> tuple[str, ...]:
    """Topics on the cluster that ktr owns by name but nobody declared.

    Internal and protected topics belong to Kafka or to other components,
    so they are never reported.
    """
    return tuple(
        sorted(
            name
            for name, topic in actual.topics.items()
            if name not in desired.topics
            and not is_untouchable(name, topic, settings)
            and settings.owns(name)
        )
    )


def make_plan(
    desired: DesiredState,
    actual: ClusterState,
    settings: Settings,
    options: PlanOptions | None = None,
    *,
    fingerprint: bool = True,
) -> Plan:
    """Diff the declarations against the cluster into an ordered, fingerprinted plan.

    ``fingerprint`` False leaves the fingerprint empty: for a plan that is
    only shown, made from a read without topic ids (see Plan).
    """
    options = options or PlanOptions()
    targets = options.targets
    builder = _Builder(actual, settings, options)
    for name in sorted(desired.topics):
        if selected(name, targets):
            builder.declared(desired.topics[name])
    unmanaged = tuple(
        name for name in unmanaged_topics(desired, actual, settings) if selected(name, targets)
    )
    left_alone = builder.undeclared(unmanaged)
    builder.warnings += [
        f"--target {pattern!r} matches no topic, declared or on the cluster; "
        "it plans nothing (patterns use *, ? and [...])"
        for pattern in unmatched(targets, [*desired.topics, *actual.topics])
    ]
    builder.warnings += capacity_warnings(builder.actions, actual)
    covered = {name: spec for name, spec in desired.topics.items() if selected(name, targets)}
    names = set(covered) | {action.topic for action in builder.actions}
    return Plan(
        actions=tuple(sorted(builder.actions, key=lambda a: (_KIND_ORDER[a.kind], a.topic))),
        refused=tuple(builder.refused),
        unmanaged=left_alone,
        warnings=tuple(builder.warnings),
        fingerprint=actual.fingerprint(names) if fingerprint else "",
        declared=tuple(sorted(names)),
        cluster_id=actual.cluster_id,
        environment=desired.environment,
        undeclared_overrides=builder.undeclared_overrides,
        # What the plan covers, so a saved plan records no topic it leaves alone.
        basis=PlanBasis(
            replace(desired, topics=covered), options, settings.owned, settings.protected
        ),
    )


class _Builder:
    """Collects actions, refusals and warnings while make_plan walks the topics."""

    def __init__(self, actual: ClusterState, settings: Settings, options: PlanOptions) -> None:
        self.actual = actual
        self.settings = settings
        self.options = options
        self.actions: list[Action] = []
        self.refused: list[Refusal] = []
        self.warnings: list[str] = []
        self.undeclared_overrides: dict[str, dict[str, str | None]] = {}
        self._collision_keys: dict[str, str] | None = None

    def declared(self, spec: TopicSpec) -> None:
        topic = self.actual.topics.get(spec.name)
        if topic is None and spec.name in self.actual.unreadable:
            # Not "absent": Kafka hides topics the principal may not describe,
            # so planning a create (or nothing, for a tombstone) would be a guess.
            self.refused.append(
                Refusal(
                    spec.name,
                    f"not authorized to describe {spec.name}, so ktr cannot tell whether it "
                    f"exists ({self.actual.unreadable[spec.name]})",
                    hint=f"grant DESCRIBE on topic {spec.name!r} to the principal ktr "
                    "connects as, then plan again",
                    location=spec.location,
                )
            )
        elif spec.absent:
            if topic is not None:
                self._tombstone(spec, topic)
        elif topic is None:
            self._create(spec)
        else:
            self._existing(spec, topic)

    def undeclared(self, unmanaged: tuple[str, ...]) -> tuple[str, ...]:
        """Plan deletes of owned, undeclared topics; return those left alone."""
        if not (self.options.allow_delete and unmanaged):
            return unmanaged
        if not self.settings.owned:
            self.warnings.append(
                f"--allow-delete leaves the {plural(len(unmanaged), 'undeclared topic')} alone: "
                "deleting "
                "topics removed from the declarations needs owned_topics in ktr.yaml, so that "
                "declarations covering part of a cluster cannot delete the rest of it"
            )
            return unmanaged
        for name in unmanaged:
            self._delete(self.actual.topics[name], location=None)
        return ()

    # ------------------------------------------------------------ per topic

    def _create(self, spec: TopicSpec) -> None:
        self.warnings += broker_warnings(spec.name, spec.replication_factor, "create", self.actual)
        self._check_collision(spec.name)
        changes = tuple(ConfigChange(k, None, spec.config[k]) for k in sorted(spec.config))
        self._check_keys(spec.name, changes)
        self.actions.append(
            Action(
                ActionKind.CREATE,
                spec.name,
                partitions=(None, spec.partitions),
                replication_factor=(None, spec.replication_factor),
                config=changes,
                location=spec.location,
            )
        )

    def _tombstone(self, spec: TopicSpec, topic: ActualTopic) -> None:
        if is_untouchable(spec.name, topic, self.settings):
            self.refused.append(
                Refusal(
                    spec.name,
                    "declared deleted, but the topic is protected and ktr never deletes it",
                    hint="remove 'delete: true' from its declaration; protected names are "
                    "built in or listed under protected_topics in ktr.yaml",
                    location=spec.location,
                )
            )
        elif self.options.allow_delete:
            self._delete(topic, location=spec.location)
        else:
            self.refused.append(
                Refusal(
                    spec.name,
                    "declared deleted (delete: true); deleting a topic destroys its data",
                    hint="pass --allow-delete to delete it",
                    location=spec.location,
                )
            )

    def _delete(self, topic: ActualTopic, location: Location | None) -> None:
        self.actions.append(
            Action(
                ActionKind.DELETE,
                topic.name,
                partitions=(topic.partitions, None),
                replication_factor=(topic.replication_factor, None),
                topic_id=topic.topic_id,
                location=location,
            )
        )

    def _existing(self, spec: TopicSpec, topic: ActualTopic) -> None:
        diff = compare_topic(spec, topic)
        if diff.undeclared_overrides:
            self.undeclared_overrides[spec.name] = dict(diff.undeclared_overrides)
        shrink = diff.partitions is not None and diff.partitions[1] < diff.partitions[0]
        if shrink and self.options.allow_recreate:
            self._recreate(spec, topic)
            return
        if shrink:
            assert diff.partitions is not None
            before, after = diff.partitions
            self.refused.append(
                Refusal(
                    spec.name,
                    f"partitions cannot be decreased ({before} => {after}): "
                    "Kafka can only add partitions",
                    hint="pass --allow-recreate to delete and recreate the topic (all its data "
                    "is lost; refused while the topic is in use), or keep "
                    f"partitions: {before}",
                    location=spec.location,
                )
            )
        elif diff.partitions is not None:
            self.actions.append(
                Action(
                    ActionKind.ADD_PARTITIONS,
                    spec.name,
                    partitions=diff.partitions,
                    topic_id=topic.topic_id,
                    location=spec.location,
                )
            )
        if diff.replication_factor is not None:
            self._refuse_replication_change(spec, topic)
        changes = [*diff.config, *diff.pins]
        if self.options.prune_configs:
            changes += [ConfigChange(k, v, None) for k, v in diff.undeclared_overrides.items()]
        if changes:
            ordered = tuple(sorted(changes, key=lambda c: c.key))
            self._check_keys(spec.name, ordered)
            self.actions.append(
                Action(
                    ActionKind.ALTER_CONFIG,
                    spec.name,
                    config=ordered,
                    topic_id=topic.topic_id,
                    location=spec.location,
                )
            )

    def _recreate(self, spec: TopicSpec, topic: ActualTopic) -> None:
        if is_untouchable(spec.name, topic, self.settings):
            self.refused.append(
                Refusal(
                    spec.name,
                    f"partitions cannot be decreased ({topic.partitions} => {spec.partitions}) "
                    "and the topic is protected, so ktr never recreates it",
                    hint=f"keep partitions: {topic.partitions}",
                    location=spec.location,
                )
            )
            return
        self.warnings += broker_warnings(
            spec.name, spec.replication_factor, "recreate", self.actual
        )
        changes = tuple(
            ConfigChange(k, effective_value(topic, k)[0], spec.config[k])
            for k in sorted(spec.config)
        )
        self._check_keys(spec.name, changes)
        self.actions.append(
            Action(
                ActionKind.RECREATE,
                spec.name,
                partitions=(topic.partitions, spec.partitions),
                replication_factor=(topic.replication_factor, spec.replication_factor),
                config=changes,
                topic_id=topic.topic_id,
                location=spec.location,
            )
        )
        self.warnings.append(
            f"{spec.name}: recreating deletes all of its data and gives it a new topic id; "
            "restart its producers and consumers afterwards"
        )

    def _refuse_replication_change(self, spec: TopicSpec, topic: ActualTopic) -> None:
        before, after = topic.replication_factor, spec.replication_factor
        reason = (
            f"replication factor cannot be changed in place ({before} => {after}): "
            "Kafka needs a partition reassignment, which ktr does not run"
        )
        live = len(self.actual.broker_ids)
        if after > live:
            self.refused.append(
                Refusal(
                    spec.name,
                    f"{reason}; the cluster has only {plural(live, 'live broker')}",
                    hint=f"add brokers or declare replication_factor: {before}",
                    location=spec.location,
                )
            )
            return
        self.refused.append(
            Refusal(
                spec.name,
                reason,
                hint="save the reassignment below as a file, run kafka-reassign-partitions.sh "
                "--reassignment-json-file FILE --execute, then plan again",
                reassignment=reassignment(topic, after, self.actual.broker_ids),
                location=spec.location,
            )
        )

    def _check_collision(self, name: str) -> None:
        if self._collision_keys is None:
            self._collision_keys = {_collision_key(n): n for n in self.actual.topics}
        other = self._collision_keys.get(_collision_key(name))
        if other is not None and other != name:
            self.warnings.append(
                f"{name}: create, but the cluster has '{other}', which Kafka treats as the "
                "same name ('.' and '_' collide); Kafka will reject it"
            )

    def _check_keys(self, name: str, changes: tuple[ConfigChange, ...]) -> None:
        for change in changes:
            if change.after is None:
                continue
            problem = catalogue.key_problem(change.key)
            if problem is not None and problem[0] == "warning":
                self.warnings.append(f"{name}: {problem[1]}")


def _collision_key(name: str) -> str:
    # Kafka refuses a topic whose name equals an existing one once '.' is read as '_'.
    return name.replace(".", "_")
