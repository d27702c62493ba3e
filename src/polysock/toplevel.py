"""Wires reader -> expander -> compiler -> runtime: environments, eval, load, errors.

An *environment* is an expander Toplevel whose namespace holds the compiled code's
globals. ``make_environment(dialect)`` builds a fresh one by importing the dialect's
libraries. Top-level forms are expanded, compiled and run one at a time, so a macro
or definition is available to the forms after it.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from typing import Any, Callable, Dict, List, Optional

from . import cache as _cache
from .runtime import registry
registry.use_code_store(_cache.load_blob, _cache.store_blob)   # before any primitive registers
from . import dialects as _dialects  # noqa: E402
from .compiler.pycode import SEP, compile_toplevel, install_helpers
from .expander import specials as _specials  # noqa: F401  (registers special forms)
from .expander.forms import CORE, MACROS, SPECIALS, Expander
from .expander.libraries import FINDER, LIBRARY_TABLE, SYNTAX_EXPORTS, Library, bind_exports
from .expander.scope import Toplevel
from .reader.parser import Reader, ReaderOptions
from .values.conditions import Condition, SchemeError, SourceLocation, make_condition
from .values.misc import EOF, UNSPECIFIED, Environment
from .values.pairs import location_of
from .values.strings import MString

# Load every runtime module so its primitives register.
_RUNTIME_MODULES = ["numbers", "bitwise", "chars", "strings", "symbols", "bytevectors", "lists", "vectors",
                    "equivalence", "records", "hashtables", "control", "ports", "io", "system",
                    "srfi18"]
for _m in _RUNTIME_MODULES:
    try:
        __import__(f"{__package__}.runtime.{_m}")   # the C import path: visible to -X importtime
    except ImportError as _e:  # a module not written yet must not break the others
        if f"runtime.{_m}" not in str(_e) and _m not in str(_e):
            raise

STANDARD_SYNTAX = [
    "quote", "quasiquote", "unquote", "unquote-splicing", "lambda", "define", "set!", "if",
    "begin", "let", "let*", "letrec", "letrec*", "define-syntax", "let-syntax", "letrec-syntax",
    "syntax-rules", "cond", "case", "and", "or", "when", "unless", "do", "else", "=>", "...", "_",
    "case-lambda", "delay", "delay-force", "parameterize", "guard", "let-values", "let*-values",
    "define-values", "define-record-type", "include", "include-ci", "cond-expand", "import",
    "define-library",
]
SYNTAX_EXPORTS["(scheme base)"] = [n for n in STANDARD_SYNTAX if n not in ("delay", "delay-force", "case-lambda")]
SYNTAX_EXPORTS["(scheme lazy)"] = ["delay", "delay-force"]
SYNTAX_EXPORTS["(scheme case-lambda)"] = ["case-lambda"]
SYNTAX_EXPORTS["(polysock extras)"] = ["named-lambda", "fluid-let", "receive", "assert", "cons-stream",
                                       "the-environment", "er-macro-transformer", "ir-macro-transformer",
                                       "rsc-macro-transformer", "sc-macro-transformer", "lazy",
                                       "define-macro", "defmacro"]
SYNTAX_EXPORTS["(srfi 8)"] = ["receive"]
SYNTAX_EXPORTS["(srfi 39)"] = ["parameterize"]

R7RS_LIBRARIES = ["(scheme base)", "(scheme char)", "(scheme cxr)", "(scheme lazy)", "(scheme inexact)",
                  "(scheme complex)", "(scheme write)", "(scheme read)", "(scheme file)",
                  "(scheme process-context)", "(scheme time)", "(scheme case-lambda)", "(scheme eval)",
                  "(scheme repl)"]

# The R7RS libraries that are mostly procedures from other libraries.
_LIB_ALIASES = {
    "(scheme lazy)": ["force", "make-promise", "promise?"],
    "(scheme eval)": ["eval", "environment"],
    "(scheme repl)": ["interaction-environment"],
    "(scheme r5rs)": None,
    "(srfi 39)": ["make-parameter"],
    "(srfi 23)": ["error"],
}


def _registry_library(key: str, exp: Any = None) -> Optional[Library]:
    """A Library built from the primitive registry (and the core syntax it exports)."""
    prims = registry.LIBRARIES.get(key)
    syn = list(SYNTAX_EXPORTS.get(key, ())) + list(registry.CORE_SYNTAX.get(key, ())) or None
    alias = _LIB_ALIASES.get(key, ())
    if prims is None and syn is None and not alias and key != "(scheme r5rs)":
        return None
    lib = Library(key)
    for name, v in (prims or {}).items():
        lib.exports[name] = ("var", None, name, v)
    if key == "(scheme r5rs)":
        for k in R7RS_LIBRARIES:
            sub = _registry_library(k)
            if sub is not None:
                lib.exports.update(sub.exports)
        return lib
    for name in alias or ():
        v = CORE.namespace.get(name)
        if v is not None:
            lib.exports[name] = ("var", None, name, v)
    for name in syn or ():
        b = CORE.syntax.get(_sym(name))
        if b is not None:
            lib.exports[name] = ("syntax", b)
    sources = registry.SCHEME_SOURCES.get(key)
    if sources:
        _add_scheme_sources(lib, key, sources)
    return lib


def _add_scheme_sources(lib: Library, key: str, sources: List[str]) -> None:
    """Evaluate a library's Scheme-source part and export what it defines."""
    env = Toplevel(key)
    install_helpers(env.namespace)
    for base in ("(scheme base)", "(scheme char)", "(scheme write)", "(scheme cxr)", "(polysock extras)",
                 "(polysock internal)", "(srfi 18)"):
        b = LIBRARY_TABLE.get(base) or _registry_library(base)
        if b is not None:
            LIBRARY_TABLE.setdefault(base, b)
            bind_exports(env, b.exports)
    bind_exports(env, lib.exports)
    before_ns = set(env.namespace)
    before_syn = set(env.syntax)
    for text in sources:
        eval_string(text, env, f"<library {key}>")
    for name in set(env.namespace) - before_ns:
        if not name.startswith(SEP):
            lib.exports[name] = ("var", env, name)
    for sym in set(env.syntax) - before_syn:
        lib.exports[sym.name] = ("syntax", env.syntax[sym])


