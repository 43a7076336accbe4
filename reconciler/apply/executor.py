"""Running a plan against the cluster, step by step, in the order ``ActionKind`` lists.

1. creates: one batched create, then wait until every broker serves them;
2. partition increases: one batched request, re-read and verify, wait;
3. config changes: one batched incremental alter, re-read and verify;
4. deletes and recreates: one batched delete, wait until no broker reports
   them, then create the recreated topics and wait until they are served.

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
from enum import Enum
from typing import TypeVar

from reconciler.apply.progress import Progress, Silent
from reconciler.apply.wait import (
    config_mismatches,
    partition_mismatches,
    settle,
    wait_for,
)
from reconciler.cluster.admin import Admin, AdminError, ClusterError, NewTopic
from reconciler.model import TopicInfo
from reconciler.plan.diff import same_value as kafka_same_value
from reconciler.plan.model import Action, ActionKind, Plan
from reconciler.problems import UserError
from reconciler.settings import Settings

T = TypeVar("T")


class Status(str, Enum):
    DONE = "done"
    FAILED = "failed"
    NOT_DONE = "not done"


@dataclass(frozen=True)
class Outcome:
    """What happened to one action."""

    action: Action
    status: Status
    detail: str = ""
    new_topic_id: str | None = None

    @property
    def topic(self) -> str:
        return self.action.topic


@dataclass(frozen=True)
class ApplyResult:
    """Every action of the plan with its outcome, in plan order."""

    outcomes: tuple[Outcome, ...]
    interrupted: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.interrupted and all(o.status is Status.DONE for o in self.outcomes)

    def by_status(self, status: Status) -> list[Outcome]:
        return [o for o in self.outcomes if o.status is status]


class StalePlan(UserError):
    """The cluster no longer looks as the plan assumed; nothing was changed."""


@dataclass(frozen=True)
class ExecuteOptions:
    """Bounds on retries and waits."""

    propagation_timeout: float = 30.0
    attempts: int = 5
    first_backoff: float = 0.2
    max_backoff: float = 5.0


def check_plan_against(
    plan: Plan, topics: Mapping[str, TopicInfo], settings: Settings
) -> list[str]:
    """Why the plan can no longer be applied as it is, one line per topic. Pure.

    Every action must still find the topic it was planned against: absent for
    a create, present with the same topic id (and partition count, for an
    increase) otherwise. Deleting a protected topic is refused here too, as a
    last line of defence whatever produced the plan.
    """
    problems: list[str] = []
    for action in plan.actions:
        live = topics.get(action.topic)
        destructive = action.kind in (ActionKind.DELETE, ActionKind.RECREATE)
        if destructive and settings.is_protected(action.topic):
            problems.append(f"{action.topic}: protected topic; ktr never deletes it")
        elif action.kind is ActionKind.CREATE:
            if live is not None:
                problems.append(f"{action.topic}: planned as new, but it exists now")
        elif live is None:
            problems.append(f"{action.topic}: planned to {_verb(action.kind)}, but it is gone")
        elif action.topic_id and live.topic_id and action.topic_id != live.topic_id:
            problems.append(
                f"{action.topic}: was deleted and recreated since the plan "
                f"(topic id {action.topic_id} is now {live.topic_id})"
            )
        elif (
            action.kind is ActionKind.ADD_PARTITIONS
            and action.partitions[0] is not None
            and live.partition_count != action.partitions[0]
        ):
            problems.append(
                f"{action.topic}: planned from {action.partitions[0]} partitions, "
                f"now has {live.partition_count}"
            )
    return problems


def _verb(kind: ActionKind) -> str:
    return {
        ActionKind.CREATE: "create",
        ActionKind.ADD_PARTITIONS: "add partitions",
        ActionKind.ALTER_CONFIG: "change configs",
        ActionKind.DELETE: "delete",
        ActionKind.RECREATE: "recreate",
    }[kind]


def new_topic_config(action: Action) -> dict[str, str]:
    """The configs a created (or recreated) topic gets: every ``after`` value set."""
    return {c.key: c.after for c in action.config if c.after is not None}


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
    run = _Run(
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
class _Run:
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
                self._delete_and_recreate,
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
                    self._record(action, Status.NOT_DONE, "skipped: an earlier step failed")
                continue
            try:
                step(actions)
            except KeyboardInterrupt:
                interrupted = True
                for action in actions:
                    if (action.kind, action.topic) not in self.outcomes:
                        self._record(action, Status.FAILED, "interrupted: outcome unknown")
            except ClusterError as error:
                for action in actions:
                    if (action.kind, action.topic) not in self.outcomes:
                        self._record(action, Status.FAILED, str(error))
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

    def _record(
        self, action: Action, status: Status, detail: str = "", new_id: str | None = None
    ) -> None:
        self.outcomes[(action.kind, action.topic)] = Outcome(action, status, detail, new_id)

    # ------------------------------------------------------------------- steps

    def _create(self, actions: list[Action]) -> None:
        self.progress.start("creating topics", len(actions))
        created = self._create_topics(actions, done_detail="created")
        self._wait_ready(created, "created")
        self.progress.finish(self._tally(actions, "created"))

    def _add_partitions(self, actions: list[Action]) -> None:
        self.progress.start("adding partitions", len(actions))
        wanted = {a.topic: _after_partitions(a) for a in actions}
        by_name = {a.topic: a for a in actions}

        def send(names: list[str]) -> Mapping[str, AdminError | None]:
            return self.admin.create_partitions({n: wanted[n] for n in names})

        def took_effect(names: list[str]) -> set[str]:
            bad = partition_mismatches({n: wanted[n] for n in names}, self.admin.topics(ids_for=()))
            return {n for n in names if n not in bad}

        failures = self._batch(
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
                self._record(action, Status.FAILED, failures[name])
            else:
                self._record(action, Status.DONE, "partitions added")
        self._wait_ready([by_name[n] for n in sent if n not in failures], "partitions added")
        self.progress.finish(self._tally(actions, "partitions added"))

    def _alter_configs(self, actions: list[Action]) -> None:
        self.progress.start("changing configs", len(actions))
        wanted = {a.topic: {c.key: c.after for c in a.config} for a in actions}

        def send(names: list[str]) -> Mapping[str, AdminError | None]:
            return self.admin.alter_configs({n: wanted[n] for n in names})

        def took_effect(names: list[str]) -> set[str]:
            bad = self._config_mismatches({n: wanted[n] for n in names})
            return {n for n in names if n not in bad}

        failures = self._batch(list(wanted), send, took_effect)
        sent = {n: wanted[n] for n in wanted if n not in failures}
        mismatched = self._settle(lambda: self._config_mismatches(sent)) if sent else {}
        for name, keys in mismatched.items():
            failures[name] = "not applied: " + "; ".join(
                f"{key} {problem}" for key, problem in sorted(keys.items())
            )
        for action in actions:
            if action.topic in failures:
                self._record(action, Status.FAILED, failures[action.topic])
            else:
                self._record(action, Status.DONE, "configs changed")
        self.progress.finish(self._tally(actions, "changed"))

    def _delete_and_recreate(self, actions: list[Action]) -> None:
        for action in actions:
            # Checked before anything ran; checked again here because this is
            # the one step that destroys data.
            if self.settings.is_protected(action.topic):
                raise UserError(f"{action.topic}: protected topic; ktr never deletes it")
        self.progress.start("deleting topics", len(actions))
        # Deletes go by name: the earlier steps may have taken a while, so make
        # sure each name still holds the topic planned, right before deleting.
        live = self.admin.topics(ids_for=[a.topic for a in actions])
        current: list[Action] = []
        for action in actions:
            if action.topic not in live:
                self._record(
                    action,
                    Status.DONE if action.kind is ActionKind.DELETE else Status.FAILED,
                    "already gone: deleted by someone else while apply ran"
                    + ("" if action.kind is ActionKind.DELETE else "; run ktr apply to create it"),
                )
            elif _replaced(live[action.topic], action.topic_id):
                self._record(
                    action,
                    Status.FAILED,
                    "not deleted: replaced by someone else while apply ran (topic id "
                    f"{action.topic_id} is now {live[action.topic].topic_id}); run ktr plan",
                )
            else:
                current.append(action)
        actions = current
        if not actions:
            self.progress.finish("0 deleted")
            return
        by_name = {a.topic: a for a in actions}
        planned_ids = {a.topic: a.topic_id for a in actions}

        def send(names: list[str]) -> Mapping[str, AdminError | None]:
            return self.admin.delete_topics(names)

        def took_effect(names: list[str]) -> set[str]:
            live = self.admin.topics(ids_for=names)
            return {n for n in names if n not in live or _replaced(live[n], planned_ids[n])}

        try:
            failures = self._batch(
                list(by_name),
                send,
                took_effect,
                done=lambda e: e.code == "UNKNOWN_TOPIC_OR_PART",
            )
        except ClusterError as unknown:
            # The delete may have gone through before the cluster stopped answering.
            for action in actions:
                self._record(
                    action,
                    Status.FAILED,
                    f"{unknown}; it may have been DELETED"
                    + (" and not created again" if action.kind is ActionKind.RECREATE else "")
                    + ": run ktr plan to see what is left, then ktr apply",
                )
            raise
        for name, error in failures.items():
            self._record(by_name[name], Status.FAILED, error)
        deleted = [n for n in by_name if n not in failures]
        # A recreate is one step: once its topic is deleted, Ctrl-C must not
        # leave it deleted, so the wait before creating it again runs to its end.
        recreating = any(by_name[n].kind is ActionKind.RECREATE for n in deleted)
        try:
            result = wait_for(
                self.admin,
                {n: 0 for n in deleted},
                timeout=self.options.propagation_timeout,
                clock=self.clock,
                sleep=self.sleep,
                on_poll=lambda settled, _total: self.progress.update(settled),
                should_stop=(lambda: False) if recreating else self.should_stop,
            )
        except ClusterError as unconfirmed:
            for name in deleted:
                action = by_name[name]
                if action.kind is ActionKind.RECREATE:
                    self._lost([action], str(unconfirmed), "not created again")
                else:
                    self._record(action, Status.DONE, f"deleted; not confirmed: {unconfirmed}")
            raise
        recreate: list[Action] = []
        for name in deleted:
            action = by_name[name]
            lagging = result.not_ready.get(name)
            if lagging is not None:
                # A lagging broker may still report the topic or may not have
                # answered at all: say only what is known.
                still = "not confirmed gone by broker(s) " + ", ".join(map(str, lagging))
                if action.kind is ActionKind.RECREATE:
                    detail = f"deleted, but {still}; not created again yet: re-run apply"
                    self._record(action, Status.FAILED, detail)
                elif result.interrupted:
                    self._record(action, Status.DONE, f"deleted; {still} (interrupted)")
                else:
                    detail = f"deleted, but {still} after {self._timeout_text()}"
                    self._record(action, Status.FAILED, detail)
            elif action.kind is ActionKind.RECREATE:
                recreate.append(action)
            else:
                self._record(action, Status.DONE, "deleted")
        # A recreate whose delete went through has no outcome until it is
        # created again; for this step it counts as deleted.
        self.progress.finish(
            self._tally([by_name[n] for n in deleted], "deleted", also_done=recreate)
        )
        if not recreate:
            return
        self.progress.start("creating recreated topics", len(recreate))
        try:
            created = self._create_topics(recreate, done_detail="recreated")
        except ClusterError as error:
            self._lost(recreate, str(error), "creating it again failed")
            raise
        self._lost(
            [a for a in recreate if self.outcomes[(a.kind, a.topic)].status is Status.FAILED],
            None,
            "creating it again failed",
        )
        self._wait_ready(created, "recreated")
        live = self.admin.topics(ids_for=[a.topic for a in created])
        for action in created:
            outcome = self.outcomes.get((action.kind, action.topic))
            if outcome is None or outcome.status is not Status.DONE:
                continue
            new_id = live[action.topic].topic_id if action.topic in live else None
            self._record(action, Status.DONE, outcome.detail, new_id)
            if new_id is not None and new_id == action.topic_id:
                self.warnings.append(f"{action.topic}: topic id did not change ({new_id})")
        self.progress.finish(self._tally(recreate, "recreated"))

    def _lost(self, actions: Sequence[Action], error: str | None, what: str) -> None:
        """Say loudly that these recreated topics were deleted and are not there now."""
        for action in actions:
            reason = error or self.outcomes[(action.kind, action.topic)].detail
            self._record(
                action,
                Status.FAILED,
                f"DELETED, but {what}: {reason}; the topic does not exist "
                "now: fix the cause, then run ktr apply to create it",
            )
            self.warnings.append(
                f"{action.topic} was deleted (its data is gone) and is not created again yet"
            )

    # --------------------------------------------------------------- helpers

    def _create_topics(self, actions: list[Action], *, done_detail: str) -> list[Action]:
        """Create in one batch (with retries); record failures; return those created."""
        new = {
            a.topic: NewTopic(
                a.topic,
                _after_partitions(a),
                a.replication_factor[1] if a.replication_factor[1] is not None else -1,
                new_topic_config(a),
            )
            for a in actions
        }
        by_name = {a.topic: a for a in actions}

        def send(names: list[str]) -> Mapping[str, AdminError | None]:
            return self.admin.create_topics([new[n] for n in names])

        def took_effect(names: list[str]) -> set[str]:
            # Ours if it exists with the partitions and configs asked for: a
            # timed-out create that went through, or a retry that found it.
            live = self.admin.topics(ids_for=())
            present = [n for n in names if n in live]
            bad_partitions = partition_mismatches({n: new[n].partitions for n in present}, live)
            wanted = {n: dict(new[n].config) for n in present if n not in bad_partitions}
            bad_configs = self._config_mismatches(wanted) if wanted else {}
            return {n for n in wanted if n not in bad_configs}

        failures = self._batch(
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
                self._record(action, Status.FAILED, detail)
            else:
                self._record(action, Status.DONE, done_detail)
                created.append(action)
        return created

    def _wait_ready(self, actions: Sequence[Action], done_detail: str) -> None:
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
            brokers = ", ".join(map(str, lagging))
            if result.interrupted:
                # The change itself was made; only the confirmation was cut short.
                detail = f"{done_detail}; not yet confirmed on broker(s) {brokers} (interrupted)"
                self._record(action, Status.DONE, detail)
                continue
            self._record(
                action,
                Status.FAILED,
                f"{done_detail}, but not ready on broker(s) {brokers} after {self._timeout_text()}",
            )

    def _settle(self, check: Callable[[], dict[str, T]]) -> dict[str, T]:
        return settle(
            check, timeout=self.options.propagation_timeout, clock=self.clock, sleep=self.sleep
        )

    def _timeout_text(self) -> str:
        return (
            f"{self.options.propagation_timeout:g} s "
            "(topic.metadata.propagation.max.ms); re-run apply to finish"
        )

    def _config_mismatches(
        self, wanted: Mapping[str, Mapping[str, str | None]]
    ) -> dict[str, dict[str, str]]:
        configs = self.admin.topic_configs(list(wanted))
        return config_mismatches(wanted, configs, self.same_value)

    def _batch(
        self,
        names: list[str],
        send: Callable[[list[str]], Mapping[str, AdminError | None]],
        took_effect: Callable[[list[str]], set[str]],
        *,
        check: Callable[[AdminError], bool] = lambda _error: False,
        done: Callable[[AdminError], bool] = lambda _error: False,
    ) -> dict[str, str]:
        """Send one request for ``names``, retrying what may be retried.

        ``done(error)`` marks errors that mean the goal is already reached;
        ``check(error)`` (and every ambiguous error) needs a re-read through
        ``took_effect`` before deciding. Returns the failures, name → reason.
        """
        todo = list(names)
        failures: dict[str, str] = {}
        last: dict[str, AdminError] = {}
        delay = self.options.first_backoff
        for attempt in range(1, self.options.attempts + 1):
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
                    failures[name] = str(error)
            if recheck:
                effective = took_effect(recheck)
                for name in recheck:
                    if name in effective:
                        continue
                    error = last[name]
                    if error.ambiguous or error.retriable:
                        retry.append(name)
                    else:
                        failures[name] = str(error)
            todo = [n for n in names if n in retry]
            if not todo:
                break
            if attempt < self.options.attempts:
                self.progress.note(f"retrying {len(todo)} topic(s) in {delay:g} s: {last[todo[0]]}")
                self.sleep(delay)
                delay = min(delay * 2, self.options.max_backoff)
        for name in todo:
            failures[name] = f"{last[name]} (gave up after {self.options.attempts} attempts)"
        return failures

    def _tally(self, actions: Sequence[Action], verb: str, also_done: Sequence[Action] = ()) -> str:
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


def _replaced(live: TopicInfo, planned_id: str | None) -> bool:
    return bool(planned_id and live.topic_id and live.topic_id != planned_id)
