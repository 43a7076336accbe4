"""Everything that talks to a Kafka cluster lives under this package."""
