"""The ``ktr`` command line: a table of subcommands, each a thin module loaded when used.

``ktr --help`` and ``ktr validate`` must answer at once, so nothing here
imports a command module before its command runs: ``ktr --help`` lists the
table, ``ktr plan`` imports only ``reconciler.commands.plan`` (and with it
the Kafka client), ``ktr validate`` never does.
"""

from __future__ import annotations

import functools
import importlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from reconciler import github
from reconciler.cluster.admin import ClusterError
from reconciler.declarations.result import InvalidDeclarations
from reconciler.gcpause import gc_paused
from reconciler.problems import Problem, UserError


@dataclass(frozen=True)
class Subcommand:
    """One ``ktr`` subcommand: its name, the module whose ``run`` it calls, its summary.

    The summary is the first paragraph of ``run``'s docstring (a test keeps the two
    equal); ``ktr --help`` shows it without importing the module.
    """

    name: str
    module: str
    summary: str


# One line per subcommand, in the order ``ktr --help`` lists them.
COMMANDS: tuple[Subcommand, ...] = (
    Subcommand(
        "validate",
        "reconciler.commands.validate",
        "Validate topic declarations: YAML, schema, names, configs, overlays and the lock.",
    ),
    Subcommand(
        "plan",
        "reconciler.commands.plan",
        "Show what would change on the cluster. Changes nothing.",
    ),
    Subcommand(
        "apply",
        "reconciler.commands.apply",
        "Apply the declarations to the cluster: plan, confirm, execute, wait, verify.",
    ),
    Subcommand(
        "lock",
        "reconciler.commands.lock",
        "Write PATH/topics.lock: the sorted declared topic names, with tombstones marked.",
    ),
    Subcommand(
        "drift",
        "reconciler.commands.drift",
        "Compare the cluster with the declarations. Exit 0: no drift, 2: drift, 1: error.",
    ),
    Subcommand(
        "doctor",
        "reconciler.commands.doctor",
        "Check declarations, cluster and client files against the production checklist.",
    ),
    Subcommand(
        "import",
        "reconciler.commands.import_",
        "Write declarations for existing topics: from live clusters, or from another tool's files.",
    ),
)

# Plain help and errors, as click prints them: flags read as flags (no
# "<bool>"), long words such as environment variable names wrap instead of
# being cut, and typer's rich formatting, which costs more to import than
# ``ktr validate`` takes to run, is never loaded.
_MARKUP = None


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


class _Listed(typer.core.TyperCommand):
    """A subcommand as ``ktr --help`` lists it, before its module is imported."""


def load_command(entry: Subcommand) -> typer.core.TyperCommand:
    """The real command of ``entry``: its module imported, its options read from ``run``."""
    single = _App(rich_markup_mode=_MARKUP, add_completion=False, pretty_exceptions_enable=False)
    with gc_paused():  # see reconciler.__main__: what an import makes lives until exit
        module = importlib.import_module(entry.module)
    single.command(entry.name)(module.run)
    command = typer.main.get_command(single)
    assert isinstance(command, typer.core.TyperCommand)
    return command


class _Commands(TyperGroup):
    """The subcommands of :data:`COMMANDS`, each loaded only when it is run (or asked for help)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for entry in COMMANDS:
            self.commands.setdefault(
                entry.name,
                _Listed(
                    name=entry.name,
                    help=entry.summary,
                    short_help=entry.summary,
                    rich_markup_mode=_MARKUP,
                ),
            )

    # The context is click's, vendored by some typer versions: typed loosely.
    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if isinstance(command, _Listed) and name is not None:
            command = self.commands[name] = load_command(
                next(entry for entry in COMMANDS if entry.name == name)
            )
        return name, command, rest


app = _App(
    name="ktr",
    cls=_Commands,
    no_args_is_help=True,
    # --install-completion and --show-completion, for bash, zsh, fish and PowerShell.
    add_completion=True,
    rich_markup_mode=_MARKUP,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        print(f"ktr {_version()}")
        raise typer.Exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ktr")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


@app.callback()
def _options(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print ktr's version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Declarative Kafka topics: validate, plan and apply topic declarations kept in git."""


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


def run() -> NoReturn:
    """The ``ktr`` program: :func:`main`, then an exit that skips tearing the interpreter down.

    A plan of thousands of topics leaves hundreds of thousands of objects,
    and freeing them one by one at exit costs a process about to end more
    than rendering the plan did. By then every client is closed and every
    thread done; what ktr wrote is flushed first, and if that fails (a closed
    pipe), the usual exit reports it.
    """
    try:
        main()
        code: str | int | None = 0
    except SystemExit as done:
        code = done.code
    if code is None:
        code = 0
    if isinstance(code, int) and threading.active_count() == 1:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        else:
            os._exit(code)
    sys.exit(code)
