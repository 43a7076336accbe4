"""The ``ktr`` command line: registers one thin command module per subcommand."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import typer

from reconciler import github
from reconciler.cluster.admin import ClusterError
from reconciler.commands import apply, drift, lock, plan, validate
from reconciler.declarations import InvalidDeclarations
from reconciler.problems import Problem, UserError


class _App(typer.Typer):
    """A Typer app whose commands return their exit code instead of raising it."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
        register = super().command(*args, **kwargs)

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            @functools.wraps(func)
            def run(*call_args: Any, **call_kwargs: Any) -> None:
                code = func(*call_args, **call_kwargs)
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


def _fail(error: Exception, exit_code: int) -> NoReturn:
    print(f"ktr: error: {error}", file=sys.stderr)
    if not isinstance(error, InvalidDeclarations):  # already annotated at their lines
        github.annotate([Problem("", 0, 0, str(error).splitlines()[0])])
    sys.exit(exit_code)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI. Known failures become one line on stderr and a non-zero exit."""
    try:
        app(args=argv, prog_name="ktr")
    except UserError as error:
        _fail(error, error.exit_code)
    except ClusterError as error:
        _fail(error, 1)
    except KeyboardInterrupt:
        print("ktr: interrupted", file=sys.stderr)
        sys.exit(130)
