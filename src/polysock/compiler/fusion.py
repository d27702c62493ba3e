"""List fusion: a fresh list handed from one list primitive straight to another.

In ``(list->string (map f (string->list s)))`` the two inner lists are made only to be
taken apart at once: nobody else can see them, so their pairs are pure cost (about a
tenth of a microsecond each in CPython, several times what the work on each element
costs). The code generator (pycode.FnGen.fused_call) compiles such a nest as calls
of the primitives' *fused* forms, which pass Python lists between them:

* ``fuse_produce = (nargs, fn)``: ``fn(args)`` returns the primitive's result as a
  Python list (``string->list``, ``map``, ``reverse``, ``vector->list``);
* ``fuse_through = (nargs, pos, fn)``: argument *pos* is a Python list and so is the
  result (``map``, ``reverse``);
* ``fuse_consume = (nargs, pos, fn)``: argument *pos* is a Python list, the result is
  the primitive's usual Scheme value (``list->string``, ``map``, ``reverse``,
  ``length``, ``list->vector``);
* ``fuse_elementwise = k``: argument *k* is a procedure applied to each element
  (``map``). When it is a lambda written at the call, or a global procedure whose
  definition was a small one-parameter lambda (``inlinable``), its body is compiled
  inline as a Python list comprehension over the fused list; a global one is guarded
  by an identity check like the primitives.

Three more tell what the lists hold and how to skip a step: ``fuse_elements = cls``
(a producer's elements are all of class *cls*: ``string->list`` makes characters),
``fuse_same_elements`` (a through's elements are its input's: ``reverse``),
``fuse_consume_typed = (cls, template)`` (a consumer's body as an expression template
when the elements are known to be of *cls*: ``list->string`` of characters is one
``join``) and ``fuse_text = (pos, template)`` (a producer applied to a fresh string
``MString(x)`` works on the text *x*: ``string->list`` of ``number->string``). An
inlined body that calls only pure primitives (``pure_calls``) has their bindings
checked once with the other globals, and the argument tests that the parameter's
known class settles are dropped (guards.narrow).

The runtime modules attach these to the primitives' Scheme values. Each fused form
checks its other arguments as the primitive does and, on bad input, calls the primitive
itself (with the list rebuilt) so the condition is the one the unfused call raises.
Only the list argument of a consumer is fused, and only when it is a call of a producer
with the arity its entry names; a producer nested in anything else builds its list as
usual. Operands are evaluated in the same order as in the unfused code; when the
fused operands need statements other than closure definitions, fusion is not used.
When a primitive's global lives in the program's environment, the fused code runs only
while every global involved is still bound to its primitive, else the plain calls run.
"""
from __future__ import annotations

import ast
from typing import Any, Callable, List, Optional

from ..expander import core as C
from . import guards
from .inline import INLINE

#: Most nodes an inlined procedure body may have.
INLINE_LIMIT = 40


def harmless(stmts: List[ast.stmt], sep: str) -> bool:
    """Whether statements emitted while compiling fused operands only define closures
    (so running them even when the plain path is taken changes nothing)."""
    for s in stmts:
        if isinstance(s, ast.FunctionDef):
            continue
        if (isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)
                and (isinstance(s.value, ast.Name)
                     or (isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Name)
                         and s.value.func.id.startswith(sep)))):
            continue
        return False
    return True


def pure_calls(body: Any, is_primitive: Callable[[Any], bool]) -> Optional[List[Any]]:
    """The globals an inlinable body calls, when every call in it is of a primitive with
    an expression body in guards.BODIES or open-coded by inline.py, and no global is
    passed as an argument: such a body cannot rebind a global, so the bindings it
    relies on can be checked once before the list comprehension runs. None otherwise."""
    out: List[Any] = []

    def ok(n: Any) -> bool:
        c = n.__class__
        if c is C.Const or c is C.LocalRef:
            return True
        if c is C.If:
            return ok(n.test) and ok(n.then) and ok(n.else_)
        if c is not C.Call or n.fn.__class__ is not C.GlobalRef or not is_primitive(n.fn):
            return False
        name = n.fn.name
        if guards.body(name, len(n.args)) is not None:
            out.append(n.fn)
        elif name not in INLINE:
            return False
        return all(ok(a) for a in n.args)

    return out if ok(body) else None


def inlinable(lam: Any, own_name: Optional[str]) -> bool:
    """Whether a lambda's body may run inline over each element of a fused ``map``:
    one required parameter, never assigned, and a body of constants, variable
    references, ``if`` and calls only (no closures, bindings, sequencing or
    assignments), small, and not calling the procedure's own name."""
    if len(lam.params) != 1 or lam.optionals or lam.rest is not None or lam.params[0].assigned:
        return False
    budget = [INLINE_LIMIT]

    def ok(n: Any) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        c = n.__class__
        if c is C.Const or c is C.LocalRef:
            return True
        if c is C.GlobalRef:
            return n.name != own_name
        if c is C.If:
            return ok(n.test) and ok(n.then) and ok(n.else_)
        if c is C.Call:
            return ok(n.fn) and all(ok(a) for a in n.args)
        return False

    return ok(lam.body)
