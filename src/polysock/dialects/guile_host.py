"""Guile host features socket programs use (spec/guile.md §7, host-language.md §5).

Ports: Guile's ``read-line`` (ends at "\\n" only — a "\\r" stays in the line, as in
Guile), ``read-delimited``, ``write-line``, ``read-string``, ``drain-input``,
``setvbuf`` ('none/'line/'block and the 2.0 ``_IO*`` numbers), ``fileno``,
``port->fdes``, ``close``, ``port-closed?``; binary ports ((ice-9 binary-ports)):
``get-u8``, ``lookahead-u8``, ``get-bytevector-n[!]``, ``get-bytevector-some``,
``get-bytevector-all``, ``put-u8``, ``put-bytevector``; R6RS bytevectors
((rnrs bytevectors) argument order for ``bytevector-copy!``); ``select`` and ``fcntl``
(O_NONBLOCK on a Guile socket is the port's flag, see guile.py); Guile thread names
over the green threads; ``format``/``simple-format``; time, environment, process.
"""
from __future__ import annotations

import errno as _errno
import fcntl as _fcntl
import os
import struct
import sys
import time
from typing import Any, List, Optional

from ..hub import hub as _hub
from ..net import select as netselect
from ..runtime import io as rio
from ..runtime import ports as rports
from ..runtime import srfi18
from ..runtime.argtypes import A
from ..runtime.control import do_raise
from ..runtime.ports import Port
from ..values.conditions import SchemeError
from ..values.misc import EOF, UNSPECIFIED, MultipleValues
from ..values.pairs import NIL, Pair, from_iter, to_list, cons
from ..values.strings import MString
from ..values.symbols import Symbol, intern
from ._table import Entry, export, install, value
from .guile_errors import LIB, format_message, gthrow, slist

RDELIM = "(ice-9 rdelim)"
BINARY = "(ice-9 binary-ports)"
THREADS = "(ice-9 threads)"
FORMAT = "(ice-9 format)"
BYTEVECTORS = "(polysock guile bytevectors)"
INT = A.exact_integer


def _in(port: Any) -> Any:
    return rports.current_input_port() if port is None else port


def _out(port: Any) -> Any:
    return rports.current_output_port() if port is None else port


def _text(s: str) -> MString:
    return MString(s)


# ---------------------------------------------------------------- (ice-9 rdelim)

_DELIM_MODES = ("trim", "concat", "peek", "split")


def _mode(who: str, m: Any) -> str:
    if m is None:
        return "trim"
    if isinstance(m, Symbol) and m.name in _DELIM_MODES:
        return m.name
    gthrow("range", "out-of-range", who, "Value out of range: ~S", [m], slist(m))
    raise AssertionError


def _delimited(port: Any, delims: str, mode: str) -> Any:
    if not delims:          # no delimiter: everything up to end of file
        s = read_string(port)
        return (cons(s, EOF) if mode == "split" else s) if s.s else \
            (cons(EOF, EOF) if mode == "split" else EOF)
    text, d = port.read_until(delims)
    if mode == "split":
        return cons(EOF if text is EOF else MString(text), d)
    if text is EOF:
        return EOF
    if mode == "concat" and d is not EOF:
        return MString(text + d)
    if mode == "peek" and d is not EOF:
        port.unread_char(d)
    return MString(text)


def read_line(port: Any = None, handle_delim: Any = None) -> Any:
    """(read-line [port [handle-delim]]) -> string or eof; the line ends at #\\newline"""
    return _delimited(_in(port), "\n", _mode("read-line", handle_delim))


def read_line_pair(port: Any = None) -> Any:
    """(%read-line [port]) -> (line . delimiter)"""
    return _delimited(_in(port), "\n", "split")


def read_delimited(delims: MString, port: Any = None, handle_delim: Any = None) -> Any:
    """(read-delimited delims [port [handle-delim]]) -> string or eof"""
    return _delimited(_in(port), delims.s, _mode("read-delimited", handle_delim))


def write_line(obj: Any, port: Any = None) -> Any:
    """(write-line obj [port]): display obj and a newline"""
    p = _out(port)
    p.write_str(guile_text(obj, False) + "\n")
    return UNSPECIFIED


