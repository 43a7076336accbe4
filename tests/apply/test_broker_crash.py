"""A broker killed with SIGKILL in the middle of a large apply, and started again with its state.

Tansu keeps its topics in object storage here (a local S3 server, moto), so
it comes back with whatever it had committed when it died. The apply that
was running must report what the cluster then shows, release its lock, and
a second apply must converge without deleting anything. Skipped, saying
why, where the S3 server or Tansu on it cannot start.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.broker import Tansu, free_port, start_tansu

pytestmark = pytest.mark.broker

ROOT = Path(__file__).resolve().parents[2]
TOPICS = 150
BUCKET = "tansu"
LIMIT = 120.0  # seconds any one ktr run may take here
DOWN_FOR = 4.0  # seconds
KILL_AFTER = 1.0  # seconds into the create step: creating 150 topics on S3 takes several seconds


@dataclass(frozen=True)
class ObjectStore:
    """A running local S3 server and the environment Tansu needs to use it."""

    env: dict[str, str]


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture
def object_store(tmp_path: Path) -> Iterator[ObjectStore]:
    boto3 = pytest.importorskip("boto3", reason="boto3 (test extra) is not installed")
    pytest.importorskip("moto.server", reason="moto[server] (test extra) is not installed")
    port = free_port()
    with open(tmp_path / "s3.log", "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=log,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 30
        while not _accepts(port):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"the local S3 server (moto) did not start: see {tmp_path}/s3.log")
            time.sleep(0.1)
        endpoint = f"http://127.0.0.1:{port}"
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
        ).create_bucket(Bucket=BUCKET)
        yield ObjectStore(
            {
                "AWS_ACCESS_KEY_ID": "test",
                "AWS_SECRET_ACCESS_KEY": "test",
                "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_ENDPOINT": endpoint,
                "AWS_ALLOW_HTTP": "true",
            }
        )
    finally:
        server.kill()
        server.wait(timeout=10)


def start_broker(store: ObjectStore, log: Path, port: int | None = None) -> Tansu:
    try:
        return start_tansu(port, log=log, storage=f"s3://{BUCKET}/", env=store.env)
    except RuntimeError as error:
        pytest.skip(f"Tansu cannot run on object storage here: {error}")


def ktr(cwd: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from reconciler.cli import main; main()", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def finished(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=LIMIT)
    return process.returncode, out, err


def declare(directory: Path) -> None:
    lines = ["topics:"]
    for number in range(TOPICS):
        lines += [f"  crash.t{number:04}:", "    partitions: 1", "    replication_factor: 1"]
    directory.mkdir()
    (directory / "topics.yaml").write_text("\n".join(lines) + "\n")


@pytest.mark.timeout(400)
def test_an_apply_whose_broker_is_killed_reports_what_happened_and_a_second_apply_converges(
    object_store: ObjectStore, tmp_path: Path
) -> None:
    declare(tmp_path / "topics")
    broker = start_broker(object_store, tmp_path / "tansu.log")
    try:
        running = ktr(
            tmp_path,
            "apply",
            "topics",
            "-b",
            broker.bootstrap,
            "--auto-approve",
            "--format",
            "json",
            "--timeout",
            "5",
        )
        # Kill the broker once the create request is on its way, then bring it back.
        assert running.stderr is not None
        progress = running.stderr.readline()
        if "creating topics" not in progress:
            pytest.fail(f"the apply did not reach its create step: {progress}{finished(running)}")
        time.sleep(KILL_AFTER)
        broker.process.send_signal(signal.SIGKILL)
        broker.process.wait(timeout=10)
        # Down long enough for the create's retries to run out.
        time.sleep(DOWN_FOR)
        broker = start_broker(object_store, tmp_path / "tansu.log", broker.port)

        code, out, err = finished(running)
        err = progress + err
        assert "Traceback" not in err
        report = json.loads(out)["result"]
        done = {o["topic"] for o in report["outcomes"] if o["status"] == "done"}
        present = _present(tmp_path, broker)
        # Every topic reported done is there, and every topic there is reported done.
        assert done == present, err
        assert code == (0 if len(done) == TOPICS else 1), err

        again, out, err = finished(
            ktr(
                tmp_path,
                "apply",
                "topics",
                "-b",
                broker.bootstrap,
                "--auto-approve",
                "--format",
                "json",
            )
        )
        assert again == 0, err  # the lock was released, and what was left is done
        summary = json.loads(out)["plan"]["summary"]
        assert summary["delete"] == summary["recreate"] == 0
        assert summary["create"] == TOPICS - len(present)
        assert _present(tmp_path, broker) == {f"crash.t{n:04}" for n in range(TOPICS)}
    finally:
        broker.stop()


def _present(cwd: Path, broker: Tansu) -> set[str]:
    code, out, err = finished(
        ktr(cwd, "drift", "topics", "-b", broker.bootstrap, "--format", "json")
    )
    assert code in (0, 2), err
    missing = set(json.loads(out)["missing"])
    return {f"crash.t{n:04}" for n in range(TOPICS)} - missing
