"""Primitives: each Scheme-visible procedure declared once.

``@primitive("string-ref", A.string, A.index)`` registers a checking wrapper under the
Scheme name in a library (default ``(scheme base)``) and returns the Python function
unchanged, so Python callers skip the checks. The wrapper is generated source: arity
comes from the Python signature (defaults are optional arguments, ``*rest`` is a rest
list), each spec's test is inlined, and a failure raises the wrong-type condition
naming the procedure, the 1-based position and the value. Its ``__name__`` is the
Scheme name, so a Python arity TypeError already names the procedure.

Library names are strings written as Scheme library names: "(scheme base)",
"(srfi 18)", "(polysock guile)". ``LIBRARIES`` maps each to {name: value}.
"""
from __future__ import annotations

import marshal
from types import CodeType, FunctionType
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from ..values.conditions import wrong_type
from .argtypes import NAMESPACE, A, Arg

LIBRARIES: Dict[str, Dict[str, Any]] = {}
#: library -> Scheme source texts evaluated (in order) when the library is first
#: imported; what they define (procedures, variables, macros) joins its exports.
SCHEME_SOURCES: Dict[str, List[str]] = {}
SPECS: Dict[int, "PrimSpec"] = {}   # id(wrapper) -> spec


class PrimSpec:
    """What the registry knows of one primitive."""

    __slots__ = ("name", "impl", "wrapper", "args", "rest", "doc", "library")

    def __init__(self, name: str, impl: Callable[..., Any], wrapper: Callable[..., Any],
                 args: Sequence[Arg], rest: Optional[Arg], doc: str, library: str) -> None:
        self.name, self.impl, self.wrapper = name, impl, wrapper
        self.args, self.rest, self.doc, self.library = tuple(args), rest, doc, library


def library(name: str) -> Dict[str, Any]:
    """The export table of library *name* (created empty on first use)."""
    return LIBRARIES.setdefault(name, {})


def define_value(lib: str, name: str, value: Any) -> Any:
    """Export a non-procedure value (a constant) from *lib*."""
    library(lib)[name] = value
    return value


_NO_DEFAULT = object()
_CO_VARARGS = 0x04


def _parameters(fn: Callable[..., Any]) -> List[Tuple[bool, Any]]:
    """(is_rest, default or _NO_DEFAULT) per positional parameter of *fn*, read from its
    code object (inspect.signature costs ~30 us a call, 1000+ calls at every start)."""
    code = getattr(fn, "__code__", None)
    if type(fn) is not FunctionType or code is None or code.co_kwonlyargcount or hasattr(fn, "__wrapped__"):
        import inspect
        return [(p.kind is p.VAR_POSITIONAL, _NO_DEFAULT if p.default is p.empty else p.default)
                for p in inspect.signature(fn).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)]
    n = code.co_argcount
    defaults = fn.__defaults__ or ()
    first_default = n - len(defaults)
    out: List[Tuple[bool, Any]] = [(False, defaults[i - first_default] if i >= first_default else _NO_DEFAULT)
                                   for i in range(n)]
    if code.co_flags & _CO_VARARGS:
        out.append((True, _NO_DEFAULT))
    return out


def _make_wrapper(name: str, fn: Callable[..., Any], specs: Sequence[Arg]) -> tuple:
    params: List[str] = []
    call: List[str] = []
    checks: List[str] = []
    # the wrapper's closure variables (argtypes.NAMESPACE holds the shared globals)
    ns: Dict[str, Any] = {"_impl": fn, "_bad": wrong_type, "_name": name}
    rest_spec: Optional[Arg] = None
    pos = 0
    arg_specs: List[Arg] = []
    for is_rest, default in _parameters(fn):
        if is_rest:
            params.append("*rest")
            call.append("*rest")
            if pos < len(specs):
                rest_spec = specs[pos]
            break
        spec = specs[pos] if pos < len(specs) else A.any
        arg_specs.append(spec)
        v = f"a{pos}"
        if default is not _NO_DEFAULT:
            ns[f"_d{pos}"] = default
            params.append(f"{v}=_d{pos}")
        else:
            params.append(v)
        call.append(v)
        guard = f"{v} is not _d{pos} and " if default is not _NO_DEFAULT else ""
        if spec.test is not None:
            checks.append(f"    if {guard}not {spec.test.format(x=v)}: _bad(_name, {pos + 1}, {spec.name!r}, {v})")
        elif spec.pred is not None:
            ns[f"_p{pos}"] = spec.pred
            checks.append(f"    if {guard}not _p{pos}({v}): _bad(_name, {pos + 1}, {spec.name!r}, {v})")
        pos += 1
    if rest_spec is not None and (rest_spec.test is not None or rest_spec.pred is not None):
        ns["_prest"] = rest_spec.check
        checks.append(f"    for _i, _v in enumerate(rest):\n"
                      f"        if not _prest(_v): _bad(_name, {pos + 1} + _i, {rest_spec.name!r}, _v)")
    if not checks:
        return fn, arg_specs, rest_spec
    # Compile each distinct wrapper shape once; instantiate it per primitive with its
    # own implementation, name, defaults and predicates as closure variables.
    free = sorted(ns)
    body = f"    def _w({', '.join(params)}):\n    " + "\n".join(checks).replace("\n", "\n    ") \
        + f"\n        return _impl({', '.join(call)})\n    return _w\n"
    src = f"def _factory({', '.join(free)}):\n" + body
    factory = _FACTORIES.get(src)
    if factory is None:
        fns: Dict[str, Any] = dict(NAMESPACE)
        exec(compiled(src), fns)
        factory = _FACTORIES[src] = fns["_factory"]
    w = factory(*[ns[k] for k in free])
    return w, arg_specs, rest_spec


