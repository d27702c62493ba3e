"""assoc's alist index: built for long alists searched by string key more than once,
it must answer exactly as the scan does, before and after every kind of write."""
from __future__ import annotations

import pytest

from polysock import toplevel
from polysock.reader.printer import write_string
from polysock.runtime import lists
from polysock.runtime.registry import LIBRARIES
from polysock.values.conditions import SchemeError
from polysock.values.misc import WRITES
from polysock.values.pairs import NIL, Pair, from_iter
from polysock.values.strings import MString, splice
from polysock.values.symbols import intern

BASE = LIBRARIES["(scheme base)"]
X = LIBRARIES["(polysock extras)"]
assoc = BASE["assoc"]


def L(*xs):
    return from_iter(xs)


def table(n, dup=False, symbol_at=None):
    """An alist of n entries ("k0" . 0) ..., one of them keyed by a symbol if asked."""
    entries = [Pair() for _ in range(n)]
    for i, e in enumerate(entries):
        e.car = intern("sym") if i == symbol_at else MString(f"k{i}")
        e.cdr = i
    if dup:
        entries.append(L(MString("k1"), "second k1"))
    return from_iter(entries)


def reference(text, alist):
    """The scan, written plainly: the first entry whose key is a string with *text*."""
    p = alist
    while isinstance(p, Pair):
        if p.car.car.__class__ is MString and p.car.car.s == text:
            return p.car
        p = p.cdr
    return False


def probe(alist, n):
    """Look every key k0..k(n+4) up; each answer must be the reference scan's."""
    for i in range(n + 5):
        got = assoc(MString(f"k{i}"), alist)
        assert got is reference(f"k{i}", alist), i


@pytest.fixture(autouse=True)
def fresh_index():
    lists._INDEXES.clear()
    lists._SCANS.clear()
    lists._FIRST_NEED[0] = 2
    yield
    lists._INDEXES.clear()
    lists._SCANS.clear()
    lists._FIRST_NEED[0] = 2


def indexed(alist):
    entry = lists._INDEXES.get(id(alist))
    return entry is not None and entry[0] is alist and entry[1] == WRITES[0]


def test_long_alist_is_indexed_on_its_second_long_scan_and_answers_like_the_scan():
    al = table(60, dup=True)
    assert assoc(MString("k40"), al).cdr == 40
    assert not indexed(al)
    assert assoc(MString("k50"), al).cdr == 50
    assert indexed(al)
    probe(al, 60)
    assert assoc(MString("k1"), al).cdr == 1           # the first of two "k1" entries
    assert assoc(MString("nope"), al) is False
    assert lists._INDEXES[id(al)][3] >= 60              # the lookups went through the index


@pytest.mark.parametrize("at", [0, 10, 30, 59])
def test_a_key_that_is_not_a_string_is_never_a_match(at):
    al = table(60, symbol_at=at)
    for _ in range(3):
        probe(al, 60)
        assert assoc(MString("sym"), al) is False


def test_short_scans_do_not_count():
    al = table(60)
    for _ in range(10):
        assert assoc(MString("k3"), al).cdr == 3
    assert not indexed(al) and id(al) not in lists._SCANS


def _entry(al, i):
    p = al
    for _ in range(i):
        p = p.cdr
    return p.car


WRITES_TO_MAKE = {
    "set-car! on an entry (its key)": lambda al: BASE["set-car!"](_entry(al, 5), MString("k40")),
    "set-cdr! on the spine (truncate)": lambda al: BASE["set-cdr!"](lists.list_tail(al, 20), NIL),
    "set-car! on the spine (replace an entry)": lambda al: BASE["set-car!"](al.cdr, L(MString("k45"), "new")),
    "list-set!": lambda al: BASE["list-set!"](al, 2, L(MString("k44"), "set")),
    "string-set! on a key": lambda al: BASE["string-set!"](_entry(al, 10).car, 1, "4"),   # k10 -> k40
    "string-fill! on a key": lambda al: BASE["string-fill!"](_entry(al, 11).car, "x"),
    "string-copy! into a key": lambda al: BASE["string-copy!"](_entry(al, 12).car, 0, MString("k4")),
    "append!": lambda al: X["append!"](al, L(L(MString("k70"), 70))),
    "reverse!": lambda al: X["reverse!"](al),
    "delete!": lambda al: X["delete!"](_entry(al, 3), al),
    "sort!": lambda al: X["sort!"](al, lambda a, b: a.cdr.__class__ is int and b.cdr.__class__ is int
                                   and a.cdr > b.cdr),
    "splice (the dialects' read-string! into a buffer)": lambda al: splice(_entry(al, 13).car, 1, "41"),
}


