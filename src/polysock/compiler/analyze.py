"""Analysis before code generation: which named lets become inline loops, which
variables live in closures, which procedures may loop on their own tail calls.

Theory of operation
-------------------
A *loop candidate* is a ``Letrec([v], [lam], Call(v, inits))`` (a named let) whose
``v`` is never assigned and is referenced only as the operator of calls in tail
position of ``lam``'s own body (not inside a nested lambda), where those tail calls
target only ``v`` itself among the candidates. Such a lambda is not compiled as a
Python function at all: its body becomes a ``while True`` loop in the enclosing
function.

Python closures capture variables, not values, so a loop (inline, or a function's
self tail call turned into ``continue``) is only correct when no variable bound inside
the loop body is captured by a nested *real* function: otherwise each iteration must
get fresh bindings, i.e. a real call. Being inlined changes which lambdas are real,
so candidacy is refined to a fixpoint: drop every candidate whose own variables are
referenced from another Python function, recompute, repeat.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Set

from ..expander import core as C


def children(n: C.Node) -> List[C.Node]:
    if isinstance(n, C.If):
        return [n.test, n.then, n.else_]
    if isinstance(n, C.Seq):
        return list(n.body)
    if isinstance(n, (C.Let, C.Letrec)):
        return list(n.inits) + [n.body]
    if isinstance(n, C.Call):
        return [n.fn] + list(n.args)
    if isinstance(n, (C.LocalSet, C.GlobalSet)):
        return [n.value]
    if isinstance(n, C.Lambda):
        return [i for i in n.opt_inits if i is not None] + [n.body]
    if isinstance(n, C.Dispatch):
        return list(n.clauses)
    if isinstance(n, C.Receive):
        return [n.init, n.body] if n.fallback is None else [n.init, n.body, n.fallback]
    return []


def tail_calls(body: C.Node, out: List[C.Call]) -> None:
    """Collect the calls in tail position of *body* (not entering lambdas)."""
    stack = [body]
    while stack:
        n = stack.pop()
        if isinstance(n, C.Call):
            out.append(n)
        elif isinstance(n, C.If):
            stack.append(n.then)
            stack.append(n.else_)
        elif isinstance(n, C.Seq):
            stack.append(n.body[-1])
        elif isinstance(n, (C.Let, C.Letrec)):
            stack.append(n.body)
        elif isinstance(n, C.Receive):
            stack.append(n.body)
            if n.fallback is not None:
                stack.append(n.fallback)


def is_named_let(n: Any) -> bool:
    return (isinstance(n, C.Letrec) and len(n.vars) == 1 and isinstance(n.inits[0], C.Lambda)
            and isinstance(n.body, C.Call) and isinstance(n.body.fn, C.LocalRef)
            and n.body.fn.var is n.vars[0] and not n.vars[0].assigned
            and not n.inits[0].optionals and n.inits[0].rest is None
            and len(n.body.args) == len(n.inits[0].params))


class Analysis:
    """Results for one top-level form."""

    def __init__(self, root: C.Node) -> None:
        self.loops: Set[int] = set()            # ids of Lambdas inlined as loops
        self.owner: Dict[int, Any] = {}          # id(Var) -> binding Lambda (or None)
        self.py_owner: Dict[int, Any] = {}       # id(Var) -> Python function (Lambda or None)
        self.captured: Set[int] = set()          # ids of Vars referenced from another Python function
        self.assigned_in: Dict[int, Set[int]] = {}  # id(real Lambda) -> ids of outer Vars it assigns
        self.vars: Dict[int, C.Var] = {}
        self.lambda_vars: Dict[int, List[C.Var]] = {}  # id(Lambda) -> vars it binds (incl. lets inside)
        self.parent: Dict[int, Any] = {}         # id(Lambda) -> enclosing Lambda or None
        self._candidates(root)
        self._bind(root, None)
        while True:
            self._refs(root)
            bad = set()
            for lid in self.loops:
                for v in self.lambda_vars.get(lid, []):
                    if id(v) in self.captured:
                        bad.add(lid)
                        break
            if not bad:
                break
            self.loops -= bad

    # candidates: structural conditions
    def _candidates(self, root: C.Node) -> None:
        refs: Dict[int, int] = {}
        tail_refs: Dict[int, int] = {}
        named: List[C.Letrec] = []
        stack = [root]
        while stack:
            n = stack.pop()
            if isinstance(n, C.LocalRef):
                refs[id(n.var)] = refs.get(id(n.var), 0) + 1
            if is_named_let(n):
                named.append(n)  # type: ignore[arg-type]
            stack.extend(children(n))
        cand_vars = {id(l.vars[0]): l for l in named}
        for l in named:
            v = l.vars[0]
            lam = l.inits[0]
            tcs: List[C.Call] = []
            tail_calls(lam.body, tcs)
            self_tail = 0
            ok = True
            for c in tcs:
                if isinstance(c.fn, C.LocalRef):
                    if c.fn.var is v:
                        if len(c.args) != len(lam.params):
                            ok = False
                        self_tail += 1
                    elif id(c.fn.var) in cand_vars:
                        ok = False
            # all references: the entry call + the self tail calls
            if ok and refs.get(id(v), 0) == self_tail + 1:
                self.loops.add(id(lam))

    def _bind(self, n: C.Node, lam: Any) -> None:
        stack = [(n, lam)]
        while stack:
            n, lam = stack.pop()
            if isinstance(n, C.Lambda):
                self.parent[id(n)] = lam
                vs = n.params + n.optionals + ([n.rest] if n.rest else [])
                for v in vs:
                    self.owner[id(v)] = n
                    self.vars[id(v)] = v
                self.lambda_vars.setdefault(id(n), []).extend(vs)
                for c in children(n):
                    stack.append((c, n))
                continue
            if isinstance(n, (C.Let, C.Letrec, C.Receive)):
                vs = n.vars if n.__class__ is not C.Receive or n.rest is None else n.vars + [n.rest]
                for v in vs:
                    self.owner[id(v)] = lam
                    self.vars[id(v)] = v
                if lam is not None:
                    self.lambda_vars.setdefault(id(lam), []).extend(vs)
            for c in children(n):
                stack.append((c, lam))

    def real_fn(self, lam: Any) -> Any:
        """The Python function a Lambda's code ends up in."""
        while lam is not None and id(lam) in self.loops:
            lam = self.parent.get(id(lam))
        return lam

    def _refs(self, root: C.Node) -> None:
        self.captured = set()
        self.assigned_in = {}
        stack = [(root, None)]
        while stack:
            n, lam = stack.pop()
            if isinstance(n, (C.LocalRef, C.LocalSet)):
                v = n.var
                where = self.real_fn(lam)
                home = self.real_fn(self.owner.get(id(v)))
                if where is not home:
                    self.captured.add(id(v))
                    if isinstance(n, C.LocalSet) and where is not None:
                        self.assigned_in.setdefault(id(where), set()).add(id(v))
            nl = n if isinstance(n, C.Lambda) else lam
            for c in children(n):
                stack.append((c, nl))
