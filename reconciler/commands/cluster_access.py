"""How commands reach the cluster, in one place: tests swap in the in-process fake here."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from reconciler.cluster.admin import Admin
from reconciler.gcpause import gc_paused


class Connect(Protocol):
    """(bootstrap servers, -X properties, client config file, timeout, base settings) -> Admin"""

    def __call__(
        self,
        bootstrap_servers: str | None,
        properties: Sequence[str],
        client_config: Path | None,
        timeout: float,
        *,
        base: Sequence[tuple[str, str, str]] = (),
    ) -> Admin: ...


def _connect_with_confluent_kafka(
    bootstrap_servers: str | None,
    properties: Sequence[str],
    client_config: Path | None,
    timeout: float,
    *,
    base: Sequence[tuple[str, str, str]] = (),
) -> Admin:
    # Imported on the first connection, not with the commands: `ktr validate`
    # and `ktr --help` never load confluent-kafka. What the import makes lives
    # until exit: collecting meanwhile would find nothing.
    with gc_paused():
        from reconciler.cluster import kafka

    return kafka.connect(bootstrap_servers, properties, client_config, timeout, base=base)


connect: Connect = _connect_with_confluent_kafka
