"""An in-process Kafka cluster behind the ``Admin`` interface, for tests only.

It follows Apache Kafka's documented behaviour (names, partition and
replication-factor checks, unknown configs, error codes) rather than any one
broker's quirks, and the contract suite in ``tests/contract`` runs the same
tests against it and a real broker to keep it honest. That includes what a
production KRaft cluster enforces and a single test broker does not: the
controller's 10,000 records per request, an authorizer (:meth:`authorize`,
:meth:`as_principal`), brokers registered but fenced (:meth:`stop_broker`).
On top of that it can do what no test broker will on demand: inject faults
into any call, make a broker learn of changes late, and count requests.
"""

from __future__ import annotations

import base64
import copy
import fnmatch
import itertools
import re
import threading
import uuid
from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from reconciler.cluster.access import Operation, missing_acl_message
from reconciler.cluster.admin import (
    AdminError,
    ClusterError,
    ClusterInfo,
    GroupInfo,
    NewTopic,
    Sighting,
)
from reconciler.kafka.catalogue import (
    CATALOGUE,
    ConfigValueError,
    known_in,
    normalise,
    value_problem,
)
from reconciler.kafka.versions import KafkaVersion, parse_version
from reconciler.model import ConfigEntry, ConfigSource, PartitionInfo, TopicInfo
from tests.fake_doctor import DoctorFacts

# Kafka's built-in defaults: every topic config the catalogue knows, as a
# broker reports them when nothing overrides them.
KAFKA_DEFAULTS: dict[str, str] = {
    key: spec.default for key, spec in CATALOGUE.items() if spec.default is not None
}

_LEGAL_NAME = re.compile(r"^[a-zA-Z0-9._-]{1,249}$")


def new_topic_id() -> str:
    """A random topic id as Kafka prints it: 16 bytes, base64url, no padding (22 characters)."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()


def _error(code: str, message: str = "", **flags: bool) -> AdminError:
    return AdminError(code=code, message=message, **flags)


def _invalid_value(
    config: Mapping[str, str | None], version: KafkaVersion | None = None
) -> AdminError | None:
    """INVALID_CONFIG for the first value Kafka would not parse, as its ConfigDef does.

    Kafka takes only its own strings: numbers without units, known enum values;
    and a release takes only its own ranges (``segment.bytes`` from 1MiB on 4.1).
    """
    for key, value in sorted(config.items()):
        spec = CATALOGUE.get(key)
        if value is None or spec is None:
            continue
        plain = spec.type not in ("long", "int") or re.fullmatch(r"-?[0-9]+", value.strip())
        try:
            normalised = normalise(key, value)
        except ConfigValueError:
            plain = None
        else:
            if version is not None and value_problem(key, normalised, version) is not None:
                plain = None
        if not plain:
            return _error("INVALID_CONFIG", f"Invalid value {value} for configuration {key}")
    return None


# ---------------------------------------------------- the controller's record budget
# KRaft's controller writes at most this many metadata records for one admin
# request (QuorumController.MAX_RECORDS_PER_USER_OP, enforced by a BoundedList
# in createTopics, createPartitions, deleteTopics and incrementalAlterConfigs).
# A request that would write more fails as a whole: every topic of it gets
# POLICY_VIOLATION, validate-only requests included (the records are built,
# then dropped).
MAX_RECORDS_PER_REQUEST = 10_000
_TOO_LARGE = "Unable to perform excessively large batch operation."


def _over_budget(records: int, names: Collection[str]) -> dict[str, AdminError | None] | None:
    if records <= MAX_RECORDS_PER_REQUEST:
        return None
    return {name: _error("POLICY_VIOLATION", _TOO_LARGE) for name in names}


# ---------------------------------------------------------------------- ACLs
@dataclass(frozen=True)
class Acl:
    """An ALLOW or DENY rule of the fake's authorizer (for the one principal it serves).

    ``resource`` is ``topic``, ``group`` or ``cluster``; ``name`` a literal
    name, ``*`` for every name, or a prefix ending in ``*`` (Kafka's PREFIXED
    pattern type).
    """

    operation: str
    resource: str
    name: str = "*"

    def covers(self, operations: Collection[str], resource: str, name: str) -> bool:
        if self.resource != resource or self.operation not in operations:
            return False
        return self.name == "*" or fnmatch.fnmatchcase(name, self.name)


# Operations whose permission implies another (Kafka's AclEntry.supportedOperations
# and StandardAuthorizerData: READ, WRITE, DELETE and ALTER imply DESCRIBE).
_IMPLIED_BY = {
    "DESCRIBE": {"READ", "WRITE", "DELETE", "ALTER"},
    "DESCRIBE_CONFIGS": {"ALTER_CONFIGS"},
}
#: What a read-only principal gets (plan, drift): the README's list.
READ_ONLY_ACLS = (
    Acl("DESCRIBE", "topic"),
    Acl("DESCRIBE_CONFIGS", "topic"),
    Acl("DESCRIBE", "group"),
    Acl("DESCRIBE", "cluster"),
)
#: What the principal that applies needs besides the read-only ACLs.
WRITE_ACLS = (
    Acl("CREATE", "topic"),
    Acl("ALTER", "topic"),
    Acl("ALTER_CONFIGS", "topic"),
    Acl("DELETE", "topic"),
)

_NOT_AUTHORIZED = "Authorization failed."


def _unauthorized(operation: Operation, name: str) -> AdminError:
    """Kafka's answer, with the ACL named as the Admin interface promises."""
    message = missing_acl_message(_NOT_AUTHORIZED, operation, name)
    group = operation is Operation.DESCRIBE_GROUP
    return _error("GROUP_AUTHORIZATION_FAILED" if group else "TOPIC_AUTHORIZATION_FAILED", message)


