"""Hash tables: SRFI 69 in "(srfi 69)", MIT/R6RS/Guile names in "(polysock extras)".

Theory of operation
-------------------
A table is one of two tiny variants of ``HashTable``:

* ``KeyedTable`` — the table's equivalence is one we know (eq?, eqv?, equal?,
  string=?, string-ci=?, =). A *normaliser* maps each key to a hashable Python key
  that is ``==`` exactly when the keys are equivalent (``equivalence.eqv_key`` /
  ``equal_key``), and a Python dict maps it to the entry ``[key, value]``. Lookups
  never call Scheme code. eq? tables use the eqv? normaliser: numbers and characters
  compare by value, which R7RS permits for eq? on them.
* ``ProcTable`` — any other equivalence procedure: buckets keyed by the user's hash
  function (or a constant, which is slow but always correct) holding entries compared
  with the Scheme equivalence procedure.

Limit (documented, as SRFI 69 allows): a key that is mutated while in an equal?
table is not found again under its new contents; circular keys hash by identity.
Weak tables are strong. Walks run over a snapshot, so a procedure may mutate the table.
Guile's hashq-/hashv-/hash- accessors use the table's own equivalence.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

from ..values.conditions import throw, wrong_type
from ..values.misc import UNSPECIFIED
from ..values.numbers import NUMBER_CLASSES
from ..values.pairs import NIL, Pair, from_iter, to_list, cons
from ..values.strings import MString
from .argtypes import A, Arg
from .equivalence import eqv_key, equal_key, equal_p, eq_p, eqv_p
from .registry import LIBRARIES, primitive

SRFI69 = "(srfi 69)"
EXTRAS = "(polysock extras)"
_MASK = (1 << 61) - 1


class HashTable:
    """A Scheme hash table; ``equiv`` and ``hashfn`` are the Scheme procedures it reports."""

    __slots__ = ("equiv", "hashfn", "weak")
    equiv: Any
    hashfn: Any
    weak: bool

    def lookup(self, key: Any) -> Optional[list]:
        """The entry ``[key, value]`` for *key*, or None."""
        raise NotImplementedError

    def put(self, key: Any, value: Any) -> None:
        raise NotImplementedError

    def remove(self, key: Any) -> Optional[list]:
        """Delete *key*; return its entry, or None."""
        raise NotImplementedError

    def entries(self) -> List[list]:
        """A snapshot of the entries."""
        raise NotImplementedError

    def size(self) -> int:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def copy(self) -> "HashTable":
        raise NotImplementedError


class KeyedTable(HashTable):
    """A table whose keys are normalised to hashable Python keys."""

    __slots__ = ("norm", "d")

    def __init__(self, norm: Callable[[Any], Any], equiv: Any, hashfn: Any, weak: bool = False) -> None:
        self.norm = norm
        self.d: Dict[Any, list] = {}
        self.equiv, self.hashfn, self.weak = equiv, hashfn, weak

    def lookup(self, key: Any) -> Optional[list]:
        return self.d.get(self.norm(key))

    def put(self, key: Any, value: Any) -> None:
        nk = self.norm(key)
        e = self.d.get(nk)
        if e is None:
            self.d[nk] = [key, value]
        else:
            e[1] = value

    def remove(self, key: Any) -> Optional[list]:
        return self.d.pop(self.norm(key), None)

    def entries(self) -> List[list]:
        return list(self.d.values())

    def size(self) -> int:
        return len(self.d)

    def clear(self) -> None:
        self.d.clear()

    def copy(self) -> "KeyedTable":
        t = KeyedTable(self.norm, self.equiv, self.hashfn, self.weak)
        t.d = {k: [e[0], e[1]] for k, e in self.d.items()}
        return t


class ProcTable(HashTable):
    """A table with a Scheme equivalence procedure and optional Scheme hash function."""

    __slots__ = ("d", "n")

    def __init__(self, equiv: Any, hashfn: Any, weak: bool = False) -> None:
        self.d: Dict[int, List[list]] = {}
        self.n = 0
        self.equiv, self.hashfn, self.weak = equiv, hashfn, weak

    def _hash(self, key: Any) -> int:
        if self.hashfn is None:
            return 0
        h = self.hashfn(key)
        if h.__class__ is not int:
            wrong_type("hash-table", 2, "hash function returning an exact integer", self.hashfn)
        return h

    def _find(self, bucket: List[list], key: Any) -> int:
        for i, e in enumerate(bucket):
            if self.equiv(e[0], key) is not False:
                return i
        return -1

    def lookup(self, key: Any) -> Optional[list]:
        b = self.d.get(self._hash(key))
        if b:
            i = self._find(b, key)
            if i >= 0:
                return b[i]
        return None

    def put(self, key: Any, value: Any) -> None:
        h = self._hash(key)
        b = self.d.get(h)
        if b is None:
            b = self.d[h] = []
        i = self._find(b, key)
        if i >= 0:
            b[i][1] = value
        else:
            b.append([key, value])
            self.n += 1

    def remove(self, key: Any) -> Optional[list]:
        h = self._hash(key)
        b = self.d.get(h)
        if b:
            i = self._find(b, key)
            if i >= 0:
                self.n -= 1
                e = b.pop(i)
                if not b:
                    del self.d[h]
                return e
        return None

    def entries(self) -> List[list]:
        return [e for b in self.d.values() for e in b]

    def size(self) -> int:
        return self.n

    def clear(self) -> None:
        self.d.clear()
        self.n = 0

    def copy(self) -> "ProcTable":
        t = ProcTable(self.equiv, self.hashfn, self.weak)
        t.d = {h: [[e[0], e[1]] for e in b] for h, b in self.d.items()}
        t.n = self.n
        return t


A.define("hash_table", "hash table", pred=lambda x: isinstance(x, HashTable))

try:  # the printer may not be loaded in every configuration
    from ..reader.printer import PRINTERS
    PRINTERS[KeyedTable] = PRINTERS[ProcTable] = lambda x, write: f"#<hash-table {x.size()}>"
except ImportError:  # pragma: no cover
    pass


# ---------------------------------------------------------------- normalisers

def _ci_key(x: Any) -> Any:
    return ("ci", x.s.casefold()) if x.__class__ is MString else equal_key(x)


def _num_key(x: Any) -> Any:
    return x if x.__class__ in NUMBER_CLASSES else eqv_key(x)


_KNOWN = (("(scheme base)", "eq?", eqv_key), ("(scheme base)", "eqv?", eqv_key),
          ("(scheme base)", "equal?", equal_key), ("(scheme base)", "string=?", equal_key),
          ("(scheme char)", "string-ci=?", _ci_key), ("(scheme base)", "=", _num_key))


def _normaliser(equiv: Any) -> Optional[Callable[[Any], Any]]:
    """The key normaliser for a known equivalence procedure, or None."""
    if equiv is eq_p or equiv is eqv_p:
        return eqv_key
    if equiv is equal_p:
        return equal_key
    for lib, name, norm in _KNOWN:
        if LIBRARIES.get(lib, {}).get(name) is equiv:
            return norm
    return None


def _proc(lib: str, name: str) -> Any:
    return LIBRARIES.get(lib, {}).get(name, False)


def make_table(kind: str) -> KeyedTable:
    """A new table for a known equivalence: "eq", "eqv", "equal", "string"."""
    norm, equiv, hashfn = _KINDS[kind]
    return KeyedTable(norm, _proc("(scheme base)", equiv), _proc(SRFI69, hashfn))


_KINDS = {
    "eq": (eqv_key, "eq?", "hash-by-identity"),
    "eqv": (eqv_key, "eqv?", "hash"),
    "equal": (equal_key, "equal?", "hash"),
    "string": (equal_key, "string=?", "string-hash"),
}


def _new_table(who: str, equiv: Any, hashfn: Any) -> HashTable:
    if equiv is None or equiv.__class__ is int:       # Guile/MIT: an initial size
        return make_table("equal")
    if not callable(equiv):
        wrong_type(who, 1, "procedure", equiv)
    if hashfn is not None and not callable(hashfn):
        wrong_type(who, 2, "procedure", hashfn)
    norm = _normaliser(equiv)
    if norm is not None:
        return KeyedTable(norm, equiv, hashfn if hashfn is not None else _proc(SRFI69, "hash"))
    return ProcTable(equiv, hashfn)


def _not_found(who: str, key: Any) -> Any:
    throw("error", who, "key not found", key)


# ---------------------------------------------------------------- SRFI 69

@primitive("make-hash-table", A.any, A.any, lib=SRFI69)
def make_hash_table(equiv: Any = None, hashfn: Any = None, *args: Any) -> HashTable:
    """(make-hash-table [equal? [hash . args]]) -> hash-table"""
    return _new_table("make-hash-table", equiv, hashfn)


@primitive("hash-table?", A.any, lib=SRFI69)
def hash_table_p(x: Any) -> bool:
    """(hash-table? obj) -> boolean"""
    return isinstance(x, HashTable)


@primitive("hash-table-ref", A.hash_table, A.any, A.procedure, A.procedure, lib=SRFI69)
def hash_table_ref(t: HashTable, key: Any, thunk: Any = None, success: Any = None) -> Any:
    """(hash-table-ref table key [thunk [success]]) -> object"""
    e = t.lookup(key)
    if e is None:
        if thunk is None:
            _not_found("hash-table-ref", key)
        return thunk()
    return e[1] if success is None else success(e[1])


@primitive("hash-table-ref/default", A.hash_table, A.any, A.any, lib=SRFI69)
def hash_table_ref_default(t: HashTable, key: Any, default: Any) -> Any:
    """(hash-table-ref/default table key default) -> object"""
    e = t.lookup(key)
    return default if e is None else e[1]


@primitive("hash-table-set!", A.hash_table, A.any, A.any, lib=SRFI69)
def hash_table_set_bang(t: HashTable, key: Any, value: Any) -> Any:
    """(hash-table-set! table key value)"""
    t.put(key, value)
    return UNSPECIFIED


@primitive("hash-table-delete!", A.hash_table, A.any, lib=SRFI69)
def hash_table_delete_bang(t: HashTable, key: Any) -> Any:
    """(hash-table-delete! table key)"""
    t.remove(key)
    return UNSPECIFIED


@primitive("hash-table-exists?", A.hash_table, A.any, lib=SRFI69)
def hash_table_exists_p(t: HashTable, key: Any) -> bool:
    """(hash-table-exists? table key) -> boolean"""
    return t.lookup(key) is not None


@primitive("hash-table-update!", A.hash_table, A.any, A.procedure, A.procedure, lib=SRFI69)
def hash_table_update_bang(t: HashTable, key: Any, proc: Any, thunk: Any = None) -> Any:
    """(hash-table-update! table key proc [thunk])"""
    e = t.lookup(key)
    if e is None:
        if thunk is None:
            _not_found("hash-table-update!", key)
        t.put(key, proc(thunk()))
    else:
        t.put(key, proc(e[1]))
    return UNSPECIFIED


@primitive("hash-table-update!/default", A.hash_table, A.any, A.procedure, A.any, lib=SRFI69)
def hash_table_update_bang_default(t: HashTable, key: Any, proc: Any, default: Any) -> Any:
    """(hash-table-update!/default table key proc default)"""
    e = t.lookup(key)
    t.put(key, proc(default if e is None else e[1]))
    return UNSPECIFIED


@primitive("hash-table-size", A.hash_table, lib=SRFI69)
def hash_table_size(t: HashTable) -> int:
    """(hash-table-size table) -> integer"""
    return t.size()


@primitive("hash-table-keys", A.hash_table, lib=SRFI69)
def hash_table_keys(t: HashTable) -> Any:
    """(hash-table-keys table) -> list"""
    return from_iter([e[0] for e in t.entries()])


@primitive("hash-table-values", A.hash_table, lib=SRFI69)
def hash_table_values(t: HashTable) -> Any:
    """(hash-table-values table) -> list"""
    return from_iter([e[1] for e in t.entries()])


@primitive("hash-table-walk", A.hash_table, A.procedure, lib=SRFI69)
def hash_table_walk(t: HashTable, proc: Any) -> Any:
    """(hash-table-walk table proc)"""
    for e in t.entries():
        proc(e[0], e[1])
    return UNSPECIFIED


@primitive("hash-table-fold", A.hash_table, A.procedure, A.any, lib=SRFI69)
def hash_table_fold(t: HashTable, kons: Any, knil: Any) -> Any:
    """(hash-table-fold table kons knil) -> object"""
    acc = knil
    for e in t.entries():
        acc = kons(e[0], e[1], acc)
    return acc


@primitive("hash-table->alist", A.hash_table, lib=SRFI69)
def hash_table_to_alist(t: HashTable) -> Any:
    """(hash-table->alist table) -> alist"""
    return from_iter([cons(e[0], e[1]) for e in t.entries()])


@primitive("alist->hash-table", A.list, A.procedure, A.procedure, lib=SRFI69)
def alist_to_hash_table(alist: Any, equiv: Any = None, hashfn: Any = None, *args: Any) -> HashTable:
    """(alist->hash-table alist [equal? [hash . args]]) -> hash-table"""
    items = to_list(alist) if alist is not NIL else []
    if items is None or any(not isinstance(p, Pair) for p in items):
        wrong_type("alist->hash-table", 1, "association list", alist)
    t = _new_table("alist->hash-table", equiv, hashfn)
    for p in items:
        if t.lookup(p.car) is None:      # the first association takes precedence
            t.put(p.car, p.cdr)
    return t


@primitive("hash-table-copy", A.hash_table, A.any, lib=SRFI69)
def hash_table_copy(t: HashTable, mutable: Any = False) -> HashTable:
    """(hash-table-copy table [mutable?]) -> hash-table"""
    return t.copy()


@primitive("hash-table-clear!", A.hash_table, lib=SRFI69)
def hash_table_clear_bang(t: HashTable) -> Any:
    """(hash-table-clear! table)"""
    t.clear()
    return UNSPECIFIED


@primitive("hash-table-merge!", A.hash_table, A.hash_table, lib=SRFI69)
def hash_table_merge_bang(t1: HashTable, t2: HashTable) -> HashTable:
    """(hash-table-merge! table1 table2) -> table1"""
    for e in t2.entries():
        if t1.lookup(e[0]) is None:
            t1.put(e[0], e[1])
    return t1


@primitive("hash-table-equivalence-function", A.hash_table, lib=SRFI69)
def hash_table_equivalence_function(t: HashTable) -> Any:
    """(hash-table-equivalence-function table) -> procedure"""
    return t.equiv


@primitive("hash-table-hash-function", A.hash_table, lib=SRFI69)
def hash_table_hash_function(t: HashTable) -> Any:
    """(hash-table-hash-function table) -> procedure"""
    return t.hashfn if t.hashfn is not None else False


def _bounded(h: int, bound: Any) -> int:
    h &= _MASK
    return h if bound is None else h % bound


_BOUND = Arg("positive integer", "({x}.__class__ is int and {x} > 0)")


@primitive("hash", A.any, _BOUND, lib=SRFI69)
def hash_(obj: Any, bound: Any = None) -> int:
    """(hash obj [bound]) -> integer"""
    return _bounded(hash(equal_key(obj)), bound)


@primitive("string-hash", A.string, _BOUND, lib=SRFI69)
def string_hash(s: MString, bound: Any = None) -> int:
    """(string-hash string [bound]) -> integer"""
    return _bounded(hash(s.s), bound)


@primitive("string-ci-hash", A.string, _BOUND, lib=SRFI69)
def string_ci_hash(s: MString, bound: Any = None) -> int:
    """(string-ci-hash string [bound]) -> integer"""
    return _bounded(hash(s.s.casefold()), bound)


@primitive("hash-by-identity", A.any, _BOUND, lib=SRFI69)
def hash_by_identity(obj: Any, bound: Any = None) -> int:
    """(hash-by-identity obj [bound]) -> integer"""
    return _bounded(hash(eqv_key(obj)), bound)


# ---------------------------------------------------------------- MIT / R6RS / Guile names

def _define_maker(name: str, kind: str) -> None:
    def maker(size: Any = None) -> HashTable:
        return make_table(kind)

    maker.__name__ = name
    maker.__doc__ = f"({name} [initial-size]) -> hash-table"
    primitive(name, A.index, lib=EXTRAS)(maker)


for _name, _kind in (("make-strong-eqv-hash-table", "eqv"), ("make-strong-eq-hash-table", "eq"),
                     ("make-key-weak-eqv-hash-table", "eqv"), ("make-key-weak-eq-hash-table", "eq"),
                     ("make-eqv-hash-table", "eqv"), ("make-eq-hash-table", "eq"),
                     ("make-equal-hash-table", "equal"), ("make-string-hash-table", "string")):
    _define_maker(_name, _kind)
del _name, _kind


@primitive("hash-table-count", A.hash_table, lib=EXTRAS)
def hash_table_count(t: HashTable) -> int:
    """(hash-table-count table) -> integer"""
    return t.size()


@primitive("hash-table-contains?", A.hash_table, A.any, lib=EXTRAS)
def hash_table_contains_p(t: HashTable, key: Any) -> bool:
    """(hash-table-contains? table key) -> boolean"""
    return t.lookup(key) is not None


@primitive("hash-table/get", A.hash_table, A.any, A.any, lib=EXTRAS)
def hash_table_get(t: HashTable, key: Any, default: Any) -> Any:
    """(hash-table/get table key default) -> object"""
    e = t.lookup(key)
    return default if e is None else e[1]


@primitive("hash-table/put!", A.hash_table, A.any, A.any, lib=EXTRAS)
def hash_table_put_bang(t: HashTable, key: Any, value: Any) -> Any:
    """(hash-table/put! table key value)"""
    t.put(key, value)
    return UNSPECIFIED


@primitive("hash-table/remove!", A.hash_table, A.any, lib=EXTRAS)
def hash_table_remove_bang(t: HashTable, key: Any) -> Any:
    """(hash-table/remove! table key)"""
    t.remove(key)
    return UNSPECIFIED


@primitive("hash-table/count", A.hash_table, lib=EXTRAS)
def hash_table_slash_count(t: HashTable) -> int:
    """(hash-table/count table) -> integer"""
    return t.size()


def _define_guile(prefix: str) -> None:
    """hash-ref, hash-set!, hash-remove! under one of Guile's prefixes."""
    def ref(t: HashTable, key: Any, default: Any = False) -> Any:
        e = t.lookup(key)
        return default if e is None else e[1]

    def set_(t: HashTable, key: Any, value: Any) -> Any:
        t.put(key, value)
        return value

    def remove(t: HashTable, key: Any) -> Any:
        e = t.remove(key)
        return False if e is None else cons(e[0], e[1])

    for fn, suffix, doc, specs in ((ref, "-ref", "table key [default]) -> object", (A.hash_table, A.any, A.any)),
                                   (set_, "-set!", "table key value) -> value", (A.hash_table, A.any, A.any)),
                                   (remove, "-remove!", "table key) -> pair or #f", (A.hash_table, A.any))):
        name = prefix + suffix
        fn.__name__ = name
        fn.__doc__ = f"({name} {doc}"
        primitive(name, *specs, lib=EXTRAS)(fn)


