"""Pairs and lists: (scheme base), (scheme cxr), and the SRFI-1 / MIT / Guile list
extras dialects rely on, in "(polysock extras)" — including a stable merge sort.

Procedures that take a procedure argument call it as ``f(x)`` from Python loops
(never through C callbacks). Most of them first take a snapshot of the list's elements
(``_cars``), which also rejects improper and circular lists up front; lookups
(``memq``, ``assq``...) walk in place and detect cycles with Brent's algorithm.
Mutators return UNSPECIFIED.
"""
from __future__ import annotations

from typing import Any, Callable, List

from ..values.conditions import out_of_range, wrong_type
from ..values.misc import UNSPECIFIED, WRITES, MultipleValues
from ..values.numbers import ExactComplex, Rational
from ..values.pairs import NIL, Pair, from_iter, is_list, to_list
from ..values.strings import MString
from ..values.procedures import is_procedure
from .argtypes import A
from .equivalence import FIXNUM_MAX, FIXNUM_MIN, eq, equal, equal_key, eqv
from . import registry
from .registry import primitive

EXTRAS = "(polysock extras)"
CXR = "(scheme cxr)"


# ---------------------------------------------------------------- helpers

def _cars(who: str, pos: int, lst: Any) -> List[Any]:
    """The elements of a proper list, or a wrong-type condition naming argument *pos*."""
    if lst is NIL:
        return []
    xs = to_list(lst)
    if xs is None:
        wrong_type(who, pos, "list", lst)
    return xs


def _length_kind(lst: Any) -> int:
    """Length of a proper list; -1 for a circular list; -2 for an improper one."""
    n = 0
    slow = lst
    while True:
        if lst is NIL:
            return n
        if not isinstance(lst, Pair):
            return -2
        lst = lst.cdr
        n += 1
        if lst is NIL:
            return n
        if not isinstance(lst, Pair):
            return -2
        lst = lst.cdr
        n += 1
        slow = slow.cdr
        if lst is slow:
            return -1


def _columns(who: str, first_pos: int, lists: tuple) -> List[List[Any]]:
    """Elements of several lists, cut to the shortest (circular lists allowed if one
    is finite; improper lists are an error)."""
    lengths = []
    for i, lst in enumerate(lists):
        n = _length_kind(lst)
        if n == -2:
            wrong_type(who, first_pos + i, "list", lst)
        lengths.append(n)
    finite = [n for n in lengths if n >= 0]
    if not finite:
        wrong_type(who, first_pos, "finite list", lists[0])
    n = min(finite)
    cols = []
    for lst in lists:
        xs = []
        for _ in range(n):
            xs.append(lst.car)
            lst = lst.cdr
        cols.append(xs)
    return cols


def _rows(who: str, first_pos: int, lst: Any, more: tuple) -> List[tuple]:
    """Argument tuples for an n-ary call over *lst* and *more* (Python-side only)."""
    return list(zip(*_columns(who, first_pos, (lst,) + more)))


# ---------------------------------------------------------------- (scheme base)

@primitive("pair?", A.any)
def pair_p(x: Any) -> bool:
    """(pair? obj) -> boolean"""
    return isinstance(x, Pair)


@primitive("cons", A.any, A.any)
def cons(a: Any, b: Any) -> Pair:
    """(cons obj1 obj2) -> pair"""
    p = Pair()
    p.car = a
    p.cdr = b
    return p


@primitive("car", A.pair)
def car(p: Pair) -> Any:
    """(car pair) -> object"""
    return p.car


@primitive("cdr", A.pair)
def cdr(p: Pair) -> Any:
    """(cdr pair) -> object"""
    return p.cdr


@primitive("set-car!", A.pair, A.any)
def set_car_bang(p: Pair, v: Any) -> Any:
    """(set-car! pair obj)"""
    p.car = v
    WRITES[0] += 1
    return UNSPECIFIED


@primitive("set-cdr!", A.pair, A.any)
def set_cdr_bang(p: Pair, v: Any) -> Any:
    """(set-cdr! pair obj)"""
    p.cdr = v
    WRITES[0] += 1
    return UNSPECIFIED


def _cxr_fail(name: str, x: Any) -> Any:
    """Raise the condition for a c[ad]+r path that meets a non-pair inside *x*."""
    ops = name[1:-1][::-1]   # applied right to left
    p = x
    done = ""
    for op in ops:
        if not isinstance(p, Pair):
            break
        p = p.car if op == "a" else p.cdr
        done = op + done
    wrong_type(name, 1, f"pair whose c{done}r is a pair", x)


def _define_cxr(name: str, lib: str) -> None:
    chain = "".join(".car" if op == "a" else ".cdr" for op in name[1:-1][::-1])
    pyname = "c" + name[1:-1] + "r"
    src = (f"def {pyname}(x):\n"
           f"    try:\n"
           f"        return x{chain}\n"
           f"    except AttributeError:\n"
           f"        return _fail({name!r}, x)\n")
    ns: dict = {"_fail": _cxr_fail}
    exec(registry.compiled(src), ns)
    fn = ns[pyname]
    fn.__doc__ = f"({name} pair) -> object"
    primitive(name, A.pair, lib=lib)(fn)
    globals()[pyname] = fn


