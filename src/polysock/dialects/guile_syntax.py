"""Guile syntax socket programs use: define*/lambda* (#:optional #:key #:rest),
while/break/continue, use-modules/define-module headers, false-if-exception,
with-mutex, keywords.

``lambda*`` is a macro over a rest list: ``%guile-lambda*-expand`` (Python) rewrites
``(lambda* (a #:optional (b 1) #:key (c 2) #:rest r) body ...)`` into
``(lambda (a . rest) (let* ((b (if (pair? rest) (car rest) 1)) ... (c (%guile-kw-ref
rest #:c ...)) ...) body ...))``; defaults may refer to earlier parameters, as in Guile.
``while`` binds ``break``/``continue`` (escape continuations) only when the body
mentions them, so a plain loop is a plain named-let loop. ``use-modules`` and
``define-module`` expand to nothing: every module a Guile socket program imports is
preloaded in the dialect's environment (docs/dialects/guile.md lists them).
"""
from __future__ import annotations

from typing import Any, List

from ..runtime.argtypes import A
from ..runtime.registry import define_scheme, export_core_syntax
from ..values.misc import Keyword
from ..values.pairs import NIL, Pair, from_iter, to_list, cons
from ..values.symbols import Symbol, gensym, intern
from ._table import Entry, export, install
from .guile_errors import LIB, gthrow, slist

SYNTAX_LIB = "(polysock guile syntax)"
_MISSING = object()
S = intern


def kw_ref(rest: Any, key: Keyword, default: Any) -> Any:
    """(%guile-kw-ref args keyword default) -> the value after keyword in args, else default"""
    p = rest
    while isinstance(p, Pair) and isinstance(p.cdr, Pair):
        if p.car is key:
            return p.cdr.car
        p = p.cdr.cdr
    return default


def _lst(*items: Any) -> Any:
    return from_iter(list(items))


def _param(spec: Any) -> tuple:
    if isinstance(spec, Pair):
        items = to_list(spec) or []
        return items[0], (items[1] if len(items) > 1 else False)
    return spec, False


def lambda_star_expand(formals: Any, body: Any) -> Any:
    """(%guile-lambda*-expand formals body) -> the plain lambda form"""
    required: List[Any] = []
    optional: List[tuple] = []
    keys: List[tuple] = []
    rest_name: Any = None
    section = "req"
    p = formals
    while isinstance(p, Pair):
        x = p.car
        if isinstance(x, Keyword) and x.name in ("optional", "key", "rest", "allow-other-keys"):
            if x.name == "rest":
                section = "rest"
            elif x.name != "allow-other-keys":
                section = x.name
        elif section == "req":
            required.append(x)
        elif section == "optional":
            optional.append(_param(x))
        elif section == "key":
            keys.append(_param(x))
        else:
            rest_name = x
        p = p.cdr
    if isinstance(p, Symbol):
        rest_name = p
    if not optional and not keys:
        f: Any = rest_name if rest_name is not None else NIL
        for r in reversed(required):
            f = cons(r, f)
        return cons(S("lambda"), cons(f, body))
    tmp = gensym("%lambda*-args")
    binds: List[Any] = []
    for name, default in optional:
        binds.append(_lst(name, _lst(S("if"), _lst(S("pair?"), tmp), _lst(S("car"), tmp), default)))
        binds.append(_lst(tmp, _lst(S("if"), _lst(S("pair?"), tmp), _lst(S("cdr"), tmp), _lst(S("quote"), NIL))))
    if rest_name is not None:
        binds.append(_lst(rest_name, tmp))
    missing = gensym("%lambda*-none")
    for name, default in keys:
        kw = Keyword(name.name if isinstance(name, Symbol) else str(name))
        binds.append(_lst(name, _lst(S("let"), _lst(_lst(missing, _lst(S("%guile-kw-ref"), tmp, kw,
                                                                          _lst(S("quote"), tmp)))),
                                     _lst(S("if"), _lst(S("eq?"), missing, _lst(S("quote"), tmp)), default,
                                          missing))))
    f = tmp
    for r in reversed(required):
        f = cons(r, f)
    return _lst(S("lambda"), f, cons(S("let*"), cons(from_iter(binds), body)))


