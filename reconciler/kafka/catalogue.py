"""The topic configs Kafka 3.7 to 4.x knows, and how to write their values as Kafka does.

Declarations hold values the way people write them (``7d``, ``512MiB``, ``true``,
``[compact, delete]``); the cluster reports them the way Kafka prints them
(``604800000``, ``536870912``, ``true``, ``compact,delete``). ``normalise``
turns the first into the second, so a plan compares strings with strings, and
refuses anything Kafka would refuse, before a request is ever sent.

Facts come from Apache Kafka's LogConfig, TopicConfig, ServerLogConfigs,
ServerTopicConfigSynonyms (STCS) and RemoteLogManagerConfig, 3.7.0 to 4.4. Each
entry and each rule cites its source as ``Class@version:line``, so the next
audit against a new release is a diff. Where a key or a range depends on the
release (``since``, ``removed``, ``earlier_minimum``), ``normalise`` accepts
what some supported release accepts, and :func:`key_problem` /
:func:`value_problem` judge it for the target version: an error for a known
target, a warning when the target is not known.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from reconciler.kafka import units
from reconciler.kafka.versions import KafkaVersion, parse_version
from reconciler.problems import Severity

ConfigType = Literal["long", "int", "double", "boolean", "string", "list", "class"]
Unit = Literal["ms", "bytes"]

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1
_L = str(LONG_MAX)  # Kafka's "forever" default for many durations and counts


class ConfigValueError(ValueError):
    """A config value Kafka would refuse; ``str()`` is one line naming key, value and rule."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class ConfigKey:
    """One topic config: its type, Kafka's default, what values are valid and since when.

    ``default`` is the string Kafka 4.x reports for a topic without an override
    and a broker without a setting; ``earlier_default`` is ``(version, value)``
    when the default differed before ``version``; ``earlier_minimum`` likewise is
    ``(version, minimum)`` when releases before ``version`` accepted values down
    to a lower minimum. ``specials`` are values below
    ``minimum`` that Kafka gives a meaning (``-1``: unlimited). ``since`` is the
    Kafka version that added the key, ``None`` when every supported version
    (3.7 on) has it; ``removed`` the version that dropped it. ``synonyms`` are
    the broker settings a topic inherits the value from, first match wins.
    """

    name: str
    type: ConfigType
    default: str | None
    doc: str
    minimum: int | float | None = None
    maximum: int | float | None = None
    specials: tuple[tuple[int, str], ...] = ()
    choices: tuple[str, ...] = ()
    unit: Unit | None = None
    synonyms: tuple[str, ...] = ()
    since: str | None = None
    removed: str | None = None
    earlier_default: tuple[str, str] | None = None
    earlier_minimum: tuple[str, int] | None = None

    @property
    def lowest(self) -> int | float:
        """The smallest value some supported release accepts."""
        if self.earlier_minimum is not None:
            return self.earlier_minimum[1]
        if self.minimum is not None:
            return self.minimum
        return INT_MIN if self.type == "int" else LONG_MIN

    @property
    def highest(self) -> int | float:
        if self.maximum is not None:
            return self.maximum
        return INT_MAX if self.type == "int" else LONG_MAX

    def special_meaning(self, value: int) -> str | None:
        return dict(self.specials).get(value)


_UNLIMITED = ((-1, "unlimited"),)


def _keys(*keys: ConfigKey) -> dict[str, ConfigKey]:
    return {key.name: key for key in sorted(keys, key=lambda k: k.name)}


