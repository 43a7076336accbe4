"""The apply flow around the executor: the plan, the user's yes, and every check before
anything changes.

1. plan (or take a saved plan: refused when a delete or recreate in it lacks
   its flag, when the cluster moved since, or when planning again from what
   it records does not give exactly its actions);
2. show it; refuse a plan with refusals; ask (or ``--auto-approve``);
3. take the apply lock, re-read and refuse if the cluster moved meanwhile;
4. refuse recreating a topic with evidence of use;
5. execute (Ctrl-C and SIGTERM finish the step in flight), then report.

It talks to the user only through a :class:`Terminal`, so the whole flow runs
in tests against the fake cluster.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from reconciler import github
from reconciler.apply.executor import execute
from reconciler.apply.guard import apply_lock
from reconciler.apply.interrupt import deferred_interrupt
from reconciler.apply.outcome import ApplyResult, ExecuteOptions
from reconciler.apply.progress import for_stream
from reconciler.apply.report import render_result, render_result_markdown, result_document
from reconciler.apply.staleness import moved_topics, still_current
from reconciler.apply.usage import DEFAULT_PROBE_SECONDS, find_usage
from reconciler.cluster.admin import Admin
from reconciler.cluster.read import read_cluster_state
from reconciler.model import ClusterState, DesiredState
from reconciler.plan.diff import PlanOptions
from reconciler.plan.document import to_document
from reconciler.plan.model import ActionKind, Plan
from reconciler.plan.verify import first_difference, missing_flags
from reconciler.planning import compute_plan
from reconciler.problems import plural
from reconciler.render import render_plan
from reconciler.render.terminal import use_color
from reconciler.settings import Settings

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class ApplyRequest:
    """What the user asked for, minus the connection.

    With a ``saved`` plan, ``options`` holds the flags given to apply itself:
    a saved delete or recreate still needs ``--allow-delete`` / ``--allow-recreate``.
    """

    desired: DesiredState | None = None
    saved: Plan | None = None
    options: PlanOptions = field(default_factory=PlanOptions)
    auto_approve: bool = False
    force_unlock: bool = False
    probe_seconds: float = DEFAULT_PROBE_SECONDS
    fmt: str = "text"
    cluster: str = "the cluster"  # how errors name the cluster: "cluster 'prod-eu'"


def ask(question: str) -> bool:
    """Ask on stderr; only y or yes goes ahead.

    End of input is a no, and Ctrl-C an interrupt (exit 130), rather than
    click's "Aborted." for both.
    """
    print(f"{question} [y/N]: ", end="", file=sys.stderr, flush=True)
    try:
        answer = sys.stdin.readline()
    except KeyboardInterrupt:
        print(file=sys.stderr, flush=True)
        raise
    if not answer:
        print(file=sys.stderr, flush=True)
    return answer.strip().lower() in ("y", "yes")


@dataclass
class Terminal:
    """Where apply talks to the user; replaced in tests."""

    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    interactive: Callable[[], bool] = field(default_factory=lambda: sys.stdin.isatty)
    confirm: Callable[[str], bool] = field(default_factory=lambda: ask)
    sleep: Callable[[float], None] = time.sleep

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def warn(self, text: str) -> None:
        print(f"ktr: warning: {text}", file=self.err, flush=True)

    def note(self, text: str) -> None:
        print(f"ktr: {text}", file=self.err, flush=True)

    def error(self, text: str) -> None:
        print(f"ktr: error: {text}", file=self.err, flush=True)


def apply(admin: Admin, settings: Settings, request: ApplyRequest, term: Terminal) -> int:
    """The whole apply against a connected cluster. Returns the exit code.

    Text and Markdown are printed as apply goes; JSON is one document at the
    end (``plan``, and ``result`` or null when nothing ran), so it parses
    whatever happened. Errors and progress go to stderr in every format.
    """
    code, plan, result = _apply(admin, settings, request, term)
    if plan is not None:
        github.set_outputs({"has_changes": github.flag(plan.has_changes)})
        github.append_summary(
            lambda: (
                render_plan(plan, "markdown")
                + ("" if result is None else "\n" + render_result_markdown(result))
            )
        )
    if request.fmt == "json":
        document = {
            "plan": None if plan is None else to_document(plan),
            "result": None if result is None else result_document(result),
        }
        term.say(json.dumps(document, indent=2))
    return code


def _apply(
    admin: Admin, settings: Settings, request: ApplyRequest, term: Terminal
) -> tuple[int, Plan | None, ApplyResult | None]:
    then: ClusterState | None = None
    if request.saved is not None:
        plan = request.saved
        needed = missing_flags(plan, request.options.allow_delete, request.options.allow_recreate)
        if needed:
            term.error(
                "the saved plan deletes or recreates topics, which apply does only when "
                "told to; nothing was applied. Pass "
                + "; ".join(needed)
                + " if that is what you want"
            )
            return EXIT_ERROR, plan, None
        now = read_cluster_state(admin, configs_for=plan.declared, declared=plan.declared)
        if now.unreadable:
            # Hidden by Kafka, they would look absent: a saved create would go ahead.
            hidden = plural(len(now.unreadable), "topic")
            term.error(
                f"refusing to apply: the credentials may not describe {hidden} of the plan; "
                "nothing was changed:\n"
                + "\n".join(f"  {name}: {why}" for name, why in now.unreadable.items())
            )
            return EXIT_ERROR, plan, None
        if _stale(plan, now, None, term, "the cluster changed since the plan was made"):
            return EXIT_ERROR, plan, None
        if _not_its_own(plan, now, settings, term):
            return EXIT_ERROR, plan, None
    else:
        assert request.desired is not None
        plan, then = compute_plan(
            admin, request.desired, settings, request.options, cluster=request.cluster
        )
    if request.fmt != "json":
        term.say(render_plan(plan, request.fmt, color=use_color(term.out)))
    if plan.refused:
        term.error(
            f"refusing to apply: {plural(len(plan.refused), 'change')} cannot be made; nothing was "
            "changed:\n"
            + "\n".join(
                f"  {r.topic}: {r.reason}" + (f" ({r.hint})" if r.hint else "")
                for r in plan.refused
            )
        )
        return EXIT_ERROR, plan, None
    if not plan.actions:
        if request.force_unlock:
            # Asked to clear a lock left behind: do it even with nothing to change,
            # or the next apply with changes would still find it.
            with apply_lock(admin, force=True, warn=term.warn):
                pass
        return EXIT_OK, plan, None  # the plan already says there is nothing to change
    if not request.auto_approve:
        if not term.interactive():
            term.error(
                "refusing to apply without confirmation: standard input is not a terminal; "
                "pass --auto-approve to apply without asking"
            )
            return EXIT_ERROR, plan, None
        if not term.confirm(_question(plan)):
            term.note("apply cancelled; nothing was changed")
            return EXIT_ERROR, plan, None
    with apply_lock(admin, force=request.force_unlock, warn=term.warn):
        # Someone may have changed the cluster while the plan waited for a yes.
        now = read_cluster_state(admin, configs_for=plan.declared)
        if _stale(plan, now, then, term, "the cluster changed since the plan was shown"):
            return EXIT_ERROR, plan, None
        if request.saved is not None and _not_its_own(plan, now, settings, term):
            return EXIT_ERROR, plan, None
        if _destroys_in_use(admin, plan, request, term):
            return EXIT_ERROR, plan, None
        with deferred_interrupt() as stop:
            result = execute(
                admin,
                plan,
                settings,
                options=ExecuteOptions(propagation_timeout=admin.propagation_timeout),
                progress=for_stream(term.err),
                should_stop=stop,
            )
    if request.fmt == "markdown":
        term.say("\n" + render_result_markdown(result))
    elif request.fmt == "text":
        term.say("\n" + render_result(result))
    if result.interrupted:
        return EXIT_INTERRUPTED, plan, result
    return (EXIT_OK if result.ok else EXIT_ERROR), plan, result


def _stale(
    plan: Plan, now: ClusterState, then: ClusterState | None, term: Terminal, what: str
) -> bool:
    if still_current(plan, now):
        return False
    if plan.cluster_id and now.cluster_id and plan.cluster_id != now.cluster_id:
        term.error(
            f"the plan was made for cluster {plan.cluster_id}, but this is cluster "
            f"{now.cluster_id}; nothing was applied. Connect to the cluster the plan was "
            "made for, or run ktr plan against this one."
        )
        return True
    moved = moved_topics(plan, now, then)
    term.error(
        f"{what}; nothing was applied. What moved:\n"
        + "\n".join(f"  {line}" for line in moved)
        + "\nRun ktr plan again and review the new plan."
    )
    return True


def _not_its_own(plan: Plan, now: ClusterState, settings: Settings, term: Terminal) -> bool:
    """Refuse a saved plan that is not what its own record gives on the cluster as it is."""
    difference = first_difference(plan, now, settings)
    if difference is None:
        return False
    term.error(
        "the saved plan is not what ktr plan gives for the declarations it records, on the "
        f"cluster as it is now; nothing was applied. First difference: {difference}. "
        "Run ktr plan again and review the new plan."
    )
    return True


def _destroys_in_use(admin: Admin, plan: Plan, request: ApplyRequest, term: Terminal) -> bool:
    """Refuse the whole apply, before anything runs, when a topic to delete or recreate
    is in use, or ktr cannot prove it unused."""
    doomed = [a.topic for a in plan.actions if a.kind in (ActionKind.DELETE, ActionKind.RECREATE)]
    if not doomed:
        return False
    term.note(
        f"checking that {plural(len(doomed), 'topic')} to delete or recreate "
        f"{'is' if len(doomed) == 1 else 'are'} unused "
        f"(watching for writes for {request.probe_seconds:g} s)"
    )
    usage = find_usage(admin, doomed, probe_seconds=request.probe_seconds, sleep=term.sleep)
    busy = [u for u in usage.values() if u.in_use]
    if not busy:
        return False
    term.error(
        "refusing to delete or recreate topics in use, or that ktr cannot prove unused (both "
        "delete all their data); nothing was changed:\n"
        + "\n".join(f"  {u.topic}: {u.describe()}" for u in busy)
        + "\nStop their clients and delete the groups' offsets "
        "(kafka-consumer-groups.sh --delete-offsets), or keep the topic as it is."
    )
    return True


def _question(plan: Plan) -> str:
    count = len(plan.actions)
    return "Apply this change?" if count == 1 else f"Apply these {count} changes?"
