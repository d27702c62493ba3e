"""Core forms -> Python AST -> CPython bytecode.

Theory of operation
-------------------
Each top-level form becomes one Python function ``§top`` compiled with the
environment's namespace as its globals and run once. Scheme globals are Python
globals (LOAD_GLOBAL: fast and cached); every Scheme lambda is a plain ``def`` whose
parameters and local variables are Python locals (closures are Python closures;
``set!`` of a captured variable uses ``nonlocal``). Python names: a local is
``name§uid`` (the ``§`` keeps them apart from globals and helpers), a helper is
``§Name``; Scheme globals keep their Scheme spelling (CPython accepts any string as a
name in an AST), so tracebacks and NameErrors speak Scheme.

Expressions compile to expressions where Python allows it; a construct that needs
statements (``if`` with statement branches, ``let``, loops, lambdas) emits them into
the current block first. When an operand emits statements, earlier operands that
are not simple are spilled to temporaries first, so operands are evaluated left to
right.

Tail positions (``Tail``): ``return``, ``assign`` (to a temporary) or ``effect``. A
call in ``return`` position is
* a loop ``continue`` when it calls the innermost loop (an inlined named let, or the
  function itself when analysis allows: see analyze.py);
* a direct call when the operator is a known primitive (it never grows the Scheme
  stack);
* otherwise a tail-call tuple ``return (f, a, b)``; the function then becomes a raw
  body and its procedure value a driver (values/procedures.py).
Self calls of a global procedure loop under a guard ``if f is §self`` so that a later
``set!`` of the global is still honoured; when the body calls nothing but itself and
open-coded primitives, nothing can rebind the global while it loops, and the guard is
tested once on entry.

Open-coded primitives (inline.py) are used only when the operator is a global bound
to the registered primitive at compile time; their source position goes to
``values.conditions.SITES`` so a Python TypeError becomes the primitive's condition.
"""
from __future__ import annotations

import ast
import copy
import itertools
import warnings
from typing import Any, Dict, FrozenSet, List, Optional, Set, Tuple

from ..expander import core as C
from ..expander.scope import Toplevel
from ..values.conditions import SITES
from ..values.misc import DEFAULT, UNSPECIFIED, MultipleValues
from ..values.pairs import NIL, Pair, from_iter, cons
from ..values.strings import MString
from ..values.procedures import TAIL_CALLERS, make_driver, set_raw, tail_call_n
from .analyze import Analysis, is_named_let, tail_calls
from . import fusion, guards, receive
from .inline import _UNSET, INLINE

SEP = "\u00a7"
#: Most operands of a ``(list ...)`` built in line (pycode.FnGen.list_).
LIST_INLINE = 4
BOOL_INLINES = {"<", ">", "<=", ">=", "=", "eq?", "eqv?", "not", "null?", "pair?"}
_uid = itertools.count(1)


def _dispatch(name: str, clauses: List[Tuple[int, bool, Any]]) -> Any:
    """The procedure of a case-lambda: choose a clause by argument count."""
    def dispatch(*args: Any) -> Any:
        n = len(args)
        for nreq, rest, fn in clauses:
            if n == nreq or (rest and n >= nreq):
                return fn(*args)
        from ..values.conditions import throw
        throw("arity", name, f"no clause accepts {n} argument(s)", *args)
    dispatch.__name__ = dispatch.__qualname__ = name or "case-lambda"
    return dispatch


def _rest_list(t: tuple) -> Any:
    r: Any = NIL
    for x in reversed(t):
        r = cons(x, r)
    return r


HELPERS: Dict[str, Any] = {
    "Pair": Pair, "NIL": NIL, "isinstance": isinstance, "make_driver": make_driver,
    "DEFAULT": DEFAULT, "UNSPEC": UNSPECIFIED, "dispatch": _dispatch, "rest_list": _rest_list,
    "len": len, "set_raw": set_raw, "tcv": tail_call_n, "cons": cons, "from_iter": from_iter, "range": range,
    "MV": MultipleValues, "spread": receive.spread, "spread_rest": receive.spread_rest,
    "new": object.__new__,
}
for _i, _tc in enumerate(TAIL_CALLERS):
    HELPERS[f"tc{_i}"] = _tc


#: The order comparisons a counting loop may test, and each one with its operands swapped.
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}


def _calls_of(n: C.Node, var: Any) -> List[C.Call]:
    """The calls of the local *var* anywhere in *n*."""
    from .analyze import children
    out: List[C.Call] = []
    stack = [n]
    while stack:
        m = stack.pop()
        if m.__class__ is C.Call and m.fn.__class__ is C.LocalRef and m.fn.var is var:  # type: ignore[attr-defined]
            out.append(m)  # type: ignore[arg-type]
        stack.extend(children(m))
    return out


def _global_calls(n: C.Node, name: str, env: Any) -> int:
    """How many calls of the global *name* of *env* there are anywhere in *n*."""
    from .analyze import children
    count = 0
    stack = [n]
    while stack:
        m = stack.pop()
        if m.__class__ is C.Call:
            fn = m.fn  # type: ignore[attr-defined]
            if fn.__class__ is C.GlobalRef and fn.name == name and fn.env is env:
                count += 1
        stack.extend(children(m))
    return count


def _tails_are_calls_of(n: C.Node, var: Any) -> bool:
    """Whether every tail position of *n* is a call of the local *var*."""
    c = n.__class__
    if c is C.If:
        return _tails_are_calls_of(n.then, var) and _tails_are_calls_of(n.else_, var)  # type: ignore[attr-defined]
    if c is C.Seq:
        return _tails_are_calls_of(n.body[-1], var)  # type: ignore[attr-defined]
    if c is C.Let or (c is C.Receive and n.fallback is None):  # type: ignore[attr-defined]
        return _tails_are_calls_of(n.body, var)  # type: ignore[attr-defined]
    return c is C.Call and n.fn.__class__ is C.LocalRef and n.fn.var is var  # type: ignore[attr-defined]


#: Open-coded operators whose result is an int when all operands are ints.
_INT_CLOSED = frozenset(("+", "-", "*"))
#: ... and never negative when no operand is.
_NONNEG_CLOSED = frozenset(("+", "*"))
#: Primitives whose int result is never negative (a code point, a length, a byte).
_NONNEG_RESULTS = frozenset(("char->integer", "string-length", "vector-length", "bytevector-length",
                             "bytevector-u8-ref", "length"))


def _leading_temp(e: ast.expr) -> Optional[Tuple[ast.expr, str, ast.expr]]:
    """When the first thing *e* evaluates is an assignment expression ``(t := v)`` (the
    operand of a guarded call: the first test of a conditional), (*e* with ``t`` in its
    place, t, v); else None. In a comprehension such a temporary would be a cell of the
    enclosing function (PEP 572); a ``for t in [v]`` clause keeps it a local."""
    path: List[Tuple[Any, str, Optional[int]]] = []
    node: Any = e
    while True:
        c = node.__class__
        if c is ast.IfExp:
            path.append((node, "test", None))
            node = node.test
        elif c is ast.BoolOp:
            path.append((node, "values", 0))
            node = node.values[0]
        elif c is ast.Compare:
            path.append((node, "left", None))
            node = node.left
        elif c is ast.NamedExpr and path:
            break
        else:
            return None
    e = copy.deepcopy(e)        # follow the same path in a copy and replace the walrus there
    holder: Any = e
    for _, field, index in path[:-1]:
        holder = getattr(holder, field) if index is None else getattr(holder, field)[index]
    _, field, index = path[-1]
    walrus = getattr(holder, field) if index is None else getattr(holder, field)[index]
    name = walrus.target.id
    load = ast.Name(name, ast.Load())
    if index is None:
        setattr(holder, field, load)
    else:
        getattr(holder, field)[index] = load
    return e, name, walrus.value


def install_helpers(ns: Dict[str, Any]) -> None:
    """Prepare a namespace for compiled code (no Python builtins leak into Scheme)."""
    for k, v in HELPERS.items():
        ns[SEP + k] = v
    ns.setdefault("__builtins__", {})


class Tail:
    __slots__ = ("kind", "target", "loop", "in_loop")

    def __init__(self, kind: str, target: Optional[str] = None, loop: Any = None, in_loop: bool = False) -> None:
        self.kind = kind
        self.target = target
        self.loop = loop
        self.in_loop = in_loop


EFFECT = Tail("effect")


