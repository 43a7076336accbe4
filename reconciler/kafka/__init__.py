"""What ktr knows about Kafka itself: the catalogue of topic configs, value forms
(durations, sizes) and topic-name rules.

Pure: imports only the standard library and its own modules; never
``reconciler.cluster``, confluent-kafka, typer or a terminal.
"""
