"""The Scheme I/O procedures over runtime.ports: (scheme base) ports, (scheme write),
(scheme read), (scheme file), and a few names every dialect shares.

An omitted port argument is ``None`` here and means the current port. Strings come
back as fresh MStrings, bytevectors as fresh bytearrays.
"""
from __future__ import annotations

import os
import weakref
from typing import Any, Callable, Optional

from ..values.conditions import out_of_range, throw, wrong_type
from ..values.misc import EOF, UNSPECIFIED
from ..values.strings import MString
from .argtypes import A
from .dynamic import parameterize
from .ports import (BinaryInputPort, BytevectorOutputPort, Port, StringInputPort,
                    StringOutputPort, current_error_port, current_input_port,
                    current_output_port, is_binary_input, is_binary_output,
                    is_textual_input, is_textual_output, open_file)
from .registry import define_value, primitive

BASE = "(scheme base)"
WRITE = "(scheme write)"
READ = "(scheme read)"
FILE = "(scheme file)"
EXTRAS = "(polysock extras)"


# ------------------------------------------------------------------ current-port helpers

def _default_port(port: Any, who: str, current: Any, ok: Any, expected: str) -> Any:
    """*port*, or the current port when omitted (which must then satisfy *ok*)."""
    if port is None:
        port = current()
        if not ok(port):
            wrong_type(who, 1, expected, port)
    return port


# A port given explicitly was checked by the primitive's argument types: it is returned
# without a further call (these run on every read and write of a socket port).

def _tin(port: Any, who: str) -> Any:
    """The textual input port meant by an optional argument."""
    if port is not None:
        return port
    return _default_port(port, who, current_input_port, is_textual_input, "textual input port")


def _tout(port: Any, who: str) -> Any:
    """The textual output port meant by an optional argument."""
    if port is not None:
        return port
    return _default_port(port, who, current_output_port, is_textual_output, "textual output port")


def _bin(port: Any, who: str) -> Any:
    """The binary input port meant by an optional argument."""
    if port is not None:
        return port
    return _default_port(port, who, current_input_port, is_binary_input, "binary input port")


def _bout(port: Any, who: str) -> Any:
    """The binary output port meant by an optional argument."""
    if port is not None:
        return port
    return _default_port(port, who, current_output_port, is_binary_output, "binary output port")


def _str(x: Any) -> Any:
    return MString(x) if x.__class__ is str else x


def _range(who: str, n: int, start: int, end: Optional[int], pos: int) -> int:
    """Check start/end (argument positions pos, pos+1) against length n; return end."""
    if end is None:
        end = n
    elif end > n:
        out_of_range(who, pos + 1, end)
    if start > end:
        out_of_range(who, pos, start)
    return end


# ------------------------------------------------------------------ predicates

@primitive("port?", A.any)
def port_p(x: Any) -> bool:
    """(port? obj) -> boolean"""
    return isinstance(x, Port)


@primitive("input-port?", A.any)
def input_port_p(x: Any) -> bool:
    """(input-port? obj) -> boolean"""
    return isinstance(x, Port) and x.input


@primitive("output-port?", A.any)
def output_port_p(x: Any) -> bool:
    """(output-port? obj) -> boolean"""
    return isinstance(x, Port) and x.output


@primitive("textual-port?", A.any)
def textual_port_p(x: Any) -> bool:
    """(textual-port? obj) -> boolean"""
    return isinstance(x, Port) and x.textual


@primitive("binary-port?", A.any)
def binary_port_p(x: Any) -> bool:
    """(binary-port? obj) -> boolean"""
    return isinstance(x, Port) and x.binary


@primitive("input-port-open?", A.input_port)
def input_port_open_p(port: Port) -> bool:
    """(input-port-open? port) -> boolean"""
    return port.input_open()


@primitive("output-port-open?", A.output_port)
def output_port_open_p(port: Port) -> bool:
    """(output-port-open? port) -> boolean"""
    return port.output_open()


# ------------------------------------------------------------------ closing

@primitive("close-port", A.port)
def close_port(port: Port) -> Any:
    """(close-port port)"""
    port.close()
    return UNSPECIFIED


@primitive("close-input-port", A.input_port)
def close_input_port(port: Port) -> Any:
    """(close-input-port port)"""
    port.close_input()
    return UNSPECIFIED


@primitive("close-output-port", A.output_port)
def close_output_port(port: Port) -> Any:
    """(close-output-port port)"""
    port.close_output()
    return UNSPECIFIED