@pytest.mark.parametrize("write", WRITES_TO_MAKE, ids=list(WRITES_TO_MAKE))
def test_every_write_to_pairs_or_strings_retires_the_index(write):
    al = table(60, dup=True)
    probe(al, 60)
    assert indexed(al)
    before = WRITES[0]
    WRITES_TO_MAKE[write](al)
    assert WRITES[0] > before
    assert not indexed(al)
    probe(al, 75)           # answers follow the new contents (and may index them again)
    probe(al, 75)


def test_answers_after_a_write_that_adds_an_earlier_match():
    al = table(60)
    probe(al, 60)
    BASE["string-set!"](_entry(al, 2).car, 1, "5")   # "k2" becomes "k5": now the first "k5"
    assert assoc(MString("k5"), al) is _entry(al, 2)
    assert assoc(MString("k2"), al) is False


def test_an_alist_a_scan_would_reject_is_never_indexed():
    bad = L(*[L(MString(f"k{i}"), i) for i in range(40)], 7)        # a non-pair entry at the end
    improper = from_iter([L(MString(f"k{i}"), i) for i in range(40)], tail=5)
    for al in (bad, improper):
        for _ in range(6):
            assert assoc(MString("k35"), al).cdr.car == 35
            with pytest.raises(SchemeError) as ei:
                assoc(MString("missing"), al)
            assert ei.value.payload.who == "assoc"
        assert not indexed(al)
        assert lists._SCANS[id(al)][2] == lists._NEED_MAX


def test_circular_alist_still_finds_and_raises():
    al = table(30)
    p = al
    while p.cdr is not NIL:
        p = p.cdr
    p.cdr = al
    for _ in range(4):
        assert assoc(MString("k25"), al).cdr == 25
        with pytest.raises(SchemeError):
            assoc(MString("missing"), al)
    assert not indexed(al)


def test_an_index_that_goes_stale_unused_makes_the_next_build_wait_longer():
    al = table(60)
    buf = MString("buffer")
    for _ in range(40):
        assert assoc(MString("k55"), al).cdr == 55
        BASE["string-set!"](buf, 0, "B")                   # an unrelated write every time
    assert lists._SCANS[id(al)][2] >= 16


def test_an_index_that_served_keeps_being_rebuilt_promptly():
    al = table(60)
    for _ in range(5):
        for _ in range(10):
            assert assoc(MString("k55"), al).cdr == 55
        BASE["set-cdr!"](_entry(al, 0), "changed")
    assert lists._SCANS[id(al)][2] == 2
    assert assoc(MString("k0"), al).cdr == "changed"


def test_indexes_are_bounded_and_oldest_goes_first():
    alists = [table(40) for _ in range(lists._INDEXES_MAX + 4)]
    for al in alists:
        probe(al, 40)
    assert len(lists._INDEXES) == lists._INDEXES_MAX
    assert not indexed(alists[0]) and indexed(alists[-1])
    for al in alists:
        probe(al, 40)


def test_compiled_program_sees_writes():
    out = toplevel.eval_string('''
      (define (make n)
        (let loop ((k (- n 1)) (acc '()))
          (if (< k 0) acc (loop (- k 1) (cons (cons (string-append "k" (number->string k)) k) acc)))))
      (define t (make 50))
      (define (find k) (let ((e (assoc (string-append "k" (number->string k)) t))) (and e (cdr e))))
      (define a (list (find 40) (find 41) (find 42)))
      (string-set! (car (list-ref t 3)) 1 #\\9)   ; "k3" -> "k9": now the first "k9"
      (set-cdr! (list-ref t 3) 'moved)
      (list a (find 9) (find 3) (find 45))''')
    assert write_string(out) == "((40 41 42) moved #f 45)"


def test_fresh_alists_each_searched_a_few_times_soon_stop_being_indexed():
    builds = 0
    for _ in range(200):
        al = table(60)
        for k in (40, 50, 55):                       # three lookups, then the alist is dropped
            assert assoc(MString(f"k{k}"), al).cdr == k
        builds += indexed(al)
    assert lists._FIRST_NEED[0] > 3                  # the fourth scan would be needed now
    assert builds <= lists._INDEXES_MAX + 1


@pytest.mark.parametrize("lookups, worth", [(5, False), (9, True), (17, True)])
def test_fresh_alists_are_indexed_only_while_their_indexes_pay(lookups, worth):
    builds = 0
    for _ in range(300):
        al = table(60)
        for _ in range(lookups):
            assert assoc(MString("k45"), al).cdr == 45
        builds += indexed(al)
    if worth:          # each index served lookups - 2 >= _PAID: keep building
        assert builds == 300 and lists._FIRST_NEED[0] == 2
    else:
        assert builds <= 2 * lists._INDEXES_MAX

def test_indexes_that_served_keep_the_first_need_low():
    for _ in range(30):
        al = table(60)
        for _ in range(3):
            probe(al, 60)
    assert lists._FIRST_NEED[0] == 2
