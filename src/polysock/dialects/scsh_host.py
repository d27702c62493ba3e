"""The scsh host features socket programs use (spec/scsh.md §10, host-language.md §3).

Block and line I/O with scsh's argument orders (``read-string nbytes [fd/port]``,
``read-line [fd/port handle-newline]``, ``write-string string [fd/port start end]``),
``select``/``select!``/``select-ports`` over ports and descriptors, descriptor ports
(``dup->inport``...), errno handling, Scheme48 threads (``spawn``, ``sleep`` in
milliseconds) and process bits. Language helpers (define-record, let-optionals,
with-errno-handler, bitwise, format) are in scsh_lang.py.

Errno errors are views, not new types (conditions.md §1): any core condition whose
data carries a positive ``errno`` (OS socket errors, timeouts, closed sockets,
unsupported options, file errors) is an errno error. ``with-errno-handler*`` calls its
handler with that errno and the packet ``(errno-message syscall data ...)`` — the
syscall is the scsh procedure's name (a symbol), the data the condition's irritants
with core sockets shown as the scsh socket records that own them — and, when the
handler returns, passes the condition outward. Host-lookup failures (herror) carry no
errno and are not errno errors, as in 0.6.
"""
from __future__ import annotations

import errno as _errno
import os
import time as _time
from typing import Any, Dict, List, Optional, Tuple

from ..hub import hub
from ..net import select as netselect
from ..net.address import SockAddr
from ..net.sockets import CoreSocket
from ..reader.printer import display_string
from ..runtime import ports as rports
from ..runtime import srfi18, system
from ..runtime.argtypes import A
from ..runtime.control import do_raise, with_exception_handler
from ..runtime.ports import Port
from ..values.conditions import Condition, throw, wrong_type
from ..values.misc import EOF, UNSPECIFIED, MultipleValues
from ..values.pairs import NIL, Pair, to_list, cons
from ..values.strings import MString, splice
from ..values.symbols import Symbol, intern
from ._table import Entry, export, install, value
from .scsh_net import ENCODING, from_core

HOST_LIBS = ("(scsh)", "(polysock scsh)")


# ---------------------------------------------------------------- descriptor ports

_FD_PORTS: Dict[Tuple[int, bool], Port] = {}


def fdes_port(fd: int, output: bool) -> Port:
    """The port scsh associates with descriptor *fd* (0-2 are the console ports)."""
    if fd in (0, 1, 2) and output == (fd != 0):
        return (rports.STDIN, rports.STDOUT, rports.STDERR)[fd]
    p = _FD_PORTS.get((fd, output))
    if p is None or p.closed:
        raw = rports.FdRaw(fd, False, f"fd {fd}")
        p = (rports.open_output(raw, encoding=ENCODING, buffering="none", name=f"fd {fd}") if output
             else rports.open_input(raw, encoding=ENCODING, name=f"fd {fd}"))
        _FD_PORTS[(fd, output)] = p
    return p


def _in(who: str, x: Any, pos: int) -> Any:
    if x is None:
        return rports.current_input_port()
    if x.__class__ is int and x >= 0:
        return fdes_port(x, False)
    if isinstance(x, Port) and x.input and x.textual:
        return x
    wrong_type(who, pos, "input port or file descriptor", x)


def _out(who: str, x: Any, pos: int) -> Any:
    if x is None:
        return rports.current_output_port()
    if x.__class__ is int and x >= 0:
        return fdes_port(x, True)
    if isinstance(x, Port) and x.output and x.textual:
        return x
    wrong_type(who, pos, "output port or file descriptor", x)


def _fd(who: str, x: Any) -> int:
    if x.__class__ is int and x >= 0:
        return int(x)
    fd = x.fileno() if isinstance(x, Port) else None
    if fd is None:
        wrong_type(who, 1, "port with a file descriptor, or a file descriptor", x)
    return int(fd)  # type: ignore[arg-type]


def port_to_fdes(port: Any) -> int:
    """(port->fdes port) -> integer"""
    return _fd("port->fdes", port)


def fdes_to_inport(fd: int) -> Port:
    """(fdes->inport fd) -> input-port"""
    return fdes_port(fd, False)


def fdes_to_outport(fd: int) -> Port:
    """(fdes->outport fd) -> output-port"""
    return fdes_port(fd, True)


def _dup(who: str, x: Any, newfd: Any) -> int:
    fd = _fd(who, x)
    try:
        if newfd is None:
            return os.dup(fd)
        os.dup2(fd, newfd)
        return int(newfd)
    except OSError as e:
        throw("file", who, (e.strerror or str(e)).lower(), x, errno=e.errno, call="dup",
              strerror=e.strerror)
        raise AssertionError


