"""How commands reach the cluster, in one place: tests swap in the in-process fake here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from reconciler.cluster import kafka
from reconciler.cluster.admin import Admin

# (bootstrap servers, -X properties, client config file, timeout) -> Admin
Connect = Callable[[str | None, Sequence[str], Path | None, float], Admin]
connect: Connect = kafka.connect
