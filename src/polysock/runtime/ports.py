"""Ports: raw streams, buffered binary ports, textual ports, string and bytevector ports.

Theory of operation
-------------------
Three layers, as in CPython's ``io``:

1. A *raw stream* moves bytes and knows nothing of Scheme. Protocol (duck-typed):
   ``readinto(buf: memoryview) -> int`` blocks until at least one byte is available
   and returns the count (0 means end of file); ``write(data) -> int`` writes at
   least one byte and returns the count (it may write part); ``ready() -> bool``
   says whether ``readinto`` would return at once (true at EOF); ``close()``;
   ``fileno() -> int | None``. Raw streams raise Scheme conditions themselves.
   Here: ``BytesRaw`` (memory), ``FdRaw`` (an OS descriptor), ``FileRaw`` (a Python
   binary file), ``ConsoleRaw`` (sys.stdin/stdout/stderr, looked up at each call).
   The net layer adds socket raw streams whose ``readinto`` parks a green thread.
2. ``BinaryInputPort`` / ``BinaryOutputPort`` buffer a raw stream. The input buffer is
   one preallocated bytearray with a read window ``[_pos, _end)``; it is refilled by
   a single ``raw.readinto`` into its free tail, so data is copied once. Bulk reads
   larger than the buffer go straight into the caller's buffer. Buffering mode
   "none" asks the raw stream only for the bytes the caller needs (never reads
   ahead); "line" and "block" fill the whole buffer. On output, "none" writes
   through, "line" flushes when a write contains a newline byte, "block" when the
   buffer is full.
3. ``TextualInputPort`` decodes whole buffers of its binary port with an incremental
   decoder (a UTF-8 sequence split across raw reads waits for its tail) into a str
   window ``[_ti, _tlen)`` so that ``read-char`` is an index into a str. Binary
   reads on a textual port first push the undecoded text back (``_sync``).
   ``TextualOutputPort`` encodes each write and hands it to its binary port.
   Strings use "surrogateescape" for undecodable bytes, so bytes round-trip.
   ``StringInputPort`` is a textual input port whose window is the whole string;
   ``StringOutputPort`` collects str pieces.

Invariants and rules:
* Hot paths (read-char, peek-char, read-u8, write) touch only the buffer window;
  every refill, EOF and closed check lives in a ``_slow`` path. Closing an input
  port empties its window so the next read reaches the slow path and fails.
* A ``peek`` that meets EOF sets ``_eof`` so the following read returns EOF without
  asking the raw stream again (a terminal's Ctrl-D is seen once).
* read-line ends at "\\n", "\\r\\n" or "\\r". A "\\r" that ends a decoded chunk sets
  ``_skip_lf`` so a "\\n" opening the next chunk is dropped: the port never blocks
  to look past a line end. ``eol_in=True`` (MIT TCP ports) applies the same
  translation to every read; ``newline_out`` (e.g. "\\r\\n") translates writes.
* ``BidirectionalPort`` joins an input and an output half (independent buffers) and
  binds each of their methods onto itself the first time it is used (each name is a
  class-level ``_Method`` descriptor, shadowed by the bound method in the instance
  dict from then on), so delegation costs nothing per call and a port pays only for
  the methods it uses. A socket port may be *deferred* (``BidirectionalPort.deferred``):
  each half is built on first use, so a server that accepts, writes a byte and closes
  builds one half, and one that only uses the socket calls builds none (four port
  objects cost about 10 µs a connection). Closing a half never built runs the
  builder's ``close_unbuilt``, which does what closing it would have done (an unbuilt
  half has no buffered data); a half built after that comes out closed.
"""
from __future__ import annotations

import atexit
import codecs
import functools
import os
import re
import select
import sys
import weakref
from typing import Any, Callable, Dict, List, NoReturn, Optional, Tuple, Union

from ..values.conditions import SchemeError, make_condition, throw, wrong_type
from ..values.misc import EOF
from ..values.strings import MString
from .argtypes import A, NAMESPACE
from .dynamic import Parameter

Bytes = Union[bytes, bytearray, memoryview]

DEFAULT_BUFFER_SIZE = 65536
FIRST_FILL = 4096           # a binary input port's first buffer (it grows to its size)
#: A fill for a read that still wants at least this many bytes reads no more than that,
#: so the next read of that size starts a fresh window: a stream of 64 KiB read-string
#: calls then takes each window whole, where a window boundary inside every request
#: cost two copies of the data (two slices and a join).
ALIGN_WANT = 4096
#: A textual output port keeps the bytes of its last write of at least ENCODE_REUSE_MIN
#: and at most ENCODE_REUSE_MAX chars, and a write of that same str object (str is
#: immutable: the same object is the same text) sends them again without encoding it.
#: A program that sends one 64 KiB string over and over then makes no copy of it: the
#: encode was a tenth of an scsh bulk client's time.
ENCODE_REUSE_MIN = 16384
ENCODE_REUSE_MAX = 1 << 20
DEFAULT_ENCODING = "utf-8"
NONE, LINE, BLOCK = 0, 1, 2
MODES: Dict[str, int] = {"none": NONE, "line": LINE, "block": BLOCK}
MODE_NAMES = {v: k for k, v in MODES.items()}



def _hub_wait(fd: int, for_write: bool) -> None:
    """Park the current green thread until *fd* is ready (the hub's conditions become
    Scheme ones)."""
    from ..hub import hub
    try:
        (hub.wait_writable if for_write else hub.wait_readable)(fd)
    except hub.Closed:
        throw("port-closed", "read" if not for_write else "write", "port closed while waiting", fd=fd)
    except hub.Busy:
        throw("i/o", "read" if not for_write else "write", "another thread is waiting on this port", fd=fd)
    except OSError as e:
        _os_error("read" if not for_write else "write", e, fd=fd)


# ``FD_WAITER(fd, for_write)`` parks the current green thread until the descriptor is
# ready; None makes FdRaw and ConsoleRaw block the whole process instead.
FD_WAITER: Optional[Callable[[int, bool], None]] = _hub_wait