for _prefix in ("hash", "hashq", "hashv"):
    _define_guile(_prefix)
del _prefix


@primitive("hash-for-each", A.procedure, A.hash_table, lib=EXTRAS)
def hash_for_each(proc: Any, t: HashTable) -> Any:
    """(hash-for-each proc table)"""
    for e in t.entries():
        proc(e[0], e[1])
    return UNSPECIFIED


@primitive("hash-map->list", A.procedure, A.hash_table, lib=EXTRAS)
def hash_map_to_list(proc: Any, t: HashTable) -> Any:
    """(hash-map->list proc table) -> list"""
    return from_iter([proc(e[0], e[1]) for e in t.entries()])


@primitive("hash-fold", A.procedure, A.any, A.hash_table, lib=EXTRAS)
def hash_fold(proc: Any, init: Any, t: HashTable) -> Any:
    """(hash-fold proc init table) -> object"""
    acc = init
    for e in t.entries():
        acc = proc(e[0], e[1], acc)
    return acc


@primitive("hash-clear!", A.hash_table, lib=EXTRAS)
def hash_clear_bang(t: HashTable) -> Any:
    """(hash-clear! table)"""
    t.clear()
    return UNSPECIFIED


@primitive("hash-count", A.procedure, A.hash_table, lib=EXTRAS)
def hash_count(pred: Any, t: HashTable) -> int:
    """(hash-count pred table) -> integer"""
    return sum(1 for e in t.entries() if pred(e[0], e[1]) is not False)

