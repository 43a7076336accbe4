"""One request for a batch of topics, retried as far as that is safe.

Creates and deletes are not idempotent, so an ambiguous outcome (a timeout,
a dropped connection) is never retried blindly: the cluster is re-read first,
and whatever already took effect counts as done. Retriable errors are retried
with exponential backoff, a bounded number of times.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from reconciler.apply.outcome import UNSUPPORTED, UNSUPPORTED_CODES, ExecuteOptions
from reconciler.cluster.admin import AdminError, ClusterError
from reconciler.problems import plural


def send_with_retries(
    names: list[str],
    send: Callable[[list[str]], Mapping[str, AdminError | None]],
    took_effect: Callable[[list[str]], set[str]],
    *,
    check: Callable[[AdminError], bool] = lambda _error: False,
    done: Callable[[AdminError], bool] = lambda _error: False,
    options: ExecuteOptions,
    sleep: Callable[[float], None],
    note: Callable[[str], None],
) -> dict[str, str]:
    """Send one request for ``names``, retrying what may be retried.

    ``done(error)`` marks errors that mean the goal is already reached;
    ``check(error)`` (and every ambiguous error) needs a re-read through
    ``took_effect`` before deciding. Returns the failures, name → reason.
    """
    todo = list(names)
    failures: dict[str, str] = {}
    last: dict[str, AdminError] = {}
    delay = options.first_backoff
    for attempt in range(1, options.attempts + 1):
        try:
            outcome = send(todo)
        except ClusterError as cluster_error:
            if not cluster_error.ambiguous:
                raise
            outcome = {
                n: AdminError("_TIMED_OUT", str(cluster_error), retriable=True, ambiguous=True)
                for n in todo
            }
        retry: list[str] = []
        recheck: list[str] = []
        for name in todo:
            error = outcome.get(name, AdminError("_UNKNOWN", "no answer", True, True))
            if error is None or done(error):
                continue
            last[name] = error
            if error.ambiguous or check(error):
                recheck.append(name)
            elif error.retriable:
                retry.append(name)
            else:
                failures[name] = failure(error)
        if recheck:
            effective = took_effect(recheck)
            for name in recheck:
                if name in effective:
                    continue
                error = last[name]
                if error.ambiguous or error.retriable:
                    retry.append(name)
                else:
                    failures[name] = failure(error)
        todo = [n for n in names if n in retry]
        if not todo:
            break
        if attempt < options.attempts:
            note(f"retrying {plural(len(todo), 'topic')} in {delay:g} s: {last[todo[0]]}")
            sleep(delay)
            delay = min(delay * 2, options.max_backoff)
    for name in todo:
        failures[name] = f"{last[name]} (gave up after {options.attempts} attempts)"
    return failures


def failure(error: AdminError) -> str:
    """How a lasting per-topic error reads in the report."""
    if error.code in UNSUPPORTED_CODES:
        return f"{UNSUPPORTED} ({error})"
    return str(error)
