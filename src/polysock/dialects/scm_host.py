"""SCM host features its socket programs use (spec/host-language.md §7, spec/scm.md §6).

``require``/``provide``/``provided?`` (the SLIB feature names SCM programs ask for;
every socket name is pre-imported, so requiring a known feature only records it),
``wait-for-input`` (ready ports in argument order, #f on timeout), ``duplicate-port``,
``file-position`` (a harmless direction switch on socket ports: flushes output),
``uniform-array-read!``/``uniform-array-write`` on strings and bytevectors, ``errno`` and
``perror``, time and environment procedures.
"""
from __future__ import annotations

import os
import time
from typing import Any, List, Optional

from ..net import ports as netports
from ..net import select as netselect
from ..net.sockets import CoreSocket
from ..runtime import io
from ..runtime.argtypes import A
from ..runtime.ports import FdRaw, Port, current_error_port, is_input_port, open_input, open_output, open_stream
from ..runtime.registry import define_value, primitive
from ..values.conditions import throw, wrong_type
from ..values.misc import EOF, UNSPECIFIED
from ..values.pairs import NIL, Pair, cons
from ..values.strings import MString, splice
from ..values.symbols import Symbol

LIB = "(scm i/o-extensions)"
SOCKET_CLASS: Any = None          # set by scm.py (ScmSocket), to avoid an import cycle
FEATURES = {"socket", "i/o-extensions", "line-i/o", "string-port", "rev4-optional-procedures",
            "rev2-procedures", "defmacro", "macro", "syntax-rules", "multiarg-apply", "rationalize",
            "delay", "with-file", "char-ready?", "string-case", "eval", "dynamic-wind", "values",
            "array", "array-for-each", "inexact", "bignum", "full-continuation", "scm", "unix",
            "posix", "getenv", "system", "current-time", "rev4-report", "rev5-report", "r5rs",
            "ieee-p1178", "vicinity", "srfi", "hash", "sort", "common-list-functions"}
PROVIDED = {"socket", "i/o-extensions", "scm", "unix", "getenv", "current-time", "r5rs"}
LAST_ERRNO = [0]
UNITS_PER_SECOND = 1000
_START = time.monotonic()


def set_errno(code: int) -> None:
    """Remember the errno of the last failing socket call (SCM's (errno))."""
    LAST_ERRNO[0] = int(code)


# ---------------------------------------------------------------- features

def _feature(x: Any, who: str) -> str:
    if isinstance(x, Symbol):
        return x.name
    if isinstance(x, MString):
        return x.s
    wrong_type(who, 1, "feature symbol", x)
    raise AssertionError


@primitive("require", A.any, lib=LIB)
def require(feature: Any) -> Any:
    """(require 'feature): make a feature available (#t); unknown features are errors"""
    name = _feature(feature, "require")
    if name not in FEATURES and name not in PROVIDED:
        throw("file", "require", "unknown feature", feature, filename=name)
    PROVIDED.add(name)
    return True


@primitive("provide", A.any, lib=LIB)
def provide(feature: Any) -> Any:
    """(provide 'feature)"""
    PROVIDED.add(_feature(feature, "provide"))
    return UNSPECIFIED


@primitive("provided?", A.any, lib=LIB)
def provided_p(feature: Any) -> bool:
    """(provided? 'feature) -> boolean"""
    return _feature(feature, "provided?") in PROVIDED


# ---------------------------------------------------------------- readiness

def _flatten(items: Any) -> List[Any]:
    out: List[Any] = []
    for x in items:
        if isinstance(x, Pair) or x is NIL:
            while isinstance(x, Pair):
                out.append(x.car)
                x = x.cdr
        else:
            out.append(x)
    return out


@primitive("wait-for-input", A.real, A.any, lib=LIB)
def wait_for_input(x: Any, *ports: Any) -> Any:
    """(wait-for-input seconds port ...) -> the ready ports in argument order, or #f"""
    if x < 0:
        throw("range", "wait-for-input", "timeout out of range", x, value=x, position=1)
    items = _flatten(ports)
    for i, p in enumerate(items):
        if not is_input_port(p):
            wrong_type("wait-for-input", i + 2, "input port", p)
    ready, _, _ = netselect.select(items, [], [], float(x), who="wait-for-input")
    if not ready:
        return False
    r: Any = NIL
    for p in reversed(ready):
        r = cons(p, r)
    return r


# ---------------------------------------------------------------- ports

@primitive("duplicate-port", A.port, A.string, lib=LIB)
def duplicate_port(port: Port, modes: MString) -> Port:
    """(duplicate-port port modes) -> a new port on a duplicate of port's descriptor"""
    m = modes.s
    fd = port.fileno()
    if fd is None:
        wrong_type("duplicate-port", 1, "port with a file descriptor", port)
        raise AssertionError
    want_in = "r" in m or "+" in m
    want_out = "w" in m or "a" in m or "+" in m
    if not (want_in or want_out):
        throw("range", "duplicate-port", "bad modes", modes, value=modes, position=2)
    buffering = "none" if "0" in m else "block"
    try:
        new_fd = os.dup(fd)
    except OSError as e:
        throw("i/o", "duplicate-port", e.strerror or "dup failed", port, errno=e.errno)
    if SOCKET_CLASS is not None and isinstance(port, SOCKET_CLASS):
        sock = CoreSocket.adopt(new_fd, "duplicate-port")
        if want_in and want_out:
            return netports.bidirectional_port(sock, textual=True, encoding="latin-1",
                                               buffering=buffering, on_close="close-both")
        if want_in:
            return netports.input_port(sock, textual=True, encoding="latin-1", buffering=buffering,
                                       on_close="close")
        return netports.output_port(sock, textual=True, encoding="latin-1", buffering=buffering,
                                    on_close="close")
    if want_in and want_out:
        return open_stream(FdRaw(new_fd), FdRaw(os.dup(new_fd)), encoding="latin-1", buffering=buffering)
    if want_in:
        return open_input(FdRaw(new_fd), encoding="latin-1", buffering=buffering)
    return open_output(FdRaw(new_fd), encoding="latin-1", buffering=buffering)


