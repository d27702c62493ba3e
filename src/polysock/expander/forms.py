"""The expander: datums -> core forms (core.py), with the special and derived forms.

Each special form is declared once with ``@special("name")``; its handler receives the
expander, the whole form and the environment, and returns a core Node. Derived forms
that are easiest as rewrites build a new datum whose keywords are *core identifiers*
(``K("if")``: Renamed objects fixed to the core environment, so user bindings named
``if`` cannot capture them) and expand that. Forms that may expand to definitions
(define-values, define-record-type) are macros so a body scanner can see the defines.
A misshapen form raises a syntax condition located at that form.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

from ..values.conditions import SchemeError, make_condition
from ..values.misc import DEFAULT, UNSPECIFIED, Keyword
from ..values.pairs import NIL, Pair, SrcPair, from_iter, location_of, to_list, cons
from ..values.symbols import Symbol, intern
from . import core as C
from .scope import (FreshId, Global, Macro, Renamed, Scope, Special, Toplevel, base_symbol,
                    free_identifier_eq, is_identifier, resolve, strip, toplevel_of)
from .syntax_rules import SyntaxRules

SPECIALS: Dict[str, Special] = {}
MACROS: Dict[str, Callable[..., Any]] = {}

#: The core environment: every special form and built-in macro, and (filled by
#: toplevel.py) every primitive. Derived forms refer to it through K().
CORE = Toplevel("core")
_K: Dict[str, Renamed] = {}


def K(name: str) -> Renamed:
    """The core identifier *name* (cannot be captured by user bindings)."""
    k = _K.get(name)
    if k is None:
        k = _K[name] = Renamed(intern(name), CORE)
    return k


def fresh(name: str = "t") -> Renamed:
    """A fresh hygienic identifier for a temporary."""
    return FreshId(intern(name), CORE)


def syntax_error(msg: str, form: Any, *irritants: Any) -> SchemeError:
    c = make_condition("syntax", None, msg, *irritants)
    c.loc = location_of(form)
    return SchemeError(c)


def special(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        sp = Special(fn, name)
        SPECIALS[name] = sp
        CORE.define_syntax(name, sp)
        return fn
    return deco


def macro(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A built-in macro written in Python: fn(form, env, expander) -> datum."""
    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        MACROS[name] = fn
        CORE.define_syntax(name, Macro(fn, CORE, name))
        return fn
    return deco


def L(*items: Any, loc: Any = None) -> Any:
    """Build a list datum (carrying *loc* when given)."""
    res: Any = NIL
    for x in reversed(items):
        res = cons(x, res)
    if loc is not None and isinstance(res, Pair):
        res = SrcPair(res.car, res.cdr, loc)
    return res


def args_of(form: Any, lo: int, hi: Optional[int], what: str) -> List[Any]:
    """The operands of *form* as a Python list, checking the count."""
    items = to_list(form)
    if items is None:
        raise syntax_error(f"{what}: improper form", form)
    n = len(items) - 1
    if n < lo or (hi is not None and n > hi):
        raise syntax_error(f"{what}: bad syntax", form, strip(form))
    return items[1:]


def _marker_name(x: Any) -> Optional[str]:
    n = getattr(x, "name", None)
    if type(x).__name__ == "HashBangMarker" and isinstance(n, str):
        return n
    return None


