"""Inline argument guards for calls to checked primitives.

A primitive declared with argument specs (runtime/registry.py) is bound to a checking
wrapper: ``wrapper(a)`` tests ``a`` and calls the implementation, two Python calls per
Scheme call. The registry leaves ``guard_spec = (impl, arg specs, rest spec,
namespace)`` on the wrapper; from it ``plan`` derives, for one call site's argument
count, the test template of each argument (a Python expression over ``{x}``), and
``instantiate`` turns a template into AST over the operand. The code generator then
emits ``impl(a) if <tests> else wrapper(a)``: valid arguments cost the inlined tests
and one call; an invalid one takes the wrapper, which raises the condition it always
raised. Specs given as predicate functions, rest arguments and unusual argument
counts get no plan (the wrapper is called as before).
"""
from __future__ import annotations

import ast
import builtins
import copy
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..values.strings import MString

_PLACEHOLDER = "polysock_guard_x"
_CO_VARARGS = 0x04

Template = Tuple[ast.expr, Dict[str, Any], Callable[[Any], Any]]  # test, its free names, as a function
_PARSED: Dict[Tuple[str, int], Optional[Template]] = {}
_PLANS: Dict[Tuple[int, int], Any] = {}
_NO_PLAN = object()


def _template(test: Optional[str], ns: Dict[str, Any]) -> Optional[Template]:
    """The parsed test of one spec (None: nothing to test)."""
    if test is None or test.strip() == "True":
        return None
    key = (test, id(ns))
    if key not in _PARSED:
        tree = ast.parse(test.format(x=_PLACEHOLDER), mode="eval").body
        free: Dict[str, Any] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id != _PLACEHOLDER:
                if node.id in ns:
                    free[node.id] = ns[node.id]
                else:
                    free[node.id] = getattr(builtins, node.id)
        fn = eval(compile(f"lambda {_PLACEHOLDER}: " + test.format(x=_PLACEHOLDER), "<polysock-guard>", "eval"),
                  dict(free))
        _PARSED[key] = (tree, free, fn)
    return _PARSED[key]


def plan(wrapper: Any, nargs: int) -> Optional[Tuple[Callable[..., Any], List[Optional[Template]]]]:
    """(implementation, test template per argument) for a call with *nargs* arguments, or
    None when the call must go through the wrapper."""
    key = (id(wrapper), nargs)
    got = _PLANS.get(key)
    if got is None:
        got = _PLANS[key] = _make_plan(wrapper, nargs) or _NO_PLAN
    return None if got is _NO_PLAN else got


def _make_plan(wrapper: Any, nargs: int) -> Any:
    spec = getattr(wrapper, "guard_spec", None)
    if spec is None:
        return None
    impl, args, rest, ns = spec
    code = getattr(impl, "__code__", None)
    if code is None:
        return None
    positional = code.co_argcount
    required = positional - len(impl.__defaults__ or ())
    if nargs < required or len(args) != positional:
        return None
    if nargs > positional and not (code.co_flags & _CO_VARARGS):
        return None
    specs = list(args[:nargs])
    if nargs > positional and rest is not None:
        specs.extend([rest] * (nargs - positional))   # each rest argument has the rest spec
    templates: List[Optional[Template]] = []
    for a in specs:
        if a.pred is not None:
            return None
        templates.append(_template(a.test, ns))
    templates.extend([None] * (nargs - len(specs)))
    return impl, templates


class _Subst(ast.NodeTransformer):
    def __init__(self, first: ast.expr, again: ast.expr, const: Callable[[Any], str], free: Dict[str, Any]) -> None:
        self.first, self.again, self.const, self.free = first, again, const, free
        self.used = False

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if node.id == _PLACEHOLDER:
            if self.used:
                return self.again
            self.used = True
            return self.first
        return ast.Name(self.const(self.free[node.id]), ast.Load())


def holds(t: Template, value: Any) -> bool:
    """Whether a constant operand passes the test *t* (decided at compile time)."""
    return bool(t[2](value))


