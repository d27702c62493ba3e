"""The command line: run a file, evaluate an expression, or start the REPL.

The program runs on a thread with a large stack and a high recursion limit, so deep
non-tail recursion (10^6 frames) works as in Guile and CHICKEN; Ctrl-C is relayed to
that thread and stops the program with status 130.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import threading
from typing import Any, Callable, List, Optional

from . import __version__

STACK_BYTES = 1 << 30          # virtual; pages are touched only as deep recursion needs them
RECURSION_LIMIT = 4_000_000

HELP_EPILOG = """\
dialects: r7rs (default), plus every dialect installed in polysock.dialects
  (chicken, guile, scsh, mit, scm as they land). Without --dialect the dialect is
  detected from the program: (import socket) or (use socket) -> chicken,
  (use-modules ...) -> guile, (require 'socket) -> scm, a scsh #! header -> scsh.

exit status: 0 on success, the value given to (exit n), 1 after an uncaught error
  (a dialect reports it as its real system does: chicken 70, mit 14), 130 after Ctrl-C.

environment: compiled code is cached in $POLYSOCK_CACHE_DIR (default
  $XDG_CACHE_HOME/polysock or ~/.cache/polysock), also under PYTHONDONTWRITEBYTECODE;
  POLYSOCK_NO_CACHE=1 turns the cache off. A lone thread's socket read busy-polls
  up to $POLYSOCK_SPIN_US microseconds (default 100; 0 = never) before it blocks.
"""


def _parser() -> argparse.ArgumentParser:
    from .toplevel import DIALECTS
    p = argparse.ArgumentParser(
        prog="polysock",
        description="polysock: a Scheme for network programming (R7RS-small, SRFI 106, and the "
                    "socket dialects of scsh, CHICKEN, Guile, MIT/GNU Scheme and SCM).",
        epilog=HELP_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", nargs="?", help="Scheme program to run ('-' reads standard input)")
    p.add_argument("args", nargs=argparse.REMAINDER, help="arguments visible to the program as (command-line)")
    p.add_argument("-e", "--eval", metavar="EXPR", action="append",
                   help="evaluate EXPR and print its value (repeatable)")
    p.add_argument("--dialect", choices=sorted(DIALECTS), help="the environment to run in")
    p.add_argument("--version", action="version", version=f"polysock {__version__}")
    return p


def run_on_big_stack(fn: Callable[[], int]) -> int:
    """Run *fn* on a thread with a large C stack; relay Ctrl-C to it.

    The main thread waits on an Event, not Thread.join: a KeyboardInterrupt that lands
    inside join() can leave the Thread marked as stopped while it still runs."""
    result: List[int] = [1]
    done = threading.Event()

    def target() -> None:
        try:
            from .hub.scheduler import SCHED
            SCHED.rebind_to_this_os_thread()
            result[0] = fn()
        except KeyboardInterrupt:
            sys.stderr.write("\ninterrupted\n")
            result[0] = 130
        finally:
            done.set()

    sys.setrecursionlimit(RECURSION_LIMIT)
    old = threading.stack_size()
    try:
        threading.stack_size(STACK_BYTES)
    except (ValueError, RuntimeError):  # pragma: no cover - platform without it
        return fn()
    t = threading.Thread(target=target, name="polysock-main", daemon=True)
    pending = False     # a Ctrl-C to relay
    try:                # start() waits for the GIL, and the program may already be running
        t.start()       # (and printing) when a Ctrl-C lands here
    except KeyboardInterrupt:
        pending = True
    finally:
        threading.stack_size(old)
    while True:
        try:
            if pending:
                pending = False
                if t.ident is not None:
                    import ctypes   # only needed here; ~2 ms at every start otherwise
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(t.ident),
                                                               ctypes.py_object(KeyboardInterrupt))
                    _wake_hub()
                if not done.wait(2.0):
                    sys.stderr.write("\ninterrupted\n")
                    return 130
            if done.wait(0.25):
                return result[0]
        except KeyboardInterrupt:
            pending = True


def _wake_hub() -> None:
    try:
        from .hub import hub
        w = getattr(hub, "wakeup", None)
        if w is not None:
            w()
    except Exception:
        pass


def _flush() -> None:
    try:
        from .runtime.ports import flush_all
        flush_all()
        sys.stdout.flush()
    except Exception:
        pass


def run_program(runner: Callable[[], Any], dialect: Optional[str] = None) -> int:
    """Run *runner*, turning Scheme errors and exit into a status code."""
    from .toplevel import error_payload, format_error, report_error
    from .values.conditions import SchemeExit
    try:
        runner()
    except SchemeExit as e:
        _flush()
        return e.code
    except KeyboardInterrupt:
        _flush()
        sys.stderr.write("\ninterrupted\n")
        return 130
    except BrokenPipeError:   # our standard output went away (e.g. piped into head)
        return 141
    except RecursionError as e:  # pragma: no cover - reported like any error
        _flush()
        sys.stderr.write(format_error(error_payload(e), e.__traceback__) + "\n")
        return 1
    except BaseException as e:  # noqa: BLE001 - the one place every error is reported
        _flush()
        text, status = report_error(error_payload(e), e.__traceback__, dialect)
        sys.stderr.write(text + "\n")
        return status
    _flush()
    return 0


#: Container allocations between two young-generation collections (CPython: 700).
#: At 50,000 a merge sort of 30,000-element lists still met five collections, each
#: scanning the lists it was building (3% of its time); cyclic garbage waits for at
#: most this many objects (about 10 MB of pairs).
GC_YOUNG_THRESHOLD = 200_000


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Start-up allocates ~10^5 long-lived objects (primitives, tables, code): collecting
    # while they are made only costs time, and frozen they are never scanned again.
    gc.disable()
    try:
        return _start(argv)
    finally:
        if not gc.isenabled():
            gc.enable()


def _start(argv: List[str]) -> int:
    from .toplevel import DIALECT_ERRORS, DIALECTS, load_dialect
    for i, a in enumerate(argv):
        name = argv[i + 1] if a == "--dialect" and i + 1 < len(argv) else (a.split("=", 1)[1] if a.startswith("--dialect=") else None)
        if name is not None and name in DIALECTS:
            try:
                load_dialect(name)
            except KeyError:
                sys.stderr.write(f"polysock: dialect {name} failed to load: {DIALECT_ERRORS.get(name, 'unknown error')}\n")
                return 2
    ns = _parser().parse_args(argv)
    gc.freeze()
    # Scheme programs allocate pairs, closures and strings at a high rate, nearly all
    # freed by reference counting; at CPython's default (a young collection every 700
    # container allocations) the cycle collector took a quarter of a merge sort's time.
    gc.set_threshold(GC_YOUNG_THRESHOLD, 20, 20)
    gc.enable()
    return run_on_big_stack(lambda: _main(ns))


def _set_command_line(prog: str, args: List[str]) -> None:
    try:
        from .runtime import system
        system.COMMAND_LINE[:] = [prog] + list(args)
    except ImportError:  # pragma: no cover
        pass


def _main(ns: argparse.Namespace) -> int:
    from . import toplevel as T
    from .reader.printer import write_string
    from .values.misc import UNSPECIFIED
    if ns.eval:
        _set_command_line("polysock", ns.args or [])   # before the environment: SCM's *argv*
        env = T.make_environment(ns.dialect or "r7rs")
        T.INTERACTION[:] = [env]      # where load and one-argument eval work

        def run_exprs() -> None:
            for expr in ns.eval:
                v = T.eval_string(expr, env, "<command line>")
                if v is not UNSPECIFIED and not isinstance(v, T.compile_toplevel.__class__):
                    from .compiler.pycode import DEFINED
                    if not isinstance(v, DEFINED):
                        _print_value(v)
            if ns.file:
                T.load_file(ns.file, env)
        return run_program(run_exprs, ns.dialect or "r7rs")
    if ns.file is None:
        from .repl import repl
        return repl(ns.dialect or "r7rs")
    path = ns.file
    if path == "-":
        text = sys.stdin.read()
        path = "<stdin>"
    else:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            sys.stderr.write(f"polysock: cannot open {path}: {e.strerror}\n")
            return 2
    dialect = ns.dialect or T.detect_dialect(text)
    try:
        T.load_dialect(dialect)
    except KeyError:
        sys.stderr.write(f"polysock: dialect {dialect} failed to load: {T.DIALECT_ERRORS.get(dialect, 'unknown error')}\n")
        return 2
    _set_command_line(ns.file, ns.args or [])
    env = T.make_environment(dialect)
    T.INTERACTION[:] = [env]          # where load and one-argument eval work

    def run_file() -> None:
        T.SESSION.file_stack.append(os.path.abspath(path) if path != "<stdin>" else path)
        try:
            T.eval_string(text, env, path)
        finally:
            T.SESSION.file_stack.pop()
    return run_program(run_file, dialect)


def _print_value(v: Any) -> None:
    from .reader.printer import write_string
    from .values.misc import MultipleValues
    if isinstance(v, MultipleValues):
        for x in v.vals:
            print(write_string(x))
    else:
        print(write_string(v))
    sys.stdout.flush()
