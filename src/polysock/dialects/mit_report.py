"""How MIT/GNU Scheme 12.1 reports an uncaught error in a batch run
(``mit-scheme --quiet < FILE`` or ``--load FILE``): the REPL prints ``;`` and the
condition's report string, the restarts it offers, enters level 2 (``2 error>``),
finds its input at an end and exits with status 14.

MIT writes all of this to the console (standard output); polysock writes its reports
to standard error. The report string is mit_conditions.report_string (what
``condition/report-string`` returns), except where the REPL words a case itself:
raised non-conditions, arity errors (MIT's hash number for the first object hashed in
a session is 12), ``error`` called with a non-string first argument, and the
integer-add/... primitives behind ``+``, ``-`` and ``*``.
"""
from __future__ import annotations

from typing import Any, List, Tuple

from ..values.conditions import Condition
from ..values.strings import MString
from ._report import arity_counts, offending_value, plural, proc_shape, user_error, who_name, write

STATUS = 14
FIRST_HASH = 12
RESTARTS_HEAD = ";To continue, call RESTART with an option number:"
TAIL = "\n2 error> \nEnd of input stream reached."
#: MIT's integer primitives behind the generic arithmetic procedures.
PRIMITIVE_NAMES = {"+": "integer-add", "-": "integer-subtract", "*": "integer-multiply"}
_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth"]


def _requires(lo: int, hi: Any) -> str:
    if hi is None:
        return f"at least {plural(lo, 'argument')}"
    if lo == hi:
        return f"exactly {plural(lo, 'argument')}"
    return f"between {lo} and {plural(hi, 'argument')}"


def _arity(c: Condition) -> str:
    given, bounds = arity_counts(c)
    shape = proc_shape(c.data.get("procedure"))
    name = shape[0] if shape is not None else who_name(c.who)
    if name == "anonymous procedure":
        name = None
    proc = f"#[compound-procedure {FIRST_HASH}{' ' + name if name else ''}]"
    text = f"The procedure {proc} has been called with "
    text += plural(given, "argument") if given is not None else "the wrong number of arguments"
    if bounds is not None:
        text += f"; it requires {_requires(*bounds)}"
    return text + "."


def _argument(c: Condition, what: str) -> str:
    pos = c.data.get("position")
    nth = f"the {_ORDINALS[pos - 1]} argument" if isinstance(pos, int) and 1 <= pos <= 10 else "an argument"
    who = who_name(c.who) or "#[compiled-procedure]"
    who = PRIMITIVE_NAMES.get(who, who)
    return f"The object {write(offending_value(c))}, passed as {nth} to {who}, is not {what}."


def report_string(payload: Any) -> str:
    """The text after ``;`` on the REPL's first report line."""
    if payload.__class__ is not Condition:
        return f"The object {write(payload)} was raised."
    c: Condition = payload
    if c.kind == "arity":
        return _arity(c)
    if c.kind == "wrong-type" and "position" in c.data:
        return _argument(c, "the correct type")
    if c.kind == "range" and "position" in c.data and c.message != "division by zero":
        return _argument(c, "in the correct range")
    if c.kind == "not-procedure":
        return f"The object {write(c.data['value']) if 'value' in c.data else '?'} is not applicable."
    if c.kind == "assertion" and who_name(c.who) == "assert" and c.irritants:
        return f"Assertion failed: {write(c.irritants[0])}"
    if user_error(c) and c.who not in (None, False):
        # (error 'who "msg:" 42): MIT's message is the symbol, written after a space
        msg = c.payload if isinstance(c.payload, MString) else MString(c.message)
        return " ".join([" " + write(c.who), write(msg)] + [write(x) for x in c.irritants])
    from .mit_conditions import report_string as mit_report_string
    return mit_report_string(c)


def restarts(payload: Any) -> List[str]:
    """The restart lines MIT offers at level 2, highest number first."""
    extra: List[str] = []
    if payload.__class__ is Condition:
        kind = payload.kind
        if kind in ("wrong-type", "range") and "position" in payload.data and payload.message != "division by zero":
            extra = ["Specify an argument to use in its place."]
        elif kind == "not-procedure":
            extra = ["Specify a procedure to use in its place."]
        elif kind == "unbound" and payload.irritants:
            name = write(payload.irritants[0])
            extra = [f"Specify a value to use instead of {name}.", f"Define {name} to a given value."]
    options = extra + ["Return to read-eval-print level 1."]
    n = len(options)
    return [f"; (RESTART {n - i}) => {text}" for i, text in enumerate(options)]


def report(payload: Any) -> Tuple[str, int]:
    """MIT's REPL report of an uncaught *payload* and the batch run's exit status."""
    lines = [";" + report_string(payload), RESTARTS_HEAD] + restarts(payload)
    return "\n".join(lines) + "\n" + TAIL, STATUS
