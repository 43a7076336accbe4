"""YAML declaration files to a validated, resolved desired state: the loader, the
schema with its checks and messages, resolution of defaults and environment
overlays, and the lock file.

Pure apart from reading the files it is given: may import ``reconciler.kafka``,
``reconciler.model``, ``reconciler.problems`` and ``reconciler.settings``; never
``reconciler.cluster``, confluent-kafka, typer or a terminal.
"""
