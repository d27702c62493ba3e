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

When the code generator knows an operand's class (a constant, a character taken from
a string, an integer sum: ``FnGen.static_class``), ``narrow`` and ``expand`` decide
the class tests on it at compile time and drop those that hold; ``result_class``
gives the class a primitive's implementation is declared to return. When it knows an
int operand is never negative (``FnGen.static_nonneg``: a loop counter started at 0, a
code point, a length, sums of such), sign tests such as ``x >= 0`` are decided too.
"""
from __future__ import annotations

import ast
import builtins
import copy
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Tuple

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


def _decide(node: ast.expr, classes: Dict[str, type], lookup: Callable[[str], Any]) -> Optional[bool]:
    """Whether ``x.__class__ is K`` (or ``is not``, ``in``, ``not in``) holds, when *x*
    is an operand whose class is known; None when *node* is not such a test."""
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.left, ast.Attribute)
            and node.left.attr == "__class__" and isinstance(node.left.value, ast.Name)
            and node.left.value.id in classes and isinstance(node.comparators[0], ast.Name)):
        return None
    k, target, op = classes[node.left.value.id], lookup(node.comparators[0].id), node.ops[0]
    if isinstance(op, (ast.Is, ast.IsNot)):
        return (k is target) == isinstance(op, ast.Is)
    if isinstance(op, (ast.In, ast.NotIn)):
        return (k in target) == isinstance(op, ast.In)
    return None


_COMPARE = {ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b,
            ast.GtE: lambda a, b: a >= b, ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b}


def _constant_compare(node: ast.expr, values: Dict[str, Any]) -> Optional[bool]:
    """The value of ``a < b`` (etc.) when both sides are constants or operands whose
    value is known; None otherwise."""
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1 and node.ops[0].__class__ in _COMPARE):
        return None
    sides = []
    for s in (node.left, node.comparators[0]):
        if isinstance(s, ast.Constant):
            sides.append(s.value)
        elif isinstance(s, ast.Name) and s.id in values:
            sides.append(values[s.id])
        else:
            return None
    try:
        return bool(_COMPARE[node.ops[0].__class__](*sides))
    except TypeError:
        return None


def _sign_compare(node: ast.expr, nonneg: FrozenSet[str]) -> Optional[bool]:
    """The value of ``x >= c`` (``>``, ``<``, ``<=``) for an operand *x* known to be an
    int >= 0 and a constant *c* that decides it (``x >= 0`` holds, ``x < 0`` does not);
    None otherwise."""
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.left, ast.Name)
            and node.left.id in nonneg and isinstance(node.comparators[0], ast.Constant)):
        return None
    c, op = node.comparators[0].value, node.ops[0].__class__
    if c.__class__ is not int:
        return None
    if (op is ast.GtE and c <= 0) or (op is ast.Gt and c < 0):
        return True
    if (op is ast.Lt and c <= 0) or (op is ast.LtE and c < 0):
        return False
    return None


def _fold(node: ast.expr, classes: Dict[str, type], lookup: Callable[[str], Any],
          values: Optional[Dict[str, Any]] = None, nonneg: FrozenSet[str] = frozenset()) -> ast.expr:
    """*node* with the decided class tests (and comparisons of known values, and sign
    tests of operands known to be ints >= 0) replaced by constants and ``and``/``or``
    simplified around them (a test's value is only used for its truth)."""
    d = _decide(node, classes, lookup)
    if d is None and values:
        d = _constant_compare(node, values)
    if d is None and nonneg:
        d = _sign_compare(node, nonneg)
    if d is not None:
        return ast.Constant(d)
    if not isinstance(node, ast.BoolOp):
        return node
    is_and = isinstance(node.op, ast.And)
    kept: List[ast.expr] = []
    for v in node.values:
        f = _fold(v, classes, lookup, values, nonneg)
        if isinstance(f, ast.Constant) and f.value.__class__ is bool:
            if f.value is is_and:
                continue                      # True in an and, False in an or: no effect
            return ast.Constant(not is_and)   # decides the whole test
        kept.append(f)
    if not kept:
        return ast.Constant(is_and)
    return kept[0] if len(kept) == 1 else ast.BoolOp(node.op, kept)


def narrow(t: Template, cls: type, nonneg: bool = False) -> Optional[Template]:
    """The test *t* for an operand known to be of class *cls* (and, with *nonneg*, an int
    >= 0): None when it always holds, *t* itself when it cannot hold (the wrapper then
    raises, as before)."""
    tree, free, fn = t
    folded = _fold(copy.deepcopy(tree), {_PLACEHOLDER: cls}, free.__getitem__, None,
                   frozenset((_PLACEHOLDER,)) if nonneg else frozenset())
    if isinstance(folded, ast.Constant):
        return None if folded.value else t
    return folded, free, fn


_RESULT_CLASSES: Dict[str, type] = {"int": int, "str": str, "MString": MString, "bool": bool, "float": float}


def result_class(wrapper: Any) -> Optional[type]:
    """The class a checked primitive returns, from its implementation's declared return
    type (chars are Python str, strings MString), or None when not one class."""
    spec = getattr(wrapper, "guard_spec", None)
    if spec is None:
        return None
    ret = getattr(spec[0], "__annotations__", {}).get("return")
    return _RESULT_CLASSES.get(ret) if isinstance(ret, str) else None


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
    def __init__(self, operands: List[ast.expr], const: Callable[[Any], str],
                 first: Optional[Dict[int, ast.expr]] = None) -> None:
        self.operands, self.const, self.first = operands, const, dict(first or {})

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if node.id.startswith("polysock_op_"):
            i = int(node.id[len("polysock_op_"):])
            return self.first.pop(i) if i in self.first else self.operands[i]
        return ast.Name(self.const(_body_name(node.id)), ast.Load())


def _body_name(name: str) -> Any:
    return _BODY_NAMES[name] if name in _BODY_NAMES else getattr(builtins, name)


def expand(template: str, operands: List[ast.expr], const: Callable[[Any], str],
           classes: Optional[List[Optional[type]]] = None,
           nonneg: Optional[List[bool]] = None, first: Optional[Dict[int, ast.expr]] = None) -> Optional[ast.expr]:
    """A body or extra-test template over *operands* (simple names or constants); the
    builtins it names (ord, chr, len) become constants via *const*. With the operands'
    known *classes* (and which are known to be ints >= 0), class tests on them, sign
    tests and comparisons of constant operands are decided first; None means the
    (test) template always holds. *first* gives, by operand index, the node for that
    operand's first use in evaluation order (an assignment expression)."""
    tree = _BODY_PARSED.get(template)
    if tree is None:
        text = template.format(*[f"polysock_op_{i}" for i in range(len(operands))])
        tree = _BODY_PARSED[template] = ast.parse(text, mode="eval").body
    tree = copy.deepcopy(tree)
    if classes and any(classes):
        values = {f"polysock_op_{i}": o.value for i, o in enumerate(operands) if isinstance(o, ast.Constant)}
        signs = frozenset(f"polysock_op_{i}" for i, ok in enumerate(nonneg or ()) if ok)
        tree = _fold(tree, {f"polysock_op_{i}": k for i, k in enumerate(classes) if k is not None}, _body_name,
                     values, signs)
        if isinstance(tree, ast.Constant) and tree.value is True:
            return None
    return _Operands(operands, const, first).visit(tree)
