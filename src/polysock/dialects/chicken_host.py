"""CHICKEN 5 host procedures socket programs use (spec/host-language.md §4):
(chicken base), (chicken format), (chicken io), (chicken port), (chicken blob),
(chicken string), (chicken bitwise), (chicken time), (chicken process-context),
(chicken file), (chicken file posix), (chicken keyword), srfi-4 and SRFI-17.

Strings are CHICKEN byte strings seen through Latin-1 (chicken_data). Output goes
through the runtime's port objects (``write_str``), so every procedure here works on
socket ports, string ports and the console alike. ``format``'s directives are
CHICKEN's: ~a ~s ~c ~b ~o ~x ~% ~n ~~ ~! ~? (any other is an error, as in CHICKEN).
"""
from __future__ import annotations

import os
import struct
import time
from typing import Any, Callable, List, Optional, Tuple

from ..reader.printer import display_string, write_string as write_text
from ..runtime.argtypes import A
from ..runtime.ports import Port, StringOutputPort, current_input_port, current_output_port
from ..values.conditions import out_of_range, throw, wrong_type
from ..values.misc import EOF, UNSPECIFIED, Keyword
from ..values.pairs import NIL, Pair, from_iter, to_list
from ..values.strings import MString, splice
from ..values.symbols import Symbol, intern
from ._table import Entry, export, install, value
from .chicken_data import Blob, attach_setter, setter_of

BASE = "(chicken base)"
ALL = "(polysock chicken)"


def _lib(name: str) -> Tuple[str, ...]:
    return (name, ALL)


# ---------------------------------------------------------------- output helpers

def _out(port: Any, who: str) -> Any:
    p = current_output_port() if port is None else port
    if not (isinstance(p, Port) and p.output and p.textual):
        wrong_type(who, 1, "output port", p)
    return p


def _in(port: Any, who: str) -> Any:
    p = current_input_port() if port is None else port
    if not (isinstance(p, Port) and p.input and p.textual):
        wrong_type(who, 1, "input port", p)
    return p


def _s(x: Any) -> str:
    return x.s if x.__class__ is MString else display_string(x)


# ---------------------------------------------------------------- (chicken base)

def print_(*objs: Any) -> Any:
    """(print obj ...): display each, then a newline"""
    current_output_port().write_str("".join(display_string(o) for o in objs) + "\n")
    return UNSPECIFIED


def print_star(*objs: Any) -> Any:
    """(print* obj ...): display each, no newline"""
    current_output_port().write_str("".join(display_string(o) for o in objs))
    return UNSPECIFIED


def void(*_: Any) -> Any:
    """(void obj ...) -> unspecified"""
    return UNSPECIFIED


def add1(n: Any) -> Any:
    """(add1 n) -> n + 1"""
    return n + 1


def sub1(n: Any) -> Any:
    """(sub1 n) -> n - 1"""
    return n - 1


def identity(x: Any) -> Any:
    """(identity x) -> x"""
    return x


def setter(proc: Any) -> Any:
    """(setter proc) -> the SRFI-17 setter of proc"""
    return setter_of("setter", proc)


def getter_with_setter(get: Any, put: Any) -> Any:
    """(getter-with-setter getter setter) -> procedure with setter"""
    def proc(*args: Any) -> Any:
        return get(*args)
    proc.__name__ = getattr(get, "__name__", "getter")
    return attach_setter(proc, put)


def constantly(*vals: Any) -> Any:
    """(constantly obj ...) -> procedure returning obj ..."""
    from ..values.misc import MultipleValues
    r = vals[0] if len(vals) == 1 else MultipleValues(vals)
    return lambda *_: r


def complement(f: Any) -> Any:
    """(complement proc) -> procedure returning (not (proc ...))"""
    return lambda *a: f(*a) is False


def alist_ref(key: Any, alist: Any, test: Any = None, default: Any = False) -> Any:
    """(alist-ref key alist [test [default]]) -> value or default"""
    from ..runtime.equivalence import eqv_p
    x = alist
    while isinstance(x, Pair):
        e = x.car
        if isinstance(e, Pair) and ((test(key, e.car) is not False) if test is not None and test is not False
                                    else eqv_p(key, e.car)):
            return e.cdr
        x = x.cdr
    return default


def flatten(*lists: Any) -> Any:
    """(flatten list ...) -> flat list"""
    out: List[Any] = []
    stack = list(reversed(lists))
    while stack:
        x = stack.pop()
        if isinstance(x, Pair):
            stack.append(x.cdr)
            stack.append(x.car)
        elif x is not NIL:
            out.append(x)
    return from_iter(out)