class Expander:
    """Expands datums in environments. ``evaluate(node, env)`` (given by toplevel.py)
    runs core forms at expansion time, for procedural macros."""

    def __init__(self, evaluate: Optional[Callable[[Any, Any], Any]] = None,
                 load_library: Optional[Callable[[Any, Any], Any]] = None,
                 read_file: Optional[Callable[[str, bool, Any], List[Any]]] = None) -> None:
        self.evaluate = evaluate
        self.load_library = load_library
        self.read_file = read_file
        self.current_file: Optional[str] = None
        self.last_loc: Any = None     # location of the innermost list being expanded
        self.features: List[str] = ["r7rs", "exact-closed", "exact-complex", "ieee-float",
                                    "full-unicode", "ratios", "polysock", "posix", "unix",
                                    "linux", "x86-64", "little-endian", "swank", "srfi-0",
                                    "srfi-6", "srfi-9", "srfi-18", "srfi-23", "srfi-30",
                                    "srfi-39", "srfi-62", "srfi-69", "srfi-87", "srfi-106"]

    # -- entry points ------------------------------------------------------
    def expand_toplevel(self, x: Any, env: Toplevel) -> C.Node:
        """Expand one top-level form (definitions bind globals)."""
        return self.expand(x, env, top=True)

    def expand(self, x: Any, env: Any, top: bool = False) -> C.Node:
        while True:
            if x.__class__ is Symbol or x.__class__ is Renamed or x.__class__ is FreshId:
                return self._ref(x, env)
            if isinstance(x, Pair):
                loc = getattr(x, "loc", None)
                if loc is not None:
                    self.last_loc = loc
                head = x.car
                if head.__class__ is Symbol or head.__class__ is Renamed or head.__class__ is FreshId:
                    b = resolve(head, env)
                    if b.__class__ is Special:
                        if top:
                            return b.fn(self, x, env, True) if b.name in _TOP_AWARE else b.fn(self, x, env)
                        return b.fn(self, x, env) if b.name not in _TOP_AWARE else b.fn(self, x, env, False)
                    if b.__class__ is Macro:
                        x = self.apply_macro(b, x, env)
                        continue
                return self._call(x, env)
            if x is NIL:
                raise syntax_error("empty combination ()", x)
            return C.Const(strip(x))

    def apply_macro(self, m: Macro, x: Any, env: Any) -> Any:
        try:
            return m.fn(x, env, self)
        except SchemeError as e:
            c = e.payload
            if getattr(c, "loc", 1) is None:
                c.loc = location_of(x)
            raise

    def _ref(self, x: Any, env: Any) -> C.Node:
        b = resolve(x, env)
        if b.__class__ is C.Var:
            b.refs += 1
            return C.LocalRef(b)
        if b.__class__ is Global:
            return C.GlobalRef(b.name, b.env)
        err = syntax_error(f"bad use of syntax keyword {base_symbol(x).name}", x)
        if err.payload.loc is None:
            err.payload.loc = self.last_loc
        raise err

    def _call(self, x: Any, env: Any) -> C.Node:
        items = to_list(x)
        if items is None:
            raise syntax_error("improper combination", x, strip(x))
        fn = self.expand(items[0], env)
        args = [self.expand(a, env) for a in items[1:]]
        return C.Call(fn, args, location_of(x))

    # -- bodies --------------------------------------------------------------
    def expand_body(self, forms: List[Any], env: Any, form: Any) -> C.Node:
        """A lambda/let body: internal definitions become one letrec*."""
        scope = Scope(env)
        defs: List[Tuple[C.Var, Any]] = []   # (var, value datum or None)
        exprs: List[Any] = []
        queue = list(forms)
        saw_expr_after = False
        while queue:
            f = queue.pop(0)
            if isinstance(f, Pair) and is_identifier(f.car):
                b = resolve(f.car, scope)
                if b.__class__ is Macro:
                    queue.insert(0, self.apply_macro(b, f, scope))
                    continue
                if b.__class__ is Special:
                    if b.name == "begin":
                        sub = to_list(f)
                        if sub is None:
                            raise syntax_error("begin: improper form", f)
                        queue[0:0] = sub[1:]
                        continue
                    if b.name == "define":
                        name, value = self._parse_define(f)
                        v = C.Var(base_symbol(name).name)
                        scope.bind(name, v)
                        if exprs:
                            # an expression before a definition: keep order with a dummy binding
                            for e in exprs:
                                defs.append((C.Var("_"), e))
                            exprs = []
                        defs.append((v, value))
                        continue
                    if b.name == "define-syntax":
                        self._define_syntax(f, scope, scope)
                        continue
                    if b.name == "define-record-type" or b.name == "define-values":
                        queue.insert(0, b.fn(self, f, scope, "rewrite"))
                        continue
            exprs.append(f)
        if not exprs:
            if defs:
                exprs = [L(K("quote"), UNSPECIFIED)]
            else:
                raise syntax_error("empty body", form)
        inits: List[C.Node] = []
        for v, d in defs:
            node = self.expand(d, scope) if d is not None else C.Const(UNSPECIFIED)
            if isinstance(node, (C.Lambda, C.Dispatch)) and not node.name:
                node.name = v.name
            inits.append(node)
        body = self._seq([self.expand(e, scope) for e in exprs], form)
        if not defs:
            return body
        return C.Letrec([v for v, _ in defs], inits, body, location_of(form))

    def _seq(self, nodes: List[C.Node], form: Any = None) -> C.Node:
        if len(nodes) == 1:
            return nodes[0]
        return C.Seq(nodes, location_of(form))

    def _parse_define(self, f: Any) -> Tuple[Any, Any]:
        """(define name value) / (define (name . formals) body...) / curried define."""
        items = to_list(f)
        if items is None or len(items) < 2:
            raise syntax_error("define: bad syntax", f)
        target = items[1]
        if is_identifier(target):
            if len(items) == 2:
                return target, None
            if len(items) != 3:
                raise syntax_error("define: bad syntax", f, strip(f))
            return target, items[2]
        if isinstance(target, Pair):
            # (define ((curried a) b) ...) nests lambdas
            body = from_iter(items[2:])
            while isinstance(target.car, Pair):
                body = L(cons(K("lambda"), cons(target.cdr, body)))
                target = target.car
            name = target.car
            if not is_identifier(name):
                raise syntax_error("define: bad name", f)
            lam = SrcPair(K("named-lambda"), cons(cons(name, target.cdr), body), location_of(f))
            return name, lam
        raise syntax_error("define: bad syntax", f, strip(f))

    def _define_syntax(self, f: Any, bind_env: Any, use_env: Any) -> None:
        args = args_of(f, 2, 2, "define-syntax")
        name, spec = args
        if not is_identifier(name):
            raise syntax_error("define-syntax: bad name", f)
        binding = self.make_transformer(spec, use_env, base_symbol(name).name)
        if isinstance(bind_env, Toplevel):
            bind_env.syntax[base_symbol(name)] = binding
        else:
            bind_env.bind(name, binding)

    def make_transformer(self, spec: Any, env: Any, name: str) -> Any:
        if isinstance(spec, Pair) and is_identifier(spec.car):
            b = resolve(spec.car, env)
            if b.__class__ is Special and b.name == "syntax-rules":
                return Macro(SyntaxRules(spec, env, name), env, name)
            if b.__class__ is Special and b.name in ("er-macro-transformer", "ir-macro-transformer",
                                                      "rsc-macro-transformer", "sc-macro-transformer"):
                return self._procedural(b.name, spec, env, name)
        if is_identifier(spec):
            b = resolve(spec, env)
            if b.__class__ is Macro or b.__class__ is Special:
                return b
        raise syntax_error("define-syntax: unsupported transformer", spec, strip(spec))

    def _procedural(self, kind: str, spec: Any, env: Any, name: str) -> Macro:
        if self.evaluate is None:
            raise syntax_error(f"{kind}: procedural macros need an evaluator", spec)
        args = args_of(spec, 1, 1, kind)
        proc = self.evaluate(self.expand(args[0], env), toplevel_of(env))
        from .procedural import make_procedural
        return Macro(make_procedural(kind, proc, env), env, name)

    # -- lambda lists --------------------------------------------------------
    def parse_formals(self, formals: Any, form: Any) -> Tuple[List[Any], List[Tuple[Any, Any]], Any]:
        """-> (required ids, [(optional id, default datum or None)], rest id or None)."""
        req: List[Any] = []
        opt: List[Tuple[Any, Any]] = []
        rest = None
        mode = "req"
        x = formals
        while isinstance(x, Pair):
            p = x.car
            m = _marker_name(p)
            if m == "optional":
                mode = "opt"
            elif m == "rest":
                mode = "rest"
            elif m is not None:
                raise syntax_error(f"unsupported lambda-list marker #!{m}", form)
            elif mode == "rest":
                if not is_identifier(p):
                    raise syntax_error("bad rest parameter", form)
                rest = p
            elif mode == "opt":
                if is_identifier(p):
                    opt.append((p, None))
                elif isinstance(p, Pair) and is_identifier(p.car) and isinstance(p.cdr, Pair):
                    opt.append((p.car, p.cdr.car))
                else:
                    raise syntax_error("bad optional parameter", form)
            else:
                if not is_identifier(p):
                    raise syntax_error("lambda: parameter is not an identifier", form, strip(p))
                req.append(p)
            x = x.cdr
        if x is not NIL:
            if not is_identifier(x):
                raise syntax_error("lambda: bad formals", form, strip(formals))
            rest = x
        seen = set()
        for p in req + [o for o, _ in opt] + ([rest] if rest is not None else []):
            if p in seen:
                raise syntax_error("lambda: duplicate parameter", form, base_symbol(p))
            seen.add(p)
        return req, opt, rest

    def make_lambda(self, formals: Any, body: List[Any], env: Any, form: Any, name: str = "") -> C.Lambda:
        req, opt, rest = self.parse_formals(formals, form)
        scope = Scope(env)
        params = []
        for p in req:
            v = C.Var(base_symbol(p).name)
            scope.bind(p, v)
            params.append(v)
        optionals = []
        inits: List[Optional[C.Node]] = []
        od = toplevel_of(env).options.get("optional_default", DEFAULT)
        for p, d in opt:
            v = C.Var(base_symbol(p).name)
            if d is not None:
                inits.append(self.expand(d, scope))
            else:   # the dialect's value for an omitted #!optional (MIT: #!default, CHICKEN: #f)
                inits.append(C.Const(od) if od is not DEFAULT else None)
            scope.bind(p, v)
            optionals.append(v)
        rv = None
        if rest is not None:
            rv = C.Var(base_symbol(rest).name)
            scope.bind(rest, rv)
        if not body:
            raise syntax_error("lambda: empty body", form)
        b = self.expand_body(body, scope, form)
        return C.Lambda(params, rv, b, name, optionals, inits, location_of(form))