def contains_symbol(tree: Any, name: Symbol) -> bool:
    """(%guile-tree-mentions? tree symbol) -> #t when symbol occurs anywhere in tree"""
    stack = [tree]
    while stack:
        t = stack.pop()
        if t is name:
            return True
        if isinstance(t, Pair):
            stack.append(t.car)
            stack.append(t.cdr)
        elif t.__class__ is list:
            stack.extend(t)
    return False


def keyword_p(x: Any) -> bool:
    """(keyword? obj) -> boolean"""
    return isinstance(x, Keyword)


def keyword_to_symbol(k: Keyword) -> Symbol:
    """(keyword->symbol keyword) -> symbol"""
    return intern(k.name)


def symbol_to_keyword(s: Symbol) -> Keyword:
    """(symbol->keyword symbol) -> keyword"""
    return Keyword(s.name)


def provided_p(feature: Any) -> bool:
    """(provided? feature) -> boolean"""
    return isinstance(feature, Symbol) and feature.name in ("threads", "socket", "net-db", "ipv6")


ENTRIES: List[Entry] = [
    export("%guile-kw-ref", kw_ref, A.any, A.any, A.any),
    export("%guile-lambda*-expand", lambda_star_expand, A.any, A.any),
    export("%guile-tree-mentions?", contains_symbol, A.any, A.symbol),
    export("keyword?", keyword_p, A.any),
    export("keyword->symbol", keyword_to_symbol, A.define("keyword", "keyword", pred=keyword_p)),
    export("symbol->keyword", symbol_to_keyword, A.symbol),
    export("provided?", provided_p, A.any),
]
install([LIB, SYNTAX_LIB], ENTRIES)
export_core_syntax(SYNTAX_LIB, "define-macro", "receive", "named-lambda", "fluid-let", "assert")

define_scheme(SYNTAX_LIB, r"""
(define-macro (lambda* formals . body) (%guile-lambda*-expand formals body))
(define-macro (define* head . body)
  (if (pair? head)
      (list 'define (car head) (%guile-lambda*-expand (cdr head) body))
      (cons 'define (cons head body))))
(define-macro (while condition . body)
  (let ((brk (%guile-tree-mentions? (cons condition body) 'break))
        (cnt (%guile-tree-mentions? body 'continue))
        (lp (string->symbol "%while-loop")))
    (let* ((inner (if cnt
                      `(call-with-current-continuation
                        (lambda (%continue-k)
                          (let ((continue (lambda () (%continue-k #f)))) ,@body)))
                      `(begin ,@body)))
           (loop `(let ,lp () (if ,condition (begin ,inner (,lp)) #f))))
      (if brk
          `(call-with-current-continuation
            (lambda (%break-k)
              (let ((break (lambda vals (if (null? vals) (%break-k #t) (apply %break-k vals)))))
                ,loop)))
          loop))))
(define-macro (use-modules . specs) '(begin))
(define-syntax endianness (syntax-rules () ((_ e) 'e)))
(define-macro (define-module name . options) '(begin))
(define-macro (false-if-exception expr . opts)
  `(catch #t (lambda () ,expr) (lambda %args #f)))
(define-macro (with-mutex m . body)
  (let ((mv (string->symbol "%with-mutex-m")))
    `(let ((,mv ,m))
       (dynamic-wind (lambda () (lock-mutex ,mv)) (lambda () ,@body) (lambda () (unlock-mutex ,mv))))))
(define-macro (define-public head . body) `(define ,head ,@body))
(define-macro (export . names) '(begin))
(define-macro (re-export . names) '(begin))
""")
_ = (gthrow, slist)