class LoopInfo:
    __slots__ = ("var", "params", "global_name", "global_env", "self_py", "counter", "self_ok")

    def __init__(self, params: List[str], var: Optional[C.Var] = None, global_name: Optional[str] = None,
                 global_env: Any = None, self_py: Optional[str] = None, counter: Optional[str] = None) -> None:
        self.params = params
        self.counter = counter
        self.var = var
        self.global_name = global_name
        self.global_env = global_env
        self.self_py = self_py
        self.self_ok: Optional[str] = None   # a local holding the global self guard, tested once


def pyname(v: C.Var) -> str:
    if not v.pyname:
        v.pyname = f"{v.name}{SEP}{v.uid}"
    return v.pyname


class Unit:
    """One compilation: a top-level form in an environment."""

    def __init__(self, env: Toplevel, filename: str, analysis: Analysis) -> None:
        self.env = env
        self.ns = env.namespace
        self.filename = filename
        self.an = analysis
        if SEP + "Pair" not in self.ns:
            install_helpers(self.ns)

    def const_name(self, value: Any) -> str:
        n = f"{SEP}k{next(_uid)}"
        self.ns[n] = value
        return n

    def shared_name(self, value: Any) -> str:
        """A namespace name for a long-lived object (a class, a primitive), made once per
        environment: the guards of every call site share it."""
        names = self.ns.get(SEP + "shared")
        if names is None:
            names = self.ns[SEP + "shared"] = {}
        n = names.get(id(value))
        if n is None or self.ns.get(n) is not value:
            n = names[id(value)] = self.const_name(value)
        return n


