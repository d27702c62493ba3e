"""Mutable Scheme strings. Characters are Python str of length 1."""
from __future__ import annotations

from typing import Any


class MString:
    """A mutable string; ``s`` is the current Python str. Equality is identity (eq?)."""

    __slots__ = ("s",)

    def __init__(self, s: str = "") -> None:
        self.s = s

    def __repr__(self) -> str:
        return f"MString({self.s!r})"

    def __str__(self) -> str:
        return self.s

    def __len__(self) -> int:
        return len(self.s)


def is_char(x: Any) -> bool:
    return x.__class__ is str and len(x) == 1