def _sym(name: str) -> Any:
    from .values.symbols import intern
    return intern(name)


def _file_library(key: str, exp: Any = None) -> Optional[Library]:
    """Load (foo bar) from foo/bar.sld (or .scm) on the library path."""
    parts = key.strip("()").split()
    rel = os.path.join(*parts)
    for d in LIBRARY_PATH:
        for ext in (".sld", ".scm"):
            p = os.path.join(d, rel + ext)
            if os.path.exists(p):
                env = make_environment("r7rs")
                load_file(p, env)
                return LIBRARY_TABLE.get(key)
    return None


LIBRARY_PATH: List[str] = [os.path.join(os.path.dirname(__file__), "lib")]
FINDER.append(_registry_library)
FINDER.append(_file_library)


def _fill_core() -> None:
    ns = CORE.namespace
    install_helpers(ns)
    for lib in registry.LIBRARIES.values():
        for name, v in lib.items():
            ns.setdefault(name, v)


_fill_core()


# ----------------------------------------------------------------- dialects

class Dialect:
    """How to build a dialect's environment and read its programs."""

    def __init__(self, name: str, libraries: List[str], reader: Optional[ReaderOptions] = None,
                 detect: Optional[Callable[[str], bool]] = None, setup: Optional[Callable[[Toplevel], None]] = None,
                 description: str = "", options: Optional[Dict[str, Any]] = None,
                 report: Optional[Callable[[Any], Any]] = None) -> None:
        self.options = dict(options or {})
        self.report = report
        self.name = name
        self.libraries = libraries
        self.reader = reader or ReaderOptions(script_header=True)
        self.detect = detect
        self.setup = setup
        self.description = description


