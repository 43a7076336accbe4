"""A plan as a stable, versioned JSON document: the output of ``--format json`` and ``--out``.

The document is a contract with scripts and with ``ktr apply --plan``:
fields are only ever added within a format version. It records what the
plan was made from (``made_from``: the resolved declarations, the options
and the settings) and ends with a digest of everything else in it.
``from_document`` checks the digest and everything it reads, within Kafka's
limits, so a hand-edited or truncated file is a one-line error, never a
traceback or a half-understood plan. (Whether the actions are what the
recorded declarations give is checked against the live cluster, by
:mod:`reconciler.plan.verify`.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from reconciler.gcpause import gc_paused
from reconciler.kafka import catalogue, names
from reconciler.model import DesiredState, Location, TopicSpec
from reconciler.plan import integrity
from reconciler.plan.model import (
    FORMAT_VERSION,
    Action,
    ActionKind,
    ConfigChange,
    Plan,
    PlanBasis,
    PlanOptions,
    Refusal,
)
from reconciler.problems import UserError

T = TypeVar("T")

# Kafka's wire types: a partition count is an int32, a replication factor an int16.
MAX_PARTITIONS = 2**31 - 1
MAX_REPLICATION_FACTOR = 2**15 - 1
_MAX_POSITION = 2**31 - 1

_OPTIONS = ("prune_configs", "allow_delete", "allow_recreate")


def to_document(plan: Plan) -> dict[str, Any]:
    """The JSON-ready dict for ``plan`` (keys in a fixed order, lists in plan order)."""
    doc = {
        "format_version": plan.format_version,
        "cluster_id": plan.cluster_id,
        "environment": plan.environment,
        "fingerprint": plan.fingerprint,
        "declared": list(plan.declared),
        "summary": plan.summary(),
        "actions": [_action(a) for a in plan.actions],
        "refused": [_refusal(r) for r in plan.refused],
        "unmanaged": list(plan.unmanaged),
        "undeclared_overrides": {
            topic: dict(keys) for topic, keys in sorted(plan.undeclared_overrides.items())
        },
        "warnings": list(plan.warnings),
        "made_from": None if plan.basis is None else _basis(plan.basis),
    }
    return integrity.sealed(doc)


def _basis(basis: PlanBasis) -> dict[str, Any]:
    return {
        "options": {
            **{name: getattr(basis.options, name) for name in _OPTIONS},
            "targets": list(basis.options.targets),
        },
        "settings": {
            "owned_topics": list(basis.owned),
            "protected_topics": list(basis.protected),
        },
        "topics": [_spec(basis.desired.topics[name]) for name in sorted(basis.desired.topics)],
    }


def _spec(spec: TopicSpec) -> dict[str, Any]:
    if spec.absent:
        return {"topic": spec.name, "delete": True, "location": _location(spec.location)}
    return {
        "topic": spec.name,
        "partitions": spec.partitions,
        "replication_factor": spec.replication_factor,
        "config": {key: spec.config[key] for key in sorted(spec.config)},
        "delete": False,
        "location": _location(spec.location),
    }


def _action(action: Action) -> dict[str, Any]:
    return {
        "action": action.kind.value,
        "topic": action.topic,
        "partitions": {"before": action.partitions[0], "after": action.partitions[1]},
        "replication_factor": {
            "before": action.replication_factor[0],
            "after": action.replication_factor[1],
        },
        "config": [{"key": c.key, "before": c.before, "after": c.after} for c in action.config],
        "topic_id": action.topic_id,
        "location": _location(action.location),
    }


def _refusal(refusal: Refusal) -> dict[str, Any]:
    return {
        "topic": refusal.topic,
        "reason": refusal.reason,
        "hint": refusal.hint,
        "reassignment": refusal.reassignment,
        "location": _location(refusal.location),
    }


def _location(location: Location | None) -> dict[str, Any] | None:
    if location is None:
        return None
    return {"file": location.file, "line": location.line, "column": location.column}


# ------------------------------------------------------------------- reading


def from_document(doc: object) -> Plan:
    """Read a plan document back. Raises UserError naming the first bad field.

    Linear in the size of the document, whatever it holds.
    """
    with gc_paused():  # many objects that all stay alive: see reconciler.gcpause
        return _from_document(doc)


def _from_document(doc: object) -> Plan:
    root = _mapping(doc, "plan")
    version = _field(root, "format_version", int, "plan")
    if isinstance(version, bool) or version < 1:
        raise UserError(f"not a ktr plan: bad format_version {version!r}")
    if version > FORMAT_VERSION:
        raise UserError(
            f"the plan has format version {version}, newer than this ktr reads "
            f"({FORMAT_VERSION}); upgrade ktr or make the plan again with this version"
        )
    if version < FORMAT_VERSION:
        raise UserError(
            f"the plan has format version {version}, from a ktr that did not record what a "
            "plan was made from, so it cannot be checked; make the plan again with ktr plan --out"
        )
    integrity.check_digest(root)
    actions = tuple(
        _read_action(item, f"actions[{i}]")
        for i, item in enumerate(_field(root, "actions", list, "plan"))
    )
    declared = _names(_field(root, "declared", list, "plan"), "declared")
    covered = set(declared)
    for i, action in enumerate(actions):
        # The fingerprint covers the declared names only: an action outside
        # them would run on a topic nobody checked for changes since the plan.
        if action.topic not in covered:
            raise UserError(
                f"not a ktr plan: actions[{i}].topic {action.topic!r} is not among the "
                "topics its fingerprint covers (plan.declared)"
            )
    environment = _optional(root, "environment", str, "plan")
    basis = _read_basis(root.get("made_from"), environment)
    if basis is not None:
        # ktr plan covers exactly the recorded topics and those its actions act on.
        expected = sorted(set(basis.desired.topics) | {a.topic for a in actions})
        if list(declared) != expected:
            raise UserError(
                "not a ktr plan: plan.declared must list, sorted, the topics recorded in "
                "made_from and those the actions act on"
            )
    return Plan(
        actions=actions,
        refused=tuple(
            _read_refusal(item, f"refused[{i}]")
            for i, item in enumerate(_field(root, "refused", list, "plan"))
        ),
        unmanaged=_names(_field(root, "unmanaged", list, "plan"), "unmanaged"),
        warnings=_strings(root.get("warnings", []), "warnings"),
        fingerprint=_field(root, "fingerprint", str, "plan"),
        declared=declared,
        cluster_id=_optional(root, "cluster_id", str, "plan"),
        environment=environment,
        undeclared_overrides=_read_overrides(root.get("undeclared_overrides", {})),
        format_version=version,
        basis=basis,
    )


def _read_basis(item: object, environment: str | None) -> PlanBasis | None:
    if item is None:
        return None
    node = _mapping(item, "made_from")
    options = _mapping(node.get("options"), "made_from.options")
    flags = {}
    for name in _OPTIONS:
        value = options.get(name)
        if not isinstance(value, bool):
            raise UserError(f"not a ktr plan: made_from.options.{name} must be true or false")
        flags[name] = value
    settings = _mapping(node.get("settings"), "made_from.settings")
    topics: dict[str, TopicSpec] = {}
    for i, spec in enumerate(_field(node, "topics", list, "made_from")):
        where = f"made_from.topics[{i}]"
        read = _read_spec(spec, where)
        if read.name in topics:
            raise UserError(f"not a ktr plan: {where}: topic {read.name!r} is recorded twice")
        topics[read.name] = read
    targets = _strings(options.get("targets", []), "made_from.options.targets")
    return PlanBasis(
        desired=DesiredState(topics, environment),
        options=PlanOptions(**flags, targets=targets),
        owned=_strings(settings.get("owned_topics"), "made_from.settings.owned_topics"),
        protected=_strings(settings.get("protected_topics"), "made_from.settings.protected_topics"),
    )


def _read_spec(item: object, where: str) -> TopicSpec:
    node = _mapping(item, where)
    name = _field(node, "topic", str, where)
    problem = names.name_problem(name)
    if problem:
        raise UserError(f"not a ktr plan: {where}.topic: {problem}")
    delete = node.get("delete")
    if not isinstance(delete, bool):
        raise UserError(f"not a ktr plan: {where}.delete must be true or false")
    location = _read_location(node.get("location"), f"{where}.location")
    if delete:
        return TopicSpec(name, 0, 0, {}, absent=True, location=location)
    config = _mapping(node.get("config"), f"{where}.config")
    values = {key: _field(config, key, str, f"{where}.config") for key in config}
    for key, value in values.items():
        _check_value(key, value, f"{where}.config.{key}")
    return TopicSpec(
        name,
        _count(node.get("partitions"), MAX_PARTITIONS, f"{where}.partitions"),
        _count(
            node.get("replication_factor"), MAX_REPLICATION_FACTOR, f"{where}.replication_factor"
        ),
        values,
        location=location,
    )


def _read_action(item: object, where: str) -> Action:
    node = _mapping(item, where)
    name = _field(node, "action", str, where)
    try:
        kind = ActionKind(name)
    except ValueError:
        known = ", ".join(k.value for k in ActionKind)
        raise UserError(f"not a ktr plan: {where}.action {name!r} is not one of {known}") from None
    return _checked(
        Action(
            kind=kind,
            topic=_name(_field(node, "topic", str, where), f"{where}.topic"),
            partitions=_pair(node, "partitions", where),
            replication_factor=_pair(node, "replication_factor", where),
            config=tuple(
                _read_change(change, f"{where}.config[{i}]")
                for i, change in enumerate(_field(node, "config", list, where))
            ),
            topic_id=_optional(node, "topic_id", str, where),
            location=_read_location(node.get("location"), f"{where}.location"),
        ),
        where,
    )


# The counts each kind of action sets, which must be positive.
_COUNTS_SET = {
    ActionKind.CREATE: ("partitions", "replication_factor"),
    ActionKind.RECREATE: ("partitions", "replication_factor"),
    ActionKind.ADD_PARTITIONS: ("partitions",),
}


def _checked(action: Action, where: str) -> Action:
    """Refuse what ktr plan could never have written: a saved plan may have been edited."""
    makes_topic = action.kind in (ActionKind.CREATE, ActionKind.RECREATE)
    problem = names.name_problem(action.topic) if makes_topic else None
    if problem:
        raise UserError(f"not a ktr plan: {where}.topic: {problem}")
    for what in _COUNTS_SET.get(action.kind, ()):
        after = getattr(action, what)[1]
        if after is None or after < 1:
            raise UserError(f"not a ktr plan: {where}.{what}.after must be 1 or more")
    for i, change in enumerate(action.config):
        if change.after is not None:
            _check_value(change.key, change.after, f"{where}.config[{i}]")
    return action


def _check_value(key: str, value: str, where: str) -> None:
    try:
        normalised = catalogue.normalise(key, value)
    except ValueError as error:
        raise UserError(f"not a ktr plan: {where}: {error}") from None
    if normalised != value:
        raise UserError(
            f"not a ktr plan: {where}: {key} value {value!r} "
            f"is not as Kafka reports it ({normalised!r})"
        )


def _read_change(item: object, where: str) -> ConfigChange:
    node = _mapping(item, where)
    return ConfigChange(
        key=_field(node, "key", str, where),
        before=_optional(node, "before", str, where),
        after=_optional(node, "after", str, where),
    )


def _read_refusal(item: object, where: str) -> Refusal:
    node = _mapping(item, where)
    reassignment = node.get("reassignment")
    return Refusal(
        topic=_name(_field(node, "topic", str, where), f"{where}.topic"),
        reason=_field(node, "reason", str, where),
        hint=_optional(node, "hint", str, where),
        reassignment=(
            None if reassignment is None else _mapping(reassignment, f"{where}.reassignment")
        ),
        location=_read_location(node.get("location"), f"{where}.location"),
    )


def _read_overrides(item: object) -> dict[str, dict[str, str | None]]:
    result = {}
    for topic, keys in _mapping(item, "undeclared_overrides").items():
        where = f"undeclared_overrides.{_name(topic, 'undeclared_overrides')}"
        node = _mapping(keys, where)
        result[topic] = {key: _optional(node, key, str, where) for key in node}
    return result


def _read_location(item: object, where: str) -> Location | None:
    if item is None:
        return None
    node = _mapping(item, where)
    line, column = _field(node, "line", int, where), _field(node, "column", int, where)
    for what, value in (("line", line), ("column", column)):
        if not 0 <= value <= _MAX_POSITION:
            raise UserError(f"not a ktr plan: {where}.{what} is out of range")
    return Location(file=_field(node, "file", str, where), line=line, column=column)


def _pair(node: Mapping[str, Any], key: str, where: str) -> tuple[int | None, int | None]:
    pair = _mapping(node.get(key, {}), f"{where}.{key}")
    limit = MAX_PARTITIONS if key == "partitions" else MAX_REPLICATION_FACTOR
    before, after = pair.get("before"), pair.get("after")
    return (
        None if before is None else _count(before, limit, f"{where}.{key}.before"),
        None if after is None else _count(after, limit, f"{where}.{key}.after"),
    )


def _count(value: object, limit: int, where: str) -> int:
    """A partition count or replication factor: a whole number from 1 to Kafka's limit."""
    if not _is(value, int):
        raise UserError(f"not a ktr plan: {where} must be an integer")
    assert isinstance(value, int)
    if not 1 <= value <= limit:
        raise UserError(f"not a ktr plan: {where} must be 1 or more, at most {limit:,}")
    return value


