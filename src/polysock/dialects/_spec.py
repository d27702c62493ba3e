"""DialectSpec: what a dialect module declares so toplevel.py can offer it.

A dialect module ends with ``DIALECT = DialectSpec(...)``: its name (the value of
``--dialect``), the libraries its top-level environment imports (its own library
first, then the host-language libraries it relies on), its reader options, a
``detect(text) -> bool`` used when no --dialect is given, and an optional
``setup(env)`` run on each new environment. ``options`` are copied into each new
environment's ``options`` (e.g. ``{"optional_default": False}``: what an omitted
``#!optional`` parameter is bound to). ``report(payload) -> (text, exit_status)`` renders
an uncaught error the way the real system prints it (default: polysock's
``FILE:LINE:COL: who: message`` report, status 1); polysock's Scheme backtrace is
appended to *text* either way.
"""
from __future__ import annotations

from typing import Any, Callable, List, Optional

from ..reader.parser import ReaderOptions


class DialectSpec:
    __slots__ = ("name", "libraries", "reader", "detect", "setup", "description", "options", "report")

    def __init__(self, name: str, libraries: List[str], reader: Optional[ReaderOptions] = None,
                 detect: Optional[Callable[[str], bool]] = None, setup: Optional[Callable[[Any], None]] = None,
                 description: str = "", options: Optional[dict] = None,
                 report: Optional[Callable[[Any], Any]] = None) -> None:
        self.name = name
        self.libraries = libraries
        self.reader = reader or ReaderOptions(script_header=True)
        self.detect = detect
        self.setup = setup
        self.description = description
        self.options = dict(options or {})
        self.report = report