@primitive("file-position", A.port, A.index, lib=LIB)
def file_position(port: Port, k: Optional[int] = None) -> Any:
    """(file-position port [k]) -> #f (no position); on sockets flushes output (the stdio switch)"""
    if port.output and not port.closed:
        port.flush()
    return False if k is None else UNSPECIFIED


def _ura_span(who: str, ura: Any, start: int, end: Optional[int]) -> int:
    n = len(ura.s) if isinstance(ura, MString) else len(ura)
    end = n if end is None else end
    if not 0 <= start <= end <= n:
        throw("range", who, "bad start/end", start, end, value=end, position=3)
    return end


@primitive("uniform-array-read!", A.any, A.textual_input_port, A.index, A.index, lib=LIB)
def uniform_array_read_bang(ura: Any, port: Any = None, start: int = 0, end: Optional[int] = None) -> Any:
    """(uniform-array-read! string-or-bytevector [port [start [end]]]) -> count read (0 at end)"""
    if not (isinstance(ura, MString) or ura.__class__ is bytearray):
        wrong_type("uniform-array-read!", 1, "string or bytevector", ura)
    if start or end is not None:
        end = _ura_span("uniform-array-read!", ura, start, end)
    else:                      # the whole array, the usual call
        end = len(ura.s) if isinstance(ura, MString) else len(ura)
    p = port if port is not None else io._tin(port, "uniform-array-read!")
    got = p.read_string(end - start) if end > start else ""
    if got is EOF:
        return 0
    if isinstance(ura, MString):
        splice(ura, start, got)
    else:
        ura[start:start + len(got)] = got.encode("latin-1", "replace")
    return len(got)


@primitive("uniform-array-write", A.any, A.textual_output_port, A.index, A.index, lib=LIB)
def uniform_array_write(ura: Any, port: Any = None, start: int = 0, end: Optional[int] = None) -> int:
    """(uniform-array-write string-or-bytevector [port [start [end]]]) -> count written"""
    if not (isinstance(ura, MString) or ura.__class__ is bytearray):
        wrong_type("uniform-array-write", 1, "string or bytevector", ura)
    end = _ura_span("uniform-array-write", ura, start, end)
    text = ura.s[start:end] if isinstance(ura, MString) else bytes(ura[start:end]).decode("latin-1")
    io._tout(port, "uniform-array-write").write_str(text)
    return end - start


# ---------------------------------------------------------------- system

@primitive("getenv", A.string, lib=LIB)
def getenv(name: MString) -> Any:
    """(getenv name) -> string or #f"""
    v = os.environ.get(name.s)
    return False if v is None else MString(v)


@primitive("get-internal-real-time", lib=LIB)
def get_internal_real_time() -> int:
    """(get-internal-real-time) -> elapsed time in internal units"""
    return int((time.monotonic() - _START) * UNITS_PER_SECOND)


@primitive("get-internal-run-time", lib=LIB)
def get_internal_run_time() -> int:
    """(get-internal-run-time) -> processor time in internal units"""
    return int(time.process_time() * UNITS_PER_SECOND)


@primitive("current-time", lib=LIB)
def current_time() -> int:
    """(current-time) -> seconds since 1970"""
    return int(time.time())


@primitive("errno", A.exact_integer, lib=LIB)
def errno_(value: Any = None) -> int:
    """(errno [n]) -> the last OS error number (setting it to n when given)"""
    old = LAST_ERRNO[0]
    if value is not None:
        LAST_ERRNO[0] = value
    return old


@primitive("perror", A.string, lib=LIB)
def perror(text: MString) -> Any:
    """(perror string): print string and the text of the last OS error on the error port"""
    current_error_port().write_str(f"{text.s}: {os.strerror(LAST_ERRNO[0])}\n")
    return UNSPECIFIED


@primitive("1+", A.number, lib=LIB)
def one_plus(z: Any) -> Any:
    """(1+ z) -> z + 1"""
    return z + 1


@primitive("-1+", A.number, lib=LIB)
def minus_one_plus(z: Any) -> Any:
    """(-1+ z) -> z - 1"""
    return z - 1


define_value(LIB, "internal-time-units-per-second", UNITS_PER_SECOND)
define_value(LIB, "-1-", minus_one_plus.prim)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- program arguments

def _argv() -> Any:
    from ..runtime import system
    r: Any = NIL
    for a in reversed(system.COMMAND_LINE):
        r = cons(MString(a), r)
    return r


@primitive("program-arguments", lib=LIB)
def program_arguments() -> Any:
    """(program-arguments) -> list of strings: the program, then its arguments"""
    return _argv()


#: ``*argv*`` lists the program and its arguments and ``(list-tail *argv* *optind*)``
#: the arguments, as after ``scm -f FILE ARG ...``; polysock's program is the file.
OPTIND = 1


def setup(env: Any) -> None:
    """Bind ``*argv*`` and ``*optind*`` in a new SCM environment (the command line is
    known by then)."""
    env.namespace["*argv*"] = _argv()
    env.namespace["*optind*"] = OPTIND

