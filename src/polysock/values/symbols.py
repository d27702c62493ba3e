"""Interned symbols, plus uninterned ones for gensym and hygiene."""
from __future__ import annotations

import itertools
from typing import Dict


class Symbol:
    """A Scheme symbol; interned symbols compare with ``is``."""

    __slots__ = ("name", "interned", "__weakref__")

    def __init__(self, name: str, interned: bool = True) -> None:
        self.name = name
        self.interned = interned

    def __repr__(self) -> str:
        return self.name if self.interned else f"#<uninterned {self.name}>"

    def __reduce__(self):  # pragma: no cover - pickling keeps identity
        return (intern, (self.name,))


_table: Dict[str, Symbol] = {}
_counter = itertools.count(1)


def intern(name: str) -> Symbol:
    """The unique interned symbol called *name*."""
    s = _table.get(name)
    if s is None:
        s = _table[name] = Symbol(name)
    return s


def gensym(prefix: str = "g") -> Symbol:
    """A fresh uninterned symbol."""
    return Symbol(f"{prefix}{next(_counter)}", interned=False)


sym = intern