def current_milliseconds() -> int:
    """(current-milliseconds) -> milliseconds since the epoch"""
    return int(time.time() * 1000)


def current_seconds() -> int:
    """(current-seconds) -> seconds since the epoch"""
    return int(time.time())


def current_process_milliseconds() -> int:
    """(current-process-milliseconds) -> CPU milliseconds"""
    return int(time.process_time() * 1000)


def command_line_arguments() -> Any:
    """(command-line-arguments) -> list of strings"""
    from ..runtime.system import COMMAND_LINE
    return from_iter([MString(a) for a in COMMAND_LINE[1:]])


def program_name() -> Any:
    """(program-name) -> string"""
    from ..runtime.system import COMMAND_LINE
    return MString(COMMAND_LINE[0] if COMMAND_LINE else "polysock")


def get_environment_variable(name: MString) -> Any:
    """(get-environment-variable name) -> string or #f"""
    v = os.environ.get(name.s)
    return False if v is None else MString(v)


def exact_nonnegative_integer_p(x: Any) -> bool:
    """(exact-nonnegative-integer? x) -> boolean"""
    return x.__class__ is int and x >= 0


def fixnum_p(x: Any) -> bool:
    """(fixnum? x) -> boolean"""
    return x.__class__ is int and -(1 << 62) <= x < (1 << 62)


# ---------------------------------------------------------------- (chicken bitwise)

def _ints(who: str, xs: Tuple[Any, ...]) -> None:
    for i, x in enumerate(xs):
        if x.__class__ is not int:
            wrong_type(who, i + 1, "exact integer", x)


from ..runtime.bitwise import arithmetic_shift, bitwise_and, bitwise_ior, bitwise_not, bitwise_xor  # noqa: F401


def bit_to_boolean(x: int, i: int) -> bool:
    """(bit->boolean n index) -> boolean"""
    return bool((x >> i) & 1)


# ---------------------------------------------------------------- (chicken format)

def _format_text(who: str, fmt: str, args: List[Any], out: List[str]) -> None:
    i, n = 0, len(fmt)
    while i < n:
        c = fmt[i]
        if c != "~":
            j = fmt.find("~", i)
            j = n if j < 0 else j
            out.append(fmt[i:j])
            i = j
            continue
        if i + 1 >= n:
            throw("error", who, "illegal format-string character", "~")
        d = fmt[i + 1].lower()
        i += 2
        if d in "as" or d in "cbox?":
            if not args:
                throw("error", who, "too few arguments to formatted output procedure")
            x = args.pop(0)
        if d == "a":
            out.append(display_string(x))
        elif d == "s":
            out.append(write_text(x))
        elif d == "c":
            out.append(x if isinstance(x, str) else display_string(x))
        elif d in "box":
            if x.__class__ is not int:
                wrong_type(who, 1, "exact integer", x)
            out.append(format(x, {"b": "b", "o": "o", "x": "x"}[d]))
        elif d == "?":
            sub = args.pop(0) if args else NIL
            _format_text(who, x.s, list(to_list(sub) or []), out)
        elif d in "%n":
            out.append("\n")
        elif d == "~":
            out.append("~")
        elif d == "!":
            pass
        else:
            throw("error", who, "illegal format-string character", fmt[i - 1])


def format_to_string(who: str, fmt: Any, args: Tuple[Any, ...]) -> str:
    if fmt.__class__ is not MString:
        wrong_type(who, 1, "string", fmt)
    out: List[str] = []
    _format_text(who, fmt.s, list(args), out)
    return "".join(out)


def printf(fmt: Any, *args: Any) -> Any:
    """(printf format arg ...)"""
    current_output_port().write_str(format_to_string("printf", fmt, args))
    return UNSPECIFIED


def fprintf(port: Any, fmt: Any, *args: Any) -> Any:
    """(fprintf port format arg ...)"""
    _out(port, "fprintf").write_str(format_to_string("fprintf", fmt, args))
    return UNSPECIFIED


def sprintf(fmt: Any, *args: Any) -> MString:
    """(sprintf format arg ...) -> string"""
    return MString(format_to_string("sprintf", fmt, args))


