"""MIT/GNU Scheme condition system as a *view* of the core Condition objects.

Theory of operation
-------------------
polysock has one condition tree (values/conditions.py). MIT programs see the same
objects through MIT's vocabulary: ``condition/type`` maps a core kind to an MIT
condition type (``KIND_TYPES``), ``access-condition`` reads MIT field names out of
the core condition's who/irritants/data (``_FIELD_READERS``), and
``condition/report-string`` renders MIT's report sentences ("The object 1, passed as
the first argument to car, is not the correct type."). Nothing is copied: a
condition caught by ``guard`` in R7RS code and by ``ignore-errors`` in MIT code is
the same object.

Handlers: ``ignore-errors`` is a guard that takes error conditions only;
``bind-condition-handler`` installs an R7RS exception handler that calls the MIT
handler for conditions of the listed types and *declines* (passes the condition to
the next outer handler) when the MIT handler returns, as MIT specifies.

System-call errors: ``error-type`` comes from the errno by ``ERRNO_TYPES`` (the
names of MIT's uxtop.c); unknown errnos are ``unknown`` (spec/mit.md §6).
"""
from __future__ import annotations

import errno as _errno
from typing import Any, Callable, Dict, List, Optional

from ..runtime import control
from ..runtime.argtypes import A
from ..runtime.registry import primitive
from ..values.conditions import Condition, make_condition, throw, wrong_type
from ..values.misc import UNSPECIFIED
from ..values.pairs import NIL, Pair, to_list, cons
from ..values.strings import MString
from ..values.symbols import Symbol, intern

LIB = "(mit legacy runtime)"


class ConditionType:
    """An MIT condition type: name, field names, generalizations (itself first)."""

    __slots__ = ("name", "fields", "parent", "error")

    def __init__(self, name: str, fields: List[str], parent: Optional["ConditionType"], error: bool) -> None:
        self.name, self.fields, self.parent, self.error = name, fields, parent, error

    def generalizations(self) -> List["ConditionType"]:
        out: List[ConditionType] = []
        t: Optional[ConditionType] = self
        while t is not None:
            out.append(t)
            t = t.parent
        return out

    def __repr__(self) -> str:
        return f"#[condition-type {self.name}]"


TYPES: Dict[str, ConditionType] = {}


def _type(name: str, fields: List[str], parent: Optional[str], error: bool = True) -> ConditionType:
    t = ConditionType(name, fields, TYPES[parent] if parent else None, error)
    TYPES[name] = t
    return t


_type("serious-condition", [], None)
_type("error", [], "serious-condition")
_type("simple-error", ["message", "irritants"], "error")
_type("illegal-datum", ["datum"], "error")
_type("wrong-type-datum", ["datum"], "illegal-datum")
_type("wrong-type-argument", ["datum", "operator", "operand"], "wrong-type-datum")
_type("bad-range-datum", ["datum"], "illegal-datum")
_type("bad-range-argument", ["datum", "operator", "operand"], "bad-range-datum")
_type("inapplicable-object", ["datum", "operands"], "illegal-datum")
_type("wrong-number-of-arguments", ["datum", "type", "operands"], "wrong-type-datum")
_type("variable-error", ["location", "environment"], "error")
_type("unbound-variable", ["location", "environment"], "variable-error")
_type("primitive-procedure-error", ["operator", "operands"], "error")
_type("system-call-error", ["operator", "operands", "system-call", "error-type"],
      "primitive-procedure-error")
_type("file-error", ["filename"], "error")
_type("file-operation-error", ["filename", "verb", "noun", "reason", "operator", "operands"],
      "file-error")
_type("control-error", [], "error")
_type("divide-by-zero", ["operator", "operands"], "error")
_type("warning", [], None, error=False)
_type("simple-warning", ["message", "irritants"], "warning", error=False)