def _encode_error(exc: UnicodeError) -> Tuple[bytes, int]:
    """Unencodable chars: escaped bytes (U+DC80..U+DCFF) go back to bytes, others to UTF-8."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = bytearray()
    for ch in exc.object[exc.start:exc.end]:
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF:
            out.append(o - 0xDC00)
        else:
            out += ch.encode("utf-8", "surrogatepass")
    return bytes(out), exc.end


codecs.register_error("polysock", _encode_error)

ENCODINGS: Dict[str, str] = {"utf-8": "utf-8", "utf8": "utf-8", "latin-1": "latin-1",
                             "latin1": "latin-1", "iso-8859-1": "latin-1", "iso8859-1": "latin-1"}


def _norm_encoding(enc: str) -> str:
    e = ENCODINGS.get(enc.lower())
    if e is None:
        throw("i/o", "port", "unsupported encoding", MString(enc))
    return str(e)


def _mode(buffering: Union[str, int]) -> int:
    m = MODES.get(buffering) if isinstance(buffering, str) else buffering
    if m not in (NONE, LINE, BLOCK):
        throw("range", "port", "bad buffering mode", buffering)
    return m  # type: ignore[return-value]


def _os_error(who: str, e: OSError, **data: Any) -> NoReturn:
    raise SchemeError(make_condition("i/o", who, e.strerror or str(e), errno=e.errno, **data))


# ===================================================================== raw streams

class BytesRaw:
    """Raw input over an in-memory bytes object."""

    __slots__ = ("_data", "_pos")

    def __init__(self, data: Bytes) -> None:
        self._data = memoryview(bytes(data))
        self._pos = 0

    def readinto(self, buf: memoryview) -> int:
        p = self._pos
        n = min(len(buf), len(self._data) - p)
        buf[:n] = self._data[p:p + n]
        self._pos = p + n
        return n

    def write(self, data: Bytes) -> int:
        raise SchemeError(make_condition("i/o", "write", "raw stream is not writable"))

    def ready(self) -> bool:
        return True

    def close(self) -> None:
        pass

    def fileno(self) -> Optional[int]:
        return None


class FdRaw:
    """Raw stream over an OS file descriptor. OSError becomes an i/o condition."""

    __slots__ = ("fd", "closefd", "name")

    def __init__(self, fd: int, closefd: bool = True, name: str = "") -> None:
        self.fd = fd
        self.closefd = closefd
        self.name = name

    def readinto(self, buf: memoryview) -> int:
        if FD_WAITER is not None and not self.ready():
            FD_WAITER(self.fd, False)
        try:
            return os.readv(self.fd, [buf])
        except BlockingIOError:
            if FD_WAITER is None:
                select.select([self.fd], [], [])
            else:
                FD_WAITER(self.fd, False)
            return self.readinto(buf)
        except OSError as e:
            _os_error("read", e, fd=self.fd)

    def write(self, data: Bytes) -> int:
        try:
            return os.write(self.fd, data)
        except BlockingIOError:
            if FD_WAITER is None:
                select.select([], [self.fd], [])
            else:
                FD_WAITER(self.fd, True)
            return 0 if not data else self.write(data)
        except OSError as e:
            _os_error("write", e, fd=self.fd)

    def ready(self) -> bool:
        return fd_readable(self.fd)

    def close(self) -> None:
        if self.closefd and self.fd >= 0:
            fd, self.fd = self.fd, -1
            try:
                os.close(fd)
            except OSError:
                pass

    def fileno(self) -> Optional[int]:
        return self.fd if self.fd >= 0 else None


def fd_readable(fd: int) -> bool:
    """True when a read on *fd* would not block (data, EOF or error pending)."""
    p = select.poll()
    p.register(fd, select.POLLIN)
    try:
        return bool(p.poll(0))
    except OSError:
        return True


class FileRaw:
    """Raw stream over a Python binary file object (BytesIO, BufferedReader...)."""

    __slots__ = ("f", "closefd")

    def __init__(self, f: Any, closefd: bool = True) -> None:
        self.f = f
        self.closefd = closefd

    def readinto(self, buf: memoryview) -> int:
        f = self.f
        try:
            r = f.readinto1(buf) if hasattr(f, "readinto1") else f.readinto(buf)
        except OSError as e:
            _os_error("read", e)
        return r or 0

    def write(self, data: Bytes) -> int:
        try:
            n = self.f.write(data)
            self.f.flush()
        except OSError as e:
            _os_error("write", e)
        return len(data) if n is None else n

    def ready(self) -> bool:
        return True

    def close(self) -> None:
        if self.closefd:
            self.f.close()

    def fileno(self) -> Optional[int]:
        try:
            return int(self.f.fileno())
        except (OSError, AttributeError, ValueError):
            return None


class ConsoleRaw:
    """sys.stdin / sys.stdout / sys.stderr, looked up at each call (so redirection
    by an embedding program or a test harness is honoured). Reading flushes the
    console output ports first."""

    __slots__ = ("stream",)

    def __init__(self, stream: str) -> None:
        self.stream = stream

    def _file(self) -> Any:
        return getattr(sys, self.stream)

    def readinto(self, buf: memoryview) -> int:
        flush_console()
        f = self._file()
        fd = self.fileno()
        try:
            if fd is not None:
                if FD_WAITER is not None and not fd_readable(fd):
                    FD_WAITER(fd, False)
                return os.readv(fd, [buf])
            b = getattr(f, "buffer", None)
            if b is not None:
                return b.readinto1(buf) or 0
            data = f.read(len(buf) // 4 or 1).encode("utf-8", "polysock")
            buf[:len(data)] = data   # a text stream: a short read keeps within buf
            return len(data)
        except OSError as e:
            _os_error("read", e)

    def write(self, data: Bytes) -> int:
        f = self._file()
        try:
            b = getattr(f, "buffer", None)
            if b is not None:
                f.flush()
                b.write(data)
                b.flush()
            else:
                f.write(bytes(data).decode("utf-8", "surrogateescape"))
                f.flush()
        except OSError as e:
            _os_error("write", e)
        return len(data)

    def ready(self) -> bool:
        fd = self.fileno()
        return True if fd is None else fd_readable(fd)

    def close(self) -> None:
        pass

    def fileno(self) -> Optional[int]:
        try:
            return int(self._file().fileno())
        except (OSError, AttributeError, ValueError, TypeError):
            return None


# ===================================================================== ports

class Port:
    """Base of every port. ``input``/``output``/``textual``/``binary`` say what the
    port can do; they stay set after close (``closed`` says that)."""

    __slots__ = ("name", "input", "output", "textual", "binary", "closed", "__weakref__")

    def __init__(self, name: str, input: bool, output: bool, textual: bool, binary: bool) -> None:
        self.name = name
        self.input = input
        self.output = output
        self.textual = textual
        self.binary = binary
        self.closed = False

    def close(self) -> None:
        self.closed = True

    def close_input(self) -> None:
        if self.input:
            self.close()

    def close_output(self) -> None:
        if self.output:
            self.close()

    def input_open(self) -> bool:
        return self.input and not self.closed

    def output_open(self) -> bool:
        return self.output and not self.closed

    def flush(self) -> None:
        pass

    def fileno(self) -> Optional[int]:
        return None

    def pending_input(self) -> int:
        """Units readable without asking the raw stream (a pending EOF counts as 1), so
        a select over ports can answer at once for buffered data."""
        return 0

    def ready(self) -> bool:
        """Input is buffered (no system call): what net.select asks of a port."""
        return self.pending_input() > 0

    def _closed_error(self, who: str) -> NoReturn:
        raise SchemeError(make_condition("port-closed", who, "port is closed", self, port=self))

    def kind_name(self) -> str:
        d = "input/output" if self.input and self.output else "input" if self.input else "output"
        t = "textual" if self.textual else "binary"
        return f"{t}-{d}-port"

    def __repr__(self) -> str:
        n = f" {self.name}" if self.name else ""
        c = " (closed)" if self.closed else ""
        return f"#<{self.kind_name()}{n}{c}>"


class BinaryInputPort(Port):
    """Buffered binary input over a raw stream."""

    __slots__ = ("raw", "_buf", "_mv", "_pos", "_end", "_mode", "_eof", "owns", "_size")

    def __init__(self, raw: Any, buffering: Union[str, int] = "block",
                 buffer_size: int = DEFAULT_BUFFER_SIZE, name: str = "", owns: bool = True) -> None:
        super().__init__(name, True, False, False, True)
        self.raw = raw
        self._mode = _mode(buffering)
        # The buffer is made by the first fill, FIRST_FILL bytes, and grows to its size
        # while fills keep filling it: a port closed unread or after a short exchange (a
        # short connection) never pays for 64 KiB of fresh memory.
        self._size = max(buffer_size, 16)
        self._buf = bytearray()
        self._mv = memoryview(self._buf)
        self._pos = self._end = 0
        self._eof = False
        self.owns = owns

    @classmethod
    def from_bytes(cls, data: Bytes, name: str = "bytevector") -> "BinaryInputPort":
        """A port reading *data* (copied): the whole of it is the buffer."""
        p = cls(BytesRaw(b""), "block", 16, name)
        p._mv.release()
        p._buf = bytearray(data)
        if len(p._buf) < 16:
            p._buf.extend(bytes(16 - len(p._buf)))
        p._mv = memoryview(p._buf)
        p._end = len(data)
        return p

    # ---- buffer management
    def _fill(self, want: int = 1) -> int:
        """Read more bytes after the window; return the count (0 at EOF)."""
        if self.closed:
            self._closed_error("read")
        pos, end = self._pos, self._end
        cap = len(self._buf)
        if not cap:
            self._grow(min(self._size, FIRST_FILL))
            cap = len(self._buf)
        elif pos == end == cap and cap < self._size:
            # the last fill filled the buffer and all of it was taken: reads are large
            self._grow(min(cap * 4, self._size) - cap)
            cap = len(self._buf)
        if pos == end:
            pos = end = 0
        elif end == cap:
            if pos:
                self._buf[:end - pos] = self._buf[pos:end]
                end -= pos
                pos = 0
            if end == cap:
                self._grow(cap)
                cap = len(self._buf)
        room = cap - end
        n = room if self._mode != NONE and want < ALIGN_WANT else min(max(want, 1), room)
        self._pos, self._end = pos, end
        got = self.raw.readinto(self._mv[end:end + n])
        self._end = end + got
        return got

    def _grow(self, extra: int) -> None:
        self._mv.release()
        self._buf.extend(bytes(extra))
        self._mv = memoryview(self._buf)

    def buffered(self) -> int:
        """Bytes readable without touching the raw stream."""
        return self._end - self._pos

    def pending_input(self) -> int:
        return self._end - self._pos or int(self._eof)

    def take_buffered(self) -> bytes:
        """Remove and return the buffered bytes (Guile drain-input)."""
        p, e = self._pos, self._end
        self._pos = self._end = 0
        return bytes(self._buf[p:e])

    def unread(self, data: Bytes) -> None:
        """Push *data* back so it is read next."""
        n = len(data)
        if not n:
            return
        if n <= self._pos:
            self._buf[self._pos - n:self._pos] = data
            self._pos -= n
            return
        rest = bytes(data) + bytes(self._buf[self._pos:self._end])
        if len(rest) > len(self._buf):
            self._grow(len(rest) - len(self._buf))
        self._buf[:len(rest)] = rest
        self._pos, self._end = 0, len(rest)

    # ---- reads
    def read_u8(self) -> Any:
        pos = self._pos
        if pos < self._end:
            self._pos = pos + 1
            return self._buf[pos]
        return self._byte_slow(True)

    def peek_u8(self) -> Any:
        pos = self._pos
        if pos < self._end:
            return self._buf[pos]
        return self._byte_slow(False)

    def _byte_slow(self, consume: bool) -> Any:
        if self._eof:
            self._eof = not consume
            return EOF
        if self._fill(1) == 0:
            self._eof = not consume
            return EOF
        b = self._buf[self._pos]
        if consume:
            self._pos += 1
        return b

    def read_bytes(self, k: int) -> Any:
        """Up to *k* bytes (fewer only at EOF) as a bytearray, or EOF (read-bytevector)."""
        pos, end = self._pos, self._end
        if end - pos >= k:
            self._pos = pos + k
            return bytearray(self._mv[pos:pos + k])
        out = bytearray(k)
        n = self.readinto(out, 0, k)
        if n is EOF:
            return EOF
        del out[n:]
        return out

    def readinto(self, target: bytearray, start: int = 0, stop: Optional[int] = None) -> Any:
        """Fill target[start:stop] (fewer only at EOF); the count, or EOF if none."""
        stop = len(target) if stop is None else stop
        k = stop - start
        if k <= 0:
            return 0
        if self._eof and self._pos == self._end:
            self._eof = False
            return EOF
        self._eof = False
        mv = memoryview(target)
        try:
            off = 0
            while off < k:
                avail = self._end - self._pos
                if avail:
                    t = min(avail, k - off)
                    mv[start + off:start + off + t] = self._mv[self._pos:self._pos + t]
                    self._pos += t
                    off += t
                    continue
                if self.closed:
                    self._closed_error("read")
                if k - off >= len(self._buf):
                    n = self.raw.readinto(mv[start + off:stop])
                    off += n
                elif self._mode == NONE:
                    n = self.raw.readinto(mv[start + off:stop])
                    off += n
                else:
                    n = self._fill(k - off)
                if n == 0:
                    break
        finally:
            mv.release()
        return off if off else EOF

    def read_some(self, k: int = DEFAULT_BUFFER_SIZE) -> Any:
        """What one raw read gives (at most *k* bytes), buffered data first; EOF at end."""
        if self._pos == self._end:
            if self._eof:
                self._eof = False
                return EOF
            if self._fill(k) == 0:
                return EOF
        pos = self._pos
        t = min(self._end - pos, k)
        self._pos = pos + t
        return bytearray(self._mv[pos:pos + t])

    def u8_ready(self) -> bool:
        if self._pos < self._end or self._eof:
            return True
        if self.closed:
            self._closed_error("u8-ready?")
        return bool(self.raw.ready())

    # ---- control
    def setvbuf(self, buffering: Union[str, int], size: Optional[int] = None) -> None:
        """Change buffering mode and size; buffered data is kept."""
        self._mode = _mode(buffering)
        if size is not None:
            data = self.take_buffered()
            self._mv.release()
            self._size = max(size, 16)
            self._buf = bytearray(max(size, 16, len(data)))
            self._mv = memoryview(self._buf)
            self.unread(data)

    def buffering(self) -> str:
        return MODE_NAMES[self._mode]

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._pos = self._end = 0
            self._eof = False
            if self.owns:
                self.raw.close()

    def fileno(self) -> Optional[int]:
        f = getattr(self.raw, "fileno", None)
        return f() if f is not None else None


class BinaryOutputPort(Port):
    """Buffered binary output over a raw stream."""

    __slots__ = ("raw", "_buf", "_size", "_mode", "owns")

    def __init__(self, raw: Any, buffering: Union[str, int] = "block",
                 buffer_size: int = DEFAULT_BUFFER_SIZE, name: str = "", owns: bool = True) -> None:
        super().__init__(name, False, True, False, True)
        self.raw = raw
        self._mode = _mode(buffering)
        self._size = max(buffer_size, 1)
        self._buf = bytearray()
        self.owns = owns
        if self._mode != NONE:
            _OPEN_OUTPUTS[id(self)] = _wref(self)

    def write(self, data: Bytes) -> None:
        """Write all of *data* (buffered per the mode)."""
        if self.closed:
            self._closed_error("write")
        buf = self._buf
        mode = self._mode
        if mode == NONE or len(data) >= self._size:
            if buf:
                self.flush()
            self._write_all(data)
            return
        buf += data
        if len(buf) >= self._size or (mode == LINE and 10 in data):
            self.flush()

    def write_u8(self, b: int) -> None:
        if self.closed:
            self._closed_error("write-u8")
        buf = self._buf
        buf.append(b)
        m = self._mode
        if m == NONE or len(buf) >= self._size or (m == LINE and b == 10):
            self.flush()

    def _write_all(self, data: Bytes) -> None:
        raw = self.raw
        n = len(data)
        if not n:
            return
        off = raw.write(data)      # one write usually takes it all: no view needed
        if off == n:
            return
        if not off:
            throw("i/o", "write", "output stream accepts no data", self, port=self)
        mv = memoryview(data)
        try:
            while off < n:
                w = raw.write(mv[off:])
                if not w:
                    throw("i/o", "write", "output stream accepts no data", self, port=self)
                off += w
        finally:
            mv.release()

    def buffered(self) -> int:
        return len(self._buf)

    def flush(self) -> None:
        buf = self._buf
        if buf:
            self._buf = bytearray()   # on error the data is dropped, never rewritten
            self._write_all(buf)

    def setvbuf(self, buffering: Union[str, int], size: Optional[int] = None) -> None:
        self.flush()
        self._mode = _mode(buffering)
        if size is not None:
            self._size = max(size, 1)
        if self._mode != NONE:
            _OPEN_OUTPUTS[id(self)] = _wref(self)

    def buffering(self) -> str:
        return MODE_NAMES[self._mode]

    def close(self) -> None:
        if not self.closed:
            try:
                self.flush()
            finally:
                self.closed = True
                _OPEN_OUTPUTS.pop(id(self), None)
                if self.owns:
                    self.raw.close()

    def fileno(self) -> Optional[int]:
        f = getattr(self.raw, "fileno", None)
        return f() if f is not None else None


class BytevectorOutputPort(BinaryOutputPort):
    """open-output-bytevector: the buffer is the contents."""

    __slots__ = ()

    def __init__(self, name: str = "bytevector") -> None:
        super().__init__(None, NONE, 1, name, owns=False)

    def write(self, data: Bytes) -> None:
        if self.closed:
            self._closed_error("write")
        self._buf += data

    def write_u8(self, b: int) -> None:
        if self.closed:
            self._closed_error("write-u8")
        self._buf.append(b)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytearray:
        return bytearray(self._buf)

    def reset(self) -> None:
        self._buf = bytearray()


_EOL_RE = re.compile(r"[\r\n]")
_DELIM_RES: Dict[str, "re.Pattern[str]"] = {}


def _delim_re(delims: str) -> "re.Pattern[str]":
    r = _DELIM_RES.get(delims)
    if r is None:
        if len(_DELIM_RES) > 256:
            _DELIM_RES.clear()
        r = _DELIM_RES[delims] = re.compile("[" + re.escape(delims) + "]")
    return r


class _Latin1Decoder:
    """Latin-1 decoding for every port that reads it: it keeps no state between buffers
    (every byte is one character), and its decode is the C ``str(data, "latin-1")``
    where codecs' IncrementalDecoder.decode is a Python method per buffer. Its end of
    input (``decode(b"", True)``) is never asked: nothing can be pending."""

    __slots__ = ()
    decode = staticmethod(functools.partial(str, encoding="latin-1"))

    def getstate(self) -> Tuple[bytes, int]:
        return (b"", 0)

    def reset(self) -> None:
        pass


_LATIN1 = _Latin1Decoder()


class _Utf8Decoder:
    """UTF-8 for every port that reads it, without decoder state: a port's ``_fill``
    calls the C ``codecs.utf_8_decode`` on its binary buffer and leaves the bytes of an
    unfinished character there, where codecs' incremental decoder is a Python method per
    buffer that also copies the buffer to join it to its pending bytes. ``decode`` and
    ``getstate`` are for the other users of a decoder: nothing is ever pending."""

    __slots__ = ()

    @staticmethod
    def decode(data: Bytes, final: bool = False) -> str:
        return codecs.utf_8_decode(data, "surrogateescape", True)[0]

    def getstate(self) -> Tuple[bytes, int]:
        return (b"", 0)

    def reset(self) -> None:
        pass


_UTF8 = _Utf8Decoder()
_utf8_decode = codecs.utf_8_decode

#: From this many bytes a Latin-1 window is first decoded as UTF-8 (see _latin1_large).
LATIN1_LARGE = 16384


def _latin1_large(data: Bytes) -> str:
    """The Latin-1 text of a large buffer. When the bytes are ASCII, which str.isascii()
    tells without a scan, the UTF-8 decoder's single pass gives the same text faster
    than Latin-1's two (a max-char scan, then a copy): 5.8 against 9 µs for 64 KiB."""
    try:
        t = _utf8_decode(data, "strict", True)[0]
        if t.isascii():
            return t  # type: ignore[no-any-return]
    except UnicodeDecodeError:
        pass
    return str(data, "latin-1")
