"""The one step that destroys data: deleting topics, and recreating those planned so.

It runs last and only when every earlier step went through. Names are checked
again right before the delete (a topic replaced meanwhile is left alone), and
a recreated topic whose create fails after the delete is reported loudly as
gone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from reconciler.apply.outcome import Status
from reconciler.apply.wait import wait_for
from reconciler.cluster.admin import AdminError, ClusterError
from reconciler.cluster.batches import send_in_requests
from reconciler.kafka import records
from reconciler.model import TopicInfo
from reconciler.plan.model import Action, ActionKind
from reconciler.problems import UserError

if TYPE_CHECKING:
    from reconciler.apply.executor import Run


def delete_and_recreate(run: Run, actions: list[Action]) -> None:
    """Delete in one batch, wait until no broker reports them, then create the recreated ones."""
    for action in actions:
        # Checked before anything ran; checked again here because this is
        # the one step that destroys data.
        if run.settings.is_protected(action.topic):
            raise UserError(f"{action.topic}: protected topic; ktr never deletes it")
    run.progress.start("deleting topics", len(actions))
    # Deletes go by name: the earlier steps may have taken a while, so make
    # sure each name still holds the topic planned, right before deleting.
    live = run.admin.topics(ids_for=[a.topic for a in actions])
    current: list[Action] = []
    for action in actions:
        if action.topic not in live:
            run.record(
                action,
                Status.DONE if action.kind is ActionKind.DELETE else Status.FAILED,
                "already gone: deleted by someone else while apply ran"
                + ("" if action.kind is ActionKind.DELETE else "; run ktr apply to create it"),
            )
        elif _replaced(live[action.topic], action.topic_id):
            run.record(
                action,
                Status.FAILED,
                "not deleted: replaced by someone else while apply ran (topic id "
                f"{action.topic_id} is now {live[action.topic].topic_id}); run ktr plan",
            )
        else:
            current.append(action)
    actions = current
    if not actions:
        run.progress.finish("0 deleted")
        return
    by_name = {a.topic: a for a in actions}
    planned_ids = {a.topic: a.topic_id for a in actions}

    def send(names: list[str]) -> Mapping[str, AdminError | None]:
        return send_in_requests(names, lambda _n: records.delete_records(), run.admin.delete_topics)

    def took_effect(names: list[str]) -> set[str]:
        live = run.admin.topics(ids_for=names)
        return {n for n in names if n not in live or _replaced(live[n], planned_ids[n])}

    try:
        failures = run.batch(
            list(by_name),
            send,
            took_effect,
            done=lambda e: e.code == "UNKNOWN_TOPIC_OR_PART",
        )
    except ClusterError as unknown:
        # The delete may have gone through before the cluster stopped answering.
        for action in actions:
            run.record(
                action,
                Status.FAILED,
                f"{unknown}; it may have been DELETED"
                + (" and not created again" if action.kind is ActionKind.RECREATE else "")
                + ": run ktr plan to see what is left, then ktr apply",
            )
        raise
    for name, error in failures.items():
        run.record(by_name[name], Status.FAILED, error)
    deleted = [n for n in by_name if n not in failures]
    # A recreate is one step: once its topic is deleted, Ctrl-C must not
    # leave it deleted, so the wait before creating it again runs to its end.
    recreating = any(by_name[n].kind is ActionKind.RECREATE for n in deleted)
    try:
        result = wait_for(
            run.admin,
            {n: 0 for n in deleted},
            timeout=run.options.propagation_timeout,
            clock=run.clock,
            sleep=run.sleep,
            on_poll=lambda settled, _total: run.progress.update(settled),
            should_stop=(lambda: False) if recreating else run.should_stop,
        )
    except ClusterError as unconfirmed:
        for name in deleted:
            action = by_name[name]
            if action.kind is ActionKind.RECREATE:
                _lost(run, [action], str(unconfirmed), "not created again")
            else:
                run.record(action, Status.DONE, f"deleted; not confirmed: {unconfirmed}")
        raise
    recreate: list[Action] = []
    for name in deleted:
        action = by_name[name]
        lagging = result.not_ready.get(name)
        if lagging is not None:
            # A lagging broker may still report the topic or may not have
            # answered at all: say only what is known.
            still = (
                "not confirmed gone by " + ("broker " if len(lagging) == 1 else "brokers ")
            ) + ", ".join(map(str, lagging))
            if action.kind is ActionKind.RECREATE:
                detail = f"deleted, but {still}; not created again yet: re-run apply"
                run.record(action, Status.FAILED, detail)
            elif result.interrupted:
                run.record(action, Status.DONE, f"deleted; {still} (interrupted)")
            else:
                detail = f"deleted, but {still} after {run.timeout_text()}"
                run.record(action, Status.FAILED, detail)
        elif action.kind is ActionKind.RECREATE:
            recreate.append(action)
        else:
            run.record(action, Status.DONE, "deleted")
    # A recreate whose delete went through has no outcome until it is
    # created again; for this step it counts as deleted.
    run.progress.finish(run.tally([by_name[n] for n in deleted], "deleted", also_done=recreate))
    if not recreate:
        return
    run.progress.start("creating recreated topics", len(recreate))
    try:
        created = run.create_topics(recreate, done_detail="recreated")
    except ClusterError as error:
        _lost(run, recreate, str(error), "creating it again failed")
        raise
    _lost(
        run,
        [a for a in recreate if run.outcomes[(a.kind, a.topic)].status is Status.FAILED],
        None,
        "creating it again failed",
    )
    run.wait_ready(created, "recreated")
    live = run.admin.topics(ids_for=[a.topic for a in created])
    for action in created:
        outcome = run.outcomes.get((action.kind, action.topic))
        if outcome is None or outcome.status is not Status.DONE:
            continue
        new_id = live[action.topic].topic_id if action.topic in live else None
        run.record(action, Status.DONE, outcome.detail, new_id)
        if new_id is not None and new_id == action.topic_id:
            run.warnings.append(f"{action.topic}: topic id did not change ({new_id})")
    run.progress.finish(run.tally(recreate, "recreated"))


def _lost(run: Run, actions: Sequence[Action], error: str | None, what: str) -> None:
    """Say loudly that these recreated topics were deleted and are not there now."""
    for action in actions:
        reason = error or run.outcomes[(action.kind, action.topic)].detail
        run.record(
            action,
            Status.FAILED,
            f"DELETED, but {what}: {reason}; the topic does not exist "
            "now: fix the cause, then run ktr apply to create it",
        )
        run.warnings.append(
            f"{action.topic} was deleted (its data is gone) and is not created again yet"
        )


def _replaced(live: TopicInfo, planned_id: str | None) -> bool:
    return bool(planned_id and live.topic_id and live.topic_id != planned_id)