KIND_TYPES: Dict[str, str] = {
    "socket": "system-call-error", "closed": "system-call-error", "timeout": "system-call-error",
    "resolve": "bad-range-argument", "herror": "bad-range-argument",
    "not-found": "bad-range-argument", "range": "bad-range-argument",
    "wrong-type": "wrong-type-argument", "arity": "wrong-number-of-arguments",
    "unbound": "unbound-variable", "not-procedure": "inapplicable-object",
    "file": "file-operation-error", "i/o": "primitive-procedure-error",
    "port-closed": "primitive-procedure-error", "unsupported": "primitive-procedure-error",
    "continuation": "control-error",
}

ERRNO_TYPES: Dict[str, str] = {
    "EAFNOSUPPORT": "address-family-not-supported", "EADDRINUSE": "address-in-use",
    "EADDRNOTAVAIL": "address-not-available", "E2BIG": "arg-list-too-long",
    "EFAULT": "bad-address", "EBADF": "bad-file-descriptor", "EPIPE": "broken-pipe",
    "ECONNREFUSED": "connection-refused", "ECONNRESET": "connection-reset",
    "ENOTEMPTY": "directory-not-empty", "EDOM": "domain-error", "ENOEXEC": "exec-format-error",
    "EEXIST": "file-exists", "EFBIG": "file-too-large", "ENAMETOOLONG": "filename-too-long",
    "ENOSYS": "function-not-implemented", "EHOSTUNREACH": "host-is-unreachable",
    "EXDEV": "improper-link", "ENOTTY": "inappropriate-io-control-operation",
    "EINTR": "interrupted-function-call", "EINVAL": "invalid-argument", "ESPIPE": "invalid-seek",
    "EIO": "io-error", "EISDIR": "is-a-directory", "ECHILD": "no-child-processes",
    "ENOLCK": "no-locks-available", "ENOSPC": "no-space-left-on-device", "ENODEV": "no-such-device",
    "ENXIO": "no-such-device-or-address", "ENOENT": "no-such-file-or-directory",
    "ESRCH": "no-such-process", "ENOTDIR": "not-a-directory", "ENOMEM": "not-enough-space",
    "EPERM": "operation-not-permitted", "EACCES": "permission-denied",
    "EROFS": "read-only-file-system", "EBUSY": "resource-busy",
    "EDEADLK": "resource-deadlock-avoided", "EAGAIN": "resource-temporarily-unavailable",
    "ERANGE": "result-too-large", "EMLINK": "too-many-links", "EMFILE": "too-many-open-files",
}

ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth"]


def type_of(c: Condition) -> ConditionType:
    """The MIT condition type a core condition is seen as."""
    name = c.data.get("mit_type") or KIND_TYPES.get(c.kind)
    if c.kind == "range" and c.message == "division by zero":
        name = "divide-by-zero"
    if name is None:
        name = "simple-error" if c.is_a("error") else "simple-warning"
    if name == "system-call-error" and c.data.get("errno") is None:
        name = "primitive-procedure-error"
    return TYPES[name]


def error_type_name(code: Any) -> str:
    """MIT's error-type symbol name for errno *code*."""
    n = _errno.errorcode.get(code) if isinstance(code, int) else None
    if n == "EWOULDBLOCK":
        n = "EAGAIN"
    return ERRNO_TYPES.get(n or "", "unknown")


def _sym_or(x: Any) -> Any:
    if x is None:
        return False
    return intern(x) if isinstance(x, str) else x


def _datum(c: Condition) -> Any:
    d = c.data
    for k in ("value", "address", "key"):
        if d.get(k) is not None:
            v = d[k]
            return MString(v) if isinstance(v, str) else v
    return c.irritants[0] if c.irritants else False


def _operand(c: Condition) -> Any:
    p = c.data.get("position")
    return p - 1 if isinstance(p, int) and p > 0 else False


def _message(c: Condition) -> Any:
    return c.payload if isinstance(c.payload, MString) else MString(c.message)


def _list(items: Any) -> Any:
    r: Any = NIL
    for x in reversed(list(items)):
        r = cons(x, r)
    return r


