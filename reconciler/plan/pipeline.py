"""Every pure rule that turns declarations and a cluster state into a plan, in order.

Planning against a live cluster (:mod:`reconciler.planning`) and checking a
saved plan against it again (:mod:`reconciler.plan.verify`) both go through
:func:`plan_against`, so a rule added here holds for both: a refusal a saved
plan lacks is then a difference, not a change that slips through.
"""

from __future__ import annotations

from reconciler.model import ClusterState, DesiredState
from reconciler.plan.diff import make_plan
from reconciler.plan.model import Plan, PlanOptions
from reconciler.plan.tiered_storage import refuse_turning_off_without_delete
from reconciler.settings import Settings


def plan_against(
    desired: DesiredState,
    state: ClusterState,
    settings: Settings,
    options: PlanOptions,
    *,
    fingerprint: bool = True,
) -> Plan:
    """The plan for ``desired`` on ``state``: the diff, then the refusals that need the state.

    ``fingerprint``: see :func:`~reconciler.plan.diff.make_plan`.
    """
    plan = make_plan(desired, state, settings, options, fingerprint=fingerprint)
    return refuse_turning_off_without_delete(plan, state, allow_delete=options.allow_delete)