def read_string(port: Any = None, count: Any = None) -> Any:
    """(read-string [port [count]]) -> string (also R7RS order (read-string k [port]))"""
    if port.__class__ is int:
        port, count = count, port
    p = _in(port)
    if not rports.is_textual_input(p):
        from ..values.conditions import wrong_type
        wrong_type("read-string", 1, "input port", p)
    if not (count is None or count is False or count.__class__ is int):
        from ..values.conditions import wrong_type
        wrong_type("read-string", 2, "exact integer", count)
    if count is None or count is False:
        parts = []
        while True:
            s = p.read_string(65536)
            if s is EOF:
                break
            parts.append(s)
        return MString("".join(parts))
    s = p.read_string(count)
    return MString("") if s is EOF else MString(s)


def drain_input(port: Any) -> MString:
    """(drain-input port) -> the buffered characters"""
    f = getattr(port, "take_buffered", None)
    return MString(f() if f is not None else "")


# ---------------------------------------------------------------- port control

_BUF_MODES = {"none": "none", "line": "line", "block": "block", 2: "none", 1: "line", 0: "block"}


def setvbuf(port: Port, mode: Any, size: Any = None) -> Any:
    """(setvbuf port mode [size]) mode: 'none 'line 'block (or _IONBF _IOLBF _IOFBF)"""
    m = _BUF_MODES.get(mode.name if isinstance(mode, Symbol) else mode)
    if m is None:
        gthrow("range", "out-of-range", "setvbuf", "Value out of range: ~S", [mode], slist(mode))
    f = getattr(port, "setvbuf", None)
    if f is not None:
        f(m, size if size.__class__ is int and size > 0 else None)
    return UNSPECIFIED


def fileno(port: Port) -> int:
    """(fileno port) -> file descriptor"""
    if port.closed:
        gthrow("wrong-type", "wrong-type-arg", "fileno", "Wrong type argument in position ~A (expecting ~A): ~S",
               [1, MString("open file port"), port], slist(port))
    fd = port.fileno()
    if fd is None:
        gthrow("wrong-type", "wrong-type-arg", "fileno", "Wrong type argument in position ~A (expecting ~A): ~S",
               [1, MString("file port"), port], slist(port))
    return fd


def close(port_or_fd: Any) -> Any:
    """(close port-or-fd) -> #t when it was open"""
    if port_or_fd.__class__ is int:
        try:
            os.close(port_or_fd)
        except OSError as e:
            gthrow("i/o", "system-error", "close", "~A", [MString(e.strerror or "")], slist(e.errno))
        return True
    was = not port_or_fd.closed
    rio.close_port(port_or_fd)
    return was


def port_closed_p(port: Port) -> bool:
    """(port-closed? port) -> boolean"""
    return bool(port.closed)


def set_port_encoding_bang(port: Port, enc: MString) -> Any:
    """(set-port-encoding! port encoding)"""
    for half in (getattr(port, "in_port", port), getattr(port, "out_port", port)):
        f = getattr(half, "set_encoding", None)
        if f is not None:
            f(enc.s)
    return UNSPECIFIED


def force_output(port: Any = None) -> Any:
    """(force-output [port])"""
    _out(port).flush()
    return UNSPECIFIED


def flush_all_ports() -> Any:
    """(flush-all-ports)"""
    rports.flush_all()
    rports.flush_console()
    return UNSPECIFIED


# ---------------------------------------------------------------- select, fcntl

def _members(who: str, pos: int, c: Any) -> List[Any]:
    if c.__class__ is list:
        return list(c)
    items = to_list(c)
    if items is None:
        gthrow("wrong-type", "wrong-type-arg", who, "Wrong type argument in position ~A (expecting ~A): ~S",
               [pos, MString("list or vector"), c], slist(c))
    return list(items or [])


def _like(orig: Any, items: List[Any]) -> Any:
    return items if orig.__class__ is list else from_iter(items)


def select(reads: Any, writes: Any, excepts: Any, secs: Any = False, usecs: Any = 0) -> Any:
    """(select reads writes excepts [secs [usecs]]) -> (reads writes excepts) ready now"""
    r, w, e = (_members("select", i + 1, c) for i, c in enumerate((reads, writes, excepts)))
    timeout: Optional[float] = None
    if secs is not False:
        if secs.__class__ not in (int, float) and not hasattr(secs, "numerator"):
            gthrow("wrong-type", "wrong-type-arg", "select", "Wrong type argument in position ~A: ~S",
                   [4, secs], slist(secs))
        timeout = float(secs) + (float(usecs) / 1_000_000 if usecs.__class__ is int else 0.0)
    for items in (r, w, e):
        for x in items:
            if isinstance(x, Port) and x.closed:
                gthrow("wrong-type", "wrong-type-arg", "select",
                       "Wrong type argument in position ~A (expecting ~A): ~S",
                       [1, MString("open file port"), x], slist(x))
    rr, ww, ee = netselect.select(r, w, e, timeout, "select")
    return slist(_like(reads, rr), _like(writes, ww), _like(excepts, ee))