def format_(dest: Any, *args: Any) -> Any:
    """(format [destination] format arg ...)"""
    if dest.__class__ is MString:
        return MString(format_to_string("format", dest, args))
    if not args:
        throw("arity", "format", "missing format string")
    text = format_to_string("format", args[0], args[1:])
    if dest is False:
        return MString(text)
    _out(None if dest is True else dest, "format").write_str(text)
    return UNSPECIFIED


# ---------------------------------------------------------------- (chicken io)

def read_line(port: Any = None, limit: Any = False) -> Any:
    """(read-line [port [limit]]) -> string or eof"""
    p = _in(port, "read-line")
    if limit is False or limit is None:
        return _mstr(p.read_line())
    chars: List[str] = []
    while len(chars) < limit:
        c = p.peek_char()
        if c is EOF:
            break
        p.read_char()
        if c == "\n":
            return MString("".join(chars))
        if c == "\r":
            if p.peek_char() == "\n":
                p.read_char()
            return MString("".join(chars))
        chars.append(c)
    if not chars and limit > 0:
        return EOF
    return MString("".join(chars))


def _mstr(x: Any) -> Any:
    if x is EOF or x.__class__ is MString:
        return x
    return MString(x)


def read_lines(port: Any = None, maximum: Any = False) -> Any:
    """(read-lines [port [max]]) -> list of strings"""
    p = _in(port, "read-lines")
    out: List[Any] = []
    while maximum is False or len(out) < maximum:
        line = p.read_line()
        if line is EOF:
            break
        out.append(_mstr(line))
    return from_iter(out)


def write_line(s: Any, port: Any = None) -> Any:
    """(write-line string [port])"""
    _out(port, "write-line").write_str(_s(s) + "\n")
    return UNSPECIFIED


def read_string(num: Any = False, port: Any = None) -> Any:
    """(read-string [num [port]]) -> string or eof"""
    p = _in(port, "read-string")
    if num is False or num is None:
        chars = []
        while True:
            c = p.read_char()
            if c is EOF:
                break
            chars.append(c)
        return MString("".join(chars))
    r = p.read_string(num)
    return _mstr(r)


def read_string_bang(num: Any, s: MString, port: Any = None, start: int = 0) -> int:
    """(read-string! num string [port [start]]) -> count"""
    p = _in(port, "read-string!")
    if num is False:
        num = len(s.s) - start
    num = min(num, len(s.s) - start)
    got = p.read_string(num) if num > 0 else ""
    if got is EOF:
        return 0
    t = got.s if got.__class__ is MString else got
    splice(s, start, t)
    return len(t)


def write_string(s: MString, num: Any = False, port: Any = None) -> Any:
    """(write-string string [num [port]])"""
    t = s.s if num is False or num is None else s.s[:num]
    _out(port, "write-string").write_str(t)
    return UNSPECIFIED


def read_byte(port: Any = None) -> Any:
    """(read-byte [port]) -> integer or eof"""
    c = _in(port, "read-byte").read_char()
    return c if c is EOF else ord(c) & 0xFF


def write_byte(b: int, port: Any = None) -> Any:
    """(write-byte byte [port])"""
    _out(port, "write-byte").write_str(chr(b & 0xFF))
    return UNSPECIFIED


def read_buffered(port: Any = None) -> MString:
    """(read-buffered [port]) -> the buffered input as a string"""
    p = _in(port, "read-buffered")
    take = getattr(p, "take_buffered", None)
    return MString(take() if take is not None else "")


# ---------------------------------------------------------------- (chicken port)

def call_with_output_string(proc: Any) -> MString:
    """(call-with-output-string proc) -> string"""
    p = StringOutputPort()
    proc(p)
    return MString(p.getvalue())


def with_output_to_string(thunk: Any) -> MString:
    """(with-output-to-string thunk) -> string"""
    from ..runtime.dynamic import parameterize
    p = StringOutputPort()
    parameterize({current_output_port: p}, thunk)
    return MString(p.getvalue())


def port_to_fileno(port: Any) -> int:
    """(port->fileno port) -> descriptor"""
    fd = port.fileno() if isinstance(port, Port) else None
    if fd is None:
        throw("wrong-type", "port->fileno", "port has no attached file", port)
        raise AssertionError
    return int(fd)


# ---------------------------------------------------------------- (chicken blob)

def make_blob(n: int) -> Blob:
    """(make-blob size) -> blob"""
    return Blob(bytearray(n))


def blob_p(x: Any) -> bool:
    """(blob? obj) -> boolean"""
    return x.__class__ is Blob


