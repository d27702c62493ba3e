"""The special and derived forms, each declared once (see forms.py)."""
from __future__ import annotations

from typing import Any, List

from ..values.misc import UNSPECIFIED
from ..values.pairs import NIL, Pair, SrcPair, from_iter, location_of, to_list, cons
from ..values.symbols import Symbol, intern
from . import core as C
from .forms import (CORE, K, L, Expander, args_of, cond_expand_select, fresh, macro,
                    special, syntax_error)
from .scope import (FreshId, Global, Macro, Renamed, Scope, Special, Toplevel, base_symbol,
                    free_identifier_eq, is_identifier, resolve, strip, toplevel_of)


def _is_kw(x: Any, env: Any, name: str) -> bool:
    """Is identifier *x* (in *env*) the keyword *name* (else, =>, unquote...)?"""
    if not is_identifier(x):
        return False
    return free_identifier_eq(x, env, K(name), CORE)


@special("quote")
def _quote(exp: Expander, form: Any, env: Any) -> C.Node:
    (d,) = args_of(form, 1, 1, "quote")
    return C.Const(strip(d), location_of(form))


@special("if")
def _if(exp: Expander, form: Any, env: Any) -> C.Node:
    a = args_of(form, 2, 3, "if")
    t = exp.expand(a[0], env)
    th = exp.expand(a[1], env)
    el = exp.expand(a[2], env) if len(a) == 3 else C.Const(UNSPECIFIED)
    return C.If(t, th, el, location_of(form))


@special("define")
def _define(exp: Expander, form: Any, env: Any, top: bool = False) -> C.Node:
    if not isinstance(env, Toplevel):
        raise syntax_error("define: not allowed in an expression context", form, strip(form))
    name, value = exp._parse_define(form)
    sym = base_symbol(name)
    if name.__class__ is FreshId:   # a derived form's temporary: a global of its own
        gname = env.renames.get(name) or f"{sym.name}\u00a7{len(env.renames) + 1}"
        env.renames[name] = gname
        sym = intern(gname)
    node = exp.expand(value, env) if value is not None else C.Const(UNSPECIFIED)
    if isinstance(node, (C.Lambda, C.Dispatch)) and not node.name:
        node.name = sym.name
    env.syntax.pop(sym, None)   # a variable definition shadows syntax of that name
    return C.GlobalSet(sym.name, env, node, True, location_of(form))


@special("set!")
def _set(exp: Expander, form: Any, env: Any) -> C.Node:
    name, value = args_of(form, 2, 2, "set!")
    if not is_identifier(name):
        # SRFI-17 generalized set!: (set! (proc args...) v) => ((setter proc) args... v)
        if isinstance(name, Pair):
            items = to_list(name) or []
            return exp.expand(cons(L(K("setter"), items[0]), from_iter(items[1:] + [value])), env)
        raise syntax_error("set!: not an identifier", form, strip(name))
    b = resolve(name, env)
    v = exp.expand(value, env)
    if b.__class__ is C.Var:
        b.assigned = True
        return C.LocalSet(b, v, location_of(form))
    if b.__class__ is Global:
        return C.GlobalSet(b.name, b.env, v, False, location_of(form))
    raise syntax_error("set!: cannot assign a syntax keyword", form, base_symbol(name))


@special("begin")
def _begin(exp: Expander, form: Any, env: Any, top: bool = False) -> C.Node:
    items = to_list(form)
    if items is None:
        raise syntax_error("begin: improper form", form)
    if len(items) == 1:
        if top:
            return C.Const(UNSPECIFIED)
        raise syntax_error("begin: empty", form)
    if top:
        return C.Seq([exp.expand(x, env, top=True) for x in items[1:]], location_of(form))
    return exp._seq([exp.expand(x, env) for x in items[1:]], form)