# Every port reading UTF-8 or a stateless encoding shares one decoder; the others get
# their own, of a cached class.
_SHARED_DECODERS: Dict[str, Any] = {"latin-1": _LATIN1, "utf-8": _UTF8}
_DECODER_CLASSES: Dict[str, Any] = {}


def _decoder(encoding: str) -> Any:
    """An incremental decoder for a port reading *encoding* (a normalized name)."""
    d = _SHARED_DECODERS.get(encoding)
    if d is not None:
        return d
    cls = _DECODER_CLASSES.get(encoding)
    if cls is None:
        cls = _DECODER_CLASSES[encoding] = codecs.getincrementaldecoder(encoding)
    return cls("surrogateescape")


class TextualInputPort(Port):
    """Decoded text over a BinaryInputPort (``bin`` is None for string ports)."""

    __slots__ = ("bin", "encoding", "_dec", "_text", "_ti", "_tlen", "_cr", "_eof", "_skip_lf",
                 "eol_in", "_lines", "_col0", "_lc")

    def __init__(self, bin: Optional[BinaryInputPort], encoding: str = DEFAULT_ENCODING,
                 name: str = "", eol_in: bool = False) -> None:
        super().__init__(name or (bin.name if bin is not None else ""), True, False, True, False)
        self.bin = bin
        self.encoding = _norm_encoding(encoding)
        self._dec = _decoder(self.encoding)
        self._set_text("")
        self._eof = False
        self._skip_lf = 0     # 1: drop a leading "\n" (read-line), 2: same (eol_in)
        self.eol_in = eol_in
        self._lines = 0          # newlines in text already discarded
        self._col0 = 0           # column at the start of _text
        self._lc = (0, 0, 0)     # cache for location(): (index, newlines before it, col)

    def set_encoding(self, encoding: str) -> None:
        """Switch encoding; undecoded bytes are re-read with the new one."""
        self._sync()
        self.encoding = _norm_encoding(encoding)
        self._dec = _decoder(self.encoding)

    # ---- filling
    def _set_text(self, text: str) -> None:
        """Make *text* the decoded window. ``_cr`` tells read-line whether it holds a CR:
        None until read-line asks (a bulk read never scans the window for one)."""
        self._text, self._ti, self._tlen, self._cr = text, 0, len(text), None

    def _account(self) -> None:
        """Fold the consumed part of _text into the line/column base."""
        text, ti = self._text, self._ti
        if ti:
            j = text.rfind("\n", 0, ti)   # memrchr: 1 µs a 64 KiB window, where count takes 25
            if j < 0:
                self._col0 += ti
            else:
                self._lines += text.count("\n", 0, j + 1)
                self._col0 = ti - j - 1
        self._lc = (0, 0, self._col0)

    def _fill(self, want: int = 1) -> bool:
        """Replace the exhausted window with newly decoded text; False at EOF."""
        b = self.bin
        if self.closed or b is None:
            if self.closed:
                self._closed_error("read")
            return False
        self._account()
        while True:
            if b._pos == b._end:
                if b._eof:
                    b._eof = False
                    got = 0
                else:
                    got = b._fill(want)
                if got == 0:
                    dec = self._dec
                    text = "" if dec is _LATIN1 or dec is _UTF8 else dec.decode(b"", True)
                    if not text:
                        self._set_text("")
                        return False
                    dec.reset()
                else:
                    continue
            elif self._dec is _UTF8:   # an unfinished character stays in the buffer
                text, used = _utf8_decode(b._mv[b._pos:b._end], "surrogateescape", False)
                if used:
                    b._pos += used
                else:
                    got = 0 if b._eof else b._fill(want)
                    if got:
                        continue
                    b._eof = False      # end of input inside a character: escape its bytes
                    text = _utf8_decode(b._mv[b._pos:b._end], "surrogateescape", True)[0]
                    b._pos = b._end
            elif self._dec is _LATIN1 and b._end - b._pos >= LATIN1_LARGE:
                text = _latin1_large(b._mv[b._pos:b._end])
                b._pos = b._end
            else:
                text = self._dec.decode(b._mv[b._pos:b._end])
                b._pos = b._end
            if self._skip_lf and text:
                if self._skip_lf == 1:
                    # read-line ended a line at a chunk-final "\r": count it once
                    self._lines += 1
                    self._col0 = 0
                    self._lc = (0, 0, 0)
                self._skip_lf = 0
                if text[0] == "\n":
                    text = text[1:]
            if self.eol_in and "\r" in text:
                text = text.replace("\r\n", "\n")
                if text[-1] == "\r":
                    self._skip_lf = 2   # already counted as the "\n" it becomes
                text = text.replace("\r", "\n")
            if text:               # _set_text, without the call: every fill comes here
                self._text, self._ti, self._tlen, self._cr = text, 0, len(text), None
                return True

    def _sync(self) -> None:
        """Give undecoded text and pending decoder bytes back to the binary port."""
        b = self.bin
        if b is None:
            return
        pending = self._dec.getstate()[0]
        rest = self._text[self._ti:]
        self._account()
        self._set_text("")
        self._dec.reset()
        self._skip_lf = 0
        data = rest.encode(self.encoding, "polysock") + pending
        if data:
            b.unread(data)

    # ---- reads
    def read_char(self) -> Any:
        ti = self._ti
        if ti < self._tlen:
            self._ti = ti + 1
            return self._text[ti]
        return self._char_slow(True)

    def peek_char(self) -> Any:
        ti = self._ti
        if ti < self._tlen:
            return self._text[ti]
        return self._char_slow(False)

    def _char_slow(self, consume: bool) -> Any:
        if self._eof:
            self._eof = not consume
            return EOF
        if not self._fill(1):
            self._eof = not consume
            return EOF
        c = self._text[0]
        if consume:
            self._ti = 1
        return c

    def unread_char(self, c: str) -> None:
        """Push *c* back so it is read next."""
        ti = self._ti
        if ti and self._text[ti - 1] == c:
            self._ti = ti - 1
        else:
            self._account()
            self._set_text(c + self._text[ti:])
            self._col0 = max(self._col0 - 1, 0)
            self._lc = (0, 0, self._col0)

    def read_line(self) -> Any:
        """A line without its end ("\\n", "\\r\\n" or "\\r"); EOF if none is left."""
        text = self._text
        ti = self._ti
        i = text.find("\n", ti)
        if i >= 0:
            cr = self._cr
            if cr is None:
                cr = self._cr = "\r" in text
            if not cr:
                self._ti = i + 1
                return text[ti:i]
        return self._read_line_slow()

    def _read_line_slow(self) -> Any:
        if self._eof and self._ti == self._tlen:
            self._eof = False
            return EOF
        parts: List[str] = []
        search = _EOL_RE.search
        while True:
            text, ti = self._text, self._ti
            m = search(text, ti)
            if m is not None:
                i = m.start()
                if parts:
                    parts.append(text[ti:i])
                    line = "".join(parts)
                else:
                    line = text[ti:i]
                self._ti = i + 1
                if text[i] == "\r":
                    if i + 1 < self._tlen:
                        if text[i + 1] == "\n":
                            self._ti = i + 2
                    else:
                        self._skip_lf = 1
                return line
            if ti < self._tlen:
                parts.append(text[ti:])
                self._ti = self._tlen
            if not self._fill(1):      # unbuffered: never read past the line
                return "".join(parts) if parts else EOF

    def read_until(self, delims: str) -> Tuple[Any, Any]:
        """Read up to a char in *delims*: (text or EOF if nothing read, the delimiter
        consumed or EOF)."""
        if self._eof and self._ti == self._tlen:
            self._eof = False
            return EOF, EOF
        parts: List[str] = []
        search = _delim_re(delims).search
        while True:
            text, ti = self._text, self._ti
            m = search(text, ti)
            if m is not None:
                i = m.start()
                parts.append(text[ti:i])
                self._ti = i + 1
                return "".join(parts), text[i]
            if ti < self._tlen:
                parts.append(text[ti:])
                self._ti = self._tlen
            if not self._fill(1):      # unbuffered: never read past the line
                return ("".join(parts) if parts else EOF), EOF

    def read_string(self, k: int) -> Any:
        """Up to *k* chars (fewer only at EOF), or EOF if none."""
        ti = self._ti
        if self._tlen - ti >= k:
            self._ti = ti + k
            return self._text[ti:ti + k]
        if self._eof and ti == self._tlen:
            self._eof = False
            return EOF
        parts: List[str] = []
        have = 0
        while True:
            ti = self._ti
            t = min(self._tlen - ti, k - have)
            if t:
                parts.append(self._text[ti:ti + t])
                self._ti = ti + t
                have += t
            if have >= k or not self._fill(k - have):
                break
        return "".join(parts) if have else EOF

    def read_available(self, k: int = DEFAULT_BUFFER_SIZE) -> Any:
        """At most *k* chars from what one read gives (buffered first), EOF at end."""
        if self._ti == self._tlen:
            if self._eof:
                self._eof = False
                return EOF
            if not self._fill(k):
                return EOF
        ti = self._ti
        t = min(self._tlen - ti, k)
        self._ti = ti + t
        return self._text[ti:ti + t]

    def take_buffered(self) -> str:
        """Remove and return the decoded-but-unread text (Guile drain-input)."""
        s = self._text[self._ti:]
        self._ti = self._tlen
        b = self.bin
        if b is not None and b._pos < b._end:
            if self._dec is _UTF8:   # an unfinished character stays for the next read
                text, used = _utf8_decode(b._mv[b._pos:b._end], "surrogateescape", False)
                b._pos += used
                return s + text
            s += self._dec.decode(b.take_buffered())
        return s

    def pending_input(self) -> int:
        n = self._tlen - self._ti
        if n or self._eof:
            return n or 1
        b = self.bin
        if b is None:
            return 0 if self.closed else 1     # a string port at its end: EOF is ready
        if b._pos < b._end and self._char_start_only(b):
            return int(b._eof)
        return b.pending_input()

    def char_ready(self) -> bool:
        if self._ti < self._tlen or self._eof:
            return True
        b = self.bin
        if b is None:
            if self.closed:
                self._closed_error("char-ready?")
            return True
        if b._pos < b._end and self._char_start_only(b):
            if self.closed:
                self._closed_error("char-ready?")
            return b._eof or bool(b.raw.ready())
        return b.u8_ready()

    def _char_start_only(self, b: BinaryInputPort) -> bool:
        """The binary buffer holds only the first bytes of a UTF-8 character (what the
        decoder state of codecs would hold): no character can be read from it yet."""
        return self._dec is _UTF8 and not _utf8_decode(b._mv[b._pos:b._end], "surrogateescape", False)[1]

    def location(self) -> Tuple[int, int]:
        """(line, column) of the next char, both counted from 1."""
        text, ti = self._text, self._ti
        i0, n0, c0 = self._lc
        if ti < i0:
            i0, n0, c0 = 0, 0, self._col0
        n = text.count("\n", i0, ti)
        if n:
            c0 = ti - text.rfind("\n", i0, ti) - 1
        else:
            c0 += ti - i0
        self._lc = (ti, n0 + n, c0)
        if self._skip_lf == 1 and ti == self._tlen:
            return self._lines + n0 + n + 2, 1
        return self._lines + n0 + n + 1, c0 + 1

    # ---- binary access on a textual port (dialects whose ports are both)
    def read_u8(self) -> Any:
        self._sync()
        return self._binary("read-u8").read_u8()

    def peek_u8(self) -> Any:
        self._sync()
        return self._binary("peek-u8").peek_u8()

    def read_bytes(self, k: int) -> Any:
        self._sync()
        return self._binary("read-bytevector").read_bytes(k)

    def readinto(self, target: bytearray, start: int = 0, stop: Optional[int] = None) -> Any:
        self._sync()
        return self._binary("read-bytevector!").readinto(target, start, stop)

    def read_some(self, k: int = DEFAULT_BUFFER_SIZE) -> Any:
        self._sync()
        return self._binary("read-bytevector").read_some(k)

    def u8_ready(self) -> bool:
        return self.char_ready()

    def _binary(self, who: str) -> BinaryInputPort:
        b = self.bin
        if b is None:
            wrong_type(who, 1, "binary input port", self)
            raise AssertionError("unreachable")
        return b

    def setvbuf(self, buffering: Union[str, int], size: Optional[int] = None) -> None:
        if self.bin is not None:
            self.bin.setvbuf(buffering, size)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._set_text("")
            self._eof = False
            if self.bin is not None:
                self.bin.close()

    def fileno(self) -> Optional[int]:
        return self.bin.fileno() if self.bin is not None else None


