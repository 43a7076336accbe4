"""Desired state against cluster state: the diff, the plan it makes, the plan's JSON
document, and drift (the same comparison, reported rather than planned).

Pure: may import ``reconciler.kafka``, ``reconciler.model`` and
``reconciler.problems``; never ``reconciler.cluster``, confluent-kafka, typer or a
terminal.
"""
