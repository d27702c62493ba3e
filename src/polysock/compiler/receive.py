"""Open-coding ``call-with-values`` when both of its operands are lambdas.

Theory of operation
-------------------
``receive``, ``let-values``, ``let*-values`` and ``define-values`` expand into
``(call-with-values (lambda () init) (lambda formals body))``, and programs write the
same shape by hand. Called as written, that allocates two closures, runs the producer
through a call and the consumer through a tail-call tuple: about a microsecond per
use, in loops that often do little else (a datagram server's receive-and-reply).
``rewrite`` runs before analysis and replaces each such call by a ``core.Receive``
node: the producer's body is evaluated in place, its values are spread over the
consumer's variables (``spread``), and the consumer's body follows in the call's own
tail position, so a named let whose loop call sits in that body can become a loop.

The operator must be the ``call-with-values`` primitive:

* a core reference (what the expander writes for ``receive`` and friends) cannot be
  rebound by the program, so the open-coded form is all there is;
* the program's own global ``call-with-values`` can be rebound at any time (a later
  ``define``), so the node keeps a ``guard``: code generation tests that the global
  is still the primitive, and runs ``fallback`` otherwise, which is the original call
  over fresh copies of both lambdas (``_copy``: new Vars, so the two versions share
  no binding). The copy doubles the code, so a guarded rewrite is never nested in
  another: the outer of two guarded candidates stays a plain call.

Arity: a value count the consumer does not accept raises exactly what calling the
consumer would, because ``spread`` calls a parameter-only stand-in with the values
(``arity_stub``: same Python name, parameter names and rest parameter, an empty
body); the condition then names that stand-in as the procedure.
"""
from __future__ import annotations

import ast
import itertools
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..expander import core as C
from ..values.misc import MultipleValues
from ..values.pairs import NIL, cons

SEP = "\u00a7"
_uid = itertools.count(1)


def spread(v: Any, n: int, stub: Callable[..., Any]) -> Tuple[Any, ...]:
    """The *n* values *v* stands for; with another count, *stub*'s arity error."""
    vals = v.vals if v.__class__ is MultipleValues else (v,)
    if len(vals) != n:
        _arity_error(stub, vals)
    return vals


def spread_rest(v: Any, n: int, stub: Callable[..., Any]) -> Tuple[Any, ...]:
    """The first *n* values of *v*, then a list of the others (fewer: *stub*'s error)."""
    vals = v.vals if v.__class__ is MultipleValues else (v,)
    if len(vals) < n:
        _arity_error(stub, vals)
    rest: Any = NIL
    for x in reversed(vals[n:]):
        rest = cons(x, rest)
    return vals[:n] + (rest,)


def _arity_error(stub: Callable[..., Any], vals: Tuple[Any, ...]) -> None:
    try:
        stub(*vals)
    except TypeError as e:
        e.procedure = stub   # type: ignore[attr-defined]  # for the arity condition
        raise
    raise AssertionError("arity stub accepted the values")   # pragma: no cover


_STUBS: Dict[Tuple[str, Tuple[str, ...], Optional[str]], Callable[..., Any]] = {}


def arity_stub(lam: C.Lambda, pyname: Callable[[C.Var], str]) -> Callable[..., Any]:
    """A do-nothing function shaped like the consumer *lam* (see Theory of operation)."""
    name = f"{lam.name or 'lambda'}{SEP}{next(_uid)}"
    params = tuple(pyname(p) for p in lam.params)
    rest = pyname(lam.rest) if lam.rest is not None else None
    key = (lam.name or "lambda", params, rest)
    fn = _STUBS.get(key)
    if fn is None:
        args = ast.arguments([], [ast.arg(p) for p in params], ast.arg(rest) if rest else None, [], [], None, [])
        mod = ast.Module([ast.FunctionDef(name, args, [ast.Pass()], [], None)], [])
        ns: Dict[str, Any] = {"__builtins__": {}}
        exec(compile(ast.fix_missing_locations(mod), "<polysock>", "exec"), ns)
        fn = _STUBS[key] = ns[name]
    return fn


# -- the rewrite ------------------------------------------------------------------


def rewrite(node: C.Node, user_env: Any) -> C.Node:
    """*node* with every open-codable ``call-with-values`` replaced (children in place)."""
    return _walk(node, user_env)[0]


def _is_cwv(fn: C.Node) -> bool:
    if fn.__class__ is not C.GlobalRef:
        return False
    v = fn.env.namespace.get(fn.name)   # type: ignore[attr-defined]
    return getattr(v, "scheme_name", None) == "call-with-values"


def _candidate(n: C.Call) -> bool:
    if len(n.args) != 2 or not _is_cwv(n.fn):
        return False
    p, c = n.args
    return (p.__class__ is C.Lambda and not p.params and not p.optionals and p.rest is None  # type: ignore[attr-defined]
            and c.__class__ is C.Lambda and not c.optionals)   # type: ignore[attr-defined]


