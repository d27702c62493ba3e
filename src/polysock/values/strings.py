"""Mutable Scheme strings. Characters are Python str of length 1."""
from __future__ import annotations

from typing import Any

from .misc import WRITES


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


def set_text(m: MString, text: str) -> None:
    """Replace the text of an existing string (a write: see ``misc.WRITES``)."""
    m.s = text
    WRITES[0] += 1


def splice(m: MString, at: int, piece: str) -> None:
    """Overwrite the text of *m* from index *at* with *piece*; the caller has checked
    that it fits."""
    t = m.s
    m.s = t[:at] + piece + t[at + len(piece):]
    WRITES[0] += 1


def is_char(x: Any) -> bool:
    return x.__class__ is str and len(x) == 1
