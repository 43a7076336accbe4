"""The contract as a property: any cluster, imported, plans to no change."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.cluster.read import read_cluster_state
from reconciler.declarations.resolve import load_declarations
from reconciler.importer import files
from reconciler.importer.build import Options, build
from reconciler.importer.live import from_cluster
from reconciler.importer.model import Imported
from reconciler.kafka import catalogue
from reconciler.model import ClusterState
from reconciler.plan.diff import PlanOptions, make_plan
from reconciler.settings import Settings
from tests.fake_cluster import AllDefaultsFakeCluster, FakeCluster

CANDIDATES: dict[str, list[object]] = {
    "retention.ms": ["-1", "3600000", "86400000", "604800000", "1500", "1209600000"],
    "segment.bytes": ["1048576", "536870912", "1073741824", "573741823"],
    "cleanup.policy": ["delete", "compact", "compact,delete", ""],
    "min.insync.replicas": ["1", "2", "3"],
    "compression.type": ["producer", "zstd", "lz4"],
    "preallocate": ["true", "false"],
    "min.cleanable.dirty.ratio": ["0.5", "0.05", "1.0E-4", "0.9"],
    "max.message.bytes": ["1048588", "5242880", "1000"],
    "message.timestamp.type": ["CreateTime", "LogAppendTime"],
    "local.retention.ms": ["-2", "3600000"],
    "min.compaction.lag.ms": ["0", "86400000"],
    "max.compaction.lag.ms": ["3600000", "9223372036854775807"],
    "remote.storage.enable": ["false", "true"],
}
for key, values in CANDIDATES.items():
    assert all(catalogue.normalise(key, v) == v for v in values), key

configs = st.dictionaries(st.sampled_from(sorted(CANDIDATES)), st.just(None), max_size=5).flatmap(
    lambda keys: st.fixed_dictionaries({k: st.sampled_from(CANDIDATES[k]) for k in keys})
)
names = st.builds(
    lambda prefix, sep, suffix: f"{prefix}{sep}{suffix}",
    st.sampled_from(["orders", "Orders", "payments", "x", "9lives"]),
    st.sampled_from([".", "-"]),
    st.sampled_from(["created", "dlq", "a", "v1", "true"]),
)
topics = st.dictionaries(
    names, st.tuples(st.integers(1, 8), st.integers(1, 3), configs), max_size=8
)
brokers = st.fixed_dictionaries(
    {},
    optional={
        k: st.sampled_from(CANDIDATES[k])
        for k in ("min.insync.replicas", "compression.type", "retention.ms")
    },
)


def make_cluster(
    layout: dict[str, tuple[int, int, dict[str, str]]], broker: dict[str, str], kind: str
) -> ClusterState:
    cluster: FakeCluster
    if kind == "faithful":
        cluster = FakeCluster(broker_config=broker)
    else:
        cluster = AllDefaultsFakeCluster(broker_config=broker, reported=kind)
    for name, (partitions, rf, config) in layout.items():
        cluster.add_topic(name, partitions, rf, config)
    return read_cluster_state(cluster, configs_for=None)


def assert_no_changes(
    sources: dict[str | None, Imported], states: dict[str | None, ClusterState]
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "topics"
        output = build(sources, out, Options())
        files.check(output, out)
        files.write(output)
        for env, state in states.items():
            desired = load_declarations([out], env).desired if output.texts else None
            if desired is None:
                continue
            for prune in (False, True):
                plan = make_plan(desired, state, Settings(), PlanOptions(prune_configs=prune))
                assert not plan.has_changes, (env, prune, plan)


KINDS = st.sampled_from(["faithful", "all", "set"])
EXAMPLES = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@EXAMPLES
@given(topics, brokers, KINDS, st.booleans())
def test_any_cluster_imported_plans_to_no_change(
    layout: dict[str, tuple[int, int, dict[str, str]]],
    broker: dict[str, str],
    kind: str,
    overrides_only: bool,
) -> None:
    state = make_cluster(layout, broker, kind)
    imported = from_cluster(state, Settings(), overrides_only=overrides_only)
    assert_no_changes({None: imported}, {None: state})


@EXAMPLES
@given(topics, topics, brokers, KINDS)
def test_any_two_clusters_imported_as_environments_plan_to_no_change(
    dev: dict[str, tuple[int, int, dict[str, str]]],
    prod: dict[str, tuple[int, int, dict[str, str]]],
    broker: dict[str, str],
    kind: str,
) -> None:
    states: dict[str | None, ClusterState] = {
        "dev": make_cluster(dev, {}, kind),
        "prod": make_cluster(prod, broker, kind),
    }
    sources: dict[str | None, Imported] = {
        env: from_cluster(state, Settings()) for env, state in states.items()
    }
    assert_no_changes(sources, states)
