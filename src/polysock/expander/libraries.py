"""Libraries: define-library, import sets, and the table of known libraries.

A library is a ``Library``: its name key (the library name written as Scheme text,
e.g. "(scheme base)"), a Toplevel for its body, and its exports. Built-in libraries
come from the primitive registry (runtime.registry.LIBRARIES) plus the syntax each
exports (``SYNTAX_EXPORTS``). Importing copies variable *values* into the importing
environment's namespace (so compiled code reaches them as fast globals) and syntax
*bindings* into its syntax table (so macros keep their own environments).
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

from ..values.pairs import NIL, Pair, from_iter, location_of, to_list
from ..values.symbols import Symbol, intern
from .scope import Toplevel, base_symbol, is_identifier, strip


class Library:
    """An importable library: ``exports`` maps external name -> ("var", env, internal
    name) or ("syntax", binding)."""

    def __init__(self, key: str, env: Optional[Toplevel] = None) -> None:
        self.key = key
        self.env = env
        self.exports: Dict[str, Tuple[Any, ...]] = {}


LIBRARY_TABLE: Dict[str, Library] = {}
#: library key -> names of special forms / macros of the core environment it exports
SYNTAX_EXPORTS: Dict[str, List[str]] = {}
#: hook set by toplevel.py: build a Library for a key not yet known (from the
#: primitive registry or a .sld file), or return None
FINDER: List[Callable[[str, Any], Optional[Library]]] = []


def name_key(datum: Any) -> str:
    """"(scheme base)" for the datum (scheme base)."""
    items = to_list(strip(datum))
    if items is None:
        raise ValueError("bad library name")
    parts = []
    for p in items:
        parts.append(p.name if isinstance(p, Symbol) else str(p))
    return "(" + " ".join(parts) + ")"


def find_library(key: str, exp: Any = None) -> Optional[Library]:
    lib = LIBRARY_TABLE.get(key)
    if lib is None:
        for finder in FINDER:
            lib = finder(key, exp)
            if lib is not None:
                LIBRARY_TABLE[key] = lib
                break
    return lib


def library_exists(datum: Any) -> bool:
    try:
        return find_library(name_key(datum)) is not None
    except ValueError:
        return False


def _syntax_error(msg: str, form: Any, *irr: Any) -> Exception:
    from .forms import syntax_error
    return syntax_error(msg, form, *irr)


def resolve_import_set(exp: Any, spec: Any, form: Any) -> Dict[str, Tuple[Any, ...]]:
    """External name -> export entry for one import set."""
    items = to_list(spec)
    if not items:
        raise _syntax_error("import: bad import set", form, strip(spec))
    head = items[0]
    kw = base_symbol(head).name if is_identifier(head) else None
    if kw in ("only", "except", "prefix", "rename") and len(items) >= 2 and isinstance(items[1], Pair):
        inner = resolve_import_set(exp, items[1], form)
        args = items[2:]
        if kw == "only":
            names = [base_symbol(a).name for a in args]
            missing = [n for n in names if n not in inner]
            if missing:
                raise _syntax_error("import: only: names not exported", form, *[intern(m) for m in missing])
            return {n: inner[n] for n in names}
        if kw == "except":
            out = dict(inner)
            for a in args:
                out.pop(base_symbol(a).name, None)
            return out
        if kw == "prefix":
            pfx = base_symbol(args[0]).name
            return {pfx + n: e for n, e in inner.items()}
        out = dict(inner)
        for r in args:
            ri = to_list(r)
            if not ri or len(ri) != 2:
                raise _syntax_error("import: bad rename", form, strip(r))
            old, new = base_symbol(ri[0]).name, base_symbol(ri[1]).name
            if old in out:
                out[new] = out.pop(old)
        return out
    key = name_key(spec)
    lib = find_library(key, exp)
    if lib is None:
        raise _syntax_error(f"import: unknown library {key}", form)
    return lib.exports


def bind_exports(env: Toplevel, entries: Dict[str, Tuple[Any, ...]]) -> None:
    """Make each entry visible in *env* under its external name."""
    ns = env.namespace
    for name, e in entries.items():
        sym = intern(name)
        if e[0] == "syntax":
            env.syntax[sym] = e[1]
        else:
            src_env, internal = e[1], e[2]
            if src_env is None:
                ns[name] = e[3]
            elif internal in src_env.namespace:
                ns[name] = src_env.namespace[internal]
            env.syntax.pop(sym, None)


def import_sets(exp: Any, specs: List[Any], env: Toplevel, form: Any) -> None:
    for spec in specs:
        bind_exports(env, resolve_import_set(exp, spec, form))


def define_library(exp: Any, form: Any, env: Any) -> Library:
    """Evaluate a define-library form and register it."""
    items = to_list(form)
    if not items or len(items) < 2:
        raise _syntax_error("define-library: bad syntax", form)
    key = name_key(items[1])
    lib_env = Toplevel(key)
    lib_env.options = dict(getattr(env, "options", {}) or {})
    lib = Library(key, lib_env)
    export_specs: List[Tuple[str, str]] = []
    decls = list(items[2:])
    from .forms import K, cond_expand_select
    from ..values.pairs import Pair as _P
    while decls:
        d = decls.pop(0)
        di = to_list(d)
        if not di or not is_identifier(di[0]):
            raise _syntax_error("define-library: bad declaration", form, strip(d))
        kw = base_symbol(di[0]).name
        if kw == "export":
            for e in di[1:]:
                if is_identifier(e):
                    n = base_symbol(e).name
                    export_specs.append((n, n))
                else:
                    ei = to_list(e) or []
                    if len(ei) == 3 and base_symbol(ei[0]).name == "rename":
                        export_specs.append((base_symbol(ei[1]).name, base_symbol(ei[2]).name))
                    else:
                        raise _syntax_error("define-library: bad export", form, strip(e))
        elif kw == "import":
            import_sets(exp, di[1:], lib_env, form)
        elif kw == "begin":
            exp.run_body(di[1:], lib_env)
        elif kw in ("include", "include-ci", "include-library-declarations"):
            for n in di[1:]:
                forms = exp.read_file(n.s, kw == "include-ci", form)
                if kw == "include-library-declarations":
                    decls[0:0] = forms
                else:
                    exp.run_body(forms, lib_env)
        elif kw == "cond-expand":
            decls[0:0] = cond_expand_select(exp, d)
        else:
            raise _syntax_error(f"define-library: unknown declaration {kw}", form)
    for internal, external in export_specs:
        sym = intern(internal)
        if sym in lib_env.syntax:
            lib.exports[external] = ("syntax", lib_env.syntax[sym])
        else:
            lib.exports[external] = ("var", lib_env, internal)
    LIBRARY_TABLE[key] = lib
    return lib