_FIELD_READERS: Dict[str, Callable[[Condition], Any]] = {
    "message": _message,
    "irritants": lambda c: _list(c.irritants),
    "datum": _datum,
    "operator": lambda c: _sym_or(c.who),
    "operand": _operand,
    "operands": lambda c: _list(c.data.get("operands", c.irritants)),
    "system-call": lambda c: _sym_or(c.data.get("call")),
    "error-type": lambda c: intern(error_type_name(c.data.get("errno"))),
    "location": lambda c: _sym_or(c.data.get("name") or c.who),
    "environment": lambda c: False,
    "filename": lambda c: MString(c.data["filename"]) if c.data.get("filename") else False,
    "verb": lambda c: MString("open"),
    "noun": lambda c: MString("file"),
    "reason": lambda c: MString(c.message),
    "type": lambda c: False,
}


def _write(x: Any) -> str:
    from ..reader.printer import write_string
    return write_string(x)


def _argument_phrase(c: Condition) -> str:
    p = c.data.get("position")
    if isinstance(p, int) and 1 <= p <= len(ORDINALS):
        return f"the {ORDINALS[p - 1]} argument"
    return "an argument"


def _who(c: Condition) -> str:
    w = c.who
    return w.name if isinstance(w, Symbol) else str(w) if w not in (None, False) else "#[compiled-procedure]"


def report_string(c: Any) -> str:
    """MIT's report text for *c* (any raised object)."""
    if not isinstance(c, Condition):
        return f"The object {_write(c)}, passed as the first argument to raise, is not the correct type."
    t = type_of(c).name
    if t == "system-call-error":
        text = c.data.get("strerror") or c.message
        return (f"The primitive {_who(c)}, while executing the {c.data.get('call')} system call, "
                f"received the error: {text[:1].upper() + text[1:]}.")
    if t in ("wrong-type-argument", "bad-range-argument") and ("position" in c.data or "value" in c.data):
        what = "is not the correct type" if t == "wrong-type-argument" else "is not in the correct range"
        return f"The object {_write(_datum(c))}, passed as {_argument_phrase(c)} to {_who(c)}, {what}."
    if t == "unbound-variable" and c.irritants:
        return f"Unbound variable: {_write(c.irritants[0])}"
    return control.report_text(c)


# ---------------------------------------------------------------- procedures

A.define("mit_condition", "condition", pred=lambda x: x.__class__ is Condition)
A.define("condition_type", "condition type", pred=lambda x: isinstance(x, ConditionType))


@primitive("condition?", A.any, lib=LIB)
def condition_p(obj: Any) -> bool:
    """(condition? obj) -> boolean"""
    return obj.__class__ is Condition and obj.kind != "exit"


@primitive("condition/type", A.mit_condition, lib=LIB)
def condition_type(c: Condition) -> ConditionType:
    """(condition/type condition) -> condition-type"""
    return type_of(c)


@primitive("condition/report-string", A.mit_condition, lib=LIB)
def condition_report_string(c: Condition) -> MString:
    """(condition/report-string condition) -> string"""
    return MString(report_string(c))


@primitive("condition/restarts", A.mit_condition, lib=LIB)
def condition_restarts(c: Condition) -> Any:
    """(condition/restarts condition) -> list (always empty: polysock has no restarts)"""
    return NIL


@primitive("access-condition", A.mit_condition, A.symbol, lib=LIB)
def access_condition(c: Condition, field: Symbol) -> Any:
    """(access-condition condition field-name) -> value"""
    if field.name not in type_of(c).fields:
        throw("range", "access-condition", "no such field", field, value=field, position=2)
    return _FIELD_READERS[field.name](c)


@primitive("condition-type?", A.any, lib=LIB)
def condition_type_p(obj: Any) -> bool:
    """(condition-type? obj) -> boolean"""
    return isinstance(obj, ConditionType)


@primitive("condition-type/error?", A.condition_type, lib=LIB)
def condition_type_error_p(t: ConditionType) -> bool:
    """(condition-type/error? condition-type) -> boolean"""
    return t.error


@primitive("condition-type/field-names", A.condition_type, lib=LIB)
def condition_type_field_names(t: ConditionType) -> Any:
    """(condition-type/field-names condition-type) -> list of symbols"""
    return _list(intern(f) for f in t.fields)