# ------------------------------------------------------------- consumer groups
# librdkafka knows only the classic group states; a KIP-848 consumer group in
# Assigning or Reconciling reaches ktr as UNKNOWN (rdkafka.c), which the
# adapter prints as Kafka's "Unknown".
_LIBRDKAFKA_STATES = frozenset(
    {"Stable", "Empty", "PreparingRebalance", "CompletingRebalance", "Dead"}
)


@dataclass
class _Topic:
    topic_id: str
    replicas: list[tuple[int, ...]]
    config: dict[str, str] = field(default_factory=dict)
    internal: bool = False


@dataclass
class _Fault:
    method: str
    error: AdminError | ClusterError
    topics: frozenset[str] | None
    applied: bool
    times: int


@dataclass
class _PendingView:
    """A metadata change a lagging broker has not seen yet."""

    topic: str
    view: tuple[int, int] | None  # (partitions, led partitions) or None when deleted
    calls_left: int


class FakeCluster(DoctorFacts):
    """A Kafka cluster in memory. Implements ``reconciler.cluster.admin.Admin``."""

    def __init__(
        self,
        brokers: Sequence[int] = (1, 2, 3),
        *,
        cluster_id: str = "fake-cluster",
        broker_config: Mapping[str, str] | None = None,
        extra_configs: Collection[str] = (),
        propagation_timeout: float = 30.0,
        kafka_version: str | None = None,
    ) -> None:
        """``kafka_version`` makes it that release: it reports and accepts only the topic
        configs that release has, with its ranges. Without one it knows every key of
        3.7 to 4.4."""
        self.broker_ids = tuple(brokers)  # registered brokers, fenced ones included
        self.fenced: set[int] = set()
        self._acls: tuple[tuple[Acl, ...], tuple[Acl, ...]] | None = None
        self.cluster_id = cluster_id
        self.broker_config = dict(broker_config or {})
        self.kafka_version = None if kafka_version is None else parse_version(kafka_version)
        release = self.kafka_version
        known = {k for k in CATALOGUE if release is None or known_in(k, release)}
        self.known_configs = known | set(extra_configs)
        self.defaults = {k: v for k, v in KAFKA_DEFAULTS.items() if k in known}
        for key in known:
            earlier = CATALOGUE[key].earlier_default
            if release is not None and earlier and release < parse_version(earlier[0]):
                self.defaults[key] = earlier[1]
        self.propagation_timeout = propagation_timeout
        self.requests: Counter[str] = Counter()
        self.closed = False
        # The ``patient`` blocks open now, innermost last: a test can see that
        # clean-up ran with its own time budget.
        self.patience: list[float] = []
        self._lock = threading.Lock()
        self._topics: dict[str, _Topic] = {}
        self._faults: list[_Fault] = []
        self._lag: dict[int, int] = {}
        self._views: dict[int, dict[str, tuple[int, int]]] = {b: {} for b in self.broker_ids}
        self._pending: dict[int, list[_PendingView]] = {b: [] for b in self.broker_ids}
        self._rotation = itertools.cycle(self.broker_ids)
        self._groups: dict[str, GroupInfo] = {}
        self._offsets: dict[str, dict[str, dict[int, int]]] = {}
        self._end_offsets: dict[str, list[int]] = {}
        self._writing: set[str] = set()
        self._add("__consumer_offsets", 50, min(3, len(self.broker_ids)), {}, internal=True)

    # ------------------------------------------------------------ test controls

    def add_topic(
        self,
        name: str,
        partitions: int = 1,
        replication_factor: int = 1,
        config: Mapping[str, str] | None = None,
        *,
        topic_id: str | None = None,
    ) -> str:
        """Create a topic directly (no request counted, every broker sees it). Returns its id.

        ``topic_id`` fixes the id, so that two fakes can hold the same topic.
        """
        return self._add(
            name, partitions, replication_factor, dict(config or {}), topic_id=topic_id
        ).topic_id

    def inject(
        self,
        method: str,
        error: AdminError | ClusterError,
        *,
        topics: Collection[str] | None = None,
        applied: bool = False,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail.

        An AdminError is returned for ``topics`` (all topics of the call when
        None); a ClusterError is raised for the whole call. With ``applied``
        the change is made first, as when a broker times out after committing.
        """
        chosen = frozenset(topics) if topics is not None else None
        self._faults.append(_Fault(method, error, chosen, applied, times))

    def authorize(self, allow: Collection[Acl] = (), deny: Collection[Acl] = ()) -> None:
        """Turn on the authorizer: from now on only what ``allow`` grants and ``deny``
        does not take away is permitted (DENY wins, as in Kafka)."""
        self._acls = (tuple(allow), tuple(deny))

    def as_principal(self, allow: Collection[Acl] = (), deny: Collection[Acl] = ()) -> FakeCluster:
        """Another client of the same cluster, for a principal with these ACLs.

        The view shares every topic, group and offset with this one; only
        what it may see and do differs.
        """
        view = copy.copy(self)
        view._acls = (tuple(allow), tuple(deny))
        return view

    def stop_broker(self, broker_id: int) -> None:
        """Fence a broker: it stays registered (Kafka still places replicas on it)
        but is no longer live, leads nothing and answers no metadata requests."""
        self.fenced.add(broker_id)

    def start_broker(self, broker_id: int) -> None:
        self.fenced.discard(broker_id)

    def lag_broker(self, broker_id: int, calls: int) -> None:
        """Make ``broker_id`` learn of each later metadata change only after it
        has answered ``calls`` more sightings."""
        self._lag[broker_id] = calls

    def add_consumer_group(
        self,
        group_id: str,
        *,
        assigned: Collection[str] = (),
        offsets: Mapping[str, Mapping[int, int]] | None = None,
        state: str | None = None,
        members: int | None = None,
    ) -> None:
        """A consumer group; members are assigned ``assigned`` topics.

        ``state`` may be any of Kafka's, the KIP-848 ones (``Assigning``,
        ``Reconciling``) included: those are reported as ``Unknown``, as
        librdkafka does.
        """
        count = members if members is not None else (1 if assigned else 0)
        state = state or ("Stable" if count else "Empty")
        self._groups[group_id] = GroupInfo(
            group_id=group_id,
            state=state if state in _LIBRDKAFKA_STATES else "Unknown",
            member_count=count,
            assigned_topics=frozenset(assigned),
        )
        self._offsets[group_id] = {t: dict(p) for t, p in (offsets or {}).items()}

    def produce(self, topic: str, partition: int = 0, count: int = 1) -> None:
        """Append ``count`` records to a partition (moves its high watermark)."""
        self._end_offsets[topic][partition] += count

    def keep_writing(self, topic: str) -> None:
        """Simulate a live producer: every end_offsets call sees one more record."""
        self._writing.add(topic)

    def config_overrides(self, name: str) -> dict[str, str]:
        """The overrides set on a topic, for assertions."""
        return dict(self._topics[name].config)

    def request_count(self) -> int:
        return sum(self.requests.values())

    # ------------------------------------------------------------ Admin methods

    def cluster(self) -> ClusterInfo:
        self._call("cluster")
        # DescribeCluster lists only live brokers; fenced ones stay registered.
        live = tuple(b for b in self.broker_ids if b not in self.fenced)
        return ClusterInfo(cluster_id=self.cluster_id, broker_ids=live)

    def topics(self, *, ids_for: Collection[str] | None = None) -> Mapping[str, TopicInfo]:
        self._call("topics")
        # Strict where a real adapter may be lax: a topic outside ``ids_for``
        # never has an id, so a caller relying on one it did not ask for fails.
        with_ids = None if ids_for is None else set(ids_for)
        # A listing of every topic leaves out those the principal may not describe.
        return {
            name: self._info(name, topic, with_id=with_ids is None or name in with_ids)
            for name, topic in self._topics.items()
            if self._may("DESCRIBE", "topic", name)
        }

    def describe_topics(self, names: Collection[str]) -> Mapping[str, TopicInfo | AdminError]:
        self._call("describe_topics")
        result: dict[str, TopicInfo | AdminError] = {}
        for name in names:
            topic = self._topics.get(name)
            if not self._may("DESCRIBE", "topic", name):
                # Said of absent topics too: existence is not leaked.
                result[name] = _unauthorized(Operation.DESCRIBE, name)
            elif topic is None:
                result[name] = _error("UNKNOWN_TOPIC_OR_PART", "Broker: Unknown topic or partition")
            else:
                result[name] = self._info(name, topic)
        return result

    def topic_configs(self, names: Collection[str]) -> Mapping[str, Mapping[str, ConfigEntry]]:
        self._call("topic_configs")
        result: dict[str, Mapping[str, ConfigEntry]] = {}
        for name in names:
            topic = self._topics.get(name)
            if not self._may("DESCRIBE_CONFIGS", "topic", name):
                error = _unauthorized(Operation.DESCRIBE_CONFIGS, name)
                raise ClusterError(f"cannot read configs of topic {name!r}: {error}")
            if topic is not None:
                result[name] = self._effective(topic)
        return result

    def create_topics(
        self, topics: Sequence[NewTopic], *, validate_only: bool = False
    ) -> Mapping[str, AdminError | None]:
        fault = self._call("create_topics", [t.name for t in topics])
        result: dict[str, AdminError | None] = {}
        named = Counter(t.name for t in topics)
        accepted: list[NewTopic] = []
        for new in topics:
            if named[new.name] > 1:
                # Kafka refuses every entry of a name given twice in one request.
                result[new.name] = _error(
                    "INVALID_REQUEST",
                    f"Create topics request contains multiple entries for the topic {new.name}",
                )
                continue
            if self._faulted(fault, new.name):
                result[new.name] = None  # replaced by the injected error
                continue
            # Every name is checked against the topics that existed before
            # this request (RCM.createTopics), so two names of one request
            # that collide with each other (a.b, a_b) are both created.
            result[new.name] = self._check_create(new)
            if result[new.name] is None:
                accepted.append(new)
        records = sum(1 + t.partitions + len(t.config) for t in accepted)
        if (refused := _over_budget(records, result)) is not None:
            return self._finish(fault, refused)
        if not validate_only:
            for new in accepted:
                self._add(new.name, new.partitions, new.replication_factor, dict(new.config))
        return self._finish(fault, result)

    def create_partitions(
        self, totals: Mapping[str, int], *, validate_only: bool = False
    ) -> Mapping[str, AdminError | None]:
        fault = self._call("create_partitions", list(totals))
        result: dict[str, AdminError | None] = {}
        accepted: dict[str, int] = {}
        for name, total in totals.items():
            topic = self._topics.get(name)
            if self._faulted(fault, name):
                result[name] = None  # replaced by the injected error
            elif not self._may("ALTER", "topic", name):
                result[name] = _unauthorized(Operation.CREATE_PARTITIONS, name)
            elif topic is None:
                result[name] = _error("UNKNOWN_TOPIC_OR_PART", f"Topic '{name}' does not exist.")
            elif total <= len(topic.replicas):
                current = len(topic.replicas)
                result[name] = _error(
                    "INVALID_PARTITIONS",
                    f"Topic currently has {current} partitions, which is higher than or "
                    f"equal to the requested {total}.",
                )
            else:
                result[name] = None
                accepted[name] = total
        records = sum(total - len(self._topics[n].replicas) for n, total in accepted.items())
        if (refused := _over_budget(records, result)) is not None:
            return self._finish(fault, refused)
        if not validate_only:
            for name, total in accepted.items():
                self._grow(name, self._topics[name], total)
        return self._finish(fault, result)

    def alter_configs(
        self, changes: Mapping[str, Mapping[str, str | None]], *, validate_only: bool = False
    ) -> Mapping[str, AdminError | None]:
        fault = self._call("alter_configs", list(changes))
        result: dict[str, AdminError | None] = {}
        accepted: dict[str, Mapping[str, str | None]] = {}
        for name, keys in changes.items():
            topic = self._topics.get(name)
            unknown = sorted(k for k in keys if k not in self.known_configs)
            if self._faulted(fault, name):
                result[name] = None  # replaced by the injected error
            elif not self._may("ALTER_CONFIGS", "topic", name):
                result[name] = _unauthorized(Operation.ALTER_CONFIGS, name)
            elif topic is None:
                message = f"The topic '{name}' does not exist."
                result[name] = _error("UNKNOWN_TOPIC_OR_PART", message)
            elif unknown:
                result[name] = _error("INVALID_CONFIG", f"Unknown topic config name: {unknown[0]}")
            elif (invalid := _invalid_value(keys, self.kafka_version)) is not None:
                result[name] = invalid
            else:
                result[name] = None
                accepted[name] = keys
        # One record per key set, or deleted where it was set.
        records = sum(
            1
            for name, keys in accepted.items()
            for key, value in keys.items()
            if value is not None or key in self._topics[name].config
        )
        if (refused := _over_budget(records, result)) is not None:
            return self._finish(fault, refused)
        if not validate_only:
            for name, keys in accepted.items():
                config = self._topics[name].config
                for key, value in keys.items():
                    if value is None:
                        config.pop(key, None)
                    else:
                        config[key] = value
        return self._finish(fault, result)

    def delete_topics(self, names: Collection[str]) -> Mapping[str, AdminError | None]:
        fault = self._call("delete_topics", list(names))
        result: dict[str, AdminError | None] = {}
        accepted: list[str] = []
        for name in names:
            if self._faulted(fault, name):
                result[name] = None  # replaced by the injected error
            elif not self._may("DESCRIBE", "topic", name) or not self._may("DELETE", "topic", name):
                result[name] = _unauthorized(Operation.DELETE, name)
            elif name not in self._topics:
                result[name] = _error("UNKNOWN_TOPIC_OR_PART", "Broker: Unknown topic or partition")
            else:
                result[name] = None
                accepted.append(name)
        # One RemoveTopicRecord per topic; its partitions and configs go on replay.
        if (refused := _over_budget(len(accepted), result)) is not None:
            return self._finish(fault, refused)
        for name in accepted:
            del self._topics[name]
            self._end_offsets.pop(name, None)
            # Kafka deletes the committed offsets of a deleted topic
            # (OffsetMetadataManager.onPartitionsDeleted): a topic recreated
            # under the same name starts with none.
            for by_topic in self._offsets.values():
                by_topic.pop(name, None)
            self._publish(name, None)
        return self._finish(fault, result)

    def sighting(self, names: Collection[str], *, timeout: float | None = None) -> Sighting:
        self._call("sighting")
        broker = next(self._rotation)
        while broker in self.fenced and len(self.fenced) < len(self.broker_ids):
            broker = next(self._rotation)  # a fenced broker answers nothing
        pending = self._pending[broker]
        for change in pending:
            change.calls_left -= 1
        for change in [c for c in pending if c.calls_left <= 0]:
            self._apply_view(broker, change.topic, change.view)
            pending.remove(change)
        view = self._views[broker]
        return Sighting(
            broker_id=broker,
            topics={n: view[n][1] if n in view else None for n in names},
            partitions={n: view[n][0] for n in names if n in view},
        )

    def consumer_groups(self) -> Sequence[GroupInfo]:
        self._call("consumer_groups")
        # ListGroups leaves out the groups the principal may not describe,
        # unless it may describe the cluster (KafkaApis.handleListGroupsRequest).
        every = self._may("DESCRIBE", "cluster", "kafka-cluster")
        listed = [
            group
            for group in self._groups.values()
            if every or self._may("DESCRIBE", "group", group.group_id)
        ]
        for group in listed:  # DescribeGroups needs DESCRIBE on each group
            if not self._may("DESCRIBE", "group", group.group_id):
                error = _unauthorized(Operation.DESCRIBE_GROUP, group.group_id)
                raise ClusterError(f"cannot describe consumer group {group.group_id!r}: {error}")
        return listed

    def sees_every_group(self) -> bool:
        self._call("sees_every_group")
        return self._may("DESCRIBE", "cluster", "kafka-cluster")

    def committed_offsets(
        self, group_ids: Collection[str]
    ) -> Mapping[str, Mapping[str, Mapping[int, int]]]:
        result: dict[str, Mapping[str, Mapping[int, int]]] = {}
        for group_id in group_ids:  # Kafka answers one group per request
            self._call("committed_offsets")
            if not self._may("DESCRIBE", "group", group_id):
                error = _unauthorized(Operation.DESCRIBE_GROUP, group_id)
                raise ClusterError(f"cannot read committed offsets of group {group_id!r}: {error}")
            # OffsetFetch leaves out the topics the principal may not describe.
            result[group_id] = {
                t: dict(p)
                for t, p in self._offsets.get(group_id, {}).items()
                if t in self._topics and self._may("DESCRIBE", "topic", t)
            }
        return result

    def end_offsets(self, names: Collection[str]) -> Mapping[str, tuple[int, ...]]:
        self._call("end_offsets")
        for name in names:
            if not self._may("DESCRIBE", "topic", name):
                error = _unauthorized(Operation.DESCRIBE, name)
                raise ClusterError(f"cannot describe topic {name!r}: {error}")
        for name in self._writing & set(names) & set(self._end_offsets):
            self._end_offsets[name][0] += 1
        return {n: tuple(self._end_offsets[n]) for n in names if n in self._end_offsets}

    @contextmanager
    def patient(self, seconds: float) -> Iterator[None]:
        self.patience.append(seconds)
        try:
            yield
        finally:
            self.patience.pop()

    def close(self) -> None:
        self.closed = True

    # ---------------------------------------------------------------- internals

    def _call(self, method: str, topics: Sequence[str] = ()) -> _Fault | None:
        """Count a request and return the fault to inject into it, if any.

        A ClusterError that is not "applied" is raised here, before any change.
        """
        with self._lock:  # reads may come from several threads at once
            return self._count_call(method, topics)

    def _count_call(self, method: str, topics: Sequence[str]) -> _Fault | None:
        if self.closed:
            raise ClusterError("the admin client is closed")
        self.requests[method] += 1
        for fault in self._faults:
            if fault.method != method:
                continue
            if fault.topics is not None and not fault.topics & set(topics):
                continue
            fault.times -= 1
            if fault.times <= 0:
                self._faults.remove(fault)
            if isinstance(fault.error, ClusterError) and not fault.applied:
                raise fault.error
            return fault
        return None

    @staticmethod
    def _faulted(fault: _Fault | None, name: str) -> bool:
        """True when the fault hides this topic's change entirely (not applied)."""
        if fault is None or fault.applied or isinstance(fault.error, ClusterError):
            return False
        return fault.topics is None or name in fault.topics

    @staticmethod
    def _finish(
        fault: _Fault | None, result: dict[str, AdminError | None]
    ) -> Mapping[str, AdminError | None]:
        """Report the injected error for the faulted topics of this call."""
        if fault is None:
            return result
        if isinstance(fault.error, ClusterError):
            raise fault.error  # applied, then the answer was lost
        for name in result:
            if fault.topics is None or name in fault.topics:
                result[name] = fault.error
        return result

    def _may(self, operation: str, resource: str, name: str) -> bool:
        """Whether the authorizer (if any) permits ``operation`` on the resource."""
        if self._acls is None:
            return True
        allow, deny = self._acls
        if any(acl.covers({operation, "ALL"}, resource, name) for acl in deny):
            return False
        granting = {operation, "ALL", *_IMPLIED_BY.get(operation, ())}
        return any(acl.covers(granting, resource, name) for acl in allow)

    def _check_create(self, new: NewTopic) -> AdminError | None:
        may_create = self._may("CREATE", "cluster", "kafka-cluster") or self._may(
            "CREATE", "topic", new.name
        )
        if not may_create:
            return _unauthorized(Operation.CREATE, new.name)
        if not _LEGAL_NAME.match(new.name) or new.name in (".", ".."):
            return _error("TOPIC_EXCEPTION", f"Topic name '{new.name}' is illegal")
        if new.name in self._topics:
            if not self._may("DESCRIBE", "topic", new.name):
                return _unauthorized(Operation.DESCRIBE, new.name)  # existence is not leaked
            return _error("TOPIC_ALREADY_EXISTS", f"Topic '{new.name}' already exists.")
        folded = new.name.replace(".", "_")
        for other in self._topics:
            if other.replace(".", "_") == folded:
                return _error(
                    "TOPIC_EXCEPTION", f"Topic '{new.name}' collides with existing topic: {other}"
                )
        if new.partitions <= 0:
            return _error("INVALID_PARTITIONS", "Number of partitions must be larger than 0.")
        if len(self.fenced) >= len(self.broker_ids):
            return _error("INVALID_REPLICATION_FACTOR", "All brokers are currently fenced.")
        # Kafka counts registered brokers, fenced ones included (StripedReplicaPlacer).
        if new.replication_factor <= 0 or new.replication_factor > len(self.broker_ids):
            return _error(
                "INVALID_REPLICATION_FACTOR",
                f"Unable to replicate the partition {new.replication_factor} time(s): "
                f"The target replication factor of {new.replication_factor} cannot be reached "
                f"because only {len(self.broker_ids)} broker(s) are registered.",
            )
        unknown = sorted(k for k in new.config if k not in self.known_configs)
        if unknown:
            return _error("INVALID_CONFIG", f"Unknown topic config name: {unknown[0]}")
        return _invalid_value(new.config, self.kafka_version)

    def _add(
        self,
        name: str,
        partitions: int,
        replication_factor: int,
        config: dict[str, str],
        *,
        internal: bool = False,
        topic_id: str | None = None,
    ) -> _Topic:
        topic = _Topic(topic_id or new_topic_id(), [], dict(config), internal)
        self._topics[name] = topic
        self._end_offsets[name] = []
        self._grow(name, topic, partitions, replication_factor)
        return topic

    def _grow(
        self, name: str, topic: _Topic, total: int, replication_factor: int | None = None
    ) -> None:
        rf = replication_factor or max((len(r) for r in topic.replicas), default=1)
        n = len(self.broker_ids)
        for p in range(len(topic.replicas), total):
            chosen = [self.broker_ids[(p + i) % n] for i in range(n)]
            # Live brokers first: a fenced one gets a replica only when the
            # live ones are too few, and never leads (the topic is then
            # under-replicated, not refused).
            chosen.sort(key=lambda b: b in self.fenced)
            topic.replicas.append(tuple(chosen[:rf]))
            self._end_offsets[name].append(0)
        self._publish(name, (total, total))

    def _publish(self, name: str, view: tuple[int, int] | None) -> None:
        for broker in self.broker_ids:
            lag = self._lag.get(broker, 0)
            if lag:
                self._pending[broker].append(_PendingView(name, view, lag))
            else:
                self._apply_view(broker, name, view)

    def _apply_view(self, broker: int, name: str, view: tuple[int, int] | None) -> None:
        if view is None:
            self._views[broker].pop(name, None)
        else:
            self._views[broker][name] = view

    def _info(self, name: str, topic: _Topic, *, with_id: bool = True) -> TopicInfo:
        partitions = tuple(
            PartitionInfo(
                id=p,
                leader=next((b for b in replicas if b not in self.fenced), None),
                replicas=replicas,
                isr=tuple(b for b in replicas if b not in self.fenced),
            )
            for p, replicas in enumerate(topic.replicas)
        )
        topic_id = topic.topic_id if with_id else None
        return TopicInfo(name, topic_id, partitions, internal=topic.internal)

    def _effective(self, topic: _Topic) -> dict[str, ConfigEntry]:
        entries = {k: ConfigEntry(v, ConfigSource.DEFAULT) for k, v in self.defaults.items()}
        entries.update(
            {k: ConfigEntry(v, ConfigSource.BROKER) for k, v in self.broker_config.items()}
        )
        entries.update({k: ConfigEntry(v, ConfigSource.TOPIC) for k, v in topic.config.items()})
        return entries


# ------------------------------------------------- brokers that hide config sources


class AllDefaultsFakeCluster(FakeCluster):
    """A fake cluster whose broker reports every config value with source DEFAULT.

    Some Kafka-compatible brokers (Tansu, for one) do not say where a value
    comes from: an override set on the topic, a broker setting and Kafka's
    built-in default all come back as DEFAULT_CONFIG. Code that must tell
    them apart (an import that recreates a topic as it is) is tested on this.
    ``reported`` picks which keys come back: ``"all"`` (every key, as Kafka
    does) or ``"set"`` (only keys set on the topic or the broker, as Tansu does).
    """

    def __init__(self, *args: Any, reported: str = "all", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reported = reported

    def _effective(self, topic: _Topic) -> dict[str, ConfigEntry]:
        entries = super()._effective(topic)
        if self.reported == "set":
            entries = {
                k: e for k, e in entries.items() if k in topic.config or k in self.broker_config
            }
        return {k: ConfigEntry(e.value, ConfigSource.DEFAULT) for k, e in entries.items()}