def dup_to_fdes(x: Any, newfd: Any = None) -> int:
    """(dup->fdes fd/port [newfd]) -> integer"""
    return _dup("dup->fdes", x, newfd)


def dup_to_inport(x: Any, newfd: Any = None) -> Port:
    """(dup->inport fd/port [newfd]) -> input-port"""
    fd = _dup("dup->inport", x, newfd)
    return rports.open_input(rports.FdRaw(fd, True, f"fd {fd}"), encoding=ENCODING, name=f"fd {fd}")


def dup_to_outport(x: Any, newfd: Any = None) -> Port:
    """(dup->outport fd/port [newfd]) -> output-port"""
    fd = _dup("dup->outport", x, newfd)
    return rports.open_output(rports.FdRaw(fd, True, f"fd {fd}"), encoding=ENCODING,
                              buffering="none", name=f"fd {fd}")


def dup(x: Any, newfd: Any = None) -> Any:
    """(dup fd/port [newfd]) -> same kind as the argument"""
    fd = _dup("dup", x, newfd)
    if not isinstance(x, Port):
        return fd
    raw = rports.FdRaw(fd, True, f"fd {fd}")
    if x.output and not x.input:
        return rports.open_output(raw, encoding=ENCODING, buffering="none", name=f"fd {fd}")
    return rports.open_input(raw, encoding=ENCODING, name=f"fd {fd}")


def close(x: Any) -> bool:
    """(close fd/port) -> boolean"""
    if isinstance(x, Port):
        if x.closed:
            return False
        x.close()
        return True
    if x.__class__ is int and x >= 0:
        try:
            os.close(x)
        except OSError as e:
            if e.errno == _errno.EBADF:
                return False
            throw("file", "close", (e.strerror or str(e)).lower(), x, errno=e.errno, call="close")
        return True
    wrong_type("close", 1, "port or file descriptor", x)
    raise AssertionError


# ---------------------------------------------------------------- block and line I/O

def _scheme_str(x: Any) -> Any:
    return MString(x) if x.__class__ is str else x


def read_string(n: int, port: Any = None) -> Any:
    """(read-string nbytes [fd/port]) -> string or #f"""
    r = _in("read-string", port, 2).read_string(n) if n else ""
    return False if r is EOF else MString(r)


def read_string_partial(n: int, port: Any = None) -> Any:
    """(read-string/partial nbytes [fd/port]) -> string or #f"""
    r = _in("read-string/partial", port, 2).read_available(n) if n else ""
    return False if r is EOF else MString(r)


def _span(who: str, n: int, start: int, end: Any) -> int:
    if end is None:
        end = n
    if not 0 <= start <= end <= n:
        throw("range", who, "bad substring indices", start, end, value=(start, end))
    return int(end)


def _read_into(who: str, partial: bool, s: MString, port: Any, start: int, end: Any) -> Any:
    end = _span(who, len(s.s), start, end) if start or end is not None else len(s.s)
    if start == end:
        return 0
    # a port is tested here, not in _in: this runs on every read of a socket's port
    p = port if isinstance(port, Port) and port.input and port.textual else _in(who, port, 2)
    r = p.read_available(end - start) if partial else p.read_string(end - start)
    if r is EOF:
        return False
    splice(s, start, r)
    return len(r)


def read_string_bang(s: MString, port: Any = None, start: int = 0, end: Any = None) -> Any:
    """(read-string! string [fd/port start end]) -> count or #f"""
    return _read_into("read-string!", False, s, port, start, end)


def read_string_bang_partial(s: MString, port: Any = None, start: int = 0, end: Any = None) -> Any:
    """(read-string!/partial string [fd/port start end]) -> count or #f"""
    return _read_into("read-string!/partial", True, s, port, start, end)


def write_string(s: MString, port: Any = None, start: int = 0, end: Any = None) -> Any:
    """(write-string string [fd/port start end]) -> unspecified"""
    t = s.s
    if start or end is not None:
        end = _span("write-string", len(t), start, end)
        t = t[start:end]
    (port if isinstance(port, Port) and port.output and port.textual
     else _out("write-string", port, 2)).write_str(t)
    return UNSPECIFIED


def write_string_partial(s: MString, port: Any = None, start: int = 0, end: Any = None) -> int:
    """(write-string/partial string [fd/port start end]) -> count"""
    end = _span("write-string/partial", len(s.s), start, end)
    _out("write-string/partial", port, 2).write_str(s.s[start:end])
    return end - start


_DELIM_MODES = ("trim", "peek", "concat", "split")


