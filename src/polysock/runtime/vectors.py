"""Vectors (Python lists): (scheme base) and the MIT extras in "(polysock extras)".

Ranges follow R7RS: optional ``start``/``end`` default to the whole vector; a bad
index raises a range condition naming the argument. Procedure arguments are called
from Python loops as ``f(x)``.
"""
from __future__ import annotations

from typing import Any, List

from ..values.conditions import out_of_range, wrong_type
from ..values.misc import UNSPECIFIED
from ..values.numbers import REAL_CLASSES
from ..values.pairs import NIL, from_iter, to_list
from .argtypes import A
from .registry import primitive

EXTRAS = "(polysock extras)"


def _range(who: str, v: list, start: Any, end: Any, pos: int) -> tuple:
    """Check optional *start* (argument *pos*) and *end* (argument *pos* + 1) against *v*."""
    n = len(v)
    s = 0 if start is None else start
    e = n if end is None else end
    if e > n:
        out_of_range(who, pos + 1, end, "end index")
    if s > e:
        out_of_range(who, pos, start, "start index")
    return s, e


@primitive("vector?", A.any)
def vector_p(x: Any) -> bool:
    """(vector? obj) -> boolean"""
    return x.__class__ is list


@primitive("make-vector", A.index, A.any)
def make_vector(k: int, fill: Any = False) -> list:
    """(make-vector k [fill]) -> vector"""
    return [fill] * k


@primitive("vector")
def vector(*xs: Any) -> list:
    """(vector obj ...) -> vector"""
    return list(xs)


@primitive("vector-length", A.vector)
def vector_length(v: list) -> int:
    """(vector-length vector) -> integer"""
    return len(v)


@primitive("vector-ref", A.vector, A.index)
def vector_ref(v: list, k: int) -> Any:
    """(vector-ref vector k) -> object"""
    try:
        return v[k]
    except IndexError:
        out_of_range("vector-ref", 2, k, "index")


@primitive("vector-set!", A.vector, A.index, A.any)
def vector_set_bang(v: list, k: int, x: Any) -> Any:
    """(vector-set! vector k obj)"""
    try:
        v[k] = x
    except IndexError:
        out_of_range("vector-set!", 2, k, "index")
    return UNSPECIFIED


@primitive("vector->list", A.vector, A.index, A.index)
def vector_to_list(v: list, start: Any = None, end: Any = None) -> Any:
    """(vector->list vector [start end]) -> list"""
    s, e = _range("vector->list", v, start, end, 2)
    return from_iter(v[s:e])


@primitive("list->vector", A.list)
def list_to_vector(lst: Any) -> list:
    """(list->vector list) -> vector"""
    if lst is NIL:
        return []
    xs = to_list(lst)
    if xs is None:
        wrong_type("list->vector", 1, "list", lst)
    return xs


def _vector_items(v: Any) -> list:
    """(vector->list v) as a Python list."""
    if v.__class__ is list:
        return v[:]
    return to_list(vector_to_list.prim(v))      # type: ignore[attr-defined]  # raises


def _fresh_vector(items: list) -> list:
    """(list->vector items): a fresh Python list is a vector already."""
    return items


# List fusion (compiler/fusion.py): see strings.py.
vector_to_list.prim.fuse_produce = (1, _vector_items)      # type: ignore[attr-defined]
list_to_vector.prim.fuse_consume = (1, 0, _fresh_vector)   # type: ignore[attr-defined]


@primitive("vector-fill!", A.vector, A.any, A.index, A.index)
def vector_fill_bang(v: list, fill: Any, start: Any = None, end: Any = None) -> Any:
    """(vector-fill! vector fill [start end])"""
    s, e = _range("vector-fill!", v, start, end, 3)
    v[s:e] = [fill] * (e - s)
    return UNSPECIFIED


@primitive("vector-copy", A.vector, A.index, A.index)
def vector_copy(v: list, start: Any = None, end: Any = None) -> list:
    """(vector-copy vector [start end]) -> vector"""
    s, e = _range("vector-copy", v, start, end, 2)
    return v[s:e]


