"""One logical write as several requests, each within the controller's record budget.

A step of ktr (create these topics, change these configs) is one call to the
caller; it becomes as many requests as :func:`reconciler.kafka.records.split`
needs, sent one after the other, their per-topic outcomes merged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from reconciler.cluster.admin import AdminError, ClusterError
from reconciler.kafka.records import RECORD_BUDGET, split


def send_in_requests(
    names: Sequence[str],
    cost: Callable[[str], int],
    send: Callable[[list[str]], Mapping[str, AdminError | None]],
    *,
    budget: int = RECORD_BUDGET,
) -> dict[str, AdminError | None]:
    """Send ``names`` in requests of at most ``budget`` records; return every outcome.

    A whole request that fails before any other went out raises its
    :class:`ClusterError`, as a single request would. Once some request went
    through, a later failure is reported per topic instead, so what was done
    stays known: the failed request's topics get the error (ambiguous if the
    error was), and the topics never sent get a retriable error when the
    failure left the outcome unknown, a plain failure otherwise.
    """
    outcome: dict[str, AdminError | None] = {}
    requests = split(list(names), cost, budget)
    for index, request in enumerate(requests):
        try:
            outcome.update(send(request))
        except ClusterError as error:
            if index == 0:
                raise
            text = str(error)
            for name in request:
                outcome[name] = AdminError(
                    "_REQUEST_FAILED", text, retriable=error.ambiguous, ambiguous=error.ambiguous
                )
            for later in requests[index + 1 :]:
                for name in later:
                    outcome[name] = AdminError(
                        "_NOT_SENT",
                        f"not sent: an earlier request of this step failed: {text}",
                        retriable=error.ambiguous,
                    )
            break
    return outcome