class StringInputPort(TextualInputPort):
    """open-input-string: the whole string is the decoded window."""

    __slots__ = ()

    def __init__(self, s: str, name: str = "string") -> None:
        super().__init__(None, DEFAULT_ENCODING, name)
        self._set_text(s)


class TextualOutputPort(Port):
    """Text onto a BinaryOutputPort. Writes collect as str pieces (``_pend``, ``_n``
    chars) that are encoded together once the binary buffer's size is reached, at a
    newline in line mode, at once in "none" mode, and before flush, close or a binary
    write. Change buffering through this port's ``setvbuf``, not its ``bin``'s."""

    __slots__ = ("bin", "encoding", "newline_out", "_last", "_pend", "_n", "_limit", "_line",
                 "_reuse")

    def __init__(self, bin: BinaryOutputPort, encoding: str = DEFAULT_ENCODING, name: str = "",
                 newline_out: Optional[str] = None) -> None:
        super().__init__(name or bin.name, False, True, True, False)
        self.bin = bin
        self.encoding = _norm_encoding(encoding)
        self.newline_out = None if newline_out == "\n" else newline_out
        self._last = "\n"
        self._reuse: Optional[Tuple[str, str, Optional[str], bytes]] = None
        self._pend: List[str] = []
        self._n = 0
        self._mode_changed()

    def _mode_changed(self) -> None:
        m = self.bin._mode
        self._limit = 0 if m == NONE else self.bin._size
        self._line = m == LINE
        if m != NONE:
            _OPEN_OUTPUTS[id(self)] = _wref(self)

    def write_str(self, s: str) -> None:
        if self.closed:
            self._closed_error("write-string")
        if not self._limit:          # unbuffered ("none"): nothing is ever pending
            if s:
                self._emit(s)
            return
        self._pend.append(s)
        n = self._n + len(s)
        if n < self._limit and not (self._line and "\n" in s):
            self._n = n
            return
        self._drain()

    write_char = write_str

    def _drain(self) -> None:
        """Encode the pending text into the binary port."""
        p = self._pend
        s = p[0] if len(p) == 1 else "".join(p)
        self._pend = []
        self._n = 0
        if s:
            self._emit(s)

    def _emit(self, s: str) -> None:
        """Encode non-empty *s* into the binary port (which applies its own mode)."""
        self._last = s[-1]
        if len(s) >= ENCODE_REUSE_MIN:
            self.bin.write(self._encode_large(s))
            return
        if self.newline_out is not None and "\n" in s:   # replace() scans with a
            s = s.replace("\n", self.newline_out)          # byte loop: 39 µs a 64 KiB
        self.bin.write(s.encode(self.encoding, "polysock"))

    def _encode_large(self, s: str) -> bytes:
        """The bytes of a large write, reused when the same str is written again with
        the same encoding and newline translation (see ENCODE_REUSE_MIN)."""
        r = self._reuse
        nl = self.newline_out
        if r is not None and r[0] is s and r[1] == self.encoding and r[2] == nl:
            return r[3]
        t = s.replace("\n", nl) if nl is not None and "\n" in s else s
        data = t.encode(self.encoding, "polysock")
        self._reuse = (s, self.encoding, nl, data) if len(s) <= ENCODE_REUSE_MAX else None
        return data

    def buffered(self) -> int:
        """Chars and bytes not yet handed to the raw stream."""
        return self._n + self.bin.buffered()

    def at_line_start(self) -> bool:
        """True after a newline or before any output (MIT fresh-line)."""
        if self._pend:
            self._drain()
        return self._last == "\n"

    def set_encoding(self, encoding: str) -> None:
        if self._pend:
            self._drain()
        self.encoding = _norm_encoding(encoding)

    # binary access on a textual port
    def write(self, data: Bytes) -> None:
        if self._pend:
            self._drain()
        self.bin.write(data)

    def write_u8(self, b: int) -> None:
        if self._pend:
            self._drain()
        self.bin.write_u8(b)

    def flush(self) -> None:
        if self._pend:
            self._drain()
        self.bin.flush()

    def setvbuf(self, buffering: Union[str, int], size: Optional[int] = None) -> None:
        if self._pend:
            self._drain()
        self.bin.setvbuf(buffering, size)
        self._mode_changed()

    def close(self) -> None:
        if not self.closed:
            try:
                if self._pend:
                    self._drain()
            finally:
                self.closed = True
                self._reuse = None
                _OPEN_OUTPUTS.pop(id(self), None)
                self.bin.close()

    def fileno(self) -> Optional[int]:
        return self.bin.fileno()


