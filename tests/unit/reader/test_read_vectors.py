"""Run the reader test vectors in tests/vectors/reader/*.txt (format: FORMAT.txt)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from polysock.reader.parser import Reader, ReaderOptions
from polysock.reader.printer import display_string, write_shared_string, write_string
from polysock.values.conditions import SchemeError
from polysock.values.pairs import SrcPair

VECTOR_DIR = Path(__file__).resolve().parents[2] / "vectors" / "reader"
PRINTERS = {"==>": write_string, "=S>": write_shared_string, "=D>": display_string}
MARKERS = ("==>", "=S>", "=D>", "!!>", "@@>")
CASE_LINE = re.compile(r"--- (\S+)\s*(?:\{(.*)\})?\s*$")


class Case:
    def __init__(self, file: str, name: str, options: Dict[str, Any]) -> None:
        self.file, self.name, self.options = file, name, options
        self.input: List[str] = []
        self.expect: List[Tuple[str, str]] = []

    @property
    def id(self) -> str:
        return f"{self.file}::{self.name}"


def _options(spec: str) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for item in (spec or "").split():
        key, _, value = item.partition("=")
        out[key] = value if key == "keywords" else bool(int(value))
    return out


def load_cases() -> List[Case]:
    cases: List[Case] = []
    for path in sorted(VECTOR_DIR.glob("*.txt")):
        if path.name == "FORMAT.txt":
            continue
        current = None
        for line in path.read_text(encoding="utf-8").split("\n"):
            m = CASE_LINE.match(line)
            if m:
                current = Case(path.name, m.group(1), _options(m.group(2)))
                cases.append(current)
            elif current is None:
                continue
            elif line[:3] in MARKERS:
                current.expect.append((line[:3], line[4:]))
            elif current.expect:
                assert not line.strip(), f"{current.id}: stray line after expectations: {line!r}"
            else:
                current.input.append(line)
    return cases


CASES = load_cases()


def test_vector_files_are_well_formed() -> None:
    assert len(CASES) > 100
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case names"
    for c in CASES:
        assert c.expect, f"{c.id} has no expectations"


def _follow(datum: Any, path: str) -> Any:
    for step in "" if path == "-" else path:
        datum = datum.car if step == "a" else datum.cdr
    return datum


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_vector(case: Case) -> None:
    text = "\n".join(case.input)
    reader = Reader(text, "<vector>", ReaderOptions(**case.options))
    errors = [e for e in case.expect if e[0] == "!!>"]
    if errors:
        assert len(errors) == 1
        where, _, fragment = errors[0][1].partition(" ")
        line, col = map(int, where.split(":"))
        with pytest.raises(SchemeError) as info:
            reader.read_all()
        cond = info.value.payload
        assert cond.kind == "read"
        assert (cond.loc.line, cond.loc.col) == (line, col), cond.message
        assert cond.message.startswith(f"<vector>:{line}:{col}: "), cond.message
        assert fragment in cond.message
        assert (cond.data["line"], cond.data["col"], cond.data["file"]) == (line, col, "<vector>")
        return
    datums = reader.read_all()
    assert len(datums) == sum(1 for e in case.expect if e[0] == "==>"), \
        [write_string(d) for d in datums]
    index = -1
    for marker, expected in case.expect:
        if marker == "==>":
            index += 1
        if marker in PRINTERS:
            assert PRINTERS[marker](datums[index]) == expected, marker
    for marker, spec in case.expect:
        if marker == "@@>":
            index, path, where = spec.split()
            node = _follow(datums[int(index)], path)
            assert isinstance(node, SrcPair), f"{spec}: not a SrcPair"
            line, col = map(int, where.split(":"))
            assert (node.loc.file, node.loc.line, node.loc.col) == ("<vector>", line, col)
