"""The ``ktr`` command line: registers one thin command module per subcommand."""

from __future__ import annotations

import sys

import click
import typer

from reconciler.cluster.admin import ClusterError
from reconciler.problems import UserError

app = typer.Typer(
    name="ktr",
    help="Declarative Kafka topics: validate, plan and apply topic declarations kept in git.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each subcommand registers itself here, one line per command module.


def main(argv: list[str] | None = None) -> None:
    """Run the CLI. Known failures become one line on stderr and a non-zero exit."""
    try:
        result = app(args=argv, standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        print("ktr: aborted", file=sys.stderr)
        sys.exit(1)
    except UserError as error:
        print(f"ktr: error: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    except ClusterError as error:
        print(f"ktr: error: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("ktr: interrupted", file=sys.stderr)
        sys.exit(130)
    sys.exit(result if isinstance(result, int) else 0)
