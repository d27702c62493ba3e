"""polysock: a Scheme for network programming on CPython.

Embedding API::

    import polysock
    polysock.eval("(+ 1 2)")                        # -> 3
    env = polysock.environment("guile")             # a fresh top-level environment
    polysock.eval("(define (sq x) (* x x))", env)
    sq = polysock.eval("sq", env)                   # Scheme procedures are Python callables
    sq(7)                                           # -> 49
    polysock.define(env, "py-upper", str.upper)     # call Python from Scheme
    polysock.run_file("server.scm", dialect="r7rs")

Scheme errors surface as ``polysock.SchemeError`` whose ``payload`` is the raised object;
``polysock.format_error(e)`` renders it as the command line does.

Scheme pairs are ``polysock.values.pairs.Pair`` (``car``, ``cdr``) and strings
``polysock.values.strings.MString`` (text in ``s``). Python code that changes an existing
pair or string in place must then add one to ``polysock.values.misc.WRITES[0]``, as the
Scheme mutators do: ``assoc`` keeps indexes of long alists that are valid only while that
count is unchanged.
"""
from __future__ import annotations

from typing import Any, Optional

from . import cache as _cache

__version__ = "0.1.0"

_cache.install()   # compiled polysock modules are kept even under PYTHONDONTWRITEBYTECODE

__all__ = ["eval", "run_file", "environment", "define", "SchemeError", "format_error", "__version__"]


def _T() -> Any:
    from . import toplevel
    return toplevel


def environment(dialect: str = "r7rs") -> Any:
    """A fresh top-level environment of *dialect*."""
    return _T().make_environment(dialect)


def _guarded(fn: Any) -> Any:
    """Run *fn*; a Python exception from compiled Scheme code becomes a SchemeError."""
    T = _T()
    from .values.conditions import SchemeError
    try:
        return fn()
    except SchemeError:
        raise
    except Exception as e:
        raise SchemeError(T.error_payload(e)) from e


def eval(text: str, env: Optional[Any] = None, dialect: str = "r7rs") -> Any:  # noqa: A001
    """Evaluate every datum of *text*; return the value of the last."""
    T = _T()
    target = env if env is not None else T.make_environment(dialect)
    return _guarded(lambda: T.eval_string(text, target, "<embedded>"))


def run_file(path: str, dialect: Optional[str] = None, env: Optional[Any] = None) -> Any:
    """Load and run a Scheme file (dialect detected from the text when not given)."""
    T = _T()
    if env is None:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        env = T.make_environment(dialect or T.detect_dialect(text))
    return _guarded(lambda: T.load_file(path, env))


def define(env: Any, name: str, value: Any) -> None:
    """Bind *name* in *env* to a Python value; a Python callable becomes a Scheme procedure."""
    env.namespace[name] = value


def format_error(e: BaseException) -> str:
    """The report the command line prints for an exception from Scheme code."""
    T = _T()
    return T.format_error(T.error_payload(e), e.__traceback__)


def __getattr__(name: str) -> Any:
    if name == "SchemeError":
        from .values.conditions import SchemeError
        return SchemeError
    raise AttributeError(name)
