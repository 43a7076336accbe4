"""Property: any edit of any field of a saved plan is refused, or changes nothing that matters.

The editor is deliberate: after each edit the digest is computed again, so
only the recompute-and-compare at apply time stands between the edit and the
cluster. The apply is given every destructive flag, as a hurried operator might.
"""

from __future__ import annotations

import copy
import io
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.apply.flow import ApplyRequest, Terminal, apply
from reconciler.model import DesiredState
from reconciler.plan.diff import PlanOptions
from reconciler.plan.document import from_document, to_document
from reconciler.plan.integrity import loads, sealed
from reconciler.problems import UserError
from reconciler.settings import Settings
from tests.apply.scenario import plan_for
from tests.fake_cluster import FakeCluster
from tests.states import declared, tombstone

EVERY_FLAG = PlanOptions(allow_delete=True, allow_recreate=True)

Snapshot = dict[str, tuple[int, int, tuple[tuple[str, str], ...]]]


def initial_cluster() -> FakeCluster:
    """The same cluster every time, topic ids included."""
    # One broker: apply waits for every broker to see a change, polling each in turn.
    fake = FakeCluster(brokers=(1,))
    for name, partitions, config in (
        ("orders", 3, {"retention.ms": "1"}),
        ("legacy", 1, {}),
        ("shrink", 6, {}),
        ("kept", 1, {"segment.ms": "1000"}),
        ("someone.elses", 1, {}),
    ):
        fake.add_topic(name, partitions, 1, config, topic_id=f"id-{name}")
    return fake


DESIRED = (
    declared("orders", 6, 1, {"retention.ms": "86400000"}),
    declared("new", 2, 1, {"cleanup.policy": "compact"}),
    tombstone("legacy"),
    declared("shrink", 2, 1),
    declared("kept", 1, 1),
)


def snapshot(fake: FakeCluster) -> Snapshot:
    """What an apply can change: which topics exist, their counts and overrides (not ids)."""
    return {
        name: (
            topic.partition_count,
            topic.replication_factor,
            tuple(sorted(fake.config_overrides(name).items())),
        )
        for name, topic in fake.topics().items()
    }


def run(document: Any) -> tuple[int, Snapshot]:
    """Apply ``document`` as ``apply --plan`` would, on a fresh copy of the initial cluster."""
    fake = initial_cluster()
    try:
        plan = from_document(loads(json.dumps(document)))
    except UserError:
        return 1, snapshot(fake)
    request = ApplyRequest(saved=plan, options=EVERY_FLAG, auto_approve=True, probe_seconds=0)
    term = Terminal(io.StringIO(), io.StringIO(), lambda: False, lambda _q: True, lambda _s: None)
    code = apply(fake, Settings(), request, term)
    return code, snapshot(fake)


def saved_document() -> dict[str, Any]:
    plan = plan_for(initial_cluster(), *DESIRED, allow_delete=True, allow_recreate=True)
    assert plan.basis is not None and plan.basis.desired == DesiredState(
        {s.name: s for s in DESIRED}
    )
    return to_document(plan)


ORIGINAL = saved_document()
CODE, EXPECTED = run(ORIGINAL)
UNTOUCHED = snapshot(initial_cluster())


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into the document, containers included (the digest is left to the sealing)."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            if prefix == () and key == "digest":
                continue
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


ALL_PATHS = paths(ORIGINAL)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1, 40),
    st.sampled_from([2**31 - 1, 2**31, 2**15, -(2**31)]),
    st.sampled_from(
        [
            "orders",
            "new",
            "legacy",
            "shrink",
            "kept",
            "someone.elses",
            "delete",
            "create",
            "recreate",
            "alter_config",
            "add_partitions",
            "retention.ms",
            "1",
            "604800000",
            "",
        ]
    ),
    st.text(max_size=6),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def edited_documents(draw: st.DrawFn) -> dict[str, Any]:
    doc = copy.deepcopy(ORIGINAL)
    path = draw(st.sampled_from(ALL_PATHS[1:]))
    *parent_path, last = path
    parent: Any = doc
    for step in parent_path:
        parent = parent[step]
    how = draw(st.sampled_from(["replace", "remove", "duplicate", "add"]))
    if how == "remove":
        del parent[last]
    elif how == "add" and isinstance(parent, dict):
        parent[draw(st.text(max_size=8).filter(lambda k: k not in parent))] = draw(json_values)
    elif how == "duplicate" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))
    else:
        parent[last] = draw(json_values.filter(lambda v: v != parent[last]))
    return sealed(doc)


def test_the_unedited_plan_applies_and_changes_the_cluster() -> None:
    assert CODE == 0
    assert EXPECTED != UNTOUCHED


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_documents())
def test_an_edited_saved_plan_is_refused_or_leaves_the_cluster_as_the_original_would(
    document: dict[str, Any],
) -> None:
    code, after = run(document)

    if code == 0:
        assert after == EXPECTED
    else:
        assert after == UNTOUCHED