class _DialectTable(Dict[str, Dialect]):
    """name -> Dialect; an installed dialect's module is imported on first lookup.

    ``in``, ``len`` and iteration see every installed dialect (``dialects.MODULES``);
    only ``[name]`` / ``get(name)`` / ``values()`` load them."""

    def __contains__(self, name: object) -> bool:
        return dict.__contains__(self, name) or name in _dialects.MODULES

    def __iter__(self) -> Any:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.keys())

    def keys(self) -> Any:  # type: ignore[override]
        return list(dict.keys(self)) + [n for n in _dialects.MODULES if not dict.__contains__(self, n)]

    def __missing__(self, name: str) -> Dialect:
        if name not in _dialects.MODULES:
            raise KeyError(name)
        return load_dialect(name)

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        try:
            return self[name]
        except KeyError:
            return default

    def values(self) -> Any:  # type: ignore[override]
        return [self[n] for n in self.keys()]

    def items(self) -> Any:  # type: ignore[override]
        return [(n, self[n]) for n in self.keys()]


DIALECTS: Dict[str, Dialect] = _DialectTable()
#: dialect module -> why it failed to load (reported by the CLI when it is asked for)
DIALECT_ERRORS: Dict[str, str] = {}


def register_dialect(d: Dialect) -> Dialect:
    dict.__setitem__(DIALECTS, d.name, d)
    return d


register_dialect(Dialect("r7rs", R7RS_LIBRARIES + ["(srfi 18)", "(srfi 69)", "(srfi 106)", "(polysock extras)"],
                         description="R7RS-small with SRFI 18, 69 and 106 (the default)"))


def _import_dialect_module(module: str) -> Any:
    """Import polysock.dialects.<module>; register the dialect it defines, if any."""
    mod = importlib.import_module(f".dialects.{module}", __package__)
    spec = getattr(mod, "DIALECT", None)
    if spec is not None and not dict.__contains__(DIALECTS, spec.name):
        register_dialect(Dialect(spec.name, list(spec.libraries), spec.reader, spec.detect,
                                 spec.setup, spec.description, getattr(spec, "options", None),
                                 getattr(spec, "report", None)))
    _fill_core()
    registry.save_compiled()
    return mod


def load_dialect(name: str) -> Dialect:
    """The dialect *name*, importing its module on first use; KeyError if it is unknown or
    its module fails to import (the reason is kept in DIALECT_ERRORS)."""
    d = dict.get(DIALECTS, name)
    if d is not None:
        return d
    module = _dialects.MODULES.get(name)
    if module is None:
        raise KeyError(name)
    try:
        _import_dialect_module(module)
    except Exception as e:  # a broken dialect must not take the others down
        DIALECT_ERRORS[name] = f"{type(e).__name__}: {e}"
        raise KeyError(name) from e
    return dict.__getitem__(DIALECTS, name)


def _load_all_dialects() -> None:
    """Import every dialect module (the fallback for a library the index does not know)."""
    for m in pkgutil.iter_modules(_dialects.__path__):
        if not m.name.startswith("_") and f"{__package__}.dialects.{m.name}" not in sys.modules:
            try:
                _import_dialect_module(m.name)
            except Exception as e:  # a broken dialect must not take the others down
                DIALECT_ERRORS[m.name] = f"{type(e).__name__}: {e}"


def _dialect_library(key: str, exp: Any = None) -> Optional[Library]:
    """A library registered by a dialect module not imported yet (found through the index)."""
    module = _dialects.library_home(key)
    if module is None or f"{__package__}.dialects.{module}" in sys.modules:
        return None
    try:
        _import_dialect_module(module)
    except Exception as e:
        DIALECT_ERRORS[module] = f"{type(e).__name__}: {e}"
        return None
    return _registry_library(key, exp)


def _any_dialect_library(key: str, exp: Any = None) -> Optional[Library]:
    """Last resort: load every dialect module, then look again."""
    if all(f"{__package__}.dialects.{m.name}" in sys.modules
           for m in pkgutil.iter_modules(_dialects.__path__) if not m.name.startswith("_")):
        return None
    _load_all_dialects()
    return _registry_library(key, exp)


for _m in _dialects.ALWAYS:
    _import_dialect_module(_m)
FINDER.insert(1, _dialect_library)     # after the registry, before .sld files
FINDER.append(_any_dialect_library)


