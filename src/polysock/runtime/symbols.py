"""Symbols and booleans: the (scheme base) procedures on these atoms."""
from __future__ import annotations

from typing import Any

from ..values.strings import MString
from ..values.symbols import Symbol, intern
from .argtypes import A
from .registry import primitive

SYM = A.symbol
BOOL = A.boolean


class _No:
    """Marker for an absent optional argument (never a Scheme value)."""

    __slots__ = ()


_NO: Any = _No()


@primitive("symbol?", A.any)
def symbol_p(x: Any) -> bool:
    """(symbol? obj) -> boolean"""
    return x.__class__ is Symbol


@primitive("symbol=?", SYM, SYM, SYM)
def symbol_eq_p(a: Symbol, b: Any = _NO, *rest: Symbol) -> bool:
    """(symbol=? symbol1 symbol2 ...) -> boolean"""
    if b is _NO:
        return True
    return a is b and all(x is a for x in rest)


@primitive("symbol->string", A.symbol)
def symbol_to_string(s: Symbol) -> MString:
    """(symbol->string symbol) -> string"""
    return MString(s.name)


@primitive("string->symbol", A.string)
def string_to_symbol(s: MString) -> Symbol:
    """(string->symbol string) -> symbol"""
    return intern(s.s)


@primitive("boolean?", A.any)
def boolean_p(x: Any) -> bool:
    """(boolean? obj) -> boolean"""
    return x is True or x is False


@primitive("boolean=?", BOOL, BOOL, BOOL)
def boolean_eq_p(a: bool, b: Any = _NO, *rest: bool) -> bool:
    """(boolean=? boolean1 boolean2 ...) -> boolean"""
    if b is _NO:
        return True
    return a is b and all(x is a for x in rest)