def _name(value: str, where: str) -> str:
    # Any topic name Kafka can hold, including ones ktr would not declare.
    if not value or len(value) > names.MAX_LENGTH:
        raise UserError(
            f"not a ktr plan: {where}: a topic name has 1 to {names.MAX_LENGTH} characters"
        )
    return value


def _names(value: object, where: str) -> tuple[str, ...]:
    result = _strings(value, where)
    for i, name in enumerate(result):
        _name(name, f"{where}[{i}]")
    return result


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise UserError(f"not a ktr plan: {where} must be an object")
    return value


def _field(node: Mapping[str, Any], key: str, kind: type[T], where: str) -> T:
    if key not in node:
        raise UserError(f"not a ktr plan: {where} has no {key!r}")
    value = node[key]
    if not _is(value, kind):
        raise UserError(f"not a ktr plan: {where}.{key} must be {_noun(kind)}")
    result: T = value
    return result


def _optional(node: Mapping[str, Any], key: str, kind: type[T], where: str) -> T | None:
    value = node.get(key)
    if value is not None and not _is(value, kind):
        raise UserError(f"not a ktr plan: {where}.{key} must be {_noun(kind)} or null")
    return value


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError(f"not a ktr plan: {where} must be a list of strings")
    return tuple(value)


def _is(value: object, kind: type) -> bool:
    # JSON has no separate booleans-as-integers: true is not a partition count.
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def _noun(kind: type) -> str:
    return {str: "a string", int: "an integer", list: "a list"}.get(kind, kind.__name__)
