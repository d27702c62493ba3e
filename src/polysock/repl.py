"""The interactive REPL: line editing and history (prompt_toolkit), multi-line input
(a datum is read once it is complete), values printed with write, errors reported
without leaving the REPL. Comma commands: ,help ,quit ,dialect ,threads ,sockets."""
from __future__ import annotations

import os
import sys
from typing import Any, List, Optional

from .values.misc import EOF, UNSPECIFIED, MultipleValues

HELP = """,help      this text
,quit      leave the REPL (also Ctrl-D)
,dialect   show the dialect of this REPL
,threads   list green threads
,sockets   list open sockets"""


def _complete(text: str) -> bool:
    """True when *text* holds only complete datums (or a reader error that more input cannot fix)."""
    from .reader.parser import Reader
    from .values.conditions import SchemeError
    try:
        r = Reader(text, "<repl>")
        while r.read() is not EOF:
            pass
        return True
    except SchemeError as e:
        msg = str(getattr(e.payload, "message", ""))
        return not ("end of" in msg.lower() or "eof" in msg.lower() or "unterminated" in msg.lower()
                    or "unexpected end" in msg.lower())


def repl(dialect: str = "r7rs") -> int:
    from . import toplevel as T
    from .cli import _print_value, run_program
    from .compiler.pycode import DEFINED
    env = T.make_environment(dialect)
    T.INTERACTION[:] = [env]
    read_line = _line_reader()
    print(f"polysock {__import__('polysock').__version__} ({dialect}); ,help for commands, Ctrl-D to quit")
    buf: List[str] = []
    while True:
        try:
            line = read_line("... " if buf else f"{dialect}> ")
        except EOFError:
            print()
            return 0
        except KeyboardInterrupt:
            buf = []
            print()
            continue
        if not buf and line.strip().startswith(","):
            cmd = line.strip()[1:].split()
            if not cmd:
                continue
            if cmd[0] in ("q", "quit", "exit"):
                return 0
            if cmd[0] == "help":
                print(HELP)
            elif cmd[0] == "dialect":
                print(dialect)
            elif cmd[0] in ("threads", "sockets"):
                _introspect(cmd[0])
            else:
                print(f"unknown command ,{cmd[0]} (,help lists them)")
            continue
        buf.append(line)
        text = "\n".join(buf)
        if not text.strip() or not _complete(text):
            continue
        buf = []

        def run() -> None:
            v = T.eval_string(text, env, "<repl>")
            if v is not UNSPECIFIED and not isinstance(v, DEFINED):
                _print_value(v)
        status = run_program(run, dialect)
        if status != 0 and status != 1:
            return status


def _introspect(what: str) -> None:
    try:
        if what == "threads":
            from .hub import scheduler
            for t in getattr(scheduler, "all_threads", lambda: [])():
                print(f"  {t!r}")
        else:
            from .net import sockets
            for s in getattr(sockets, "open_sockets", lambda: [])():
                print(f"  {s!r}")
    except ImportError:
        print("  (not available)")


def _line_reader() -> Any:
    if sys.stdin.isatty() and sys.stdout.isatty():
        try:
            from prompt_toolkit import PromptSession
            from prompt_toolkit.history import FileHistory
            hist = os.path.join(os.path.expanduser("~"), ".polysock_history")
            session: Any = PromptSession(history=FileHistory(hist))
            try:
                from prompt_toolkit.lexers import PygmentsLexer
                from pygments.lexers.lisp import SchemeLexer
                lexer: Optional[Any] = PygmentsLexer(SchemeLexer)
            except ImportError:  # pragma: no cover
                lexer = None
            def ask(prompt: str) -> str:
                # prompt_toolkit runs in a worker OS thread, so green threads (servers
                # started at the REPL) keep running while the user types.
                try:
                    from .hub import hub
                    return hub.run_in_worker(lambda: session.prompt(prompt, lexer=lexer))  # type: ignore[no-any-return]
                except ImportError:  # pragma: no cover
                    return session.prompt(prompt, lexer=lexer)  # type: ignore[no-any-return]
            return ask
        except Exception:  # pragma: no cover - fall back to plain input
            pass

    def plain(prompt: str) -> str:
        sys.stdout.write(prompt)
        sys.stdout.flush()
        try:   # park only this green thread until input arrives
            from .hub import hub
            hub.wait_readable(sys.stdin.fileno(), None)
        except Exception:  # pragma: no cover - not a selectable stdin
            pass
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")
    return plain