_TOP_AWARE = {"define", "begin", "define-syntax", "define-record-type", "define-values",
              "import", "define-library", "include", "include-ci", "cond-expand",
              "define-macro", "defmacro"}


def _cond_expand_test(exp: Expander, req: Any, form: Any) -> bool:
    if is_identifier(req):
        return base_symbol(req).name in exp.features
    if isinstance(req, Pair) and is_identifier(req.car):
        op = base_symbol(req.car).name
        rest = to_list(req.cdr) or []
        if op == "and":
            return all(_cond_expand_test(exp, r, form) for r in rest)
        if op == "or":
            return any(_cond_expand_test(exp, r, form) for r in rest)
        if op == "not":
            return not _cond_expand_test(exp, rest[0], form)
        if op == "library":
            from .libraries import library_exists
            return library_exists(strip(rest[0]))
        if op == "else":
            return True
    raise syntax_error("cond-expand: bad feature requirement", form, strip(req))


def cond_expand_select(exp: Expander, form: Any) -> List[Any]:
    """The body forms of the first cond-expand clause whose requirement holds."""
    clauses = to_list(form) or []
    for cl in clauses[1:]:
        items = to_list(cl)
        if not items:
            raise syntax_error("cond-expand: bad clause", form)
        req = items[0]
        if is_identifier(req) and base_symbol(req).name == "else":
            return items[1:]
        if _cond_expand_test(exp, req, form):
            return items[1:]
    return []


from . import specials as _specials  # noqa: E402,F401  (registers the special forms)