class FnGen:
    """Generates one Python function."""

    def __init__(self, unit: Unit, lam: Optional[C.Lambda], is_top: bool = False, public: bool = False) -> None:
        self.unit = unit
        self.lam = lam
        self.is_top = is_top
        self.public = public        # dual compilation: unknown tail calls go through §tcN
        self.self_py: Optional[str] = None   # the procedure value's name, for self guards
        self.cur: List[ast.stmt] = []
        self.raw = False
        self.global_assigned: Set[str] = set()
        # Globals whose binding to their primitive is checked once before the code being
        # generated runs (an inlined map body: _elementwise); their calls skip the check.
        self.hoisted: Set[str] = set()
        # Variables whose value's class is known (a character of a fused string->list).
        self.classes: Dict[C.Var, type] = {}
        # Int variables known never to be negative (a loop counter started at 0).
        self.nonneg: FrozenSet[C.Var] = frozenset()
        self.loc: Any = None

    # -- small helpers -------------------------------------------------------
    def at(self, node: Any, loc: Any = None) -> Any:
        loc = loc or self.loc
        if loc is not None and getattr(loc, "line", None):
            node.lineno = node.end_lineno = loc.line
            node.col_offset = max(loc.col - 1, 0)
            node.end_col_offset = node.col_offset + 1
        return node

    def temp(self, base: str = "t") -> str:
        return f"{SEP}{base}{next(_uid)}"

    def helper(self, name: str) -> ast.expr:
        return ast.Name(SEP + name, ast.Load())

    def emit(self, s: ast.stmt) -> None:
        s = self.at(s)
        c = s.__class__
        if ((c is ast.Return and s.value is not None)       # type: ignore[attr-defined]
                or (c is ast.Assign and len(s.targets) == 1 and s.targets[0].__class__ is ast.Name)):  # type: ignore[attr-defined]
            if self._makes_string(s.value):                  # type: ignore[attr-defined]
                self.cur.extend(self._string_stmts(s))
                return
        self.cur.append(s)

    def _string_call(self, e: ast.expr) -> bool:
        """Whether *e* is ``MString(x)``: a fresh string (an open-coded primitive body)."""
        return (e.__class__ is ast.Call and e.func.__class__ is ast.Name and not e.keywords  # type: ignore[attr-defined]
                and len(e.args) == 1 and e.func.id == self.unit.shared_name(MString))  # type: ignore[attr-defined]

    def _makes_string(self, e: ast.expr) -> bool:
        """Whether *e* is ``MString(x)``, or a conditional one of whose arms makes one."""
        while e.__class__ is ast.IfExp:
            if self._string_call(e.body):                     # type: ignore[attr-defined]
                return True
            e = e.orelse                                      # type: ignore[attr-defined]
        return self._string_call(e)

    def _string_stmts(self, s: Any) -> List[ast.stmt]:
        """A ``return`` or assignment of a fresh string as statements: the string is
        ``object.__new__(MString)`` plus a slot store, which skips ``MString.__init__``'s
        Python frame (half the cost of a short string). A conditional value becomes an if
        statement; its test is still evaluated first."""
        def finish(v: ast.expr) -> List[ast.stmt]:
            if s.__class__ is ast.Return:
                return [ast.Return(v)]
            return [ast.Assign([ast.Name(s.targets[0].id, ast.Store())], v)]

        def build(e: ast.expr) -> List[ast.stmt]:
            if e.__class__ is ast.IfExp:
                return [ast.If(e.test, build(e.body), build(e.orelse))]  # type: ignore[attr-defined]
            if not self._string_call(e):
                return finish(e)
            t = self.temp("m")
            cls = ast.Name(self.unit.shared_name(MString), ast.Load())
            return [ast.Assign([ast.Name(t, ast.Store())], ast.Call(self.helper("new"), [cls], [])),
                    ast.Assign([ast.Attribute(ast.Name(t, ast.Load()), "s", ast.Store())], e.args[0]),  # type: ignore[attr-defined]
                    *finish(ast.Name(t, ast.Load()))]

        out = build(s.value)
        for stmt in out:      # the inner nodes get theirs from toplevel's fix_missing_locations
            ast.copy_location(stmt, s)
        return out

    def block(self, fn: Any, *args: Any) -> List[ast.stmt]:
        saved = self.cur
        self.cur = []
        try:
            fn(*args)
            return self.cur
        finally:
            self.cur = saved

    def const(self, v: Any) -> ast.expr:
        c = v.__class__
        if c is bool or c is int or c is float or c is str or c is complex:
            return ast.Constant(v)
        return ast.Name(self.unit.const_name(v), ast.Load())

    def assign(self, name: str, value: ast.expr) -> None:
        self.emit(ast.Assign([ast.Name(name, ast.Store())], value))

    # -- globals -------------------------------------------------------------
    def global_value(self, n: C.GlobalRef) -> Any:
        return n.env.namespace.get(n.name, _UNSET)

    def global_ref(self, n: C.GlobalRef) -> ast.expr:
        if n.env is self.unit.env:
            return ast.Name(n.name, ast.Load())
        v = self.global_value(n)
        from ..expander.forms import CORE
        if v is not _UNSET and (n.env is CORE or getattr(v, "scheme_name", None)):
            return ast.Name(self.unit.const_name(v), ast.Load())
        envname = self.unit.const_name(n.env.namespace)
        return ast.Subscript(ast.Name(envname, ast.Load()), ast.Constant(n.name), ast.Load())

    def global_set(self, n: C.GlobalSet, value: ast.expr) -> None:
        if n.env is self.unit.env:
            if not n.define:
                self.emit(ast.Expr(ast.Name(n.name, ast.Load())))   # unbound check
            self.global_assigned.add(n.name)
            self.assign(n.name, value)
        else:
            envname = self.unit.const_name(n.env.namespace)
            self.emit(ast.Assign([ast.Subscript(ast.Name(envname, ast.Load()), ast.Constant(n.name), ast.Store())], value))

    # -- operator classification -----------------------------------------------
    def known_primitive(self, fn: C.Node) -> Any:
        if isinstance(fn, C.GlobalRef):
            v = self.global_value(fn)
            if v is not _UNSET and getattr(v, "scheme_name", None) and not hasattr(v, "_raw"):
                return v
        return None

    def inline_call_ok(self, fn: C.GlobalRef) -> bool:
        v = self.global_value(fn)
        return v is not _UNSET and getattr(v, "scheme_name", None) == fn.name

    def static_class(self, n: C.Node) -> Optional[type]:
        """The class *n*'s value is sure to have, or None: a constant's; a variable's in
        ``classes``; an int for ``+``, ``-``, ``*`` of ints (open-coded); the declared
        result class of a primitive whose binding cannot change under this code."""
        c = n.__class__
        if c is C.Const:
            return n.value.__class__  # type: ignore[attr-defined]
        if c is C.LocalRef:
            return self.classes.get(n.var)  # type: ignore[attr-defined]
        if c is not C.Call or not isinstance(n.fn, C.GlobalRef):  # type: ignore[attr-defined]
            return None
        fn, args = n.fn, n.args  # type: ignore[attr-defined]
        if not self.inline_call_ok(fn):
            return None
        if fn.name in _INT_CLOSED:
            ok = len(args) >= 2 and all(self.static_class(a) is int for a in args)
            return int if ok else None
        if fn.env is self.unit.env and fn.name not in self.hoisted:
            return None
        return guards.result_class(self.global_value(fn))

    def static_nonneg(self, n: C.Node) -> bool:
        """Whether *n*'s value is sure to be an int >= 0: a constant; a variable in
        ``nonneg``; a sum or product of such; a primitive result that is never negative
        (``static_class`` decides that the call is open-coded or its binding fixed)."""
        if self.static_class(n) is not int:
            return False
        c = n.__class__
        if c is C.Const:
            return n.value >= 0  # type: ignore[attr-defined,no-any-return]
        if c is C.LocalRef:
            return n.var in self.nonneg  # type: ignore[attr-defined]
        name = n.fn.name  # type: ignore[attr-defined]
        if name in _NONNEG_CLOSED:
            return all(self.static_nonneg(a) for a in n.args)  # type: ignore[attr-defined]
        return name in _NONNEG_RESULTS

    def inline_call(self, n: C.Call) -> Optional[ast.expr]:
        fn = n.fn
        if not isinstance(fn, C.GlobalRef):
            return None
        builder = INLINE.get(fn.name)
        if builder is None:
            return None
        v = self.global_value(fn)
        if v is _UNSET or getattr(v, "scheme_name", None) != fn.name:
            return None
        consts = [a.value if isinstance(a, C.Const) else _UNSET for a in n.args]
        args = self.exprs(n.args)
        e = builder(args, consts, self.helper)
        if e is None:
            return None
        loc = n.loc or self.loc
        if loc is not None:
            self.at(e, loc)
            names = tuple(a.var.pyname if isinstance(a, C.LocalRef) else None for a in n.args)
            consts_t = tuple(None if c is _UNSET else ("const", c) for c in consts)
            SITES[(self.unit.filename, loc.line, max(loc.col - 1, 0))] = (fn.name, names, consts_t)
        return e

    # -- expressions -----------------------------------------------------------
    def exprs(self, nodes: List[C.Node]) -> List[ast.expr]:
        out: List[ast.expr] = []
        for node in nodes:
            mark = len(self.cur)
            e = self.expr(node)
            if len(self.cur) > mark and out:
                spills = []
                for i, pe in enumerate(out):
                    if not isinstance(pe, (ast.Constant, ast.Name)):
                        t = self.temp()
                        spills.append(self.at(ast.Assign([ast.Name(t, ast.Store())], pe)))
                        out[i] = ast.Name(t, ast.Load())
                self.cur[mark:mark] = spills
            out.append(e)
        return out

    def expr(self, n: C.Node) -> ast.expr:
        if n.loc is not None:
            self.loc = n.loc
        cls = n.__class__
        if cls is C.Const:
            return self.const(n.value)
        if cls is C.LocalRef:
            return ast.Name(pyname(n.var), ast.Load())
        if cls is C.GlobalRef:
            return self.global_ref(n)
        if cls is C.Call:
            return self.call(n)
        if cls is C.If:
            test = self.test(n.test)
            e1, e2, b1, b2 = self._branches(n, self.expr)
            if not b1 and not b2:
                return ast.IfExp(test, e1, e2)
            return self._join(test, e1, e2, b1, b2)
        if cls is C.Seq:
            for x in n.body[:-1]:
                self.stmt(x, EFFECT)
            return self.expr(n.body[-1])
        if cls is C.Let:
            self.bind(n.vars, n.inits)
            return self.expr(n.body)
        if cls is C.Receive:
            if n.guard is None:
                self.spread(n)
                return self.expr(n.body)
            t = self.temp("r")
            self.stmt(n, Tail("assign", t))
            return ast.Name(t, ast.Load())
        if cls is C.Letrec:
            if is_named_let(n) and id(n.inits[0]) in self.unit.an.loops:
                t = self.temp("r")
                self.loop(n, Tail("assign", t))
                return ast.Name(t, ast.Load())
            self.bind_rec(n.vars, n.inits)
            return self.expr(n.body)
        if cls is C.Lambda:
            return self.lambda_(n)
        if cls is C.Dispatch:
            return self.dispatch(n)
        if cls is C.LocalSet:
            self.assign(pyname(n.var), self.expr(n.value))
            return self.const(UNSPECIFIED)
        if cls is C.GlobalSet:
            self.global_set(n, self.expr(n.value))
            return self.const(UNSPECIFIED) if not n.define else self.const(_Defined(n.name))
        raise TypeError(f"unknown core node {n!r}")

    def test(self, n: C.Node) -> ast.expr:
        """A Python expression that is true exactly when *n* is not #f."""
        if n.loc is not None:
            self.loc = n.loc
        cls = n.__class__
        if cls is C.Const:
            return ast.Constant(n.value is not False)
        if (cls is C.Call and isinstance(n.fn, C.GlobalRef) and n.fn.name == "not" and len(n.args) == 1
                and self.inline_call_ok(n.fn)):
            return ast.UnaryOp(ast.Not(), self.test(n.args[0]))
        if cls is C.Call and isinstance(n.fn, C.GlobalRef) and n.fn.name in BOOL_INLINES:
            e = self.inline_call(n)
            if e is not None:
                return e
            return self._is_true(self.call_generic(n))
        if cls is C.If:
            t = self.test(n.test)
            e1, e2, b1, b2 = self._branches(n, self.test)
            if not b1 and not b2:
                if isinstance(n.else_, C.Const) and n.else_.value is False:
                    return ast.BoolOp(ast.And(), [t, e1])
                if isinstance(n.then, C.Const) and n.then.value is not False:
                    return ast.BoolOp(ast.Or(), [t, e2])
                return ast.IfExp(t, e1, e2)
            return self._join(t, e1, e2, b1, b2)
        if cls is C.Let:
            self.bind(n.vars, n.inits)
            return self.test(n.body)
        if cls is C.Seq:
            for x in n.body[:-1]:
                self.stmt(x, EFFECT)
            return self.test(n.body[-1])
        return self._is_true(self.expr(n))

    def _branches(self, n: C.If, compile_fn: Any) -> Tuple[ast.expr, ast.expr, List[ast.stmt], List[ast.stmt]]:
        """Compile both arms of *n* with *compile_fn*, each into its own statement block."""
        saved = self.cur
        b1: List[ast.stmt] = []
        b2: List[ast.stmt] = []
        self.cur = b1
        e1 = compile_fn(n.then)
        self.cur = b2
        e2 = compile_fn(n.else_)
        self.cur = saved
        return e1, e2, b1, b2

    def _join(self, test: ast.expr, e1: ast.expr, e2: ast.expr, b1: List[ast.stmt], b2: List[ast.stmt]) -> ast.expr:
        """An if statement leaving either arm's value in a temporary; the temporary."""
        t = self.temp()
        b1.append(self.at(ast.Assign([ast.Name(t, ast.Store())], e1)))
        b2.append(self.at(ast.Assign([ast.Name(t, ast.Store())], e2)))
        self.emit(ast.If(test, b1, b2))
        return ast.Name(t, ast.Load())

    def _is_true(self, e: ast.expr) -> ast.expr:
        return ast.Compare(e, [ast.IsNot()], [ast.Constant(False)])

    def call(self, n: C.Call) -> ast.expr:
        fn = n.fn
        if (fn.__class__ is C.GlobalRef and fn.name == "cons" and len(n.args) == 2  # type: ignore[attr-defined]
                and self.inline_call_ok(fn)):  # type: ignore[arg-type]
            return self.cons(n)
        if (fn.__class__ is C.GlobalRef and fn.name == "list" and 0 < len(n.args) <= LIST_INLINE  # type: ignore[attr-defined]
                and self.inline_call_ok(fn)):  # type: ignore[arg-type]
            return self.list_(n)
        e = self.inline_call(n)
        if e is not None:
            return e
        return self.call_generic(n)

    def cons(self, n: C.Call) -> ast.expr:
        """A new pair as statements: ``Pair()`` and two slot stores, no Python frame
        (values/pairs.py)."""
        car, cdr = self.exprs(list(n.args))
        t = self.temp("p")
        self.assign(t, ast.Call(self.helper("Pair"), [], []))
        self.emit(ast.Assign([ast.Attribute(ast.Name(t, ast.Load()), "car", ast.Store())], car))
        self.emit(ast.Assign([ast.Attribute(ast.Name(t, ast.Load()), "cdr", ast.Store())], cdr))
        return ast.Name(t, ast.Load())

    def list_(self, n: C.Call) -> ast.expr:
        """A short ``(list a b ...)`` as pairs made like ``cons``'s, front to back, so the
        operands are evaluated in order (the unfinished list is reachable from nowhere)."""
        items = self.exprs(list(n.args))
        first = prev = None
        for item in items:
            t = self.temp("p")
            self.assign(t, ast.Call(self.helper("Pair"), [], []))
            if prev is not None:
                self.emit(ast.Assign([ast.Attribute(ast.Name(prev, ast.Load()), "cdr", ast.Store())], ast.Name(t, ast.Load())))
            self.emit(ast.Assign([ast.Attribute(ast.Name(t, ast.Load()), "car", ast.Store())], item))
            first, prev = first or t, t
        self.emit(ast.Assign([ast.Attribute(ast.Name(prev, ast.Load()), "cdr", ast.Store())], self.helper("NIL")))
        return ast.Name(first, ast.Load())  # type: ignore[arg-type]

    def call_generic(self, n: C.Call) -> ast.expr:
        e = self.fused_call(n)
        if e is not None:
            return e
        return self.unfused_call(n)

    def unfused_call(self, n: C.Call) -> ast.expr:
        e = self.guarded_call(n)
        if e is not None:
            return e
        parts = self.exprs([n.fn] + list(n.args))
        return self.at(ast.Call(parts[0], parts[1:], []), n.loc)

    # -- list fusion -------------------------------------------------------------
    def _fusion(self, m: C.Node, attr: str) -> Any:
        """(primitive, its fusion entry *attr*) when *m* calls a list primitive that has
        one for this argument count (see compiler/fusion.py)."""
        if m.__class__ is not C.Call:
            return None
        fn = m.fn  # type: ignore[attr-defined]
        if not isinstance(fn, C.GlobalRef):
            return None
        v = self.global_value(fn)
        if v is _UNSET or getattr(v, "scheme_name", None) != fn.name:
            return None
        info = getattr(v, attr, None)
        if info is None or info[0] != len(m.args):  # type: ignore[attr-defined]
            return None
        return v, info

    def _produces(self, m: C.Node) -> bool:
        return self._fusion(m, "fuse_produce") is not None or self._fusion(m, "fuse_through") is not None

    def _elementwise(self, v: Any, m: C.Call, pos: int, items: ast.expr, used: List[C.GlobalRef],
                     elements: Optional[type]) -> Optional[Tuple[ast.expr, Optional[type]]]:
        """``[body for param in items]`` when *m* maps a one-parameter procedure whose body
        is a plain expression (a lambda written there, or a global procedure defined
        so) over the Python list *items*: the procedure's body runs inline. With it, the
        class its elements are known to have (None if unknown). When the body calls only
        pure primitives (fusion.pure_calls), their bindings are checked once with the
        fused code's other globals instead of at each element; *elements*, the class of
        the items if known, lets the body's argument tests on the parameter go."""
        k = getattr(v, "fuse_elementwise", None)
        if k is None:
            return None
        proc = m.args[k]
        lam: Any = None
        if proc.__class__ is C.Lambda:
            lam = proc if fusion.inlinable(proc, None) else None
        elif isinstance(proc, C.GlobalRef) and proc.env is self.unit.env:
            lam = getattr(self.global_value(proc), "inline_lambda", None)
        if lam is None:
            return None
        saved_loc = self.loc
        saved = self.hoisted, self.classes
        pure = fusion.pure_calls(lam.body, self.inline_call_ok)
        if pure:
            self.hoisted = self.hoisted | {g.name for g in pure if g.env is self.unit.env}
        if elements is not None:
            self.classes = {**self.classes, lam.params[0]: elements}
        out: List[ast.expr] = []
        try:
            failed = self.block(lambda: out.append(self.expr(lam.body)))
            cls = self.static_class(lam.body)
        finally:
            self.hoisted, self.classes = saved
        if failed:
            self.loc = saved_loc
            return None
        if isinstance(proc, C.GlobalRef):
            used.append(proc)
        used.extend(pure or ())
        var = ast.Name(pyname(lam.params[0]), ast.Store())
        elt, gens = _leading_temp(out[0]), [ast.comprehension(var, self._iterable(items), [], 0)]
        if elt is not None:      # ``for t in [e]``: CPython makes it a plain store of a local
            elt, name, value = elt
            gens.append(ast.comprehension(ast.Name(name, ast.Store()), ast.List([value], ast.Load()), [], 0))
        return self.at(ast.ListComp(out[0] if elt is None else elt, gens), m.loc), cls

    def _iterable(self, items: ast.expr) -> ast.expr:
        """*items* for a comprehension that iterates it once: the characters of fresh
        text (``string->list`` of ``number->string``, made by _text_form as ``list(x)``
        with *x* a Python str, which nothing can change) are iterated as ``x``."""
        text = getattr(items, "over_text", None)
        if (text is not None and isinstance(items, ast.Call) and isinstance(items.func, ast.Name)
                and items.func.id == self.unit.shared_name(list) and items.args == [text]):
            return text
        if isinstance(items, ast.IfExp):
            return ast.IfExp(items.test, self._iterable(items.body), items.orelse)
        return items

    def _list_operands(self, m: C.Call, pos: int, used: List[C.GlobalRef]) -> Tuple[List[ast.expr], Optional[type]]:
        """*m*'s operands in order, the one at *pos* as a fused Python list; and the class
        of that list's elements when known."""
        args: List[ast.expr] = []
        elements: Optional[type] = None
        for i, a in enumerate(m.args):
            if i == pos:
                e, elements = self._pylist(a, used)  # type: ignore[arg-type]
                args.append(e)
            else:
                args.append(self.expr(a))
        return args, elements

    def _text_form(self, v: Any, fn: Any, args: List[ast.expr]) -> Optional[ast.expr]:
        """A producer's fused form taking its string operand as Python text: when that
        operand compiled to ``MString(x) if test else other`` (a fresh string, e.g. from
        ``number->string``), ``<template over x> if test else fn(other)``."""
        text = getattr(v, "fuse_text", None)
        if text is None:
            return None
        pos, template = text
        a = args[pos]
        if not (isinstance(a, ast.IfExp) and isinstance(a.body, ast.Call) and isinstance(a.body.func, ast.Name)
                and a.body.func.id == self.unit.shared_name(MString) and len(a.body.args) == 1
                and not a.body.keywords):
            return None
        fast = guards.expand(template, [a.body.args[0]], self.unit.shared_name)
        fast.over_text = a.body.args[0]     # type: ignore[attr-defined]  # see _iterable
        slow = [a.orelse if i == pos else x for i, x in enumerate(args)]
        return ast.IfExp(a.test, fast, ast.Call(ast.Name(self.unit.shared_name(fn), ast.Load()), slow, []))

    def _pylist(self, m: C.Call, used: List[C.GlobalRef]) -> Tuple[ast.expr, Optional[type]]:
        """An expression giving the fresh list *m* makes as a Python list, and the class of
        its elements when known."""
        got = self._fusion(m, "fuse_through")
        if got is not None and self._produces(m.args[got[1][1]]):
            v, (_, pos, fn) = got
            if len(m.args) == 2 and getattr(v, "fuse_elementwise", None) == 1 - pos:
                items, elements = self._pylist(m.args[pos], used)  # type: ignore[arg-type]
                r = self._elementwise(v, m, pos, items, used, elements)
                used.append(m.fn)  # type: ignore[arg-type]
                if r is not None:
                    return r
                args = [items if i == pos else self.expr(a) for i, a in enumerate(m.args)]
                return self.at(ast.Call(ast.Name(self.unit.shared_name(fn), ast.Load()), args, []), m.loc), None
            args, elements = self._list_operands(m, pos, used)
            if not getattr(v, "fuse_same_elements", False):
                elements = None
        else:
            v, (_, fn) = self._fusion(m, "fuse_produce")
            args = [self.expr(a) for a in m.args]
            elements = getattr(v, "fuse_elements", None)
            e = self._text_form(v, fn, args)
            if e is not None:
                used.append(m.fn)  # type: ignore[arg-type]
                return self.at(e, m.loc), elements
        used.append(m.fn)  # type: ignore[arg-type]
        return self.at(ast.Call(ast.Name(self.unit.shared_name(fn), ast.Load()), args, []), m.loc), elements

    def fused_call(self, n: C.Call) -> Optional[ast.expr]:
        """A list consumer applied to a list producer's fresh result, without building the
        intermediate Scheme list; see compiler/fusion.py."""
        got = self._fusion(n, "fuse_consume")
        if got is None or not self._produces(n.args[got[1][1]]):
            return None
        v, (_, pos, fn) = got
        saved_loc = self.loc
        used: List[C.GlobalRef] = [n.fn]  # type: ignore[list-item]
        out: List[ast.expr] = []

        def build() -> None:
            if len(n.args) == 2 and getattr(v, "fuse_elementwise", None) == 1 - pos:
                items, elements = self._pylist(n.args[pos], used)  # type: ignore[arg-type]
                r = self._elementwise(v, n, pos, items, used, elements)
                if r is not None:
                    out.append(self.at(ast.Call(self.helper("from_iter"), [r[0]], []), n.loc))
                    return
                args = [items if i == pos else self.expr(a) for i, a in enumerate(n.args)]
            else:
                args, elements = self._list_operands(n, pos, used)
                typed = getattr(v, "fuse_consume_typed", None)
                if typed is not None and elements is not None and elements is typed[0]:
                    out.append(self.at(guards.expand(typed[1], args, self.unit.shared_name), n.loc))
                    return
            out.append(self.at(ast.Call(ast.Name(self.unit.shared_name(fn), ast.Load()), args, []), n.loc))

        stmts = self.block(build)
        if not fusion.harmless(stmts, SEP):
            self.loc = saved_loc
            return None
        self.cur.extend(stmts)
        checks: List[ast.expr] = [
            ast.Compare(ast.Name(g.name, ast.Load()), [ast.Is()], [ast.Name(self.unit.shared_name(self.global_value(g)), ast.Load())])
            for g in used if g.env is self.unit.env]
        if not checks:
            return out[0]
        plain: List[ast.expr] = []
        more = self.block(lambda: plain.append(self.unfused_call(n)))
        self.cur.extend(more)
        if not fusion.harmless(more, SEP):
            # the plain version needs statements of its own: they would run on both paths
            return plain[0]
        test = checks[0] if len(checks) == 1 else ast.BoolOp(ast.And(), checks)
        return self.at(ast.IfExp(test, out[0], plain[0]), n.loc)

    def guarded_call(self, n: C.Call) -> Optional[ast.expr]:
        """``impl(a, b) if <argument tests> else wrapper(a, b)`` for a checked primitive.

        A primitive's Scheme value is a checking wrapper around its implementation (two
        Python calls); here the wrapper's own tests are inlined and the implementation is
        called directly, and only a failing test goes through the wrapper, which raises
        the wrong-type condition. When the global lives in the program's environment, the
        fast branch also checks that it is still bound to that primitive, so a later
        redefinition is honoured."""
        fn = n.fn
        if not isinstance(fn, C.GlobalRef):
            return None
        v = self.global_value(fn)
        if v is _UNSET or getattr(v, "scheme_name", None) != fn.name or hasattr(v, "_raw"):
            return None
        plan = guards.plan(v, len(n.args))
        if plan is None:
            return None
        impl, templates = plan
        templates = list(templates)
        special = guards.body(fn.name, len(n.args))
        if special is not None and special[2]:
            templates = [None] * len(templates)     # the body's own test is stricter
        classes = [self.static_class(a) for a in n.args]
        signs = [k is int and self.static_nonneg(a) for a, k in zip(n.args, classes)]
        for i, a in enumerate(n.args):
            if isinstance(a, C.Const) and templates[i] is not None:
                if not guards.holds(templates[i], a.value):
                    return None         # a constant that fails its test: the wrapper reports it
                templates[i] = None
            elif templates[i] is not None and classes[i] is not None:
                templates[i] = guards.narrow(templates[i], classes[i], signs[i])  # type: ignore[arg-type]
        parts = self.exprs(list(n.args))
        simple = [isinstance(p, (ast.Name, ast.Constant)) for p in parts]
        walrus = -1
        complex_ = [i for i, ok in enumerate(simple) if not ok]
        extra = special[0] if special is not None else None
        in_extra: Optional[ast.expr] = None
        if len(complex_) == 1 and templates[complex_[0]] is not None:
            walrus = complex_[0]       # evaluated first, inside its own test
        elif (len(complex_) == 1 and extra is not None and all(t is None for t in templates)
              and guards.expand(extra, parts, self.unit.shared_name, classes, signs) is not None):
            # no argument tests left: evaluated first, inside the primitive's extra test
            t = self.temp()
            w = complex_[0]
            in_extra = guards.expand(extra, [ast.Name(t, ast.Load()) if i == w else p for i, p in enumerate(parts)],
                                     self.unit.shared_name, classes, signs,
                                     first={w: ast.NamedExpr(ast.Name(t, ast.Store()), parts[w])})
            parts[w] = ast.Name(t, ast.Load())
        elif complex_:
            for i in complex_:
                t = self.temp()
                self.assign(t, parts[i])
                parts[i] = ast.Name(t, ast.Load())
        tests: List[ast.expr] = []
        if walrus >= 0:
            t = self.temp()
            tests.append(guards.instantiate(templates[walrus], ast.NamedExpr(ast.Name(t, ast.Store()), parts[walrus]),
                                            ast.Name(t, ast.Load()), self.unit.shared_name))
            parts[walrus] = ast.Name(t, ast.Load())
        for i, tmpl in enumerate(templates):
            if tmpl is not None and i != walrus:
                tests.append(guards.instantiate(tmpl, parts[i], parts[i], self.unit.shared_name))
        if in_extra is not None:
            tests.append(in_extra)
        wrapper = self.global_ref(fn)
        if isinstance(wrapper, ast.Name) and fn.env is self.unit.env and fn.name not in self.hoisted:
            tests.insert(1 if walrus >= 0 or in_extra is not None else 0,
                         ast.Compare(ast.Name(fn.name, ast.Load()), [ast.Is()], [ast.Name(self.unit.shared_name(v), ast.Load())]))
        fast: ast.expr = ast.Call(ast.Name(self.unit.shared_name(impl), ast.Load()), parts, [])
        if special is not None:
            if extra is not None and in_extra is None:
                e = guards.expand(extra, parts, self.unit.shared_name, classes, signs)
                if e is not None:
                    tests.append(e)
            fast = guards.expand(special[1], parts, self.unit.shared_name)  # type: ignore[assignment]
        if not tests:
            return self.at(fast, n.loc)
        test = tests[0] if len(tests) == 1 else ast.BoolOp(ast.And(), tests)
        slow = ast.Call(wrapper, list(parts), [])
        return self.at(ast.IfExp(test, fast, slow), n.loc)

    # -- bindings --------------------------------------------------------------
    def bind(self, vars_: List[C.Var], inits: List[C.Node]) -> None:
        for v, i in zip(vars_, inits):
            if isinstance(i, C.Lambda):
                self.lambda_(i, pyname(v))
            else:
                self.assign(pyname(v), self.expr(i))

    def bind_rec(self, vars_: List[C.Var], inits: List[C.Node]) -> None:
        for v, i in zip(vars_, inits):
            if isinstance(i, C.Lambda):
                self.lambda_(i, pyname(v), self_var=v)
            else:
                self.assign(pyname(v), self.expr(i))

    def spread(self, n: C.Receive) -> None:
        """Evaluate *n*'s producer body and bind its values to *n*'s variables
        (receive.py); a one-variable consumer takes a single value without a call."""
        value = self.expr(n.init)
        t = self.temp("v")
        self.assign(t, value)
        tv = ast.Name(t, ast.Load())
        stub = self.const(receive.arity_stub(n.consumer, pyname))
        names = [pyname(v) for v in n.vars]
        if n.rest is None and len(names) == 1:
            is_one = ast.Compare(ast.Attribute(tv, "__class__", ast.Load()), [ast.IsNot()], [self.helper("MV")])
            spread = ast.Call(self.helper("spread"), [tv, ast.Constant(1), stub], [])
            self.assign(names[0], ast.IfExp(is_one, tv, ast.Subscript(spread, ast.Constant(0), ast.Load())))
            return
        if n.rest is not None:
            names.append(pyname(n.rest))
            call = ast.Call(self.helper("spread_rest"), [tv, ast.Constant(len(n.vars)), stub], [])
        else:
            call = ast.Call(self.helper("spread"), [tv, ast.Constant(len(names)), stub], [])
        if len(names) == 1:
            self.assign(names[0], ast.Subscript(call, ast.Constant(0), ast.Load()))
            return
        target: ast.expr = ast.Tuple([ast.Name(x, ast.Store()) for x in names], ast.Store())
        self.emit(self.at(ast.Assign([target], call), n.loc))

    # -- statements --------------------------------------------------------------
    def stmt(self, n: C.Node, tail: Tail) -> None:
        if n.loc is not None:
            self.loc = n.loc
        cls = n.__class__
        if cls is C.If:
            t = self.test(n.test)
            b1 = self.block(self.stmt, n.then, tail)
            b2 = self.block(self.stmt, n.else_, tail)
            if isinstance(t, ast.Constant):
                self.cur.extend(b1 if t.value else b2)
                return
            self.emit(ast.If(t, b1 or [ast.Pass()], b2))
            return
        if cls is C.Seq:
            for x in n.body[:-1]:
                self.stmt(x, EFFECT)
            self.stmt(n.body[-1], tail)
            return
        if cls is C.Let:
            self.bind(n.vars, n.inits)
            self.stmt(n.body, tail)
            return
        if cls is C.Receive:
            if n.guard is None:
                self.spread(n)
                self.stmt(n.body, tail)
                return
            primitive = self.global_value(n.guard)
            test = ast.Compare(self.global_ref(n.guard), [ast.Is()], [self.const(primitive)])
            fast = self.block(lambda: (self.spread(n), self.stmt(n.body, tail)))
            slow = self.block(self.stmt, n.fallback, tail)
            self.emit(ast.If(test, fast, slow))
            return
        if cls is C.Letrec:
            if is_named_let(n) and id(n.inits[0]) in self.unit.an.loops:
                self.loop(n, tail)
                return
            self.bind_rec(n.vars, n.inits)
            self.stmt(n.body, tail)
            return
        if cls is C.Call:
            self.tail_call(n, tail)
            return
        if cls is C.LocalSet:
            self.assign(pyname(n.var), self.expr(n.value))
            if tail.kind != "effect" or tail.in_loop:
                self.finish(tail, self.const(UNSPECIFIED))
            return
        if cls is C.GlobalSet:
            self.global_set(n, self.expr(n.value))
            if tail.kind != "effect" or tail.in_loop:
                self.finish(tail, self.const(UNSPECIFIED) if not n.define else self.const(_Defined(n.name)))
            return
        if tail.kind == "effect" and not tail.in_loop and cls in (C.Const, C.LocalRef, C.Lambda):
            return
        self.finish(tail, self.expr(n))

    def finish(self, tail: Tail, value: ast.expr) -> None:
        if tail.kind == "return":
            self.emit(ast.Return(value))
            return
        if tail.kind == "assign":
            self.assign(tail.target, value)  # type: ignore[arg-type]
        elif not isinstance(value, (ast.Constant, ast.Name)):
            self.emit(ast.Expr(value))
        if tail.in_loop:
            self.emit(ast.Break())

    def continue_loop(self, info: LoopInfo, args: List[C.Node]) -> None:
        self._loop_with(info, self.exprs(args))

    def tail_call(self, n: C.Call, tail: Tail) -> None:
        info: Optional[LoopInfo] = tail.loop
        fn = n.fn
        if info is not None:
            if info.var is not None and isinstance(fn, C.LocalRef) and fn.var is info.var and len(n.args) == len(info.params):
                self.continue_loop(info, n.args)
                return
            if (info.global_name is not None and isinstance(fn, C.GlobalRef) and fn.name == info.global_name
                    and fn.env is info.global_env and len(n.args) == len(info.params)):
                body = self.block(self.continue_loop, info, n.args)
                guard = (ast.Name(info.self_ok, ast.Load()) if info.self_ok is not None else
                         ast.Compare(ast.Name(info.global_name, ast.Load()), [ast.Is()], [ast.Name(info.self_py, ast.Load())]))  # type: ignore[arg-type]
                # The global was rebound since: call it directly (no tuple, so this body stays a
                # plain function and its callers pay nothing for the rare case).
                self.emit(ast.If(guard, body, []))
                if tail.kind == "return" and not self.is_top:
                    self.emit(ast.Return(self.call_generic(n)))
                    return
        if (tail.kind != "return" or self.is_top
                or (isinstance(fn, C.GlobalRef) and fn.name in ("cons", "list") and self.inline_call_ok(fn))):
            self.finish(tail, self.call(n))
            return
        e = self.inline_call(n)
        if e is not None:
            self.emit(ast.Return(e))
            return
        if self.known_primitive(fn) is not None:
            self.emit(ast.Return(self.call_generic(n)))
            return
        parts = self.exprs([fn] + list(n.args))
        if (info is not None and info.self_py is not None and info.var is None and info.global_name is None
                and isinstance(fn, C.LocalRef) and len(n.args) == len(info.params)):
            # a first-class call that turns out to be a self call: loop
            guard = ast.Compare(parts[0], [ast.Is()], [ast.Name(info.self_py, ast.Load())])
            body = self.block(self._loop_with, info, parts[1:])
            self.emit(ast.If(guard, body, []))
        if self.public:
            nargs = len(parts) - 1
            helper = f"tc{nargs}" if nargs < len(TAIL_CALLERS) else "tcv"
            self.emit(ast.Return(ast.Call(self.helper(helper), parts, [])))
            return
        self.raw = True
        self.emit(ast.Return(ast.Tuple(parts, ast.Load())))

    def _loop_with(self, info: LoopInfo, vals: List[ast.expr]) -> None:
        # A loop variable passed on unchanged ((loop a (cdr b) ...)) needs no store, nor
        # does the counter of a for loop (_counted_loop), which the for advances.
        pairs = [(p, v) for p, v in zip(info.params, vals)
                 if not (isinstance(v, ast.Name) and v.id == p) and p != info.counter]
        if len(pairs) == 1:
            self.assign(pairs[0][0], pairs[0][1])
        elif pairs:
            self.emit(ast.Assign([ast.Tuple([ast.Name(p, ast.Store()) for p, _ in pairs], ast.Store())],
                                 ast.Tuple([v for _, v in pairs], ast.Load())))
        self.emit(ast.Continue())

    # -- loops and lambdas -----------------------------------------------------------
    def loop(self, n: C.Letrec, tail: Tail) -> None:
        lam: C.Lambda = n.inits[0]  # type: ignore[assignment]
        call: C.Call = n.body  # type: ignore[assignment]
        params = [pyname(p) for p in lam.params]
        vals = self.exprs(call.args)
        for p, v in zip(params, vals):
            self.assign(p, v)
        info = LoopInfo(params, var=n.vars[0])
        inner = Tail(tail.kind, tail.target, info, tail.kind != "return")
        saved, saved_signs = self.classes, self.nonneg
        self.nonneg = saved_signs | self._loop_nonneg(lam, n.vars[0], call.args,
                                                      self._loop_classes(lam, n.vars[0], call.args))
        try:
            counted = self._counted_loop(lam, info, tail)
            if counted is not None and counted[1] is None:
                self.cur.extend(counted[0])
            else:
                loop = ast.While(ast.Constant(True), self.block(self.stmt, lam.body, inner), [])
                self.emit(loop if counted is None else ast.If(counted[1], counted[0], [loop]))
        finally:
            self.classes, self.nonneg = saved, saved_signs
        if tail.in_loop and tail.kind != "return":
            self.emit(ast.Break())

    def _counted_loop(self, lam: C.Lambda, info: LoopInfo, tail: Tail) -> Optional[Tuple[List[ast.stmt], Optional[ast.expr]]]:
        """A counting loop as a Python ``for`` over ``range``: (statements, the test under
        which they replace the ``while`` loop, None if always), or None.

        The shape: the body is ``(if (< i E) more done)`` (or ``<=``, ``>``, ``>=``, either
        operand order, or ``(if (= i E) done more)``) where *i* is a loop variable known to be an int, every call of the
        loop is in *more* and passes ``(+ i 1)`` for *i*, and *E* cannot change while the
        loop runs (a constant, a local never assigned, or a global when *more* calls
        nothing that could rebind it); outside a ``return`` context *more* must end in
        loop calls only (a ``break`` in it would leave the ``for``, not the loop). Then
        *i* runs through ``range(i, stop)``, its value after the loop is set to where the
        ``while`` loop would have left it, and *done* follows. Unless *E* is known to be
        an int, this runs only when it is one; with ``=``, only when ``E >= i`` too (else
        the ``while`` loop never meets its exit, and runs as written)."""
        body = lam.body
        if body.__class__ is not C.If or body.test.__class__ is not C.Call:  # type: ignore[attr-defined]
            return None
        test: C.Call = body.test  # type: ignore[attr-defined]
        fn = test.fn
        if not (isinstance(fn, C.GlobalRef) and (fn.name in _FLIP or fn.name == "=") and len(test.args) == 2
                and self.inline_call_ok(fn)):
            return None
        (a, b), op = test.args, fn.name
        if not (isinstance(a, C.LocalRef) and a.var in lam.params):
            a, b, op = b, a, _FLIP.get(op, op)
        if not (isinstance(a, C.LocalRef) and self.classes.get(a.var) is int and a.var in lam.params):
            return None
        i, k = a.var, lam.params.index(a.var)
        more, done = (body.then, body.else_) if op in ("<", "<=") else (body.else_, body.then)  # type: ignore[attr-defined]
        if op == "=" and isinstance(b, C.LocalRef) and b.var is i:
            return None
        if _calls_of(done, info.var) or not self._counts(_calls_of(more, info.var), i, k, len(lam.params)):
            return None
        if tail.kind != "return" and not _tails_are_calls_of(more, info.var):
            return None
        if isinstance(b, C.Const):
            if b.value.__class__ is not int:
                return None
        elif isinstance(b, C.LocalRef):
            if b.var.assigned or b.var in lam.params:
                return None
        elif not (isinstance(b, C.GlobalRef) and self._pure(more, info.var)):
            return None
        ipy = pyname(i)
        bound = self.expr(b)
        stop = bound if op in ("<", ">=", "=") else ast.BinOp(bound, ast.Add(), ast.Constant(1))
        counter = LoopInfo(info.params, var=info.var, counter=ipy)
        each = self.block(self.stmt, more, Tail(tail.kind, tail.target, counter, tail.kind != "return"))
        out: List[ast.stmt] = [
            ast.For(ast.Name(ipy, ast.Store()), ast.Call(self.helper("range"), [ast.Name(ipy, ast.Load()), stop], []),
                    each or [ast.Pass()], [], None),
            ast.If(ast.Compare(ast.Name(ipy, ast.Load()), [ast.Lt()], [stop]), [ast.Assign([ast.Name(ipy, ast.Store())], stop)], []),
        ]
        out.extend(self.block(self.stmt, done, tail))
        tests: List[ast.expr] = []
        if self.static_class(b) is not int:
            tests.append(ast.Compare(ast.Attribute(bound, "__class__", ast.Load()), [ast.Is()],
                                     [ast.Name(self.unit.shared_name(int), ast.Load())]))
        if op == "=":
            tests.append(ast.Compare(bound, [ast.GtE()], [ast.Name(ipy, ast.Load())]))
        if not tests:
            return out, None
        return out, tests[0] if len(tests) == 1 else ast.BoolOp(ast.And(), tests)

    def _counts(self, calls: List[C.Call], i: C.Var, k: int, nparams: int) -> bool:
        """Whether there are loop calls and each passes ``(+ i 1)`` at position *k*."""
        if not calls:
            return False
        for c in calls:
            if len(c.args) != nparams:
                return False
            s = c.args[k]
            if not (isinstance(s, C.Call) and isinstance(s.fn, C.GlobalRef) and s.fn.name == "+"
                    and len(s.args) == 2 and self.inline_call_ok(s.fn)):
                return False
            x, y = s.args
            if isinstance(y, C.LocalRef):
                x, y = y, x
            if not (isinstance(x, C.LocalRef) and x.var is i and isinstance(y, C.Const)
                    and y.value.__class__ is int and y.value == 1):
                return False
        return True

    def _pure(self, n: C.Node, var: Any, self_global: Optional[Tuple[str, Any]] = None) -> bool:
        """Whether *n* can run without rebinding a global: it calls only the loop *var*
        and open-coded or expression-bodied primitives. With *self_global* (name,
        environment), it calls only that global and open-coded primitives (whose code
        never calls a procedure, even once rebound)."""
        c = n.__class__
        if c is C.Const or c is C.LocalRef or c is C.GlobalRef:
            return True
        if c is C.If:
            return all(self._pure(x, var, self_global) for x in (n.test, n.then, n.else_))  # type: ignore[attr-defined]
        if c is C.Seq:
            return all(self._pure(x, var, self_global) for x in n.body)  # type: ignore[attr-defined]
        if c is C.Let:
            return all(self._pure(x, var, self_global) for x in n.inits) and self._pure(n.body, var, self_global)  # type: ignore[attr-defined]
        if c is not C.Call:
            return False
        fn = n.fn  # type: ignore[attr-defined]
        if isinstance(fn, C.LocalRef):
            ok = var is not None and fn.var is var
        elif self_global is not None:
            ok = isinstance(fn, C.GlobalRef) and ((fn.name, fn.env) == self_global
                                                  or (fn.name in INLINE and self.inline_call_ok(fn)))
        else:
            ok = (isinstance(fn, C.GlobalRef) and self.inline_call_ok(fn)
                  and (fn.name in INLINE or guards.body(fn.name, len(n.args)) is not None))  # type: ignore[attr-defined]
        return ok and all(self._pure(a, var, self_global) for a in n.args)  # type: ignore[attr-defined]

    def _loop_classes(self, lam: C.Lambda, var: C.Var, inits: List[C.Node]) -> Dict[C.Var, type]:
        """The loop variables sure to hold ints: never assigned, started with an int, and
        passed an int by every call of the loop, assuming the same of the others (the
        largest such set: drop the ones some call may pass something else, repeat)."""
        if lam.optionals or lam.rest is not None:
            return {}
        calls = _calls_of(lam.body, var)
        known = {p: int for p, a in zip(lam.params, inits) if not p.assigned and self.static_class(a) is int}
        saved = self.classes
        try:
            while known:
                self.classes = {**saved, **known}
                bad = {p for c in calls if len(c.args) == len(lam.params)
                       for p, a in zip(lam.params, c.args) if p in known and self.static_class(a) is not int}
                if any(len(c.args) != len(lam.params) for c in calls):
                    return {}
                if not bad:
                    break
                for p in bad:
                    del known[p]
        finally:
            self.classes = saved
        return known

    def _loop_nonneg(self, lam: C.Lambda, var: C.Var, inits: List[C.Node], known: Dict[C.Var, type]) -> FrozenSet[C.Var]:
        """Install the loop's int variables *known* (from _loop_classes) in ``classes``;
        return those sure never to be negative: started with an int >= 0 and passed one
        by every call of the loop, assuming the same of the others (as _loop_classes)."""
        signs = {p for p, a in zip(lam.params, inits) if p in known and self.static_nonneg(a)}
        self.classes = {**self.classes, **known}
        calls = _calls_of(lam.body, var)
        outer = self.nonneg
        try:
            while signs:
                self.nonneg = outer | signs
                bad = {p for c in calls for p, a in zip(lam.params, c.args) if p in signs and not self.static_nonneg(a)}
                if not bad:
                    break
                signs -= bad
        finally:
            self.nonneg = outer
        return frozenset(signs)

    def _self_loop_ok(self, lam: C.Lambda) -> bool:
        if lam.optionals or lam.rest is not None:
            return False
        an = self.unit.an
        for v in an.lambda_vars.get(id(lam), []):
            if id(v) in an.captured:
                return False
        return True

    def lambda_(self, lam: C.Lambda, bind_name: Optional[str] = None, self_var: Optional[C.Var] = None,
                self_global: Optional[Tuple[str, Any]] = None) -> ast.expr:
        """Emit the def(s) of a procedure; return the name bound to its value.

        A body with unknown tail calls is *dual-compiled* when it has no nested real
        lambdas: a public body (its tail calls run through §tcN, so callers call it
        directly) and a raw body returning tail tuples for bounce loops. Otherwise the
        raw body gets a driver (values/procedures.py)."""
        name = lam.name or "lambda"
        py = bind_name or f"{name}{SEP}{next(_uid)}"
        raw_def, is_raw = self._fn_def(lam, py, py, False, self_var, self_global)
        if not is_raw:
            self.cur.append(raw_def)
            return ast.Name(py, ast.Load())
        if not self._has_nested_lambda(lam):
            raw_py = f"{py}{SEP}raw"
            raw_def.name = raw_py
            pub_def, _ = self._fn_def(lam, py, py, True, self_var, self_global)
            self.cur.append(raw_def)
            self.cur.append(pub_def)
            self.assign(py, ast.Call(self.helper("set_raw"), [ast.Name(py, ast.Load()), ast.Name(raw_py, ast.Load())], []))
            return ast.Name(py, ast.Load())
        self.cur.append(raw_def)
        self.assign(py, ast.Call(self.helper("make_driver"),
                                 [ast.Name(py, ast.Load()), ast.Constant(name), ast.Constant(len(lam.params)),
                                  ast.Constant(bool(lam.optionals) or lam.rest is not None)], []))
        return ast.Name(py, ast.Load())

    def _has_nested_lambda(self, lam: C.Lambda) -> bool:
        from .analyze import children
        loops = self.unit.an.loops
        stack = list(children(lam))
        while stack:
            n = stack.pop()
            if isinstance(n, C.Dispatch) or (isinstance(n, C.Lambda) and id(n) not in loops):
                return True
            stack.extend(children(n))
        return False

    def _fn_def(self, lam: C.Lambda, def_name: str, value_name: str, public: bool,
                self_var: Optional[C.Var], self_global: Optional[Tuple[str, Any]]) -> Tuple[ast.FunctionDef, bool]:
        gen = FnGen(self.unit, lam, public=public)
        gen.loc = lam.loc or self.loc
        args = [ast.arg(pyname(p)) for p in lam.params]
        defaults: List[ast.expr] = []
        for o in lam.optionals:
            args.append(ast.arg(pyname(o)))
            defaults.append(self.helper("DEFAULT"))
        vararg = ast.arg(pyname(lam.rest)) if lam.rest is not None else None
        if lam.rest is not None:
            gen.assign(pyname(lam.rest), ast.Call(gen.helper("rest_list"), [ast.Name(pyname(lam.rest), ast.Load())], []))
        for o, init in zip(lam.optionals, lam.opt_inits):
            if init is not None:
                b = gen.block(lambda: gen.assign(pyname(o), gen.expr(init)))
                gen.emit(ast.If(ast.Compare(ast.Name(pyname(o), ast.Load()), [ast.Is()], [gen.helper("DEFAULT")]), b, []))
        info = None
        tcs: List[C.Call] = []
        tail_calls(lam.body, tcs)
        if self._self_loop_ok(lam):
            params = [pyname(p) for p in lam.params]
            hits = [c for c in tcs if (self_var is not None and not self_var.assigned and isinstance(c.fn, C.LocalRef)
                                       and c.fn.var is self_var)
                    or (self_global is not None and isinstance(c.fn, C.GlobalRef) and c.fn.name == self_global[0]
                        and c.fn.env is self_global[1])]
            if hits and self_var is not None and not self_var.assigned:
                info = LoopInfo(params, var=self_var)
            elif hits and self_global is not None:
                info = LoopInfo(params, global_name=self_global[0], global_env=self_global[1], self_py=value_name)
            elif any(isinstance(c.fn, C.LocalRef) and len(c.args) == len(params) for c in tcs):
                info = LoopInfo(params, self_py=value_name)   # first-class self calls
        if info is not None:
            if (info.global_name is not None and gen._pure(lam.body, None, (info.global_name, info.global_env))
                    and _global_calls(lam.body, info.global_name, info.global_env) == len(hits)):
                # Nothing in the loop can rebind the global: test it once, on entry (only
                # when every self call is a tail call: a body that recurses as well, like
                # tak's, mostly returns without looping and would pay the test for nothing).
                info.self_ok = gen.temp("self")
                gen.assign(info.self_ok, ast.Compare(ast.Name(info.global_name, ast.Load()), [ast.Is()],
                                                     [ast.Name(info.self_py, ast.Load())]))  # type: ignore[arg-type]
            body = gen.block(gen.stmt, lam.body, Tail("return", loop=info))
            gen.emit(ast.While(ast.Constant(True), body, []))
        else:
            gen.stmt(lam.body, Tail("return"))
        decls: List[ast.stmt] = []
        an = self.unit.an
        nl = sorted(pyname(an.vars[i]) for i in an.assigned_in.get(id(lam), ()))
        if nl:
            decls.append(ast.Nonlocal(nl))
        if gen.global_assigned:
            decls.append(ast.Global(sorted(gen.global_assigned)))
        fdef = ast.FunctionDef(def_name, ast.arguments([], args, vararg, [], [], None, defaults),
                               decls + (gen.cur or [ast.Return(self.const(UNSPECIFIED))]), [], None)
        self.at(fdef, lam.loc or self.loc)
        return fdef, gen.raw

    def dispatch(self, n: C.Dispatch) -> ast.expr:
        items = []
        for cl in n.clauses:
            if not cl.name:
                cl.name = n.name or "case-lambda"
            f = self.lambda_(cl)
            items.append(ast.Tuple([ast.Constant(len(cl.params)), ast.Constant(cl.rest is not None or bool(cl.optionals)), f], ast.Load()))
        t = self.temp("cl")
        self.assign(t, ast.Call(self.helper("dispatch"), [ast.Constant(n.name or "case-lambda"), ast.List(items, ast.Load())], []))
        return ast.Name(t, ast.Load())

    # -- the unit --------------------------------------------------------------------
    def toplevel(self, node: C.Node) -> ast.Module:
        if isinstance(node, C.GlobalSet) and node.define and isinstance(node.value, C.Lambda) and node.env is self.unit.env:
            # (define (f ...) ...): compile with the global self-loop guard
            f = self.lambda_(node.value, self_global=(node.name, node.env))
            self.global_set(node, f)
            self.emit(ast.Return(self.const(_Defined(node.name))))
        else:
            self.stmt(node, Tail("return"))
        decls: List[ast.stmt] = []
        if self.global_assigned:
            decls.append(ast.Global(sorted(self.global_assigned)))
        body = decls + (self.cur or [ast.Return(self.const(UNSPECIFIED))])
        fdef = ast.FunctionDef(SEP + "top", ast.arguments([], [], None, [], [], None, []), body, [], None)
        fdef.lineno = fdef.end_lineno = 1
        fdef.col_offset = fdef.end_col_offset = 0
        mod = ast.Module([fdef], [])
        ast.fix_missing_locations(mod)
        return mod


