"""The ``ktr`` command line: registers one thin command module per subcommand."""

from __future__ import annotations

import functools
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, NoReturn

import typer

from reconciler import github
from reconciler.cluster.admin import ClusterError
from reconciler.commands import apply, doctor, drift, import_, lock, plan, validate
from reconciler.declarations.result import InvalidDeclarations
from reconciler.problems import Problem, UserError


class _App(typer.Typer):
    """A Typer app whose commands return their exit code instead of raising it."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
        register = super().command(*args, **kwargs)

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            @functools.wraps(func)
            def run(*call_args: Any, **call_kwargs: Any) -> None:
                try:
                    code = func(*call_args, **call_kwargs)
                except KeyboardInterrupt:
                    # Typer would turn it into a silent exit 130.
                    print("ktr: interrupted", file=sys.stderr)
                    raise typer.Exit(130) from None
                if isinstance(code, int) and code != 0:
                    raise typer.Exit(code)

            register(run)
            return func

        return decorator


app = _App(
    name="ktr",
    help="Declarative Kafka topics: validate, plan and apply topic declarations kept in git.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each subcommand registers itself here, one line per command module.
app.command("validate")(validate.run)
app.command("plan")(plan.run)
app.command("apply")(apply.run)
app.command("lock")(lock.run)
app.command("drift")(drift.run)
app.command("doctor")(doctor.run)
app.command("import")(import_.run)


def _fail(error: Exception, exit_code: int) -> NoReturn:
    print(f"ktr: error: {error}", file=sys.stderr)
    if not isinstance(error, InvalidDeclarations):  # already annotated at their lines
        github.annotate([Problem("", 0, 0, str(error).splitlines()[0])])
    sys.exit(exit_code)


def _interrupted() -> NoReturn:
    print("ktr: interrupted", file=sys.stderr)
    sys.exit(130)


def _escape_undecodable_output() -> None:
    # A file name that is not UTF-8 reaches ktr with surrogates in it, which a
    # UTF-8 stream refuses to write: print them escaped (\udcff) instead.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI. Every failure becomes one line on stderr and a non-zero exit."""
    _escape_undecodable_output()
    # A Ctrl-C inside confluent-kafka's poll() can come out as a SystemError
    # instead of KeyboardInterrupt; remembering the press tells the two apart.
    pressed = threading.Event()
    previous = signal.getsignal(signal.SIGINT)
    watching = previous is signal.default_int_handler and (
        threading.current_thread() is threading.main_thread()
    )
    if watching:

        def note_press(signum: int, frame: object) -> None:
            pressed.set()
            signal.default_int_handler(signum, frame)  # type: ignore[arg-type]

        signal.signal(signal.SIGINT, note_press)
        # A cancelled CI job gets SIGTERM: treat it as Ctrl-C, so clean-up
        # (closing clients, releasing the apply lock) runs instead of dying.
        terminate = signal.signal(signal.SIGTERM, note_press)
    try:
        app(args=argv, prog_name="ktr")
    except UserError as error:
        _fail(error, error.exit_code)
    except ClusterError as error:
        _fail(error, 1)
    except KeyboardInterrupt:
        _interrupted()
    except Exception as error:
        if pressed.is_set():
            _interrupted()
        if isinstance(error, OSError) and error.strerror:
            # The machine's trouble (a full disk, a closed stream), not ktr's.
            where = f"{error.filename}: " if error.filename else ""
            _fail(RuntimeError(f"{where}{error.strerror}"), 1)
        _fail(
            RuntimeError(
                f"unexpected {type(error).__name__}: {error} "
                "(this is a bug in ktr; please report it)"
            ),
            1,
        )
    finally:
        if watching:
            signal.signal(signal.SIGINT, previous)
            signal.signal(signal.SIGTERM, terminate)
