"""Shared helpers for the dialects' uncaught-error reports (DialectSpec.report).

Each dialect's ``<name>_report.py`` renders the payload of an uncaught error the way its
real system prints it when running a script; these helpers read what every renderer
needs from a core condition: the shape of a procedure (for arity reports), the
offending value, the file the error happened in, written/displayed text.
"""
from __future__ import annotations

from typing import Any, List, Optional, Tuple

from ..values.conditions import Condition
from ..values.symbols import Symbol

SEP = "\u00a7"
_CO_VARARGS = 0x04


def write(x: Any) -> str:
    """``write`` text of a Scheme value."""
    from ..reader.printer import write_string
    return write_string(x)


def display(x: Any) -> str:
    """``display`` text of a Scheme value."""
    from ..reader.printer import display_string
    return display_string(x)


def who_name(who: Any) -> Optional[str]:
    """The procedure name a condition's ``who`` stands for, or None."""
    if who is None or who is False:
        return None
    if isinstance(who, Symbol):
        return who.name
    s = getattr(who, "s", None)
    return s if isinstance(s, str) else str(who)


def proc_shape(proc: Any) -> Optional[Tuple[Optional[str], List[str], List[str], Optional[str]]]:
    """(name or None, required parameter names, optional names, rest name or None) of a
    compiled Scheme procedure; None when *proc* is not one."""
    code = getattr(proc, "__code__", None)
    if code is None:
        return None
    names = [n.split(SEP)[0] for n in code.co_varnames[:code.co_argcount]]
    nopt = len(getattr(proc, "__defaults__", None) or ())
    rest = code.co_varnames[code.co_argcount].split(SEP)[0] if code.co_flags & _CO_VARARGS else None
    name: Optional[str] = code.co_name.split(SEP)[0]
    if name in ("", "lambda"):
        name = None
    split = len(names) - nopt
    return name, names[:split], names[split:], rest


def arity_counts(c: Condition) -> Tuple[Optional[int], Optional[Tuple[int, Optional[int]]]]:
    """(arguments given, (minimum, maximum or None)) of an arity condition, None where unknown."""
    given = c.data.get("given")
    shape = proc_shape(c.data.get("procedure"))
    if shape is None:
        return given, None
    _, req, opt, rest = shape
    return given, (len(req), None if rest is not None else len(req) + len(opt))


def offending_value(c: Condition) -> Any:
    """The argument a wrong-type/range condition complains about (or its first irritant)."""
    if "value" in c.data:
        return c.data["value"]
    return c.irritants[0] if c.irritants else None


def user_error(c: Condition) -> bool:
    """True when *c* was raised by the program's own ``(error ...)`` call."""
    return c.kind == "error" and c.payload is not None


def source_file(c: Any) -> Optional[str]:
    """The file an error happened in (as named on the command line), if known."""
    loc = getattr(c, "loc", None)
    f = getattr(loc, "file", None)
    return f if isinstance(f, str) and not f.startswith("<") else None


def plural(n: int, word: str) -> str:
    """'1 argument', '2 arguments'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
