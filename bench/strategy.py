"""Why polysock compiles to Python AST: fib(25) through a closure-tree compiler of the
same core forms versus polysock's AST compiler, side by side (python -m bench.strategy).

The closure compiler here is the textbook alternative (each core node becomes a Python
closure; a variable reference is a closure call; proper tail calls would add a
trampoline on top, which it does not even pay here). Both run the same expanded core
forms, so the difference is the execution strategy alone.
"""
from __future__ import annotations

import statistics
import sys
import time
from typing import Any, Callable, List

sys.setrecursionlimit(100000)

from polysock import toplevel as T  # noqa: E402
from polysock.expander import core as C  # noqa: E402
from polysock.reader.parser import Reader  # noqa: E402

SRC = "(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))"


def closure_compile(n: C.Node, env: dict, frame_vars: List[C.Var]) -> Callable[[list], Any]:
    """Core form -> closure taking the frame (a list of argument values)."""
    if isinstance(n, C.Const):
        v = n.value
        return lambda fr: v
    if isinstance(n, C.LocalRef):
        i = frame_vars.index(n.var)
        return lambda fr: fr[i]
    if isinstance(n, C.GlobalRef):
        name = n.name
        ns = n.env.namespace
        return lambda fr: ns[name] if name in ns else env[name]
    if isinstance(n, C.If):
        t, a, b = (closure_compile(x, env, frame_vars) for x in (n.test, n.then, n.else_))
        return lambda fr: a(fr) if t(fr) is not False else b(fr)
    if isinstance(n, C.Call):
        f = closure_compile(n.fn, env, frame_vars)
        args = [closure_compile(a, env, frame_vars) for a in n.args]
        if len(args) == 1:
            a0 = args[0]
            return lambda fr: f(fr)(a0(fr))
        a0, a1 = args
        return lambda fr: f(fr)(a0(fr), a1(fr))
    if isinstance(n, C.Lambda):
        body = closure_compile(n.body, env, n.params)
        return lambda fr: (lambda *a: body(list(a)))
    raise TypeError(n)


def main() -> None:
    tenv = T.make_environment()
    T.eval_string(SRC, tenv)
    ast_fib = tenv.namespace["fib"]
    d = Reader(SRC).read()
    node = T.SESSION.expander.expand_toplevel(d, T.make_environment())
    env: dict = {"<": lambda a, b: a < b, "+": lambda a, b: a + b, "-": lambda a, b: a - b}
    clo_fib = closure_compile(node.value, env, [])([])  # type: ignore[attr-defined]
    env["fib"] = clo_fib

    def py_fib(n: int) -> int:
        return n if n < 2 else py_fib(n - 1) + py_fib(n - 2)

    rows = []
    for label, fn in (("python", py_fib), ("polysock AST", ast_fib), ("closure tree", clo_fib)):
        ts = []
        for _ in range(5):
            t = time.perf_counter()
            assert fn(25) == 75025
            ts.append(time.perf_counter() - t)
        rows.append((label, statistics.median(ts)))
    base = rows[0][1]
    for label, t in rows:
        print(f"{label:14s} fib(25) {t * 1000:8.1f} ms  ratio to python {t / base:5.2f}")


if __name__ == "__main__":
    main()
