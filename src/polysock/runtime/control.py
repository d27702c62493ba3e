"""Control: apply, values, call/cc, dynamic-wind, exceptions, promises, parameters.

Theory of operation (exceptions)
--------------------------------
The handler stack is ``dynamic.STATE.handlers`` (innermost last). ``raise`` calls the
innermost handler *in place* — in the dynamic context of the raise, with the stack
cut below that handler — as R7RS requires; a ``guard`` installs a ``GuardMarker``, and
raising to a marker unwinds to that guard with the Python exception ``GuardEscape``
(directed: only that guard stops it). Errors found by primitives and by open-coded
operations travel as *undirected* Python exceptions (SchemeError, or TypeError and
friends from compiled code); the innermost catch point they reach — a guard, a
with-exception-handler, or a handler call in progress — turns them into a raise
right there, with the handler stack as it is at that point. A raise with no handler
becomes a *final* SchemeError that no catch point takes: it ends the program (or the
thread) with its report. Continuations escape with ``ContinuationInvoked``; neither it
nor GuardEscape nor SchemeExit is an ``Exception``, so ``except Exception`` code in
primitives cannot swallow them, and ``dynamic-wind`` after-thunks run on the way out.

Re-entry: a continuation can be invoked while its call/cc is still active (escape,
from any depth, any number of times); invoking it after its extent has ended raises
a "continuation" condition (full re-entry is not supported; see docs/LANGUAGE.md).
"""
from __future__ import annotations

import sys
import types
from typing import Any, Callable, List, Optional, Tuple

from ..values.conditions import (SITES, Condition, SchemeError, SchemeExit, SourceLocation,
                                 make_condition, throw, wrong_type)
from ..values.misc import UNSPECIFIED, MultipleValues, Promise, values_of
from ..values.pairs import NIL, Pair, from_iter, to_list
from ..values.strings import MString
from ..values.symbols import Symbol
from . import dynamic
from .argtypes import A
from .dynamic import Parameter
from .registry import define_value, primitive

SEP = "\u00a7"


# ----------------------------------------------------------------- exceptions

class GuardMarker:
    __slots__ = ()


class GuardEscape(BaseException):
    """Unwinds to the guard owning ``marker``."""

    def __init__(self, marker: GuardMarker, payload: Any) -> None:
        self.marker = marker
        self.payload = payload


class ContinuationInvoked(BaseException):
    def __init__(self, k: Any, value: Any) -> None:
        self.k = k
        self.value = value


def _final(payload: Any, continuable: bool = False, cause: Optional[BaseException] = None) -> SchemeError:
    e = SchemeError(payload, continuable)
    e.final = True  # type: ignore[attr-defined]
    return e


def do_raise(obj: Any, continuable: bool = False) -> Any:
    """raise / raise-continuable with the current handler stack."""
    st = dynamic.STATE
    hs = st.handlers
    if not hs:
        raise _final(obj, continuable)
    h = hs[-1]
    if h.__class__ is GuardMarker:
        raise GuardEscape(h, obj)
    st.handlers = hs[:-1]
    try:
        try:
            r = h(obj)
        except Exception as e:   # undirected error inside the handler: raise it outward, here
            if getattr(e, "final", False):
                raise
            return do_raise(as_condition(e), getattr(e, "continuable", False))
        if continuable:
            return r
        return do_raise(make_condition("error", "raise", "handler returned from non-continuable raise of", obj,
                                       payload=obj))
    finally:
        st.handlers = hs


def as_condition(e: BaseException) -> Any:
    """The Scheme object an undirected Python exception stands for."""
    if isinstance(e, SchemeError):
        return e.payload
    return convert_exception(e)


@primitive("raise")
def raise_(obj: Any) -> Any:
    """(raise obj)"""
    return do_raise(obj, False)


@primitive("raise-continuable")
def raise_continuable(obj: Any) -> Any:
    """(raise-continuable obj) -> the handler's value"""
    return do_raise(obj, True)


@primitive("with-exception-handler", A.procedure, A.procedure)
def with_exception_handler(handler: Any, thunk: Any) -> Any:
    """(with-exception-handler handler thunk)"""
    st = dynamic.STATE
    saved = st.handlers
    inner = saved + (handler,)
    st.handlers = inner
    try:
        return thunk()
    except Exception as e:
        if getattr(e, "final", False):
            raise
        st.handlers = inner
        return do_raise(as_condition(e), getattr(e, "continuable", False))
    finally:
        st.handlers = saved


