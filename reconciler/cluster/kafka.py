"""The :class:`~reconciler.cluster.admin.Admin` interface on confluent-kafka.

Each method makes one admin call for all the topics it covers (committed
offsets: one per group, as Kafka answers one group per request), bounded by
the timeout given to :func:`connect`. Per-topic outcomes become
:class:`AdminError`; a call that fails as a whole raises :class:`ClusterError`
with a one-line message from which every secret has been scrubbed.

librdkafka's log lines and error callbacks are captured instead of printed:
the last few are kept to explain a failure (the ``debug`` property turns the
capture off, so that ``-X debug=...`` prints librdkafka's own trace).

librdkafka is not fork-safe: its threads do not survive ``fork()``. A client
made before a fork is marked unusable in the child, where any use raises
:class:`ForkedClientError` instead of hanging until a timeout.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, TypeVar

from confluent_kafka import (
    ConsumerGroupTopicPartitions,
    KafkaError,
    KafkaException,
    TopicCollection,
    TopicPartition,
)
from confluent_kafka import admin as ck

from reconciler.cluster.admin import (
    AdminError,
    ClusterError,
    ClusterInfo,
    GroupInfo,
    NewTopic,
    Sighting,
)
from reconciler.cluster.connection import ClientSettings, load_client_settings, scrub
from reconciler.model import ConfigEntry, ConfigSource, PartitionInfo, TopicInfo
from reconciler.problems import UserError

DEFAULT_PROPAGATION_MS = 30_000

# Outcomes after which nobody knows whether the broker applied the request:
# timeouts, and connections (or librdkafka's broker handles) lost mid-request.
AMBIGUOUS_CODES = frozenset(
    {"_TIMED_OUT", "_TRANSPORT", "REQUEST_TIMED_OUT", "_DESTROY_BROKER", "_DESTROY"}
)
# Errors that retrying with the same credentials cannot fix.
_AUTH_CODES = frozenset(
    {
        KafkaError._AUTHENTICATION,
        KafkaError.SASL_AUTHENTICATION_FAILED,
        KafkaError._SSL,
        KafkaError.CLUSTER_AUTHORIZATION_FAILED,
    }
)

_SOURCES = {
    ck.ConfigSource.DYNAMIC_TOPIC_CONFIG.value: ConfigSource.TOPIC,
    ck.ConfigSource.DYNAMIC_BROKER_CONFIG.value: ConfigSource.BROKER,
    ck.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG.value: ConfigSource.BROKER,
    ck.ConfigSource.STATIC_BROKER_CONFIG.value: ConfigSource.BROKER,
    ck.ConfigSource.DEFAULT_CONFIG.value: ConfigSource.DEFAULT,
}

# Kafka's own names for group states (as kafka-consumer-groups.sh prints them).
_GROUP_STATES = {
    "UNKNOWN": "Unknown",
    "PREPARING_REBALANCING": "PreparingRebalance",
    "COMPLETING_REBALANCING": "CompletingRebalance",
    "STABLE": "Stable",
    "DEAD": "Dead",
    "EMPTY": "Empty",
}

# Kafka marks exactly these topics internal (Topic.isInternal); the metadata
# listing carries the flag, but confluent-kafka does not expose it.
KAFKA_INTERNAL_TOPICS = frozenset(
    {"__consumer_offsets", "__transaction_state", "__share_group_state"}
)

_NO_TOPIC_ID = "AAAAAAAAAAAAAAAAAAAAAA"
_MAX_OPERATION_TIMEOUT = 3600.0
_KEPT_ERRORS = 20

T = TypeVar("T")


class ForkedClientError(RuntimeError):
    """A Kafka client made before ``fork()`` was used in the child process."""


# Every live adapter, so that a fork can disable them all in the child.
_LIVE: weakref.WeakSet[KafkaAdmin] = weakref.WeakSet()
# Clients abandoned in a forked child. They are kept referenced so they are
# not destroyed there: destroying a handle joins threads the child lacks.
_ABANDONED: list[object] = []


def _after_fork_in_child() -> None:
    for admin in list(_LIVE):
        admin._abandon_after_fork()


os.register_at_fork(after_in_child=_after_fork_in_child)


def connect(
    bootstrap_servers: str | None,
    properties: Sequence[str] = (),
    client_config: Path | None = None,
    timeout: float = 30.0,
) -> KafkaAdmin:
    """Connect to the cluster and check that it answers, within ``timeout`` seconds.

    Raises UserError for bad settings, ClusterError when the cluster cannot
    be reached or refuses the credentials.
    """
    settings = load_client_settings(bootstrap_servers, properties, client_config)
    admin = KafkaAdmin(settings, timeout)
    try:
        admin.probe()
    except BaseException:
        admin.close()
        raise
    return admin


class _Capture(logging.Handler):
    """Keeps librdkafka's recent log lines for error messages instead of printing them."""

    def __init__(self, sink: deque[str]) -> None:
        super().__init__(logging.DEBUG)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.sink.append(record.getMessage())


