"""One module per ``ktr`` subcommand; each is a thin layer over the core."""
