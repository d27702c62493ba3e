"""Import direction (STYLE.md §1): every polysock module's imports point down only.

values < reader < expander < compiler;  values < hub < runtime < net < dialects;
runtime (and so net and dialects) may also use reader. toplevel, cli and the package
entry points see everything. dialects never import socket, select or selectors.
"""
from __future__ import annotations

import ast
import pathlib
from typing import Dict, Iterator, Set, Tuple

SRC = pathlib.Path(__file__).resolve().parent.parent / "src" / "polysock"

ALLOWED: Dict[str, Set[str]] = {
    "values": {"values"},
    "reader": {"values", "reader"},
    "expander": {"values", "reader", "expander"},
    "compiler": {"values", "reader", "expander", "compiler"},
    "hub": {"values", "hub"},
    "runtime": {"values", "hub", "reader", "runtime"},
    "net": {"values", "hub", "reader", "runtime", "net"},
    "dialects": {"values", "hub", "reader", "runtime", "net", "dialects"},
}
UNRESTRICTED = {"toplevel", "cli", "__init__", "__main__"}
FORBIDDEN_STDLIB = {"dialects": {"socket", "select", "selectors"}}
# Known upward imports, each reported to its owner; delete an entry once fixed.
KNOWN_VIOLATIONS = {
}


def modules() -> Iterator[Tuple[pathlib.Path, Tuple[str, ...]]]:
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        yield path, tuple(rel.parts)


def imports_of(path: pathlib.Path, parts: Tuple[str, ...]) -> Iterator[Tuple[int, str]]:
    """(line, absolute module name) for every import in *path*."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield node.lineno, a.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                mod = ".".join(base + ((node.module,) if node.module else ()))
                if not node.module:            # from . import x  -> each x is a module
                    for a in node.names:
                        yield node.lineno, f"{mod}.{a.name}"
                    continue
                yield node.lineno, mod
            else:
                yield node.lineno, node.module or ""


def layer_of(parts: Tuple[str, ...]) -> str:
    """'net' for polysock/net/x.py, 'cli' for polysock/cli.py."""
    return parts[1]


def test_layers_import_downwards_only():
    bad = []
    for path, parts in modules():
        layer = layer_of(parts)
        if layer in UNRESTRICTED:
            continue
        allowed = ALLOWED.get(layer)
        if allowed is None:
            continue
        for line, mod in imports_of(path, parts):
            bits = mod.split(".")
            if bits[0] != "polysock" or len(bits) < 2:
                continue
            target = bits[1]
            where = str(path.relative_to(SRC.parent))
            if target not in allowed and (where, mod) not in KNOWN_VIOLATIONS:
                bad.append(f"{path.relative_to(SRC.parent)}:{line}: {layer} imports {mod}")
    assert not bad, "\n".join(bad)


def test_dialects_do_not_touch_sockets_directly():
    bad = []
    for path, parts in modules():
        forbidden = FORBIDDEN_STDLIB.get(layer_of(parts))
        if not forbidden:
            continue
        for line, mod in imports_of(path, parts):
            if mod.split(".")[0] in forbidden:
                bad.append(f"{path.relative_to(SRC.parent)}:{line}: imports {mod}")
    assert not bad, "\n".join(bad)


def test_the_checker_sees_relative_imports(tmp_path):
    f = tmp_path / "m.py"
    f.write_text("from ..net import sockets\nfrom . import x\nimport socket\n")
    got = list(imports_of(f, ("polysock", "dialects", "m")))
    assert got == [(1, "polysock.net"), (2, "polysock.dialects.x"), (3, "socket")]
