"""What the compiler tests share: the Python a top-level form compiles to, and running code."""
from __future__ import annotations

import ast
from typing import Any

from polysock import toplevel as T
from polysock.compiler import pycode, receive
from polysock.reader.parser import Reader


def python_of(src: str) -> str:
    """The generated Python of one top-level form, unparsed."""
    env = T.make_environment()
    node = T.SESSION.expander.expand_toplevel(Reader(src).read(), env)
    node = receive.rewrite(node, env)
    gen = pycode.FnGen(pycode.Unit(env, "t.scm", pycode.Analysis(node)), None, is_top=True)
    return ast.unparse(gen.toplevel(node))


def run(src: str) -> Any:
    """The value of the last form of *src* in a fresh r7rs environment."""
    return T.eval_string(src, T.make_environment())