_FACTORIES: Dict[str, Callable[..., Any]] = {}

# Compiling the ~300 wrapper shapes is a good part of start-up, so their code objects
# can be kept in a persistent store (toplevel.py passes polysock/cache.py), keyed by
# their source text.
_CODE_BLOB = "registry-wrappers.marshal"
_CODE_KEY = b"wrappers-1"
_CODE: Dict[str, CodeType] = {}
_STORE: Optional[Tuple[Callable[[str, bytes], Optional[bytes]], Callable[[str, bytes, bytes], bool]]] = None
_code_dirty = False


def use_code_store(load: Callable[[str, bytes], Optional[bytes]], store: Callable[[str, bytes, bytes], bool]) -> None:
    """Read compiled wrapper shapes from, and later save new ones to, a blob store."""
    global _STORE, _CODE
    _STORE = (load, store)
    try:
        data = load(_CODE_BLOB, _CODE_KEY)
        loaded = marshal.loads(data) if data is not None else {}
    except Exception:  # an unreadable store only costs the compiles
        loaded = {}
    if isinstance(loaded, dict):
        loaded.update(_CODE)
        _CODE = loaded


def compiled(src: str) -> CodeType:
    """The code object of module source *src*, from the persistent store when it holds
    it (compiling a few dozen small generated functions is milliseconds of each start)."""
    global _code_dirty
    code = _CODE.get(src)
    if code is None:
        code = _CODE[src] = compile(src, "<polysock-primitive>.py", "exec")
        _code_dirty = True
    return code


def save_compiled() -> None:
    """Write newly compiled wrapper shapes to the store (called after loading)."""
    global _code_dirty
    if not _code_dirty or _STORE is None:
        return
    _code_dirty = False
    table = _CODE if len(_CODE) < 4000 else {src: _CODE[src] for src in _FACTORIES if src in _CODE}
    try:
        _STORE[1](_CODE_BLOB, _CODE_KEY, marshal.dumps(table))
    except Exception:
        pass


def primitive(name: str, *specs: Arg, lib: str = "(scheme base)", also: Sequence[str] = ()) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a Scheme primitive; see the module docstring. *also* lists more libraries."""

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        wrapper, arg_specs, rest_spec = _make_wrapper(name, fn, specs)
        if wrapper is fn:
            # No checks needed: the implementation itself is the Scheme procedure (one
            # Python call, not two); it takes the Scheme name for messages.
            if getattr(fn, "scheme_name", None) not in (None, name):
                wrapper, _, _ = _make_wrapper(name, fn, [Arg(s.name, "True") for s in specs] or [Arg("object", "True")])
        wrapper.__name__ = wrapper.__qualname__ = name
        wrapper.scheme_name = name  # type: ignore[attr-defined]
        wrapper.__doc__ = fn.__doc__
        raw = getattr(fn, "_raw", None)
        if raw is not None:   # tail-transparent primitive: keep the raw entry point
            wrapper._raw = raw  # type: ignore[attr-defined]
        if wrapper is not fn:
            # What the compiler needs to test the arguments inline and call fn directly
            # (compiler/pycode.py: guarded primitive calls); the wrapper stays the slow path.
            wrapper.guard_spec = (fn, tuple(arg_specs), rest_spec, NAMESPACE)  # type: ignore[attr-defined]
        spec = PrimSpec(name, fn, wrapper, arg_specs, rest_spec, (fn.__doc__ or "").strip(), lib)
        SPECS[id(wrapper)] = spec
        for l in (lib, *also):
            library(l)[name] = wrapper
        fn.prim = wrapper  # type: ignore[attr-defined]
        return fn

    return deco


#: library -> names of core special forms / built-in macros it re-exports
CORE_SYNTAX: Dict[str, List[str]] = {}


def export_core_syntax(lib: str, *names: str) -> None:
    """Make core special forms (if, define-macro, named-lambda, ...) part of library *lib*."""
    CORE_SYNTAX.setdefault(lib, []).extend(names)
    library(lib)


def define_scheme(lib: str, text: str) -> None:
    """Add Scheme definitions (define / define-syntax forms) to library *lib*. They are
    evaluated with (scheme base), (polysock extras), (polysock internal) and *lib*'s
    primitives in scope; everything they define is exported."""
    SCHEME_SOURCES.setdefault(lib, []).append(text)
    library(lib)


def alias(lib: str, new: str, old_lib: str, old: str) -> None:
    """Export *old* from *old_lib* again as *new* in *lib*."""
    library(lib)[new] = LIBRARIES[old_lib][old]


def spec_of(value: Any) -> Optional[PrimSpec]:
    return SPECS.get(id(value))