def instantiate(t: Template, first: ast.expr, again: ast.expr, const: Callable[[Any], str]) -> ast.expr:
    """The test *t* applied to an operand: *first* where the operand first appears (in
    evaluation order), *again* at later uses; free names become constants via *const*."""
    tree, free, _ = t
    return _Subst(first, again, const, free).visit(copy.deepcopy(tree))


# Primitives whose fast branch is a Python expression instead of a call of the
# implementation: (name, argument count) -> (extra test or None, body, replaces).
# ``{0}``, ``{1}`` are the operands. Normally they have passed the primitive's own
# argument tests and the extra test covers what the body cannot (an index beyond the
# end takes the wrapper, which raises the range condition); when *replaces* is true the
# extra test alone decides (a stricter one: exact integers only). Every body means
# exactly what the implementation means for the operands that reach it.
_TWO_INTS = "{0}.__class__ is int and {1}.__class__ is int"
BODIES: Dict[Tuple[str, int], Tuple[Optional[str], str, bool]] = {
    ("number->string", 1): ("{0}.__class__ is int", "MString(str({0}))", True),
    ("modulo", 2): (_TWO_INTS + " and {1} != 0", "{0} % {1}", True),
    ("remainder", 2): (_TWO_INTS + " and {0} >= 0 and {1} > 0", "{0} % {1}", True),
    ("quotient", 2): (_TWO_INTS + " and {0} >= 0 and {1} > 0", "{0} // {1}", True),
    ("=", 2): (None, "{0} == {1}", False),
    ("char->integer", 1): (None, "ord({0})", False),
    ("integer->char", 1): ("{0} < 55296", "chr({0})", False),
    ("string-length", 1): (None, "len({0}.s)", False),
    ("string-ref", 2): ("{1} < len({0}.s)", "{0}.s[{1}]", False),
    ("string-append", 2): (None, "MString({0}.s + {1}.s)", False),
    ("string-append", 3): (None, "MString({0}.s + {1}.s + {2}.s)", False),
    ("vector-length", 1): (None, "len({0})", False),
    ("vector-ref", 2): ("{1} < len({0})", "{0}[{1}]", False),
    ("bytevector-length", 1): (None, "len({0})", False),
    ("bytevector-u8-ref", 2): ("{1} < len({0})", "{0}[{1}]", False),
    ("char=?", 2): (None, "{0} == {1}", False),
    ("char<?", 2): (None, "{0} < {1}", False),
    ("char>?", 2): (None, "{0} > {1}", False),
    ("char<=?", 2): (None, "{0} <= {1}", False),
    ("char>=?", 2): (None, "{0} >= {1}", False),
}

_BODY_NAMES: Dict[str, Any] = {"MString": MString}
_BODY_PARSED: Dict[str, ast.expr] = {}


def body(name: str, nargs: int) -> Optional[Tuple[Optional[str], str, bool]]:
    """(extra test, body, whether the test replaces the primitive's own tests) for
    *name* called with *nargs* arguments, or None."""
    return BODIES.get((name, nargs))


class _Operands(ast.NodeTransformer):
    def __init__(self, operands: List[ast.expr], const: Callable[[Any], str]) -> None:
        self.operands, self.const = operands, const

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if node.id.startswith("polysock_op_"):
            return self.operands[int(node.id[len("polysock_op_"):])]
        value = _BODY_NAMES[node.id] if node.id in _BODY_NAMES else getattr(builtins, node.id)
        return ast.Name(self.const(value), ast.Load())


def expand(template: str, operands: List[ast.expr], const: Callable[[Any], str]) -> ast.expr:
    """A body or extra-test template over *operands* (simple names or constants); the
    builtins it names (ord, chr, len) become constants via *const*."""
    tree = _BODY_PARSED.get(template)
    if tree is None:
        text = template.format(*[f"polysock_op_{i}" for i in range(len(operands))])
        tree = _BODY_PARSED[template] = ast.parse(text, mode="eval").body
    return _Operands(operands, const).visit(copy.deepcopy(tree))