def _mode(who: str, m: Any, pos: int) -> str:
    if m is None:
        return "trim"
    if m.__class__ is Symbol and m.name in _DELIM_MODES:
        return str(m.name)
    wrong_type(who, pos, "one of trim, peek, concat, split", m)
    raise AssertionError


def _delimited(who: str, delims: str, port: Any, mode: Any) -> Any:
    m = _mode(who, mode, 3 if who != "read-line" else 2)
    p = _in(who, port, 2)
    text, d = p.read_until(delims)
    if m == "split":
        return MultipleValues((_scheme_str(text), d))
    if text is EOF:
        return EOF
    if d is EOF:
        return MString(text)
    if m == "concat":
        return MString(text + d)
    if m == "peek":
        p.unread_char(d)
    return MString(text)


def read_line(port: Any = None, mode: Any = None) -> Any:
    """(read-line [fd/port handle-newline]) -> string or eof"""
    return _delimited("read-line", "\n", port, mode)


def _delim_chars(who: str, x: Any) -> str:
    if x.__class__ is str:
        return str(x)
    if isinstance(x, MString):
        return x.s
    items = to_list(x) if x is NIL or isinstance(x, Pair) else None
    if items is not None and all(c.__class__ is str for c in items):
        return "".join(items)
    wrong_type(who, 1, "char, string or list of chars", x)
    raise AssertionError


def read_delimited(delims: Any, port: Any = None, mode: Any = None) -> Any:
    """(read-delimited chars [fd/port handle-delim]) -> string or eof"""
    return _delimited("read-delimited", _delim_chars("read-delimited", delims), port, mode)


def force_output(port: Any = None) -> Any:
    """(force-output [fd/port]) -> unspecified"""
    (port if isinstance(port, Port) and port.output and port.textual
     else _out("force-output", port, 1)).flush()
    return UNSPECIFIED


# ---------------------------------------------------------------- select

def _items(who: str, v: Any, pos: int) -> List[Any]:
    if v.__class__ is not list:
        wrong_type(who, pos, "vector", v)
    for x in v:
        if not (x is False or isinstance(x, Port) or (x.__class__ is int and x >= 0)):
            wrong_type(who, pos, "vector of ports and file descriptors", v)
    return [x for x in v if x is not False]


def _timeout(who: str, t: Any) -> Optional[float]:
    if t is None or t is False:
        return None
    if t.__class__ not in (int, float) or t < 0:
        wrong_type(who, 4, "non-negative real number of seconds or #f", t)
    return float(t)


def _select(who: str, r: Any, w: Any, e: Any, timeout: Any) -> Tuple[List[Any], List[Any], List[Any]]:
    rs, ws, es = _items(who, r, 1), _items(who, w, 2), _items(who, e, 3)
    return netselect.select(rs, ws, es, _timeout(who, timeout), who=who)


def _unique(xs: List[Any]) -> List[Any]:
    out: List[Any] = []
    for x in xs:
        if not any(y is x or (x.__class__ is int and y.__class__ is int and x == y) for y in out):
            out.append(x)
    return out


def select(r: Any, w: Any, e: Any, timeout: Any = None) -> MultipleValues:
    """(select read-vec write-vec exception-vec [timeout]) -> ready vectors (three values)"""
    rr, wr, er = _select("select", r, w, e, timeout)
    return MultipleValues((_unique(rr), _unique(wr), _unique(er)))


def select_bang(r: Any, w: Any, e: Any, timeout: Any = None) -> MultipleValues:
    """(select! read-vec write-vec exception-vec [timeout]) -> counts (three values)"""
    ready = _select("select!", r, w, e, timeout)
    counts = []
    for vec, got in zip((r, w, e), ready):
        ids = {id(x) for x in got}
        n = 0
        for i, x in enumerate(vec):
            if x is not False and (id(x) in ids or x in [g for g in got if g.__class__ is int]):
                n += 1
            else:
                vec[i] = False
        counts.append(n)
    return MultipleValues(tuple(counts))


def _select_ports(who: str, timeout: Any, ports: Tuple[Any, ...], buffered: bool) -> Any:
    for i, p in enumerate(ports):
        if not isinstance(p, Port):
            wrong_type(who, i + 2, "port", p)
    t = _timeout(who, timeout)
    rs = [p for p in ports if p.input]
    ws = [p for p in ports if p.output and not p.input]
    if not buffered:
        rs = [_Channel(p) for p in rs]
    r, w, _ = netselect.select(rs, ws, [], t, who=who)
    out = [x.port if isinstance(x, _Channel) else x for x in r] + list(w)
    res: Any = NIL
    for p in reversed([p for p in ports if any(p is x for x in out)]):
        res = cons(p, res)
    return res