class KafkaAdmin:
    """A connected cluster. Use :func:`connect` to make one; :meth:`close` when done."""

    def __init__(self, settings: ClientSettings, timeout: float) -> None:
        self._settings = settings
        self.timeout = float(timeout)
        self.bootstrap = settings.values["bootstrap.servers"]
        propagation = settings.values.get("topic.metadata.propagation.max.ms")
        try:
            self.propagation_timeout = (
                int(propagation) if propagation else DEFAULT_PROPAGATION_MS
            ) / 1000.0
        except ValueError:
            raise UserError(
                f"{settings.origins['topic.metadata.propagation.max.ms']}: "
                "topic.metadata.propagation.max.ms must be a number of milliseconds"
            ) from None
        self._errors: deque[tuple[float, KafkaError]] = deque(maxlen=_KEPT_ERRORS)
        self._log_lines: deque[str] = deque(maxlen=_KEPT_ERRORS)
        self._requests = 0
        self._lock = threading.Lock()
        self._state: str | None = None  # None = usable; else why it is not
        self._nodes: dict[int, str] = {}
        self._broker_clients: dict[str, ck.AdminClient] = {}
        self._rotation: Iterable[int] = iter(())
        self._client: ck.AdminClient | None = self._new_client(self.bootstrap)
        _LIVE.add(self)

    # ------------------------------------------------------------ plumbing

    def _new_client(self, bootstrap: str) -> ck.AdminClient:
        conf: dict[str, Any] = dict(self._settings.values)
        conf["bootstrap.servers"] = bootstrap
        errors = self._errors
        conf["error_cb"] = lambda error: errors.append((time.monotonic(), error))
        if "debug" not in conf:
            logger = logging.Logger(f"ktr.librdkafka.{id(self)}")
            logger.propagate = False
            logger.addHandler(_Capture(self._log_lines))
            conf["logger"] = logger
        try:
            return ck.AdminClient(conf)
        except KafkaException as e:
            raise UserError(self._setting_error(e.args[0])) from None
        except (TypeError, ValueError) as e:
            raise UserError(f"invalid client settings: {self._scrub(str(e))}") from None

    def _setting_error(self, error: KafkaError) -> str:
        text = self._scrub(error.str())
        match = re.search(r'property:? "([^"]+)"', text)
        origin = self._settings.origins.get(match.group(1)) if match else None
        where = f" ({origin})" if origin else ""
        return f"invalid client setting{where}: {text}"

    def _scrub(self, text: str) -> str:
        return " ".join(scrub(text, self._settings.values).split())

    def _usable(self) -> ck.AdminClient:
        if self._state is not None or self._client is None:
            if self._state == "forked":
                raise ForkedClientError(
                    "this Kafka client was created before fork(); librdkafka is not "
                    "fork-safe, so create a new client in the child process"
                )
            raise RuntimeError("this Kafka client is closed")
        return self._client

    def _count(self, n: int = 1) -> None:
        with self._lock:
            self._requests += n

    def request_count(self) -> int:
        """Admin calls sent so far: one per method call (one per group for offsets).

        librdkafka may fan a call out to several brokers (ListGroups goes to
        every broker, ListOffsets to each partition leader), but never per topic.
        """
        return self._requests

    def _drain(self) -> None:
        """Serve queued error and log callbacks so they do not pile up."""
        client = self._client
        if client is not None and self._state is None:
            client.poll(0)

    def _reason(self, fallback: str) -> str:
        """The most telling recent librdkafka error or warning, else ``fallback``."""
        self._drain()
        recent = time.monotonic() - self.timeout - 5.0
        for when, error in reversed(self._errors):
            if when >= recent and error.code() != KafkaError._ALL_BROKERS_DOWN:
                return self._scrub(error.str())
        if self._log_lines:
            return self._scrub(self._log_lines[-1])
        return self._scrub(fallback)

    def _fail(self, what: str, exc: BaseException) -> ClusterError:
        error = exc.args[0] if exc.args and isinstance(exc.args[0], KafkaError) else None
        text = error.str() if error is not None else str(exc)
        ambiguous = error is not None and error.name() in AMBIGUOUS_CODES
        if error is not None and error.code() in (KafkaError._TIMED_OUT, KafkaError._TRANSPORT):
            text = self._reason(text)
        return ClusterError(
            f"{what} on Kafka at {self.bootstrap}: {self._scrub(text)}", ambiguous=ambiguous
        )

    def _admin_error(self, exc: BaseException) -> AdminError:
        error = exc.args[0] if exc.args and isinstance(exc.args[0], KafkaError) else None
        if error is None:
            return AdminError("_UNKNOWN", self._scrub(str(exc)))
        name = error.name()
        return AdminError(
            code=name,
            message=self._scrub(error.str()),
            retriable=bool(error.retriable()),
            ambiguous=name in AMBIGUOUS_CODES,
        )

    def _settle(self, futures: Mapping[T, Future[Any]]) -> dict[T, AdminError | None]:
        """Wait for every future (bounded), mapping each to None or its AdminError."""
        return {key: error for key, (_, error) in self._results(futures).items()}

    def _results(self, futures: Mapping[T, Future[Any]]) -> dict[T, tuple[Any, AdminError | None]]:
        """Each future's result, or its AdminError; all waits end by one deadline.

        A large request has one future per topic: each is asked once, as
        waiting on all of them together costs more than the answers.
        """
        deadline = time.monotonic() + self.timeout + 5.0
        outcome: dict[T, tuple[Any, AdminError | None]] = {}
        for key, future in futures.items():
            try:
                outcome[key] = (future.result(timeout=max(0.0, deadline - time.monotonic())), None)
            except FutureTimeout:
                outcome[key] = (None, self._no_answer())
            except Exception as exc:  # the future's own failure, per topic
                outcome[key] = (None, self._admin_error(exc))
        self._drain()
        return outcome

    def _no_answer(self) -> AdminError:
        return AdminError(
            "_TIMED_OUT", f"no answer within {self.timeout:g} s", retriable=True, ambiguous=True
        )

    def _call(self, what: str, call: Callable[[ck.AdminClient], T]) -> T:
        client = self._usable()
        self._count()
        try:
            return call(client)
        except KafkaException as e:
            raise self._fail(what, e) from None
        except FutureTimeout:
            raise ClusterError(
                f"{what} on Kafka at {self.bootstrap}: no answer within {self.timeout:g} s",
                ambiguous=True,
            ) from None
        except (TypeError, ValueError) as e:
            raise ClusterError(f"{what}: {self._scrub(str(e))}") from None

    @property
    def _op_timeout(self) -> float:
        return min(self.timeout, _MAX_OPERATION_TIMEOUT)

    # ------------------------------------------------------------ connect

    def probe(self) -> None:
        """Check that the cluster answers, within the timeout; learn its brokers."""
        client = self._usable()
        self._count()
        deadline = time.monotonic() + self.timeout
        future = client.describe_cluster(request_timeout=self.timeout)
        while not future.done() and time.monotonic() < deadline + 1.0:
            # Wake on the answer, or every 0.1 s to serve the error callbacks.
            wait([future], timeout=0.1)
            client.poll(0)
            for _, error in list(self._errors):
                if error.code() in _AUTH_CODES or error.fatal():
                    raise ClusterError(
                        f"authentication with Kafka at {self.bootstrap} failed: "
                        f"{self._scrub(error.str())}"
                    )
        exc = future.exception(timeout=0) if future.done() else None
        if not future.done() or exc is not None:
            cause = exc.args[0] if exc is not None and exc.args else None
            if isinstance(cause, KafkaError) and cause.code() != KafkaError._TIMED_OUT:
                fallback = cause.str()
            elif exc is not None and not isinstance(cause, KafkaError):
                fallback = str(exc)
            else:
                fallback = "no broker answered (check the address, security.protocol and TLS)"
            raise ClusterError(
                f"cannot reach Kafka at {self.bootstrap} within {self.timeout:g} s: "
                f"{self._reason(fallback)}"
            )
        self._remember_nodes(future.result())
        self._drain()

    def _remember_nodes(self, description: Any) -> None:
        self._remember_nodes_from({n.id: f"{n.host}:{n.port}" for n in description.nodes})

    def _remember_nodes_from(self, addresses: Mapping[int, str]) -> None:
        """Learn the brokers' advertised addresses; sightings visit them in id order."""
        if addresses != self._nodes:
            self._nodes = dict(addresses)
            self._rotation = itertools.cycle(sorted(self._nodes))
            for gone in set(self._broker_clients) - set(addresses.values()):
                del self._broker_clients[gone]

    # ------------------------------------------------------------ reads

    def cluster(self) -> ClusterInfo:
        description = self._call(
            "cannot describe the cluster",
            lambda c: c.describe_cluster(request_timeout=self.timeout).result(
                timeout=self.timeout + 5.0
            ),
        )
        self._remember_nodes(description)
        self._drain()
        return ClusterInfo(description.cluster_id, tuple(sorted(self._nodes)))

    def topics(self, *, ids_for: Collection[str] | None = None) -> Mapping[str, TopicInfo]:
        # The metadata listing gives every topic's layout; only DescribeTopics
        # gives topic ids. With the names known in advance, both requests are
        # in flight at once: describing a topic that turns out not to exist
        # just answers UNKNOWN_TOPIC_OR_PART.
        described = None
        if ids_for is not None:
            names = sorted(set(ids_for))
            described = self._describe_topics(names) if names else {}
        metadata = self._call("cannot list topics", lambda c: c.list_topics(timeout=self.timeout))
        if described is None:
            described = self._describe_topics(sorted(metadata.topics))
        ids = self._topic_ids(described)
        found: dict[str, TopicInfo] = {}
        for name, meta in metadata.topics.items():
            if meta.error is not None and meta.error.code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
                continue
            found[name] = TopicInfo(
                name=name,
                topic_id=ids.get(name),
                partitions=tuple(_partition(meta.partitions[p]) for p in sorted(meta.partitions)),
                internal=name in KAFKA_INTERNAL_TOPICS,
            )
        if ids_for is None:
            # A topic deleted between the two reads is gone.
            found = {name: topic for name, topic in found.items() if name in ids}
        return found

    def _describe_topics(self, names: list[str]) -> Mapping[str, Future[Any]]:
        """Start DescribeTopics for ``names``; the answers are collected by :meth:`_topic_ids`."""
        if not names:
            return {}
        futures: Mapping[str, Future[Any]] = self._call(
            "cannot describe topics",
            lambda c: c.describe_topics(TopicCollection(names), request_timeout=self.timeout),
        )
        return futures

    def _topic_ids(self, futures: Mapping[str, Future[Any]]) -> dict[str, str | None]:
        ids: dict[str, str | None] = {}
        for name, (description, error) in self._results(futures).items():
            if error is not None:
                if error.code == "UNKNOWN_TOPIC_OR_PART":
                    continue  # deleted since it was listed, or never there
                raise ClusterError(f"cannot describe topic {name!r} on {self.bootstrap}: {error}")
            ids[name] = _topic_id(description.topic_id)
        return ids

    def topic_configs(self, names: Collection[str]) -> Mapping[str, Mapping[str, ConfigEntry]]:
        wanted = sorted(set(names))
        if not wanted:
            return {}
        resources = [ck.ConfigResource(ck.ResourceType.TOPIC, name) for name in wanted]
        futures = self._call(
            "cannot describe topic configs",
            lambda c: c.describe_configs(resources, request_timeout=self.timeout),
        )
        configs: dict[str, Mapping[str, ConfigEntry]] = {}
        seen: dict[tuple[str | None, object], ConfigEntry] = {}
        for resource, (entries, error) in self._results(futures).items():
            if error is not None:
                if error.code == "UNKNOWN_TOPIC_OR_PART":
                    continue
                raise ClusterError(
                    f"cannot read configs of topic {resource.name!r} on {self.bootstrap}: {error}"
                )
            configs[resource.name] = _config_entries(entries, seen)
        return configs

    def sighting(self, names: Collection[str], *, timeout: float | None = None) -> Sighting:
        wanted = set(names)
        client = self._sighting_client()
        self._count()
        only = next(iter(wanted)) if len(wanted) == 1 else None
        limit = self.timeout if timeout is None else max(min(timeout, self.timeout), 0.1)
        try:
            metadata = (
                client.list_topics(topic=only, timeout=limit)
                if only is not None
                else client.list_topics(timeout=limit)
            )
        except KafkaException as e:
            raise self._fail("cannot read topic metadata", e) from None
        topics: dict[str, int | None] = {}
        partitions: dict[str, int] = {}
        for name in wanted:
            meta = metadata.topics.get(name)
            if meta is None or (
                meta.error is not None and meta.error.code() == KafkaError.UNKNOWN_TOPIC_OR_PART
            ):
                topics[name] = None
                continue
            parts = meta.partitions.values()
            topics[name] = sum(1 for p in parts if p.leader >= 0 and p.error is None)
            partitions[name] = len(meta.partitions)
        client.poll(0)  # serve its queued callbacks
        return Sighting(broker_id=metadata.orig_broker_id, topics=topics, partitions=partitions)

    def _sighting_client(self) -> ck.AdminClient:
        """The client to ask next: each broker in turn on a multi-broker cluster.

        A metadata request goes to whichever broker librdkafka picks, so each
        broker gets a small client of its own, bootstrapped with only that
        broker's advertised address. librdkafka connects sparsely (only to the
        brokers it needs), so such a client asks its own broker; the answer
        still names the broker that gave it, so a sighting is never mislabelled.
        """
        main = self._usable()
        if len(self._nodes) <= 1:
            return main
        address = self._nodes[next(iter(self._rotation))]
        client = self._broker_clients.get(address)
        if client is None:
            client = self._broker_clients[address] = self._new_client(address)
        return client

    def consumer_groups(self) -> Sequence[GroupInfo]:
        listing = self._call(
            "cannot list consumer groups",
            lambda c: c.list_consumer_groups(request_timeout=self.timeout).result(
                timeout=self.timeout + 5.0
            ),
        )
        if listing.errors:
            # ListGroups asks every broker for the groups it coordinates: one that
            # did not answer hides its groups, and with them evidence of use.
            raise self._fail("cannot list every consumer group", listing.errors[0])
        ids = sorted({g.group_id for g in listing.valid})
        if not ids:
            self._drain()
            return []
        futures = self._call(
            "cannot describe consumer groups",
            lambda c: c.describe_consumer_groups(ids, request_timeout=self.timeout),
        )
        groups: list[GroupInfo] = []
        for group_id, (description, error) in self._results(futures).items():
            if error is not None:
                if error.code == "GROUP_ID_NOT_FOUND":
                    continue  # deleted since it was listed
                raise ClusterError(
                    f"cannot describe consumer group {group_id!r} on {self.bootstrap}: {error}"
                )
            members = description.members or []
            assigned = {
                tp.topic
                for member in members
                if member.assignment is not None
                for tp in member.assignment.topic_partitions
            }
            state = getattr(description.state, "name", str(description.state))
            groups.append(
                GroupInfo(
                    group_id=group_id,
                    state=_GROUP_STATES.get(state, state),
                    member_count=len(members),
                    assigned_topics=frozenset(assigned),
                )
            )
        return groups

    def committed_offsets(
        self, group_ids: Collection[str]
    ) -> Mapping[str, Mapping[str, Mapping[int, int]]]:
        ids = sorted(set(group_ids))
        if not ids:
            return {}
        client = self._usable()
        futures: dict[str, Future[Any]] = {}
        for group_id in ids:
            self._count()
            try:
                futures.update(
                    client.list_consumer_group_offsets(
                        [ConsumerGroupTopicPartitions(group_id)],
                        request_timeout=self.timeout,
                    )
                )
            except KafkaException as e:
                raise self._fail(f"cannot read offsets of group {group_id!r}", e) from None
        offsets: dict[str, dict[str, dict[int, int]]] = {}
        for group_id, (result, error) in self._results(futures).items():
            if error is not None:
                if error.code == "GROUP_ID_NOT_FOUND":
                    offsets[group_id] = {}
                    continue
                raise ClusterError(
                    f"cannot read committed offsets of group {group_id!r} "
                    f"on {self.bootstrap}: {error}"
                )
            by_topic: dict[str, dict[int, int]] = {}
            for tp in result.topic_partitions or []:
                if tp.error is None and tp.offset >= 0:
                    by_topic.setdefault(tp.topic, {})[tp.partition] = tp.offset
            offsets[group_id] = by_topic
        return offsets

    def end_offsets(self, names: Collection[str]) -> Mapping[str, tuple[int, ...]]:
        wanted = sorted(set(names))
        if not wanted:
            return {}
        futures = self._call(
            "cannot describe topics",
            lambda c: c.describe_topics(TopicCollection(wanted), request_timeout=self.timeout),
        )
        counts: dict[str, int] = {}
        for name, (description, error) in self._results(futures).items():
            if error is None:
                counts[name] = len(description.partitions)
            elif error.code != "UNKNOWN_TOPIC_OR_PART":
                raise ClusterError(f"cannot describe topic {name!r} on {self.bootstrap}: {error}")
        latest = ck.OffsetSpec.latest()  # type: ignore[no-untyped-call]
        requests = {
            TopicPartition(name, p): latest for name, count in counts.items() for p in range(count)
        }
        if not requests:
            return {name: () for name in counts}
        offset_futures = self._call(
            "cannot list offsets",
            lambda c: c.list_offsets(requests, request_timeout=self.timeout),
        )
        ends: dict[str, dict[int, int]] = {name: {} for name in counts}
        for tp, (info, error) in self._results(offset_futures).items():
            if error is not None:
                raise ClusterError(
                    f"cannot read the end offset of {tp.topic}[{tp.partition}] "
                    f"on {self.bootstrap}: {error}"
                )
            ends[tp.topic][tp.partition] = info.offset
        return {
            name: tuple(by_partition[p] for p in sorted(by_partition))
            for name, by_partition in ends.items()
        }

    # ------------------------------------------------------------ writes

    def create_topics(
        self, topics: Sequence[NewTopic], *, validate_only: bool = False
    ) -> Mapping[str, AdminError | None]:
        outcome: dict[str, AdminError | None] = {}
        counts: dict[str, int] = {}
        for topic in topics:
            counts[topic.name] = counts.get(topic.name, 0) + 1
        for name, count in counts.items():
            if count > 1:
                # Kafka refuses every entry of a name given twice in one request.
                outcome[name] = AdminError(
                    "INVALID_REQUEST", f"topic {name!r} appears {count} times in one request"
                )
        new = [
            ck.NewTopic(
                t.name,
                num_partitions=t.partitions,
                replication_factor=t.replication_factor,
                config=dict(t.config),
            )
            for t in topics
            if counts[t.name] == 1
        ]
        if new:
            futures = self._call(
                "cannot create topics",
                lambda c: c.create_topics(
                    new,
                    operation_timeout=self._op_timeout,
                    request_timeout=self.timeout,
                    validate_only=validate_only,
                ),
            )
            outcome.update(self._settle(futures))
        return outcome

    def create_partitions(
        self, totals: Mapping[str, int], *, validate_only: bool = False
    ) -> Mapping[str, AdminError | None]:
        if not totals:
            return {}
        new = [ck.NewPartitions(name, int(total)) for name, total in totals.items()]
        futures = self._call(
            "cannot add partitions",
            lambda c: c.create_partitions(
                new,
                operation_timeout=self._op_timeout,
                request_timeout=self.timeout,
                validate_only=validate_only,
            ),
        )
        return self._settle(futures)

    def alter_configs(
        self, changes: Mapping[str, Mapping[str, str | None]], *, validate_only: bool = False
    ) -> Mapping[str, AdminError | None]:
        outcome: dict[str, AdminError | None] = {}
        resources = []
        for name, keys in changes.items():
            if not keys:
                outcome[name] = None  # nothing to change
                continue
            entries = [
                ck.ConfigEntry(
                    key,
                    value,
                    incremental_operation=(
                        ck.AlterConfigOpType.DELETE if value is None else ck.AlterConfigOpType.SET
                    ),
                )
                for key, value in keys.items()
            ]
            resources.append(
                ck.ConfigResource(ck.ResourceType.TOPIC, name, incremental_configs=entries)
            )
        if resources:
            futures = self._call(
                "cannot alter topic configs",
                lambda c: c.incremental_alter_configs(
                    resources, request_timeout=self.timeout, validate_only=validate_only
                ),
            )
            outcome.update(
                {resource.name: error for resource, error in self._settle(futures).items()}
            )
        return outcome

    def delete_topics(self, names: Collection[str]) -> Mapping[str, AdminError | None]:
        wanted = sorted(set(names))
        if not wanted:
            return {}
        futures = self._call(
            "cannot delete topics",
            lambda c: c.delete_topics(
                wanted, operation_timeout=self._op_timeout, request_timeout=self.timeout
            ),
        )
        return self._settle(futures)

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        """Release every client. Safe to call twice."""
        if self._state is None:
            self._state = "closed"
        # Dropping the last reference destroys the librdkafka handle.
        self._client = None
        self._broker_clients.clear()
        _LIVE.discard(self)

    def _abandon_after_fork(self) -> None:
        if self._state is None:
            self._state = "forked"
        _ABANDONED.extend([self._client, *self._broker_clients.values()])
        self._client = None
        self._broker_clients.clear()

    def __enter__(self) -> KafkaAdmin:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<KafkaAdmin {self.bootstrap} timeout={self.timeout:g}s {self._state or 'open'}>"