@primitive("%guard", A.procedure, A.procedure, lib="(polysock internal)")
def guard_(body: Any, handler: Any) -> Any:
    """(%guard body-thunk handler): the procedure behind the guard form."""
    st = dynamic.STATE
    saved = st.handlers
    marker = GuardMarker()
    st.handlers = saved + (marker,)
    try:
        return body()
    except GuardEscape as g:
        if g.marker is not marker:
            raise
        payload = g.payload
    except Exception as e:
        if getattr(e, "final", False):
            raise
        payload = as_condition(e)
    finally:
        st.handlers = saved
    return handler(payload)


@primitive("%guard-reraise", lib="(polysock internal)")
def guard_reraise(obj: Any) -> Any:
    """(%guard-reraise obj): no guard clause matched."""
    return do_raise(obj, True)


@primitive("error")
def error(message: Any = None, *irritants: Any) -> Any:
    """(error message irritant ...)"""
    who = None
    if message.__class__ is Symbol and irritants and irritants[0].__class__ is MString:
        who, message, irritants = message, irritants[0], irritants[1:]
    text = message.s if message.__class__ is MString else (_display(message) if message is not None else "")
    c = make_condition("error", who, text, *irritants)
    c.payload = message
    return do_raise(c, False)


@primitive("%assertion-failed", lib="(polysock internal)")
def assertion_failed(expr: Any) -> Any:
    """(%assertion-failed expr)"""
    return do_raise(make_condition("assertion", "assert", "assertion failed", expr), False)


def _display(x: Any) -> str:
    try:
        from ..reader.printer import display_string
        return display_string(x)
    except ImportError:  # pragma: no cover
        return str(x)


def _is_error_object(x: Any) -> bool:
    return x.__class__ is Condition


@primitive("error-object?")
def error_object_p(x: Any) -> bool:
    """(error-object? obj)"""
    return x.__class__ is Condition and x.kind != "exit"


@primitive("error-object-message", A.define("condition", "condition", "{x}.__class__ is Condition") if False else A.any)
def error_object_message(c: Any) -> Any:
    """(error-object-message error) -> string"""
    if c.__class__ is not Condition:
        wrong_type("error-object-message", 1, "error object", c)
    if c.payload is not None and c.payload.__class__ is MString:
        return c.payload
    return MString(c.message)


@primitive("error-object-irritants")
def error_object_irritants(c: Any) -> Any:
    """(error-object-irritants error) -> list"""
    if c.__class__ is not Condition:
        wrong_type("error-object-irritants", 1, "error object", c)
    return from_iter(list(c.irritants))


@primitive("file-error?")
def file_error_p(x: Any) -> bool:
    """(file-error? obj)"""
    return x.__class__ is Condition and x.is_a("file")


@primitive("read-error?")
def read_error_p(x: Any) -> bool:
    """(read-error? obj)"""
    return x.__class__ is Condition and x.is_a("read")


@primitive("condition/report-string", lib="(polysock extras)")
def condition_report_string(c: Any) -> MString:
    """(condition/report-string condition) -> string"""
    return MString(report_text(c))


def report_text(c: Any) -> str:
    """'message irritant ...' as Scheme systems print an error."""
    if c.__class__ is not Condition:
        return "non-condition object raised: " + _write(c)
    parts = [c.message] if c.message else []
    for irr in c.irritants:
        parts.append(_write(irr))
    return " ".join(parts)


def _write(x: Any) -> str:
    try:
        from ..reader.printer import write_string
        return write_string(x)
    except ImportError:  # pragma: no cover
        return repr(x)


# ----------------------------------------------------------------- Python exceptions -> conditions

_TYPE_NAMES = {"int": "an integer", "float": "a real number", "MString": "a string", "str": "a character",
               "Symbol": "a symbol", "Pair": "a pair", "SrcPair": "a pair", "Nil": "the empty list",
               "list": "a vector", "bytearray": "a bytevector", "bool": "a boolean", "function": "a procedure",
               "Rational": "a rational number", "complex": "a complex number", "_Singleton": "a special object",
               "Record": "a record", "NoneType": "no value", "ExactComplex": "a complex number"}


def scheme_frames(tb: Optional[types.TracebackType]) -> List[Tuple[str, str, int, int]]:
    """(procedure name, file, line, col) of each compiled-Scheme frame, outermost first."""
    out = []
    while tb is not None:
        co = tb.tb_frame.f_code
        fn = co.co_filename
        if not fn.endswith(".py") and not fn.startswith("<frozen"):
            line, col = tb.tb_lineno, 0
            try:
                for i, pos in enumerate(co.co_positions()):
                    if i * 2 == tb.tb_lasti:
                        if pos[0] is not None:
                            line = pos[0]
                        col = (pos[2] or 0)
                        break
            except Exception:  # pragma: no cover
                pass
            name = co.co_name.split(SEP, 1)[0] or "anonymous"
            if co.co_name == SEP + "top":
                name = "<toplevel>"
            elif co.co_name == "<listcomp>":
                name = "map"      # a fused map running its procedure's body inline
            out.append((name, fn, line, col, tb.tb_frame))  # type: ignore[arg-type]
        tb = tb.tb_next
    return out


