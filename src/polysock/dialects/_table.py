"""Dialect tables: ``export``, ``const``, ``value`` and ``install``, plus shared adapters.

A dialect module is a list of entries over the net core::

    EXPORTS = [
        export("socket-accept", accept_only, A.socket),
        export("inet-aton", ipv4_to_int, A.string, args=mstring_args),
        const("*af-inet*", "AF_INET"),
    ]
    install("(srfi 106)", EXPORTS)

``install`` registers each procedure through ``runtime.registry.primitive`` (so every
exported procedure gets the generated arity/type-checking wrapper and a registry
spec) and each constant with ``define_value``. A constant the OS lacks is skipped,
or bound to #f when the entry says ``missing=False`` (CHICKEN's convention).

Adapters: ``args`` maps the Scheme arguments to the core function's arguments (the
Scheme-visible signature is then the adapter's); ``result`` maps the core's result
to a Scheme value. Adapters used by two or more dialects live here.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from ..net import constants
from ..net.sockets import CoreSocket
from ..runtime.argtypes import A, NAMESPACE, Arg
from ..runtime.registry import define_value, primitive
from ..values.conditions import Condition, throw
from ..values.misc import UNSPECIFIED
from ..values.pairs import NIL, Pair, cons
from ..values.strings import MString
from ..values.symbols import Symbol

_NO_DEFAULT: Any = object()


class Export:
    """A procedure entry: Scheme name, core function, arg specs, adapters."""

    __slots__ = ("name", "fn", "specs", "args", "result")

    def __init__(self, name: str, fn: Callable[..., Any], specs: Sequence[Arg],
                 args: Optional[Callable[..., Tuple[Any, ...]]], result: Optional[Callable[[Any], Any]]) -> None:
        self.name, self.fn, self.specs, self.args, self.result = name, fn, tuple(specs), args, result


class Const:
    """A constant entry: Scheme name bound to the value of OS constant ``source``."""

    __slots__ = ("name", "source", "missing")

    def __init__(self, name: str, source: str, missing: Any) -> None:
        self.name, self.source, self.missing = name, source, missing


class Value:
    """A plain value entry (a number, list, or procedure installed without checks)."""

    __slots__ = ("name", "value")

    def __init__(self, name: str, value: Any) -> None:
        self.name, self.value = name, value


Entry = Union[Export, Const, Value]


def export(name: str, fn: Callable[..., Any], *specs: Arg,
           args: Optional[Callable[..., Tuple[Any, ...]]] = None,
           result: Optional[Callable[[Any], Any]] = None) -> Export:
    """Export *fn* as Scheme procedure *name*, checking arguments with *specs*."""
    return Export(name, fn, specs, args, result)


def const(name: str, source: Optional[str] = None, missing: Any = _NO_DEFAULT) -> Const:
    """Export OS constant *source* (default: *name*) as *name*; absent constants are
    skipped unless *missing* gives a stand-in value (e.g. #f)."""
    return Const(name, source or name, missing)


def value(name: str, v: Any) -> Value:
    """Export a plain value."""
    return Value(name, v)


def _compose(e: Export) -> Callable[..., Any]:
    """The Python function registered for *e*: adapters around the core function."""
    fn, args, result = e.fn, e.args, e.result
    if args is None and result is None:
        return fn
    import inspect   # here: a dialect's adapters need it, a plain start does not (~5 ms)
    if args is None:
        @functools.wraps(fn)
        def with_result(*a: Any) -> Any:
            return result(fn(*a))  # type: ignore[misc]
        with_result.__signature__ = inspect.signature(fn)  # type: ignore[attr-defined]
        return with_result
    shape = args

    @functools.wraps(shape)
    def adapted(*a: Any) -> Any:
        r = fn(*shape(*a))
        return result(r) if result is not None else r
    adapted.__signature__ = inspect.signature(shape)  # type: ignore[attr-defined]
    adapted.__doc__ = fn.__doc__ if not shape.__doc__ else shape.__doc__
    return adapted


def install(lib: Union[str, Sequence[str]], entries: Iterable[Entry]) -> Dict[str, Any]:
    """Register *entries* in library *lib* (or each of several names); return {name: value}."""
    libs = [lib] if isinstance(lib, str) else list(lib)
    out: Dict[str, Any] = {}
    for e in entries:
        if isinstance(e, Export):
            impl = _compose(e)
            primitive(e.name, *e.specs, lib=libs[0], also=libs[1:])(impl)
            out[e.name] = impl.prim  # type: ignore[attr-defined]
        elif isinstance(e, Const):
            v = constants.get(e.source)
            if v is None:
                if e.missing is _NO_DEFAULT:
                    continue
                v = e.missing
            for l in libs:
                define_value(l, e.name, v)
            out[e.name] = v
        else:
            for l in libs:
                define_value(l, e.name, e.value)
            out[e.name] = e.value
    return out


# ---------------------------------------------------------------------------
# Argument specs shared by dialects.

NAMESPACE["CoreSocket"] = CoreSocket   # a template: checked inline, not by a call
A.define("core_socket", "socket", "isinstance({x}, CoreSocket)")


# ---------------------------------------------------------------------------
# Shared adapters.

def pystr(x: Any) -> str:
    """Python str of a Scheme string (or a Python str)."""
    return x.s if isinstance(x, MString) else x


def opt_pystr(x: Any) -> Optional[str]:
    """Python str of a Scheme string; #f -> None."""
    return None if x is False else pystr(x)


def to_bytevector(data: Any) -> bytearray:
    """A fresh Scheme bytevector of *data*."""
    return bytearray(data)


def unspecified(_: Any = None) -> Any:
    """Result adapter: discard the core's result."""
    return UNSPECIFIED


def scheme_list(items: Iterable[Any]) -> Any:
    """A Scheme list of *items*."""
    r: Any = NIL
    for x in reversed(list(items)):
        r = cons(x, r)
    return r


def merge_flags(*flags: int) -> int:
    """Bitwise inclusive or of *flags*."""
    r = 0
    for f in flags:
        r |= f
    return r


def purge_flags(base: int, *flags: int) -> int:
    """*base* with every bit of *flags* cleared."""
    for f in flags:
        base &= ~f
    return base


def linger_to_pair(v: Tuple[bool, int]) -> Pair:
    """Core linger (onoff, seconds) -> Scheme pair (onoff-int . seconds)."""
    return cons(1 if v[0] else 0, v[1])


def linger_to_false_or_seconds(v: Tuple[bool, int]) -> Any:
    """Core linger -> #f when off, else seconds (scsh, CHICKEN)."""
    return v[1] if v[0] else False


def symbol_table_lookup(who: str, table: Dict[str, int], name: Any) -> int:
    """The value *table* gives symbol *name*; an "assertion" error "no name defined" else."""
    if isinstance(name, Symbol):
        v = table.get(name.name)
        if v is not None:
            return v
    throw("assertion", who, "no name defined", name)
    raise AssertionError


def condition_data(c: Any, key: str) -> Any:
    """Field *key* of a core condition, or #f."""
    if isinstance(c, Condition):
        v = c.data.get(key)
        return False if v is None else v
    return False


def is_socket_condition(c: Any) -> bool:
    """True for conditions of the socket family (OS, timeout, closed, resolve...)."""
    return isinstance(c, Condition) and (c.is_a("socket") or c.is_a("resolve")
                                         or c.is_a("unsupported"))


__all__ = ["export", "const", "value", "install", "pystr", "opt_pystr", "to_bytevector",
           "unspecified", "scheme_list", "merge_flags", "purge_flags", "linger_to_pair",
           "linger_to_false_or_seconds", "symbol_table_lookup", "condition_data",
           "is_socket_condition", "A", "List"]
