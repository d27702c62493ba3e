"""MIT/GNU Scheme host features socket programs use (spec/host-language.md §6).

Port procedures with MIT's signatures (``read-string`` on a char-set, ``char-ready?``
with a wait interval, ``write-line`` = write + newline, ``fresh-line``,
``read-char-no-hang``, ``port/set-line-ending``), char-sets for the delimiter forms,
``default-object?``, the MIT string utilities socket code uses, time and process
procedures, and MIT threads over the green threads. Line-ending state lives on the
ports themselves (``eol_in`` of the input half, ``newline_out`` of the output half);
``LINE_ENDINGS`` remembers the symbol a program set.
"""
from __future__ import annotations

import os
import random as random_module
import time
import weakref
from typing import Any, Dict, FrozenSet, List, Optional, Tuple

from ..net import select as netselect
from ..runtime import control, io, srfi18, system
from ..runtime.argtypes import A
from ..runtime.ports import Port, TextualInputPort, TextualOutputPort, current_output_port
from ..runtime.registry import define_scheme, define_value, export_core_syntax, primitive
from ..values.conditions import throw, wrong_type
from ..values.misc import DEFAULT, EOF, UNSPECIFIED
from ..values.pairs import NIL, Pair, cons
from ..values.strings import MString
from ..values.symbols import Symbol, intern

LIB = "(mit legacy runtime)"
START = time.monotonic()


# ---------------------------------------------------------------- char-sets

class CharSet:
    """An MIT char-set: a set of characters, or a predicate over them."""

    __slots__ = ("chars", "pred", "name")

    def __init__(self, chars: FrozenSet[str] = frozenset(), pred: Any = None, name: str = "") -> None:
        self.chars, self.pred, self.name = chars, pred, name

    def __contains__(self, c: str) -> bool:
        return c in self.chars or (self.pred is not None and bool(self.pred(c)))

    def __repr__(self) -> str:
        return f"#[char-set {self.name}]" if self.name else "#[char-set]"


A.define("char_set", "char-set", pred=lambda x: isinstance(x, CharSet))


@primitive("char-set", A.any, lib=LIB)
def char_set(*items: Any) -> CharSet:
    """(char-set char-or-string ...) -> char-set"""
    out: "set[str]" = set()
    for i, x in enumerate(items):
        if x.__class__ is str:
            out.add(x)
        elif isinstance(x, MString):
            out.update(x.s)
        elif isinstance(x, Pair) and x.car.__class__ is int and x.cdr.__class__ is int:
            out.update(chr(n) for n in range(x.car, x.cdr))
        else:
            wrong_type("char-set", i + 1, "char, string or range", x)
    return CharSet(frozenset(out))


@primitive("char-set-member?", A.char_set, A.char, lib=LIB)
def char_set_member_p(cs: CharSet, c: str) -> bool:
    """(char-set-member? char-set char) -> boolean"""
    return c in cs


@primitive("char-in-set?", A.char, A.char_set, lib=LIB)
def char_in_set_p(c: str, cs: CharSet) -> bool:
    """(char-in-set? char char-set) -> boolean"""
    return c in cs


@primitive("char-set-invert", A.char_set, lib=LIB)
def char_set_invert(cs: CharSet) -> CharSet:
    """(char-set-invert char-set) -> char-set"""
    return CharSet(pred=lambda c: c not in cs)


for _n, _p in (("whitespace", str.isspace), ("alphabetic", str.isalpha), ("numeric", str.isdigit),
               ("alphanumeric", str.isalnum), ("upper-case", str.isupper), ("lower-case", str.islower)):
    define_value(LIB, f"char-set:{_n}", CharSet(pred=_p, name=_n))


# ---------------------------------------------------------------- ports

def _in(port: Any, who: str) -> Any:
    return io._tin(port, who)


def _delims(cs: Any, who: str) -> Optional[str]:
    """The delimiter string for read_until, or None when *cs* is a predicate set."""
    if isinstance(cs, CharSet):
        return None if cs.pred is not None else "".join(sorted(cs.chars))
    if cs.__class__ is str:
        return cs
    wrong_type(who, 1, "char-set", cs)
    raise AssertionError


def read_delimited(cs: Any, port: Any, who: str) -> Any:
    """Chars up to (not including) one in *cs*; the delimiter stays unread."""
    p = _in(port, who)
    d = _delims(cs, who)
    out: List[str] = []
    while True:
        c = p.peek_char()
        if c is EOF:
            return MString("".join(out)) if out else EOF
        if (c in d) if d is not None else (c in cs):
            return MString("".join(out))
        out.append(p.read_char())


