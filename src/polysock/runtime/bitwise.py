"""Bitwise operations on exact integers (SRFI 151 names), shared by the dialects."""
from __future__ import annotations

from .argtypes import A
from .registry import primitive

LIBS = ("(srfi 151)",)


@primitive("bitwise-and", A.exact_integer, lib="(polysock extras)", also=LIBS)
def bitwise_and(*xs: int) -> int:
    """(bitwise-and n ...) -> integer"""
    r = -1
    for x in xs:
        r &= x
    return r


@primitive("bitwise-ior", A.exact_integer, lib="(polysock extras)", also=LIBS)
def bitwise_ior(*xs: int) -> int:
    """(bitwise-ior n ...) -> integer"""
    r = 0
    for x in xs:
        r |= x
    return r


@primitive("bitwise-xor", A.exact_integer, lib="(polysock extras)", also=LIBS)
def bitwise_xor(*xs: int) -> int:
    """(bitwise-xor n ...) -> integer"""
    r = 0
    for x in xs:
        r ^= x
    return r


@primitive("bitwise-not", A.exact_integer, lib="(polysock extras)", also=LIBS)
def bitwise_not(x: int) -> int:
    """(bitwise-not n) -> integer"""
    return ~x


@primitive("arithmetic-shift", A.exact_integer, A.exact_integer, lib="(polysock extras)", also=LIBS)
def arithmetic_shift(x: int, n: int) -> int:
    """(arithmetic-shift n count) -> integer"""
    return x << n if n >= 0 else x >> -n
