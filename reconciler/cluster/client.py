"""The connection under the confluent-kafka adapter: one client, its errors, the fork guard.

Every request goes through :meth:`KafkaClient._call` (a whole call that fails
raises :class:`ClusterError`) or :meth:`KafkaClient._results` (per-resource
answers become :class:`AdminError`), so every message is scrubbed of secrets
and every wait ends by one deadline.

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
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from typing import Any, TypeVar

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka import admin as ck

from reconciler.cluster.admin import AdminError, ClusterError
from reconciler.cluster.connection import ClientSettings, scrub
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

_MAX_OPERATION_TIMEOUT = 3600.0
_KEPT_ERRORS = 20

T = TypeVar("T")


class ForkedClientError(RuntimeError):
    """A Kafka client made before ``fork()`` was used in the child process."""


# Every live adapter, so that a fork can disable them all in the child.
_LIVE: weakref.WeakSet[KafkaClient] = weakref.WeakSet()
# Clients abandoned in a forked child. They are kept referenced so they are
# not destroyed there: destroying a handle joins threads the child lacks.
_ABANDONED: list[object] = []


def _after_fork_in_child() -> None:
    for admin in list(_LIVE):
        admin._abandon_after_fork()


os.register_at_fork(after_in_child=_after_fork_in_child)


class _Capture(logging.Handler):
    """Keeps librdkafka's recent log lines for error messages instead of printing them."""

    def __init__(self, sink: deque[str]) -> None:
        super().__init__(logging.DEBUG)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.sink.append(record.getMessage())


class KafkaClient:
    """One connection to a cluster: the client, its errors and its request count.

    The reads and writes of :class:`~reconciler.cluster.kafka.KafkaAdmin` build on it.
    """

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
        # The probe's DescribeCluster answer and when it came (see TopicReads.cluster).
        self._probed: tuple[float, Any] | None = None
        self._broker_clients: dict[str, ck.AdminClient] = {}
        self._rotation: Iterable[int] = iter(())
        self._client: ck.AdminClient | None = self._new_client(self.bootstrap)
        _LIVE.add(self)

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

    def _send(self, what: str, call: Callable[[ck.AdminClient, Future[Any]], None]) -> Future[Any]:
        """Send one request through confluent-kafka's C client; its whole answer in one future.

        The Python wrappers (``describe_configs``, ``describe_topics``) make a
        future per topic and then settle each in turn: for thousands of topics
        that costs more than the request itself. The C client they wrap takes
        one future for the whole answer, where each topic carries its own error.
        """
        answer: Future[Any] = Future()
        answer.set_running_or_notify_cancel()
        self._call(what, lambda c: call(c, answer))
        return answer

    def _each_answer(
        self,
        answer: Future[Any],
        keys: Iterable[T],
        answers: Callable[[Any], Iterable[tuple[T, Any]]],
    ) -> Iterator[tuple[T, Any, AdminError | None]]:
        """Each key of one answer :meth:`_send` sent for ``keys``, with its value or error.

        Taken one at a time, so that a large answer (configs of thousands of
        topics) is not held twice, as the client's objects and as ktr's.
        ``answers`` gives the answer's (key, value) pairs, where a value that
        is a KafkaError is that key's failure; a failure of the whole request
        (no answer in time, say) is every key's.
        """
        try:
            whole = answer.result(timeout=self.timeout + 5.0)
        except FutureTimeout:
            failed = self._no_answer()
        except Exception as exc:  # the request's own failure
            failed = self._admin_error(exc)
        else:
            for key, value in answers(whole):
                if isinstance(value, KafkaError):
                    yield key, None, self._admin_error(KafkaException(value))
                else:
                    yield key, value, None
            self._drain()
            return
        for key in keys:
            yield key, None, failed
        self._drain()

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

    @contextmanager
    def patient(self, seconds: float) -> Iterator[None]:
        """See :meth:`reconciler.cluster.admin.Admin.patient`."""
        usual = self.timeout
        self.timeout = max(usual, float(seconds))
        try:
            yield
        finally:
            self.timeout = usual

    @property
    def _op_timeout(self) -> float:
        return min(self.timeout, _MAX_OPERATION_TIMEOUT)

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
        self._probed = (time.monotonic(), future.result())
        self._remember_nodes(self._probed[1])
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