def _cxr_names(depth: int) -> List[str]:
    names = [""]
    for _ in range(depth):
        names = [n + op for n in names for op in "ad"]
    return ["c" + n + "r" for n in names]


for _n in _cxr_names(2):
    _define_cxr(_n, "(scheme base)")
for _n in _cxr_names(3) + _cxr_names(4):
    _define_cxr(_n, CXR)
del _n


@primitive("null?", A.any)
def null_p(x: Any) -> bool:
    """(null? obj) -> boolean"""
    return x is NIL


@primitive("list?", A.any)
def list_p(x: Any) -> bool:
    """(list? obj) -> boolean"""
    return is_list(x)


@primitive("make-list", A.index, A.any)
def make_list(k: int, fill: Any = False) -> Any:
    """(make-list k [fill]) -> list"""
    r: Any = NIL
    for _ in range(k):
        r = cons(fill, r)
    return r


@primitive("list")
def list_(*xs: Any) -> Any:
    """(list obj ...) -> list"""
    return from_iter(xs)


@primitive("length", A.list)
def length(lst: Any) -> int:
    """(length list) -> integer"""
    n = _length_kind(lst)
    if n < 0:
        wrong_type("length", 1, "proper list", lst)
    return n


@primitive("append")
def append(*lists: Any) -> Any:
    """(append list ... obj) -> list"""
    if not lists:
        return NIL
    result = lists[-1]
    for i in range(len(lists) - 2, -1, -1):
        result = from_iter(_cars("append", i + 1, lists[i]), result)
    return result


@primitive("reverse", A.list)
def reverse(lst: Any) -> Any:
    """(reverse list) -> list"""
    xs = _cars("reverse", 1, lst)
    xs.reverse()
    return from_iter(xs)


def _reversed_items(items: List[Any]) -> List[Any]:
    return items[::-1]


def _reverse_consume(items: List[Any]) -> Any:
    return from_iter(items[::-1])


reverse.prim.fuse_produce = (1, lambda lst: _cars("reverse", 1, lst)[::-1])   # type: ignore[attr-defined]
reverse.prim.fuse_through = (1, 0, _reversed_items)                          # type: ignore[attr-defined]
reverse.prim.fuse_consume = (1, 0, _reverse_consume)                         # type: ignore[attr-defined]
reverse.prim.fuse_same_elements = True                                        # type: ignore[attr-defined]
length.prim.fuse_consume = (1, 0, len)                                       # type: ignore[attr-defined]


def _tail(who: str, lst: Any, k: int) -> Any:
    p = lst
    try:
        for _ in range(k):
            p = p.cdr           # only pairs have a cdr attribute
    except AttributeError:
        out_of_range(who, 2, k, "index")
    return p


@primitive("list-tail", A.any, A.index)
def list_tail(lst: Any, k: int) -> Any:
    """(list-tail list k) -> list"""
    return _tail("list-tail", lst, k)


@primitive("list-ref", A.list, A.index)
def list_ref(lst: Any, k: int) -> Any:
    """(list-ref list k) -> object"""
    p = _tail("list-ref", lst, k)
    if not isinstance(p, Pair):
        out_of_range("list-ref", 2, k, "index")
    return p.car


@primitive("list-set!", A.list, A.index, A.any)
def list_set_bang(lst: Any, k: int, v: Any) -> Any:
    """(list-set! list k obj)"""
    p = _tail("list-set!", lst, k)
    if not isinstance(p, Pair):
        out_of_range("list-set!", 2, k, "index")
    p.car = v
    WRITES[0] += 1
    return UNSPECIFIED


def _is(a: Any, b: Any) -> bool:
    return a is b


def _eq_test(x: Any) -> Callable[[Any, Any], bool]:
    """The cheapest function deciding (eq? x y) for this x."""
    c = x.__class__
    if (c is int and FIXNUM_MIN <= x <= FIXNUM_MAX) or c is str:
        return eq
    return _is


def _eqv_test(x: Any) -> Callable[[Any, Any], bool]:
    c = x.__class__
    if c is int or c is str or c is float or c is complex or c is Rational or c is ExactComplex:
        return eqv
    return _is


def _proc_test(f: Any) -> Callable[[Any, Any], bool]:
    return lambda a, b: f(a, b) is not False