class _Channel:
    """A port seen through its descriptor only (its buffer ignored)."""

    __slots__ = ("port",)

    def __init__(self, port: Port) -> None:
        self.port = port

    def fileno(self) -> Optional[int]:
        return self.port.fileno()


def select_ports(timeout: Any, *ports: Any) -> Any:
    """(select-ports timeout port ...) -> list of ready ports"""
    return _select_ports("select-ports", timeout, ports, True)


def select_port_channels(timeout: Any, *ports: Any) -> Any:
    """(select-port-channels timeout port ...) -> list of ready ports"""
    return _select_ports("select-port-channels", timeout, ports, False)


# ---------------------------------------------------------------- errno errors

def errno_of(obj: Any) -> Optional[int]:
    """The errno an errno error carries, None for any other object."""
    if obj.__class__ is not Condition or obj.is_a("resolve"):
        return None
    e = obj.data.get("errno")
    return e if e.__class__ is int and e > 0 else None


def _packet_item(x: Any) -> Any:
    if isinstance(x, CoreSocket):
        owner = x.owner() if x.owner is not None else None
        return owner if owner is not None else x
    if isinstance(x, SockAddr):
        return from_core(x.family, x)
    if isinstance(x, str) and len(x) != 1:
        return MString(x)
    return x


def errno_packet(c: Condition) -> Any:
    """The errno packet (errno-message syscall data ...) of condition *c*."""
    code = c.data["errno"]
    text = c.data.get("strerror") or os.strerror(code)
    who = c.who
    name = who.name if isinstance(who, Symbol) else str(who) if who else "unknown"
    data = [_packet_item(x) for x in c.irritants]
    addr = c.data.get("address")
    if isinstance(addr, SockAddr):
        data.append(_packet_item(addr))
    r: Any = NIL
    for x in reversed([MString(text), intern(name), *data]):
        r = cons(x, r)
    return r


def errno_error_p(obj: Any) -> bool:
    """(errno-error? obj) -> boolean"""
    return errno_of(obj) is not None


def condition_errno(obj: Any) -> Any:
    """(condition-errno condition) -> errno or #f"""
    e = errno_of(obj)
    return False if e is None else e


def condition_errno_packet(obj: Any) -> Any:
    """(condition-errno-packet condition) -> packet or #f"""
    return errno_packet(obj) if errno_of(obj) is not None else False


def with_errno_handler_star(handler: Any, thunk: Any) -> Any:
    """(with-errno-handler* handler thunk) -> the values of thunk"""
    def h(obj: Any) -> Any:
        e = errno_of(obj)
        if e is not None:
            handler(e, errno_packet(obj))
        return do_raise(obj)
    return with_exception_handler(h, thunk)


def with_handler(handler: Any, thunk: Any) -> Any:
    """(with-handler handler thunk) -> the values of thunk; handler is (lambda (condition more) ...)"""
    def h(obj: Any) -> Any:
        def more() -> Any:
            return do_raise(obj)
        return handler(obj, more)
    return with_exception_handler(h, thunk)


def errno_error(code: int, syscall: Any, *data: Any) -> Any:
    """(errno-error errno syscall data ...)"""
    name = syscall.name if isinstance(syscall, Symbol) else getattr(syscall, "scheme_name", None) \
        or getattr(syscall, "__name__", None) or display_string(syscall)
    throw("socket", name, os.strerror(code).lower(), *data, errno=code,
          errno_name=_errno.errorcode.get(code), call=name, strerror=os.strerror(code))


def errno_msg(code: int) -> MString:
    """(errno-msg errno) -> string"""
    return MString(os.strerror(code))


def error_p(obj: Any) -> bool:
    """(error? obj) -> boolean"""
    return obj.__class__ is Condition and obj.is_a("error")


ERRNO_CONSTANTS: List[Entry] = [value("errno/" + n[1:].lower(), getattr(_errno, n))
                                for n in dir(_errno) if n.startswith("E") and n.isupper()
                                and isinstance(getattr(_errno, n), int)]


# ---------------------------------------------------------------- threads, processes

def spawn(thunk: Any, name: Any = None) -> Any:
    """(spawn thunk [name]) -> thread"""
    t = srfi18.make_thread(thunk) if name is None else srfi18.make_thread(thunk, name)
    return srfi18.thread_start_bang(t)


def fork_thread(thunk: Any) -> Any:
    """(fork-thread thunk) -> thread"""
    return srfi18.thread_start_bang(srfi18.make_thread(thunk))


