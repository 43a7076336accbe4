"""What apply shows: progress on a terminal or in logs, the final report, and Ctrl-C."""

from __future__ import annotations

import contextlib
import io
import os
import signal

from reconciler.apply.interrupt import deferred_interrupt
from reconciler.apply.outcome import ApplyResult, Outcome, Status
from reconciler.apply.progress import Lines, LiveLine, for_stream
from reconciler.apply.report import render_result
from reconciler.plan.model import Action, ActionKind


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_one_line_per_step_rewritten_in_place() -> None:
    screen = Tty()
    progress = for_stream(screen)
    assert isinstance(progress, LiveLine)

    progress.start("creating topics", 3)
    progress.update(2)
    progress.finish("3 created")

    assert screen.getvalue() == (
        "\r\x1b[Kcreating topics: 0/3"
        "\r\x1b[Kcreating topics: 2/3"
        "\r\x1b[Kcreating topics: 3 created\n"
    )


def test_a_log_gets_plain_lines_at_the_start_and_end_of_each_step() -> None:
    log = io.StringIO()
    progress = for_stream(log)
    assert isinstance(progress, Lines)

    progress.start("creating topics", 3)
    progress.update(2)
    progress.finish("3 created")

    assert log.getvalue() == "creating topics (3)...\n  3 created\n"


def test_the_report_names_each_topic_its_outcome_and_new_ids() -> None:
    result = ApplyResult(
        (
            Outcome(Action(ActionKind.CREATE, "a"), Status.DONE, "created"),
            Outcome(Action(ActionKind.ALTER_CONFIG, "b"), Status.FAILED, "INVALID_CONFIG: no"),
            Outcome(Action(ActionKind.RECREATE, "c"), Status.DONE, "recreated", "id-2"),
            Outcome(
                Action(ActionKind.DELETE, "d"), Status.NOT_DONE, "skipped: an earlier step failed"
            ),
        )
    )

    report = render_result(result)

    assert "  ok       create          a: created" in report
    assert "  FAILED   alter_config    b: INVALID_CONFIG: no" in report
    assert "  ok       recreate        c: recreated (new topic id id-2)" in report
    assert "  not done delete          d: skipped: an earlier step failed" in report
    assert "recreated topic c has a new topic id" in report
    assert "Apply finished: 2 done, 1 failed, 1 not done." in report
    assert report.endswith(
        "Run ktr plan to see what is left; ktr apply again finishes the job "
        "once the cause of each FAILED line is gone."
    )


def test_a_report_without_failures_but_with_work_left_says_to_apply_again() -> None:
    result = ApplyResult(
        (Outcome(Action(ActionKind.DELETE, "d"), Status.NOT_DONE, "interrupted"),),
        interrupted=True,
    )
    assert render_result(result).endswith(
        "Run ktr plan to see what is left; running ktr apply again finishes the job."
    )


def test_the_first_ctrl_c_is_deferred_and_the_second_stops_at_once() -> None:
    with deferred_interrupt() as stopped:
        assert not stopped()
        os.kill(os.getpid(), signal.SIGINT)
        assert stopped()
        try:
            os.kill(os.getpid(), signal.SIGINT)
        except KeyboardInterrupt:
            second = True
        else:
            second = False
    assert second
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_sigterm_is_deferred_like_ctrl_c_and_its_handler_restored() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with deferred_interrupt() as stopped:
        os.kill(os.getpid(), signal.SIGTERM)
        assert stopped()
    assert signal.getsignal(signal.SIGTERM) is before


def test_the_second_ctrl_c_reaches_the_handler_that_was_there_before() -> None:
    seen: list[int] = []

    def outer(signum: int, _frame: object) -> None:
        seen.append(signum)
        raise KeyboardInterrupt

    original = signal.signal(signal.SIGINT, outer)
    try:
        with deferred_interrupt():
            os.kill(os.getpid(), signal.SIGINT)
            with contextlib.suppress(KeyboardInterrupt):
                os.kill(os.getpid(), signal.SIGINT)
    finally:
        signal.signal(signal.SIGINT, original)
    assert seen == [signal.SIGINT]
