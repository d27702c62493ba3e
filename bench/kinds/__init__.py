"""Benchmark kinds: every module here registers one with bench.core.register.

To add a kind (e.g. network benchmarks), drop a module in this package that
defines a ``bench.core.Kind`` subclass and calls ``register(MyKind())`` at import
time; ``load_all`` imports it and the runner, JSON and Markdown pick it up.
"""

from __future__ import annotations

import importlib
import pkgutil

from bench.core import KINDS, Kind


def load_all() -> dict[str, Kind]:
    """Import every module of this package and return the kind registry."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{info.name}")
    return KINDS