def blob_size(b: Blob) -> int:
    """(blob-size blob) -> integer"""
    return len(b.b)


def blob_to_string(b: Blob) -> MString:
    """(blob->string blob) -> string"""
    return MString(bytes(b.b).decode("latin-1"))


def string_to_blob(s: MString) -> Blob:
    """(string->blob string) -> blob"""
    from .chicken_data import str_to_bytes
    return Blob(bytearray(str_to_bytes(s.s)))


def blob_eq_p(a: Blob, b: Blob) -> bool:
    """(blob=? blob1 blob2) -> boolean"""
    return a.b == b.b


# ---------------------------------------------------------------- srfi-4 (the parts socket code uses)

def u8vector_to_blob(v: bytearray) -> Blob:
    """(u8vector->blob u8vector) -> blob (copy)"""
    return Blob(bytearray(v))


def u8vector_to_blob_shared(v: bytearray) -> Blob:
    """(u8vector->blob/shared u8vector) -> blob sharing the bytes"""
    return Blob(v)


def blob_to_u8vector(b: Blob) -> bytearray:
    """(blob->u8vector blob) -> u8vector (copy)"""
    return bytearray(b.b)


def blob_to_u8vector_shared(b: Blob) -> bytearray:
    """(blob->u8vector/shared blob) -> u8vector sharing the bytes"""
    return b.b


class U32Vector:
    """A SRFI-4 u32vector (native-endian unsigned 32-bit elements)."""

    __slots__ = ("v",)

    def __init__(self, v: List[int]) -> None:
        self.v = v


def u32vector(*xs: int) -> U32Vector:
    """(u32vector n ...) -> u32vector"""
    for i, x in enumerate(xs):
        if x.__class__ is not int or not 0 <= x < 1 << 32:
            wrong_type("u32vector", i + 1, "unsigned 32-bit integer", x)
    return U32Vector(list(xs))


def u32vector_to_blob(v: U32Vector) -> Blob:
    """(u32vector->blob/shared u32vector) -> blob of its native-endian bytes"""
    return Blob(bytearray(struct.pack(f"={len(v.v)}I", *v.v)))


A.define("u32vector", "u32vector", pred=lambda x: x.__class__ is U32Vector)


def u32vector_ref(v: U32Vector, k: int) -> int:
    """(u32vector-ref u32vector k) -> integer"""
    if k >= len(v.v):
        out_of_range("u32vector-ref", 2, k)
    return v.v[k]


def u32vector_to_list(v: U32Vector) -> Any:
    """(u32vector->list u32vector) -> list of integers"""
    return from_iter(v.v)


def list_to_u32vector(xs: Any) -> U32Vector:
    """(list->u32vector list) -> u32vector"""
    return u32vector(*to_list(xs))


def u32vector_length(v: U32Vector) -> int:
    """(u32vector-length u32vector) -> integer"""
    return len(v.v)


def blob_to_u32vector(b: Blob) -> U32Vector:
    """(blob->u32vector/shared blob) -> u32vector of its native-endian words"""
    n = len(b.b) // 4
    return U32Vector(list(struct.unpack(f"={n}I", bytes(b.b[:n * 4]))))


def _register_u32_printer() -> None:
    from ..reader.printer import PRINTERS
    PRINTERS[U32Vector] = lambda x, w: "#u32(" + " ".join(str(n) for n in x.v) + ")"


_register_u32_printer()

# ---------------------------------------------------------------- (chicken string)


def conc(*xs: Any) -> MString:
    """(conc obj ...) -> string of the displayed objects"""
    return MString("".join(display_string(x) for x in xs))


def to_string(x: Any) -> MString:
    """(->string obj) -> string"""
    return MString(display_string(x))


def string_split(s: MString, delims: Any = None, keep_empty: Any = False) -> Any:
    """(string-split string [delimiters [keepempty]]) -> list of strings"""
    ds = " \t\n" if delims is None else delims.s
    parts: List[str] = []
    cur: List[str] = []
    for c in s.s:
        if c in ds:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    parts.append("".join(cur))
    if keep_empty is False:
        parts = [p for p in parts if p]
    return from_iter([MString(p) for p in parts])


def string_intersperse(strs: Any, sep: Any = None) -> MString:
    """(string-intersperse list [separator]) -> string"""
    items = to_list(strs) or []
    return MString((" " if sep is None else sep.s).join(_s(x) for x in items))


