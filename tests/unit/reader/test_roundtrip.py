"""Property: reading what `write` printed gives an equal datum (and write is stable)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from reader_testutil import FakePort, equal

from polysock.reader.parser import Reader, read_all
from polysock.reader.printer import write_shared_string, write_string
from polysock.values.misc import EOF
from polysock.values.numbers import make_rational
from polysock.values.pairs import NIL, Pair, from_iter, cons
from polysock.values.strings import MString
from polysock.values.symbols import intern

# any code point except surrogates (not representable in Scheme strings/chars)
chars = st.characters(blacklist_categories=("Cs",))
ints = st.integers(min_value=-10 ** 30, max_value=10 ** 30)
rationals = st.builds(make_rational, st.integers(-10 ** 6, 10 ** 6), st.integers(1, 10 ** 6))
floats = st.floats(allow_nan=True, allow_infinity=True)
complexes = st.builds(complex, st.floats(), st.floats())
strings = st.builds(MString, st.text(chars, max_size=12))
symbols = st.builds(intern, st.text(chars, max_size=10))
atoms = st.one_of(
    st.booleans(), ints, rationals, floats, complexes, chars, strings, symbols,
    st.just(NIL), st.builds(bytearray, st.binary(max_size=6)),
)


def _lists(children: st.SearchStrategy) -> st.SearchStrategy:
    proper = st.lists(children, max_size=5).map(from_iter)
    dotted = st.tuples(st.lists(children, min_size=1, max_size=4), children).map(
        lambda t: from_iter(t[0], t[1]))
    vectors = st.lists(children, max_size=5)
    return st.one_of(proper, dotted, vectors)


data = st.recursive(atoms, _lists, max_leaves=25)


@settings(max_examples=400, deadline=None)
@given(data)
def test_write_then_read_gives_equal_datum(x: object) -> None:
    text = write_string(x)
    back = read_all(text)
    assert len(back) == 1, text
    assert equal(back[0], x), text
    assert write_string(back[0]) == text


@settings(max_examples=150, deadline=None)
@given(st.lists(data, min_size=1, max_size=4))
def test_port_reader_agrees_with_text_reader(xs: list) -> None:
    text = " ".join(write_string(x) for x in xs)
    r = Reader.from_port(FakePort(text))
    got = []
    while (d := r.read()) is not EOF:
        got.append(d)
    assert len(got) == len(xs)
    for a, b in zip(got, xs):
        assert equal(a, b), text


@settings(max_examples=150, deadline=None)
@given(st.lists(data, min_size=1, max_size=4), st.data())
def test_cycles_and_sharing_round_trip(xs: list, draw: st.DataObject) -> None:
    # build a list of the generated items, then close it into a cycle and share an item
    lst = from_iter(xs)
    last = lst
    while last.cdr is not NIL:
        last = last.cdr
    last.cdr = lst
    shared = cons(lst, cons(lst, NIL))
    for text in (write_string(shared), write_shared_string(shared)):
        back = read_all(text)[0]
        assert write_string(back) == write_string(shared), text
        assert write_shared_string(back) == write_shared_string(shared), text
        assert back.car.car is not None
