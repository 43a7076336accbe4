"""Which ACL an admin operation needs, so that an authorization error says what to grant.

Kafka answers a missing ACL with a bare ``TOPIC_AUTHORIZATION_FAILED``
("Authorization failed."), and for a topic the principal may not describe it
says so whether or not the topic exists, so that existence is not leaked.
The person who reads the error is usually not the one who can grant ACLs:
the message must name the operation and resource to ask for.
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum

from reconciler.cluster.admin import AdminError

AUTHORIZATION_CODES = frozenset(
    {"TOPIC_AUTHORIZATION_FAILED", "GROUP_AUTHORIZATION_FAILED", "CLUSTER_AUTHORIZATION_FAILED"}
)


class Operation(Enum):
    """What ktr asked for, with the ACL (operation on resource) Kafka checks for it."""

    DESCRIBE = ("DESCRIBE", "topic")
    DESCRIBE_CONFIGS = ("DESCRIBE_CONFIGS", "topic")
    CREATE = ("CREATE", "topic")
    CREATE_PARTITIONS = ("ALTER", "topic")
    ALTER_CONFIGS = ("ALTER_CONFIGS", "topic")
    DELETE = ("DELETE", "topic")
    DESCRIBE_GROUP = ("DESCRIBE", "group")

    def needs(self, name: str) -> str:
        """The ACL this operation needs on ``name``, as an operator would grant it."""
        acl, resource = self.value
        wanted = f"{acl} on {resource} {name!r}"
        if self is Operation.CREATE:
            return f"{wanted} (or CREATE on the cluster)"
        return wanted


#: What the principal needs to see every consumer group: Kafka's ListGroups
#: silently leaves out groups it may not describe, unless it may describe the cluster.
EVERY_GROUP = "DESCRIBE on the cluster"


def is_authorization(error: AdminError) -> bool:
    return error.code in AUTHORIZATION_CODES


def with_missing_acl(error: AdminError, operation: Operation, name: str) -> AdminError:
    """``error`` with the ACL to grant added to its message, when it is an authorization error."""
    if not is_authorization(error):
        return error
    return replace(error, message=missing_acl_message(error.message, operation, name))


def missing_acl_message(message: str, operation: Operation, name: str) -> str:
    said = message.rstrip(". ") if message else "not authorized"
    return f"{said}: the principal ktr connects as needs {operation.needs(name)}"
