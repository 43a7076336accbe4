"""The :class:`~reconciler.cluster.admin.Admin` interface on confluent-kafka.

Each method makes one admin call for all the topics it covers (committed
offsets: one per group, as Kafka answers one group per request), bounded by
the timeout given to :func:`connect`. Per-topic outcomes become
:class:`AdminError`; a call that fails as a whole raises :class:`ClusterError`
with a one-line message from which every secret has been scrubbed.

The adapter is assembled from one module per seam: :mod:`~reconciler.cluster.client`
(connection, errors, fork guard), :mod:`~reconciler.cluster.topic_reads`,
:mod:`~reconciler.cluster.topic_writes`, :mod:`~reconciler.cluster.group_reads` and
:mod:`~reconciler.cluster.doctor_reads`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reconciler.cluster import reachable
from reconciler.cluster.admin import ClusterError
from reconciler.cluster.client import DEFAULT_PROPAGATION_MS, ForkedClientError
from reconciler.cluster.connection import load_client_settings
from reconciler.cluster.doctor_reads import DoctorReads
from reconciler.cluster.group_reads import GroupReads
from reconciler.cluster.topic_reads import KAFKA_INTERNAL_TOPICS, TopicReads
from reconciler.cluster.topic_writes import TopicWrites

__all__ = [
    "DEFAULT_PROPAGATION_MS",
    "KAFKA_INTERNAL_TOPICS",
    "ForkedClientError",
    "KafkaAdmin",
    "connect",
]


def connect(
    bootstrap_servers: str | None,
    properties: Sequence[str] = (),
    client_config: Path | None = None,
    timeout: float = 30.0,
    *,
    base: Sequence[tuple[str, str, str]] = (),
) -> KafkaAdmin:
    """Connect to the cluster and check that it answers, within ``timeout`` seconds.

    ``base`` holds settings below the others (a named cluster's, from ktr.yaml).
    Raises UserError for bad settings, ClusterError when the cluster cannot
    be reached or refuses the credentials: within a few seconds when every
    bootstrap address refuses the connection or does not resolve.
    """
    settings = load_client_settings(bootstrap_servers, properties, client_config, base)
    admin = KafkaAdmin(settings, timeout)  # first, so that a bad setting is reported as such
    try:
        why = reachable.unreachable(
            admin.bootstrap,
            family=settings.values.get("broker.address.family", "any"),
            bound=min(timeout, reachable.BOUND),
        )
        if why is not None:
            # Every address refused or did not resolve: waiting out the timeout changes nothing.
            raise ClusterError(f"cannot reach Kafka at {admin.bootstrap}: {why}")
        admin.probe()
    except BaseException:
        admin.close()
        raise
    return admin


class KafkaAdmin(TopicReads, GroupReads, TopicWrites, DoctorReads):
    """A connected cluster. Use :func:`connect` to make one; :meth:`close` when done."""

    def __enter__(self) -> KafkaAdmin:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<KafkaAdmin {self.bootstrap} timeout={self.timeout:g}s {self._state or 'open'}>"