CATALOGUE: Mapping[str, ConfigKey] = _keys(
    # Kafka LogConfig@3.7.0:263 ValidList.in(compact, delete); empty list allowed by
    #   ConfigDef@4.2.0:1033; STCS@3.7.0:78
    ConfigKey(
        "cleanup.policy",
        "list",
        "delete",
        "How old segments go: delete by retention, compact by key, or both. "
        "An empty list keeps everything (formalised in Kafka 4.2).",
        choices=("compact", "delete"),
        synonyms=("log.cleanup.policy",),
    ),
    # Kafka LogConfig@3.7.0:269 in(BrokerCompressionType.names()), same @4.4; STCS@3.7.0:81
    ConfigKey(
        "compression.type",
        "string",
        "producer",
        "Compression codec of stored batches; 'producer' keeps what the producer sent.",
        choices=("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"),
        synonyms=("compression.type",),
    ),
    # Kafka LogConfig@3.8.0:249 GzipCompression.LevelValidator (1..9 or -1); absent @3.7.0;
    #   STCS@3.8.0:82
    ConfigKey(
        "compression.gzip.level",
        "int",
        "-1",
        "gzip level when compression.type is gzip (KIP-390).",
        minimum=1,
        maximum=9,
        specials=((-1, "the codec's default"),),
        synonyms=("compression.gzip.level",),
        since="3.8",
    ),
    # Kafka LogConfig@3.8.0:251 between(1, 17); absent @3.7.0; STCS@3.8.0:83
    ConfigKey(
        "compression.lz4.level",
        "int",
        "9",
        "lz4 level when compression.type is lz4 (KIP-390).",
        minimum=1,
        maximum=17,
        synonyms=("compression.lz4.level",),
        since="3.8",
    ),
    # Kafka LogConfig@3.8.0:253 between(min, max zstd level); CompressionType@4.1.0:105-109;
    #   STCS@3.8.0:84
    ConfigKey(
        "compression.zstd.level",
        "int",
        "3",
        "zstd level when compression.type is zstd (KIP-390).",
        minimum=-131072,
        maximum=22,
        synonyms=("compression.zstd.level",),
        since="3.8",
    ),
    # Kafka LogConfig@3.7.0:253 atLeast(0), default :169; STCS@3.7.0:73
    ConfigKey(
        "delete.retention.ms",
        "long",
        "86400000",
        "How long delete tombstones stay readable on compacted topics.",
        minimum=0,
        unit="ms",
        synonyms=("log.cleaner.delete.retention.ms",),
    ),
    # Kafka LogConfig@3.7.0:259 atLeast(0), default :165; STCS@3.7.0:76
    ConfigKey(
        "file.delete.delay.ms",
        "long",
        "60000",
        "Wait before a deleted segment's files are removed from disk.",
        minimum=0,
        unit="ms",
        synonyms=("log.segment.delete.delay.ms",),
    ),
    # Kafka LogConfig@3.7.0:240 atLeast(1), default :167; STCS@3.7.0:62
    ConfigKey(
        "flush.messages",
        "long",
        _L,
        "Force an fsync after this many messages (normally left to the OS).",
        minimum=1,
        synonyms=("log.flush.interval.messages",),
    ),
    # Kafka LogConfig@3.7.0:242 atLeast(0), default :168; STCS@3.7.0:63-65
    ConfigKey(
        "flush.ms",
        "long",
        _L,
        "Force an fsync after this much time (normally left to the OS).",
        minimum=0,
        unit="ms",
        synonyms=("log.flush.interval.ms", "log.flush.scheduler.interval.ms"),
    ),
    # Kafka LogConfig@3.7.0:284 ThrottledReplicaListValidator, default :190; no server default
    #   (:211-215)
    ConfigKey(
        "follower.replication.throttled.replicas",
        "list",
        "",
        "Replicas throttled on the follower side, as partition:broker pairs or '*'; "
        "set by reassignment tooling.",
    ),
    # Kafka LogConfig@3.7.0:251 atLeast(0), default :164; STCS@3.7.0:72
    ConfigKey(
        "index.interval.bytes",
        "int",
        "4096",
        "How often an offset index entry is added.",
        minimum=0,
        unit="bytes",
        synonyms=("log.index.interval.bytes",),
    ),
    # Kafka LogConfig@3.7.0:282 ThrottledReplicaListValidator, default :190
    ConfigKey(
        "leader.replication.throttled.replicas",
        "list",
        "",
        "Replicas throttled on the leader side, as partition:broker pairs or '*'; "
        "set by reassignment tooling.",
    ),
    # Kafka LogConfig@3.7.0:292 atLeast(-2), default -2 (:187); STCS@3.7.0:90
    ConfigKey(
        "local.retention.bytes",
        "long",
        "-2",
        "With tiered storage: bytes kept on local disk per partition; at most retention.bytes.",
        minimum=0,
        specials=((-2, "same as retention.bytes"), (-1, "unlimited")),
        unit="bytes",
        synonyms=("log.local.retention.bytes",),
    ),
    # Kafka LogConfig@3.7.0:290 atLeast(-2), default -2 (:188); STCS@3.7.0:89
    ConfigKey(
        "local.retention.ms",
        "long",
        "-2",
        "With tiered storage: how long segments stay on local disk; at most retention.ms.",
        minimum=0,
        specials=((-2, "same as retention.ms"), (-1, "unlimited")),
        unit="ms",
        synonyms=("log.local.retention.ms",),
    ),
    # Kafka LogConfig@3.7.0:257 atLeast(1); STCS@3.7.0:75
    ConfigKey(
        "max.compaction.lag.ms",
        "long",
        _L,
        "Longest a record may stay uncompacted.",
        minimum=1,
        unit="ms",
        synonyms=("log.cleaner.max.compaction.lag.ms",),
    ),
    # Kafka LogConfig@3.7.0:249 atLeast(0), default :157; STCS@3.7.0:71
    ConfigKey(
        "max.message.bytes",
        "int",
        "1048588",
        "Largest record batch the topic accepts.",
        minimum=0,
        unit="bytes",
        synonyms=("message.max.bytes",),
    ),
    # Kafka LogConfig@3.7.0:280 atLeast(0); default Long.MAX in ServerLogConfigs@3.9.1:148, 3600000
    #   @4.0.0:121 (KIP-1030); STCS@3.7.0:87
    ConfigKey(
        "message.timestamp.after.max.ms",
        "long",
        "3600000",
        "How far in the future a CreateTime timestamp may be (KIP-937).",
        minimum=0,
        unit="ms",
        synonyms=("log.message.timestamp.after.max.ms",),
        earlier_default=("4.0", _L),
    ),
    # Kafka LogConfig@3.7.0:278 atLeast(0); ServerLogConfigs@4.0.0:114; STCS@3.7.0:86
    ConfigKey(
        "message.timestamp.before.max.ms",
        "long",
        _L,
        "How far in the past a CreateTime timestamp may be (KIP-937).",
        minimum=0,
        unit="ms",
        synonyms=("log.message.timestamp.before.max.ms",),
    ),
    # Kafka LogConfig@3.7.0:274 in(CreateTime, LogAppendTime); STCS@3.7.0:84
    ConfigKey(
        "message.timestamp.type",
        "string",
        "CreateTime",
        "Whose clock stamps records: the producer's (CreateTime) or the broker's.",
        choices=("CreateTime", "LogAppendTime"),
        synonyms=("log.message.timestamp.type",),
    ),
    # Kafka LogConfig@3.7.0:261 between(0, 1); STCS@3.7.0:77
    ConfigKey(
        "min.cleanable.dirty.ratio",
        "double",
        "0.5",
        "Share of uncompacted log that makes a partition eligible for compaction.",
        minimum=0,
        maximum=1,
        synonyms=("log.cleaner.min.cleanable.ratio",),
    ),
    # Kafka LogConfig@3.7.0:255 atLeast(0); STCS@3.7.0:74
    ConfigKey(
        "min.compaction.lag.ms",
        "long",
        "0",
        "Shortest time a record stays uncompacted; at most max.compaction.lag.ms.",
        minimum=0,
        unit="ms",
        synonyms=("log.cleaner.min.compaction.lag.ms",),
    ),
    # Kafka LogConfig@3.7.0:267 atLeast(1), default :174, same @4.1.0:221; STCS@3.7.0:80
    ConfigKey(
        "min.insync.replicas",
        "int",
        "1",
        "Replicas that must acknowledge an acks=all write; at most the replication factor.",
        minimum=1,
        synonyms=("min.insync.replicas",),
    ),
    # Kafka LogConfig@3.7.0:271; STCS@3.7.0:82
    ConfigKey(
        "preallocate",
        "boolean",
        "false",
        "Preallocate segment files on disk.",
        synonyms=("log.preallocate",),
    ),
    # Kafka LogConfig@4.4:256 atLeast(-1), default RemoteLogManagerConfig@4.4:190-191 = -1
    #   (KIP-1241); absent @4.3; STCS@4.4:89
    ConfigKey(
        "remote.copy.lag.bytes",
        "long",
        "-1",
        "With tiered storage: size-based delay before segments are uploaded (KIP-1241); "
        "at most the local retention.",
        minimum=0,
        specials=((-1, "derived from local.retention.bytes"),),
        unit="bytes",
        synonyms=("log.remote.copy.lag.bytes",),
        since="4.4",
    ),
    # Kafka LogConfig@4.4:255 atLeast(-1), default RemoteLogManagerConfig@4.4:180 = 0 (KIP-1241);
    #   absent @4.3; STCS@4.4:88
    ConfigKey(
        "remote.copy.lag.ms",
        "long",
        "0",
        "With tiered storage: time-based delay before segments are uploaded (KIP-1241); "
        "at most the local retention.",
        minimum=0,
        specials=((-1, "derived from local.retention.ms"),),
        unit="ms",
        synonyms=("log.remote.copy.lag.ms",),
        since="4.4",
    ),
    # Kafka LogConfig@3.9.1:332 (KIP-950); absent @3.8.0; no server default (@4.0.0:148-154)
    ConfigKey(
        "remote.log.copy.disable",
        "boolean",
        "false",
        "With tiered storage: stop uploading new segments (KIP-950).",
        since="3.9",
    ),
    # Kafka LogConfig@3.9.1:333 (KIP-950); absent @3.8.0
    ConfigKey(
        "remote.log.delete.on.disable",
        "boolean",
        "false",
        "Allow turning tiered storage off, deleting the remote data (KIP-950).",
        since="3.9",
    ),
    # Kafka LogConfig@3.7.0:288, default false; no server default (:211-215)
    ConfigKey(
        "remote.storage.enable",
        "boolean",
        "false",
        "Tier old segments to remote storage; needs tiered storage on the cluster "
        "and cleanup.policy=delete.",
    ),
    # Kafka LogConfig@3.7.0:244-245 and @4.1.0:199: no validator, any long ("can be negative");
    #   STCS@3.7.0
    ConfigKey(
        "retention.bytes",
        "long",
        "-1",
        "Bytes kept per partition before old segments are deleted; any negative value "
        "means no size limit (-1 by convention).",
        specials=_UNLIMITED,
        unit="bytes",
        synonyms=("log.retention.bytes",),
    ),
    # Kafka LogConfig@3.7.0:247 atLeast(-1); STCS@3.7.0:67-70
    ConfigKey(
        "retention.ms",
        "long",
        "604800000",
        "How long records are kept before old segments are deleted.",
        minimum=0,
        specials=_UNLIMITED,
        unit="ms",
        synonyms=("log.retention.ms", "log.retention.minutes", "log.retention.hours"),
    ),
    # Kafka LogConfig@3.7.0:233 .. @4.0.0:198 atLeast(14) (LegacyRecord.RECORD_OVERHEAD_V0);
    #   @4.1.0:187 atLeast(1 MiB) (KAFKA-19080); STCS@3.7.0
    ConfigKey(
        "segment.bytes",
        "int",
        "1073741824",
        "Size at which a segment file is rolled (at least 1MiB since Kafka 4.1; 14 bytes before).",
        minimum=1048576,
        earlier_minimum=("4.1", 14),
        unit="bytes",
        synonyms=("log.segment.bytes",),
    ),
    # Kafka LogConfig@3.7.0:238 atLeast(4); STCS@3.7.0:61
    ConfigKey(
        "segment.index.bytes",
        "int",
        "10485760",
        "Size of each segment's offset index.",
        minimum=4,
        unit="bytes",
        synonyms=("log.index.size.max.bytes",),
    ),
    # Kafka LogConfig@3.7.0:236 atLeast(0); STCS@3.7.0:58-60
    ConfigKey(
        "segment.jitter.ms",
        "long",
        "0",
        "Random jitter subtracted from segment.ms so segments do not all roll at once.",
        minimum=0,
        unit="ms",
        synonyms=("log.roll.jitter.ms", "log.roll.jitter.hours"),
    ),
    # Kafka LogConfig@3.7.0:235 atLeast(1), unchanged @4.4:195; STCS@3.7.0:55-57
    ConfigKey(
        "segment.ms",
        "long",
        "604800000",
        "Age at which a segment is rolled even if not full.",
        minimum=1,
        unit="ms",
        synonyms=("log.roll.ms", "log.roll.hours"),
    ),
    # Kafka LogConfig@3.7.0:265; STCS@3.7.0:79
    ConfigKey(
        "unclean.leader.election.enable",
        "boolean",
        "false",
        "Allow an out-of-sync replica to become leader, losing data, rather than go offline.",
        synonyms=("unclean.leader.election.enable",),
    ),
    # Kafka LogConfig@4.4:258 BOOLEAN, default false (:139); TopicConfig@4.4:272 (KIP-1191)
    ConfigKey(
        "errors.deadletterqueue.group.enable",
        "boolean",
        "false",
        "Share groups may write undeliverable records of this topic to a dead-letter "
        "topic (KIP-1191).",
        since="4.4",
    ),
    # Kafka LogConfig@3.7.0:286, default true (:184); absent @4.0.0 (KAFKA-18269): 4.x rejects it as
    #   unknown
    ConfigKey(
        "message.downconversion.enable",
        "boolean",
        "true",
        "Down-convert records for old consumers; Kafka 4.0 removed it and refuses the key.",
        synonyms=("log.message.downconversion.enable",),
        removed="4.0",
    ),
    # Kafka LogConfig@3.7.0:272 MetadataVersionValidator, default IBP_3_0_IV1 (:194); absent @4.0.0
    #   (KAFKA-17393, KIP-724)
    ConfigKey(
        "message.format.version",
        "string",
        "3.0-IV1",
        "On-disk record format; ignored since inter.broker.protocol.version 3.0.",
        synonyms=("log.message.format.version",),
        removed="4.0",
    ),
    # Kafka LogConfig@3.7.0:276 atLeast(0); TopicConfig@3.7.0:201 deprecated 3.6; absent @4.0.0
    #   (KAFKA-17997)
    ConfigKey(
        "message.timestamp.difference.max.ms",
        "long",
        _L,
        "Largest allowed gap between a CreateTime timestamp and the broker's clock.",
        minimum=0,
        unit="ms",
        synonyms=("log.message.timestamp.difference.max.ms",),
        removed="4.0",
    ),
)