class StringOutputPort(Port):
    """open-output-string: a list of str pieces."""

    __slots__ = ("_parts", "_last")

    def __init__(self, name: str = "string") -> None:
        super().__init__(name, False, True, True, False)
        self._parts: List[str] = []
        self._last = "\n"

    def write_str(self, s: str) -> None:
        if self.closed:
            self._closed_error("write-string")
        if s:
            self._parts.append(s)

    write_char = write_str

    def at_line_start(self) -> bool:
        p = self._parts
        return not p or p[-1][-1] == "\n"

    def getvalue(self) -> str:
        p = self._parts
        if len(p) > 1:
            p[:] = ["".join(p)]
        return p[0] if p else ""

    def reset(self) -> None:
        self._parts = []


# The methods of an input / output port that a port made of halves forwards.
INPUT_METHODS = ("pending_input", "read_char", "peek_char", "unread_char", "read_line", "read_until",
                 "read_string", "read_available", "char_ready", "location", "read_u8",
                 "peek_u8", "read_bytes", "readinto", "read_some", "u8_ready",
                 "take_buffered", "unread", "set_encoding")
OUTPUT_METHODS = ("write_str", "write_char", "write", "write_u8", "flush", "at_line_start")


class _Method:
    """A half's method looked up on a BidirectionalPort the first time: gets (or
    builds) that half, binds the method on the instance, whose dict then shadows this."""

    __slots__ = ("name", "side")

    def __init__(self, name: str, side: str) -> None:
        self.name, self.side = name, side

    def __get__(self, obj: Any, cls: Any = None) -> Any:
        if obj is None:
            return self
        d = obj.__dict__
        half = d.get(self.side)
        if half is None:
            half = obj._half(self.side)
        f = d[self.name] = getattr(half, self.name)
        return f


