"""The saved plan document: it round-trips exactly and rejects what it cannot trust."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconciler.model import DesiredState, Location, TopicSpec
from reconciler.plan.diff import PlanOptions, make_plan
from reconciler.plan.document import from_document, to_document
from reconciler.plan.integrity import sealed
from reconciler.plan.model import (
    FORMAT_VERSION,
    Action,
    ActionKind,
    ConfigChange,
    Plan,
    PlanBasis,
    Refusal,
)
from reconciler.problems import UserError
from reconciler.settings import Settings
from tests.states import cluster, declared, desired, existing, tombstone

names = st.text(alphabet="abcxyz.-_0", min_size=1, max_size=12).filter(
    lambda n: n not in (".", "..") and not n.startswith("__")
)
values = st.none() | st.text(max_size=8)
counts = st.none() | st.integers(min_value=1, max_value=10_000)
positive = st.integers(min_value=1, max_value=10_000)
# Values as Kafka reports them, which is all a plan ever carries.
kafka_values = st.sampled_from(
    [("retention.ms", "604800000"), ("cleanup.policy", "compact,delete"), ("segment.ms", "1")]
)
changes = st.builds(
    lambda pair, before, remove: ConfigChange(pair[0], before, None if remove else pair[1]),
    kafka_values,
    values,
    st.booleans(),
)
locations = st.none() | st.builds(
    Location, names, st.integers(min_value=1, max_value=999), st.integers(1, 80)
)
actions = st.builds(
    Action,
    kind=st.sampled_from(ActionKind),
    topic=names,
    partitions=st.tuples(counts, positive),
    replication_factor=st.tuples(counts, positive),
    config=st.lists(changes, max_size=3).map(tuple),
    topic_id=st.none() | names,
    location=locations,
)
reassignments = st.none() | st.fixed_dictionaries(
    {
        "version": st.just(1),
        "partitions": st.lists(
            st.fixed_dictionaries(
                {
                    "topic": names,
                    "partition": st.integers(0, 5),
                    "replicas": st.lists(st.integers(1, 5)),
                }
            ),
            max_size=2,
        ),
    }
)
specs = st.builds(
    TopicSpec,
    name=names,
    partitions=positive,
    replication_factor=st.integers(1, 5),
    config=st.dictionaries(st.just("retention.ms"), st.just("1000"), max_size=1),
    location=locations,
) | st.builds(lambda n, loc: TopicSpec(n, 0, 0, {}, absent=True, location=loc), names, locations)
bases = st.none() | st.builds(
    lambda topics, options, owned, protected: PlanBasis(
        DesiredState({t.name: t for t in topics}), PlanOptions(*options), owned, protected
    ),
    st.lists(specs, max_size=3),
    st.tuples(st.booleans(), st.booleans(), st.booleans()),
    st.lists(names, max_size=2).map(tuple),
    st.lists(names, max_size=2).map(tuple),
)
refusals = st.builds(Refusal, names, st.text(), st.none() | st.text(), reassignments, locations)
plans = st.builds(
    Plan,
    actions=st.lists(actions, max_size=4).map(tuple),
    refused=st.lists(refusals, max_size=3).map(tuple),
    unmanaged=st.lists(names, max_size=3).map(tuple),
    warnings=st.lists(st.text(), max_size=2).map(tuple),
    fingerprint=st.text(max_size=10),
    declared=st.lists(names, max_size=3).map(tuple),
    cluster_id=st.none() | names,
    environment=st.none() | names,
    undeclared_overrides=st.dictionaries(names, st.dictionaries(names, values, max_size=2)),
    basis=bases,
).map(
    # ktr plan always covers the topics it acts on with its fingerprint, and
    # records the environment of its declarations.
    lambda p: replace(
        p,
        declared=(
            (*p.declared, *(a.topic for a in p.actions))
            if p.basis is None
            else tuple(sorted(set(p.basis.desired.topics) | {a.topic for a in p.actions}))
        ),
        basis=p.basis
        and replace(p.basis, desired=replace(p.basis.desired, environment=p.environment)),
    )
)


@given(plans)
def test_a_plan_survives_the_document_and_json_unchanged(plan: Plan) -> None:
    assert from_document(json.loads(json.dumps(to_document(plan)))) == plan


def test_a_computed_plan_round_trips() -> None:
    plan = make_plan(
        desired(
            declared("new", 3, 1, {"retention.ms": "1000"}),
            declared("old", 2, 2),
            tombstone("gone"),
        ),
        cluster(existing("old", 6, 1, replicas=((1,),) * 6), existing("gone")),
        Settings(),
        PlanOptions(allow_delete=True),
    )
    assert from_document(json.loads(json.dumps(to_document(plan)))) == plan


def test_the_document_names_each_action_and_its_before_and_after_values() -> None:
    plan = make_plan(
        desired(declared("orders", 6, 1, {"retention.ms": "1000"})),
        cluster(existing("orders", 3, 1, overrides={"retention.ms": "2000"})),
        Settings(),
    )
    doc = to_document(plan)
    assert doc["format_version"] == FORMAT_VERSION
    assert doc["summary"]["add_partitions"] == 1 and doc["summary"]["alter_config"] == 1
    assert doc["actions"][0] == {
        "action": "add_partitions",
        "topic": "orders",
        "partitions": {"before": 3, "after": 6},
        "replication_factor": {"before": None, "after": None},
        "config": [],
        "topic_id": "id-orders",
        "location": None,
    }
    assert doc["actions"][1]["config"] == [
        {"key": "retention.ms", "before": "2000", "after": "1000"}
    ]


def valid() -> dict[str, Any]:
    return to_document(
        Plan(actions=(Action(ActionKind.CREATE, "a", (None, 1), (None, 1)),), declared=("a",))
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.pop("actions"), "has no 'actions'"),
        (lambda d: d.update(format_version="1"), "format_version must be an integer"),
        (lambda d: d["actions"][0].update(action="rename"), "'rename' is not one of"),
        (lambda d: d["actions"][0].update(topic=7), "actions[0].topic must be a string"),
        (lambda d: d["actions"][0]["partitions"].update(after=True), "must be an integer"),
        (lambda d: d.update(unmanaged="x"), "plan.unmanaged must be a list"),
    ],
)
def test_a_damaged_document_is_a_one_line_error_naming_the_field(
    edit: Callable[[dict[str, Any]], object], message: str
) -> None:
    doc = valid()
    edit(doc)
    with pytest.raises(UserError, match=re.escape(message)):
        from_document(sealed(doc))


def test_a_document_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(UserError, match="plan must be an object"):
        from_document([1, 2])


def test_a_newer_format_version_is_refused_with_what_to_do() -> None:
    doc = valid() | {"format_version": FORMAT_VERSION + 1}
    with pytest.raises(UserError, match="upgrade ktr"):
        from_document(doc)


def test_a_version_1_plan_which_records_nothing_to_check_it_by_is_refused() -> None:
    doc = valid() | {"format_version": 1}
    with pytest.raises(UserError, match="make the plan again"):
        from_document(doc)


def test_any_edit_without_a_new_digest_is_refused_as_changed() -> None:
    doc = valid()
    doc["warnings"] = ["harmless?"]
    with pytest.raises(UserError, match="changed after ktr plan saved it"):
        from_document(doc)


def test_a_plan_without_a_digest_is_refused() -> None:
    doc = valid()
    del doc["digest"]
    with pytest.raises(UserError, match="has no digest"):
        from_document(doc)


def create(**fields: Any) -> dict[str, Any]:
    action = {
        "action": "create",
        "topic": "orders",
        "partitions": {"before": None, "after": 3},
        "replication_factor": {"before": None, "after": 1},
        "config": [],
    }
    return sealed(valid() | {"actions": [action | fields], "declared": [action["topic"]]})


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"topic": "bad name!"}, "actions[0].topic: topic name 'bad name!'"),
        ({"partitions": {"before": None, "after": 0}}, "partitions.after must be 1 or more"),
        (
            {"replication_factor": {"before": None, "after": 0}},
            "replication_factor.after must be 1 or more",
        ),
        (
            {"config": [{"key": "retention.msx", "before": None, "after": "1"}]},
            "actions[0].config[0]",
        ),
        (
            {"config": [{"key": "retention.ms", "before": None, "after": "7d"}]},
            "is not as Kafka reports it ('604800000')",
        ),
    ],
)
def test_an_edited_plan_that_ktr_plan_could_not_have_written_is_refused(
    fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(UserError, match=re.escape(message)):
        from_document(create(**fields))


def test_an_edited_plan_acting_on_a_topic_its_fingerprint_does_not_cover_is_refused() -> None:
    doc = sealed(valid() | {"declared": []})
    with pytest.raises(UserError, match=re.escape("actions[0].topic 'a' is not among")):
        from_document(doc)