# Why a known key still deserves a warning in a declaration.
_KEY_WARNINGS: Mapping[str, str] = {
    "message.format.version": (
        "message.format.version is deprecated since Kafka 3.0, ignored by brokers on "
        "inter.broker.protocol.version 3.0 or later, and removed in Kafka 4.0 (4.x brokers "
        "reject it as unknown); delete it from the declaration"
    ),
    "message.timestamp.difference.max.ms": (
        "message.timestamp.difference.max.ms is deprecated since Kafka 3.6 and removed in "
        "Kafka 4.0 (4.x brokers reject it as unknown); use message.timestamp.before.max.ms "
        "and message.timestamp.after.max.ms instead"
    ),
    "message.downconversion.enable": (
        "message.downconversion.enable is removed in Kafka 4.0 (4.x brokers reject it as "
        "unknown; down-conversion is gone); delete it from the declaration"
    ),
    "leader.replication.throttled.replicas": (
        "leader.replication.throttled.replicas is set and cleared by reassignment tooling "
        "(kafka-reassign-partitions.sh); declaring it will fight running reassignments"
    ),
    "follower.replication.throttled.replicas": (
        "follower.replication.throttled.replicas is set and cleared by reassignment tooling "
        "(kafka-reassign-partitions.sh); declaring it will fight running reassignments"
    ),
}