@primitive("read-string", A.any, A.textual_input_port, lib=LIB)
def read_string(k_or_set: Any, port: Any = None) -> Any:
    """(read-string k [port]) or (read-string char-set [port]) -> string or eof"""
    if k_or_set.__class__ is int:
        if k_or_set < 0:
            wrong_type("read-string", 1, "index", k_or_set)
        return io.read_string(k_or_set, port)
    return read_delimited(k_or_set, port, "read-string")


@primitive("read-delimited-string", A.any, A.textual_input_port, lib=LIB)
def read_delimited_string(cs: Any, port: Any = None) -> Any:
    """(read-delimited-string char-set [port]) -> string or eof"""
    return read_delimited(cs, port, "read-delimited-string")


@primitive("char-ready?", A.textual_input_port, A.index, lib=LIB)
def char_ready_p(port: Any = None, interval: Any = None) -> bool:
    """(char-ready? [port [interval-ms]]) -> boolean"""
    p = _in(port, "char-ready?")
    if p.char_ready() or not interval:
        return bool(p.char_ready())
    netselect.select([p], [], [], interval / 1000.0, who="char-ready?")
    return bool(p.char_ready())


@primitive("read-char-no-hang", A.textual_input_port, lib=LIB)
def read_char_no_hang(port: Any = None) -> Any:
    """(read-char-no-hang [port]) -> char, eof, or #f when nothing is available"""
    p = _in(port, "read-char-no-hang")
    return p.read_char() if p.char_ready() else False


@primitive("write-line", A.any, A.textual_output_port, lib=LIB)
def write_line(obj: Any, port: Any = None) -> Any:
    """(write-line obj [port]): write obj, then a newline"""
    io.write(obj, port)
    return io.newline(port)


@primitive("fresh-line", A.textual_output_port, lib=LIB)
def fresh_line(port: Any = None) -> Any:
    """(fresh-line [port]): a newline unless at the start of a line"""
    p = io._tout(port, "fresh-line")
    at = getattr(p, "at_line_start", None)
    if at is not None and not at():
        p.write_str("\n")
    return UNSPECIFIED


@primitive("pp", A.any, A.textual_output_port, lib=LIB)
def pp(obj: Any, port: Any = None) -> Any:
    """(pp obj [port]): write obj and a newline"""
    return write_line(obj, port)


# Line endings: symbol -> (read CR/CR LF as newline?, newline output on TCP, elsewhere)
LINE_ENDING_TABLE: Dict[str, Tuple[bool, str, str]] = {
    "text": (True, "\r\n", "\n"), "binary": (False, "\n", "\n"), "lf": (False, "\n", "\n"),
    "newline": (False, "\n", "\n"), "cr": (True, "\r", "\r"), "crlf": (True, "\r\n", "\r\n"),
    "http": (True, "\r\n", "\r\n"), "xml-1.0": (True, "\n", "\n"), "xml-1.1": (True, "\n", "\n"),
}
LINE_ENDINGS: "weakref.WeakKeyDictionary[Any, str]" = weakref.WeakKeyDictionary()
TCP_PORTS: "weakref.WeakSet[Any]" = weakref.WeakSet()


def _halves(port: Port) -> Tuple[Optional[Port], Optional[Port]]:
    i = getattr(port, "in_port", port if isinstance(port, TextualInputPort) else None)
    o = getattr(port, "out_port", port if isinstance(port, TextualOutputPort) else None)
    return i, o


def set_line_ending(port: Port, name: str, out: Optional[str] = None) -> None:
    """Apply line ending *name* (or an explicit output sequence *out*) to *port*."""
    eol_in, tcp_out, other_out = LINE_ENDING_TABLE[name]
    i, o = _halves(port)
    if isinstance(i, TextualInputPort):
        i.eol_in = eol_in
    if isinstance(o, TextualOutputPort):
        if not o.closed:
            o.flush()              # text already written keeps the ending it was written with
        nl = out if out is not None else (tcp_out if port in TCP_PORTS else other_out)
        o.newline_out = None if nl == "\n" else nl
    LINE_ENDINGS[port] = name


@primitive("port/set-line-ending", A.textual_port, A.symbol, lib=LIB)
def port_set_line_ending(port: Port, name: Symbol) -> Any:
    """(port/set-line-ending port symbol)"""
    if name.name not in LINE_ENDING_TABLE:
        throw("range", "port/set-line-ending", "unknown line ending", name, value=name, position=2)
    set_line_ending(port, name.name)
    return UNSPECIFIED


@primitive("port/line-ending", A.textual_port, lib=LIB)
def port_line_ending(port: Port) -> Symbol:
    """(port/line-ending port) -> symbol"""
    return intern(LINE_ENDINGS.get(port, "text"))


