"""How CHICKEN 5 (``csi -s FILE``) reports an uncaught error: a blank line, then
``Error: (location) message`` with the arguments (one: ``: arg``; several: each written
on its own line), then its call history; exit status 70.

Conditions the socket egg and the CHICKEN modules raise already carry CHICKEN's words
(chicken_conditions.components); core conditions (type, bounds, arity, unbound variable)
are reworded here the way CHICKEN's runtime words them.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Tuple

from ..values.conditions import Condition
from ..values.strings import MString
from ._report import arity_counts, offending_value, proc_shape, who_name, write

STATUS = 70


def _args_text(head: str, args: Tuple[Any, ...]) -> str:
    if len(args) == 1:
        return f"{head}: {write(args[0])}"
    return head + "".join("\n" + write(a) for a in args)


def _loc(c: Condition) -> str:
    name = who_name(c.who)
    return f"({name}) " if name else ""


def _wrong_type(c: Condition) -> str:
    from .chicken_conditions import TYPE_MESSAGES, error_message_text
    if c.data.get("expected") in TYPE_MESSAGES or "ck_kinds" in c.data or "ck" in c.data:
        return error_message_text(c, "Error")[len("Error: "):]
    msg = "bad argument type - not a number" if c.data.get("expected") == "number" else "bad argument type"
    return _args_text(_loc(c) + msg, (offending_value(c),))


def _range(c: Condition) -> str:
    if "ck_kinds" in c.data or "ck" in c.data:
        from .chicken_conditions import error_message_text
        return error_message_text(c, "Error")[len("Error: "):]
    return _args_text(_loc(c) + "out of range", (offending_value(c),))


def procedure_text(proc: Any, fallback: str) -> str:
    """CHICKEN's written form of a procedure: ``#<procedure (f x #!optional y . r)>``."""
    shape = proc_shape(proc)
    if shape is None:
        return f"#<procedure ({fallback})>"
    name, req, opt, rest = shape
    parts = [name or "?"] + req + (["#!optional"] + opt if opt else [])
    inner = " ".join(parts) + (f" . {rest}" if rest else "")
    return f"#<procedure ({inner})>"


def _arity(c: Condition) -> str:
    given, bounds = arity_counts(c)
    proc = procedure_text(c.data.get("procedure"), who_name(c.who) or "?")
    if given is None or bounds is None:
        return f"bad argument count: {proc}"
    lo, hi = bounds
    if hi is None and given < lo:
        return f"too few arguments - received {given} but expected {lo}: {proc}"
    return f"bad argument count - received {given} but expected {lo if given < lo else hi}: {proc}"


def _unbound(c: Condition) -> str:
    name = write(c.irritants[0]) if c.irritants else who_name(c.who) or "?"
    return f"unbound variable: {name}"


def _not_procedure(c: Condition) -> str:
    if "value" in c.data:
        return f"call of non-procedure: {write(c.data['value'])}"
    return "call of non-procedure"


def _assertion(c: Condition) -> str:
    if who_name(c.who) == "assert" and c.irritants:
        return f"assertion failed: {write(c.irritants[0])}"
    return _general(c)


def _general(c: Condition) -> str:
    from .chicken_conditions import error_message_text
    return error_message_text(c, "Error")[len("Error: "):]


RENDER: Dict[str, Callable[[Condition], str]] = {
    "wrong-type": _wrong_type, "range": _range, "arity": _arity, "unbound": _unbound,
    "not-procedure": _not_procedure, "assertion": _assertion,
}


def report(payload: Any) -> Tuple[str, int]:
    """CHICKEN's report of an uncaught *payload* and csi's exit status."""
    if payload.__class__ is not Condition:
        body = payload.s if payload.__class__ is MString else f"uncaught exception: {write(payload)}"
    else:
        body = RENDER.get(payload.kind, _general)(payload)
    return "\nError: " + body, STATUS
