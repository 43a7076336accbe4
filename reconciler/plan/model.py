"""A plan is data: the ordered changes that would make the cluster match the declarations.

Built by :mod:`reconciler.plan.diff`, rendered by :mod:`reconciler.render`, saved as
JSON and executed by :mod:`reconciler.apply`. It carries the fingerprint of
the cluster state it was computed from, so a saved plan can be refused once
the cluster has moved on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from reconciler.model import DesiredState, Location

# 2: the plan records what it was made from (``made_from``) and a digest of
# the whole document, so ``apply --plan`` can recompute it; version 1 plans
# carry neither and cannot be checked.
FORMAT_VERSION = 2


class ActionKind(str, Enum):
    """What an action does. The order of members is the order apply runs them in."""

    CREATE = "create"
    ADD_PARTITIONS = "add_partitions"
    ALTER_CONFIG = "alter_config"
    DELETE = "delete"
    RECREATE = "recreate"


@dataclass(frozen=True, slots=True)
class ConfigChange:
    """One config key: ``before`` is the effective value, ``after`` the wanted one.

    ``after`` None deletes the override, so the key falls back to the inherited
    value; ``before`` None means the key is not set at all.
    """

    key: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class Action:
    """One change to one topic.

    ``partitions`` and ``replication_factor`` are (before, after) pairs; a
    side is None where it does not apply (before of a create, after of a
    delete). ``topic_id`` is the id of the existing topic the action was
    planned against, so apply can notice a topic that was replaced meanwhile.
    """

    kind: ActionKind
    topic: str
    partitions: tuple[int | None, int | None] = (None, None)
    replication_factor: tuple[int | None, int | None] = (None, None)
    config: tuple[ConfigChange, ...] = ()
    topic_id: str | None = None
    location: Location | None = None

    @property
    def config_changes(self) -> dict[str, str | None]:
        """Each key's wanted value, None to delete the override (a config change)."""
        return {c.key: c.after for c in self.config}

    @property
    def created_config(self) -> dict[str, str]:
        """The configs a created (or recreated) topic gets: every ``after`` value set."""
        return {c.key: c.after for c in self.config if c.after is not None}


@dataclass(frozen=True, slots=True)
class Refusal:
    """A change ktr will not make, with why and what the user can do instead.

    ``reassignment`` holds, for a replication-factor change, the document
    ``kafka-reassign-partitions.sh --reassignment-json-file`` takes.
    """

    topic: str
    reason: str
    hint: str | None = None
    reassignment: Mapping[str, object] | None = None
    location: Location | None = None


@dataclass(frozen=True)
class PlanOptions:
    """What the user allowed on the command line. Nothing destructive by default."""

    prune_configs: bool = False
    allow_delete: bool = False
    allow_recreate: bool = False
    #: ``--target`` shell patterns: plan only the topics they match (none: every topic).
    targets: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanBasis:
    """Everything a plan was computed from, besides the cluster.

    A saved plan carries it so that ``apply --plan`` can compute the plan
    again against the live cluster and refuse one whose actions were edited:
    the resolved declarations, the options, and the settings that decide
    ownership and protection.
    """

    desired: DesiredState
    options: PlanOptions = field(default_factory=PlanOptions)
    owned: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """Everything one run of ``ktr plan`` found, in execution order.

    ``declared`` lists the topic names the fingerprint covers (declared
    topics plus anything the plan acts on), so ``apply --plan`` can recompute
    the same fingerprint on the live cluster. The fingerprint is empty for
    a plan made only to be shown, from a read without topic ids: it is never
    saved or applied. ``basis`` is what the plan was computed from (None only
    for plans built by hand).
    """

    actions: tuple[Action, ...]
    refused: tuple[Refusal, ...] = ()
    unmanaged: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    fingerprint: str = ""
    declared: tuple[str, ...] = ()
    cluster_id: str | None = None
    environment: str | None = None
    undeclared_overrides: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION
    basis: PlanBasis | None = None

    @property
    def targets(self) -> tuple[str, ...]:
        """The ``--target`` patterns the plan was limited to (empty: every topic)."""
        return self.basis.options.targets if self.basis is not None else ()

    @property
    def has_changes(self) -> bool:
        """True when applying would change the cluster (or is refused)."""
        return bool(self.actions or self.refused)

    def summary(self) -> dict[str, int]:
        """Counts by action kind, plus ``refused`` and ``unmanaged``."""
        counts: Counter[str] = Counter(a.kind.value for a in self.actions)
        result = {kind.value: counts.get(kind.value, 0) for kind in ActionKind}
        result["refused"] = len(self.refused)
        result["unmanaged"] = len(self.unmanaged)
        return result