# ---------------------------------------------------------------- strings and bytes

@primitive("vector-8b-ref", A.any, A.index, lib=LIB)
def vector_8b_ref(s: Any, k: int) -> int:
    """(vector-8b-ref string-or-bytevector k) -> byte"""
    if isinstance(s, MString):
        if k >= len(s.s):
            throw("range", "vector-8b-ref", "index out of range", k, value=k, position=2)
        return ord(s.s[k]) & 0xFF
    if s.__class__ is bytearray:
        if k >= len(s):
            throw("range", "vector-8b-ref", "index out of range", k, value=k, position=2)
        return s[k]
    wrong_type("vector-8b-ref", 1, "string or bytevector", s)
    raise AssertionError


@primitive("string-search-forward", A.string, A.string, A.index, lib=LIB)
def string_search_forward(pattern: MString, s: MString, start: int) -> Any:
    """(string-search-forward pattern string start) -> index or #f"""
    i = s.s.find(pattern.s, start)
    return False if i < 0 else i


@primitive("string-search-backward", A.string, A.string, A.index, lib=LIB)
def string_search_backward(pattern: MString, s: MString, end: int) -> Any:
    """(string-search-backward pattern string end) -> index after the match or #f"""
    i = s.s.rfind(pattern.s, 0, end)
    return False if i < 0 else i + len(pattern.s)


@primitive("string-search-all", A.string, A.string, lib=LIB)
def string_search_all(pattern: MString, s: MString) -> Any:
    """(string-search-all pattern string) -> list of indexes"""
    out: List[int] = []
    i = s.s.find(pattern.s)
    while i >= 0 and pattern.s:
        out.append(i)
        i = s.s.find(pattern.s, i + 1)
    r: Any = NIL
    for x in reversed(out):
        r = cons(x, r)
    return r


@primitive("string-index", A.string, A.any, lib=LIB)
def string_index(s: MString, pred: Any) -> Any:
    """(string-index string char-or-char-set) -> index or #f"""
    for i, c in enumerate(s.s):
        if (c == pred) if pred.__class__ is str else (c in pred if isinstance(pred, CharSet) else pred(c)):
            return i
    return False


@primitive("string-pad-left", A.string, A.index, A.char, lib=LIB)
def string_pad_left(s: MString, n: int, c: str = " ") -> MString:
    """(string-pad-left string n [char]) -> string (truncated on the left)"""
    t = s.s
    return MString(t[len(t) - n:] if len(t) >= n else c * (n - len(t)) + t)


@primitive("string-pad-right", A.string, A.index, A.char, lib=LIB)
def string_pad_right(s: MString, n: int, c: str = " ") -> MString:
    """(string-pad-right string n [char]) -> string (truncated on the right)"""
    t = s.s
    return MString(t[:n] if len(t) >= n else t + c * (n - len(t)))


# ---------------------------------------------------------------- misc

@primitive("default-object?", A.any, lib=LIB)
def default_object_p(obj: Any) -> bool:
    """(default-object? obj) -> #t for the value of an omitted #!optional parameter"""
    return obj is DEFAULT


@primitive("1+", A.number, lib=LIB)
def one_plus(z: Any) -> Any:
    """(1+ z) -> z + 1"""
    return z + 1


@primitive("-1+", A.number, lib=LIB)
def minus_one_plus(z: Any) -> Any:
    """(-1+ z) -> z - 1"""
    return z - 1


@primitive("runtime", lib=LIB)
def runtime() -> float:
    """(runtime) -> seconds of processor time used, as a flonum"""
    return time.process_time()


@primitive("real-time", lib=LIB)
def real_time() -> float:
    """(real-time) -> milliseconds since the epoch, as a flonum"""
    return time.time() * 1000.0


@primitive("real-time-clock", lib=LIB)
def real_time_clock() -> int:
    """(real-time-clock) -> milliseconds of real time since polysock started, an integer"""
    return (time.monotonic_ns() - _STARTED_NS) // 1_000_000


_STARTED_NS = time.monotonic_ns()
_RANDOM = random_module.Random()


@primitive("random", A.real, A.any, lib=LIB)
def random(modulus: Any, state: Any = DEFAULT) -> Any:
    """(random modulus [state]) -> a number in [0, modulus): exact for an exact integer
    modulus, a flonum for an inexact one; the state argument is accepted and ignored"""
    if modulus.__class__ is int:
        if modulus <= 0:
            throw("range", "random", "argument 1: not in the correct range", modulus, position=1, value=modulus)
        return _RANDOM.randrange(modulus)
    if modulus.__class__ is float and modulus > 0 and modulus != float("inf"):
        return _RANDOM.random() * modulus
    if modulus.__class__ is float:
        throw("range", "random", "argument 1: not in the correct range", modulus, position=1, value=modulus)
    wrong_type("random", 1, "exact positive integer or positive flonum", modulus)