O_NONBLOCK = os.O_NONBLOCK


def fcntl(obj: Any, cmd: int, val: Any = None) -> Any:
    """(fcntl port-or-fd cmd [value]) -> integer for F_GET* commands"""
    from .guile import GuileSocket
    sock = obj if obj.__class__ is GuileSocket else None
    fd = obj if obj.__class__ is int else fileno(obj)
    arg = 0 if val is None else val
    if sock is not None and cmd == _fcntl.F_GETFL:
        try:
            flags = _fcntl.fcntl(fd, cmd) & ~O_NONBLOCK
        except OSError as e:
            gthrow("i/o", "system-error", "fcntl", "~A", [MString(e.strerror or "")], slist(e.errno))
        return flags | (O_NONBLOCK if sock.nonblocking else 0)
    if sock is not None and cmd == _fcntl.F_SETFL:
        sock.nonblocking = bool(arg & O_NONBLOCK)
        return UNSPECIFIED
    try:
        r = _fcntl.fcntl(fd, cmd, arg)
    except OSError as e:
        gthrow("i/o", "system-error", "fcntl", "~A", [MString(e.strerror or "")], slist(e.errno))
    return r if cmd in (_fcntl.F_GETFL, _fcntl.F_GETFD, _fcntl.F_DUPFD, getattr(_fcntl, "F_GETOWN", -1)) \
        else UNSPECIFIED


# ---------------------------------------------------------------- binary ports

def get_u8(port: Any) -> Any:
    """(get-u8 port) -> byte or eof"""
    return port.read_u8()


def lookahead_u8(port: Any) -> Any:
    """(lookahead-u8 port) -> byte or eof"""
    return port.peek_u8()


def get_bytevector_n(port: Any, n: int) -> Any:
    """(get-bytevector-n port count) -> bytevector or eof"""
    r = port.read_bytes(n)
    return r if r is EOF else bytearray(r)


def get_bytevector_n_bang(port: Any, bv: bytearray, start: int, count: int) -> Any:
    """(get-bytevector-n! port bv start count) -> count read or eof"""
    if start + count > len(bv):
        gthrow("range", "out-of-range", "get-bytevector-n!", "Value out of range: ~S", [count], slist(count))
    return port.readinto(bv, start, start + count)


def get_bytevector_some(port: Any) -> Any:
    """(get-bytevector-some port) -> bytevector or eof"""
    r = port.read_some()
    return r if r is EOF else bytearray(r)


def get_bytevector_all(port: Any) -> Any:
    """(get-bytevector-all port) -> bytevector or eof"""
    out = bytearray()
    while True:
        r = port.read_some()
        if r is EOF:
            break
        out += r
    return EOF if not out else out


def put_u8(port: Any, b: int) -> Any:
    """(put-u8 port byte)"""
    port.write_u8(b)
    return UNSPECIFIED


def put_bytevector(port: Any, bv: bytearray, start: int = 0, count: Any = None) -> Any:
    """(put-bytevector port bv [start [count]])"""
    end = len(bv) if count is None else start + count
    if not 0 <= start <= end <= len(bv):
        gthrow("range", "out-of-range", "put-bytevector", "Value out of range: ~S", [end], slist(end))
    port.write(bytes(bv[start:end]))
    return UNSPECIFIED


# ---------------------------------------------------------------- bytevectors (R6RS)

def bytevector_copy_bang(src: bytearray, src_start: int, dst: bytearray, dst_start: int, n: int) -> Any:
    """(bytevector-copy! source source-start target target-start count)"""
    if src_start + n > len(src) or dst_start + n > len(dst):
        gthrow("range", "out-of-range", "bytevector-copy!", "Value out of range: ~S", [n], slist(n))
    dst[dst_start:dst_start + n] = src[src_start:src_start + n]
    return UNSPECIFIED