def _walk(n: C.Node, env: Any) -> Tuple[C.Node, bool]:
    """(the rewritten node, whether it contains a guarded Receive)."""
    c = n.__class__
    g = False
    if c is C.If:
        n.test, g1 = _walk(n.test, env)      # type: ignore[attr-defined]
        n.then, g2 = _walk(n.then, env)      # type: ignore[attr-defined]
        n.else_, g3 = _walk(n.else_, env)    # type: ignore[attr-defined]
        return n, g1 or g2 or g3
    if c is C.Seq:
        g = _walk_list(n.body, env)          # type: ignore[attr-defined]
        return n, g
    if c is C.Let or c is C.Letrec:
        g = _walk_list(n.inits, env)         # type: ignore[attr-defined]
        n.body, g2 = _walk(n.body, env)      # type: ignore[attr-defined]
        return n, g or g2
    if c is C.LocalSet or c is C.GlobalSet:
        n.value, g = _walk(n.value, env)     # type: ignore[attr-defined]
        return n, g
    if c is C.Lambda:
        for i, init in enumerate(n.opt_inits):   # type: ignore[attr-defined]
            if init is not None:
                n.opt_inits[i], gi = _walk(init, env)   # type: ignore[attr-defined]
                g = g or gi
        n.body, gb = _walk(n.body, env)      # type: ignore[attr-defined]
        return n, g or gb
    if c is C.Dispatch:
        g = _walk_list(n.clauses, env)       # type: ignore[attr-defined]
        return n, g
    if c is not C.Call:
        return n, False
    n.fn, g = _walk(n.fn, env)               # type: ignore[attr-defined]
    g = _walk_list(n.args, env) or g         # type: ignore[attr-defined]
    if not _candidate(n):                    # type: ignore[arg-type]
        return n, g
    prod, cons_ = n.args                     # type: ignore[attr-defined]
    guard = n.fn if n.fn.env is env else None   # type: ignore[attr-defined]
    if guard is not None and g:
        return n, True                       # never nest guarded copies (see Theory)
    fallback = None
    if guard is not None:
        vmap: Dict[int, C.Var] = {}
        fallback = C.Call(n.fn, [_copy(prod, vmap), _copy(cons_, vmap)], n.loc)   # type: ignore[attr-defined]
    r = C.Receive(list(cons_.params), cons_.rest, prod.body, cons_.body, guard, fallback, cons_, n.loc)
    return r, g or guard is not None


def _walk_list(items: List[Any], env: Any) -> bool:
    g = False
    for i, x in enumerate(items):
        items[i], gi = _walk(x, env)
        g = g or gi
    return g


def _fresh(v: C.Var, vmap: Dict[int, C.Var]) -> C.Var:
    w = C.Var(v.name)
    w.assigned, w.captured, w.refs = v.assigned, v.captured, v.refs
    vmap[id(v)] = w
    return w


def _var(v: C.Var, vmap: Dict[int, C.Var]) -> C.Var:
    return vmap.get(id(v), v)


def _copy(n: Any, vmap: Dict[int, C.Var]) -> Any:
    """A copy of the core tree *n* with a fresh Var for every binding inside it."""
    c = n.__class__
    if c is C.Const or c is C.GlobalRef:
        return n                              # never mutated after expansion: shared
    if c is C.LocalRef:
        return C.LocalRef(_var(n.var, vmap), n.loc)
    if c is C.LocalSet:
        return C.LocalSet(_var(n.var, vmap), _copy(n.value, vmap), n.loc)
    if c is C.GlobalSet:
        return C.GlobalSet(n.name, n.env, _copy(n.value, vmap), n.define, n.loc)
    if c is C.If:
        return C.If(_copy(n.test, vmap), _copy(n.then, vmap), _copy(n.else_, vmap), n.loc)
    if c is C.Seq:
        return C.Seq([_copy(x, vmap) for x in n.body], n.loc)
    if c is C.Call:
        return C.Call(_copy(n.fn, vmap), [_copy(a, vmap) for a in n.args], n.loc)
    if c is C.Let:
        inits = [_copy(i, vmap) for i in n.inits]        # outside the new bindings' scope
        return C.Let([_fresh(v, vmap) for v in n.vars], inits, _copy(n.body, vmap), n.loc)
    if c is C.Letrec:
        vs = [_fresh(v, vmap) for v in n.vars]
        return C.Letrec(vs, [_copy(i, vmap) for i in n.inits], _copy(n.body, vmap), n.loc)
    if c is C.Lambda:
        ps = [_fresh(v, vmap) for v in n.params]
        opts = [_fresh(v, vmap) for v in n.optionals]
        inits = [None if i is None else _copy(i, vmap) for i in n.opt_inits]
        rest = _fresh(n.rest, vmap) if n.rest is not None else None
        return C.Lambda(ps, rest, _copy(n.body, vmap), n.name, opts, inits, n.loc)
    if c is C.Dispatch:
        return C.Dispatch([_copy(x, vmap) for x in n.clauses], n.name, n.loc)
    if c is C.Receive:
        vs = [_fresh(v, vmap) for v in n.vars]
        rest = _fresh(n.rest, vmap) if n.rest is not None else None
        init = _copy(n.init, vmap)
        shape = C.Lambda(vs, rest, C.Const(None), n.consumer.name)   # name and arity only
        return C.Receive(vs, rest, init, _copy(n.body, vmap), None, None, shape, n.loc)
    raise TypeError(f"unknown core node {n!r}")