def make_environment(dialect: str = "r7rs") -> Toplevel:
    """A fresh top-level environment for *dialect*."""
    d = DIALECTS[dialect]
    env = Toplevel(f"{dialect}-toplevel")
    install_helpers(env.namespace)
    env.options["dialect"] = dialect
    env.options["reader"] = d.reader
    env.options.update(d.options)
    for key in d.libraries:
        lib = LIBRARY_TABLE.get(key) or _registry_library(key)
        if lib is None:
            continue
        LIBRARY_TABLE.setdefault(key, lib)
        bind_exports(env, lib.exports)
    if d.setup is not None:
        d.setup(env)
    return env


def detect_dialect(text: str) -> str:
    """The dialect a program is written for, from its text (default r7rs); no dialect
    module is imported to decide."""
    return _dialects.detect(text) or "r7rs"


# ----------------------------------------------------------------- evaluation

class Session:
    """Expander + the callbacks it needs; one per process is enough."""

    def __init__(self) -> None:
        self.expander = Expander(evaluate=self.evaluate_node, read_file=self.read_include)
        self.expander.run_body = self.run_forms  # type: ignore[attr-defined]
        self.file_stack: List[str] = []

    def evaluate_node(self, node: Any, env: Toplevel) -> Any:
        fn = compile_toplevel(node, env, _filename_of(node))
        return fn()

    def read_include(self, name: str, ci: bool, form: Any) -> List[Any]:
        base = os.path.dirname(self.file_stack[-1]) if self.file_stack else os.getcwd()
        loc = location_of(form)
        if loc is not None and loc.file and os.path.exists(loc.file):
            base = os.path.dirname(loc.file)
        path = name if os.path.isabs(name) else os.path.join(base, name)
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise SchemeError(make_condition("file", "include", f"cannot open file: {e.strerror}", MString(path), filename=path))
        opts = ReaderOptions(fold_case=ci)
        return Reader(text, path, opts).read_all()

    def eval_datum(self, datum: Any, env: Toplevel) -> Any:
        node = self.expander.expand_toplevel(datum, env)
        loc = location_of(datum)
        fn = compile_toplevel(node, env, loc.file if loc is not None else "<eval>")
        return fn()

    def run_forms(self, forms: List[Any], env: Toplevel) -> Any:
        result: Any = UNSPECIFIED
        for f in forms:
            result = self.eval_datum(f, env)
        return result


SESSION = Session()


def _filename_of(node: Any) -> str:
    loc = getattr(node, "loc", None)
    return loc.file if loc is not None else "<eval>"


def read_program(text: str, filename: str, env: Toplevel) -> Reader:
    return Reader(text, filename, env.options.get("reader"))


def eval_string(text: str, env: Optional[Toplevel] = None, filename: str = "<string>") -> Any:
    """Read and evaluate every datum of *text*; the value of the last."""
    env = env or make_environment()
    r = read_program(text, filename, env)
    result: Any = UNSPECIFIED
    while True:
        d = r.read()
        if d is EOF:
            return result
        result = SESSION.eval_datum(d, env)


def load_file(path: str, env: Toplevel) -> Any:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise SchemeError(make_condition("file", "load", f"cannot open file: {e.strerror}", MString(path), filename=path))
    SESSION.file_stack.append(path)
    try:
        return eval_string(text, env, path)
    finally:
        SESSION.file_stack.pop()


# ----------------------------------------------------------------- error reports

def report_error(payload: Any, tb: Any = None, dialect: Optional[str] = None) -> "tuple[str, int]":
    """(text, exit status) for an uncaught error, in the dialect's own words when it has them."""
    text = format_error(payload, tb)
    d = DIALECTS.get(dialect or "")
    if d is not None and d.report is not None:
        try:
            head, status = d.report(payload)
        except Exception:  # a broken renderer must not hide the error
            return text, 1
        bt = text.split("\nBacktrace", 1)
        return head + ("\n\nBacktrace" + bt[1] if len(bt) == 2 else ""), status
    return text, 1


