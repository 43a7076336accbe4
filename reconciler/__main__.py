"""The ktr program: ``python -m reconciler``, and the ``ktr`` command (``run``)."""

import gc

# Starting up imports modules whose tens of thousands of objects all live
# until the process ends: the cyclic collector, run again and again meanwhile,
# walks them for nothing (a tenth of ``ktr --help``).
gc.disable()
try:
    from reconciler.cli import run
finally:
    gc.enable()

if __name__ == "__main__":
    run()