@primitive("current-time", lib=LIB)
def current_time() -> int:
    """(current-time) -> seconds since the epoch, an integer"""
    return int(time.time())


@primitive("command-line-arguments", lib=LIB)
def command_line_arguments() -> Any:
    """(command-line-arguments) -> list of the program's arguments (after the file name)"""
    r: Any = NIL
    for a in reversed(system.COMMAND_LINE[1:]):
        r = cons(MString(a), r)
    return r


@primitive("get-environment-variable", A.string, lib=LIB)
def get_environment_variable(name: MString) -> Any:
    """(get-environment-variable name) -> string or #f"""
    v = os.environ.get(name.s)
    return False if v is None else MString(v)


@primitive("%exit", A.any, lib=LIB)
def percent_exit(obj: Any = True) -> Any:
    """(%exit [obj]): end the program"""
    return system.exit_(obj)


# ---------------------------------------------------------------- threads

@primitive("create-thread", A.any, A.procedure, lib=LIB)
def create_thread(root_continuation: Any, thunk: Any) -> Any:
    """(create-thread root-continuation thunk) -> a running thread"""
    return srfi18.thread_start_bang(srfi18.make_thread(thunk))


@primitive("join-thread", A.thread, A.procedure, lib=LIB)
def join_thread(t: Any, receiver: Any = None) -> Any:
    """(join-thread thread [receiver]) -> waits; (receiver thread value) or the value"""
    v = srfi18.thread_join_bang(t)
    return receiver(t, v) if receiver is not None else v


@primitive("thread-dead?", A.thread, lib=LIB)
def thread_dead_p(t: Any) -> bool:
    """(thread-dead? thread) -> boolean"""
    from ..hub import scheduler
    return bool(t.state == scheduler.TERMINATED)


@primitive("yield-current-thread", lib=LIB)
def yield_current_thread() -> Any:
    """(yield-current-thread)"""
    return srfi18.thread_yield_bang()


@primitive("sleep-current-thread", A.real, lib=LIB)
def sleep_current_thread(ms: Any) -> Any:
    """(sleep-current-thread milliseconds)"""
    return srfi18.thread_sleep_bang(max(0.0, ms / 1000.0))


@primitive("make-thread-mutex", lib=LIB)
def make_thread_mutex() -> Any:
    """(make-thread-mutex) -> mutex"""
    return srfi18.make_mutex()


@primitive("lock-thread-mutex", A.mutex, lib=LIB)
def lock_thread_mutex(m: Any) -> Any:
    """(lock-thread-mutex mutex)"""
    srfi18.mutex_lock_bang(m)
    return UNSPECIFIED


@primitive("unlock-thread-mutex", A.mutex, lib=LIB)
def unlock_thread_mutex(m: Any) -> Any:
    """(unlock-thread-mutex mutex)"""
    srfi18.mutex_unlock_bang(m)
    return UNSPECIFIED


@primitive("with-thread-mutex-lock", A.mutex, A.procedure, lib=LIB)
def with_thread_mutex_lock(m: Any, thunk: Any) -> Any:
    """(with-thread-mutex-lock mutex thunk) -> thunk's value; unlocks on any exit"""
    from ..runtime.control import dynamic_wind
    return dynamic_wind(lambda: lock_thread_mutex(m), thunk, lambda: unlock_thread_mutex(m))


define_value(LIB, "current-thread", srfi18.current_thread.prim)  # type: ignore[attr-defined]
define_value(LIB, "thread?", srfi18.thread_p.prim)  # type: ignore[attr-defined]
define_value(LIB, "with-thread-mutex-locked", with_thread_mutex_lock.prim)  # type: ignore[attr-defined]
define_value(LIB, "microcode-id/operating-system", intern("unix"))
define_value(LIB, "microcode-id/operating-system-variant", MString("GNU/Linux"))
define_value(LIB, "flush-output", io.flush_output.prim)  # type: ignore[attr-defined]
define_value(LIB, "call-with-escape-continuation", control.call_ec.prim)  # type: ignore[attr-defined]
define_value(LIB, "within-continuation", control.within_continuation.prim)  # type: ignore[attr-defined]

export_core_syntax(LIB, "named-lambda", "fluid-let", "define-macro", "receive", "assert", "cons-stream",
                   "er-macro-transformer", "rsc-macro-transformer", "sc-macro-transformer")
define_scheme(LIB, """
(define-syntax define-integrable
  (syntax-rules () ((_ head body ...) (define head body ...))))
""")