_FAST4 = range(4096 // 4)   # turns of the four-entry string-key assoc scan (as many pairs)
_FAST = range(4096)   # lookups scan this many pairs before paying for cycle detection


def _mem(who: str, x: Any, lst: Any, same: Callable[[Any, Any], bool]) -> Any:
    """The first pair of *lst* whose car is the same as *x*, or #f (Brent cycle check)."""
    if same is _is:
        p = lst
        for _ in _FAST:
            if not isinstance(p, Pair):
                if p is not NIL:
                    wrong_type(who, 2, "list", lst)
                return False
            if p.car is x:
                return p
            p = p.cdr
    p = lst
    mark = lst
    steps = 0
    limit = 2
    identity = same is _is
    reflexive = identity or same is eq or same is eqv or same is equal
    while isinstance(p, Pair):
        c = p.car
        if (c is x and reflexive) or (not identity and same(x, c)):
            return p
        p = p.cdr
        if p is mark:
            wrong_type(who, 2, "list", lst)
        steps += 1
        if steps == limit:
            mark = p
            limit <<= 1
            steps = 0
    if p is not NIL:
        wrong_type(who, 2, "list", lst)
    return False


# ------------------------------------------------------------- the alist index
#
# A program that looks strings up again and again in one long alist (a table of
# options, of MIME types, of handlers) pays a linear scan in Python bytecode each time,
# about 30 ns an entry. So ``assoc`` with a string key indexes such an alist: a dict
# from text to the first entry whose key is a string with that text.
#
# - When: a string-key scan that passes 4 * _INDEX_AFTER entries counts one for its
#   alist (``_SCANS``); after ``need`` such scans the alist is indexed. ``need`` starts
#   at ``_FIRST_NEED[0]``: 2, doubled (up to _FIRST_NEED_MAX) each time an index is
#   evicted before it served _PAID lookups and halved when one is evicted after, so a
#   program that makes a fresh alist for every few lookups soon stops indexing them.
# - Valid while nothing was written: the index records ``WRITES[0]`` (values.misc),
#   which every ``set-car!``, ``set-cdr!``, ``string-set!`` and the like bumps; a
#   lookup through an index built at another count goes back to scanning.
# - Never worse than scanning by much: when an index goes stale before it served
#   _PAID lookups, the alist's ``need`` doubles (up to _NEED_MAX), so a program that
#   writes between lookups (a buffer filled by ``read-string!``) rebuilds rarely.
# - Same answers as the scan: only a proper list of pairs is indexed (a scan would
#   raise on anything else, before or after the entry it finds); a miss is #f. An
#   alist found not indexable gets the largest ``need``.
# - Bounded: at most _INDEXES_MAX indexes (evicted oldest first) and _SCANS_MAX
#   counted alists (forgotten all at once when full); each keeps its alist alive until
#   then.

_INDEX_AFTER = 8          # turns of the four-entry scan (32 entries) before a scan counts
_PAID = 4                 # lookups an index must serve to count as worth its build
_NEED_MAX = 1 << 12
_FIRST_NEED = [2]
_FIRST_NEED_MAX = 64
_INDEXES_MAX = 8
_SCANS_MAX = 32
_INDEX_LIMIT = 1 << 16    # entries; longer (or circular) alists are not indexed
_INDEXES: dict = {}       # id(alist) -> [alist, WRITES[0] when built, {text: entry}, lookups served]
_SCANS: dict = {}         # id(alist) -> [alist, long scans seen, long scans needed]


def _long_scan(alist: Any) -> None:
    """A string-key scan of *alist* passed 4 * _INDEX_AFTER entries: count it, and
    index the alist once it has been scanned often enough."""
    k = id(alist)
    seen = _SCANS.get(k)
    if seen is None or seen[0] is not alist:
        if len(_SCANS) >= _SCANS_MAX:
            _SCANS.clear()
        _SCANS[k] = seen = [alist, 0, _FIRST_NEED[0]]
    stale = _INDEXES.pop(k, None)
    if stale is not None and stale[0] is alist and stale[3] < _PAID:
        seen[2] = min(seen[2] * 2, _NEED_MAX)
    seen[1] += 1
    if seen[1] < seen[2]:
        return
    seen[1] = 0
    at = WRITES[0]           # read first: a write made while this runs retires the index
    table: dict = {}
    p = alist
    n = 0
    while p.__class__ is Pair or isinstance(p, Pair):
        e = p.car
        if not isinstance(e, Pair) or n == _INDEX_LIMIT:
            seen[2] = _NEED_MAX
            return
        c = e.car
        if c.__class__ is MString and c.s not in table:
            table[c.s] = e
        p = p.cdr
        n += 1
    if p is not NIL:
        seen[2] = _NEED_MAX
        return
    if len(_INDEXES) >= _INDEXES_MAX:
        oldest = _INDEXES.pop(next(iter(_INDEXES)))
        need = _FIRST_NEED[0]
        _FIRST_NEED[0] = min(need * 2, _FIRST_NEED_MAX) if oldest[3] < _PAID else max(need // 2, 2)
    _INDEXES[k] = [alist, at, table, 0]


def _ass(who: str, x: Any, alist: Any, same: Callable[[Any, Any], bool]) -> Any:
    """The first entry of *alist* whose car is the same as *x*, or #f."""
    if same is _is:
        p = alist
        for _ in _FAST:
            if not isinstance(p, Pair):
                if p is not NIL:
                    wrong_type(who, 2, "association list", alist)
                return False
            e = p.car
            if not isinstance(e, Pair):
                wrong_type(who, 2, "association list", alist)
            if e.car is x:
                return e
            p = p.cdr
    if same is equal and x.__class__ is MString:
        # string keys (the common alist): compare text directly, bounded, no cycle bookkeeping
        xs = x.s
        if _INDEXES:
            index = _INDEXES.get(id(alist))
            if index is not None and index[1] == WRITES[0] and index[0] is alist:
                index[3] += 1
                return index[2].get(xs, False)
        p = alist
        try:
            # Only pairs have car/cdr attributes, and only strings an ``s``: reaching the
            # empty list, an improper tail, an entry that is not a pair or a key that is
            # not a string raises AttributeError, and the general loop below takes over.
            # Four entries per turn, each one chained attribute test: the scan is the
            # whole cost of a lookup in a long alist.
            for turns in _FAST4:
                if p.car.car.s == xs:
                    break
                p = p.cdr
                if p.car.car.s == xs:
                    break
                p = p.cdr
                if p.car.car.s == xs:
                    break
                p = p.cdr
                if p.car.car.s == xs:
                    break
                p = p.cdr
            else:
                p = None                 # long or circular: the general loop decides
            if p is not None:
                e = p.car
                if e.car.__class__ is MString:
                    if turns >= _INDEX_AFTER:
                        _long_scan(alist)
                    return e
                p = None
        except AttributeError:
            pass
        if p is NIL:
            if turns >= _INDEX_AFTER:
                _long_scan(alist)
            return False
    p = alist
    mark = alist
    steps = 0
    limit = 2
    identity = same is _is
    reflexive = identity or same is eq or same is eqv or same is equal
    while isinstance(p, Pair):
        e = p.car
        if not isinstance(e, Pair):
            wrong_type(who, 2, "association list", alist)
        c = e.car
        if (c is x and reflexive) or (not identity and same(x, c)):
            return e
        p = p.cdr
        if p is mark:
            wrong_type(who, 2, "association list", alist)
        steps += 1
        if steps == limit:
            mark = p
            limit <<= 1
            steps = 0
    if p is not NIL:
        wrong_type(who, 2, "association list", alist)
    return False


@primitive("memq", A.any, A.list)
def memq(x: Any, lst: Any) -> Any:
    """(memq obj list) -> list or #f"""
    return _mem("memq", x, lst, _eq_test(x))


@primitive("memv", A.any, A.list)
def memv(x: Any, lst: Any) -> Any:
    """(memv obj list) -> list or #f"""
    return _mem("memv", x, lst, _eqv_test(x))


@primitive("member", A.any, A.list, A.procedure)
def member(x: Any, lst: Any, compare: Any = None) -> Any:
    """(member obj list [compare]) -> list or #f"""
    return _mem("member", x, lst, equal if compare is None else _proc_test(compare))


@primitive("assq", A.any, A.list)
def assq(x: Any, alist: Any) -> Any:
    """(assq obj alist) -> pair or #f"""
    return _ass("assq", x, alist, _eq_test(x))


@primitive("assv", A.any, A.list)
def assv(x: Any, alist: Any) -> Any:
    """(assv obj alist) -> pair or #f"""
    return _ass("assv", x, alist, _eqv_test(x))


@primitive("assoc", A.any, A.list, A.procedure)
def assoc(x: Any, alist: Any, compare: Any = None) -> Any:
    """(assoc obj alist [compare]) -> pair or #f"""
    return _ass("assoc", x, alist, equal if compare is None else _proc_test(compare))


@primitive("list-copy", A.any)
def list_copy(obj: Any) -> Any:
    """(list-copy obj) -> list"""
    xs = []
    p = obj
    mark = obj
    steps = 0
    limit = 2
    while isinstance(p, Pair):
        xs.append(p.car)
        p = p.cdr
        if p is mark:
            wrong_type("list-copy", 1, "list", obj)
        steps += 1
        if steps == limit:
            mark = p
            limit <<= 1
            steps = 0
    return from_iter(xs, p)


_WALK = range(1 << 16)   # map walks this many plain pairs before checking the rest


@primitive("map", A.procedure, A.list, A.list)
def map_(f: Any, lst: Any, *more: Any) -> Any:
    """(map proc list1 list2 ...) -> list"""
    if more:
        return from_iter([f(*row) for row in _rows("map", 2, lst, more)])
    # One pass, building the result front to back. A source-read pair, an improper or
    # circular list, or a very long one leaves the fast loop; the remaining cells are then
    # checked as a whole (a circular list's remainder is circular) before f sees them.
    head = tail = Pair()
    p = lst
    for _ in _WALK:
        if p.__class__ is not Pair:
            break
        cell = Pair()
        cell.car = f(p.car)
        tail.cdr = cell
        tail = cell
        p = p.cdr
    if p is not NIL:
        for x in _cars("map", 2, p):
            cell = Pair()
            cell.car = f(x)
            tail.cdr = cell
            tail = cell
    tail.cdr = NIL
    return head.cdr


def _map_produce(f: Any, lst: Any) -> List[Any]:
    """(map f lst) as a Python list."""
    if not callable(f):
        map_.prim(f, lst)          # type: ignore[attr-defined]  # raises
    return [f(x) for x in _cars("map", 2, lst)]


def _map_through(f: Any, items: List[Any]) -> List[Any]:
    """(map f items) over and to Python lists."""
    if not callable(f):
        map_.prim(f, from_iter(items))          # type: ignore[attr-defined]  # raises
    return [f(x) for x in items]


def _map_consume(f: Any, items: List[Any]) -> Any:
    """(map f items) over a Python list, to a Scheme list."""
    return from_iter(_map_through(f, items))


# List fusion (compiler/fusion.py): see strings.py.
map_.prim.fuse_produce = (2, _map_produce)             # type: ignore[attr-defined]
map_.prim.fuse_through = (2, 1, _map_through)          # type: ignore[attr-defined]
map_.prim.fuse_consume = (2, 1, _map_consume)          # type: ignore[attr-defined]
map_.prim.fuse_elementwise = 0                         # type: ignore[attr-defined]


@primitive("for-each", A.procedure, A.list, A.list)
def for_each(f: Any, lst: Any, *more: Any) -> Any:
    """(for-each proc list1 list2 ...)"""
    if not more:
        for x in _cars("for-each", 2, lst):
            f(x)
    else:
        for row in _rows("for-each", 2, lst, more):
            f(*row)
    return UNSPECIFIED


# ---------------------------------------------------------------- extras (SRFI-1, MIT, Guile)

@primitive("cons*", A.any, lib=EXTRAS)
def cons_star(x: Any, *more: Any) -> Any:
    """(cons* obj ... tail) -> list"""
    if not more:
        return x
    return from_iter((x,) + more[:-1], more[-1])


def _last_pair(who: str, lst: Any) -> Pair:
    p = lst
    mark = lst
    steps = 0
    limit = 2
    while isinstance(p.cdr, Pair):
        p = p.cdr
        if p is mark:
            wrong_type(who, 1, "list", lst)
        steps += 1
        if steps == limit:
            mark = p
            limit <<= 1
            steps = 0
    return p


@primitive("last-pair", A.pair, lib=EXTRAS)
def last_pair(lst: Any) -> Any:
    """(last-pair list) -> pair"""
    return _last_pair("last-pair", lst)


@primitive("last", A.pair, lib=EXTRAS)
def last(lst: Any) -> Any:
    """(last list) -> object"""
    return _last_pair("last", lst).car


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth")


def _define_ordinal(i: int, name: str) -> None:
    def nth(lst: Any) -> Any:
        p = lst
        for _ in range(i):
            if not isinstance(p, Pair):
                break
            p = p.cdr
        if not isinstance(p, Pair):
            wrong_type(name, 1, f"list of at least {i + 1} elements", lst)
        return p.car

    nth.__name__ = name
    nth.__doc__ = f"({name} list) -> object"
    primitive(name, A.any, lib=EXTRAS)(nth)


for _i, _name in enumerate(_ORDINALS):
    _define_ordinal(_i, _name)
del _i, _name


@primitive("list-index", A.procedure, A.list, A.list, lib=EXTRAS)
def list_index(pred: Any, lst: Any, *more: Any) -> Any:
    """(list-index pred list1 list2 ...) -> index or #f"""
    if not more:
        for i, x in enumerate(_cars("list-index", 2, lst)):
            if pred(x) is not False:
                return i
        return False
    for i, row in enumerate(_rows("list-index", 2, lst, more)):
        if pred(*row) is not False:
            return i
    return False


@primitive("filter", A.procedure, A.list, lib=EXTRAS)
def filter_(pred: Any, lst: Any) -> Any:
    """(filter pred list) -> list"""
    return from_iter([x for x in _cars("filter", 2, lst) if pred(x) is not False])


@primitive("remove", A.procedure, A.list, lib=EXTRAS)
def remove(pred: Any, lst: Any) -> Any:
    """(remove pred list) -> list"""
    return from_iter([x for x in _cars("remove", 2, lst) if pred(x) is False])


@primitive("partition", A.procedure, A.list, lib=EXTRAS)
def partition(pred: Any, lst: Any) -> MultipleValues:
    """(partition pred list) -> in-list out-list"""
    yes: List[Any] = []
    no: List[Any] = []
    for x in _cars("partition", 2, lst):
        (yes if pred(x) is not False else no).append(x)
    return MultipleValues((from_iter(yes), from_iter(no)))


@primitive("reduce", A.procedure, A.any, A.list, lib=EXTRAS)
def reduce(f: Any, ridentity: Any, lst: Any) -> Any:
    """(reduce f ridentity list) -> object"""
    xs = _cars("reduce", 3, lst)
    if not xs:
        return ridentity
    acc = xs[0]
    for x in xs[1:]:
        acc = f(x, acc)
    return acc


@primitive("fold-left", A.procedure, A.any, A.list, A.list, lib=EXTRAS)
def fold_left(f: Any, init: Any, lst: Any, *more: Any) -> Any:
    """(fold-left f init list1 list2 ...) -> object"""
    acc = init
    if not more:
        for x in _cars("fold-left", 3, lst):
            acc = f(acc, x)
    else:
        for row in _rows("fold-left", 3, lst, more):
            acc = f(acc, *row)
    return acc


@primitive("fold-right", A.procedure, A.any, A.list, A.list, lib=EXTRAS)
def fold_right(f: Any, init: Any, lst: Any, *more: Any) -> Any:
    """(fold-right f init list1 list2 ...) -> object"""
    acc = init
    if not more:
        xs = _cars("fold-right", 3, lst)
        for i in range(len(xs) - 1, -1, -1):
            acc = f(xs[i], acc)
    else:
        rows = _rows("fold-right", 3, lst, more)
        for i in range(len(rows) - 1, -1, -1):
            acc = f(*rows[i], acc)
    return acc


@primitive("fold", A.procedure, A.any, A.list, A.list, lib=EXTRAS)
def fold(kons: Any, knil: Any, lst: Any, *more: Any) -> Any:
    """(fold kons knil list1 list2 ...) -> object"""
    acc = knil
    if not more:
        for x in _cars("fold", 3, lst):
            acc = kons(x, acc)
    else:
        for row in _rows("fold", 3, lst, more):
            acc = kons(*row, acc)
    return acc


def _same_as(compare: Any) -> Callable[[Any, Any], bool]:
    return equal if compare is None else _proc_test(compare)


@primitive("delete", A.any, A.list, A.procedure, lib=EXTRAS)
def delete(x: Any, lst: Any, compare: Any = None) -> Any:
    """(delete obj list [=]) -> list"""
    same = _same_as(compare)
    return from_iter([y for y in _cars("delete", 2, lst) if not same(x, y)])


@primitive("delete!", A.any, A.list, A.procedure, lib=EXTRAS)
def delete_bang(x: Any, lst: Any, compare: Any = None) -> Any:
    """(delete! obj list [=]) -> list"""
    same = _same_as(compare)
    _cars("delete!", 2, lst)   # reject improper and circular lists first
    kept: List[Pair] = []
    p = lst
    while p is not NIL:
        if not same(x, p.car):
            kept.append(p)
        p = p.cdr
    WRITES[0] += 1
    for a, b in zip(kept, kept[1:]):
        a.cdr = b
    if not kept:
        return NIL
    kept[-1].cdr = NIL
    return kept[0]


@primitive("delete-duplicates", A.list, A.procedure, lib=EXTRAS)
def delete_duplicates(lst: Any, compare: Any = None) -> Any:
    """(delete-duplicates list [=]) -> list"""
    xs = _cars("delete-duplicates", 1, lst)
    out: List[Any] = []
    if compare is None:
        seen = set()
        for x in xs:
            k = equal_key(x)
            if k not in seen:
                seen.add(k)
                out.append(x)
    else:
        for x in xs:
            for y in out:
                if compare(y, x) is not False:
                    break
            else:
                out.append(x)
    return from_iter(out)


@primitive("iota", A.index, A.number, A.number, lib=EXTRAS)
def iota(count: int, start: Any = 0, step: Any = 1) -> Any:
    """(iota count [start step]) -> list"""
    return from_iter([start + i * step for i in range(count)])


@primitive("list-tabulate", A.index, A.procedure, lib=EXTRAS)
def list_tabulate(n: int, f: Any) -> Any:
    """(list-tabulate n proc) -> list"""
    return from_iter([f(i) for i in range(n)])


@primitive("append!", lib=EXTRAS)
def append_bang(*lists: Any) -> Any:
    """(append! list ... obj) -> list"""
    result: Any = NIL
    last_p: Any = None
    for i, lst in enumerate(lists):
        if lst is NIL:
            continue
        middle = i < len(lists) - 1
        if middle and not isinstance(lst, Pair):
            wrong_type("append!", i + 1, "list", lst)
        if last_p is None:
            result = lst
        else:
            last_p.cdr = lst
            WRITES[0] += 1
        if middle:
            last_p = _last_pair("append!", lst)
    return result


@primitive("reverse!", A.list, lib=EXTRAS)
def reverse_bang(lst: Any) -> Any:
    """(reverse! list) -> list"""
    _cars("reverse!", 1, lst)
    r: Any = NIL
    p = lst
    WRITES[0] += 1
    while p is not NIL:
        nxt = p.cdr
        p.cdr = r
        r = p
        p = nxt
    return r


def _head(who: str, lst: Any, k: int) -> Any:
    xs = []
    p = lst
    for _ in range(k):
        if not isinstance(p, Pair):
            out_of_range(who, 2, k, "index")
        xs.append(p.car)
        p = p.cdr
    return from_iter(xs)


@primitive("list-head", A.list, A.index, lib=EXTRAS)
def list_head(lst: Any, k: int) -> Any:
    """(list-head list k) -> list"""
    return _head("list-head", lst, k)


@primitive("take", A.list, A.index, lib=EXTRAS)
def take(lst: Any, k: int) -> Any:
    """(take list k) -> list"""
    return _head("take", lst, k)


@primitive("drop", A.any, A.index, lib=EXTRAS)
def drop(lst: Any, k: int) -> Any:
    """(drop list k) -> list"""
    return _tail("drop", lst, k)


@primitive("sublist", A.list, A.index, A.index, lib=EXTRAS)
def sublist(lst: Any, start: int, end: int) -> Any:
    """(sublist list start end) -> list"""
    if end < start:
        out_of_range("sublist", 2, start, "start index")
    return _head("sublist", _tail("sublist", lst, start), end - start)


@primitive("take-while", A.procedure, A.list, lib=EXTRAS)
def take_while(pred: Any, lst: Any) -> Any:
    """(take-while pred list) -> list"""
    out = []
    for x in _cars("take-while", 2, lst):
        if pred(x) is False:
            break
        out.append(x)
    return from_iter(out)


@primitive("drop-while", A.procedure, A.list, lib=EXTRAS)
def drop_while(pred: Any, lst: Any) -> Any:
    """(drop-while pred list) -> list"""
    _cars("drop-while", 2, lst)
    p = lst
    while p is not NIL and pred(p.car) is not False:
        p = p.cdr
    return p


@primitive("count", A.procedure, A.list, A.list, lib=EXTRAS)
def count(pred: Any, lst: Any, *more: Any) -> int:
    """(count pred list1 list2 ...) -> integer"""
    if not more:
        return sum(1 for x in _cars("count", 2, lst) if pred(x) is not False)
    return sum(1 for row in _rows("count", 2, lst, more) if pred(*row) is not False)


@primitive("any", A.procedure, A.list, A.list, lib=EXTRAS)
def any_(pred: Any, lst: Any, *more: Any) -> Any:
    """(any pred list1 list2 ...) -> object"""
    rows = [(x,) for x in _cars("any", 2, lst)] if not more else _rows("any", 2, lst, more)
    for row in rows:
        v = pred(*row)
        if v is not False:
            return v
    return False


@primitive("every", A.procedure, A.list, A.list, lib=EXTRAS)
def every(pred: Any, lst: Any, *more: Any) -> Any:
    """(every pred list1 list2 ...) -> object"""
    rows = [(x,) for x in _cars("every", 2, lst)] if not more else _rows("every", 2, lst, more)
    v: Any = True
    for row in rows:
        v = pred(*row)
        if v is False:
            return False
    return v


@primitive("append-map", A.procedure, A.list, A.list, lib=EXTRAS)
def append_map(f: Any, lst: Any, *more: Any) -> Any:
    """(append-map f list1 list2 ...) -> list"""
    rows = [(x,) for x in _cars("append-map", 2, lst)] if not more else _rows("append-map", 2, lst, more)
    out: List[Any] = []
    for row in rows:
        r = f(*row)
        xs = to_list(r) if r is not NIL else []
        if xs is None:
            wrong_type("append-map", 1, "procedure returning lists", r)
        out.extend(xs)
    return from_iter(out)


@primitive("filter-map", A.procedure, A.list, A.list, lib=EXTRAS)
def filter_map(f: Any, lst: Any, *more: Any) -> Any:
    """(filter-map f list1 list2 ...) -> list"""
    rows = [(x,) for x in _cars("filter-map", 2, lst)] if not more else _rows("filter-map", 2, lst, more)
    out = []
    for row in rows:
        v = f(*row)
        if v is not False:
            out.append(v)
    return from_iter(out)


@primitive("find", A.procedure, A.list, lib=EXTRAS)
def find(pred: Any, lst: Any) -> Any:
    """(find pred list) -> object or #f"""
    for x in _cars("find", 2, lst):
        if pred(x) is not False:
            return x
    return False


@primitive("find-tail", A.procedure, A.list, lib=EXTRAS)
def find_tail(pred: Any, lst: Any) -> Any:
    """(find-tail pred list) -> pair or #f"""
    _cars("find-tail", 2, lst)
    p = lst
    while p is not NIL:
        if pred(p.car) is not False:
            return p
        p = p.cdr
    return False


# ---------------------------------------------------------------- sorting

def merge_sort(items: List[Any], less: Any) -> List[Any]:
    """A stable bottom-up merge sort of a Python list, calling the Scheme *less* as less(a, b)."""
    n = len(items)
    src = list(items)
    if n < 2:
        return src
    dst: List[Any] = [None] * n
    width = 1
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = lo + width
            if mid >= n:
                dst[lo:n] = src[lo:n]
                continue
            hi = min(lo + 2 * width, n)
            if less(src[mid], src[mid - 1]) is False:   # already in order
                dst[lo:hi] = src[lo:hi]
                continue
            i, j, k = lo, mid, lo
            while i < mid and j < hi:
                if less(src[j], src[i]) is not False:
                    dst[k] = src[j]
                    j += 1
                else:
                    dst[k] = src[i]
                    i += 1
                k += 1
            if i < mid:
                dst[k:hi] = src[i:mid]
            else:
                dst[k:hi] = src[j:hi]
        src, dst = dst, src
        width *= 2
    return src


def _seq_and_less(who: str, a: Any, b: Any) -> tuple:
    """Accept both (sort seq less?) and (sort less? seq); return (seq, less, seq_pos)."""
    if is_procedure(a) and not is_procedure(b):
        seq, less, pos = b, a, 2
    else:
        seq, less, pos = a, b, 1
    if not is_procedure(less):
        wrong_type(who, 3 - pos, "procedure", less)
    if seq.__class__ is not list and seq is not NIL and not isinstance(seq, Pair):
        wrong_type(who, pos, "list or vector", seq)
    return seq, less, pos


def _sorted_values(who: str, a: Any, b: Any) -> tuple:
    seq, less, pos = _seq_and_less(who, a, b)
    if seq.__class__ is list:
        return seq, merge_sort(seq, less)
    return seq, merge_sort(_cars(who, pos, seq), less)


@primitive("sort", A.any, A.any, lib=EXTRAS)
def sort(a: Any, b: Any) -> Any:
    """(sort sequence less?) -> sequence"""
    seq, out = _sorted_values("sort", a, b)
    return out if seq.__class__ is list else from_iter(out)


@primitive("merge-sort", A.any, A.any, lib=EXTRAS)
def merge_sort_prim(a: Any, b: Any) -> Any:
    """(merge-sort sequence less?) -> sequence"""
    seq, out = _sorted_values("merge-sort", a, b)
    return out if seq.__class__ is list else from_iter(out)


@primitive("list-sort", A.any, A.any, lib=EXTRAS)
def list_sort(a: Any, b: Any) -> Any:
    """(list-sort less? list) -> list"""
    seq, out = _sorted_values("list-sort", a, b)
    if seq.__class__ is list:
        wrong_type("list-sort", 2, "list", seq)
    return from_iter(out)


def _sort_in_place(who: str, a: Any, b: Any) -> Any:
    seq, out = _sorted_values(who, a, b)
    if seq.__class__ is list:
        seq[:] = out
        return seq
    p = seq
    WRITES[0] += 1
    for x in out:
        p.car = x
        p = p.cdr
    return seq


@primitive("sort!", A.any, A.any, lib=EXTRAS)
def sort_bang(a: Any, b: Any) -> Any:
    """(sort! sequence less?) -> sequence"""
    return _sort_in_place("sort!", a, b)


@primitive("merge-sort!", A.any, A.any, lib=EXTRAS)
def merge_sort_bang(a: Any, b: Any) -> Any:
    """(merge-sort! sequence less?) -> sequence"""
    return _sort_in_place("merge-sort!", a, b)


def _vector_range(who: str, v: list, start: Any, end: Any) -> tuple:
    n = len(v)
    e = n if end is None else end
    s = 0 if start is None else start
    if e > n:
        out_of_range(who, 4, end, "end index")
    if s > e:
        out_of_range(who, 3, start, "start index")
    return s, e


@primitive("vector-sort", A.any, A.any, A.index, A.index, lib=EXTRAS)
def vector_sort(a: Any, b: Any, start: Any = None, end: Any = None) -> list:
    """(vector-sort less? vector [start end]) -> vector"""
    v, less, pos = _seq_and_less("vector-sort", a, b)
    if v.__class__ is not list:
        wrong_type("vector-sort", pos, "vector", v)
    s, e = _vector_range("vector-sort", v, start, end)
    return merge_sort(v[s:e], less)


@primitive("vector-sort!", A.any, A.any, A.index, A.index, lib=EXTRAS)
def vector_sort_bang(a: Any, b: Any, start: Any = None, end: Any = None) -> Any:
    """(vector-sort! vector less? [start end])"""
    v, less, pos = _seq_and_less("vector-sort!", a, b)
    if v.__class__ is not list:
        wrong_type("vector-sort!", pos, "vector", v)
    s, e = _vector_range("vector-sort!", v, start, end)
    v[s:e] = merge_sort(v[s:e], less)
    return UNSPECIFIED