@primitive("call-with-port", A.port, A.procedure)
def call_with_port(port: Port, proc: Callable[[Any], Any]) -> Any:
    """(call-with-port port proc) -> the values of proc; closes port when proc returns"""
    r = proc(port)
    port.close()
    return r


# ------------------------------------------------------------------ string and bytevector ports

@primitive("open-input-string", A.string)
def open_input_string(s: MString) -> Port:
    """(open-input-string string) -> port"""
    return StringInputPort(s.s)


@primitive("open-output-string")
def open_output_string() -> Port:
    """(open-output-string) -> port"""
    return StringOutputPort()


@primitive("get-output-string", A.port)
def get_output_string(port: Port) -> MString:
    """(get-output-string port) -> string"""
    if not isinstance(port, StringOutputPort):
        wrong_type("get-output-string", 1, "string output port", port)
        raise AssertionError("unreachable")
    return MString(port.getvalue())


@primitive("open-input-bytevector", A.bytevector)
def open_input_bytevector(bv: bytearray) -> Port:
    """(open-input-bytevector bytevector) -> port"""
    return BinaryInputPort.from_bytes(bv)


@primitive("open-output-bytevector")
def open_output_bytevector() -> Port:
    """(open-output-bytevector) -> port"""
    return BytevectorOutputPort()


@primitive("get-output-bytevector", A.port)
def get_output_bytevector(port: Port) -> bytearray:
    """(get-output-bytevector port) -> bytevector"""
    if not isinstance(port, BytevectorOutputPort):
        wrong_type("get-output-bytevector", 1, "bytevector output port", port)
        raise AssertionError("unreachable")
    return port.getvalue()


# ------------------------------------------------------------------ textual input

@primitive("read-char", A.textual_input_port)
def read_char(port: Any = None) -> Any:
    """(read-char [port]) -> char or eof"""
    return _tin(port, "read-char").read_char()


@primitive("peek-char", A.textual_input_port)
def peek_char(port: Any = None) -> Any:
    """(peek-char [port]) -> char or eof"""
    return _tin(port, "peek-char").peek_char()


@primitive("read-line", A.textual_input_port, also=(EXTRAS,))
def read_line(port: Any = None) -> Any:
    """(read-line [port]) -> string or eof"""
    return _str(_tin(port, "read-line").read_line())


@primitive("char-ready?", A.textual_input_port)
def char_ready_p(port: Any = None) -> bool:
    """(char-ready? [port]) -> boolean"""
    return _tin(port, "char-ready?").char_ready()


@primitive("read-string", A.index, A.textual_input_port)
def read_string(k: int, port: Any = None) -> Any:
    """(read-string k [port]) -> string or eof"""
    got = (port if port is not None else _tin(port, "read-string")).read_string(k)
    return MString(got) if got.__class__ is str else got


# ------------------------------------------------------------------ binary input

@primitive("read-u8", A.binary_input_port)
def read_u8(port: Any = None) -> Any:
    """(read-u8 [port]) -> byte or eof"""
    return _bin(port, "read-u8").read_u8()


@primitive("peek-u8", A.binary_input_port)
def peek_u8(port: Any = None) -> Any:
    """(peek-u8 [port]) -> byte or eof"""
    return _bin(port, "peek-u8").peek_u8()


@primitive("u8-ready?", A.binary_input_port)
def u8_ready_p(port: Any = None) -> bool:
    """(u8-ready? [port]) -> boolean"""
    return _bin(port, "u8-ready?").u8_ready()


@primitive("read-bytevector", A.index, A.binary_input_port)
def read_bytevector(k: int, port: Any = None) -> Any:
    """(read-bytevector k [port]) -> bytevector or eof"""
    p = _bin(port, "read-bytevector")
    if k == 0:
        return bytearray()
    return p.read_bytes(k)


@primitive("read-bytevector!", A.bytevector, A.binary_input_port, A.index, A.index)
def read_bytevector_bang(bv: bytearray, port: Any = None, start: int = 0,
                         end: Optional[int] = None) -> Any:
    """(read-bytevector! bytevector [port [start [end]]]) -> count or eof"""
    end = _range("read-bytevector!", len(bv), start, end, 3)
    p = _bin(port, "read-bytevector!")
    if start == end:
        return 0
    return p.readinto(bv, start, end)


# ------------------------------------------------------------------ output

@primitive("write-char", A.char, A.textual_output_port)
def write_char(c: str, port: Any = None) -> Any:
    """(write-char char [port])"""
    _tout(port, "write-char").write_str(c)
    return UNSPECIFIED


