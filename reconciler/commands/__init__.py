"""One thin module per ``ktr`` subcommand: parse options, load, connect, call the core,
print. Shared pieces: ``options`` (typer options), ``cluster_access`` (the
connection seam tests replace) and ``declared`` (loading declarations for a command).

The top of the import graph: may import anything in ``reconciler``; nothing
imports it but ``reconciler.cli``.
"""