# What to write instead of a removed key, said with the error for a target that lacks it.
_REPLACEMENTS: Mapping[str, str] = {
    "message.timestamp.difference.max.ms": (
        "use message.timestamp.before.max.ms and message.timestamp.after.max.ms instead"
    ),
}

# Keys only the newest release has: a warning while the target is not known, since
# every older broker refuses them as unknown.
_NEWEST_ONLY = "4.4"

# Broker settings people write where a topic config belongs, mapped to that topic config.
_BROKER_NAMES: Mapping[str, str] = {
    synonym: key.name
    for key in CATALOGUE.values()
    for synonym in key.synonyms
    if synonym != key.name
}

# Said after an out-of-range message where a rule changed between versions.
_RANGE_NOTES: Mapping[str, str] = {
    "segment.bytes": " (Kafka before 4.1 accepts it from 14; 4.1 raised the minimum, KAFKA-19080)",
}

_VALUE_HINTS: Mapping[tuple[str, str], str] = {
    ("compression.type", "none"): "for topics, no compression is spelled 'uncompressed'",
}


# ----------------------------------------------------------------------- keys


def key_problem(key: str, target: KafkaVersion | None = None) -> tuple[Severity, str] | None:
    """Why ``key`` is wrong or doubtful in a declaration; None for a current topic config.

    With a ``target`` version, a key that release does not have (added later,
    or removed at or before it) is an error naming both versions; without
    one, keys removed in 4.0 and keys only the newest release has are warnings.
    """
    spec = CATALOGUE.get(key)
    if spec is None:
        return ("error", _unknown_key_message(key))
    if target is not None:
        missing = missing_from(key, target)
        if missing is not None:
            return ("error", missing)
        tooling = _KEY_WARNINGS.get(key) if key.endswith(".throttled.replicas") else None
        return ("warning", tooling) if tooling else None
    warning = _KEY_WARNINGS.get(key)
    if warning is None and spec.since == _NEWEST_ONLY:
        warning = (
            f"{key} needs Kafka {spec.since} or later; older brokers reject it as unknown "
            "(set kafka_version for the cluster to check it for the Kafka it runs)"
        )
    return ("warning", warning) if warning else None


def missing_from(key: str, target: KafkaVersion) -> str | None:
    """Why Kafka ``target`` does not have topic config ``key``, or None when it does."""
    spec = CATALOGUE[key]
    if spec.since is not None and target < parse_version(spec.since):
        return (
            f"{key} needs Kafka {spec.since} or later, but {target.holder} Kafka {target}, "
            "which rejects it as unknown; remove it, or upgrade the cluster first"
        )
    if spec.removed is not None and target >= parse_version(spec.removed):
        fix = _REPLACEMENTS.get(key, "delete it from the declaration")
        return (
            f"{key} was removed in Kafka {spec.removed}, and {target.holder} Kafka {target}, "
            f"which rejects it as unknown; {fix}"
        )
    return None


def known_in(key: str, version: KafkaVersion) -> bool:
    """Whether Kafka ``version`` has topic config ``key``."""
    return key in CATALOGUE and missing_from(key, version) is None


