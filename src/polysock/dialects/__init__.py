"""The installed dialects, known without importing them.

Theory of operation: importing a dialect module registers its primitives and
libraries (tens of milliseconds each), and a program needs at most one dialect, so
toplevel.py imports a dialect module only when it is asked for: by ``--dialect``, by
detection from the program text, by ``polysock.environment(name)``, or by importing
one of the dialect's libraries. This module is the cheap index that makes that
possible: which dialects exist (``MODULES``), how a program announces each one
(``DETECT``, tried in order), and which module registers a given library
(``library_home``). tests/unit/dialects/test_lazy_index.py checks the index against
what the modules really register, so a new library or dialect cannot silently fall
out of it (an unindexed library still loads, through the load-everything fallback in
toplevel.py, only more slowly).
"""
from __future__ import annotations

import re
from typing import Callable, Dict, List, Optional, Tuple

#: dialect name -> the module (in this package) whose ``DIALECT`` defines it
MODULES: Dict[str, str] = {
    "chicken": "chicken",
    "guile": "guile",
    "mit": "mit",
    "scm": "scm",
    "scsh": "scsh",
}

#: modules with libraries but no dialect; every environment loads them first
ALWAYS: Tuple[str, ...] = ("srfi106",)

_CHICKEN = re.compile(r"^\s*\((?:import\s+(?:[^()]*\s)?socket[\s)]|use\s|require-extension\s|"
                      r"import\s+\(chicken\s)", re.M)
_GUILE = re.compile(r"^\s*\((use-modules|define-module)\b|\A#!\S*guile", re.M)
_SCM = re.compile(r"\(\s*require\s+'socket\s*\)", re.IGNORECASE)
_SCSH = re.compile(r"\A#![^\n]*\bscsh\b[^\n]*\n(?:.*\n)*?!#", re.S)


def detect_chicken(text: str) -> bool:
    """A CHICKEN program imports the socket egg or a (chicken ...) module."""
    return _CHICKEN.search(text) is not None


def detect_guile(text: str) -> bool:
    """A Guile program: a guile #! line, or a use-modules / define-module form at a line start."""
    return _GUILE.search(text) is not None


def detect_scm(text: str) -> bool:
    """SCM programs announce themselves with (require 'socket)."""
    return _SCM.search(text) is not None


def detect_scsh(text: str) -> bool:
    """True for a scsh script: a #! line naming scsh, closed by a !# line."""
    return text.startswith("#!") and _SCSH.match(text) is not None


#: (dialect, detect) in the order programs are tested; MIT has no marker
DETECT: List[Tuple[str, Callable[[str], bool]]] = [
    ("chicken", detect_chicken),
    ("guile", detect_guile),
    ("scm", detect_scm),
    ("scsh", detect_scsh),
]

# Library-name prefixes (the key's text up to a space or ")") -> home module.
_HOMES: List[Tuple[str, str]] = [
    ("(chicken", "chicken"), ("(polysock chicken", "chicken"), ("(socket)", "chicken"),
    ("(srfi-1)", "chicken"), ("(srfi-4)", "chicken"), ("(srfi-13)", "chicken"), ("(srfi 4)", "chicken"),
    ("(ice-9", "guile"), ("(polysock guile", "guile"),
    ("(mit", "mit"), ("(polysock mit", "mit"),
    ("(scm", "scm"), ("(polysock scm", "scm"),
    ("(scsh", "scsh"), ("(polysock scsh", "scsh"),
    ("(srfi 106", "srfi106"), ("(srfi :106", "srfi106"),
]


def _boundary(key: str, prefix: str) -> bool:
    return key.startswith(prefix) and (prefix.endswith(")") or key[len(prefix)] in " )-")


def library_home(key: str) -> Optional[str]:
    """The dialect module that registers library *key* ("(chicken tcp)"), if indexed."""
    for prefix, module in _HOMES:
        if _boundary(key, prefix):
            return module
    return None


def detect(text: str) -> Optional[str]:
    """The dialect a program announces, or None."""
    for name, test in DETECT:
        if test(text):
            return name
    return None
