"""Helpers shared by the reader tests: a fake port and structural equality."""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from polysock.values.misc import EOF
from polysock.values.pairs import Pair
from polysock.values.strings import MString


class FakePort:
    """A character source with peek_char/read_char, like a textual input port."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def peek_char(self) -> Any:
        return self.text[self.i] if self.i < len(self.text) else EOF

    def read_char(self) -> Any:
        c = self.peek_char()
        if c is not EOF:
            self.i += 1
        return c

    def rest(self) -> str:
        return self.text[self.i:]


def same_number(a: Any, b: Any) -> bool:
    """eqv? on numbers, with NaN equal to NaN and the sign of zero significant."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        if math.isnan(a):
            return math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, complex):
        return same_number(a.real, b.real) and same_number(a.imag, b.imag)
    return a == b


def equal(a: Any, b: Any) -> bool:
    """equal? for acyclic data (iterative, so long lists are fine)."""
    todo = [(a, b)]
    while todo:
        x, y = todo.pop()
        if isinstance(x, Pair):
            if not isinstance(y, Pair):
                return False
            todo.append((x.cdr, y.cdr))
            todo.append((x.car, y.car))
        elif x.__class__ is list:
            if y.__class__ is not list or len(x) != len(y):
                return False
            todo.extend(zip(x, y))
        elif isinstance(x, MString):
            if not isinstance(y, MString) or x.s != y.s:
                return False
        elif isinstance(x, (int, float, complex, Fraction)) and not isinstance(x, bool):
            if not same_number(x, y):
                return False
        elif x.__class__ is bytearray or x.__class__ is str:
            if x.__class__ is not y.__class__ or x != y:
                return False
        elif x is not y:
            return False
    return True
