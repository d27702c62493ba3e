"""write / display: Scheme values -> text that the reader reads back.

Theory of operation
-------------------
Printing is two passes, both with explicit stacks so that neither a million-element
list nor a deeply car-nested tree recurses in Python.

1. *Labels* (``_find_labels``): a depth-first walk over pairs and non-empty vectors
   that returns the ids needing a datum label. In ``"cycles"`` mode (``write`` and
   ``display``) these are the targets of back edges — an object reached again while
   it is still being walked — which is enough to break every cycle. In ``"shared"``
   mode (``write-shared``) every object reached twice is labelled. ``"none"`` mode
   (``write-simple``) skips the pass and may loop on circular data, as R7RS allows.
2. *Emit* (``_emit``): a work stack of ``(op, value)`` items: print an object, emit
   literal text, or continue a list after its first element. A list's cdr chain is
   followed iteratively; a labelled cdr switches to dotted notation (``. #0=(...)``).
   Labels are numbered in order of first appearance in the output.

Atoms are printed through ``PRINTERS``, a table from exact Python type to
``f(obj, write: bool) -> str``; other layers (ports, sockets, records with custom
printers) register their types there. Unregistered subclasses fall back to their
nearest registered base class; a callable prints as ``#<procedure name>``; anything
else as ``#<type-name>``.
"""
from __future__ import annotations

import math
import re
import sys
from fractions import Fraction
from typing import Any, Callable, Dict, List, Optional

from ..values.conditions import Condition
from ..values.misc import (UNSPECIFIED, Environment, Keyword, MultipleValues, Promise, Record,
                           RecordType)
from ..values.numbers import ExactComplex, Rational
from ..values.pairs import NIL, Nil, Pair, SrcPair
from ..values.procedures import procedure_name
from ..values.strings import MString
from ..values.symbols import Symbol
from .lexer import CHAR_WRITE_NAMES, HashBangMarker
from .numparse import parse_number

if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)

Printer = Callable[[Any, bool], str]

# ---------------------------------------------------------------- numbers

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_FORMAT_CODE = {2: "b", 8: "o", 16: "x"}


def _int_text(n: int, radix: int) -> str:
    """An exact integer in *radix* (2..36)."""
    if radix == 10:
        return str(n)
    code = _FORMAT_CODE.get(radix)
    if code is not None:
        return format(n, code)
    if not 2 <= radix <= 36:
        raise ValueError(f"bad radix {radix}")
    if n == 0:
        return "0"
    sign, n = ("-", -n) if n < 0 else ("", n)
    out: List[str] = []
    while n:
        n, r = divmod(n, radix)
        out.append(_DIGITS[r])
    return sign + "".join(reversed(out))


def _flo_text(x: float) -> str:
    """A flonum: 1.0, -0.5, 1.0e+100, 1.5e-07, +inf.0, -inf.0, +nan.0."""
    if x != x:
        return "+nan.0"
    if math.isinf(x):
        return "+inf.0" if x > 0 else "-inf.0"
    r = repr(x)
    if "e" in r:
        mant, _, exp = r.partition("e")
        if "." not in mant:
            mant += ".0"     # 1.0e+100, 5.0e-324: the mantissa always reads as inexact
        return f"{mant}e{exp}"
    return r


def format_number(x: Any, radix: int = 10) -> str:
    """Scheme text for a number; *radix* applies to exact numbers (inexact ones are decimal)."""
    cls = x.__class__
    if cls is int:
        return _int_text(x, radix)
    if cls is float:
        return _flo_text(x)
    if isinstance(x, Fraction):
        return f"{_int_text(x.numerator, radix)}/{_int_text(x.denominator, radix)}"
    if cls is complex:
        re_t, im_t = _flo_text(x.real), _flo_text(x.imag)
        if im_t[0] not in "+-":
            im_t = "+" + im_t
        return f"{re_t}{im_t}i"
    if cls is ExactComplex:
        return _exact_complex_text(x, radix)
    if isinstance(x, int) and not isinstance(x, bool):
        return _int_text(int(x), radix)
    raise TypeError(f"not a number: {x!r}")


def _exact_complex_text(z: ExactComplex, radix: int) -> str:
    """1+2i, 1/2-3/4i, +i, -i, -2i: a zero real part and a unit imaginary part are left out."""
    im = z.im
    if im == 1 or im == -1:
        im_t = "+" if im > 0 else "-"
    else:
        im_t = format_number(im, radix)
        if im_t[0] != "-":
            im_t = "+" + im_t
    re_t = "" if z.re == 0 else format_number(z.re, radix)
    return f"{re_t}{im_t}i"


