"""Guile's error model (spec/conditions.md §3) as a view of core Condition objects.

Theory of operation
-------------------
Guile reports every error as a *throw*: a key symbol plus an argument list, mostly in
the ``scm-error`` shape ``(subr message format-args rest)``. polysock raises one kind
of object everywhere — the core ``Condition`` (values/conditions.py) — so this module
never invents an exception type. Instead ``view(obj)`` computes the Guile key and
arguments of any raised object from its condition kind and data:

* a condition raised by ``throw``/``scm-error``/``error`` here carries its key and
  args in ``data["guile_key"]``/``data["guile_args"]`` (the view returns them as is);
* socket/timeout/closed conditions are ``system-error`` ``(subr "~A" (strerror) (errno))``
  (a timeout from SO_RCVTIMEO or a non-blocking call is EAGAIN, as in Guile);
* resolve -> ``getaddrinfo-error`` ``(code)``; herror -> ``host-not-found`` &c.
  ``(subr message #f ())``; not-found -> ``system-error`` "no such service ~A" errno 0;
* wrong-type/range/arity/unbound -> ``wrong-type-arg``/``out-of-range``/
  ``wrong-number-of-args``/``unbound-variable`` in Guile's message formats;
* anything else raised with R7RS ``raise`` -> key ``%exception``, args ``(obj)``.

``catch`` is built on the core ``%guard`` machinery (handler runs after unwinding);
``with-throw-handler`` on ``with-exception-handler`` (handler runs at the throw, then
the throw continues outward). Both consult ``view``, so a core error raised by any
primitive is caught by ``(catch 'wrong-type-arg ...)`` exactly as in Guile.
"""
from __future__ import annotations

import errno as _errno
import os
from typing import Any, List, Tuple

from ..runtime.argtypes import A
from ..runtime.control import do_raise, guard_, with_exception_handler
from ..runtime.registry import primitive
from ..values.conditions import Condition, SchemeError, make_condition
from ..values.misc import UNSPECIFIED, Keyword
from ..values.pairs import NIL, Pair, from_iter, to_list
from ..values.strings import MString
from ..values.symbols import Symbol, intern

LIB = "(polysock guile)"

K_SYSTEM = intern("system-error")
K_MISC = intern("misc-error")
K_WRONG_TYPE = intern("wrong-type-arg")
K_RANGE = intern("out-of-range")
K_ARITY = intern("wrong-number-of-args")
K_UNBOUND = intern("unbound-variable")
K_GAI = intern("getaddrinfo-error")
K_EXCEPTION = intern("%exception")
H_KEYS = {1: intern("host-not-found"), 2: intern("try-again"), 3: intern("no-recovery"),
          4: intern("no-data")}
# Guile key -> core condition kind, for throws made by Scheme code.
KEY_KINDS = {"wrong-type-arg": "wrong-type", "out-of-range": "range",
             "wrong-number-of-args": "arity", "unbound-variable": "unbound",
             "system-error": "i/o", "getaddrinfo-error": "resolve", "host-not-found": "herror",
             "try-again": "herror", "no-recovery": "herror", "no-data": "herror",
             "read-error": "read", "syntax-error": "syntax"}
EAGAIN_TEXT = os.strerror(_errno.EAGAIN)


def slist(*items: Any) -> Any:
    """A Scheme list of *items*."""
    return from_iter(list(items))


def subr_of(who: Any) -> Any:
    """Guile's subr field: the procedure name as a string, or #f."""
    if who is None or who is False:
        return False
    if isinstance(who, MString):
        return who
    return MString(who.name if isinstance(who, Symbol) else str(who))


def guile_condition(kind: str, key: Any, args: Any, message: str = "", who: Any = None,
                    irritants: Tuple[Any, ...] = (), **data: Any) -> Condition:
    """A core condition whose Guile view is exactly (key . args)."""
    c = make_condition(kind, who, message, *irritants, guile_key=key, guile_args=args, **data)
    return c


def gthrow(kind: str, key: str, subr: Any, fmt: str, fmt_args: List[Any], rest: Any) -> Any:
    """Raise a Guile-shaped error ``(key subr fmt fmt-args rest)`` as a core condition."""
    args = slist(subr_of(subr), MString(fmt), from_iter(fmt_args), rest)
    text = format_message(fmt, fmt_args)
    raise SchemeError(guile_condition(kind, intern(key), args, text, subr, tuple(fmt_args)))