class _Side:
    """``in_port``/``out_port`` of a deferred BidirectionalPort: built on first use."""

    __slots__ = ("side",)

    def __init__(self, side: str) -> None:
        self.side = side

    def __get__(self, obj: Any, cls: Any = None) -> Any:
        return self if obj is None else obj._half(self.side)


class BidirectionalPort(Port):
    """An input half and an output half used as one port (sockets). The halves'
    methods are bound on the instance on first use (``_Method``); a deferred port
    (``deferred``) builds each half on first use too (module docstring)."""

    def __init__(self, in_port: Port, out_port: Port, name: str = "") -> None:
        super().__init__(name or in_port.name, True, True,
                         in_port.textual and out_port.textual, in_port.binary and out_port.binary)
        d = self.__dict__
        d["in_port"] = in_port
        d["out_port"] = out_port

    def defer(self, halves: Any, name: str, textual: bool, binary: bool) -> None:
        """Initialise *self* without its halves. *halves* makes them:
        ``build(output: bool) -> Port`` on first use, ``close_unbuilt(output)`` for
        closing a half never made (what closing it would have done), ``closed(output)``
        and ``fileno()``; a half built after its side was closed must come out closed."""
        Port.__init__(self, name, True, True, textual, binary)
        self.__dict__["_halves"] = halves

    @classmethod
    def deferred(cls, halves: Any, name: str, textual: bool, binary: bool) -> "BidirectionalPort":
        """A port whose halves *halves* builds on first use (see ``defer``)."""
        self = cls.__new__(cls)
        self.defer(halves, name, textual, binary)
        return self

    def _half(self, side: str) -> Port:
        d = self.__dict__
        h = d.get(side)
        if h is None:
            maker = d.get("_halves")
            if maker is None:
                raise AttributeError(side)
            h = d[side] = maker.build(side == "out_port")
        return h

    def built(self, side: str) -> bool:
        """True once the half *side* ("in_port"/"out_port") exists."""
        return side in self.__dict__

    def _close_half(self, side: str) -> None:
        h = self.__dict__.get(side)
        if h is not None:
            h.close()
        else:
            self.__dict__["_halves"].close_unbuilt(side == "out_port")

    def _half_open(self, side: str) -> bool:
        d = self.__dict__
        h = d.get(side)
        if h is None:
            return not d["_halves"].closed(side == "out_port")
        return not h.closed

    def close(self) -> None:
        if self.closed:
            return
        try:
            self._close_half("out_port")
        finally:
            self._close_half("in_port")
            self.closed = True

    def close_input(self) -> None:
        self._close_half("in_port")
        self.closed = not self.output_open()

    def close_output(self) -> None:
        self._close_half("out_port")
        self.closed = not self.input_open()

    def input_open(self) -> bool:
        return self._half_open("in_port")

    def output_open(self) -> bool:
        return self._half_open("out_port")

    def setvbuf(self, buffering: Union[str, int], size: Optional[int] = None) -> None:
        for p in (self.in_port, self.out_port):
            getattr(p, "setvbuf")(buffering, size)

    def fileno(self) -> Optional[int]:
        d = self.__dict__
        if "_halves" in d and "in_port" not in d and "out_port" not in d:
            return d["_halves"].fileno()
        f = self.in_port.fileno()
        return f if f is not None else self.out_port.fileno()