def u8_list_to_bytevector(lst: Any) -> bytearray:
    """(u8-list->bytevector list) -> bytevector"""
    return bytearray(to_list(lst) or [])


def bytevector_to_u8_list(bv: bytearray) -> Any:
    """(bytevector->u8-list bv) -> list"""
    return from_iter(list(bv))


def bytevector_fill_bang(bv: bytearray, b: int) -> Any:
    """(bytevector-fill! bv byte)"""
    bv[:] = bytes([b & 0xFF]) * len(bv)
    return UNSPECIFIED


def bytevector_eq_p(a: bytearray, b: bytearray) -> bool:
    """(bytevector=? a b) -> boolean"""
    return a == b


def _endian(e: Any) -> str:
    if isinstance(e, Symbol) and e.name in ("big", "little"):
        return ">" if e.name == "big" else "<"
    gthrow("range", "out-of-range", False, "Value out of range: ~S", [e], slist(e))
    raise AssertionError


_FMT = {"u8": "B", "s8": "b", "u16": "H", "s16": "h", "u32": "I", "s32": "i", "u64": "Q", "s64": "q",
        "ieee-single": "f", "ieee-double": "d"}


def _accessors(kind: str) -> List[Entry]:
    code = _FMT[kind]
    size = struct.calcsize(code)

    def ref(bv: bytearray, i: int, e: Any) -> Any:
        if i + size > len(bv):
            gthrow("range", "out-of-range", f"bytevector-{kind}-ref", "Value out of range: ~S", [i], slist(i))
        return struct.unpack_from(_endian(e) + code, bv, i)[0]

    def setter(bv: bytearray, i: int, v: Any, e: Any) -> Any:
        if i + size > len(bv):
            gthrow("range", "out-of-range", f"bytevector-{kind}-set!", "Value out of range: ~S", [i], slist(i))
        try:
            struct.pack_into(_endian(e) + code, bv, i, v)
        except struct.error:
            gthrow("range", "out-of-range", f"bytevector-{kind}-set!", "Value out of range: ~S", [v], slist(v))
        return UNSPECIFIED

    def nref(bv: bytearray, i: int) -> Any:
        return ref(bv, i, intern(sys.byteorder))

    def nset(bv: bytearray, i: int, v: Any) -> Any:
        return setter(bv, i, v, intern(sys.byteorder))
    ref.__doc__ = f"(bytevector-{kind}-ref bv index endianness)"
    setter.__doc__ = f"(bytevector-{kind}-set! bv index value endianness)"
    nref.__doc__ = f"(bytevector-{kind}-native-ref bv index)"
    nset.__doc__ = f"(bytevector-{kind}-native-set! bv index value)"
    num = A.real if kind.startswith("ieee") else INT
    out = [export(f"bytevector-{kind}-native-ref", nref, A.bytevector, A.index),
           export(f"bytevector-{kind}-native-set!", nset, A.bytevector, A.index, num)]
    if size > 1:
        out += [export(f"bytevector-{kind}-ref", ref, A.bytevector, A.index, A.symbol),
                export(f"bytevector-{kind}-set!", setter, A.bytevector, A.index, num, A.symbol)]
    else:                      # one byte: plain indexing, no struct format or endianness
        lo, hi = (-128, 127) if kind == "s8" else (0, 255)

        def ref1(bv: bytearray, i: int) -> Any:
            if i >= len(bv):
                gthrow("range", "out-of-range", f"bytevector-{kind}-ref", "Value out of range: ~S", [i], slist(i))
            v = bv[i]
            return v - 256 if v > hi else v

        def set1(bv: bytearray, i: int, v: Any) -> Any:
            if i >= len(bv):
                gthrow("range", "out-of-range", f"bytevector-{kind}-set!", "Value out of range: ~S", [i], slist(i))
            if not lo <= v <= hi:
                gthrow("range", "out-of-range", f"bytevector-{kind}-set!", "Value out of range: ~S", [v], slist(v))
            bv[i] = v & 255
            return UNSPECIFIED
        ref1.__doc__ = nref.__doc__
        set1.__doc__ = nset.__doc__
        out = [export(f"bytevector-{kind}-ref", ref1, A.bytevector, A.index),
               export(f"bytevector-{kind}-set!", set1, A.bytevector, A.index, num)]
    return out


def bytevector_uint_ref(bv: bytearray, i: int, e: Any, size: int) -> int:
    """(bytevector-uint-ref bv index endianness size) -> integer"""
    return int.from_bytes(bytes(bv[i:i + size]), "big" if _endian(e) == ">" else "little")


