"""(chicken condition): SRFI-12 style kinds and properties as views of core conditions.

Theory of operation
-------------------
There is one condition object, the core ``Condition`` (values/conditions.py); CHICKEN
programs see it through *kind lists* and *property lists* computed here:

* a core kind maps to CHICKEN kinds by ``KINDS`` (socket failures are
  ``(exn i/o net)``, timeouts ``(exn i/o net timeout)``, wrong types ``(exn type)``,
  ...); ``data["ck_kinds"]`` overrides (``transient``, ``domain``);
* the ``exn`` properties are ``message`` (the core message), ``arguments`` (the
  irritants) and ``location`` (the core *who* as a symbol, or #f); a condition with an
  errno also has the ``net`` property ``errno``;
* a condition a program builds (``make-property-condition``, ``make-composite-condition``,
  ``condition``) is a core Condition of kind "error" whose ``data["ck"]`` is the
  ordered list of ``(kind-symbol, [(prop-symbol, value), ...])``; when it has an
  ``exn`` component its message/arguments/location fill the core fields, so R7RS
  ``error-object-message`` and the error report see them too.

``condition-case`` and ``handle-exceptions`` are macros (Scheme source below) over the
runtime's ``guard``: the handler runs after unwinding, in the dynamic context of the
form, as in CHICKEN; an unmatched ``condition-case`` re-signals the same object.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ..runtime.argtypes import A
from ..runtime.registry import define_scheme
from ..values.conditions import Condition, SchemeError, make_condition, throw
from ..values.misc import UNSPECIFIED
from ..values.pairs import NIL, Pair, from_iter, to_list
from ..values.strings import MString
from ..values.symbols import Symbol
from ._table import Entry, export, install
from .chicken_data import sym

LIB = "(chicken condition)"
LIBS = (LIB, "(polysock chicken)")

NET = ("exn", "i/o", "net")
KINDS: Dict[str, Tuple[str, ...]] = {
    "socket": NET, "closed": NET, "resolve": NET, "herror": NET, "not-found": NET,
    "timeout": NET + ("timeout",), "unsupported": NET + ("unsupported",),
    "wrong-type": ("exn", "type"), "not-procedure": ("exn", "type"),
    "range": ("exn", "bounds"), "arity": ("exn", "arity"),
    "unbound": ("exn", "unbound-variable"), "syntax": ("exn", "syntax"),
    "read": ("exn", "syntax"), "file": ("exn", "i/o", "file"), "i/o": ("exn", "i/o"),
    "port-closed": ("exn", "i/o"), "assertion": ("exn",), "error": ("exn",),
}


def _who_symbol(who: Any) -> Any:
    if who is None or who is False:
        return False
    if isinstance(who, Symbol):
        return who
    if isinstance(who, str):
        return sym(who)
    return who


def components(c: Any) -> Optional[List[Tuple[Any, List[Tuple[Any, Any]]]]]:
    """[(kind symbol, [(property symbol, value)...])...] of a condition; None otherwise."""
    if c.__class__ is not Condition or c.kind == "exit":
        return None
    ck = c.data.get("ck")
    if ck is not None:
        return ck  # type: ignore[no-any-return]
    kinds = c.data.get("ck_kinds") or KINDS.get(c.kind)
    if kinds is None:
        kinds = ("exn",)
    msg = c.payload if c.payload.__class__ is MString else MString(c.message)
    loc = _who_symbol(c.who)
    if c.kind == "wrong-type" and c.data.get("expected") in TYPE_MESSAGES:
        msg, loc = _chicken_type_error(c, loc)
    out: List[Tuple[Any, List[Tuple[Any, Any]]]] = []
    for k in kinds:
        props: List[Tuple[Any, Any]] = []
        if k == "exn":
            props = [(sym("message"), msg), (sym("arguments"), from_iter(list(c.irritants))),
                     (sym("location"), loc)]
        elif k == "net" and c.data.get("errno") is not None:
            props = [(sym("errno"), c.data["errno"])]
        out.append((sym(k), props))
    return out


#: How the egg words a failed argument check, by the core condition's "expected" text:
#: (message, keeps location?). Checks the egg open-codes (record accessors, ##sys#check-exact
#: without a location, C fixnum conversion) report location #f; the egg's own checks,
#: parameter guards and option-accessor value checks name the procedure.
TYPE_MESSAGES: Dict[str, Tuple[str, bool]] = {
    "socket": ("argument is not a socket", True),
    "sockaddr": ("bad argument type - not a structure of the required type", False),
    "exact integer": ("bad argument type - not an exact number", False),
    "socket or file descriptor": ("bad argument type - not a fixnum", False),
}
#: Procedures whose exact-integer checks name themselves (parameter guards, option accessors).
NAMED_CHECKS = frozenset({
    "socket-connect-timeout", "socket-accept-timeout", "socket-receive-timeout",
    "socket-send-timeout", "so-send-buffer", "so-receive-buffer", "so-send-low-water",
    "so-receive-low-water", "ip-type-of-service", "ip-time-to-live", "tcp-keep-alive",
    "tcp-max-segment-size"})


def _chicken_type_error(c: Condition, loc: Any) -> Tuple[MString, Any]:
    text, keep = TYPE_MESSAGES[c.data["expected"]]
    name = getattr(loc, "name", None)
    return MString(text), loc if keep or name in NAMED_CHECKS else False


def kinds_of(c: Any) -> Optional[List[Any]]:
    comps = components(c)
    return None if comps is None else [k for k, _ in comps]


_MISSING = object()


def property_of(c: Any, kind: Any, prop: Any, default: Any = _MISSING) -> Any:
    """The value of *prop* in the *kind* component of *c*."""
    for k, props in components(c) or ():
        if k is kind:
            for p, v in props:
                if p is prop:
                    return v
    if default is _MISSING:
        throw("wrong-type", "condition-property-accessor",
              "condition has no such property", kind, prop)
    return default


def _build(comps: List[Tuple[Any, List[Tuple[Any, Any]]]]) -> Condition:
    """A core Condition carrying explicit CHICKEN components."""
    msg, args, loc = "", (), None
    for k, props in comps:
        if k.name == "exn":
            for p, v in props:
                if p.name == "message":
                    msg = v.s if v.__class__ is MString else _display(v)
                elif p.name == "arguments":
                    args = tuple(to_list(v) or ())
                elif p.name == "location" and v is not False:
                    loc = v
    c = make_condition("error", loc, msg, *args, ck=comps)
    return c


def _display(x: Any) -> str:
    from ..reader.printer import display_string
    return display_string(x)


def _plist(who: str, items: Tuple[Any, ...]) -> List[Tuple[Any, Any]]:
    if len(items) % 2:
        throw("wrong-type", who, "odd number of property arguments", *items)
    return [(items[i], items[i + 1]) for i in range(0, len(items), 2)]


# ---------------------------------------------------------------- procedures

def make_property_condition(kind: Any, *props: Any) -> Condition:
    """(make-property-condition kind-key prop-key value ...) -> condition"""
    return _build([(kind, _plist("make-property-condition", props))])


def make_composite_condition(*conds: Any) -> Condition:
    """(make-composite-condition condition ...) -> condition"""
    comps: List[Tuple[Any, List[Tuple[Any, Any]]]] = []
    for c in conds:
        cc = components(c)
        if cc is None:
            throw("wrong-type", "make-composite-condition", "argument is not a condition", c)
        comps.extend(cc or [])
    return _build(comps)


def condition(*specs: Any) -> Condition:
    """(condition '(kind prop value ...) ...) -> condition"""
    comps = []
    for s in specs:
        items = to_list(s)
        if not items or items[0].__class__ is not Symbol:
            throw("wrong-type", "condition", "bad condition specification", s)
            raise AssertionError
        comps.append((items[0], _plist("condition", tuple(items[1:]))))
    return _build(comps)


def condition_p(x: Any) -> bool:
    """(condition? obj) -> boolean"""
    return components(x) is not None


def condition_predicate(kind: Any) -> Any:
    """(condition-predicate kind) -> procedure"""
    def pred(c: Any) -> bool:
        ks = kinds_of(c)
        return ks is not None and kind in ks
    pred.__name__ = f"condition-predicate {getattr(kind, 'name', kind)}"
    return pred


def condition_property_accessor(kind: Any, prop: Any, *default: Any) -> Any:
    """(condition-property-accessor kind prop [default]) -> procedure"""
    def get(c: Any) -> Any:
        return property_of(c, kind, prop, *default)
    return get


def get_condition_property(c: Any, kind: Any, prop: Any, *default: Any) -> Any:
    """(get-condition-property condition kind prop [default]) -> object"""
    return property_of(c, kind, prop, *default)


def condition_to_list(c: Any) -> Any:
    """(condition->list condition) -> ((kind prop value ...) ...)"""
    comps = components(c)
    if comps is None:
        throw("wrong-type", "condition->list", "argument is not a condition", c)
    out: List[Any] = []
    for k, props in comps or ():
        flat: List[Any] = [k]
        for p, v in props:
            flat += [p, v]
        out.append(from_iter(flat))
    return from_iter(out)


def condition_kinds(c: Any) -> Any:
    """(%condition-kinds obj) -> list of kind symbols, or #f for a non-condition"""
    ks = kinds_of(c)
    return False if ks is None else from_iter(ks)


def abort(obj: Any) -> Any:
    """(abort obj): raise obj, not continuable"""
    from ..runtime.control import do_raise
    return do_raise(obj, False)


def signal(obj: Any) -> Any:
    """(signal obj) -> the handler's value (continuable raise)"""
    from ..runtime.control import do_raise
    return do_raise(obj, True)


def error_message_text(c: Any, header: str = "Error") -> str:
    """The line print-error-message writes (without the newline)."""
    from ..reader.printer import display_string, write_string
    comps = components(c)
    if comps is None:
        if c.__class__ is MString:
            return f"{header}: {c.s}"
        return f"{header}: uncaught exception: {write_string(c)}"
    msg = property_of(c, sym("exn"), sym("message"), False)
    text = header
    if msg is not False:
        text += ": "
        loc = property_of(c, sym("exn"), sym("location"), False)
        if loc.__class__ is Symbol:
            text += f"({loc.name}) "
        text += msg.s if msg.__class__ is MString else display_string(msg)
    else:
        text += ": <condition> " + display_string(from_iter(kinds_of(c) or []))
    args = to_list(property_of(c, sym("exn"), sym("arguments"), NIL)) or []
    if len(args) == 1:
        text += ": " + write_string(args[0])
    elif args:
        text += "".join("\n" + write_string(a) for a in args)
    return text


def print_error_message(c: Any, port: Any = None, header: Any = None) -> Any:
    """(print-error-message condition [port [header]]) -> unspecified"""
    from ..runtime.ports import current_output_port
    h = header.s if header.__class__ is MString else "Error"
    text = "\n" + error_message_text(c, h) + "\n"     # CHICKEN starts with a newline
    out = port if port is not None else current_output_port()
    out.write_str(text)
    return UNSPECIFIED


EXPORTS: List[Entry] = [
    export("make-property-condition", make_property_condition, A.symbol),
    export("make-composite-condition", make_composite_condition, A.any),
    export("condition", condition, A.any),
    export("condition?", condition_p, A.any),
    export("condition-predicate", condition_predicate, A.symbol),
    export("condition-property-accessor", condition_property_accessor, A.symbol, A.symbol),
    export("get-condition-property", get_condition_property, A.any, A.symbol, A.symbol),
    export("condition->list", condition_to_list, A.any),
    export("%condition-kinds", condition_kinds, A.any),
    export("abort", abort, A.any),
    export("signal", signal, A.any),
    export("print-error-message", print_error_message, A.any),
]
BINDINGS = install(LIBS, EXPORTS)

define_scheme(LIB, r"""
(define-syntax handle-exceptions
  (syntax-rules ()
    ((_ var handler body ...)
     (guard (var (#t handler)) body ...))))

(define-syntax condition-case
  (er-macro-transformer
   (lambda (form rename compare)
     (let ((expr (cadr form))
           (clauses (cddr form))
           (exvar (rename 'exvar))
           (kvar (rename 'kvar)))
       (define (parse-clause c)
         (let* ((var (and (not (pair? (car c))) (not (null? (car c))) (car c)))  ; may be renamed
                (kinds (if var (cadr c) (car c)))
                (body (if var (cddr c) (cdr c)))
                (run (if var
                         `(,(rename 'let) ((,var ,exvar)) ,@body)
                         `(,(rename 'let) () ,@body))))
           (if (null? kinds)
               (list 'else run)
               `((,(rename 'and) ,kvar
                  ,@(map (lambda (k) `(,(rename 'memq) ',k ,kvar)) kinds))
                 ,run))))
       (define (upto-else cs)
         (cond ((null? cs) (list (list (rename 'else) (list (rename 'abort) exvar))))
               ((eq? (car (car cs)) 'else) (list (cons (rename 'else) (cdr (car cs)))))
               (else (cons (car cs) (upto-else (cdr cs))))))
       (let ((dispatch `(,(rename 'let) ((,kvar (,(rename '%condition-kinds) ,exvar)))
                         (,(rename 'cond) ,@(upto-else (map parse-clause clauses))))))
         `(,(rename 'guard) (,exvar (#t ,dispatch)) ,expr))))))
""")
