"""Identifiers, bindings and environments: where hygiene lives.

Theory of operation
-------------------
An *identifier* is either a plain ``Symbol`` (written by the user) or a ``Renamed``
object made when a macro inserts a symbol from its template. A Renamed remembers the
symbol and the environment of the macro's *definition*; every expansion makes fresh
Renamed objects (one per symbol per expansion), so bindings introduced by one
expansion can only capture identifiers of that same expansion.

Resolution (``resolve(ident, env)``):
1. walk the local ``Scope`` chain of the use site looking for the identifier object
   itself (a Symbol, or the very Renamed object a binding form of the same expansion
   bound);
2. at the top level, a Renamed that nothing bound resolves as its symbol in the
   macro's definition environment (repeat: macro-generating macros nest Renameds);
3. at the top level a Symbol is a syntactic binding of that ``Toplevel`` (special form
   or macro) or else a global variable there (``Global``; bound or not is a run-time
   question).

So a macro's free identifiers mean what they meant where the macro was written
(referential transparency) and its binders cannot capture user identifiers
(hygiene). ``quote`` strips Renamed objects back to symbols. Two identifiers are
``free-identifier=?`` when they resolve to the same binding.

Bindings are: ``Var`` (a local variable, from core.py), ``Macro``, ``Special`` (a core
form handler), and ``Global`` (computed, never stored).
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional

from ..values.pairs import NIL, Pair, cons
from ..values.symbols import Symbol, intern


class Renamed:
    """A symbol inserted by a macro expansion; see the module docstring."""

    __slots__ = ("sym", "env", "__weakref__")

    def __init__(self, sym: Any, env: Any) -> None:
        self.sym = sym      # a Symbol or another Renamed
        self.env = env      # the environment of the macro definition

    @property
    def name(self) -> str:
        return base_symbol(self).name

    def __repr__(self) -> str:
        return f"#<id {self.name}>"


class FreshId(Renamed):
    """A hygienic temporary made by a built-in derived form (never written by a user).
    Defined at top level it gets a unique global name (Toplevel.renames)."""

    __slots__ = ()


def is_identifier(x: Any) -> bool:
    c = x.__class__
    return c is Symbol or c is Renamed or c is FreshId


def base_symbol(x: Any) -> Symbol:
    """The symbol an identifier was made from."""
    while x.__class__ is Renamed or x.__class__ is FreshId:
        x = x.sym
    return x


def strip(x: Any) -> Any:
    """Datum with every Renamed replaced by its symbol (for quote)."""
    if x.__class__ is Renamed or x.__class__ is FreshId:
        return base_symbol(x)
    if isinstance(x, Pair):
        # iterative over the cdr chain
        head = out = cons(strip(x.car), NIL)
        x = x.cdr
        while isinstance(x, Pair):
            nxt = cons(strip(x.car), NIL)
            out.cdr = nxt
            out = nxt
            x = x.cdr
        out.cdr = strip(x)
        return head
    if x.__class__ is list:
        return [strip(e) for e in x]
    return x


def contains_renamed(x: Any) -> bool:
    if isinstance(x, Renamed):
        return True
    while isinstance(x, Pair):
        if contains_renamed(x.car):
            return True
        x = x.cdr
    if x.__class__ is list:
        return any(contains_renamed(e) for e in x)
    return isinstance(x, Renamed)


class Macro:
    """A syntactic binding to a transformer ``fn(form, use_env, expander) -> datum``."""

    __slots__ = ("fn", "env", "name")

    def __init__(self, fn: Callable[..., Any], env: Any, name: str = "") -> None:
        self.fn = fn
        self.env = env
        self.name = name


class Special:
    """A core special form: ``fn(expander, form, env) -> core Node``."""

    __slots__ = ("fn", "name")

    def __init__(self, fn: Callable[..., Any], name: str) -> None:
        self.fn = fn
        self.name = name

    def __repr__(self) -> str:
        return f"#<special {self.name}>"


class Global:
    """The resolution of an identifier to a top-level variable."""

    __slots__ = ("env", "name")

    def __init__(self, env: "Toplevel", name: str) -> None:
        self.env = env
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Global) and other.env is self.env and other.name == self.name

    def __hash__(self) -> int:
        return hash((id(self.env), self.name))


class Toplevel:
    """A top-level environment: ``namespace`` is the Python dict compiled code uses as
    its globals (variables), ``syntax`` maps symbols to Macro/Special bindings."""

    def __init__(self, name: str, namespace: Optional[Dict[str, Any]] = None) -> None:
        self.name = name
        self.namespace: Dict[str, Any] = namespace if namespace is not None else {}
        self.syntax: Dict[Symbol, Any] = {}
        self.options: Dict[str, Any] = {}     # dialect knobs (reader options, features...)
        self.renames: Dict[Any, str] = {}     # FreshId defined here -> its unique global name
        self.const_counter = 0

    def define_syntax(self, name: str, binding: Any) -> None:
        self.syntax[intern(name)] = binding

    def __repr__(self) -> str:
        return f"#<environment {self.name}>"


class Scope:
    """A local contour: identifier -> binding."""

    __slots__ = ("parent", "bindings", "toplevel")

    def __init__(self, parent: Any) -> None:
        self.parent = parent
        self.bindings: Dict[Any, Any] = {}
        self.toplevel: Toplevel = parent if isinstance(parent, Toplevel) else parent.toplevel

    def bind(self, ident: Any, binding: Any) -> None:
        self.bindings[ident] = binding


def toplevel_of(env: Any) -> Toplevel:
    return env if isinstance(env, Toplevel) else env.toplevel


def resolve(ident: Any, env: Any) -> Any:
    """The binding of *ident* in *env* (see the module docstring)."""
    while True:
        e = env
        while e.__class__ is Scope:
            b = e.bindings.get(ident)
            if b is not None:
                return b
            e = e.parent
        if ident.__class__ is FreshId:
            g = e.renames.get(ident)
            if g is not None:
                return Global(e, g)
        if ident.__class__ is Renamed or ident.__class__ is FreshId:
            env = ident.env
            ident = ident.sym
            continue
        b = e.syntax.get(ident)
        if b is not None:
            return b
        return Global(e, ident.name)


def free_identifier_eq(a: Any, a_env: Any, b: Any, b_env: Any) -> bool:
    ra, rb = resolve(a, a_env), resolve(b, b_env)
    if isinstance(ra, Global) and isinstance(rb, Global):
        return ra.name == rb.name
    return ra is rb
