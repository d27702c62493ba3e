"""Strings: the (scheme base) string procedures and the (scheme char) ones on strings.

Strings are MString; every procedure that returns a string returns a fresh one, and
mutators replace ``.s``. Optional start/end arguments are checked once, by ``span``:
a bad start is reported at its own position, a bad end at the next.
"""
from __future__ import annotations

import operator

from typing import Any, Callable, List, Tuple

from ..values.conditions import out_of_range, throw, wrong_type
from ..values.misc import UNSPECIFIED
from ..values.pairs import from_iter, to_list
from ..values.strings import MString, set_text, splice
from .argtypes import A
from .registry import primitive

STR = A.string
UCHAR = "(scheme char)"


class _No:
    """Marker for an absent optional argument (never a Scheme value)."""

    __slots__ = ()


ABSENT: Any = _No()      # default of optional end arguments; ``span`` understands it
_NO = ABSENT


def span(who: str, n: int, start: int, end: Any, pos: int) -> Tuple[int, int]:
    """Check start/end (argument positions *pos*, *pos*+1) against length *n*."""
    if start > n:
        out_of_range(who, pos, start, "start index")
    if end is _NO:
        return start, n
    if end < start or end > n:
        out_of_range(who, pos + 1, end, "end index")
    return start, end


def chars_of(who: str, pos: int, items: Any, expected: str, original: Any) -> str:
    """Join an iterable of Scheme chars, or raise wrong-type naming *original*."""
    try:
        out = "".join(items)
    except TypeError:
        wrong_type(who, pos, expected, original)
    if len(out) != len(items):
        wrong_type(who, pos, expected, original)
    return out


@primitive("string?", A.any)
def string_p(x: Any) -> bool:
    """(string? obj) -> boolean"""
    return x.__class__ is MString


@primitive("make-string", A.index, A.char)
def make_string(k: int, fill: str = " ") -> MString:
    """(make-string k [char]) -> string"""
    return MString(fill * k)


@primitive("string", A.char)
def string(*chars: str) -> MString:
    """(string char ...) -> string"""
    return MString("".join(chars))


@primitive("string-length", A.string)
def string_length(s: MString) -> int:
    """(string-length string) -> integer"""
    return len(s.s)


@primitive("string-ref", A.string, A.index)
def string_ref(s: MString, k: int) -> str:
    """(string-ref string k) -> char"""
    try:
        return s.s[k]
    except IndexError:
        out_of_range("string-ref", 2, k, "index")


@primitive("string-set!", A.string, A.index, A.char)
def string_set_bang(s: MString, k: int, c: str) -> Any:
    """(string-set! string k char) -> unspecified"""
    t = s.s
    if k >= len(t):
        out_of_range("string-set!", 2, k, "index")
    splice(s, k, c)
    return UNSPECIFIED


@primitive("substring", A.string, A.index, A.index)
def substring(s: MString, start: int, end: Any = _NO) -> MString:
    """(substring string start [end]) -> string"""
    i, j = span("substring", len(s.s), start, end, 2)
    return MString(s.s[i:j])


@primitive("string-append", STR)
def string_append(*strings: MString) -> MString:
    """(string-append string ...) -> string"""
    return MString("".join([x.s for x in strings]))


@primitive("string-copy", A.string, A.index, A.index)
def string_copy(s: MString, start: int = 0, end: Any = _NO) -> MString:
    """(string-copy string [start [end]]) -> string"""
    i, j = span("string-copy", len(s.s), start, end, 2)
    return MString(s.s[i:j])


@primitive("string-copy!", A.string, A.index, A.string, A.index, A.index)
def string_copy_bang(to: MString, at: int, src: MString, start: int = 0, end: Any = _NO) -> Any:
    """(string-copy! to at from [start [end]]) -> unspecified"""
    i, j = span("string-copy!", len(src.s), start, end, 4)
    piece = src.s[i:j]
    t = to.s
    if at + len(piece) > len(t):
        out_of_range("string-copy!", 2, at, "destination index")
    splice(to, at, piece)
    return UNSPECIFIED


@primitive("string-fill!", A.string, A.char, A.index, A.index)
def string_fill_bang(s: MString, c: str, start: int = 0, end: Any = _NO) -> Any:
    """(string-fill! string char [start [end]]) -> unspecified"""
    t = s.s
    i, j = span("string-fill!", len(t), start, end, 3)
    set_text(s, t[:i] + c * (j - i) + t[j:])
    return UNSPECIFIED


@primitive("string->list", A.string, A.index, A.index)
def string_to_list(s: MString, start: int = 0, end: Any = _NO) -> Any:
    """(string->list string [start [end]]) -> list"""
    t = s.s
    if start == 0 and end is _NO:
        return from_iter(t)
    i, j = span("string->list", len(t), start, end, 2)
    return from_iter(t[i:j])


@primitive("list->string", A.list)
def list_to_string(lst: Any) -> MString:
    """(list->string list) -> string"""
    items = to_list(lst)
    if items is None:
        wrong_type("list->string", 1, "list of characters", lst)
    return MString(chars_of("list->string", 1, items, "list of characters", lst))


