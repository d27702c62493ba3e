"""Bytevectors: the (scheme base) bytevector procedures (R7RS argument orders).

Bytevectors are bytearray; results are always fresh. ``utf8->string`` decodes
invalid UTF-8 to U+FFFD rather than failing, since socket data is often not UTF-8;
``string->utf8`` encodes an unpaired surrogate (never made by integer->char) as "?".
"""
from __future__ import annotations

from typing import Any

from ..values.conditions import out_of_range
from ..values.misc import UNSPECIFIED
from ..values.strings import MString
from .argtypes import A
from .registry import primitive
from .strings import ABSENT, span

BYTE = A.byte
BV = A.bytevector


@primitive("bytevector?", A.any)
def bytevector_p(x: Any) -> bool:
    """(bytevector? obj) -> boolean"""
    return x.__class__ is bytearray


@primitive("make-bytevector", A.index, A.byte)
def make_bytevector(k: int, fill: int = 0) -> bytearray:
    """(make-bytevector k [byte]) -> bytevector"""
    return bytearray((fill,)) * k


@primitive("bytevector", BYTE)
def bytevector(*bytes_: int) -> bytearray:
    """(bytevector byte ...) -> bytevector"""
    return bytearray(bytes_)


@primitive("bytevector-length", A.bytevector)
def bytevector_length(bv: bytearray) -> int:
    """(bytevector-length bytevector) -> integer"""
    return len(bv)


@primitive("bytevector-u8-ref", A.bytevector, A.index)
def bytevector_u8_ref(bv: bytearray, k: int) -> int:
    """(bytevector-u8-ref bytevector k) -> byte"""
    try:
        return bv[k]
    except IndexError:
        out_of_range("bytevector-u8-ref", 2, k, "index")


@primitive("bytevector-u8-set!", A.bytevector, A.index, A.byte)
def bytevector_u8_set_bang(bv: bytearray, k: int, b: int) -> Any:
    """(bytevector-u8-set! bytevector k byte) -> unspecified"""
    try:
        bv[k] = b
    except IndexError:
        out_of_range("bytevector-u8-set!", 2, k, "index")
    return UNSPECIFIED


@primitive("bytevector-copy", A.bytevector, A.index, A.index)
def bytevector_copy(bv: bytearray, start: int = 0, end: Any = ABSENT) -> bytearray:
    """(bytevector-copy bytevector [start [end]]) -> bytevector"""
    i, j = span("bytevector-copy", len(bv), start, end, 2)
    return bv[i:j]


@primitive("bytevector-copy!", A.bytevector, A.index, A.bytevector, A.index, A.index)
def bytevector_copy_bang(to: bytearray, at: int, src: bytearray, start: int = 0,
                         end: Any = ABSENT) -> Any:
    """(bytevector-copy! to at from [start [end]]) -> unspecified"""
    i, j = span("bytevector-copy!", len(src), start, end, 4)
    if at + (j - i) > len(to):
        out_of_range("bytevector-copy!", 2, at, "destination index")
    to[at:at + (j - i)] = src[i:j]      # slicing copies first: overlap is safe
    return UNSPECIFIED


@primitive("bytevector-append", BV)
def bytevector_append(*bvs: bytearray) -> bytearray:
    """(bytevector-append bytevector ...) -> bytevector"""
    return bytearray().join(bvs)


@primitive("utf8->string", A.bytevector, A.index, A.index)
def utf8_to_string(bv: bytearray, start: int = 0, end: Any = ABSENT) -> MString:
    """(utf8->string bytevector [start [end]]) -> string"""
    i, j = span("utf8->string", len(bv), start, end, 2)
    return MString(bv[i:j].decode("utf-8", "replace"))


@primitive("string->utf8", A.string, A.index, A.index)
def string_to_utf8(s: MString, start: int = 0, end: Any = ABSENT) -> bytearray:
    """(string->utf8 string [start [end]]) -> bytevector"""
    i, j = span("string->utf8", len(s.s), start, end, 2)
    return bytearray(s.s[i:j].encode("utf-8", "replace"))