@primitive("write-string", A.string, A.textual_output_port, A.index, A.index)
def write_string(s: MString, port: Any = None, start: int = 0, end: Optional[int] = None) -> Any:
    """(write-string string [port [start [end]]])"""
    p = port if port is not None else _tout(port, "write-string")
    t = s.s
    if start or end is not None:
        end = _range("write-string", len(t), start, end, 3)
        t = t[start:end]
    p.write_str(t)
    return UNSPECIFIED


@primitive("newline", A.textual_output_port)
def newline(port: Any = None) -> Any:
    """(newline [port])"""
    _tout(port, "newline").write_str("\n")
    return UNSPECIFIED


@primitive("write-u8", A.byte, A.binary_output_port)
def write_u8(b: int, port: Any = None) -> Any:
    """(write-u8 byte [port])"""
    _bout(port, "write-u8").write_u8(b)
    return UNSPECIFIED


@primitive("write-bytevector", A.bytevector, A.binary_output_port, A.index, A.index)
def write_bytevector(bv: bytearray, port: Any = None, start: int = 0,
                     end: Optional[int] = None) -> Any:
    """(write-bytevector bytevector [port [start [end]]])"""
    p = _bout(port, "write-bytevector")
    if start or end is not None:
        end = _range("write-bytevector", len(bv), start, end, 3)
        p.write(memoryview(bv)[start:end])
    else:
        p.write(bv)
    return UNSPECIFIED


@primitive("flush-output-port", A.output_port)
def flush_output_port(port: Any = None) -> Any:
    """(flush-output-port [port])"""
    (current_output_port() if port is None else port).flush()
    return UNSPECIFIED


@primitive("flush-output", A.output_port, lib=EXTRAS)
def flush_output(port: Any = None) -> Any:
    """(flush-output [port])"""
    (current_output_port() if port is None else port).flush()   # no call to the
    return UNSPECIFIED                                          # synonym: every echo flushes


@primitive("force-output", A.output_port, lib=EXTRAS)
def force_output(port: Any = None) -> Any:
    """(force-output [port])"""
    (current_output_port() if port is None else port).flush()
    return UNSPECIFIED


# ------------------------------------------------------------------ eof

@primitive("eof-object")
def eof_object() -> Any:
    """(eof-object) -> eof"""
    return EOF


@primitive("eof-object?", A.any)
def eof_object_p(x: Any) -> bool:
    """(eof-object? obj) -> boolean"""
    return x is EOF


define_value(BASE, "current-input-port", current_input_port)
define_value(BASE, "current-output-port", current_output_port)
define_value(BASE, "current-error-port", current_error_port)


# ------------------------------------------------------------------ (scheme write)

def _printer() -> Any:
    from ..reader import printer
    return printer


@primitive("write", A.any, A.textual_output_port, lib=WRITE)
def write(obj: Any, port: Any = None) -> Any:
    """(write obj [port])"""
    _tout(port, "write").write_str(_printer().write_string(obj))
    return UNSPECIFIED


@primitive("write-shared", A.any, A.textual_output_port, lib=WRITE)
def write_shared(obj: Any, port: Any = None) -> Any:
    """(write-shared obj [port])"""
    _tout(port, "write-shared").write_str(_printer().write_shared_string(obj))
    return UNSPECIFIED


@primitive("write-simple", A.any, A.textual_output_port, lib=WRITE)
def write_simple(obj: Any, port: Any = None) -> Any:
    """(write-simple obj [port])"""
    _tout(port, "write-simple").write_str(_printer().write_simple_string(obj))
    return UNSPECIFIED


def display_text(obj: Any) -> str:
    """The text ``display`` writes for *obj*."""
    c = obj.__class__
    if c is MString:
        return obj.s
    if c is str:
        return obj
    return _printer().display_string(obj)


@primitive("display", A.any, A.textual_output_port, lib=WRITE)
def display(obj: Any, port: Any = None) -> Any:
    """(display obj [port])"""
    # a string to a given port (an echo's every write) takes no helper call
    (port if port is not None else _tout(port, "display")).write_str(
        obj.s if obj.__class__ is MString else display_text(obj))
    return UNSPECIFIED


@primitive("write-line", A.any, A.textual_output_port, lib=EXTRAS)
def write_line(obj: Any, port: Any = None) -> Any:
    """(write-line obj [port]): display obj, then a newline"""
    _tout(port, "write-line").write_str(display_text(obj) + "\n")
    return UNSPECIFIED


# ------------------------------------------------------------------ (scheme read)

# One Reader per port, so #!fold-case and line numbers carry across read calls.
_READERS: "weakref.WeakKeyDictionary[Port, Any]" = weakref.WeakKeyDictionary()

