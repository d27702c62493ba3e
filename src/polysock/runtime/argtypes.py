"""Argument specs for primitives: a Scheme name ("string", "index") and a test.

A test is a Python expression over ``{x}`` (inlined into the generated checking
wrapper, so a check costs a few bytecodes) or a predicate function. Modules add
their own types with ``define`` (ports, sockets, threads...).
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional

from ..values.misc import Record, RecordType
from ..values.numbers import EXACT_CLASSES, EXACT_NUMBER_CLASSES, NUMBER_CLASSES, REAL_CLASSES, Rational
from ..values.pairs import NIL, Pair
from ..values.strings import MString
from ..values.symbols import Symbol


class Arg:
    """One argument spec. ``test`` is an expression template or ``pred`` a callable."""

    __slots__ = ("name", "test", "pred", "_fn")

    def __init__(self, name: str, test: Optional[str] = None, pred: Optional[Callable[[Any], bool]] = None) -> None:
        self.name = name
        self.test = test
        self.pred = pred
        self._fn: Optional[Callable[[Any], bool]] = None

    def check(self, x: Any) -> bool:
        if self.pred is not None:
            return bool(self.pred(x))
        if self.test is None:
            return True
        return bool(self.function()(x))

    def function(self) -> Callable[[Any], Any]:
        """The test as a one-argument function (compiled once): a spec given as a
        test serves as the module's predicate too, so the logic is written once."""
        fn = self._fn
        if fn is None:
            if self.pred is not None:
                return self.pred
            fn = self._fn = eval(compile("lambda x: " + (self.test or "True").format(x="x"),
                                         "<polysock-argtype>.py", "eval"), NAMESPACE)
        return fn

    def __repr__(self) -> str:
        return f"<arg {self.name}>"


# Names the test templates may use.
NAMESPACE: Dict[str, Any] = {
    "MString": MString, "Symbol": Symbol, "Pair": Pair, "NIL": NIL, "Rational": Rational,
    "NUMS": NUMBER_CLASSES, "REALS": REAL_CLASSES, "EXACTS": EXACT_NUMBER_CLASSES,
    "Record": Record, "RecordType": RecordType,
}


def _is_integer(x: Any) -> bool:
    c = x.__class__
    return c is int or (c is float and x.is_integer())


class _Specs:
    """The table of specs, reached as attributes: ``A.string``, ``A.index``..."""

    def __init__(self) -> None:
        self._table: Dict[str, Arg] = {}

    def define(self, key: str, name: str, test: Optional[str] = None,
               pred: Optional[Callable[[Any], bool]] = None) -> Arg:
        """Add a spec under attribute *key* with Scheme-visible *name*."""
        a = Arg(name, test, pred)
        self._table[key] = a
        setattr(self, key, a)
        return a

    def or_false(self, spec: Arg) -> Arg:
        """*spec* or #f."""
        if spec.test is not None:
            return Arg(f"{spec.name} or #f", f"({{x}} is False or {spec.test})")
        p = spec.pred
        assert p is not None
        return Arg(f"{spec.name} or #f", pred=lambda x: x is False or p(x))

    def either(self, name: str, *specs: Arg) -> Arg:
        """Any of *specs*."""
        if all(s.test is not None for s in specs):
            return Arg(name, "(" + " or ".join(s.test for s in specs if s.test) + ")")
        return Arg(name, pred=lambda x: any(s.check(x) for s in specs))


A = _Specs()
A.define("any", "object")
A.define("string", "string", "{x}.__class__ is MString")
A.define("char", "char", "{x}.__class__ is str")
A.define("symbol", "symbol", "{x}.__class__ is Symbol")
A.define("boolean", "boolean", "{x}.__class__ is bool")
A.define("number", "number", "{x}.__class__ in NUMS")
A.define("real", "real number", "{x}.__class__ in REALS")
A.define("rational", "rational number", pred=lambda x: x.__class__ in EXACT_CLASSES or (x.__class__ is float and x == x and x not in (float("inf"), float("-inf"))))
A.define("integer", "integer", "({x}.__class__ is int or ({x}.__class__ is float and {x}.is_integer()))")
A.define("exact_integer", "exact integer", "{x}.__class__ is int")
A.define("exact", "exact number", "{x}.__class__ in EXACTS")
A.define("index", "index", "({x}.__class__ is int and {x} >= 0)")
A.define("byte", "byte", "({x}.__class__ is int and 0 <= {x} <= 255)")
A.define("pair", "pair", "isinstance({x}, Pair)")
A.define("list", "list", "({x} is NIL or isinstance({x}, Pair))")
A.define("vector", "vector", "{x}.__class__ is list")
A.define("bytevector", "bytevector", "{x}.__class__ is bytearray")
A.define("procedure", "procedure", "callable({x})")
A.define("record", "record", "{x}.__class__ is Record")
A.define("record_type", "record type", "{x}.__class__ is RecordType")
