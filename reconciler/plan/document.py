"""A plan as a stable, versioned JSON document: the output of ``--format json`` and ``--out``.

The document is a contract with scripts and with ``ktr apply --plan``:
fields are only ever added within a format version. ``from_document``
checks everything it reads, so a hand-edited or truncated file is a one-line
error, never a traceback or a half-understood plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from reconciler.kafka import catalogue, names
from reconciler.model import Location
from reconciler.plan.model import FORMAT_VERSION, Action, ActionKind, ConfigChange, Plan, Refusal
from reconciler.problems import UserError

T = TypeVar("T")


def to_document(plan: Plan) -> dict[str, Any]:
    """The JSON-ready dict for ``plan`` (keys in a fixed order, lists in plan order)."""
    return {
        "format_version": plan.format_version,
        "cluster_id": plan.cluster_id,
        "environment": plan.environment,
        "targets": list(plan.targets),
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
    """Read a plan document back. Raises UserError naming the first bad field."""
    root = _mapping(doc, "plan")
    version = _field(root, "format_version", int, "plan")
    if isinstance(version, bool) or version < 1:
        raise UserError(f"not a ktr plan: bad format_version {version!r}")
    if version > FORMAT_VERSION:
        raise UserError(
            f"the plan has format version {version}, newer than this ktr reads "
            f"({FORMAT_VERSION}); upgrade ktr or make the plan again with this version"
        )
    actions = tuple(
        _read_action(item, f"actions[{i}]")
        for i, item in enumerate(_field(root, "actions", list, "plan"))
    )
    declared = _strings(_field(root, "declared", list, "plan"), "declared")
    for i, action in enumerate(actions):
        # The fingerprint covers the declared names only: an action outside
        # them would run on a topic nobody checked for changes since the plan.
        if action.topic not in declared:
            raise UserError(
                f"not a ktr plan: actions[{i}].topic {action.topic!r} is not among the "
                "topics its fingerprint covers (plan.declared)"
            )
    return Plan(
        actions=actions,
        refused=tuple(
            _read_refusal(item, f"refused[{i}]")
            for i, item in enumerate(_field(root, "refused", list, "plan"))
        ),
        unmanaged=_strings(_field(root, "unmanaged", list, "plan"), "unmanaged"),
        warnings=_strings(root.get("warnings", []), "warnings"),
        fingerprint=_field(root, "fingerprint", str, "plan"),
        declared=declared,
        cluster_id=_optional(root, "cluster_id", str, "plan"),
        environment=_optional(root, "environment", str, "plan"),
        targets=_strings(root.get("targets", []), "targets"),
        undeclared_overrides=_read_overrides(root.get("undeclared_overrides", {})),
        format_version=version,
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
            topic=_field(node, "topic", str, where),
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
        if change.after is None:
            continue
        try:
            normalised = catalogue.normalise(change.key, change.after)
        except ValueError as error:
            raise UserError(f"not a ktr plan: {where}.config[{i}]: {error}") from None
        if normalised != change.after:
            raise UserError(
                f"not a ktr plan: {where}.config[{i}]: {change.key} value {change.after!r} "
                f"is not as Kafka reports it ({normalised!r})"
            )
    return action


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
        topic=_field(node, "topic", str, where),
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
        where = f"undeclared_overrides.{topic}"
        node = _mapping(keys, where)
        result[topic] = {key: _optional(node, key, str, where) for key in node}
    return result


def _read_location(item: object, where: str) -> Location | None:
    if item is None:
        return None
    node = _mapping(item, where)
    return Location(
        file=_field(node, "file", str, where),
        line=_field(node, "line", int, where),
        column=_field(node, "column", int, where),
    )


def _pair(node: Mapping[str, Any], key: str, where: str) -> tuple[int | None, int | None]:
    pair = _mapping(node.get(key, {}), f"{where}.{key}")
    return (
        _optional(pair, "before", int, f"{where}.{key}"),
        _optional(pair, "after", int, f"{where}.{key}"),
    )


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