for _m in INPUT_METHODS:
    setattr(BidirectionalPort, _m, _Method(_m, "in_port"))
for _m in OUTPUT_METHODS:
    setattr(BidirectionalPort, _m, _Method(_m, "out_port"))
BidirectionalPort.in_port = _Side("in_port")      # type: ignore[attr-defined]
BidirectionalPort.out_port = _Side("out_port")    # type: ignore[attr-defined]


# ===================================================================== constructors

def open_input(raw: Any, *, textual: bool = True, encoding: str = DEFAULT_ENCODING,
               buffering: Union[str, int] = "block", buffer_size: int = DEFAULT_BUFFER_SIZE,
               name: str = "", eol_in: bool = False, owns: bool = True) -> Port:
    """An input port over *raw*: binary, or textual over a binary one."""
    b = BinaryInputPort(raw, buffering, buffer_size, name, owns)
    return TextualInputPort(b, encoding, name, eol_in) if textual else b


def open_output(raw: Any, *, textual: bool = True, encoding: str = DEFAULT_ENCODING,
                buffering: Union[str, int] = "block", buffer_size: int = DEFAULT_BUFFER_SIZE,
                name: str = "", newline_out: Optional[str] = None, owns: bool = True) -> Port:
    """An output port over *raw*: binary, or textual over a binary one."""
    b = BinaryOutputPort(raw, buffering, buffer_size, name, owns)
    return TextualOutputPort(b, encoding, name, newline_out) if textual else b