def sleep(ms: Any) -> Any:
    """(sleep milliseconds) -> unspecified"""
    hub.sleep(max(0.0, float(ms) / 1000.0))
    return UNSPECIFIED


def process_sleep(secs: Any) -> Any:
    """(process-sleep seconds) -> unspecified"""
    hub.sleep(max(0.0, float(secs)))
    return UNSPECIFIED


def relinquish_timeslice() -> Any:
    """(relinquish-timeslice) -> unspecified"""
    hub.yield_()
    return UNSPECIFIED


def getenv(name: MString) -> Any:
    """(getenv name) -> string or #f"""
    v = os.environ.get(name.s)
    return False if v is None else MString(v)


def setenv(name: MString, val: Any) -> Any:
    """(setenv name value-or-#f) -> unspecified"""
    if val is False:
        os.environ.pop(name.s, None)
    elif isinstance(val, MString):
        os.environ[name.s] = val.s
    else:
        wrong_type("setenv", 2, "string or #f", val)
    return UNSPECIFIED


def command_line_arguments() -> Any:
    """(command-line-arguments) -> list of strings"""
    r: Any = NIL
    for a in reversed(system.COMMAND_LINE[1:]):
        r = cons(MString(a), r)
    return r


def pid() -> int:
    """(pid) -> integer"""
    return os.getpid()


# Time (scsh manual, "Time"): seconds since the epoch, with sub-second ticks. scsh's
# date records are not provided, so time takes no date argument here.
TICKS_PER_SECOND = 1_000_000


def time_() -> int:
    """(time) -> integer seconds since the epoch"""
    return _time.time_ns() // 1_000_000_000


def time_plus_ticks() -> MultipleValues:
    """(time+ticks) -> two values: seconds since the epoch and ticks within the second"""
    ns = _time.time_ns()
    return MultipleValues((ns // 1_000_000_000, (ns % 1_000_000_000) * TICKS_PER_SECOND // 1_000_000_000))


def ticks_per_sec() -> int:
    """(ticks/sec) -> the number of ticks in a second"""
    return TICKS_PER_SECOND


I = A.exact_integer
S = A.string
ANY = A.any
IDX = A.index
EXPORTS: List[Entry] = [
    export("read-string", read_string, IDX, ANY),
    export("read-string/partial", read_string_partial, IDX, ANY),
    export("read-string!", read_string_bang, S, ANY, IDX, IDX),
    export("read-string!/partial", read_string_bang_partial, S, ANY, IDX, IDX),
    export("write-string", write_string, S, ANY, IDX, IDX),
    export("write-string/partial", write_string_partial, S, ANY, IDX, IDX),
    export("read-line", read_line, ANY, ANY),
    export("read-delimited", read_delimited, ANY, ANY, ANY),
    export("force-output", force_output, ANY),
    export("close", close, ANY),
    export("port->fdes", port_to_fdes, ANY),
    export("fdes->inport", fdes_to_inport, IDX),
    export("fdes->outport", fdes_to_outport, IDX),
    export("dup", dup, ANY, IDX),
    export("dup->fdes", dup_to_fdes, ANY, IDX),
    export("dup->inport", dup_to_inport, ANY, IDX),
    export("dup->outport", dup_to_outport, ANY, IDX),
    export("select", select, ANY, ANY, ANY, ANY),
    export("select!", select_bang, ANY, ANY, ANY, ANY),
    export("select-ports", select_ports, ANY, ANY),
    export("select-port-channels", select_port_channels, ANY, ANY),
    export("with-errno-handler*", with_errno_handler_star, A.procedure, A.procedure),
    export("with-handler", with_handler, A.procedure, A.procedure),
    export("errno-error", errno_error, I, ANY),
    export("errno-error?", errno_error_p, ANY),
    export("condition-errno", condition_errno, ANY),
    export("condition-errno-packet", condition_errno_packet, ANY),
    export("errno-msg", errno_msg, I),
    export("error?", error_p, ANY),
    *ERRNO_CONSTANTS,
    export("spawn", spawn, A.procedure, ANY),
    export("fork-thread", fork_thread, A.procedure),
    export("spoon", fork_thread, A.procedure),
    export("sleep", sleep, A.real),
    export("process-sleep", process_sleep, A.real),
    export("relinquish-timeslice", relinquish_timeslice),
    export("getenv", getenv, S),
    export("setenv", setenv, S, ANY),
    export("command-line-arguments", command_line_arguments),
    export("pid", pid),
    export("time", time_),
    export("time+ticks", time_plus_ticks),
    export("ticks/sec", ticks_per_sec),
]

BINDINGS = install(HOST_LIBS, EXPORTS)
