"""``ktr doctor``: the production checklist, as small pure rules over gathered facts.

:mod:`catalogue` names every rule (importable on its own: the declaration
schema and the settings loader check rule ids against it), :mod:`facts` holds
what the rules look at, :mod:`rules` the rules themselves, :mod:`diagnose`
runs them for one environment, and :mod:`gather` reads the cluster for them.
"""