def location_from_tb(tb: Optional[types.TracebackType]) -> Optional[SourceLocation]:
    frames = scheme_frames(tb)
    if not frames:
        return None
    _, fn, line, col, _f = frames[-1]  # type: ignore[misc]
    return SourceLocation(fn, line, col + 1)


def convert_exception(e: BaseException) -> Condition:
    """An undirected Python exception from compiled code or a primitive -> condition."""
    tb = e.__traceback__
    frames = scheme_frames(tb)
    loc = None
    site = None
    frame = None
    if frames:
        _, fn, line, col, frame = frames[-1]  # type: ignore[misc]
        loc = SourceLocation(fn, line, col + 1)
        site = SITES.get((fn, line, col))
    msg = str(e)
    c: Condition
    if (isinstance(e, (TypeError, AttributeError)) and site is not None and _innermost_is_scheme(tb)
            and _operand_error(e, msg)):
        who, names, consts = site[0], site[1], site[2] if len(site) > 2 else ()
        value = getattr(e, "obj", None) if isinstance(e, AttributeError) else None
        pos = 1
        if value is None and frame is not None:
            value, pos = _bad_operand(who, names, consts, frame)
        if value is None:
            c = make_condition("wrong-type", who, "wrong type argument: " + msg)
        else:
            expected = "pair" if isinstance(e, AttributeError) else "number"
            c = make_condition("wrong-type", who, f"argument {pos}: expected {expected}, got", value,
                               position=pos, expected=expected, value=value)
    elif isinstance(e, ZeroDivisionError):
        who = site[0] if site else "/"
        c = make_condition("range", who, "division by zero")
    elif isinstance(e, UnboundLocalError) or (isinstance(e, NameError) and "free variable" in msg):
        name = msg.split("'")[1] if "'" in msg else "?"
        c = make_condition("unbound", name.split(SEP)[0], "variable used before its definition")
    elif isinstance(e, NameError):
        name = getattr(e, "name", None) or (msg.split("'")[1] if "'" in msg else "?")
        c = make_condition("unbound", None, "unbound variable", _sym(name), name=name)
    elif isinstance(e, TypeError) and ("positional argument" in msg or "takes" in msg and "given" in msg):
        c = _arity_condition(msg, frame, getattr(e, "procedure", None))
    elif isinstance(e, TypeError) and "not callable" in msg:
        tname = msg.split("'")[1] if "'" in msg else "object"
        c = make_condition("not-procedure", None, f"attempt to apply a non-procedure ({_TYPE_NAMES.get(tname, tname)})")
    elif isinstance(e, RecursionError):
        c = make_condition("error", None, "recursion too deep (stack exhausted)")
    elif isinstance(e, OverflowError):
        c = make_condition("range", site[0] if site else None, "numeric overflow: " + msg)
    elif isinstance(e, MemoryError):
        c = make_condition("error", None, "out of memory")
    elif isinstance(e, TypeError) and site is not None:
        c = make_condition("wrong-type", site[0], "wrong type argument: " + msg)
    else:
        c = make_condition("internal", None, f"internal error (this is a bug in polysock): {type(e).__name__}: {msg}")
        c.data["python_exception"] = e
    c.loc = loc
    c.backtrace = [(f[0], f[1], f[2]) for f in frames]
    return c


def _operand_error(e: BaseException, msg: str) -> bool:
    if isinstance(e, AttributeError):
        return getattr(e, "name", None) in ("car", "cdr")
    return ("operand" in msg or "not supported between" in msg or "can only concatenate" in msg
            or "can't multiply" in msg or "unhashable" in msg)


def _innermost_is_scheme(tb: Optional[types.TracebackType]) -> bool:
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    if last is None:
        return False
    fn = last.tb_frame.f_code.co_filename
    return not fn.endswith(".py")


def _sym(name: str) -> Any:
    from ..values.symbols import intern
    return intern(name)


