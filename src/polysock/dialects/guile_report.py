"""How Guile 3.0 (``guile --no-auto-compile FILE``, the interpreted path) reports an
uncaught error: after its backtrace, ``ERROR: In procedure SUBR:`` and the formatted
message on the next line; exit status 1.

Guile's own quirks are kept: errors thrown by C primitives repeat ``In procedure SUBR:``
inside the message (``car``, ``+``, ``connect``); ``vector-ref`` range errors do not;
``error`` is reported at its own definition in boot-9.scm; arity errors at the
interpreter's closure for that many parameters, printing the closure with the
interpreter's parameter names ``(a b ...)``. The throw view (key, args) comes from
guile_errors.view so what ``catch`` sees and what is printed agree.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Tuple

from ..values.conditions import Condition
from ..values.pairs import Pair, to_list
from ..values.strings import MString
from ._report import offending_value, proc_shape, user_error, who_name, write

STATUS = 1
#: Where Guile 3.0.8 reports what its own Scheme code raises.
ERROR_AT = "ice-9/boot-9.scm:2007:7"
#: ice-9/eval.scm's closure for N fixed parameters (0..6) and for a rest list.
_FIXED_ARITY_LINE = 330
_REST_ARITY_AT = "ice-9/eval.scm:386:13"
_PARAM_NAMES = "abcdefghijklmnopqrstuvwxyz"
_PAIR_OPS = frozenset({"car", "cdr", "set-car!", "set-cdr!"} | {
    "c" + m + "r" for m in ("aa", "ad", "da", "dd", "aaa", "aad", "ada", "add", "daa", "dad", "dda", "ddd")})


def _in(subr: str, text: str) -> str:
    return f"ERROR: In procedure {subr}:\n{text}"


def _subr(c: Condition) -> str:
    return who_name(c.who) or "primitive-load"


def _wrong_type(c: Condition) -> str:
    subr, v = _subr(c), offending_value(c)
    if subr in _PAIR_OPS:
        return _in(subr, f"In procedure {subr}: Wrong type (expecting pair): {write(v)}")
    pos = c.data.get("position")
    where = f" in position {pos}" if pos else ""
    return _in(subr, f"In procedure {subr}: Wrong type argument{where}: {write(v)}")


def _range(c: Condition) -> str:
    return _in(_subr(c), f"Value out of range: {write(offending_value(c))}")


def procedure_text(proc: Any, fallback: Optional[str]) -> Tuple[str, str]:
    """(where Guile reports the call, the interpreted closure as Guile writes it)."""
    shape = proc_shape(proc)
    if shape is None:
        return _REST_ARITY_AT, f"#<procedure {fallback or 'anonymous'}>"
    name, req, opt, rest = shape
    n = len(req) + len(opt)
    params = list(_PARAM_NAMES[:n])
    if rest is not None or opt:
        at = _REST_ARITY_AT
        formals = "(" + " ".join(params) + " . rest)" if params else "rest"
    else:
        at = f"ice-9/eval.scm:{_FIXED_ARITY_LINE + 3 * n}:13"
        formals = "(" + " ".join(params) + ")"
    return at, f"#<procedure {name or 'anonymous'} {formals}>" if name else f"#<procedure {formals}>"


def _arity(c: Condition) -> str:
    at, proc = procedure_text(c.data.get("procedure"), who_name(c.who))
    return f"{at}: Wrong number of arguments to {proc}"


def _unbound(c: Condition) -> str:
    name = write(c.irritants[0]) if c.irritants else who_name(c.who) or "?"
    return _in("%resolve-variable", f"Unbound variable: {name}")


def _not_procedure(c: Condition) -> str:
    v = write(c.data["value"]) if "value" in c.data else "#<unknown>"
    return _in("primitive-load", f"Wrong type to apply: {v}")


def _throw(key: Any, args: Any) -> str:
    return _in("primitive-load", f"Throw to key `{write(key)}' with args `{write(args)}'.")


def _general(c: Condition) -> str:
    from .guile_errors import K_SYSTEM, K_WRONG_TYPE, format_message, view
    key, args = view(c)
    items = to_list(args) if isinstance(args, Pair) else None
    if items is not None and len(items) == 4 and isinstance(items[1], MString):
        subr, fmt, fargs, _rest = items
        fmt_s = fmt.s if isinstance(fmt, MString) else str(fmt)
        text = format_message(fmt_s, list(to_list(fargs) or []) if fargs is not False else [])
        if user_error(c) and subr is False:
            return f"{ERROR_AT}: In procedure error:\n{text}"
        name = subr.s if isinstance(subr, MString) else who_name(subr)
        if name is None:
            return f"ERROR: {text}"
        if isinstance(c.who, MString):     # the program's own scm-error: reported in scm-error
            return _in("scm-error", f"In procedure {name}: {text}")
        if key is K_SYSTEM or key is K_WRONG_TYPE:   # thrown by a C primitive
            text = f"In procedure {name}: {text}"
        return _in(name, text)
    return _throw(key, args)


RENDER: Dict[str, Callable[[Condition], str]] = {
    "wrong-type": _wrong_type, "range": _range, "arity": _arity, "unbound": _unbound,
    "not-procedure": _not_procedure,
}


def report(payload: Any) -> Tuple[str, int]:
    """Guile's report of an uncaught *payload* and ``guile``'s exit status."""
    if payload.__class__ is not Condition:
        from .guile_errors import view
        return _throw(*view(payload)), STATUS
    c: Condition = payload
    render = RENDER.get(c.kind) if "guile_key" not in c.data else None
    return (render or _general)(c), STATUS
