"""How SCM 5f3 (``scm -f FILE``) reports an uncaught error on standard error: a blank
line, then ``;ERROR: "FILE": who: reason object`` (``;ERROR: message irritants`` for
the program's own ``error`` call), then the expression, environment and ``;STACK TRACE``
lines this renderer does not reproduce; exit status 1.

SCM's ``raise`` is the POSIX signal procedure, so raising a non-integer object is
reported as SCM reports that: ``raise: Wrong type in arg1 OBJ``.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Tuple

from ..values.conditions import Condition
from ..values.strings import MString
from ._report import display, offending_value, proc_shape, source_file, user_error, who_name, write

STATUS = 1


def _where(c: Any) -> str:
    f = source_file(c) or _script()
    return f'"{f}": ' if f else ""


def _script() -> Optional[str]:
    """The program file polysock was started on (SCM names the file being loaded)."""
    try:
        from ..runtime.system import COMMAND_LINE
    except ImportError:  # pragma: no cover
        return None
    first = COMMAND_LINE[0] if COMMAND_LINE else None
    return first if isinstance(first, str) and first not in ("polysock", "-") else None


def _wrong_type(c: Condition) -> str:
    pos = c.data.get("position")
    arg = f" in arg{pos}" if isinstance(pos, int) else ""
    return f"{who_name(c.who) or '?'}: Wrong type{arg} {write(offending_value(c))}"


def _range(c: Condition) -> str:
    return f"{who_name(c.who) or '?'}: Argument out of range {write(offending_value(c))}"


def _unbound(c: Condition) -> str:
    name = write(c.irritants[0]) if c.irritants else who_name(c.who) or "?"
    return f"unbound variable:  {name}"


def closure_text(proc: Any, file: Optional[str], fallback: Optional[str]) -> str:
    """SCM's written closure without its body: ``#<CLOSURE f "FILE": (x y)>``."""
    shape = proc_shape(proc)
    if shape is None:
        return f"#<CLOSURE {fallback or '<anon>'}>"
    name, req, opt, rest = shape
    params = req + (["#!optional"] + opt if opt else [])
    formals = ("(" + " ".join(params) + (f" . {rest})" if rest else ")")) if params else (rest or "()")
    where = f' "{file}"' if file else ""
    return f"#<CLOSURE {name or '<anon>'}{where}: {formals}>"


def _arity(c: Condition) -> str:
    return "Wrong number of args given " + closure_text(c.data.get("procedure"), source_file(c), who_name(c.who))


def _not_procedure(c: Condition) -> str:
    return "Wrong type to apply:  " + (write(c.data["value"]) if "value" in c.data else "?")


def _general(c: Condition) -> str:
    who = who_name(c.who)
    parts = [c.message] + [write(x) for x in c.irritants]
    return (f"{who}: " if who else "") + " ".join(p for p in parts if p)


RENDER: Dict[str, Callable[[Condition], str]] = {
    "wrong-type": _wrong_type, "range": _range, "unbound": _unbound, "arity": _arity,
    "not-procedure": _not_procedure,
}


def report(payload: Any) -> Tuple[str, int]:
    """SCM's report of an uncaught *payload* and ``scm -f``'s exit status."""
    if payload.__class__ is not Condition:
        return f"\n;ERROR: {_where(payload)}raise: Wrong type in arg1 {write(payload)}", STATUS
    c: Condition = payload
    if user_error(c):
        first = c.who if c.who not in (None, False) else c.payload
        rest = ([c.payload] if c.who not in (None, False) else []) + list(c.irritants)
        first_text = first.s if isinstance(first, MString) else display(first)
        return "\n;ERROR: " + " ".join([first_text] + [write(x) for x in rest]), STATUS
    return "\n;ERROR: " + _where(c) + RENDER.get(c.kind, _general)(c), STATUS