def string_chop(s: MString, n: int) -> Any:
    """(string-chop string length) -> list of strings"""
    t = s.s
    return from_iter([MString(t[i:i + n]) for i in range(0, len(t), n)])


def string_translate(s: MString, frm: Any, to: Any = False) -> MString:
    """(string-translate string from [to]) -> string"""
    f = frm if isinstance(frm, str) else frm.s
    t = "" if to is False else (to if isinstance(to, str) else to.s)
    out = []
    for c in s.s:
        i = f.find(c)
        if i < 0:
            out.append(c)
        elif i < len(t):
            out.append(t[i])
    return MString("".join(out))


def substring_eq(s1: MString, s2: MString, start1: int = 0, start2: int = 0, length: Any = False) -> bool:
    """(substring=? s1 s2 [start1 [start2 [length]]]) -> boolean"""
    a, b = s1.s[start1:], s2.s[start2:]
    if length is False:
        length = min(len(a), len(b))
    return a[:length] == b[:length] and len(a) >= length and len(b) >= length


def string_search(pat: MString, s: MString, start: int = 0) -> Any:
    """(substring-index pattern string [start]) -> index or #f"""
    i = s.s.find(pat.s, start)
    return False if i < 0 else i


# ---------------------------------------------------------------- (chicken keyword)

def keyword_p(x: Any) -> bool:
    """(keyword? obj) -> boolean"""
    return x.__class__ is Keyword


def string_to_keyword(s: MString) -> Keyword:
    """(string->keyword string) -> keyword"""
    return Keyword(s.s)


def keyword_to_string(k: Keyword) -> MString:
    """(keyword->string keyword) -> string"""
    return MString(k.name)


def get_keyword(key: Keyword, args: Any, thunk: Any = None) -> Any:
    """(get-keyword keyword list [default-thunk]) -> value"""
    x = args
    while isinstance(x, Pair) and isinstance(x.cdr, Pair):
        if x.car is key:
            return x.cdr.car
        x = x.cdr.cdr
    return thunk() if thunk is not None else False


# ---------------------------------------------------------------- (chicken file)

def delete_file(path: MString) -> Any:
    """(delete-file path) -> unspecified"""
    try:
        os.unlink(path.s)
    except OSError as e:
        throw("file", "delete-file", f"cannot delete file - {e.strerror}", path, errno=e.errno)
    return UNSPECIFIED


def delete_file_star(path: MString) -> bool:
    """(delete-file* path) -> boolean"""
    try:
        os.unlink(path.s)
        return True
    except OSError:
        return False


def file_exists_p(path: MString) -> Any:
    """(file-exists? path) -> path or #f"""
    return path if os.path.exists(path.s) else False


# ---------------------------------------------------------------- tables