def value_problem(
    key: str, value: str, target: KafkaVersion | None = None
) -> tuple[Severity, str] | None:
    """A normalised ``value`` that only some releases accept: an error when the
    ``target`` refuses it, a warning when the target is not known."""
    spec = CATALOGUE.get(key)
    if spec is None or spec.earlier_minimum is None or spec.minimum is None:
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    if number >= spec.minimum or spec.special_meaning(number) is not None:
        return None
    since, earlier = spec.earlier_minimum
    floor = _number(spec, spec.minimum)
    if target is None:
        return (
            "warning",
            f"{key} {number} is below {floor}, the minimum since Kafka {since}: older "
            f"brokers accept it from {earlier}, Kafka {since} and later refuse it; raise it "
            "to at least the minimum (or set kafka_version for the cluster)",
        )
    if target >= parse_version(since):
        return (
            "error",
            f"{key} {number} is below {floor}, the minimum since Kafka {since}, and "
            f"{target.holder} Kafka {target}, which refuses it; raise it to at least {floor}",
        )
    return None


def default_value(key: str) -> str | None:
    """Kafka 4.x's built-in default for ``key`` (what a topic has with no override and no
    broker setting), or None for an unknown key."""
    spec = CATALOGUE.get(key)
    return spec.default if spec else None


def _unknown_key_message(key: str) -> str:
    head = f"unknown topic config {key!r}"
    topic_key = _BROKER_NAMES.get(key)
    if topic_key is None and key.startswith("log.") and key[4:] in CATALOGUE:
        topic_key = key[4:]
    if topic_key is not None:
        hint = f"{head}: that is a broker setting; the topic config is {topic_key!r}"
        if key.endswith((".hours", ".minutes")):
            hint += " (in milliseconds; ktr accepts durations such as 7d)"
        return hint
    stem, _, suffix = key.rpartition(".")
    if suffix in ("hours", "minutes", "seconds", "h", "s", "sec") and f"{stem}.ms" in CATALOGUE:
        return (
            f"{head}: topic configs take milliseconds; use '{stem}.ms' "
            "(ktr accepts durations such as 7d)"
        )
    respelled = re.sub(r"[_\-\s]+", ".", key.strip()).lower()
    if respelled != key and respelled in CATALOGUE:
        return f"{head}; did you mean {respelled!r}?"
    if key.startswith("confluent."):
        return (
            f"{head}: confluent.* keys belong to Confluent Server; "
            "ktr manages Apache Kafka topic configs"
        )
    close = difflib.get_close_matches(respelled, list(CATALOGUE), n=1, cutoff=0.75)
    if close:
        return f"{head}; did you mean {close[0]!r}?"
    return f"{head}; see https://kafka.apache.org/documentation/#topicconfigs"


# --------------------------------------------------------------------- values


def normalise(key: str, value: object) -> str:
    """The exact string Kafka stores and reports for ``value`` of ``key``.

    Raises ConfigValueError, one line naming the key, the value and what is
    accepted, for an unknown key or a value Kafka would refuse.
    """
    spec = CATALOGUE.get(key)
    if spec is None:
        raise ConfigValueError(key, _unknown_key_message(key))
    if value is None:
        raise ConfigValueError(key, f"{key}: no value given; write a value or remove the key")
    if spec.type in ("int", "long"):
        return str(_integer(spec, value))
    if spec.type == "double":
        return _double(spec, value)
    if spec.type == "boolean":
        return _boolean(spec, value)
    if spec.type == "list":
        return _list(spec, value)
    return _string(spec, value)


def canonical(key: str, value: str | None) -> str | None:
    """A form of ``value`` in which two values Kafka treats as equal compare equal.

    Meant for values as brokers report them: never raises, and a value the
    catalogue would refuse (an older broker's rules, an unknown key) comes back
    only trimmed.
    """
    if value is None:
        return None
    if key not in CATALOGUE:
        return value
    try:
        return normalise(key, value)
    except ConfigValueError:
        return value.strip()


def accepted(key: str) -> str:
    """What ``key`` accepts, in words (for messages and documentation)."""
    spec = CATALOGUE[key]
    if spec.type in ("int", "long"):
        if spec.unit == "ms":
            form = units.DURATION_HELP
        elif spec.unit == "bytes":
            form = units.SIZE_HELP
        else:
            form = "a whole number"
        return f"{form} ({_range_text(spec)})"
    if spec.type == "double":
        return f"a number {_range_text(spec)}"
    if spec.type == "boolean":
        return "true or false"
    if key == "cleanup.policy":
        return "delete, compact, both (compact,delete), or an empty list"
    if spec.type == "list":
        return "'*' or partition:broker pairs separated by commas (e.g. 0:101,1:102)"
    if spec.choices:
        return "one of " + ", ".join(spec.choices)
    return "a Kafka version from 0.8.0 to 3.9, such as 3.0-IV1"