def open_stream(raw_in: Any, raw_out: Any, *, textual: bool = True,
                encoding: str = DEFAULT_ENCODING, buffering: Union[str, int] = "block",
                buffer_size: int = DEFAULT_BUFFER_SIZE, name: str = "", eol_in: bool = False,
                newline_out: Optional[str] = None, owns: bool = True) -> BidirectionalPort:
    """One port over two raw streams: sockets, pipes. Closing a half calls its raw
    stream's close() when *owns* (so with one raw object for both, close() must be
    idempotent, or give each half its own raw object)."""
    i = open_input(raw_in, textual=textual, encoding=encoding, buffering=buffering,
                   buffer_size=buffer_size, name=name, eol_in=eol_in, owns=owns)
    o = open_output(raw_out, textual=textual, encoding=encoding, buffering=buffering,
                    buffer_size=buffer_size, name=name, newline_out=newline_out, owns=owns)
    return BidirectionalPort(i, o, name)


_FILE_FLAGS = {"r": os.O_RDONLY, "w": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
               "a": os.O_WRONLY | os.O_CREAT | os.O_APPEND}


def open_file(who: str, path: str, mode: str = "r", *, textual: bool = True,
              encoding: Optional[str] = None, buffering: Union[str, int] = "block") -> Port:
    """A file port; failure raises a "file" condition naming the file."""
    try:
        fd = os.open(path, _FILE_FLAGS[mode] | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as e:
        throw("file", who, f"cannot open file: {e.strerror or e}", MString(path),
              filename=path, errno=e.errno)
    raw = FdRaw(fd, True, path)
    enc = encoding or DEFAULT_ENCODING
    if mode == "r":
        return open_input(raw, textual=textual, encoding=enc, buffering=buffering, name=path)
    return open_output(raw, textual=textual, encoding=enc, buffering=buffering, name=path)


# ===================================================================== current ports

# Buffered output ports not yet closed, for flush_all: id -> weak reference. Dict stores
# are C work where a WeakSet's add and discard are Python calls, paid by every socket
# port. A port collected without close leaves a dead reference, skipped and dropped by
# flush_all.
_OPEN_OUTPUTS: "Dict[int, weakref.ReferenceType[Port]]" = {}
_wref = weakref.ref


def _isatty(stream: str) -> bool:
    try:
        return bool(getattr(sys, stream).isatty())
    except (AttributeError, ValueError, OSError):
        return False


STDIN = open_input(ConsoleRaw("stdin"), buffering="line", buffer_size=DEFAULT_BUFFER_SIZE,
                   name="stdin", owns=False)
STDOUT = open_output(ConsoleRaw("stdout"), buffering="line" if _isatty("stdout") else "block",
                     buffer_size=8192, name="stdout", owns=False)
STDERR = open_output(ConsoleRaw("stderr"), buffering="none", name="stderr", owns=False)


def flush_console() -> None:
    """Flush the console output ports (before reading the console, and at exit)."""
    for p in (STDOUT, STDERR):
        if not p.closed:
            p.flush()


def flush_all() -> None:
    """Flush every open buffered output port; errors on one do not stop the others."""
    for k, r in list(_OPEN_OUTPUTS.items()):
        p = r()
        if p is None:
            if _OPEN_OUTPUTS.get(k) is r:
                del _OPEN_OUTPUTS[k]
            continue
        if not p.closed:
            try:
                p.flush()
            except Exception:
                pass


def _checker(pred: Callable[[Any], bool], what: str, who: str) -> Callable[[Any], Any]:
    def check(v: Any) -> Any:
        if not pred(v):
            wrong_type(who, 1, what, v)
        return v
    return check


# Port argument specs are tests (expression templates), so checking wrappers and
# compiled call sites test a port inline instead of calling a predicate on every read
# and write; the predicates below are the same tests as functions.
NAMESPACE["Port"] = Port
A.define("port", "port", "isinstance({x}, Port)")
A.define("input_port", "input port", "(isinstance({x}, Port) and {x}.input)")
A.define("output_port", "output port", "(isinstance({x}, Port) and {x}.output)")
A.define("textual_port", "textual port", "(isinstance({x}, Port) and {x}.textual)")
A.define("binary_port", "binary port", "(isinstance({x}, Port) and {x}.binary)")
A.define("textual_input_port", "textual input port", "(isinstance({x}, Port) and {x}.input and {x}.textual)")
A.define("textual_output_port", "textual output port", "(isinstance({x}, Port) and {x}.output and {x}.textual)")
A.define("binary_input_port", "binary input port", "(isinstance({x}, Port) and {x}.input and {x}.binary)")
A.define("binary_output_port", "binary output port", "(isinstance({x}, Port) and {x}.output and {x}.binary)")
is_port: Callable[[Any], bool] = A.port.function()
is_input_port: Callable[[Any], bool] = A.input_port.function()
is_output_port: Callable[[Any], bool] = A.output_port.function()
is_textual_input: Callable[[Any], bool] = A.textual_input_port.function()
is_textual_output: Callable[[Any], bool] = A.textual_output_port.function()
is_binary_input: Callable[[Any], bool] = A.binary_input_port.function()
is_binary_output: Callable[[Any], bool] = A.binary_output_port.function()

current_input_port = Parameter(STDIN, _checker(is_input_port, "input port", "current-input-port"),
                               "current-input-port")
current_output_port = Parameter(STDOUT, _checker(is_output_port, "output port", "current-output-port"),
                                "current-output-port")
current_error_port = Parameter(STDERR, _checker(is_output_port, "output port", "current-error-port"),
                               "current-error-port")


def _register_printer() -> None:
    try:
        from ..reader import printer
    except ImportError:   # the printer is optional for this layer
        return
    printer.PRINTERS[Port] = lambda p, write: repr(p)


_register_printer()

atexit.register(lambda: flush_console() if not STDOUT.closed else None)
