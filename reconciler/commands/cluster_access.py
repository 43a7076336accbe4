"""How commands reach the cluster, in one place: tests swap in the in-process fake here."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from reconciler.cluster import kafka
from reconciler.cluster.admin import Admin


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


connect: Connect = kafka.connect
