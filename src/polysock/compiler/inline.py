"""Primitives the compiler open-codes, when the operator is the registered primitive.

Each entry maps a Scheme name to a builder ``(args: list[ast.expr], consts: list) ->
ast.expr | None`` (None: not inlinable for these operands). Only operations whose
Python meaning equals the Scheme meaning on every valid operand are inlined; on an
invalid operand Python raises TypeError/AttributeError, which the runtime converts
into the wrong-type condition of the named primitive using the site table
(values.conditions.SITES) filled by the code generator.
"""
from __future__ import annotations

import ast
from typing import Any, Callable, Dict, List, Optional

from ..values.misc import Keyword
from ..values.pairs import NIL
from ..values.symbols import Symbol

_UNSET = object()

Builder = Callable[[List[ast.expr], List[Any], Callable[[str], ast.expr]], Optional[ast.expr]]
INLINE: Dict[str, Builder] = {}


def inline(*names: str) -> Callable[[Builder], Builder]:
    def deco(fn: Builder) -> Builder:
        for n in names:
            INLINE[n] = fn
        return fn
    return deco


def _chain(op: ast.operator) -> Builder:
    def build(args: List[ast.expr], consts: List[Any], helper: Callable[[str], ast.expr]) -> Optional[ast.expr]:
        if len(args) < 2:
            return None
        e = args[0]
        for a in args[1:]:
            e = ast.BinOp(e, op, a)
        return e
    return build


INLINE["+"] = _chain(ast.Add())
INLINE["*"] = _chain(ast.Mult())


@inline("-")
def _minus(args: List[ast.expr], consts: List[Any], helper: Callable[[str], ast.expr]) -> Optional[ast.expr]:
    if len(args) == 1:
        return ast.UnaryOp(ast.USub(), args[0])
    return _chain(ast.Sub())(args, consts, helper)


def _cmp(op_cls: type) -> Builder:
    def build(args: List[ast.expr], consts: List[Any], helper: Callable[[str], ast.expr]) -> Optional[ast.expr]:
        if len(args) < 2:
            return None
        return ast.Compare(args[0], [op_cls() for _ in args[1:]], args[1:])
    return build


INLINE["<"] = _cmp(ast.Lt)
INLINE[">"] = _cmp(ast.Gt)
INLINE["<="] = _cmp(ast.LtE)
INLINE[">="] = _cmp(ast.GtE)


def _is_num_const(c: Any) -> bool:
    return c is not _UNSET and c.__class__ in (int, float)


@inline("=")
def _num_eq(args: List[ast.expr], consts: List[Any], helper: Callable[[str], ast.expr]) -> Optional[ast.expr]:
    if len(args) == 2 and (_is_num_const(consts[0]) or _is_num_const(consts[1])):
        return ast.Compare(args[0], [ast.Eq()], [args[1]])
    return None


def _identity_const(c: Any) -> bool:
    return c is not _UNSET and (c.__class__ in (Symbol, bool, Keyword) or c is NIL)


@inline("eq?", "eqv?")
def _eq(args: List[ast.expr], consts: List[Any], helper: Callable[[str], ast.expr]) -> Optional[ast.expr]:
    if len(args) != 2:
        return None
    if _identity_const(consts[0]) or _identity_const(consts[1]):
        return ast.Compare(args[0], [ast.Is()], [args[1]])
    if any(c is not _UNSET and c.__class__ is str for c in consts):
        return ast.Compare(args[0], [ast.Eq()], [args[1]])
    return None


@inline("not")
def _not(args: List[ast.expr], consts: List[Any], helper: Callable[[str], ast.expr]) -> Optional[ast.expr]:
    if len(args) != 1:
        return None
    return ast.Compare(args[0], [ast.Is()], [ast.Constant(False)])


@inline("null?")
def _null(args: List[ast.expr], consts: List[Any], helper: Callable[[str], ast.expr]) -> Optional[ast.expr]:
    if len(args) != 1:
        return None
    return ast.Compare(args[0], [ast.Is()], [helper("NIL")])


@inline("pair?")
def _pairp(args: List[ast.expr], consts: List[Any], helper: Callable[[str], ast.expr]) -> Optional[ast.expr]:
    if len(args) != 1:
        return None
    return ast.Call(helper("isinstance"), [args[0], helper("Pair")], [])


def _cxr(path: str) -> Builder:
    def build(args: List[ast.expr], consts: List[Any], helper: Callable[[str], ast.expr]) -> Optional[ast.expr]:
        if len(args) != 1:
            return None
        e = args[0]
        for ch in reversed(path):
            e = ast.Attribute(e, "car" if ch == "a" else "cdr", ast.Load())
        return e
    return build


for _p in ("a", "d", "aa", "ad", "da", "dd", "add", "ddd", "addd"):
    INLINE[f"c{_p}r"] = _cxr(_p)


@inline("cons")
def _cons(args: List[ast.expr], consts: List[Any], helper: Callable[[str], ast.expr]) -> Optional[ast.expr]:
    if len(args) != 2:
        return None
    return ast.Call(helper("cons"), args, [])


@inline("set-car!", "set-cdr!")
def _setc(args: List[ast.expr], consts: List[Any], helper: Callable[[str], ast.expr]) -> Optional[ast.expr]:
    return None   # statements; handled as ordinary calls