def format_message(fmt: str, args: List[Any]) -> str:
    """Guile's simple-format of an error message (~A display, ~S write)."""
    from ..reader.printer import display_string, write_string
    out: List[str] = []
    it = iter(args)
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if c == "~" and i + 1 < len(fmt):
            d = fmt[i + 1].upper()
            if d in "AS":
                try:
                    v = next(it)
                except StopIteration:
                    v = ""
                out.append(display_string(v) if d == "A" else write_string(v))
            elif d == "%":
                out.append("\n")
            else:
                out.append(fmt[i + 1])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _errno_args(c: Condition, errno: int, text: str) -> Tuple[Any, Any]:
    return K_SYSTEM, slist(subr_of(c.who), MString("~A"), slist(MString(text)), slist(errno))


def view(obj: Any) -> Tuple[Symbol, Any]:
    """(key, args-list) of any raised object, as Guile's catch would see it."""
    if obj.__class__ is not Condition:
        return K_EXCEPTION, slist(obj)
    c: Condition = obj
    d = c.data
    key = d.get("guile_key")
    if key is not None:
        return key, d.get("guile_args", NIL)
    kind = c.kind
    if kind == "timeout":
        return _errno_args(c, _errno.EAGAIN, EAGAIN_TEXT)
    if kind == "resolve":
        return K_GAI, slist(d.get("gai_code", 0))
    if kind == "herror":
        code = d.get("herror", 1)
        return H_KEYS.get(code, K_MISC), slist(subr_of(c.who), MString(d.get("strerror") or "Unknown host"),
                                                False, NIL)
    if kind == "not-found":
        what = str(d.get("call", "getservice"))[3:] or "entry"
        key_v = d.get("key")
        key_v = MString(key_v) if isinstance(key_v, str) else key_v
        return K_SYSTEM, slist(subr_of(c.who), MString(f"no such {what} ~A"), slist(key_v), slist(0))
    errno = d.get("errno")
    if errno is not None and (c.is_a("i/o") or kind == "unsupported"):
        return _errno_args(c, errno, d.get("strerror") or os.strerror(errno))
    if kind == "wrong-type":
        v = d.get("value", c.irritants[0] if c.irritants else False)
        pos = d.get("position")
        if pos:
            return K_WRONG_TYPE, slist(subr_of(c.who),
                                       MString("Wrong type argument in position ~A (expecting ~A): ~S"),
                                       slist(pos, MString(str(d.get("expected", "object"))), v), slist(v))
        return K_WRONG_TYPE, slist(subr_of(c.who), MString("Wrong type argument: ~S"), slist(v), slist(v))
    if kind == "range":
        v = d.get("value", c.irritants[0] if c.irritants else False)
        pos = d.get("position")
        if pos:
            return K_RANGE, slist(subr_of(c.who), MString("Argument ~A out of range: ~S"), slist(pos, v), slist(v))
        return K_RANGE, slist(subr_of(c.who), MString("Value out of range: ~S"), slist(v), slist(v))
    if kind == "arity":
        return K_ARITY, slist(subr_of(c.who), MString("Wrong number of arguments to ~A"),
                              slist(subr_of(c.who) or MString("procedure")), False)
    if kind == "unbound":
        sym = c.irritants[0] if c.irritants else intern(str(c.who))
        return K_UNBOUND, slist(False, MString("Unbound variable: ~S"), slist(sym), False)
    if kind in ("error", "assertion") and d.get("reason") != "bad-address":
        msg = c.payload if c.payload is not None else MString(c.message)
        fmt = "~A" + " ~S" * len(c.irritants)
        return K_MISC, slist(subr_of(c.who), MString(fmt), slist(msg, *c.irritants), False)
    if kind == "read":
        return intern("read-error"), slist(subr_of(c.who), MString(c.message), NIL, False)
    if kind == "syntax":
        return intern("syntax-error"), slist(subr_of(c.who), MString(c.message), NIL, False)
    return K_MISC, slist(subr_of(c.who), MString(c.message.replace("~", "~~")), NIL, False)


def _matches(key: Any, k: Symbol) -> bool:
    return key is True or key is k


@primitive("catch", A.any, A.procedure, A.procedure, A.procedure, lib=LIB)
def catch(key: Any, thunk: Any, handler: Any, pre_unwind: Any = None) -> Any:
    """(catch key thunk handler [pre-unwind-handler])"""
    if not (key is True or key.__class__ is Symbol):
        from ..values.conditions import wrong_type
        wrong_type("catch", 1, "symbol or #t", key)
    body = thunk if pre_unwind is None else (lambda: with_throw_handler(key, thunk, pre_unwind))

    def on_raise(payload: Any) -> Any:
        k, args = view(payload)
        if _matches(key, k):
            return handler(k, *(to_list(args) or ()))
        return do_raise(payload)
    return guard_(body, on_raise)


@primitive("with-throw-handler", A.any, A.procedure, A.procedure, lib=LIB)
def with_throw_handler(key: Any, thunk: Any, handler: Any) -> Any:
    """(with-throw-handler key thunk handler)"""
    def on_raise(payload: Any) -> Any:
        k, args = view(payload)
        if _matches(key, k):
            handler(k, *(to_list(args) or ()))
        return do_raise(payload)
    return with_exception_handler(on_raise, thunk)