EI = A.exact_integer
BASE_EXPORTS: List[Entry] = [
    export("print", print_, A.any), export("print*", print_star, A.any),
    export("void", void, A.any), export("add1", add1, A.number), export("sub1", sub1, A.number),
    export("identity", identity, A.any), export("setter", setter, A.any),
    export("getter-with-setter", getter_with_setter, A.procedure, A.procedure),
    export("constantly", constantly, A.any), export("complement", complement, A.procedure),
    export("alist-ref", alist_ref, A.any, A.list), export("flatten", flatten, A.any),
    export("current-milliseconds", current_milliseconds),
    export("current-seconds", current_seconds),
    export("exact-nonnegative-integer?", exact_nonnegative_integer_p, A.any),
    export("fixnum?", fixnum_p, A.any),
    export("get-keyword", get_keyword, A.any, A.list),
    export("keyword?", keyword_p, A.any),
    export("string->keyword", string_to_keyword, A.string),
    export("keyword->string", keyword_to_string, A.any),
]
install(_lib(BASE), BASE_EXPORTS)
install(_lib("(chicken keyword)"), BASE_EXPORTS[-4:])
install(_lib("(chicken time)"), [
    export("current-milliseconds", current_milliseconds),
    export("current-seconds", current_seconds),
    export("current-process-milliseconds", current_process_milliseconds),
])
install(_lib("(chicken process-context)"), [
    export("command-line-arguments", command_line_arguments),
    export("program-name", program_name),
    export("get-environment-variable", get_environment_variable, A.string),
])
install(_lib("(chicken bitwise)"), [
    export("bitwise-and", bitwise_and, EI), export("bitwise-ior", bitwise_ior, EI),
    export("bitwise-xor", bitwise_xor, EI), export("bitwise-not", bitwise_not, EI),
    export("arithmetic-shift", arithmetic_shift, EI, EI),
    export("bit->boolean", bit_to_boolean, EI, EI),
])
install(_lib("(chicken format)"), [
    export("printf", printf, A.any), export("fprintf", fprintf, A.any),
    export("sprintf", sprintf, A.any), export("format", format_, A.any),
])
install(_lib("(chicken io)"), [
    export("read-line", read_line, A.any, A.any), export("read-lines", read_lines, A.any, A.any),
    export("write-line", write_line, A.any, A.any),
    export("read-string", read_string, A.any, A.any),
    export("read-string!", read_string_bang, A.any, A.string, A.any, A.index),
    export("write-string", write_string, A.string, A.any, A.any),
    export("read-byte", read_byte, A.any), export("write-byte", write_byte, EI, A.any),
    export("read-buffered", read_buffered, A.any),
])
install(_lib("(chicken port)"), [
    export("call-with-output-string", call_with_output_string, A.procedure),
    export("with-output-to-string", with_output_to_string, A.procedure),
])
install(_lib("(chicken file posix)"), [export("port->fileno", port_to_fileno, A.any)])
install(_lib("(chicken file)"), [
    export("delete-file", delete_file, A.string), export("delete-file*", delete_file_star, A.string),
    export("file-exists?", file_exists_p, A.string),
])
install(_lib("(chicken blob)"), [
    export("make-blob", make_blob, A.index), export("blob?", blob_p, A.any),
    export("blob-size", blob_size, A.define("ck_blob", "blob", pred=lambda x: x.__class__ is Blob)),
    export("blob->string", blob_to_string, A.ck_blob),
    export("string->blob", string_to_blob, A.string),
    export("blob=?", blob_eq_p, A.ck_blob, A.ck_blob),
])
install(_lib("(srfi 4)") + ("(srfi-4)",), [
    export("u8vector->blob", u8vector_to_blob, A.bytevector),
    export("u8vector->blob/shared", u8vector_to_blob_shared, A.bytevector),
    export("blob->u8vector", blob_to_u8vector, A.ck_blob),
    export("blob->u8vector/shared", blob_to_u8vector_shared, A.ck_blob),
    export("u32vector", u32vector, EI),
    export("u32vector->blob/shared", u32vector_to_blob, A.u32vector),
    export("u32vector->blob", u32vector_to_blob, A.u32vector),
    export("blob->u32vector/shared", blob_to_u32vector, A.ck_blob),
    export("blob->u32vector", blob_to_u32vector, A.ck_blob),
    export("u32vector-ref", u32vector_ref, A.u32vector, A.index),
    export("u32vector-length", u32vector_length, A.u32vector),
    export("u32vector->list", u32vector_to_list, A.u32vector),
    export("list->u32vector", list_to_u32vector, A.list),
])
install(_lib("(chicken string)"), [
    export("conc", conc, A.any), export("->string", to_string, A.any),
    export("string-split", string_split, A.string, A.string, A.any),
    export("string-intersperse", string_intersperse, A.list, A.string),
    export("string-chop", string_chop, A.string, A.index),
    export("string-translate", string_translate, A.string, A.any, A.any),
    export("substring=?", substring_eq, A.string, A.string, A.index, A.index, A.any),
    export("substring-index", string_search, A.string, A.string, A.index),
])

# SRFI 17 setters for the standard accessors programs mutate through set!.
from ..runtime import bytevectors as _bv, lists as _lists, strings as _strs, vectors as _vecs  # noqa: E402,F401
from ..runtime.registry import LIBRARIES  # noqa: E402

for _get, _set in (("car", "set-car!"), ("cdr", "set-cdr!"), ("vector-ref", "vector-set!"),
                   ("string-ref", "string-set!"), ("bytevector-u8-ref", "bytevector-u8-set!")):
    _b = LIBRARIES.get("(scheme base)", {})
    if _get in _b and _set in _b:
        attach_setter(_b[_get], _b[_set])
for _lib_name, _get, _set in (("(srfi 69)", "hash-table-ref", "hash-table-set!"),
                              ("(srfi 69)", "hash-table-ref/default", "hash-table-set!")):
    _t = LIBRARIES.get(_lib_name, {})
    if _get in _t and _set in _t:
        attach_setter(_t[_get], (lambda s: (lambda ht, k, *rest: s(ht, k, rest[-1])))(_t[_set]))
