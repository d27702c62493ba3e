"""Procedural macro transformers: explicit renaming (er), implicit renaming (ir),
syntactic closures (sc, rsc) and non-hygienic define-macro.

Each maker returns a transformer ``fn(form, use_env, expander) -> datum`` for a
scope.Macro. The user procedure is a Scheme procedure, called as a Python callable.
"""
from __future__ import annotations

from typing import Any, Callable, Dict

from ..values.pairs import NIL, Pair, to_list, cons
from ..values.symbols import Symbol
from .scope import Renamed, free_identifier_eq, is_identifier, strip


def _renamer(env: Any) -> Callable[[Any], Any]:
    table: Dict[Any, Renamed] = {}

    def rename(sym: Any) -> Any:
        r = table.get(sym)
        if r is None:
            r = table[sym] = Renamed(sym, env)
        return r
    rename.__name__ = "rename"
    return rename


def _comparer(use_env: Any) -> Callable[[Any, Any], bool]:
    def compare(a: Any, b: Any) -> bool:
        if is_identifier(a) and is_identifier(b):
            return free_identifier_eq(a, use_env, b, use_env)
        return a is b
    compare.__name__ = "compare"
    return compare


class _Injected:
    """An input identifier travelling through an ir-macro: left as written on output."""

    __slots__ = ("ident",)

    def __init__(self, ident: Any) -> None:
        self.ident = ident


def _map(x: Any, f: Callable[[Any], Any]) -> Any:
    if isinstance(x, Pair):
        items = []
        while isinstance(x, Pair):
            items.append(_map(x.car, f))
            x = x.cdr
        tail = _map(x, f)
        for it in reversed(items):
            tail = cons(it, tail)
        return tail
    if x.__class__ is list:
        return [_map(e, f) for e in x]
    return f(x)


def make_procedural(kind: str, proc: Any, env: Any) -> Callable[..., Any]:
    if kind == "er-macro-transformer":
        def er(form: Any, use_env: Any, exp: Any = None) -> Any:
            return proc(form, _renamer(env), _comparer(use_env))
        return er
    if kind == "ir-macro-transformer":
        def ir(form: Any, use_env: Any, exp: Any = None) -> Any:
            wrapped = _map(form, lambda a: _Injected(a) if is_identifier(a) else a)
            rename = _renamer(env)

            def inject(x: Any) -> Any:
                return _Injected(x) if is_identifier(x) else x
            out = proc(wrapped, inject, _comparer(use_env))
            return _map(out, lambda a: a.ident if isinstance(a, _Injected)
                        else (rename(a) if is_identifier(a) else a))
        return ir
    if kind == "rsc-macro-transformer":
        def rsc(form: Any, use_env: Any, exp: Any = None) -> Any:
            return proc(form, use_env)
        return rsc
    if kind == "sc-macro-transformer":
        def sc(form: Any, use_env: Any, exp: Any = None) -> Any:
            rename = _renamer(env)
            out = proc(form, use_env)
            return _map(out, lambda a: rename(a) if a.__class__ is Symbol else a)
        return sc
    raise ValueError(kind)


def make_define_macro(proc: Any) -> Callable[..., Any]:
    """A non-hygienic macro: *proc* receives the operands of the use, unevaluated."""
    def transformer(form: Any, use_env: Any, exp: Any = None) -> Any:
        args = to_list(form.cdr)
        if args is None:
            from .forms import syntax_error
            raise syntax_error("macro use: improper form", form)
        return proc(*[strip(a) for a in args])
    return transformer