def _arity_condition(msg: str, frame: Any, proc: Any = None) -> Condition:
    """The arity condition for a Python call-count TypeError; ``data`` gets the procedure
    (*proc*, else the one the calling frame still names) and the argument count given
    (when known), so a dialect can word the report as its real system does."""
    code_name = msg.split("(")[0].rsplit("<locals>.", 1)[-1].strip()
    who = code_name.split(SEP)[0] or "procedure"
    c = make_condition("arity", "anonymous procedure" if who == "lambda" else who,
                       "wrong number of arguments: " + _arity_text(msg))
    if proc is None and frame is not None:
        proc = _find_callee(code_name, who, frame)
    if proc is not None:
        c.data["procedure"] = proc
    given = _arity_given(msg, proc)
    if given is not None:
        c.data["given"] = given
    return c


def _find_callee(code_name: str, who: str, frame: Any) -> Any:
    """The compiled procedure whose code is *code_name*, looked up where the caller sees it."""
    def fits(v: Any) -> bool:
        return getattr(getattr(v, "__code__", None), "co_name", None) == code_name
    try:
        v = frame.f_globals.get(who)
        if fits(v):
            return v
        for v in frame.f_locals.values():
            if fits(v):
                return v
    except Exception:  # pragma: no cover - a frame we cannot read
        return None
    return None


def _arity_given(msg: str, proc: Any) -> Optional[int]:
    import re
    m = re.search(r"but (\d+) (?:was|were) given", msg)
    if m:
        return int(m.group(1))
    m = re.search(r"missing (\d+) required positional argument", msg)
    code = getattr(proc, "__code__", None)
    if m and code is not None:
        return int(code.co_argcount) - len(getattr(proc, "__defaults__", None) or ()) - int(m.group(1))
    return None


def _arity_text(msg: str) -> str:
    import re
    m = re.search(r"takes (?:from )?(\d+)(?: to (\d+))? positional arguments? but (\d+) (?:was|were) given", msg)
    if m:
        hi = f" to {m.group(2)}" if m.group(2) else ""
        return f"expected {m.group(1)}{hi}, got {m.group(3)}"
    m = re.search(r"missing (\d+) required positional argument", msg)
    if m:
        return f"{m.group(1)} too few"
    return msg.split(") ", 1)[1] if ") " in msg else msg


def _bad_operand(who: str, names: Tuple[Any, ...], consts: Tuple[Any, ...], frame: Any) -> Tuple[Any, int]:
    """Recover the offending operand of an open-coded operation from the frame."""
    from ..values.numbers import NUMBER_CLASSES
    from ..values.pairs import Pair as P
    want_pair = who.startswith("c") and who.endswith("r")
    loc = frame.f_locals
    for i, n in enumerate(names):
        if n is not None and n in loc:
            v = loc[n]
        elif i < len(consts) and consts[i] is not None:
            v = consts[i][1]
        else:
            continue
        ok = isinstance(v, P) if want_pair else v.__class__ in NUMBER_CLASSES
        if not ok:
            return v, i + 1
    return None, 1


# ----------------------------------------------------------------- procedures, values, apply

@primitive("procedure?")
def procedure_p(x: Any) -> bool:
    """(procedure? obj)"""
    return callable(x) and not isinstance(x, type)


def _apply_args(who: str, args: Tuple[Any, ...]) -> Tuple[Any, ...]:
    if not args:
        throw("arity", who, "wrong number of arguments: expected a procedure and a list")
    last = to_list(args[-1])
    if last is None:
        wrong_type(who, len(args) + 1, "list", args[-1])
    return tuple(args[:-1]) + tuple(last)


def _apply_raw(f: Any, *args: Any) -> Any:
    return (f,) + _apply_args("apply", args)


def apply_(f: Any, *args: Any) -> Any:
    """(apply proc arg ... list)"""
    a = _apply_args("apply", args)
    return f(*a)


apply_._raw = _apply_raw  # type: ignore[attr-defined]
primitive("apply", A.procedure)(apply_)


@primitive("values")
def values(*args: Any) -> Any:
    """(values obj ...)"""
    if len(args) == 1:
        return args[0]
    return MultipleValues(args)


def _cwv_raw(producer: Any, consumer: Any) -> Any:
    v = producer()
    if v.__class__ is MultipleValues:
        return (consumer,) + v.vals
    return (consumer, v)


def call_with_values(producer: Any, consumer: Any) -> Any:
    """(call-with-values producer consumer)"""
    v = producer()
    if v.__class__ is MultipleValues:
        return consumer(*v.vals)
    return consumer(v)


call_with_values._raw = _cwv_raw  # type: ignore[attr-defined]
primitive("call-with-values", A.procedure, A.procedure)(call_with_values)