def format_error(payload: Any, tb: Any = None) -> str:
    """'FILE:LINE:COL: WHO: message irritants' plus a short Scheme backtrace."""
    from .runtime.control import report_text, scheme_frames
    if payload.__class__ is Condition:
        c = payload
        loc = c.loc
        frames = c.backtrace
        if frames is None and tb is not None:
            frames = [(f[0], f[1], f[2]) for f in scheme_frames(tb)]
        if loc is None and tb is not None:
            fr = scheme_frames(tb)
            if fr:
                loc = SourceLocation(fr[-1][1], fr[-1][2], fr[-1][3] + 1)
        who = c.who
        head = f"{loc}: " if loc is not None else ""
        if who is not None and who is not False:
            head += f"{who.name if hasattr(who, 'name') else who}: "
        text = head + report_text(c)
    else:
        frames = [(f[0], f[1], f[2]) for f in scheme_frames(tb)] if tb is not None else []
        loc = None
        if frames:
            loc = f"{frames[-1][1]}:{frames[-1][2]}: "
        text = (loc or "") + report_text(payload)
    lines = [text]
    if frames:
        lines.append("Backtrace (most recent call last):")
        shown = frames[-12:]
        if len(frames) > 12:
            lines.append(f"  ... {len(frames) - 12} more frames")
        for name, fn, line in shown:
            lines.append(f"  {fn}:{line}: in {name}")
    return "\n".join(lines)


def error_payload(e: BaseException) -> Any:
    """The Scheme object an exception escaping a program stands for."""
    from .runtime.control import GuardEscape, convert_exception
    if isinstance(e, SchemeError):
        p = e.payload
        if p.__class__ is Condition and p.loc is None:
            from .runtime.control import location_from_tb
            p.loc = location_from_tb(e.__traceback__)
        return p
    if isinstance(e, GuardEscape):
        return e.payload
    return convert_exception(e)


# ----------------------------------------------------------------- eval primitives

from .runtime.argtypes import A  # noqa: E402
from .runtime.registry import primitive  # noqa: E402


def _env_arg(e: Any) -> Toplevel:
    if isinstance(e, Environment):
        return e.env
    if isinstance(e, Toplevel):
        return e
    from .values.conditions import wrong_type
    wrong_type("eval", 2, "environment", e)
    raise AssertionError


@primitive("eval", lib="(scheme eval)")
def eval_(expr: Any, env: Any = None) -> Any:
    """(eval expr [environment])"""
    target = _env_arg(env) if env is not None else _interaction()
    return SESSION.eval_datum(expr, target)


@primitive("environment", lib="(scheme eval)")
def environment(*specs: Any) -> Environment:
    """(environment import-set ...)"""
    env = Toplevel("eval-environment")
    install_helpers(env.namespace)
    from .expander.libraries import import_sets
    import_sets(SESSION.expander, list(specs), env, None)
    return Environment(env)


#: The environment of the running program (set by the command line and the REPL): what
#: (interaction-environment) names and where one-argument eval and load work.
INTERACTION: List[Toplevel] = []


def _interaction() -> Toplevel:
    """The interaction environment; an embedding that never set one gets an r7rs one."""
    if not INTERACTION:
        INTERACTION.append(make_environment("r7rs"))
    return INTERACTION[0]


@primitive("interaction-environment", lib="(scheme repl)")
def interaction_environment() -> Environment:
    """(interaction-environment)"""
    return Environment(_interaction())


@primitive("scheme-report-environment", lib="(scheme r5rs)")
def scheme_report_environment(version: Any = 5) -> Environment:
    """(scheme-report-environment version)"""
    return Environment(make_environment("r7rs"))


@primitive("null-environment", lib="(scheme r5rs)")
def null_environment(version: Any = 5) -> Environment:
    """(null-environment version)"""
    return Environment(make_environment("r7rs"))


@primitive("features")
def features() -> Any:
    """(features) -> list of feature identifiers"""
    from .values.pairs import from_iter
    return from_iter([_sym(f) for f in SESSION.expander.features])


@primitive("load", lib="(scheme load)", also=("(polysock extras)",))
def load(path: Any, env: Any = None) -> Any:
    """(load filename [environment])"""
    target = _env_arg(env) if env is not None else _interaction()
    name = path.s if isinstance(path, MString) else str(path)
    if not os.path.isabs(name) and SESSION.file_stack:
        cand = os.path.join(os.path.dirname(SESSION.file_stack[-1]), name)
        if os.path.exists(cand):
            name = cand
    return load_file(name, target)


_fill_core()
SYNTAX_EXPORTS.setdefault("(scheme eval)", [])
registry.save_compiled()
