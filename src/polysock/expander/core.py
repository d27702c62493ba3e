"""The closed set of core forms the expander produces and the compiler consumes.

Every node may carry ``loc`` (a SourceLocation) for error messages and backtraces.
Local variables are ``Var`` objects, one per binding, so hygiene is settled before the
compiler runs: the compiler never sees a name that could capture another.
"""
from __future__ import annotations

from typing import Any, List, Optional


class Var:
    """A local variable: one binding occurrence. ``assigned`` is set when any set!
    targets it; ``captured`` when a nested lambda refers to it."""

    __slots__ = ("name", "uid", "assigned", "captured", "owner", "pyname", "refs")
    _n = 0

    def __init__(self, name: str) -> None:
        Var._n += 1
        self.name = name
        self.uid = Var._n
        self.assigned = False
        self.captured = False
        self.owner: Any = None      # the Lambda (or None at top level) that binds it
        self.pyname = ""            # assigned by the compiler
        self.refs = 0

    def __repr__(self) -> str:
        return f"{self.name}.{self.uid}"


class Node:
    __slots__ = ("loc",)


class Const(Node):
    __slots__ = ("value",)

    def __init__(self, value: Any, loc: Any = None) -> None:
        self.value = value
        self.loc = loc


class LocalRef(Node):
    __slots__ = ("var",)

    def __init__(self, var: Var, loc: Any = None) -> None:
        self.var = var
        self.loc = loc


class GlobalRef(Node):
    """A top-level variable; ``env`` is the Toplevel it lives in."""

    __slots__ = ("name", "env")

    def __init__(self, name: str, env: Any, loc: Any = None) -> None:
        self.name = name
        self.env = env
        self.loc = loc


class LocalSet(Node):
    __slots__ = ("var", "value")

    def __init__(self, var: Var, value: Node, loc: Any = None) -> None:
        self.var = var
        self.value = value
        self.loc = loc


class GlobalSet(Node):
    """set! (define=False: the variable must exist) or define (define=True)."""

    __slots__ = ("name", "env", "value", "define")

    def __init__(self, name: str, env: Any, value: Node, define: bool, loc: Any = None) -> None:
        self.name = name
        self.env = env
        self.value = value
        self.define = define
        self.loc = loc


class If(Node):
    __slots__ = ("test", "then", "else_")

    def __init__(self, test: Node, then: Node, else_: Node, loc: Any = None) -> None:
        self.test = test
        self.then = then
        self.else_ = else_
        self.loc = loc


class Seq(Node):
    __slots__ = ("body",)

    def __init__(self, body: List[Node], loc: Any = None) -> None:
        self.body = body
        self.loc = loc


class Lambda(Node):
    """``params`` required, ``optionals`` (default DEFAULT unless given an init node in
    ``opt_inits``), ``rest`` or None. ``name`` is for messages and backtraces."""

    __slots__ = ("params", "optionals", "opt_inits", "rest", "body", "name", "free_self")

    def __init__(self, params: List[Var], rest: Optional[Var], body: Node, name: str = "",
                 optionals: Optional[List[Var]] = None, opt_inits: Optional[List[Optional[Node]]] = None,
                 loc: Any = None) -> None:
        self.params = params
        self.optionals = optionals or []
        self.opt_inits = opt_inits or [None] * len(self.optionals)
        self.rest = rest
        self.body = body
        self.name = name
        self.loc = loc


class Let(Node):
    """Parallel let: inits are evaluated outside the scope of vars."""

    __slots__ = ("vars", "inits", "body")

    def __init__(self, vars: List[Var], inits: List[Node], body: Node, loc: Any = None) -> None:
        self.vars = vars
        self.inits = inits
        self.body = body
        self.loc = loc


class Letrec(Node):
    """letrec* semantics: vars bound (unassigned) then inits assigned in order."""

    __slots__ = ("vars", "inits", "body")

    def __init__(self, vars: List[Var], inits: List[Node], body: Node, loc: Any = None) -> None:
        self.vars = vars
        self.inits = inits
        self.body = body
        self.loc = loc


