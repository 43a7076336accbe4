#!/usr/bin/env bash
# The ACLs of the read-only principal User:reader, as the README lists them for
# `ktr plan` and `ktr drift`; plus DENY rules on names starting ktr-private-,
# so that the contract suite can check what Kafka hides from a principal.
set -euo pipefail
acls() { /opt/kafka/bin/kafka-acls.sh --bootstrap-server "${BOOTSTRAP:?}" "$@"; }

acls --add --allow-principal User:reader --operation Describe --operation DescribeConfigs \
  --topic '*'
acls --add --allow-principal User:reader --operation Describe --group '*'
acls --add --allow-principal User:reader --operation Describe --cluster
acls --add --deny-principal User:reader --operation Describe \
  --resource-pattern-type prefixed --topic ktr-private-
acls --add --deny-principal User:reader --operation Describe \
  --resource-pattern-type prefixed --group ktr-private-
acls --list
