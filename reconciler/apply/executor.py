"""Running a plan against the cluster, step by step, in the order ``ActionKind`` lists.

1. creates: one batched create, then wait until every broker serves them;
2. partition increases: one batched request, re-read and verify, wait;
3. config changes: one batched incremental alter, re-read and verify;
4. deletes and recreates: one batched delete, wait until no broker reports
   them, then create the recreated topics and wait until they are served.

"One batched request" is one per 9,000 metadata records, in fact: the KRaft
controller refuses a request that writes more than 10,000
(:mod:`reconciler.kafka.records`), so a large step is sent as consecutive
requests, in order, and still reported as one step.

Deletes and recreates are skipped when an earlier step failed: destroying
data is only worth it when the rest of the plan went through.

Creates and deletes are not idempotent, so an ambiguous outcome (a timeout,
a dropped connection) is never retried blindly: the cluster is re-read first,
and whatever already took effect counts as done. Retriable errors are retried
with exponential backoff, a bounded number of times.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from reconciler.apply.deletes import delete_and_recreate
from reconciler.apply.outcome import ApplyResult, ExecuteOptions, Outcome, Status
from reconciler.apply.preflight import StalePlan, check_plan_against
from reconciler.apply.progress import Progress, Silent
from reconciler.apply.reread import reread
from reconciler.apply.retry import send_with_retries
from reconciler.apply.wait import (
    config_mismatches,
    partition_mismatches,
    settle,
    wait_for,
)
from reconciler.cluster.admin import Admin, AdminError, ClusterError, NewTopic
from reconciler.cluster.batches import send_in_requests
from reconciler.kafka import records
from reconciler.plan.compare import same_value as kafka_same_value
from reconciler.plan.model import Action, ActionKind, Plan
from reconciler.settings import Settings

T = TypeVar("T")


def execute(
    admin: Admin,
    plan: Plan,
    settings: Settings,
    *,
    options: ExecuteOptions | None = None,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    should_stop: Callable[[], bool] = lambda: False,
    same_value: Callable[[str, str | None, str | None], bool] | None = None,
) -> ApplyResult:
    """Apply ``plan`` (see the module doc). Raises :class:`StalePlan` before changing anything.

    ``should_stop`` is polled between steps and during waits: once it says
    yes, the step in flight finishes and the rest is reported as not done.
    ``same_value(key, a, b)`` compares config values as Kafka means them
    (by default through the catalogue, as the diff does).
    """
    run = Run(
        admin,
        settings,
        options or ExecuteOptions(),
        progress or Silent(),
        clock,
        sleep,
        should_stop,
        same_value or kafka_same_value,
    )
    return run.execute(plan)


@dataclass
class Run:
    """One execution of a plan: its collaborators and the outcomes so far."""

    admin: Admin
    settings: Settings
    options: ExecuteOptions
    progress: Progress
    clock: Callable[[], float]
    sleep: Callable[[float], None]
    should_stop: Callable[[], bool]
    same_value: Callable[[str, str | None, str | None], bool]
    outcomes: dict[tuple[ActionKind, str], Outcome] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ driver

    def execute(self, plan: Plan) -> ApplyResult:
        if not plan.actions:
            return ApplyResult(())
        acted_on = {a.topic for a in plan.actions}
        problems = check_plan_against(plan, self.admin.topics(ids_for=acted_on), self.settings)
        if problems:
            raise StalePlan(
                "the cluster changed since the plan was made; nothing was applied:\n  "
                + "\n  ".join(problems)
            )
        by_kind: dict[ActionKind, list[Action]] = {kind: [] for kind in ActionKind}
        for action in plan.actions:
            by_kind[action.kind].append(action)
        steps: list[tuple[list[Action], Callable[[list[Action]], None], bool]] = [
            (by_kind[ActionKind.CREATE], self._create, False),
            (by_kind[ActionKind.ADD_PARTITIONS], self._add_partitions, False),
            (by_kind[ActionKind.ALTER_CONFIG], self._alter_configs, False),
            (
                by_kind[ActionKind.DELETE] + by_kind[ActionKind.RECREATE],
                lambda actions: delete_and_recreate(self, actions),
                True,
            ),
        ]
        interrupted = False
        for actions, step, destructive in steps:
            if not actions:
                continue
            if interrupted or self.should_stop():
                interrupted = True
                break
            if destructive and any(o.status is Status.FAILED for o in self.outcomes.values()):
                for action in actions:
                    self.record(action, Status.NOT_DONE, "skipped: an earlier step failed")
                continue
            try:
                step(actions)
            except KeyboardInterrupt:
                # A second Ctrl-C: stop at once, without reading the cluster again.
                interrupted = True
                for action in actions:
                    if (action.kind, action.topic) not in self.outcomes:
                        self.record(action, Status.FAILED, "interrupted: outcome unknown")
            except ClusterError as error:
                # The request may have gone through before the cluster stopped
                # answering: what the cluster now shows is the outcome.
                self._confirm(actions, str(error))
                self.warnings.append(f"stopped: {error}")
                break
            if self.should_stop():
                interrupted = True
        reason = "interrupted before it started" if interrupted else "not started"
        outcomes = tuple(
            self.outcomes.get((a.kind, a.topic)) or Outcome(a, Status.NOT_DONE, reason)
            for a in plan.actions
        )
        return ApplyResult(outcomes, interrupted, tuple(self.warnings))

    def _confirm(self, actions: list[Action], cause: str) -> None:
        """Re-read the cluster for the actions of a step cut short that did not succeed."""
        unsure = [
            a
            for a in actions
            if (a.kind, a.topic) not in self.outcomes
            or self.outcomes[(a.kind, a.topic)].status is not Status.DONE
        ]
        if not unsure:
            return
        found = reread(self.admin, unsure, cause, self.same_value, self.sleep)
        for action in unsure:
            if not isinstance(found, str):
                self.record(action, *found[(action.kind, action.topic)])
                continue
            known = self.outcomes.get((action.kind, action.topic))
            detail = known.detail if known is not None else f"outcome unknown: {cause}"
            self.record(
                action,
                Status.FAILED,
                f"{detail}; reading the cluster again failed too ({found}); "
                "run ktr plan to see what is left",
            )

    def record(
        self, action: Action, status: Status, detail: str = "", new_id: str | None = None
    ) -> None:
        self.outcomes[(action.kind, action.topic)] = Outcome(action, status, detail, new_id)

    # ------------------------------------------------------------------- steps

    def _create(self, actions: list[Action]) -> None:
        self.progress.start("creating topics", len(actions))
        created = self.create_topics(actions, done_detail="created")
        self.wait_ready(created, "created")
        self.progress.finish(self.tally(actions, "created"))

    def _add_partitions(self, actions: list[Action]) -> None:
        self.progress.start("adding partitions", len(actions))
        wanted = {a.topic: _after_partitions(a) for a in actions}
        by_name = {a.topic: a for a in actions}

        added = {a.topic: wanted[a.topic] - (a.partitions[0] or 0) for a in actions}

        def send(names: list[str]) -> Mapping[str, AdminError | None]:
            return send_in_requests(
                names,
                lambda n: records.partition_records(added[n]),
                lambda chunk: self.admin.create_partitions({n: wanted[n] for n in chunk}),
            )

        def took_effect(names: list[str]) -> set[str]:
            bad = partition_mismatches({n: wanted[n] for n in names}, self.admin.topics(ids_for=()))
            return {n for n in names if n not in bad}

        failures = self.batch(
            list(wanted),
            send,
            took_effect,
            check=lambda e: e.code == "INVALID_PARTITIONS",
        )
        sent = [n for n in wanted if n not in failures]
        # Verify with a fresh read, then wait until every broker leads the new partitions.
        mismatched = self._settle(
            lambda: partition_mismatches(
                {n: wanted[n] for n in sent}, self.admin.topics(ids_for=())
            )
        )
        for name, problem in mismatched.items():
            failures[name] = f"not applied: {problem}"
        for name, action in by_name.items():
            if name in failures:
                self.record(action, Status.FAILED, failures[name])
            else:
                self.record(action, Status.DONE, "partitions added")
        self.wait_ready([by_name[n] for n in sent if n not in failures], "partitions added")
        self.progress.finish(self.tally(actions, "partitions added"))

    def _alter_configs(self, actions: list[Action]) -> None:
        self.progress.start("changing configs", len(actions))
        wanted = {a.topic: a.config_changes for a in actions}

        def send(names: list[str]) -> Mapping[str, AdminError | None]:
            return send_in_requests(
                names,
                lambda n: records.config_records(len(wanted[n])),
                lambda chunk: self.admin.alter_configs({n: wanted[n] for n in chunk}),
            )

        def took_effect(names: list[str]) -> set[str]:
            bad = self._config_mismatches({n: wanted[n] for n in names})
            return {n for n in names if n not in bad}

        failures = self.batch(list(wanted), send, took_effect)
        sent = {n: wanted[n] for n in wanted if n not in failures}
        mismatched = self._settle(lambda: self._config_mismatches(sent)) if sent else {}
        for name, keys in mismatched.items():
            failures[name] = "not applied: " + "; ".join(
                f"{key} {problem}" for key, problem in sorted(keys.items())
            )
        for action in actions:
            if action.topic in failures:
                self.record(action, Status.FAILED, failures[action.topic])
            else:
                self.record(action, Status.DONE, "configs changed")
        self.progress.finish(self.tally(actions, "changed"))

    # --------------------------------------------------------------- helpers

    def create_topics(self, actions: list[Action], *, done_detail: str) -> list[Action]:
        """Create in one batch (with retries); record failures; return those created."""
        new = {
            a.topic: NewTopic(
                a.topic,
                _after_partitions(a),
                a.replication_factor[1] if a.replication_factor[1] is not None else -1,
                a.created_config,
            )
            for a in actions
        }
        by_name = {a.topic: a for a in actions}

        def send(names: list[str]) -> Mapping[str, AdminError | None]:
            return send_in_requests(
                names,
                lambda n: records.create_records(new[n].partitions, len(new[n].config)),
                lambda chunk: self.admin.create_topics([new[n] for n in chunk]),
            )

        def took_effect(names: list[str]) -> set[str]:
            # Ours if it exists with the partitions and configs asked for: a
            # timed-out create that went through, or a retry that found it.
            live = self.admin.topics(ids_for=())
            present = [n for n in names if n in live]
            bad_partitions = partition_mismatches({n: new[n].partitions for n in present}, live)
            wanted = {n: dict(new[n].config) for n in present if n not in bad_partitions}
            bad_configs = self._config_mismatches(wanted) if wanted else {}
            return {n for n in wanted if n not in bad_configs}

        failures = self.batch(
            list(new),
            send,
            took_effect,
            check=lambda e: e.code == "TOPIC_ALREADY_EXISTS",
        )
        created: list[Action] = []
        for name, action in by_name.items():
            if name in failures:
                detail = failures[name]
                if detail.startswith("TOPIC_ALREADY_EXISTS"):
                    detail += " (it exists, but not as declared: ktr plan shows how it differs)"
                self.record(action, Status.FAILED, detail)
            else:
                self.record(action, Status.DONE, done_detail)
                created.append(action)
        return created

    def wait_ready(self, actions: Sequence[Action], done_detail: str) -> None:
        """Wait until every broker serves these topics fully led; record those that do not."""
        if not actions:
            return
        result = wait_for(
            self.admin,
            {a.topic: _after_partitions(a) for a in actions},
            timeout=self.options.propagation_timeout,
            clock=self.clock,
            sleep=self.sleep,
            on_poll=lambda settled, _total: self.progress.update(settled),
            should_stop=self.should_stop,
        )
        for action in actions:
            lagging = result.not_ready.get(action.topic)
            if lagging is None:
                continue
            brokers = ("broker " if len(lagging) == 1 else "brokers ") + ", ".join(
                map(str, lagging)
            )
            if result.interrupted:
                # The change itself was made; only the confirmation was cut short.
                detail = f"{done_detail}; not yet confirmed on {brokers} (interrupted)"
                self.record(action, Status.DONE, detail)
                continue
            self.record(
                action,
                Status.FAILED,
                f"{done_detail}, but not ready on {brokers} after {self.timeout_text()}",
            )

    def _settle(self, check: Callable[[], dict[str, T]]) -> dict[str, T]:
        return settle(
            check, timeout=self.options.propagation_timeout, clock=self.clock, sleep=self.sleep
        )

    def timeout_text(self) -> str:
        return (
            f"{self.options.propagation_timeout:g} s "
            "(topic.metadata.propagation.max.ms); re-run apply to finish"
        )

    def _config_mismatches(
        self, wanted: Mapping[str, Mapping[str, str | None]]
    ) -> dict[str, dict[str, str]]:
        configs = self.admin.topic_configs(list(wanted))
        return config_mismatches(wanted, configs, self.same_value)

    def batch(
        self,
        names: list[str],
        send: Callable[[list[str]], Mapping[str, AdminError | None]],
        took_effect: Callable[[list[str]], set[str]],
        *,
        check: Callable[[AdminError], bool] = lambda _error: False,
        done: Callable[[AdminError], bool] = lambda _error: False,
    ) -> dict[str, str]:
        """:func:`~reconciler.apply.retry.send_with_retries` within this run's bounds."""
        return send_with_retries(
            names,
            send,
            took_effect,
            check=check,
            done=done,
            options=self.options,
            sleep=self.sleep,
            note=self.progress.note,
        )

    def tally(self, actions: Sequence[Action], verb: str, also_done: Sequence[Action] = ()) -> str:
        statuses = [self.outcomes.get((a.kind, a.topic)) for a in actions]
        ok = sum(1 for o in statuses if o is not None and o.status is Status.DONE)
        ok += len(also_done)
        failed = len(actions) - ok
        return f"{ok} {verb}" + (f", {failed} failed" if failed else "")


def _after_partitions(action: Action) -> int:
    after = action.partitions[1]
    if after is None:
        raise ValueError(f"{action.topic}: action {action.kind.value} has no partition count")
    return after
