"""(scheme process-context) and (scheme time)."""
from __future__ import annotations

import os
import time
from typing import Any, List

from ..values.conditions import SchemeExit
from ..values.pairs import NIL, Pair, cons
from ..values.strings import MString
from .argtypes import A
from .registry import primitive

PROCESS = "(scheme process-context)"
TIME = "(scheme time)"

COMMAND_LINE: List[str] = ["polysock"]
"""The program's command line (program name first); the CLI replaces it."""


def _scheme_list(items: List[Any]) -> Any:
    r: Any = NIL
    for x in reversed(items):
        r = cons(x, r)
    return r


def exit_code(obj: Any) -> int:
    """The process status R7RS ``exit`` gives *obj*: #t 0, #f 1, an integer itself."""
    if obj is True:
        return 0
    if obj is False:
        return 1
    if obj.__class__ is int:
        return obj
    if obj.__class__ is float and obj.is_integer():
        return int(obj)
    return 1


@primitive("command-line", lib=PROCESS)
def command_line() -> Any:
    """(command-line) -> list of strings"""
    return _scheme_list([MString(a) for a in COMMAND_LINE])


@primitive("exit", A.any, lib=PROCESS)
def exit_(obj: Any = True) -> Any:
    """(exit [obj]): unwind and end the program"""
    raise SchemeExit(exit_code(obj))


@primitive("emergency-exit", A.any, lib=PROCESS)
def emergency_exit(obj: Any = True) -> Any:
    """(emergency-exit [obj]): end the program now, flushing and unwinding nothing"""
    os._exit(exit_code(obj) & 0xFF)


@primitive("get-environment-variable", A.string, lib=PROCESS)
def get_environment_variable(name: MString) -> Any:
    """(get-environment-variable string) -> string or #f"""
    v = os.environ.get(name.s)
    return False if v is None else MString(v)


@primitive("get-environment-variables", lib=PROCESS)
def get_environment_variables() -> Any:
    """(get-environment-variables) -> alist of (name . value) strings"""
    return _scheme_list([cons(MString(k), MString(v)) for k, v in os.environ.items()])


@primitive("current-second", lib=TIME)
def current_second() -> float:
    """(current-second) -> seconds since the epoch, inexact"""
    return time.time()


@primitive("current-jiffy", lib=TIME)
def current_jiffy() -> int:
    """(current-jiffy) -> microseconds from an arbitrary origin, exact"""
    return time.perf_counter_ns() // 1000


@primitive("jiffies-per-second", lib=TIME)
def jiffies_per_second() -> int:
    """(jiffies-per-second) -> 1000000"""
    return 1000000