def bytevector_sint_ref(bv: bytearray, i: int, e: Any, size: int) -> int:
    """(bytevector-sint-ref bv index endianness size) -> integer"""
    return int.from_bytes(bytes(bv[i:i + size]), "big" if _endian(e) == ">" else "little", signed=True)


def native_endianness() -> Symbol:
    """(native-endianness) -> big or little"""
    return intern(sys.byteorder)


# ---------------------------------------------------------------- threads

def call_with_new_thread(thunk: Any, handler: Any = None) -> Any:
    """(call-with-new-thread thunk [handler]) -> thread"""
    body = thunk
    if handler is not None:
        from .guile_errors import catch
        def body() -> Any:  # noqa: E306
            return catch(True, thunk, handler)
    t = srfi18.make_thread(body)
    srfi18.thread_start_bang(t)
    return t


def join_thread(t: Any, timeout: Any = False, timeoutval: Any = False) -> Any:
    """(join-thread thread [timeout [timeoutval]]) -> the thread's value"""
    try:
        if timeout is False:
            return srfi18.thread_join_bang(t)
        return srfi18.thread_join_bang(t, _abs_timeout(timeout), timeoutval)
    except SchemeError as e:
        p = e.payload
        if getattr(p, "kind", None) in ("uncaught-exception", "terminated-thread"):
            return False
        raise


def _abs_timeout(t: Any) -> Any:
    """Guile timeouts are absolute times (seconds since the epoch, or (secs . usecs))."""
    if isinstance(t, Pair):
        t = t.car + t.cdr / 1_000_000
    return srfi18.Time(float(t))


def lock_mutex(m: Any, timeout: Any = False) -> bool:
    """(lock-mutex mutex [timeout]) -> #t, or #f on timeout"""
    if timeout is False:
        return srfi18.mutex_lock_bang(m)
    return srfi18.mutex_lock_bang(m, _abs_timeout(timeout))


def try_mutex(m: Any) -> bool:
    """(try-mutex mutex) -> boolean"""
    return srfi18.mutex_lock_bang(m, 0)


def unlock_mutex(m: Any, cv: Any = False, timeout: Any = False) -> bool:
    """(unlock-mutex mutex [condvar [timeout]]) -> boolean"""
    if cv is False:
        return srfi18.mutex_unlock_bang(m)
    if timeout is False:
        return srfi18.mutex_unlock_bang(m, cv)
    return srfi18.mutex_unlock_bang(m, cv, _abs_timeout(timeout))


def make_mutex(*kinds: Any) -> Any:
    """(make-mutex [kind]) -> mutex"""
    return srfi18.make_mutex()


def wait_condition_variable(cv: Any, m: Any, timeout: Any = False) -> bool:
    """(wait-condition-variable cv mutex [time]) -> #f on timeout, else #t (mutex relocked)"""
    ok = unlock_mutex(m, cv, timeout)
    srfi18.mutex_lock_bang(m)
    return ok


def signal_condition_variable(cv: Any) -> Any:
    """(signal-condition-variable cv)"""
    return srfi18.condition_variable_signal_bang(cv)


def broadcast_condition_variable(cv: Any) -> Any:
    """(broadcast-condition-variable cv)"""
    return srfi18.condition_variable_broadcast_bang(cv)


def mutex_locked_p(m: Any) -> bool:
    """(mutex-locked? mutex) -> boolean"""
    return m.state() not in ("not-owned", "not-abandoned", "abandoned")


def thread_exited_p(t: Any) -> bool:
    """(thread-exited? thread) -> boolean"""
    return getattr(t, "end", None) is not None


def yield_() -> Any:
    """(yield)"""
    srfi18.thread_yield_bang()
    return True


# ---------------------------------------------------------------- misc

def current_time() -> int:
    """(current-time) -> seconds since the epoch"""
    return int(time.time())


def gettimeofday() -> Pair:
    """(gettimeofday) -> (seconds . microseconds)"""
    t = time.time()
    return cons(int(t), int((t - int(t)) * 1_000_000))


def get_internal_real_time() -> int:
    """(get-internal-real-time) -> nanoseconds on a monotonic clock"""
    return time.monotonic_ns()


def get_internal_run_time() -> int:
    """(get-internal-run-time) -> CPU nanoseconds"""
    return time.process_time_ns()