@primitive("throw", A.symbol, lib=LIB)
def throw(key: Symbol, *args: Any) -> Any:
    """(throw key arg ...)"""
    kind = KEY_KINDS.get(key.name, "error")
    who: Any = None
    msg = key.name
    irritants: Tuple[Any, ...] = args
    if len(args) == 4 and isinstance(args[1], MString):          # the scm-error shape
        who = args[0] if args[0] is not False else None
        fa = to_list(args[2]) if args[2] is not False else []
        msg = format_message(args[1].s, list(fa or []))
        irritants = ()
    data = {}
    if key.name == "system-error" and len(args) == 4:
        rest = to_list(args[3]) or []
        if rest and rest[0].__class__ is int:
            data = {"errno": rest[0], "strerror": os.strerror(rest[0])}
    c = guile_condition(kind, key, from_iter(list(args)), msg, who, irritants, **data)
    return do_raise(c)


@primitive("scm-error", A.symbol, A.any, A.string, A.any, A.any, lib=LIB)
def scm_error(key: Symbol, subr: Any, message: MString, args: Any, rest: Any) -> Any:
    """(scm-error key subr message args rest)"""
    return throw(key, subr, message, args, rest)


@primitive("error", lib=LIB)
def error(*args: Any) -> Any:
    """(error msg arg ...)"""
    if not args:
        return throw(K_MISC, False, MString("?"), False, False)
    fmt = "~A" + " ~S" * (len(args) - 1)
    c = guile_condition("error", K_MISC, slist(False, MString(fmt), from_iter(list(args)), False),
                        args[0].s if isinstance(args[0], MString) else format_message("~A", [args[0]]),
                        None, tuple(args[1:]))
    c.payload = args[0]
    return do_raise(c)


@primitive("system-error-errno", A.any, lib=LIB)
def system_error_errno(arglist: Any) -> Any:
    """(system-error-errno (key . args)) -> errno or #f"""
    items = to_list(arglist) or []
    if len(items) >= 5 and items[0] is K_SYSTEM:
        rest = items[4]
        if isinstance(rest, Pair) and rest.car.__class__ is int:
            return rest.car
    return False


@primitive("strerror", A.exact_integer, lib=LIB)
def strerror(errno: int) -> MString:
    """(strerror errno) -> string"""
    return MString(os.strerror(errno))


@primitive("exception-kind", A.any, lib=LIB)
def exception_kind(obj: Any) -> Any:
    """(exception-kind exception) -> key symbol"""
    return view(obj)[0]


@primitive("exception-args", A.any, lib=LIB)
def exception_args(obj: Any) -> Any:
    """(exception-args exception) -> list"""
    return view(obj)[1]


@primitive("raise-exception", A.any, lib=LIB)
def raise_exception(obj: Any, *opts: Any) -> Any:
    """(raise-exception obj [#:continuable? bool])"""
    continuable = False
    for i in range(0, len(opts) - 1, 2):
        if opts[i] is Keyword("continuable?"):
            continuable = opts[i + 1] is not False
    return do_raise(obj, continuable)


@primitive("with-exception-handler", A.procedure, A.procedure, lib=LIB)
def guile_with_exception_handler(handler: Any, thunk: Any, *opts: Any) -> Any:
    """(with-exception-handler handler thunk [#:unwind? bool])"""
    unwind = False
    for i in range(0, len(opts) - 1, 2):
        if opts[i] is Keyword("unwind?"):
            unwind = opts[i + 1] is not False
    if unwind:
        return guard_(thunk, handler)
    return with_exception_handler(handler, thunk)


@primitive("exception?", A.any, lib=LIB)
def exception_p(obj: Any) -> bool:
    """(exception? obj) -> boolean"""
    return obj.__class__ is Condition


@primitive("display-error", A.any, A.any, A.any, A.any, A.any, A.any, lib=LIB)
def display_error(frame: Any, port: Any, subr: Any, message: Any, args: Any, rest: Any) -> Any:
    """(display-error frame port subr message args rest)"""
    from ..runtime.ports import is_textual_output
    if not is_textual_output(port):
        from ..values.conditions import wrong_type
        wrong_type("display-error", 2, "output port", port)
    text = format_message(message.s if isinstance(message, MString) else str(message),
                          list(to_list(args) or []) if args is not False else [])
    head = f"In procedure {subr.s}: " if isinstance(subr, MString) else ""
    port.write_str(head + text + "\n")
    return UNSPECIFIED


__all__ = ["view", "gthrow", "guile_condition", "format_message", "catch", "throw", "slist"]
