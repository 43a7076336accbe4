"""Making a plan against a live cluster: read the actual state, diff it, and, when
asked, have the brokers check the changes.

The joint between the pure core and the cluster adapter: ``plan``, ``apply``
and anything else that plans go through :func:`compute_plan`, so they read the
same state in the same fixed number of requests.
"""

from __future__ import annotations

from dataclasses import replace

from reconciler.cluster.admin import Admin, AdminError, ClusterError, NewTopic
from reconciler.cluster.batches import send_in_requests
from reconciler.cluster.read import read_cluster_state
from reconciler.declarations.result import InvalidDeclarations
from reconciler.gcpause import gc_paused
from reconciler.kafka import records
from reconciler.model import ClusterState, DesiredState
from reconciler.plan.diff import PlanOptions
from reconciler.plan.known_keys import reported_keys, unknown_keys
from reconciler.plan.model import ActionKind, Plan, Refusal
from reconciler.plan.pipeline import plan_against
from reconciler.settings import Settings


def compute_plan(
    admin: Admin,
    desired: DesiredState,
    settings: Settings,
    options: PlanOptions,
    *,
    cluster: str = "the cluster",
    topic_ids: bool = True,
) -> tuple[Plan, ClusterState]:
    """Read the cluster and diff it against ``desired``. Reads only; a fixed number of requests.

    A declared config key the cluster shows it does not know is an
    InvalidDeclarations naming ``cluster``, before anything is planned.
    ``topic_ids`` False leaves the plan's topic ids unknown and its
    fingerprint empty: for a plan only shown as text or markdown, which show
    neither, and never for one that is saved or applied. It spares
    describing every declared topic by name.
    """
    # Deleting undeclared topics puts them under the plan's fingerprint, which
    # covers their configs, so read those too; otherwise only declared ones.
    wide = options.allow_delete and bool(settings.owned)
    with gc_paused():
        configs_for = None if wide else set(desired.topics)
        state = read_cluster_state(
            admin,
            configs_for=configs_for,
            ids_for="configs_for" if topic_ids else (),
            declared=set(desired.topics),
        )
        unknown = unknown_keys(desired, _known_keys(admin, desired, state), cluster)
        if unknown:
            raise InvalidDeclarations(unknown)
        return plan_against(desired, state, settings, options, fingerprint=topic_ids), state


def _known_keys(admin: Admin, desired: DesiredState, state: ClusterState) -> frozenset[str] | None:
    """The topic configs the cluster knows, as far as its config reports tell.

    When no declared topic exists yet (a first apply: all creates), the read
    described nothing, so one existing topic is described for the evidence:
    one more request, only in that case.
    """
    known = reported_keys(topic.config for topic in state.topics.values())
    if known is not None or any(name in state.topics for name in desired.topics):
        return known
    if not desired.topics or not state.topics:
        return None
    probe = min(state.topics, key=lambda name: (state.topics[name].internal, name))
    try:
        return reported_keys(admin.topic_configs([probe]).values())
    except ClusterError:
        # Only evidence, of a topic the plan does not touch (its configs may be
        # another team's to read): without it the keys are not judged.
        return None


def server_validate(admin: Admin, plan: Plan) -> Plan:
    """Ask the brokers to check creates, partition increases and config changes (validate_only).

    What a broker rejects (a policy, a quota, a value its version refuses)
    becomes a refusal naming the topic and the broker's words. Each kind of
    change is checked in as few requests as the controller's record budget
    allows, as apply sends them: a validate-only request counts its records too.
    """
    creates = {
        a.topic: NewTopic(
            a.topic,
            a.partitions[1] or 0,
            a.replication_factor[1] or 0,
            a.created_config,
        )
        for a in plan.actions
        if a.kind is ActionKind.CREATE
    }
    increases = {a.topic: a.partitions for a in plan.actions if a.kind is ActionKind.ADD_PARTITIONS}
    changes = {a.topic: a.config_changes for a in plan.actions if a.kind is ActionKind.ALTER_CONFIG}
    refused: list[Refusal] = []
    for what, results in (
        (
            "create",
            send_in_requests(
                list(creates),
                lambda n: records.create_records(creates[n].partitions, len(creates[n].config)),
                lambda chunk: admin.create_topics([creates[n] for n in chunk], validate_only=True),
            ),
        ),
        (
            "partition increase",
            send_in_requests(
                list(increases),
                lambda n: records.partition_records(
                    (increases[n][1] or 0) - (increases[n][0] or 0)
                ),
                lambda chunk: admin.create_partitions(
                    {n: increases[n][1] or 0 for n in chunk}, validate_only=True
                ),
            ),
        ),
        (
            "config change",
            send_in_requests(
                list(changes),
                lambda n: records.config_records(len(changes[n])),
                lambda chunk: admin.alter_configs(
                    {n: changes[n] for n in chunk}, validate_only=True
                ),
            ),
        ),
    ):
        refused += [
            _rejected(plan, topic, what, error)
            for topic, error in sorted(results.items())
            if error is not None
        ]
    return replace(plan, refused=plan.refused + tuple(refused)) if refused else plan


def _rejected(plan: Plan, topic: str, what: str, error: AdminError) -> Refusal:
    location = next((a.location for a in plan.actions if a.topic == topic), None)
    hint = (
        "the broker could not answer in time; plan again"
        if error.ambiguous or error.retriable
        else "change the declaration so the broker accepts it"
    )
    return Refusal(
        topic, f"the broker rejected the {what} (validate only): {error}", hint, location=location
    )