@primitive("vector-copy!", A.vector, A.index, A.vector, A.index, A.index)
def vector_copy_bang(to: list, at: int, src: list, start: Any = None, end: Any = None) -> Any:
    """(vector-copy! to at from [start end])"""
    s, e = _range("vector-copy!", src, start, end, 4)
    if at > len(to) or len(to) - at < e - s:
        out_of_range("vector-copy!", 2, at, "destination index")
    to[at:at + (e - s)] = src[s:e]   # the slice is copied first, so overlap is safe
    return UNSPECIFIED


@primitive("vector-append", A.vector)
def vector_append(*vs: list) -> list:
    """(vector-append vector ...) -> vector"""
    out: List[Any] = []
    for v in vs:
        out.extend(v)
    return out


def _shortest(vs: tuple) -> int:
    return min(len(v) for v in vs)


@primitive("vector-map", A.procedure, A.vector, A.vector)
def vector_map(f: Any, v: list, *more: list) -> list:
    """(vector-map proc vector1 vector2 ...) -> vector"""
    if not more:
        return [f(x) for x in list(v)]
    vs = (v,) + more
    n = _shortest(vs)
    cols = [w[:n] for w in vs]
    return [f(*row) for row in zip(*cols)]


@primitive("vector-for-each", A.procedure, A.vector, A.vector)
def vector_for_each(f: Any, v: list, *more: list) -> Any:
    """(vector-for-each proc vector1 vector2 ...)"""
    if not more:
        for x in list(v):
            f(x)
    else:
        vs = (v,) + more
        n = _shortest(vs)
        for row in zip(*[w[:n] for w in vs]):
            f(*row)
    return UNSPECIFIED


# ---------------------------------------------------------------- extras (MIT)

@primitive("subvector", A.vector, A.index, A.index, lib=EXTRAS)
def subvector(v: list, start: int, end: int) -> list:
    """(subvector vector start end) -> vector"""
    s, e = _range("subvector", v, start, end, 2)
    return v[s:e]


@primitive("vector-head", A.vector, A.index, lib=EXTRAS)
def vector_head(v: list, end: int) -> list:
    """(vector-head vector end) -> vector"""
    _, e = _range("vector-head", v, None, end, 1)
    return v[:e]


@primitive("vector-tail", A.vector, A.index, lib=EXTRAS)
def vector_tail(v: list, start: int) -> list:
    """(vector-tail vector start) -> vector"""
    s, _ = _range("vector-tail", v, start, None, 2)
    return v[s:]


@primitive("vector-grow", A.vector, A.index, lib=EXTRAS)
def vector_grow(v: list, k: int) -> list:
    """(vector-grow vector k) -> vector"""
    if k < len(v):
        out_of_range("vector-grow", 2, k, "size")
    return v + [False] * (k - len(v))


@primitive("vector-binary-search", A.vector, A.any, A.any, A.any, lib=EXTRAS)
def vector_binary_search(v: list, a: Any, b: Any, key: Any = None) -> Any:
    """(vector-binary-search vector key key-compare) or (... vector key<? unwrap-key key) -> element or #f"""
    lo, hi = 0, len(v)
    if key is None:
        # MIT 9.x: (key-compare key element) -> negative, zero or positive number
        k, compare = a, b
        if not callable(compare):
            wrong_type("vector-binary-search", 3, "procedure", compare)
        while lo < hi:
            mid = (lo + hi) // 2
            c = compare(k, v[mid])
            if c.__class__ not in REAL_CLASSES:
                wrong_type("vector-binary-search", 3, "procedure returning a real number", compare)
            if c == 0:
                return v[mid]
            if c < 0:
                hi = mid
            else:
                lo = mid + 1
        return False
    # MIT 10.x: (vector-binary-search vector key<? unwrap-key key)
    less, unwrap = a, b
    if not callable(less):
        wrong_type("vector-binary-search", 2, "procedure", less)
    if not callable(unwrap):
        wrong_type("vector-binary-search", 3, "procedure", unwrap)
    while lo < hi:
        mid = (lo + hi) // 2
        item = v[mid]
        ik = unwrap(item)
        if less(key, ik) is not False:
            hi = mid
        elif less(ik, key) is not False:
            lo = mid + 1
        else:
            return item
    return False