def getenv(name: MString) -> Any:
    """(getenv name) -> string or #f"""
    v = os.environ.get(name.s)
    return False if v is None else MString(v)


def setenv(name: MString, val: Any) -> Any:
    """(setenv name value) (#f value unsets)"""
    if val is False:
        os.environ.pop(name.s, None)
    else:
        os.environ[name.s] = val.s
    return UNSPECIFIED


def sleep(secs: int) -> int:
    """(sleep seconds) -> 0"""
    _hub.sleep(secs)
    return 0


def usleep(usecs: int) -> int:
    """(usleep microseconds) -> 0"""
    _hub.sleep(usecs / 1_000_000)
    return 0


def getpid() -> int:
    """(getpid) -> process id"""
    return os.getpid()


def gethostname() -> MString:
    """(gethostname) -> string"""
    from ..net import resolve
    return MString(resolve.gethostname())


def getcwd() -> MString:
    """(getcwd) -> string"""
    return MString(os.getcwd())


def one_plus(x: Any) -> Any:
    """(1+ x)"""
    return x + 1


def one_minus(x: Any) -> Any:
    """(1- x)"""
    return x - 1


def _fold_ints(op: Any, unit: int) -> Any:
    def f(*xs: int) -> int:
        r = unit
        for x in xs:
            r = op(r, x)
        return r
    return f


def ash(n: int, k: int) -> int:
    """(ash n count) -> arithmetic shift"""
    return n << k if k >= 0 else n >> -k


def logtest(a: int, b: int) -> bool:
    """(logtest a b) -> #t when a and b share a bit"""
    return (a & b) != 0


def logbit_p(i: int, n: int) -> bool:
    """(logbit? index n) -> boolean"""
    return bool((n >> i) & 1)


def logcount(n: int) -> int:
    """(logcount n) -> bits set (of n, or of ~n when negative)"""
    return bin(n if n >= 0 else ~n).count("1")


# ---------------------------------------------------------------- format

def _fmt(dest: Any, fmt: str, args: List[Any], full: bool) -> Any:
    def display_string(x: Any) -> str:
        return guile_text(x, False)

    def write_string(x: Any) -> str:
        return guile_text(x, True)
    out: List[str] = []
    it = iter(args)
    i, n = 0, len(fmt)

    def nxt() -> Any:
        try:
            return next(it)
        except StopIteration:
            gthrow("error", "format", "format", "Too few arguments", [], False)
    while i < n:
        c = fmt[i]
        if c != "~" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        j = i + 1
        params = ""
        while j < n and (fmt[j].isdigit() or fmt[j] in ",'@:"):
            params += fmt[j]
            j += 1
        d = fmt[j].lower() if j < n else "~"
        i = j + 1
        nums = [p for p in params.replace("@", "").replace(":", "").split(",")]
        width = int(nums[0]) if nums and nums[0].isdigit() else 0
        if d == "a":
            s = display_string(nxt())
            out.append(s.rjust(width) if "@" in params else s.ljust(width))
        elif d == "s":
            s = write_string(nxt())
            out.append(s.rjust(width) if "@" in params else s.ljust(width))
        elif d in "dxob" and full or d == "d":
            v = nxt()
            base = {"d": 10, "x": 16, "o": 8, "b": 2}[d]
            if v.__class__ is int:
                s = format(v, {"d": "d", "x": "x", "o": "o", "b": "b"}[d])
                if ":" in params and d == "d":
                    s = f"{v:,}"
                if "@" in params and v >= 0:
                    s = "+" + s
            else:
                s = display_string(v)
            _ = base
            out.append(s.rjust(width))
        elif d == "f" and full:
            v = nxt()
            digits = int(nums[1]) if len(nums) > 1 and nums[1].isdigit() else None
            s = _fixed(float(v), digits) if digits is not None else display_string(float(v))
            out.append(s.rjust(width))
        elif d == "c" and full:
            out.append(nxt())
        elif d == "%" or d == "/":
            out.append("\n" * max(width, 1) if d == "%" else "\t")
        elif d == "&":
            out.append("\n")
        elif d == "~":
            out.append("~")
        else:
            out.append("~" + params + d)
    text = "".join(out)
    if not (dest is True or dest is False or rports.is_textual_output(dest)):
        from ..values.conditions import wrong_type
        wrong_type("format", 1, "output port or boolean", dest)
    if dest is False:
        return MString(text)
    port = rports.current_output_port() if dest is True else dest
    port.write_str(text)
    return UNSPECIFIED