def _topic_id(uuid: object) -> str | None:
    """Kafka's printed form of a topic id (URL-safe base64, as kafka-topics.sh shows it)."""
    text = str(uuid) if uuid is not None else ""
    if not text or text == _NO_TOPIC_ID:
        return None
    return text.replace("+", "-").replace("/", "_").rstrip("=")


def _config_entries(
    entries: Mapping[str, Any], seen: dict[tuple[str | None, object], ConfigEntry]
) -> dict[str, ConfigEntry]:
    """Map a topic's config entries; equal entries of other topics share one object.

    Most values on a large cluster are the same inherited defaults, so a
    read of thousands of topics makes a few hundred distinct entries instead
    of one per key and topic.
    """
    mapped: dict[str, ConfigEntry] = {}
    for key, entry in entries.items():
        value = None if entry.is_sensitive else entry.value
        source = entry.source
        known = seen.get((value, source))
        if known is None:
            raw = int(getattr(source, "value", source))
            known = seen[value, source] = ConfigEntry(
                value, _SOURCES.get(raw, ConfigSource.UNKNOWN)
            )
        mapped[key] = known
    return mapped


def _partition(p: Any) -> PartitionInfo:
    """A partition from the metadata listing, where -1 means no leader."""
    return PartitionInfo(
        id=p.id,
        leader=p.leader if p.leader >= 0 else None,
        replicas=tuple(p.replicas),
        isr=tuple(p.isrs),
    )