@primitive("condition-type/generalizations", A.condition_type, lib=LIB)
def condition_type_generalizations(t: ConditionType) -> Any:
    """(condition-type/generalizations condition-type) -> list of condition types"""
    return _list(t.generalizations())


def is_of_type(c: Any, t: ConditionType) -> bool:
    """True when condition *c* belongs to *t* or a specialization of it."""
    return c.__class__ is Condition and c.kind != "exit" and t in type_of(c).generalizations()


@primitive("condition-predicate", A.condition_type, lib=LIB)
def condition_predicate(t: ConditionType) -> Callable[[Any], bool]:
    """(condition-predicate condition-type) -> procedure"""
    def pred(obj: Any) -> bool:
        return is_of_type(obj, t)
    return pred


@primitive("condition-accessor", A.condition_type, A.symbol, lib=LIB)
def condition_accessor(t: ConditionType, field: Symbol) -> Callable[[Any], Any]:
    """(condition-accessor condition-type field-name) -> procedure"""
    if field.name not in t.fields:
        throw("range", "condition-accessor", "no such field", field, value=field, position=2)

    def access(c: Any) -> Any:
        if not is_of_type(c, t):
            wrong_type("condition-accessor", 1, t.name, c)
        return _FIELD_READERS[field.name](c)
    return access


@primitive("error?", A.any, lib=LIB)
def error_p(obj: Any) -> bool:
    """(error? obj) -> boolean"""
    return obj.__class__ is Condition and obj.is_a("error")


@primitive("error-message", A.mit_condition, lib=LIB)
def error_message(c: Condition) -> Any:
    """(error-message condition) -> the message (the report string for non-simple errors)"""
    return _message(c) if type_of(c).name == "simple-error" else MString(report_string(c))


@primitive("error-irritants", A.mit_condition, lib=LIB)
def error_irritants(c: Condition) -> Any:
    """(error-irritants condition) -> list"""
    return _list(c.irritants)


@primitive("error-message-string", A.mit_condition, lib=LIB)
def error_message_string(c: Condition) -> MString:
    """(error-message-string condition) -> the report string"""
    return MString(report_string(c))


@primitive("ignore-errors", A.procedure, lib=LIB)
def ignore_errors(thunk: Any) -> Any:
    """(ignore-errors thunk) -> thunk's value, or the error condition it signalled"""
    def handler(obj: Any) -> Any:
        if obj.__class__ is Condition and obj.is_a("error"):
            return obj
        return control.guard_reraise(obj)
    return control.guard_(thunk, handler)


@primitive("bind-condition-handler", A.list, A.procedure, A.procedure, lib=LIB)
def bind_condition_handler(types: Any, handler: Any, thunk: Any) -> Any:
    """(bind-condition-handler condition-types handler thunk) -> thunk's value"""
    wanted = to_list(types) or []
    for i, t in enumerate(wanted):
        if not isinstance(t, ConditionType):
            wrong_type("bind-condition-handler", 1, "list of condition types", types)

    def h(obj: Any) -> Any:
        if obj.__class__ is Condition and (not wanted or any(is_of_type(obj, t) for t in wanted)):
            handler(obj)
        return control.do_raise(obj, False)      # the handler returned: decline
    return control.with_exception_handler(h, thunk)


@primitive("warn", A.any, lib=LIB)
def warn(message: Any, *irritants: Any) -> Any:
    """(warn message irritant ...): print ';Warning: ...' on the console"""
    from ..runtime.ports import current_output_port
    c = make_condition("error", None, message.s if isinstance(message, MString) else _write(message),
                       *irritants)
    port = current_output_port()
    if not port.at_line_start():
        port.write_str("\n")
    port.write_str(";Warning: " + control.report_text(c) + "\n")
    return UNSPECIFIED


def condition_type_values() -> Dict[str, ConditionType]:
    """{'condition-type:NAME': type} for every type."""
    return {f"condition-type:{n}": t for n, t in TYPES.items()}


def _register() -> None:
    from ..reader import printer
    from ..runtime.registry import define_value
    printer.PRINTERS[ConditionType] = lambda t, write: repr(t)
    for name, t in condition_type_values().items():
        define_value(LIB, name, t)


_register()
