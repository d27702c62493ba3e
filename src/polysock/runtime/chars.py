"""Characters: (scheme base) char procedures and (scheme char), with Unicode semantics.

Characters are Python str of length 1. Case mappings are Unicode *simple* mappings,
one character to one character: where Python's full mapping gives several characters
(``"ß".upper() == "SS"``) the character maps to itself, except U+0130 whose simple
lowercase is "i". String case procedures (strings.py) use the full mappings.
"""
from __future__ import annotations

import unicodedata
from typing import Any, Callable, Tuple

from ..values.conditions import out_of_range
from .argtypes import A
from .registry import primitive

CHAR = A.char
UCHAR = "(scheme char)"
_NO: Any = object()

# The Unicode White_Space property (Python's isspace also counts U+001C..U+001F).
WHITESPACE = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
                       "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


@primitive("char?", A.any)
def char_p(x: Any) -> bool:
    """(char? obj) -> boolean"""
    return x.__class__ is str and len(x) == 1


@primitive("char->integer", CHAR)
def char_to_integer(c: str) -> int:
    """(char->integer char) -> integer"""
    return ord(c)


@primitive("integer->char", A.index)
def integer_to_char(n: int) -> str:
    """(integer->char n) -> char"""
    if n > 0x10FFFF or 0xD800 <= n <= 0xDFFF:
        out_of_range("integer->char", 1, n, "Unicode scalar value")
    return chr(n)


@primitive("char-upcase", CHAR, lib=UCHAR)
def char_upcase(c: str) -> str:
    """(char-upcase char) -> char"""
    u = c.upper()
    return u if len(u) == 1 else c


@primitive("char-downcase", CHAR, lib=UCHAR)
def char_downcase(c: str) -> str:
    """(char-downcase char) -> char"""
    d = c.lower()
    if len(d) == 1:
        return d
    return "i" if c == "\u0130" else c


@primitive("char-foldcase", CHAR, lib=UCHAR)
def char_foldcase(c: str) -> str:
    """(char-foldcase char) -> char"""
    f = c.casefold()
    if len(f) == 1:
        return f
    return c if c == "\u0130" else char_downcase(c)



@primitive("char-alphabetic?", CHAR, lib=UCHAR)
def char_alphabetic_p(c: str) -> bool:
    """(char-alphabetic? char) -> boolean"""
    return c.isalpha()


@primitive("char-numeric?", CHAR, lib=UCHAR)
def char_numeric_p(c: str) -> bool:
    """(char-numeric? char) -> boolean"""
    return c.isdecimal()


@primitive("char-whitespace?", CHAR, lib=UCHAR)
def char_whitespace_p(c: str) -> bool:
    """(char-whitespace? char) -> boolean"""
    return c in WHITESPACE


@primitive("char-upper-case?", CHAR, lib=UCHAR)
def char_upper_case_p(c: str) -> bool:
    """(char-upper-case? char) -> boolean"""
    return c.isupper()


@primitive("char-lower-case?", CHAR, lib=UCHAR)
def char_lower_case_p(c: str) -> bool:
    """(char-lower-case? char) -> boolean"""
    return c.islower()


@primitive("digit-value", CHAR, lib=UCHAR)
def digit_value(c: str) -> Any:
    """(digit-value char) -> integer or #f"""
    v = unicodedata.decimal(c, None)
    return False if v is None else v


# comparisons: n-ary (at least one argument), every argument checked ----------

def _chain(test: Callable[[Any, Any], bool], key: Callable[[str], Any],
           a: str, b: str, rest: Tuple[str, ...]) -> bool:
    prev = key(a)
    ok = True
    for x in (b, *rest):
        k = key(x)
        ok = test(prev, k) and ok
        prev = k
    return ok


def _ident(c: str) -> str:
    return c


_TESTS: Tuple[Tuple[str, Callable[[Any, Any], bool]], ...] = (
    ("=?", lambda x, y: x == y), ("<?", lambda x, y: x < y), (">?", lambda x, y: x > y),
    ("<=?", lambda x, y: x <= y), (">=?", lambda x, y: x >= y))


def _comparison(prefix: str, suffix: str, test: Callable[[Any, Any], bool],
                key: Callable[[str], Any], lib: str) -> Callable[..., bool]:
    name = prefix + suffix

    def compare(a: str, b: str = _NO, *rest: str) -> bool:
        if b is _NO:
            return True
        if not rest and key is _ident:
            return test(a, b)
        return _chain(test, key, a, b, rest)

    compare.__name__ = name.replace("-", "_")
    compare.__doc__ = f"({name} char1 char2 ...) -> boolean"
    return primitive(name, CHAR, CHAR, CHAR, lib=lib)(compare)


COMPARISONS = {p + s: _comparison(p, s, t, k, lib)
               for p, k, lib in (("char", _ident, "(scheme base)"), ("char-ci", char_foldcase, UCHAR))
               for s, t in _TESTS}