def _show(value: object) -> str:
    """A value as the user wrote it, in YAML's words where that differs from Python's."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    return str(value)


def _fail(spec: ConfigKey, value: object, why: str) -> ConfigValueError:
    return ConfigValueError(
        spec.name, f"{spec.name}: {_show(value)} {why}; expected {accepted(spec.name)}"
    )


def _range_text(spec: ConfigKey) -> str:
    floor, ceiling = spec.minimum, spec.maximum
    if ceiling is None and spec.type == "int":
        ceiling = INT_MAX
    if floor is not None and ceiling is not None:
        span = f"from {_number(spec, floor)} to {_number(spec, ceiling)}"
    elif floor is not None:
        span = f"at least {_number(spec, floor)}"
    elif ceiling is not None:
        span = f"at most {_number(spec, ceiling)}"
    else:
        span = "any whole number"
    specials = [f"{value} for {meaning}" for value, meaning in spec.specials]
    if not specials:
        return span
    return ", ".join(specials) + ", or " + span


def _number(spec: ConfigKey, value: int | float) -> str:
    if spec.type == "double":
        return _java_double(float(value))
    number = int(value)
    spelled = ""
    if spec.unit == "bytes" and number >= 1024:
        spelled = units.format_bytes(number)
    elif spec.unit == "ms" and number >= 1000:
        spelled = units.format_duration_ms(number)
    if spelled and spelled not in (f"{number}B", f"{number}ms"):
        return f"{number} ({spelled})"
    return str(number)


def _integer(spec: ConfigKey, value: object) -> int:
    if isinstance(value, bool):
        raise _fail(spec, value, "is a boolean, not a number")
    if isinstance(value, float):
        raise _fail(spec, value, "is not a whole number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        number = _integer_text(spec, value)
    else:
        raise _fail(spec, value, f"is a {_kind(value)}, not a number")
    if spec.special_meaning(number) is not None:
        return number
    if not spec.lowest <= number <= spec.highest:
        shown = repr(value)
        if isinstance(value, str) and value.strip() != str(number):
            shown = f"{value!r} ({number})"
        raise ConfigValueError(
            spec.name,
            f"{spec.name}: {shown} is out of range; expected {_range_text(spec)}"
            + _RANGE_NOTES.get(spec.name, ""),
        )
    return number


def _integer_text(spec: ConfigKey, text: str) -> int:
    _unlimited_hint(spec, text)
    try:
        if spec.unit == "ms":
            return units.parse_duration_ms(text)
        if spec.unit == "bytes":
            return units.parse_bytes(text)
    except ValueError as error:
        raise ConfigValueError(spec.name, f"{spec.name}: {error}") from None
    plain = re.fullmatch(r"\s*([+-]?[0-9]+)\s*", text)
    if plain is None:
        raise _fail(spec, text, "is not a whole number")
    return int(plain[1])


def _unlimited_hint(spec: ConfigKey, text: str) -> None:
    """Point words like 'unlimited' at the number Kafka uses for them."""
    if text.strip().lower() in ("unlimited", "infinite", "forever", "never", "none", "max"):
        for number, meaning in spec.specials:
            if meaning == "unlimited":
                raise ConfigValueError(
                    spec.name,
                    f"{spec.name}: {text!r} is not a number; Kafka writes {meaning} as {number}",
                )


_DECIMAL = re.compile(r"\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*")


def _double(spec: ConfigKey, value: object) -> str:
    if isinstance(value, bool):
        raise _fail(spec, value, "is a boolean, not a number")
    if isinstance(value, (int, float)) or (isinstance(value, str) and _DECIMAL.fullmatch(value)):
        number = float(value)
    else:
        raise _fail(spec, value, "is not a number")
    if not math.isfinite(number) or not spec.lowest <= number <= spec.highest:
        raise _fail(spec, value, "is out of range")
    return _java_double(number + 0.0)  # + 0.0 turns -0.0 into 0.0


def _java_double(number: float) -> str:
    """``number`` as Java's Double.toString prints it: 0.5 -> "0.5", 1 -> "1.0", 1e-4 -> "1.0E-4".

    Kafka reports doubles through Double.toString, which uses plain notation
    for magnitudes in [1e-3, 1e7) and computerised scientific notation
    otherwise, always with a digit after the point; the digits are the
    shortest that round-trip, as Python's repr picks them.
    """
    if number == 0:
        return "-0.0" if math.copysign(1.0, number) < 0 else "0.0"
    sign = "-" if number < 0 else ""
    magnitude = abs(number)
    exact = Decimal(repr(magnitude)).normalize()
    digits = "".join(str(d) for d in exact.as_tuple().digits)
    exponent = exact.adjusted()
    if 1e-3 <= magnitude < 1e7:
        plain = format(exact, "f")
        return sign + (plain if "." in plain else plain + ".0")
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{exponent}"


def _boolean(spec: ConfigKey, value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower()
    raise _fail(spec, value, "is not a boolean")


def _string(spec: ConfigKey, value: object) -> str:
    if not isinstance(value, str):
        raise _fail(spec, value, f"is a {_kind(value)}, not text (put it in quotes)")
    text = value.strip()
    if spec.choices:
        for choice in spec.choices:
            if text.lower() == choice.lower():
                return choice
        hint = _VALUE_HINTS.get((spec.name, text.lower()))
        raise _fail(spec, value, f"is not valid ({hint})" if hint else "is not valid")
    if not _is_metadata_version(text):
        raise _fail(spec, value, "is not a Kafka version")
    return text


# MetadataVersion@3.9 (server-common): each release and its last internal version
# ("IVn"); MetadataVersionValidator takes a release ("2.8", "0.10.2"), a release
# with an internal version ("3.0-IV1"), or a release followed by more dotted parts,
# which fromVersionString drops ("3.0.1").
_METADATA_RELEASES: Mapping[str, int] = {
    "0.8.0": -1, "0.8.1": -1, "0.8.2": -1, "0.9.0": -1,
    "0.10.0": 1, "0.10.1": 2, "0.10.2": 0, "0.11.0": 2,
    "1.0": 0, "1.1": 0, "2.0": 1, "2.1": 2, "2.2": 1, "2.3": 1, "2.4": 1, "2.5": 0,
    "2.6": 0, "2.7": 2, "2.8": 1, "3.0": 1, "3.1": 0, "3.2": 0, "3.3": 3, "3.4": 0,
    "3.5": 2, "3.6": 2, "3.7": 4, "3.8": 0, "3.9": 0,
}  # fmt: skip


def _is_metadata_version(text: str) -> bool:
    parts = text.split(".")
    release = ".".join(parts[: 3 if text.startswith("0.") else 2])
    rest = text[len(release) :]
    if release in _METADATA_RELEASES:
        return rest == "" or re.fullmatch(r"(\.[0-9]+)+", rest) is not None
    base, _, internal = text.rpartition("-IV")
    if base in _METADATA_RELEASES and internal.isdigit():
        return int(internal) <= _METADATA_RELEASES[base]
    return False


def _list(spec: ConfigKey, value: object) -> str:
    items = _list_items(spec, value)
    if spec.name == "cleanup.policy":
        chosen: set[str] = set()
        for item in items:
            if item.lower() not in spec.choices:
                raise _fail(spec, value, _bad_item(value, item, "a cleanup policy"))
            chosen.add(item.lower())
        return ",".join(sorted(chosen))
    return _throttled_replicas(spec, value, items)


def _list_items(spec: ConfigKey, value: object) -> list[str]:
    if isinstance(value, str):
        raw: Iterable[object] = value.split(",")
    elif isinstance(value, (list, tuple)):
        raw = value
    else:
        raise _fail(spec, value, f"is a {_kind(value)}, not a list")
    items: list[str] = []
    for item in raw:
        if not isinstance(item, str):
            raise _fail(spec, value, f"contains {_show(item)}, which is not text")
        if item.strip():
            items.append(item.strip())
    return items


def _throttled_replicas(spec: ConfigKey, value: object, items: list[str]) -> str:
    if items == ["*"]:
        return "*"
    pairs: set[tuple[int, int]] = set()
    for item in items:
        match = re.fullmatch(r"([0-9]+)\s*:\s*([0-9]+)", item)
        if match is None:
            raise _fail(spec, value, _bad_item(value, item, "partition:broker"))
        pairs.add((int(match[1]), int(match[2])))
    return ",".join(f"{partition}:{broker}" for partition, broker in sorted(pairs))


def _bad_item(value: object, item: str, what: str) -> str:
    if isinstance(value, str) and value.strip() == item:
        return f"is not {what}"
    return f"contains {item!r}, which is not {what}"


def _kind(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


# ---------------------------------------------------------------- JSON Schema

# ECMA-262 patterns (JSON Schema's dialect) for the text forms normalise accepts.
_INTEGER_PATTERN = r"^\s*[+-]?[0-9]+\s*$"
_DURATION_PATTERN = r"^\s*([+-]?[0-9]+|[0-9]+\s*(ms|s|m|h|d|w))\s*$"
_SIZE_PATTERN = r"^\s*([+-]?[0-9]+|[0-9]+\s*([bB]|[kKmMgGtT][iI][bB]))\s*$"
_DECIMAL_PATTERN = r"^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$"
_POLICY_PATTERN = r"^\s*((compact|delete)\s*(,\s*(compact|delete)\s*)*)?$"
_PAIR = r"[0-9]+\s*:\s*[0-9]+"
_REPLICAS_PATTERN = rf"^\s*(\*|({_PAIR}\s*(,\s*{_PAIR}\s*)*)?)\s*$"


def value_schema(key: str) -> dict[str, object]:
    """A JSON Schema fragment for the values ``key`` takes in a declaration.

    It offers editors Kafka's spellings and ranges; ``normalise`` stays the
    judge (it also takes other letter case for enums and booleans).
    """
    spec = CATALOGUE[key]
    schema: dict[str, object] = {"description": _schema_description(spec)}
    if spec.type in ("int", "long"):
        pattern = {"ms": _DURATION_PATTERN, "bytes": _SIZE_PATTERN}.get(spec.unit or "")
        number: dict[str, object] = {
            "type": "integer",
            "minimum": spec.lowest,
            "maximum": spec.highest,
        }
        forms: list[dict[str, object]] = [number]
        forms += [{"const": value} for value, _ in spec.specials]
        forms.append({"type": "string", "pattern": pattern or _INTEGER_PATTERN})
        schema["anyOf"] = forms
        if spec.default is not None:
            schema["default"] = int(spec.default)
    elif spec.type == "double":
        schema["anyOf"] = [
            {"type": "number", "minimum": spec.lowest, "maximum": spec.highest},
            {"type": "string", "pattern": _DECIMAL_PATTERN},
        ]
        if spec.default is not None:
            schema["default"] = float(spec.default)
    elif spec.type == "boolean":
        schema["anyOf"] = [{"type": "boolean"}, {"enum": ["true", "false"]}]
        schema["default"] = spec.default == "true"
    elif spec.type == "list":
        choices = list(spec.choices)
        item: dict[str, object] = {"enum": choices} if choices else {"pattern": rf"^{_PAIR}$|^\*$"}
        schema["anyOf"] = [
            {"type": "string", "pattern": _POLICY_PATTERN if choices else _REPLICAS_PATTERN},
            {"type": "array", "items": {"type": "string", **item}},
        ]
        schema["default"] = spec.default
    else:
        if spec.choices:
            schema["enum"] = list(spec.choices)
        else:
            schema["type"] = "string"
            schema["pattern"] = r"^[0-9]+\.[0-9]+(\.[0-9]+)?(-IV[0-9]+)?$"
        schema["default"] = spec.default
    if spec.removed is not None:
        schema["deprecated"] = True
    return schema


def _schema_description(spec: ConfigKey) -> str:
    text = spec.doc
    if spec.since is not None:
        text += f" Kafka {spec.since}+."
    if spec.removed is not None:
        text += f" Removed in Kafka {spec.removed}."
    return f"{text} Accepts {accepted(spec.name)}."


# ---------------------------------------------------------------- cross-field


def cross_field_problems(
    config: Mapping[str, str], replication_factor: int, target: KafkaVersion | None = None
) -> list[tuple[str, str]]:
    """The errors among :func:`cross_field_checks`, as ``(key to point at, message)`` pairs."""
    return [
        (key, message)
        for key, severity, message in cross_field_checks(config, replication_factor, target)
        if severity == "error"
    ]


def cross_field_checks(
    config: Mapping[str, str], replication_factor: int, target: KafkaVersion | None = None
) -> list[tuple[str, Severity, str]]:
    """Rules that join several values, as ``(key to point at, severity, message)``.

    ``config`` holds normalised values; keys not in it take Kafka's defaults.
    A ``replication_factor`` below 1 (left to the broker) skips the replica rule.
    A rule only some releases apply is an error for such a ``target``, and a
    warning when the target is not known.
    """
    problems: list[tuple[str, Severity, str]] = []

    def number(key: str) -> int | None:
        text = config.get(key, default_value(key))
        try:
            return int(text) if text is not None else None
        except ValueError:
            return None

    def flag(key: str) -> bool:
        return config.get(key, default_value(key)) == "true"

    # ktr's own rule, not a Kafka refusal: KRaft accepts the topic and clamps
    # min.insync.replicas to the replication factor (ReplicationControlManager@3.7.0:2186-2202,
    # @4.1.0:2350-2356), and acks=all writes then fail (Partition.scala@4.1.0:1370).
    min_isr = number("min.insync.replicas")
    if replication_factor >= 1 and min_isr is not None and min_isr > replication_factor:
        problems.append(
            (
                "min.insync.replicas",
                "error",
                f"min.insync.replicas {min_isr} is more than the replication factor "
                f"{replication_factor}: producers using acks=all could never write (Kafka "
                "accepts the topic and fails those writes later; ktr refuses it now)",
            )
        )

    # LogConfig.validateValues, always (LogConfig@3.7.0:519-527, @4.1.0:478-486).
    min_lag, max_lag = number("min.compaction.lag.ms"), number("max.compaction.lag.ms")
    if min_lag is not None and max_lag is not None and min_lag > max_lag:
        problems.append(
            (
                "min.compaction.lag.ms",
                "error",
                f"min.compaction.lag.ms {min_lag} is more than max.compaction.lag.ms "
                f"{max_lag}; Kafka refuses this",
            )
        )

    # The rest is checked by Kafka only for a topic with tiered storage on
    # (LogConfig@3.7.0:550-560, @4.1.0:516-522).
    if flag("remote.storage.enable"):
        problems += _tiered_storage_problems(config, number, flag, target)
    return problems


def _tiered_storage_problems(
    config: Mapping[str, str],
    number: Callable[[str], int | None],
    flag: Callable[[str], bool],
    target: KafkaVersion | None,
) -> list[tuple[str, Severity, str]]:
    problems: list[tuple[str, Severity, str]] = []
    for local_key, total_key in (
        ("local.retention.ms", "retention.ms"),
        ("local.retention.bytes", "retention.bytes"),
    ):
        local, total = number(local_key), number(total_key)
        if local is None or total is None:
            continue
        # validateRemoteStorageRetentionSize / Time (LogConfig@4.1.0:578-610).
        message = _local_retention_problem(local_key, local, total_key, total)
        if message:
            problems.append((local_key, "error", message))
        # validateRetentionConfigsWhenRemoteCopyDisabled (LogConfig@3.9.1:657-673, @4.1.0:539-555).
        if flag("remote.log.copy.disable") and local not in (-2, total):
            problems.append(
                (
                    local_key,
                    "error",
                    f"with remote.log.copy.disable=true, {local_key} must be -2 or equal "
                    f"{total_key} ({total}), since nothing more is copied to remote storage; "
                    f"it is {local}",
                )
            )
        # validateRemoteCopyLagTime / Size (LogConfig@4.4:537-538, :628-653).
        lag_key = "remote.copy.lag." + local_key.rpartition(".")[2]
        lag = number(lag_key) if lag_key in config else None
        effective = total if local == -2 else local
        if lag is not None and lag > 0 and effective >= 0 and lag > effective:
            problems.append(
                (
                    lag_key,
                    "error",
                    f"{lag_key} {lag} is more than the local retention ({effective}, from "
                    f"{local_key if local != -2 else total_key}): segments would be deleted "
                    "locally before they are copied to remote storage; Kafka refuses this",
                )
            )

    # 3.7 to 4.0 refuse "compact" in the policy (LogConfig@3.7.0:574-579, @4.0.0:568-573);
    # 4.1 wants exactly [delete] (LogConfig@4.1.0:570-576, KAFKA-19273); 4.2 and later
    # take [delete] or an empty list (LogConfig@4.2.0:562-567, @4.4:587-592).
    policy = config.get("cleanup.policy", default_value("cleanup.policy")) or ""
    if "compact" in policy.split(","):
        problems.append(
            (
                "remote.storage.enable",
                "error",
                "remote.storage.enable=true needs cleanup.policy=delete (Kafka does not "
                f"tier compacted topics); cleanup.policy is {policy!r}",
            )
        )
    elif policy == "":
        refused_by_41 = (
            "an empty cleanup.policy with remote.storage.enable=true is refused by Kafka 4.1 "
            "(4.2 and later accept it); use cleanup.policy=delete"
        )
        if target is None:
            problems.append(("cleanup.policy", "warning", refused_by_41))
        elif parse_version("4.1") <= target < parse_version("4.2"):
            problems.append(
                ("cleanup.policy", "error", f"{refused_by_41}; {target.holder} Kafka {target}")
            )
    return problems


def _local_retention_problem(local_key: str, local: int, total_key: str, total: int) -> str | None:
    """Kafka's rule: local retention fits inside total retention (-2: same; -1: unlimited).

    Retention bytes is checked only when positive (any negative is no limit), retention
    time only when not -1 (LogConfig@4.1.0:578-610).
    """
    unlimited = total < 0 if total_key == "retention.bytes" else total == -1
    if local == -2 or unlimited:
        return None
    if local == -1:
        return (
            f"{local_key} is -1 (unlimited) but {total_key} is {total}: local data cannot "
            f"outlive the topic; use -2 (same as {total_key}) or a smaller value"
        )
    if local > total:
        return (
            f"{local_key} {local} is more than {total_key} {total}: local retention must fit "
            "inside total retention (Kafka refuses this with remote storage on)"
        )
    return None