class _Defined:
    """The value of a definition at the REPL: prints as the defined name (like Guile/CHICKEN
    print nothing; the REPL decides)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"#<defined {self.name}>"


DEFINED = _Defined


def compile_toplevel(node: C.Node, env: Toplevel, filename: str = "<string>") -> Any:
    """Compile one expanded top-level form; return a zero-argument Python function."""
    node = receive.rewrite(node, env)
    an = Analysis(node)
    unit = Unit(env, filename, an)
    gen = FnGen(unit, None, is_top=True)
    mod = gen.toplevel(node)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)   # e.g. "is" with a literal: intended
        code = compile(mod, filename, "exec")
    exec(code, env.namespace)
    top = env.namespace.pop(SEP + "top")
    if node.__class__ is C.GlobalSet and node.value.__class__ is C.Lambda and fusion.inlinable(node.value, node.name):
        return _marking(top, env.namespace, node.name, node.value)
    return top


def _marking(top: Any, ns: Dict[str, Any], name: str, lam: C.Lambda) -> Any:
    """*top*, then leave the definition's core lambda on the procedure it made, so later
    code can inline it where list fusion applies it to each element (fusion.py)."""
    def run() -> Any:
        result = top()
        proc = ns.get(name)
        if proc is not None and getattr(proc, "__code__", None) is not None:
            proc.inline_lambda = lam
        return result
    return run