# List fusion (compiler/fusion.py): the same operations over Python lists, used when a
# fresh list made by one primitive goes straight into another.

def _string_chars(s: Any) -> List[str]:
    """(string->list s) as a Python list."""
    if s.__class__ is MString:
        return list(s.s)
    return to_list(string_to_list.prim(s))     # type: ignore[attr-defined]  # raises


def _string_of_chars(items: List[Any]) -> MString:
    """(list->string items) for a Python list."""
    try:
        out = "".join(items)
        if len(out) == len(items):
            return MString(out)
    except TypeError:
        pass
    return list_to_string(from_iter(items))    # not all characters: its condition


string_to_list.prim.fuse_produce = (1, _string_chars)          # type: ignore[attr-defined]
list_to_string.prim.fuse_consume = (1, 0, _string_of_chars)    # type: ignore[attr-defined]


@primitive("string->vector", A.string, A.index, A.index)
def string_to_vector(s: MString, start: int = 0, end: Any = _NO) -> list:
    """(string->vector string [start [end]]) -> vector"""
    i, j = span("string->vector", len(s.s), start, end, 2)
    return list(s.s[i:j])


@primitive("vector->string", A.vector, A.index, A.index)
def vector_to_string(v: list, start: int = 0, end: Any = _NO) -> MString:
    """(vector->string vector [start [end]]) -> string"""
    i, j = span("vector->string", len(v), start, end, 2)
    return MString(chars_of("vector->string", 1, v[i:j], "vector of characters", v))


# higher order: plain Python loops calling the Scheme procedure -------------

def _texts(first: MString, more: Tuple[MString, ...]) -> Tuple[List[str], int]:
    texts = [first.s] + [m.s for m in more]
    return texts, min(len(t) for t in texts)


@primitive("string-map", A.procedure, A.string, STR)
def string_map(proc: Callable[..., Any], s: MString, *more: MString) -> MString:
    """(string-map proc string1 string2 ...) -> string"""
    out: List[str] = []
    if not more:
        for c in s.s:
            r = proc(c)
            if r.__class__ is not str:
                throw("wrong-type", "string-map", "procedure returned a non-character", r)
            out.append(r)
    else:
        texts, n = _texts(s, more)
        for k in range(n):
            r = proc(*[t[k] for t in texts])
            if r.__class__ is not str:
                throw("wrong-type", "string-map", "procedure returned a non-character", r)
            out.append(r)
    return MString("".join(out))


@primitive("string-for-each", A.procedure, A.string, STR)
def string_for_each(proc: Callable[..., Any], s: MString, *more: MString) -> Any:
    """(string-for-each proc string1 string2 ...) -> unspecified"""
    if not more:
        for c in s.s:
            proc(c)
    else:
        texts, n = _texts(s, more)
        for k in range(n):
            proc(*[t[k] for t in texts])
    return UNSPECIFIED


# comparisons: n-ary (at least one argument), every argument checked ----------

_TESTS: Tuple[Tuple[str, Callable[[Any, Any], bool]], ...] = (
    ("=?", operator.eq), ("<?", operator.lt), (">?", operator.gt),
    ("<=?", operator.le), (">=?", operator.ge))


def _text(s: MString) -> str:
    return s.s


def _folded(s: MString) -> str:
    return s.s.casefold()


def _comparison(name: str, test: Callable[[Any, Any], bool], key: Callable[[MString], str],
                lib: str) -> Callable[..., bool]:
    plain = key is _text

    def compare(a: MString, b: Any = _NO, *rest: MString) -> bool:
        if plain and not rest and b is not _NO:   # two strings: the usual call
            return test(a.s, b.s)  # type: ignore[no-any-return]
        if b is _NO:
            return True
        prev = key(a)
        ok = True
        for x in (b, *rest):
            k = key(x)
            ok = test(prev, k) and ok
            prev = k
        return ok

    compare.__name__ = name.replace("-", "_")
    compare.__doc__ = f"({name} string1 string2 ...) -> boolean"
    return primitive(name, STR, STR, STR, lib=lib)(compare)


COMPARISONS = {p + s: _comparison(p + s, t, k, lib)
               for p, k, lib in (("string", _text, "(scheme base)"), ("string-ci", _folded, UCHAR))
               for s, t in _TESTS}


# (scheme char): full Unicode case mappings ---------------------------------

@primitive("string-upcase", A.string, lib=UCHAR)
def string_upcase(s: MString) -> MString:
    """(string-upcase string) -> string"""
    return MString(s.s.upper())


@primitive("string-downcase", A.string, lib=UCHAR)
def string_downcase(s: MString) -> MString:
    """(string-downcase string) -> string"""
    return MString(s.s.lower())


@primitive("string-foldcase", A.string, lib=UCHAR)
def string_foldcase(s: MString) -> MString:
    """(string-foldcase string) -> string"""
    return MString(s.s.casefold())
string_to_list.prim.fuse_elements = str                                    # type: ignore[attr-defined]
string_to_list.prim.fuse_text = (0, "list({0})")                           # type: ignore[attr-defined]
list_to_string.prim.fuse_consume_typed = (str, "MString(''.join({0}))")    # type: ignore[attr-defined]
