"""Applying a plan: the flow around it (``flow``: confirm, lock, checks, report), the
executor and its steps (``executor``, ``deletes``, ``retry``, ``preflight``,
``outcome``), propagation waits (``wait``), evidence of use before a recreate
(``usage``), the apply lock (``guard``), progress and the final report.

Talks to the cluster only through the ``Admin`` interface; may import the
pure core, ``reconciler.render`` and ``reconciler.github``; never the commands.
"""