def _fixed(v: float, digits: int) -> str:
    """~,Nf: round half away from zero; N = 0 keeps the decimal point ("3.")."""
    from decimal import ROUND_HALF_UP, Decimal
    q = Decimal(repr(v)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{q:f}"
    return text + "." if digits == 0 else text


def format_(dest: Any, fmt: Any = None, *args: Any) -> Any:
    """(format destination format-string arg ...) — ~a ~s ~d ~x ~o ~b ~f ~c ~% ~~ basics"""
    if isinstance(dest, MString):
        return _fmt(False, dest.s, ([fmt] if fmt is not None else []) + list(args), True)
    if not isinstance(fmt, MString):
        from ..values.conditions import wrong_type
        wrong_type("format", 2, "string", fmt if fmt is not None else False)
    return _fmt(dest, fmt.s, list(args), True)


def simple_format(dest: Any, fmt: MString, *args: Any) -> Any:
    """(simple-format destination message arg ...) — ~A and ~S only"""
    return _fmt(dest, fmt.s, list(args), False)


# ---------------------------------------------------------------- Guile's printer

def _p_vu8(x: bytearray, write: bool) -> str:
    return "#vu8(" + " ".join(str(b) for b in x) + ")"


GUILE_PRINTERS = {bytearray: _p_vu8}


def guile_text(obj: Any, write: bool) -> str:
    """The text Guile's write/display give *obj* (bytevectors as #vu8(...))."""
    from ..reader import printer
    if obj.__class__ is MString and not write:
        return obj.s
    saved = {k: printer.PRINTERS.get(k) for k in GUILE_PRINTERS}
    printer.PRINTERS.update(GUILE_PRINTERS)
    try:
        return printer.write_string(obj) if write else printer.display_string(obj)
    finally:
        for k, v in saved.items():
            if v is None:
                printer.PRINTERS.pop(k, None)
            else:
                printer.PRINTERS[k] = v


def _tport(port: Any) -> Any:
    return _out(port)


def g_write(obj: Any, port: Any = None) -> Any:
    """(write obj [port])"""
    _tport(port).write_str(guile_text(obj, True))
    return UNSPECIFIED


def g_display(obj: Any, port: Any = None) -> Any:
    """(display obj [port])"""
    _tport(port).write_str(guile_text(obj, False))
    return UNSPECIFIED


# ---------------------------------------------------------------- tables

PORTS_ENTRIES: List[Entry] = [
    export("setvbuf", setvbuf, A.port, A.any, A.any),
    export("fileno", fileno, A.port),
    export("port->fdes", fileno, A.port),
    export("close", close, A.either("port or file descriptor", A.port, A.index)),
    export("port-closed?", port_closed_p, A.port),
    export("set-port-encoding!", set_port_encoding_bang, A.port, A.string),
    export("force-output", force_output, A.output_port),
    export("flush-all-ports", flush_all_ports),
    export("drain-input", drain_input, A.input_port),
    export("select", select, A.any, A.any, A.any, A.any, A.any),
    export("fcntl", fcntl, A.either("port or file descriptor", A.port, A.index), INT, INT),
    value("_IONBF", 2), value("_IOLBF", 1), value("_IOFBF", 0),
    export("current-time", current_time), export("gettimeofday", gettimeofday),
    export("get-internal-real-time", get_internal_real_time),
    export("get-internal-run-time", get_internal_run_time),
    value("internal-time-units-per-second", 1_000_000_000),
    export("getenv", getenv, A.string), export("setenv", setenv, A.string, A.any),
    export("sleep", sleep, A.index), export("usleep", usleep, A.index),
    export("getpid", getpid), export("gethostname", gethostname), export("getcwd", getcwd),
    export("1+", one_plus, A.number), export("1-", one_minus, A.number),
    export("logior", _fold_ints(lambda a, b: a | b, 0), INT),
    export("logand", _fold_ints(lambda a, b: a & b, -1), INT),
    export("logxor", _fold_ints(lambda a, b: a ^ b, 0), INT),
    export("lognot", lambda n: ~n, INT),
    export("ash", ash, INT, INT), export("logtest", logtest, INT, INT),
    export("logbit?", logbit_p, A.index, INT), export("logcount", logcount, INT),
    export("format", format_, A.any, A.any), export("simple-format", simple_format, A.any, A.string),
    export("write", g_write, A.any, A.textual_output_port),
    export("display", g_display, A.any, A.textual_output_port),
]
for _n, _v in [(k, getattr(_errno, k)) for k in dir(_errno) if k.startswith("E") and k.isupper()]:
    PORTS_ENTRIES.append(value(_n, _v))
for _n in ("F_DUPFD", "F_GETFD", "F_SETFD", "F_GETFL", "F_SETFL", "F_GETOWN", "F_SETOWN", "FD_CLOEXEC"):
    if hasattr(_fcntl, _n):
        PORTS_ENTRIES.append(value(_n, getattr(_fcntl, _n)))
for _n in [k for k in dir(os) if k.startswith("O_") and k.isupper()]:
    PORTS_ENTRIES.append(value(_n, getattr(os, _n)))

RDELIM_ENTRIES: List[Entry] = [
    export("read-line", read_line, A.textual_input_port, A.any),
    export("%read-line", read_line_pair, A.textual_input_port),
    export("read-delimited", read_delimited, A.string, A.textual_input_port, A.any),
    export("write-line", write_line, A.any, A.textual_output_port),
    export("read-string", read_string, A.any, A.any),
]

BINARY_ENTRIES: List[Entry] = [
    export("get-u8", get_u8, A.input_port), export("lookahead-u8", lookahead_u8, A.input_port),
    export("get-bytevector-n", get_bytevector_n, A.input_port, A.index),
    export("get-bytevector-n!", get_bytevector_n_bang, A.input_port, A.bytevector, A.index, A.index),
    export("get-bytevector-some", get_bytevector_some, A.input_port),
    export("get-bytevector-all", get_bytevector_all, A.input_port),
    export("put-u8", put_u8, A.output_port, A.byte),
    export("put-bytevector", put_bytevector, A.output_port, A.bytevector, A.index, A.index),
]

BYTEVECTOR_ENTRIES: List[Entry] = [
    export("bytevector-copy!", bytevector_copy_bang, A.bytevector, A.index, A.bytevector, A.index, A.index),
    export("u8-list->bytevector", u8_list_to_bytevector, A.list),
    export("bytevector->u8-list", bytevector_to_u8_list, A.bytevector),
    export("bytevector-fill!", bytevector_fill_bang, A.bytevector, INT),
    export("bytevector=?", bytevector_eq_p, A.bytevector, A.bytevector),
    export("bytevector-uint-ref", bytevector_uint_ref, A.bytevector, A.index, A.symbol, A.index),
    export("bytevector-sint-ref", bytevector_sint_ref, A.bytevector, A.index, A.symbol, A.index),
    export("native-endianness", native_endianness),
]
for _k in _FMT:
    BYTEVECTOR_ENTRIES += _accessors(_k)

THREAD_ENTRIES: List[Entry] = [
    export("call-with-new-thread", call_with_new_thread, A.procedure, A.procedure),
    export("join-thread", join_thread, A.thread, A.any, A.any),
    export("make-mutex", make_mutex), export("make-recursive-mutex", make_mutex),
    export("lock-mutex", lock_mutex, A.mutex, A.any),
    export("try-mutex", try_mutex, A.mutex),
    export("unlock-mutex", unlock_mutex, A.mutex, A.any, A.any),
    export("mutex-locked?", mutex_locked_p, A.mutex),
    export("make-condition-variable", lambda: srfi18.make_condition_variable()),
    export("wait-condition-variable", wait_condition_variable, A.condvar, A.mutex, A.any),
    export("signal-condition-variable", signal_condition_variable, A.condvar),
    export("broadcast-condition-variable", broadcast_condition_variable, A.condvar),
    export("thread-exited?", thread_exited_p, A.thread),
    export("yield", yield_),
    export("current-thread", srfi18.current_thread),
    export("thread?", srfi18.thread_p),
]

install([LIB, RDELIM], RDELIM_ENTRIES)
install([LIB, BINARY], BINARY_ENTRIES)
install([LIB, BYTEVECTORS], BYTEVECTOR_ENTRIES)
install([LIB, THREADS], THREAD_ENTRIES)
install(LIB, PORTS_ENTRIES)
install(FORMAT, [export("format", format_, A.any, A.any)])
_unused = (NIL, MultipleValues, do_raise, format_message, _text)