# Set by the toplevel/dialect layer: () -> the ReaderOptions `read` should use.
reader_options: Optional[Callable[[], Any]] = None


def read_datum(port: Port) -> Any:
    """One datum from *port* (EOF at end); read errors are "read" conditions."""
    from ..reader.parser import Reader
    opts = reader_options() if reader_options is not None else None
    r = _READERS.get(port)
    if r is None or r.options is not (opts or r.options):
        r = Reader.from_port(port, port.name or "<port>", opts)
        _READERS[port] = r
    return r.read()


@primitive("read", A.textual_input_port, lib=READ)
def read(port: Any = None) -> Any:
    """(read [port]) -> datum or eof"""
    return read_datum(_tin(port, "read"))


# ------------------------------------------------------------------ (scheme file)

def _path(s: MString) -> str:
    return s.s


@primitive("open-input-file", A.string, lib=FILE)
def open_input_file(name: MString) -> Port:
    """(open-input-file string) -> textual input port"""
    return open_file("open-input-file", _path(name), "r")


@primitive("open-binary-input-file", A.string, lib=FILE)
def open_binary_input_file(name: MString) -> Port:
    """(open-binary-input-file string) -> binary input port"""
    return open_file("open-binary-input-file", _path(name), "r", textual=False)


@primitive("open-output-file", A.string, lib=FILE)
def open_output_file(name: MString) -> Port:
    """(open-output-file string) -> textual output port"""
    return open_file("open-output-file", _path(name), "w")


@primitive("open-binary-output-file", A.string, lib=FILE)
def open_binary_output_file(name: MString) -> Port:
    """(open-binary-output-file string) -> binary output port"""
    return open_file("open-binary-output-file", _path(name), "w", textual=False)


@primitive("call-with-input-file", A.string, A.procedure, lib=FILE)
def call_with_input_file(name: MString, proc: Callable[[Any], Any]) -> Any:
    """(call-with-input-file string proc) -> the values of proc"""
    return call_with_port(open_file("call-with-input-file", _path(name), "r"), proc)


@primitive("call-with-output-file", A.string, A.procedure, lib=FILE)
def call_with_output_file(name: MString, proc: Callable[[Any], Any]) -> Any:
    """(call-with-output-file string proc) -> the values of proc"""
    return call_with_port(open_file("call-with-output-file", _path(name), "w"), proc)


@primitive("with-input-from-file", A.string, A.procedure, lib=FILE)
def with_input_from_file(name: MString, thunk: Callable[[], Any]) -> Any:
    """(with-input-from-file string thunk) -> the values of thunk"""
    port = open_file("with-input-from-file", _path(name), "r")
    r = parameterize({current_input_port: port}, thunk)
    port.close()
    return r


@primitive("with-output-to-file", A.string, A.procedure, lib=FILE)
def with_output_to_file(name: MString, thunk: Callable[[], Any]) -> Any:
    """(with-output-to-file string thunk) -> the values of thunk"""
    port = open_file("with-output-to-file", _path(name), "w")
    r = parameterize({current_output_port: port}, thunk)
    port.close()
    return r


@primitive("file-exists?", A.string, lib=FILE)
def file_exists_p(name: MString) -> bool:
    """(file-exists? string) -> boolean"""
    return os.path.exists(name.s)


@primitive("delete-file", A.string, lib=FILE)
def delete_file(name: MString) -> Any:
    """(delete-file string)"""
    try:
        os.unlink(name.s)
    except OSError as e:
        throw("file", "delete-file", f"cannot delete file: {e.strerror or e}", name,
              filename=name.s, errno=e.errno)
    return UNSPECIFIED


# ------------------------------------------------------------------ string-port conveniences

@primitive("call-with-output-string", A.procedure, lib=EXTRAS)
def call_with_output_string(proc: Callable[[Any], Any]) -> MString:
    """(call-with-output-string proc) -> string written to the port proc received"""
    port = StringOutputPort()
    proc(port)
    return MString(port.getvalue())


@primitive("with-output-to-string", A.procedure, lib=EXTRAS)
def with_output_to_string(thunk: Callable[[], Any]) -> MString:
    """(with-output-to-string thunk) -> string thunk wrote to the current output port"""
    port = StringOutputPort()
    parameterize({current_output_port: port}, thunk)
    return MString(port.getvalue())


@primitive("with-input-from-string", A.string, A.procedure, lib=EXTRAS)
def with_input_from_string(s: MString, thunk: Callable[[], Any]) -> Any:
    """(with-input-from-string string thunk) -> the values of thunk, reading from string"""
    return parameterize({current_input_port: StringInputPort(s.s)}, thunk)
