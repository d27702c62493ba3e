"""polysock benchmarks: polysock side by side with CPython and the real Schemes.

Run ``bench/run`` or ``python -m bench`` from the repository root; see
``bench.runner`` for the options and ``bench.core`` for how kinds plug in.
"""
