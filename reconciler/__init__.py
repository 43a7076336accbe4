"""ktr: a declarative Kafka topics reconciler.

The flow is load → validate → resolve environment → desired state; read
cluster → actual state; diff → plan; plan → render, or plan → execute → wait
→ verify. The core (model, diff, plan, safety) is pure; I/O lives in the
loader, the cluster adapter, the CLI and the renderers.
"""

__version__ = "0.1.0"