@special("lambda")
def _lambda(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None or len(items) < 3:
        raise syntax_error("lambda: bad syntax", form, strip(form))
    return exp.make_lambda(items[1], items[2:], env, form)


@special("named-lambda")
def _named_lambda(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None or len(items) < 3 or not isinstance(items[1], Pair):
        raise syntax_error("named-lambda: bad syntax", form, strip(form))
    return exp.make_lambda(items[1].cdr, items[2:], env, form, base_symbol(items[1].car).name)


def _bindings(form: Any, spec: Any, what: str) -> List[Any]:
    bs = to_list(spec)
    if bs is None:
        raise syntax_error(f"{what}: bad bindings", form)
    out = []
    for b in bs:
        items = to_list(b)
        if items is None or not items or not is_identifier(items[0]) or len(items) > 2:
            raise syntax_error(f"{what}: bad binding", form, strip(b))
        out.append((items[0], items[1] if len(items) == 2 else None))
    return out


@special("let")
def _let(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None or len(items) < 3:
        raise syntax_error("let: bad syntax", form, strip(form))
    if is_identifier(items[1]):
        # named let: ((letrec ((name (lambda vars body))) name) inits)
        name = items[1]
        if len(items) < 4:
            raise syntax_error("let: bad syntax", form, strip(form))
        bs = _bindings(form, items[2], "let")
        scope = Scope(env)
        v = C.Var(base_symbol(name).name)
        scope.bind(name, v)
        lam = exp.make_lambda(from_iter([b[0] for b in bs]), items[3:], scope, form, v.name)
        inits = [exp.expand(b[1], env) if b[1] is not None else C.Const(UNSPECIFIED) for b in bs]
        v.refs += 1
        return C.Letrec([v], [lam], C.Call(C.LocalRef(v), inits, location_of(form)), location_of(form))
    bs = _bindings(form, items[1], "let")
    inits = [exp.expand(b[1], env) if b[1] is not None else C.Const(UNSPECIFIED) for b in bs]
    scope = Scope(env)
    vars_ = []
    seen = set()
    for ident, _ in bs:
        if ident in seen:
            raise syntax_error("let: duplicate variable", form, base_symbol(ident))
        seen.add(ident)
        v = C.Var(base_symbol(ident).name)
        scope.bind(ident, v)
        vars_.append(v)
    body = exp.expand_body(items[2:], scope, form)
    if not vars_:
        return body
    for v, n in zip(vars_, inits):
        if isinstance(n, (C.Lambda, C.Dispatch)) and not n.name:
            n.name = v.name
    return C.Let(vars_, inits, body, location_of(form))


@special("let*")
def _let_star(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None or len(items) < 3:
        raise syntax_error("let*: bad syntax", form, strip(form))
    bs = _bindings(form, items[1], "let*")
    if len(bs) <= 1:
        return exp.expand(SrcPair(K("let"), cons(items[1], from_iter(items[2:])), location_of(form)), env)
    first = bs[0]
    inner = SrcPair(K("let*"), cons(from_iter([L(*[x for x in b if x is not None]) for b in bs[1:]]),
                                    from_iter(items[2:])), location_of(form))
    return exp.expand(L(K("let"), L(L(*[x for x in first if x is not None])), inner, loc=location_of(form)), env)


def _letrec_common(exp: Expander, form: Any, env: Any, what: str) -> C.Node:
    items = to_list(form)
    if items is None or len(items) < 3:
        raise syntax_error(f"{what}: bad syntax", form, strip(form))
    bs = _bindings(form, items[1], what)
    scope = Scope(env)
    vars_ = []
    for ident, _ in bs:
        v = C.Var(base_symbol(ident).name)
        scope.bind(ident, v)
        vars_.append(v)
    inits = []
    for v, (_, d) in zip(vars_, bs):
        n = exp.expand(d, scope) if d is not None else C.Const(UNSPECIFIED)
        if isinstance(n, (C.Lambda, C.Dispatch)) and not n.name:
            n.name = v.name
        inits.append(n)
    body = exp.expand_body(items[2:], scope, form)
    return C.Letrec(vars_, inits, body, location_of(form))


@special("letrec")
def _letrec(exp: Expander, form: Any, env: Any) -> C.Node:
    return _letrec_common(exp, form, env, "letrec")


@special("letrec*")
def _letrec_star(exp: Expander, form: Any, env: Any) -> C.Node:
    return _letrec_common(exp, form, env, "letrec*")


@special("define-syntax")
def _define_syntax(exp: Expander, form: Any, env: Any, top: bool = False) -> C.Node:
    if isinstance(env, Toplevel):
        exp._define_syntax(form, env, env)
        return C.Const(UNSPECIFIED)
    raise syntax_error("define-syntax: not allowed in an expression context", form)


def _let_syntax_common(exp: Expander, form: Any, env: Any, rec: bool) -> C.Node:
    items = to_list(form)
    if items is None or len(items) < 3:
        raise syntax_error("let-syntax: bad syntax", form, strip(form))
    bs = _bindings(form, items[1], "let-syntax")
    scope = Scope(env)
    for ident, spec in bs:
        scope.bind(ident, exp.make_transformer(spec, scope if rec else env, base_symbol(ident).name))
    return exp.expand_body(items[2:], scope, form)


@special("let-syntax")
def _let_syntax(exp: Expander, form: Any, env: Any) -> C.Node:
    return _let_syntax_common(exp, form, env, False)


@special("letrec-syntax")
def _letrec_syntax(exp: Expander, form: Any, env: Any) -> C.Node:
    return _let_syntax_common(exp, form, env, True)


@special("syntax-rules")
def _syntax_rules(exp: Expander, form: Any, env: Any) -> C.Node:
    raise syntax_error("syntax-rules: only valid as a transformer", form)


def _misplaced(name: str, why: str) -> None:
    """Declare *name* as a keyword that is an error wherever it is expanded on its own."""
    def handler(exp: Expander, form: Any, env: Any) -> C.Node:
        raise syntax_error(f"{name}: {why}", form)
    special(name)(handler)


for _n in ("er-macro-transformer", "ir-macro-transformer", "rsc-macro-transformer", "sc-macro-transformer"):
    _misplaced(_n, "only valid as a transformer")


# ---------------------------------------------------------------- conditionals

@special("and")
def _and(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None:
        raise syntax_error("and: improper form", form)
    args = items[1:]
    if not args:
        return C.Const(True)
    node = exp.expand(args[-1], env)
    for a in reversed(args[:-1]):
        node = C.If(exp.expand(a, env), node, C.Const(False), location_of(form))
    return node


@special("or")
def _or(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None:
        raise syntax_error("or: improper form", form)
    args = items[1:]
    if not args:
        return C.Const(False)
    node = exp.expand(args[-1], env)
    for a in reversed(args[:-1]):
        t = C.Var("or")
        t.refs = 2
        node = C.Let([t], [exp.expand(a, env)], C.If(C.LocalRef(t), C.LocalRef(t), node), location_of(form))
    return node


@special("when")
def _when(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None or len(items) < 3:
        raise syntax_error("when: bad syntax", form, strip(form))
    return C.If(exp.expand(items[1], env), exp._seq([exp.expand(x, env) for x in items[2:]], form),
                C.Const(UNSPECIFIED), location_of(form))


@special("unless")
def _unless(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None or len(items) < 3:
        raise syntax_error("unless: bad syntax", form, strip(form))
    return C.If(exp.expand(items[1], env), C.Const(UNSPECIFIED),
                exp._seq([exp.expand(x, env) for x in items[2:]], form), location_of(form))


@special("cond")
def _cond(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None:
        raise syntax_error("cond: improper form", form)
    return _cond_clauses(exp, items[1:], env, form)


def _cond_clauses(exp: Expander, clauses: List[Any], env: Any, form: Any) -> C.Node:
    if not clauses:
        return C.Const(UNSPECIFIED)
    cl = clauses[0]
    items = to_list(cl)
    if not items:
        raise syntax_error("cond: bad clause", form, strip(cl))
    loc = location_of(cl) or location_of(form)
    if _is_kw(items[0], env, "else"):
        if len(clauses) > 1:
            raise syntax_error("cond: else clause must be last", form)
        if len(items) < 2:
            raise syntax_error("cond: empty else clause", form)
        return exp._seq([exp.expand(x, env) for x in items[1:]], cl)
    rest = _cond_clauses(exp, clauses[1:], env, form)
    test = exp.expand(items[0], env)
    if len(items) == 1:
        t = C.Var("t")
        return C.Let([t], [test], C.If(C.LocalRef(t), C.LocalRef(t), rest), loc)
    if _is_kw(items[1], env, "=>"):
        if len(items) != 3:
            raise syntax_error("cond: bad => clause", form, strip(cl))
        t = C.Var("t")
        f = exp.expand(items[2], env)
        return C.Let([t], [test], C.If(C.LocalRef(t), C.Call(f, [C.LocalRef(t)], loc), rest), loc)
    return C.If(test, exp._seq([exp.expand(x, env) for x in items[1:]], cl), rest, loc)


def _simple_datum(d: Any) -> bool:
    return d.__class__ in (Symbol, bool, str) or d is NIL or (d.__class__ is int and -(1 << 30) < d < (1 << 30))


@special("case")
def _case(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None or len(items) < 2:
        raise syntax_error("case: bad syntax", form, strip(form))
    key = C.Var("key")
    loc = location_of(form)

    def clauses(cls: List[Any]) -> C.Node:
        if not cls:
            return C.Const(UNSPECIFIED)
        cl = cls[0]
        ci = to_list(cl)
        if not ci or len(ci) < 2:
            raise syntax_error("case: bad clause", form, strip(cl))
        if _is_kw(ci[0], env, "=>") or (len(ci) == 3 and _is_kw(ci[1], env, "=>")):
            pass
        is_else = _is_kw(ci[0], env, "else")
        if is_else and len(cls) > 1:
            raise syntax_error("case: else clause must be last", form)
        if len(ci) == 3 and _is_kw(ci[1], env, "=>"):
            body: C.Node = C.Call(exp.expand(ci[2], env), [C.LocalRef(key)], loc)
        else:
            body = exp._seq([exp.expand(x, env) for x in ci[1:]], cl)
        if is_else:
            return body
        data = to_list(strip(ci[0]))
        if data is None:
            raise syntax_error("case: bad datum list", form, strip(ci[0]))
        tests: List[C.Node] = []
        if all(_simple_datum(d) for d in data) and len(data) <= 8:
            for d in data:
                tests.append(C.Call(C.GlobalRef("eqv?", CORE), [C.LocalRef(key), C.Const(d)], loc))
        else:
            tests.append(C.Call(C.GlobalRef("memv", CORE), [C.LocalRef(key), C.Const(from_iter(data))], loc))
        test: C.Node = C.Const(False)
        if tests:
            test = tests[-1]
            for t in reversed(tests[:-1]):
                test = C.If(t, C.Const(True), test)
        return C.If(test, body, clauses(cls[1:]), loc)

    return C.Let([key], [exp.expand(items[1], env)], clauses(items[2:]), loc)


@special("do")
def _do(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None or len(items) < 3:
        raise syntax_error("do: bad syntax", form, strip(form))
    specs = to_list(items[1])
    end = to_list(items[2])
    if specs is None or not end:
        raise syntax_error("do: bad syntax", form, strip(form))
    loop = fresh("do-loop")
    vars_, inits, steps = [], [], []
    for s in specs:
        si = to_list(s)
        if not si or len(si) > 3 or not is_identifier(si[0]):
            raise syntax_error("do: bad variable spec", form, strip(s))
        vars_.append(si[0])
        inits.append(si[1] if len(si) > 1 else L(K("quote"), UNSPECIFIED))
        steps.append(si[2] if len(si) == 3 else si[0])
    result = end[1:] or [L(K("quote"), UNSPECIFIED)]
    body = L(K("if"), end[0], cons(K("begin"), from_iter(result)),
             cons(K("begin"), from_iter(items[3:] + [cons(loop, from_iter(steps))])))
    return exp.expand(L(K("let"), loop, from_iter([L(v, i) for v, i in zip(vars_, inits)]), body,
                        loc=location_of(form)), env)


# ---------------------------------------------------------------- quasiquote

@special("quasiquote")
def _quasiquote(exp: Expander, form: Any, env: Any) -> C.Node:
    (d,) = args_of(form, 1, 1, "quasiquote")
    return exp.expand(_qq(d, 1, env, form), env)


def _qq(x: Any, depth: int, env: Any, form: Any) -> Any:
    if isinstance(x, Pair):
        head = x.car
        if _is_kw(head, env, "unquote"):
            arg = _qq_arg(x, form)
            if depth == 1:
                return arg
            return L(K("list"), L(K("quote"), intern("unquote")), _qq(arg, depth - 1, env, form))
        if _is_kw(head, env, "quasiquote"):
            arg = _qq_arg(x, form)
            return L(K("list"), L(K("quote"), intern("quasiquote")), _qq(arg, depth + 1, env, form))
        if isinstance(head, Pair) and _is_kw(head.car, env, "unquote-splicing"):
            arg = _qq_arg(head, form)
            rest = _qq(x.cdr, depth, env, form)
            if depth == 1:
                return L(K("append"), arg, rest)
            inner = L(K("list"), L(K("quote"), intern("unquote-splicing")), _qq(arg, depth - 1, env, form))
            return L(K("cons"), inner, rest)
        return L(K("cons"), _qq(head, depth, env, form), _qq(x.cdr, depth, env, form))
    if x.__class__ is list:
        return L(K("list->vector"), _qq(from_iter(x), depth, env, form))
    if is_identifier(x) or x is NIL:
        return L(K("quote"), x)
    return x if not isinstance(x, Pair) else L(K("quote"), x)


def _qq_arg(x: Any, form: Any) -> Any:
    if not (isinstance(x.cdr, Pair) and x.cdr.cdr is NIL):
        raise syntax_error("quasiquote: bad unquote form", form, strip(x))
    return x.cdr.car


for _n in ("unquote", "unquote-splicing", "else", "=>", "...", "_"):
    _misplaced(_n, "misplaced")


# ---------------------------------------------------------------- procedures & values

@special("case-lambda")
def _case_lambda(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None:
        raise syntax_error("case-lambda: improper form", form)
    clauses = []
    for cl in items[1:]:
        ci = to_list(cl)
        if not ci or len(ci) < 2:
            raise syntax_error("case-lambda: bad clause", form, strip(cl))
        clauses.append(exp.make_lambda(ci[0], ci[1:], env, cl))
    return C.Dispatch(clauses, "", location_of(form))


@special("delay")
def _delay(exp: Expander, form: Any, env: Any) -> C.Node:
    (e,) = args_of(form, 1, 1, "delay")
    return C.Call(C.GlobalRef("%make-lazy-promise", CORE),
                  [exp.make_lambda(NIL, [e], env, form, "delay"), C.Const(False)], location_of(form))


@special("delay-force")
def _delay_force(exp: Expander, form: Any, env: Any) -> C.Node:
    (e,) = args_of(form, 1, 1, "delay-force")
    return C.Call(C.GlobalRef("%make-lazy-promise", CORE),
                  [exp.make_lambda(NIL, [e], env, form, "delay-force"), C.Const(True)], location_of(form))


@special("lazy")
def _lazy(exp: Expander, form: Any, env: Any) -> C.Node:
    return _delay_force(exp, form, env)


@special("cons-stream")
def _cons_stream(exp: Expander, form: Any, env: Any) -> C.Node:
    a, b = args_of(form, 2, 2, "cons-stream")
    return exp.expand(L(K("cons"), a, L(K("delay"), b), loc=location_of(form)), env)


@special("parameterize")
def _parameterize(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None or len(items) < 3:
        raise syntax_error("parameterize: bad syntax", form, strip(form))
    bs = to_list(items[1])
    if bs is None:
        raise syntax_error("parameterize: bad bindings", form)
    ps, vs = [], []
    for b in bs:
        bi = to_list(b)
        if not bi or len(bi) != 2:
            raise syntax_error("parameterize: bad binding", form, strip(b))
        ps.append(exp.expand(bi[0], env))
        vs.append(exp.expand(bi[1], env))
    thunk = exp.make_lambda(NIL, items[2:], env, form, "parameterize")
    loc = location_of(form)
    return C.Call(C.GlobalRef("%parameterize", CORE),
                  [C.Call(C.GlobalRef("list", CORE), ps, loc), C.Call(C.GlobalRef("list", CORE), vs, loc), thunk], loc)


@special("fluid-let")
def _fluid_let(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None or len(items) < 3:
        raise syntax_error("fluid-let: bad syntax", form, strip(form))
    bs = _bindings(form, items[1], "fluid-let")
    tmps = [fresh("new") for _ in bs]
    olds = [fresh("old") for _ in bs]
    swap = [L(K("set!"), o, n) for (n, _), o in zip(bs, olds)]
    setn = [L(K("set!"), n, t) for (n, _), t in zip(bs, tmps)]
    restore = [L(K("set!"), n, o) for (n, _), o in zip(bs, olds)]
    return exp.expand(L(K("let"), from_iter([L(t, v) for (_, v), t in zip(bs, tmps)] + [L(o, n) for (n, _), o in zip(bs, olds)]),
                        L(K("dynamic-wind"),
                          L(K("lambda"), NIL, *setn) if setn else L(K("lambda"), NIL, False),
                          cons(K("lambda"), cons(NIL, from_iter(items[2:]))),
                          L(K("lambda"), NIL, *[L(K("set!"), t, n) for (n, _), t in zip(bs, tmps)], *restore)),
                        loc=location_of(form)), env)


@special("guard")
def _guard(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None or len(items) < 3:
        raise syntax_error("guard: bad syntax", form, strip(form))
    spec = to_list(items[1])
    if not spec or not is_identifier(spec[0]):
        raise syntax_error("guard: bad clause list", form, strip(items[1]))
    var = spec[0]
    clauses = spec[1:]
    has_else = bool(clauses) and _is_kw((to_list(clauses[-1]) or [None])[0], env, "else")
    if not has_else:
        clauses = clauses + [L(K("else"), L(K("%guard-reraise"), var))]
    handler = L(K("lambda"), L(var), cons(K("cond"), from_iter(clauses)))
    body = cons(K("lambda"), cons(NIL, from_iter(items[2:])))
    return exp.expand(L(K("%guard"), body, handler, loc=location_of(form)), env)


@special("receive")
def _receive(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None or len(items) < 4:
        raise syntax_error("receive: bad syntax", form, strip(form))
    return exp.expand(L(K("call-with-values"), L(K("lambda"), NIL, items[2]),
                        cons(K("lambda"), cons(items[1], from_iter(items[3:]))), loc=location_of(form)), env)


def _formals_ids(formals: Any) -> List[Any]:
    out = []
    while isinstance(formals, Pair):
        out.append(formals.car)
        formals = formals.cdr
    if formals is not NIL:
        out.append(formals)
    return out


def _rename_formals(formals: Any) -> Any:
    """The same shape with fresh temporaries."""
    if isinstance(formals, Pair):
        return cons(fresh(base_symbol(formals.car).name), _rename_formals(formals.cdr))
    if formals is NIL:
        return NIL
    return fresh(base_symbol(formals).name)


@special("let-values")
def _let_values(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None or len(items) < 3:
        raise syntax_error("let-values: bad syntax", form, strip(form))
    bs = to_list(items[1])
    if bs is None:
        raise syntax_error("let-values: bad bindings", form)
    pairs = []
    for b in bs:
        bi = to_list(b)
        if not bi or len(bi) != 2:
            raise syntax_error("let-values: bad binding", form, strip(b))
        pairs.append((bi[0], _rename_formals(bi[0]), bi[1]))
    # innermost: bind the real names to the temporaries
    rebind = []
    for formals, temps, _ in pairs:
        for f, t in zip(_formals_ids(formals), _formals_ids(temps)):
            rebind.append(L(f, t))
    body: Any = cons(K("let"), cons(from_iter(rebind), from_iter(items[2:])))
    for formals, temps, init in reversed(pairs):
        body = L(K("call-with-values"), L(K("lambda"), NIL, init), L(K("lambda"), temps, body))
    return exp.expand(SrcPair(body.car, body.cdr, location_of(form)) if isinstance(body, Pair) else body, env)


@special("let*-values")
def _let_star_values(exp: Expander, form: Any, env: Any) -> C.Node:
    items = to_list(form)
    if items is None or len(items) < 3:
        raise syntax_error("let*-values: bad syntax", form, strip(form))
    bs = to_list(items[1])
    if bs is None:
        raise syntax_error("let*-values: bad bindings", form)
    body: Any = cons(K("let"), cons(NIL, from_iter(items[2:])))
    for b in reversed(bs):
        bi = to_list(b)
        if not bi or len(bi) != 2:
            raise syntax_error("let*-values: bad binding", form, strip(b))
        body = L(K("call-with-values"), L(K("lambda"), NIL, bi[1]), L(K("lambda"), bi[0], body))
    return exp.expand(body, env)


@special("define-values")
def _define_values(exp: Expander, form: Any, env: Any, top: Any = False) -> Any:
    a = args_of(form, 2, 2, "define-values")
    formals, expr = a
    ids = _formals_ids(formals)
    tmp = fresh("vals")
    defs = [L(K("define"), tmp, L(K("call-with-values"), L(K("lambda"), NIL, expr), K("list")))]
    x: Any = formals
    acc: Any = tmp
    while isinstance(x, Pair):
        defs.append(L(K("define"), x.car, L(K("car"), acc)))
        acc = L(K("cdr"), acc)
        x = x.cdr
    if x is not NIL:
        defs.append(L(K("define"), x, acc))
    rewritten = cons(K("begin"), from_iter(defs))
    if top == "rewrite":
        return rewritten
    if isinstance(env, Toplevel):
        return exp.expand(rewritten, env, top=True)
    raise syntax_error("define-values: not allowed in an expression context", form)


@special("define-record-type")
def _define_record_type(exp: Expander, form: Any, env: Any, top: Any = False) -> Any:
    items = to_list(form)
    if items is None or len(items) < 3:
        raise syntax_error("define-record-type: bad syntax", form, strip(form))
    tname, ctor, pred = items[1], items[2], items[3] if len(items) > 3 else False
    fields = items[4:]
    if isinstance(tname, Pair):   # (name extra...) forms some dialects allow
        tname = tname.car
    fnames = []
    for f in fields:
        fi = to_list(f) if isinstance(f, Pair) else [f]
        if not fi or not is_identifier(fi[0]):
            raise syntax_error("define-record-type: bad field", form, strip(f))
        fnames.append(fi)
    field_syms = [base_symbol(f[0]) for f in fnames]
    defs: List[Any] = []
    rtd = tname
    defs.append(L(K("define"), rtd, L(K("%make-record-type"), L(K("quote"), base_symbol(tname)),
                                        L(K("quote"), from_iter(field_syms)))))
    if ctor is not False and ctor is not NIL and ctor is not None:
        if is_identifier(ctor):
            cname, cargs = ctor, field_syms
        else:
            ci = to_list(ctor)
            if not ci or not is_identifier(ci[0]):
                raise syntax_error("define-record-type: bad constructor", form, strip(ctor))
            cname, cargs = ci[0], [base_symbol(x) for x in ci[1:]]
        idx = []
        for a in cargs:
            if a not in field_syms:
                raise syntax_error("define-record-type: constructor argument is not a field", form, a)
            idx.append(field_syms.index(a))
        defs.append(L(K("define"), cname, L(K("%record-constructor"), rtd, L(K("quote"), from_iter(idx)),
                                              L(K("quote"), base_symbol(cname)))))
    if pred is not False and is_identifier(pred):
        defs.append(L(K("define"), pred, L(K("%record-predicate"), rtd, L(K("quote"), base_symbol(pred)))))
    for i, f in enumerate(fnames):
        if len(f) > 1:
            defs.append(L(K("define"), f[1], L(K("%record-accessor"), rtd, i, L(K("quote"), base_symbol(f[1])))))
        if len(f) > 2:
            defs.append(L(K("define"), f[2], L(K("%record-modifier"), rtd, i, L(K("quote"), base_symbol(f[2])))))
    rewritten = cons(K("begin"), from_iter(defs))
    if top == "rewrite":
        return rewritten
    if isinstance(env, Toplevel):
        return exp.expand(rewritten, env, top=True)
    raise syntax_error("define-record-type: not allowed in an expression context", form)


# ---------------------------------------------------------------- files & features

@special("include")
def _include(exp: Expander, form: Any, env: Any, top: bool = False) -> C.Node:
    return _include_common(exp, form, env, top, False)


@special("include-ci")
def _include_ci(exp: Expander, form: Any, env: Any, top: bool = False) -> C.Node:
    return _include_common(exp, form, env, top, True)


def _include_common(exp: Expander, form: Any, env: Any, top: bool, ci: bool) -> C.Node:
    names = args_of(form, 1, None, "include")
    if exp.read_file is None:
        raise syntax_error("include: no file reader", form)
    forms: List[Any] = []
    for n in names:
        if not hasattr(n, "s"):
            raise syntax_error("include: file name must be a string", form, strip(n))
        forms.extend(exp.read_file(n.s, ci, form))
    body = cons(K("begin"), from_iter(forms))
    return exp.expand(body, env, top=top) if forms else C.Const(UNSPECIFIED)


@special("cond-expand")
def _cond_expand(exp: Expander, form: Any, env: Any, top: bool = False) -> C.Node:
    body = cond_expand_select(exp, form)
    if not body:
        return C.Const(UNSPECIFIED)
    return exp.expand(cons(K("begin"), from_iter(body)), env, top=top)


@special("import")
def _import(exp: Expander, form: Any, env: Any, top: bool = False) -> C.Node:
    if not isinstance(env, Toplevel):
        raise syntax_error("import: only allowed at top level", form)
    from .libraries import import_sets
    import_sets(exp, to_list(form)[1:], env, form)   # type: ignore[index]
    return C.Const(UNSPECIFIED)


@special("define-library")
def _define_library(exp: Expander, form: Any, env: Any, top: bool = False) -> C.Node:
    from .libraries import define_library
    define_library(exp, form, env)
    return C.Const(UNSPECIFIED)


@special("the-environment")
def _the_environment(exp: Expander, form: Any, env: Any) -> C.Node:
    return C.Const(toplevel_of(env))


@special("assert")
def _assert(exp: Expander, form: Any, env: Any) -> C.Node:
    a = args_of(form, 1, None, "assert")
    return C.If(exp.expand(a[0], env), C.Const(UNSPECIFIED),
                C.Call(C.GlobalRef("%assertion-failed", CORE), [C.Const(strip(a[0]))], location_of(form)),
                location_of(form))


@special("define-macro")
def _define_macro(exp: Expander, form: Any, env: Any, top: bool = False) -> C.Node:
    """(define-macro (name . params) body ...) or (define-macro name transformer)."""
    items = to_list(form)
    if items is None or len(items) < 3:
        raise syntax_error("define-macro: bad syntax", form, strip(form))
    target = items[1]
    if isinstance(target, Pair):
        name = target.car
        lam = cons(K("lambda"), cons(target.cdr, from_iter(items[2:])))
    else:
        name, lam = target, items[2]
    return _install_macro(exp, form, env, name, lam)


@special("defmacro")
def _defmacro(exp: Expander, form: Any, env: Any, top: bool = False) -> C.Node:
    """(defmacro name params body ...)"""
    items = to_list(form)
    if items is None or len(items) < 4:
        raise syntax_error("defmacro: bad syntax", form, strip(form))
    lam = cons(K("lambda"), cons(items[2], from_iter(items[3:])))
    return _install_macro(exp, form, env, items[1], lam)


def _install_macro(exp: Expander, form: Any, env: Any, name: Any, lam: Any) -> C.Node:
    if not is_identifier(name) or exp.evaluate is None:
        raise syntax_error("define-macro: bad name", form)
    from .procedural import make_define_macro
    proc = exp.evaluate(exp.expand(lam, env), toplevel_of(env))
    m = Macro(make_define_macro(proc), env, base_symbol(name).name)
    if isinstance(env, Toplevel):
        env.syntax[base_symbol(name)] = m
    else:
        env.bind(name, m)
    return C.Const(UNSPECIFIED)
