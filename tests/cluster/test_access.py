"""Authorization errors name the ACL to grant (the adapter and the fake both use this)."""

from __future__ import annotations

import pytest

from reconciler.cluster.access import Operation, with_missing_acl
from reconciler.cluster.admin import AdminError

DENIED = AdminError("TOPIC_AUTHORIZATION_FAILED", "Broker: Topic authorization failed")


@pytest.mark.parametrize(
    ("operation", "acl"),
    [
        (Operation.DESCRIBE, "DESCRIBE on topic 'orders'"),
        (Operation.DESCRIBE_CONFIGS, "DESCRIBE_CONFIGS on topic 'orders'"),
        (Operation.CREATE, "CREATE on topic 'orders' (or CREATE on the cluster)"),
        (Operation.CREATE_PARTITIONS, "ALTER on topic 'orders'"),
        (Operation.ALTER_CONFIGS, "ALTER_CONFIGS on topic 'orders'"),
        (Operation.DELETE, "DELETE on topic 'orders'"),
    ],
)
def test_an_authorization_error_names_the_acl_the_operation_needs(
    operation: Operation, acl: str
) -> None:
    explained = with_missing_acl(DENIED, operation, "orders")

    assert explained.code == "TOPIC_AUTHORIZATION_FAILED"
    assert explained.message == (
        f"Broker: Topic authorization failed: the principal ktr connects as needs {acl}"
    )


def test_a_group_authorization_error_names_the_group() -> None:
    denied = AdminError("GROUP_AUTHORIZATION_FAILED", "Broker: Group authorization failed")
    explained = with_missing_acl(denied, Operation.DESCRIBE_GROUP, "billing")
    assert explained.message.endswith("needs DESCRIBE on group 'billing'")


def test_other_errors_are_left_as_they_are() -> None:
    error = AdminError("INVALID_CONFIG", "Unknown topic config name: x")
    assert with_missing_acl(error, Operation.CREATE, "orders") is error