# ---------------------------------------------------------------- atoms

_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r",
                   "\a": "\\a", "\b": "\\b", "|": "\\|"}
_NEEDS_ESC_STRING = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029]')
_NEEDS_ESC_SYMBOL = re.compile(r"[\\|\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BAR_CHARS = re.compile(r"[\s()\[\]\";'`,|\\]")


def _escape(m: "re.Match[str]") -> str:
    c = m.group(0)
    return _STRING_ESCAPES.get(c) or f"\\x{ord(c):x};"


def write_string_literal(s: str) -> str:
    """A string in double quotes with R7RS escapes."""
    return '"' + _NEEDS_ESC_STRING.sub(_escape, s) + '"'


def _needs_bars(name: str) -> bool:
    """True when *name* would not read back as this symbol without |...|."""
    if not name or name == "." or name[0] == "#":
        return True
    if _BAR_CHARS.search(name) or not name.isprintable():
        return True
    c = name[0]
    if c.isdigit() or c in "+-.":
        if name[:6].lower() in ("+nan.0", "-nan.0", "+inf.0", "-inf.0"):
            return True   # a reader could take the prefix for a number
        return parse_number(name) is not None
    return False


def write_symbol(name: str) -> str:
    """A symbol name as ``write`` prints it (barred when needed)."""
    if _needs_bars(name):
        return "|" + _NEEDS_ESC_SYMBOL.sub(_escape, name) + "|"
    return name


def write_char(c: str) -> str:
    """A character as ``write`` prints it: #\\a, #\\space, #\\x7f."""
    name = CHAR_WRITE_NAMES.get(c)
    if name is not None:
        return "#\\" + name
    if c.isprintable() and not c.isspace():
        return "#\\" + c
    return f"#\\x{ord(c):x}"


def _p_bool(x: bool, write: bool) -> str:
    return "#t" if x else "#f"


def _p_number(x: Any, write: bool) -> str:
    return format_number(x)


def _p_char(x: str, write: bool) -> str:
    if len(x) != 1:
        return x
    return write_char(x) if write else x


def _p_string(x: MString, write: bool) -> str:
    return write_string_literal(x.s) if write else x.s


def _p_symbol(x: Symbol, write: bool) -> str:
    return write_symbol(x.name) if write else x.name


def _p_bytevector(x: bytearray, write: bool) -> str:
    return "#u8(" + " ".join(map(str, x)) + ")"


def _p_values(x: MultipleValues, write: bool) -> str:
    f = write_string if write else display_string
    return " ".join(f(v) for v in x.vals)


def _record_name(rt: RecordType) -> str:
    n = str(rt.name)
    return n[1:-1] if len(n) > 2 and n[0] == "<" and n[-1] == ">" else n


def _p_record(x: Record, write: bool) -> str:
    parts = [_record_name(x.rtype)] + [write_string(v) for v in x.vals]
    return "#<" + " ".join(parts) + ">"


def _p_condition(x: Condition, write: bool) -> str:
    who = "" if x.who is None or x.who is False else f" {display_string(x.who)}:"
    irritants = "".join(" " + write_string(i) for i in x.irritants)
    return f"#<condition {x.kind}{who} {x.message}{irritants}>"


def _const(text: str) -> Printer:
    return lambda x, write: text


PRINTERS: Dict[type, Printer] = {
    bool: _p_bool,
    int: _p_number, float: _p_number, complex: _p_number, Rational: _p_number,
    Fraction: _p_number, ExactComplex: _p_number,
    str: _p_char,
    MString: _p_string,
    Symbol: _p_symbol,
    Nil: _const("()"),
    bytearray: _p_bytevector,
    Keyword: lambda x, write: f"#:{x.name}",
    HashBangMarker: lambda x, write: f"#!{x.name}",
    type(UNSPECIFIED): lambda x, write: repr(x),   # the misc singletons: #<unspecified>, #<eof>, #!default
    MultipleValues: _p_values,
    Record: _p_record,
    RecordType: lambda x, write: f"#<record-type {_record_name(x)}>",
    Promise: _const("#<promise>"),
    Environment: _const("#<environment>"),
    Condition: _p_condition,
}
"""Type -> printer(obj, write) for every non-pair, non-vector value. Extend freely."""


def _atom(x: Any, write: bool) -> str:
    """Text of an object that is not a pair or vector."""
    f = PRINTERS.get(x.__class__)
    if f is None:
        for k in x.__class__.__mro__[1:]:
            f = PRINTERS.get(k)
            if f is not None:
                break
        else:
            if callable(x):
                return f"#<procedure {procedure_name(x)}>"
            return f"#<{x.__class__.__name__}>"
    return f(x, write)


# ---------------------------------------------------------------- structure

_NODE_CLASSES = frozenset((Pair, SrcPair, list))
"""Classes whose instances may be shared or circular (pairs and vectors)."""


def _find_labels(root: Any, shared: bool) -> Optional[Dict[int, int]]:
    """Ids of pairs/vectors that need datum labels (-1 = label not yet emitted).

    Depth-first walk with an explicit stack holding nodes to enter and, below each
    entered node's children, the node's id as its exit marker (ints are never nodes).
    A node is "on the path" (state True) from entry to exit."""
    nodes = _NODE_CLASSES
    if root.__class__ not in nodes:
        return None
    state: Dict[int, bool] = {}
    need: Dict[int, int] = {}
    todo: List[Any] = [root]
    pop, push = todo.pop, todo.append
    while todo:
        x = pop()
        if x.__class__ is int:
            state[x] = False
            continue
        i = id(x)
        s = state.get(i)
        if s is not None:
            if s or shared:
                need[i] = -1
            continue
        if x.__class__ is list:
            if not x:
                continue
            state[i] = True
            push(i)
            for e in reversed(x):
                if e.__class__ in nodes:
                    push(e)
            continue
        state[i] = True
        push(i)
        d = x.cdr
        if d.__class__ in nodes:
            push(d)
        a = x.car
        if a.__class__ in nodes:
            push(a)
    return need or None


_OBJ, _TEXT, _TAIL = 0, 1, 2


def _emit(root: Any, write: bool, labels: Optional[Dict[int, int]]) -> str:
    """Print *root*, using and numbering *labels* (see _find_labels)."""
    out: List[str] = []
    add = out.append
    stack: List[Any] = [(_OBJ, root)]
    counter = 0
    while stack:
        op, x = stack.pop()
        if op == _TEXT:
            add(x)
            continue
        if op == _TAIL:
            if x is NIL:
                add(")")
                continue
            c = x.__class__
            if (c is Pair or c is SrcPair) and (labels is None or id(x) not in labels):
                add(" ")
                stack.append((_TAIL, x.cdr))
                stack.append((_OBJ, x.car))
                continue
            add(" . ")
            stack.append((_TEXT, ")"))
            stack.append((_OBJ, x))
            continue
        cls = x.__class__
        if cls is Pair or cls is SrcPair or cls is list:
            if labels is not None:
                n = labels.get(id(x))
                if n is not None:
                    if n >= 0:
                        add(f"#{n}#")
                        continue
                    labels[id(x)] = counter
                    add(f"#{counter}=")
                    counter += 1
            if cls is list:
                if not x:
                    add("#()")
                    continue
                add("#(")
                stack.append((_TEXT, ")"))
                for i in range(len(x) - 1, 0, -1):
                    stack.append((_OBJ, x[i]))
                    stack.append((_TEXT, " "))
                stack.append((_OBJ, x[0]))
            else:
                add("(")
                stack.append((_TAIL, x.cdr))
                stack.append((_OBJ, x.car))
            continue
        add(_atom(x, write))
    return "".join(out)


def write_string(obj: Any) -> str:
    """``write``: machine-readable; datum labels only where cycles need them."""
    return _emit(obj, True, _find_labels(obj, shared=False))


def display_string(obj: Any) -> str:
    """``display``: strings and chars raw, symbols bare; cycles still labelled."""
    return _emit(obj, False, _find_labels(obj, shared=False))


def write_shared_string(obj: Any) -> str:
    """``write-shared``: datum labels for every shared pair or vector."""
    return _emit(obj, True, _find_labels(obj, shared=True))


def write_simple_string(obj: Any) -> str:
    """``write-simple``: no datum labels (loops forever on circular data)."""
    return _emit(obj, True, None)


__all__ = ["PRINTERS", "format_number", "write_string", "display_string",
           "write_shared_string", "write_simple_string", "write_char", "write_symbol",
           "write_string_literal"]
