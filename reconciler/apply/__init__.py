"""Applying a plan: execute it in order, wait for every broker, verify, and report.

``executor`` runs the steps, ``wait`` holds the propagation waits and the
checks after them, ``usage`` gathers evidence that a topic is in use before a
recreate, ``guard`` keeps two applies from interleaving, ``progress`` shows
a long apply as it runs.
"""