class Continuation:
    """An escape continuation (see the module docstring)."""

    __slots__ = ("active", "winders")

    def __init__(self) -> None:
        self.active = True

    def __call__(self, *vals: Any) -> Any:
        v = vals[0] if len(vals) == 1 else MultipleValues(vals)
        if not self.active:
            throw("continuation", "continuation", "re-entering a continuation whose extent has ended is not supported")
        raise ContinuationInvoked(self, v)

    @property
    def __name__(self) -> str:  # for messages
        return "continuation"


@primitive("call-with-current-continuation", A.procedure, also=())
def call_cc(f: Any) -> Any:
    """(call-with-current-continuation proc)"""
    k = Continuation()
    st = dynamic.STATE
    saved_h = st.handlers
    saved_p = st.params
    try:
        return f(k)
    except ContinuationInvoked as ci:
        if ci.k is not k:
            raise
        st.handlers = saved_h
        st.params = saved_p
        return ci.value
    finally:
        k.active = False


primitive("call/cc", A.procedure)(call_cc)


@primitive("call-with-escape-continuation", A.procedure, lib="(polysock extras)")
def call_ec(f: Any) -> Any:
    """(call-with-escape-continuation proc)"""
    return call_cc(f)


@primitive("within-continuation", A.procedure, A.procedure, lib="(polysock extras)")
def within_continuation(k: Any, thunk: Any) -> Any:
    """(within-continuation k thunk)"""
    return k(thunk())


@primitive("dynamic-wind", A.procedure, A.procedure, A.procedure)
def dynamic_wind(before: Any, thunk: Any, after: Any) -> Any:
    """(dynamic-wind before thunk after)"""
    before()
    try:
        return thunk()
    finally:
        after()


# ----------------------------------------------------------------- promises

@primitive("make-promise")
def make_promise(v: Any) -> Promise:
    """(make-promise obj) -> promise"""
    if v.__class__ is Promise:
        return v
    return Promise(True, v)


@primitive("%make-lazy-promise", A.procedure, A.boolean, lib="(polysock internal)")
def make_lazy_promise(thunk: Any, is_delay_force: bool) -> Promise:
    """(%make-lazy-promise thunk delay-force?)"""
    return Promise(False, None, thunk, is_delay_force)


@primitive("promise?")
def promise_p(x: Any) -> bool:
    """(promise? obj)"""
    return x.__class__ is Promise


@primitive("force")
def force(p: Any) -> Any:
    """(force promise)"""
    if p.__class__ is not Promise:
        return p
    while not p.done:
        thunk = p.thunk
        v = thunk()
        if p.done:
            break
        if p.is_delay_force:
            if v.__class__ is not Promise:
                p.done, p.value, p.thunk = True, v, None
                break
            # chain: p takes over v's state (iterative forcing, R7RS reference semantics)
            p.done, p.value, p.thunk, p.is_delay_force = v.done, v.value, v.thunk, v.is_delay_force
            if not v.done:
                # share future work: v now forwards to p
                v.thunk = lambda p=p: force(p)
                v.is_delay_force = False
        else:
            p.done, p.value, p.thunk = True, v, None
    return p.value


@primitive("make-stream", lib="(polysock internal)")
def _unused_make_stream() -> Any:  # pragma: no cover - reserved
    """(make-stream)"""
    return NIL


# ----------------------------------------------------------------- parameters

@primitive("make-parameter")
def make_parameter(value: Any, converter: Any = None) -> Parameter:
    """(make-parameter value [converter]) -> parameter"""
    return Parameter(value, converter)


@primitive("%parameterize", A.list, A.list, A.procedure, lib="(polysock internal)")
def parameterize_(params: Any, vals: Any, thunk: Any) -> Any:
    """(%parameterize params values thunk)"""
    ps = to_list(params) or []
    vs = to_list(vals) or []
    b = {}
    for p, v in zip(ps, vs):
        if p.__class__ is not Parameter:
            wrong_type("parameterize", 1, "parameter", p)
        b[p] = p.converter(v) if p.converter is not None else v
    return dynamic.parameterize(b, thunk)


@primitive("current-exception-handler", lib="(polysock extras)")
def current_exception_handler() -> Any:
    """(current-exception-handler) -> procedure"""
    hs = dynamic.STATE.handlers
    if hs and hs[-1].__class__ is not GuardMarker:
        return hs[-1]
    return raise_.prim  # type: ignore[attr-defined]


@primitive("void", lib="(polysock extras)")
def void(*args: Any) -> Any:
    """(void obj ...) -> unspecified"""
    return UNSPECIFIED


define_value("(polysock internal)", "%unspecified", UNSPECIFIED)


@primitive("not")
def not_(x: Any) -> bool:
    """(not obj)"""
    return x is False
