"""Everything that talks to a Kafka cluster: the ``Admin`` interface (``admin``), its
confluent-kafka adapter (``kafka``, built from ``client``, ``topic_reads``,
``topic_writes`` and ``group_reads``), client settings (``connection``) and the
batched read of a cluster's state (``read``).

The only package that imports confluent-kafka. It may import the model and
``reconciler.problems``; never the commands, rendering or apply.
"""
