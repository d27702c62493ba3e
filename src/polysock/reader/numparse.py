"""R7RS number syntax: text -> number, or None when the text is not a number.

Theory of operation
-------------------
``parse_number`` strips the ``#x #o #b #d #e #i`` prefixes (at most one radix and one
exactness, in either order), then matches the rest against one compiled regex per
radix that recognises every R7RS ``<complex R>`` shape: a real, ``real@real`` (polar),
and ``[real](+|-)[ureal|inf.0|nan.0]i`` (rectangular; ``+i`` and ``-i`` included).
Each real part is converted separately by ``_real``, which works exactly (int or
``Fraction``) unless the text is a decimal or an inf/nan; exactness is applied at
the end. A rectangular complex whose parts are both exact is an ``ExactComplex``
(``1+2i``, ``1/2-i``, ``#e1.5+2i``); if either part is inexact it is a Python
``complex`` (``1.0+2i``). An exact zero imaginary part yields the real part alone.
A polar complex is computed inexactly and, under ``#e``, converted part by part.
Anything that does not match returns None, so ``+``, ``-``, ``...`` and ``1+`` read
as symbols.

Digits are ASCII only (``re.ASCII``), and Python's own lenient parsers (``int`` and
``float`` accept ``_`` and ``inf``) only ever see text the regex has approved.
"""
from __future__ import annotations

import math
import re
import sys
from fractions import Fraction
from typing import Any, Dict, Optional, Pattern, Tuple, Union

from ..values.numbers import ExactComplex, make_rational, make_rect, norm

# Scheme integers have no size limit, so neither may their text conversion.
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)

Number = Union[int, Fraction, float, complex, ExactComplex]

_DIGITS: Dict[int, str] = {2: "[01]", 8: "[0-7]", 10: "[0-9]", 16: "[0-9a-f]"}
_PREFIX = re.compile(r"#([xobdei])", re.IGNORECASE)
_RADIX_OF = {"x": 16, "o": 8, "b": 2, "d": 10}
_EXP_MARKERS = str.maketrans("sfdlSFDL", "eeeeeeee")
_FAST_INT = re.compile(r"[+-]?[0-9]+\Z", re.ASCII)
_INFNAN = {"inf.0": math.inf, "nan.0": math.nan}


def _patterns(radix: int) -> Tuple[Pattern[str], Pattern[str]]:
    """(real/rectangular regex, polar regex) for *radix*."""
    d = _DIGITS[radix]
    ureal = rf"{d}+(?:/{d}+)?"
    if radix == 10:
        ureal = rf"(?:{d}+/{d}+|(?:{d}+\.?{d}*|\.{d}+)(?:[esfdl][+-]?{d}+)?)"
    real = rf"(?:[+-]?{ureal}|[+-](?:inf\.0|nan\.0))"
    rect = re.compile(
        rf"(?P<re>{real})?(?:(?P<sign>[+-])(?P<im>{ureal}|inf\.0|nan\.0)?i)?\Z",
        re.IGNORECASE | re.ASCII)
    polar = re.compile(rf"(?P<mag>{real})@(?P<ang>{real})\Z", re.IGNORECASE | re.ASCII)
    return rect, polar


_COMPILED: Dict[int, Tuple[Pattern[str], Pattern[str]]] = {}   # radix -> patterns, on first use


def _real(text: str, radix: int, want: Optional[str]) -> Optional[Number]:
    """The value of a matched real with exactness *want* (None = as written)."""
    t = text.lower()
    body = t.lstrip("+-")
    special = _INFNAN.get(body)
    if special is not None:
        return None if want == "e" else (-special if t[0] == "-" else special)
    if "/" in t:
        n, d = t.split("/")
        den = int(d, radix)
        if den == 0:
            raise ZeroDivisionError
        x: Number = make_rational(int(n, radix), den)
    elif radix == 10 and not _FAST_INT.match(t):
        dec = t.translate(_EXP_MARKERS)   # a decimal: inexact unless #e
        return norm(Fraction(dec)) if want == "e" else float(dec)
    else:
        x = int(t, radix)
    return _inexact(x) if want == "i" else x


def _inexact(x: Number) -> float:
    """Convert an exact real to float, saturating to +/-inf on overflow."""
    try:
        return float(x)  # type: ignore[arg-type]
    except OverflowError:
        return math.inf if x > 0 else -math.inf  # type: ignore[operator]


def parse_number(text: str, radix: int = 10) -> Optional[Any]:
    """The number *text* denotes in R7RS syntax (default *radix*), or None."""
    if radix == 10 and _FAST_INT.match(text):
        return int(text)
    want: Optional[str] = None
    seen_radix = False
    pos = 0
    while pos < len(text) and text[pos] == "#":
        m = _PREFIX.match(text, pos)
        if m is None:
            return None
        c = m.group(1).lower()
        if c in "ei":
            if want is not None:
                return None
            want = c
        else:
            if seen_radix:
                return None
            seen_radix = True
            radix = _RADIX_OF[c]
        pos += 2
    body = text[pos:]
    if not body or radix not in _DIGITS:
        return None
    pats = _COMPILED.get(radix)
    if pats is None:   # compiled when first needed: eight regexes were ~3 ms of every start
        pats = _COMPILED[radix] = _patterns(radix)
    rect, polar = pats
    try:
        m = rect.match(body)
        if m is not None:
            return _rectangular(m.group("re"), m.group("sign"), m.group("im"), radix, want)
        m = polar.match(body)
        if m is not None:
            return _polar(m.group("mag"), m.group("ang"), radix, want)
    except (ZeroDivisionError, ValueError):
        return None
    return None


def _rectangular(re_txt: Optional[str], sign: Optional[str], im_txt: Optional[str],
                 radix: int, want: Optional[str]) -> Optional[Number]:
    """a, a+bi, +bi, +i, a-i ..."""
    if re_txt is None and sign is None:
        return None                       # empty text
    real: Optional[Number] = 0
    if re_txt is not None:
        real = _real(re_txt, radix, want)
        if real is None:
            return None
    if sign is None:
        return real
    im = _real(sign + (im_txt or "1"), radix, want)
    if im is None or real is None:
        return None
    if im.__class__ is not float and real.__class__ is not float:
        return make_rect(real, im)
    if im == 0 and not isinstance(im, float):
        return real
    return complex(_inexact(real), _inexact(im))


def _polar(mag_txt: str, ang_txt: str, radix: int, want: Optional[str]) -> Optional[Number]:
    """magnitude@angle."""
    mag = _real(mag_txt, radix, want)
    ang = _real(ang_txt, radix, want)
    if mag is None or ang is None:
        return None
    if ang == 0 and not isinstance(ang, float):
        return mag
    m, a = _inexact(mag), _inexact(ang)
    z = complex(m * math.cos(a), m * math.sin(a))
    if want == "e":
        if not (math.isfinite(z.real) and math.isfinite(z.imag)):
            return None
        return make_rect(norm(Fraction(z.real)), norm(Fraction(z.imag)))
    return z


def is_number_text(text: str) -> bool:
    """True when *text* would read as a number (used by the printer to bar symbols)."""
    return parse_number(text) is not None


__all__ = ["parse_number", "is_number_text", "make_rational"]