class Call(Node):
    __slots__ = ("fn", "args")

    def __init__(self, fn: Node, args: List[Node], loc: Any = None) -> None:
        self.fn = fn
        self.args = args
        self.loc = loc


class Dispatch(Node):
    """case-lambda: a procedure choosing among ``clauses`` (Lambdas) by argument count."""

    __slots__ = ("clauses", "name")

    def __init__(self, clauses: List[Lambda], name: str = "", loc: Any = None) -> None:
        self.clauses = clauses
        self.name = name
        self.loc = loc


class Receive(Node):
    """``(call-with-values (lambda () init) (lambda (vars . rest) body))`` open-coded by
    the compiler (compiler/receive.py; the expander never makes one): ``init``'s values
    are bound to ``vars`` (and a list of the others to ``rest``), then ``body`` runs in
    the form's tail position. ``guard``, when set, is the global ``call-with-values``
    the program could rebind: only while it is still the primitive does the open-coded
    form run, else ``fallback``, an equivalent call with its own copies of both lambdas.
    ``consumer`` is the original consumer Lambda, for its name and arity in errors."""

    __slots__ = ("vars", "rest", "init", "body", "guard", "fallback", "consumer")

    def __init__(self, vars: List[Var], rest: Optional[Var], init: Node, body: Node,
                 guard: Optional[GlobalRef], fallback: Optional[Node], consumer: Lambda,
                 loc: Any = None) -> None:
        self.vars = vars
        self.rest = rest
        self.init = init
        self.body = body
        self.guard = guard
        self.fallback = fallback
        self.consumer = consumer
        self.loc = loc


def dump(node: Any) -> str:
    """A compact S-expression rendering of a core tree (for tests and debugging)."""
    from ..values.symbols import Symbol
    if isinstance(node, Const):
        from ..reader.printer import write_string
        v = node.value
        return f"'{v!r}" if isinstance(v, Symbol) else write_string(v)
    if isinstance(node, LocalRef):
        return repr(node.var)
    if isinstance(node, GlobalRef):
        return node.name
    if isinstance(node, LocalSet):
        return f"(set! {node.var!r} {dump(node.value)})"
    if isinstance(node, GlobalSet):
        return f"({'define' if node.define else 'set!'} {node.name} {dump(node.value)})"
    if isinstance(node, If):
        return f"(if {dump(node.test)} {dump(node.then)} {dump(node.else_)})"
    if isinstance(node, Seq):
        return "(begin " + " ".join(dump(b) for b in node.body) + ")"
    if isinstance(node, Lambda):
        ps = " ".join(repr(p) for p in node.params)
        if node.optionals:
            ps += " #!optional " + " ".join(repr(p) for p in node.optionals)
        if node.rest:
            ps += f" . {node.rest!r}"
        return f"(lambda ({ps}) {dump(node.body)})"
    if isinstance(node, (Let, Letrec)):
        kw = "let" if isinstance(node, Let) else "letrec*"
        bs = " ".join(f"({v!r} {dump(i)})" for v, i in zip(node.vars, node.inits))
        return f"({kw} ({bs}) {dump(node.body)})"
    if isinstance(node, Call):
        return "(" + " ".join(dump(x) for x in [node.fn, *node.args]) + ")"
    if isinstance(node, Dispatch):
        return "(case-lambda " + " ".join(dump(c) for c in node.clauses) + ")"
    if isinstance(node, Receive):
        vs = " ".join(repr(v) for v in node.vars) + (f" . {node.rest!r}" if node.rest else "")
        guard = f" #!unless-rebound {node.guard.name}" if node.guard is not None else ""
        return f"(receive ({vs}) {dump(node.init)} {dump(node.body)}{guard})"
    return f"#<{type(node).__name__}>"
