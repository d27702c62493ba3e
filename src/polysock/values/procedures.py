"""The calling convention.

Theory of operation
-------------------
A Scheme procedure *value* is an ordinary Python callable (usually a plain function)
and calling it with Python's call syntax always returns the final Scheme value. Python
code (primitives, the embedding API) therefore calls Scheme procedures directly:
``f(x, y)``. No marker ever escapes a procedure value.

Proper tail calls are an internal matter of compiled bodies. A body that makes a tail
call to another procedure does not call it: it returns a *tail-call tuple*
``(callee, arg1, ..., argN)`` (Python tuples are never Scheme values). Such a body is
compiled as a "raw" function and the procedure value is a *driver* made by
``make_driver``: it calls the raw body and, while the result is a tuple, calls the
callee — through the callee's own raw body (attribute ``_raw``) when it has one, so a
chain of tail calls through any number of procedures runs in one driver loop with
constant stack. Self tail calls never get here: the compiler turns them into loops.

Primitives that are tail-transparent in Scheme (``apply``, ``call-with-values``...)
follow the same rule: their value is a driver, their ``_raw`` returns a tuple.

Invariants:
* a procedure value never returns a tuple;
* only a ``_raw`` function returns tuples, and only to a driver loop (``bounce``);
* the bounce loop calls with explicit positional arguments up to 4 so the callee's
  Python frame is pushed without C recursion (deep non-tail recursion stays cheap).
"""
from __future__ import annotations

from typing import Any, Callable, Dict


def bounce(r: Any) -> Any:
    """Run tail-call tuples until a value comes back."""
    while r.__class__ is tuple:
        f = r[0]
        f = getattr(f, "_raw", f)
        n = len(r)
        if n == 2:
            r = f(r[1])
        elif n == 3:
            r = f(r[1], r[2])
        elif n == 1:
            r = f()
        elif n == 4:
            r = f(r[1], r[2], r[3])
        elif n == 5:
            r = f(r[1], r[2], r[3], r[4])
        else:
            r = f(*r[1:])
    return r


_driver_templates: Dict[Any, Callable[..., Any]] = {}

_TEMPLATE = '''
def _factory(raw, bounce):
    def driver({params}):
        r = raw({args})
        if r.__class__ is tuple:
            return bounce(r)
        return r
    return driver
'''


def _driver_factory(nreq: int, rest: bool) -> Callable[..., Any]:
    key = (nreq, rest)
    fac = _driver_templates.get(key)
    if fac is None:
        names = [f"a{i}" for i in range(nreq)]
        params = ", ".join(names + (["*rest"] if rest else []))
        args = ", ".join(names + (["*rest"] if rest else []))
        ns: Dict[str, Any] = {}
        exec(compile(_TEMPLATE.format(params=params, args=args), "<polysock-driver>.py", "exec"), ns)
        fac = _driver_templates[key] = ns["_factory"]
    return fac


def make_driver(raw: Callable[..., Any], name: str, nreq: int, rest: bool = False) -> Callable[..., Any]:
    """The procedure value for a raw body that may return tail-call tuples."""
    d = _driver_factory(nreq, rest)(raw, bounce)
    d.__name__ = d.__qualname__ = name
    d._raw = raw  # type: ignore[attr-defined]
    return d


_TC_TEMPLATE = '''
def _factory(bounce):
    def tc(f{params}):
        r = getattr(f, "_raw", f)({args})
        if r.__class__ is tuple:
            return bounce(r)
        return r
    return tc
'''


def _make_tc(n: int) -> Callable[..., Any]:
    names = [f"a{i}" for i in range(n)]
    params = "".join(", " + a for a in names)
    ns: Dict[str, Any] = {}
    exec(compile(_TC_TEMPLATE.format(params=params, args=", ".join(names)), "<polysock-driver>.py", "exec"), ns)
    return ns["_factory"](bounce)


#: TAIL_CALLERS[n](f, a1..an): make a tail call from a *public* body (see pycode's dual
#: compilation): enter f's raw body and run the tail-call chain to a value, so the
#: public frame plus this one stay constant however long the chain is.
TAIL_CALLERS = [_make_tc(n) for n in range(7)]


def tail_call_n(f: Any, *args: Any) -> Any:
    """TAIL_CALLERS for more than 6 arguments."""
    r = getattr(f, "_raw", f)(*args)
    if r.__class__ is tuple:
        return bounce(r)
    return r


def set_raw(public: Any, raw: Any) -> Any:
    """Attach the raw body of a dual-compiled procedure; return the public one."""
    public._raw = raw
    return public


def is_procedure(x: Any) -> bool:
    """procedure? — callable and not a Scheme data object."""
    return callable(x) and not isinstance(x, type)


def procedure_name(f: Any) -> str:
    """The Scheme-visible name of a procedure (for messages and backtraces)."""
    n = getattr(f, "scheme_name", None) or getattr(f, "__name__", None)
    if not isinstance(n, str) or n in ("<lambda>", "anonymous", ""):
        return "anonymous"
    return n.split("\u00a7", 1)[0] or "anonymous"
