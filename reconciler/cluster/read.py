"""Read the cluster's actual state for a plan: a few reads, whatever the number of topics."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from operator import attrgetter
from typing import Literal

from reconciler.cluster.access import is_authorization
from reconciler.cluster.admin import Admin, AdminError
from reconciler.gcpause import gc_paused
from reconciler.model import ActualTopic, ClusterState, ConfigEntry, TopicInfo


def read_cluster_state(
    admin: Admin,
    *,
    configs_for: Collection[str] | None = None,
    ids_for: Collection[str] | Literal["configs_for"] | None = "configs_for",
    declared: Collection[str] = (),
) -> ClusterState:
    """Every topic's layout, plus effective configs for the topics that need them.

    ``configs_for`` None reads the configs of every non-internal topic;
    otherwise only of the named topics that exist (configs are the costly
    part of a read on a large cluster, and a plan only needs the declared
    ones). ``ids_for`` names the topics that must come with their topic id
    (see :meth:`Admin.topics`): by default the same topics as ``configs_for``,
    None for every topic, empty for none (a plan shown but not saved shows no
    ids). ``declared`` names topics the listing must account for: it silently
    leaves out topics the principal may not describe, and only a request by
    name tells those (``unreadable``) from absent ones, so the declared names
    it leaves out are described by name. Costs one ``cluster()``, one
    ``topics()``, at most one ``topic_configs()`` and one ``describe_topics()``
    call, made concurrently (the configs of every topic, and the declared
    names missing from the listing, wait for the listing).
    """
    with gc_paused():
        return _read(
            admin,
            configs_for,
            configs_for if isinstance(ids_for, str) else ids_for,
            declared,
        )


def _read(
    admin: Admin,
    configs_for: Collection[str] | None,
    ids_for: Collection[str] | None,
    declared: Collection[str],
) -> ClusterState:
    # The requests go out together: each waits mostly on the broker, and
    # with the names given, the configs need not wait for the listing.
    pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ktr-read")
    interrupted = False
    try:
        # Topic ids come only from describing by name: with ids wanted for
        # named topics, one request by name gives both the ids and which
        # declared names are hidden. Without, only the declared names the
        # listing leaves out are described, once it is in (a listed topic is
        # one the principal may describe): on a cluster that holds them all,
        # no request at all. Describing thousands of topics by name costs a
        # broker about as much as describing their configs.
        by_name = sorted(set(declared) | set(ids_for)) if declared and ids_for else []
        asked = pool.submit(admin.cluster)
        listed = pool.submit(lambda: admin.topics(ids_for=() if by_name else ids_for))
        configured = (
            pool.submit(admin.topic_configs, sorted(set(configs_for))) if configs_for else None
        )
        named = pool.submit(admin.describe_topics, by_name) if by_name else None
        info, topics = asked.result(), listed.result()
        if named is not None:
            described = named.result()
            topics = {name: _with_id(topic, described.get(name)) for name, topic in topics.items()}
        else:
            hidden_or_absent = sorted(set(declared).difference(topics))
            described = admin.describe_topics(hidden_or_absent) if hidden_or_absent else {}
        if configs_for is None:
            wanted = sorted(name for name, topic in topics.items() if not topic.internal)
            configs = admin.topic_configs(wanted) if wanted else {}
        else:
            configs = configured.result() if configured is not None else {}
    except KeyboardInterrupt:
        interrupted = True  # Ctrl-C: do not wait for the answers still to come
        raise
    finally:
        pool.shutdown(wait=not interrupted, cancel_futures=True)
    return ClusterState(
        cluster_id=info.cluster_id,
        broker_ids=info.broker_ids,
        topics={
            name: _actual(name, topic, configs.get(name)) for name, topic in sorted(topics.items())
        },
        unreadable={
            name: str(answer)
            for name, answer in sorted(described.items())
            if isinstance(answer, AdminError) and is_authorization(answer)
        },
    )


def _with_id(listed: TopicInfo, described: TopicInfo | AdminError | None) -> TopicInfo:
    if isinstance(described, TopicInfo) and described.topic_id is not None:
        return replace(listed, topic_id=described.topic_id)
    return listed


def _actual(name: str, topic: TopicInfo, config: Mapping[str, ConfigEntry] | None) -> ActualTopic:
    partitions = topic.partitions
    if len(partitions) > 1:
        partitions = tuple(sorted(partitions, key=_by_id))
    assignment = tuple([p.replicas for p in partitions])
    # Positional, as this runs for every topic. Each topic's configs come
    # fresh from the Admin call: no copy needed.
    return ActualTopic(
        name,
        topic.topic_id,
        len(assignment),
        max(map(len, assignment), default=0),
        config if config is not None else {},
        topic.internal,
        assignment,
    )


_by_id = attrgetter("id")
