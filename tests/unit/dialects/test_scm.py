"""SCM dialect: #f-or-error under bad input for every export, detection, mode changes."""
from __future__ import annotations

import pathlib
import subprocess
from typing import Any, List

import pytest

from polysock import toplevel as T
from polysock.dialects import scm, scm_host
from polysock.reader.printer import write_string
from polysock.runtime import registry
from polysock.values.conditions import Condition, SchemeError
from polysock.values.strings import MString
from polysock.values.symbols import intern

ROOT = pathlib.Path(__file__).resolve().parents[3]
LIBS = ("(scm socket)", "(scm i/o-extensions)")
# Procedures that return #f for expected failures (spec/scm.md §7); others raise.
FALSE_ON_FAILURE = {"socket:connect", "socket:bind", "socket:listen", "socket:shutdown", "socket:accept",
                    "getsockname", "getpeername", "inet:string->address", "gethost", "getnet",
                    "getproto", "getserv"}
CONSOLE = {"wait-for-input"}
BAD_ARGS: List[List[Any]] = [[], [intern("bogus")], [-1], [False], [[1, 2]], [1.5, intern("x")],
                             [False, False, False], [intern("x"), -5, False, 2.5]]


@pytest.fixture(scope="module")
def env() -> Any:
    return T.make_environment("scm")


def ev(env: Any, text: str) -> str:
    return write_string(T.eval_string(text, env))


def exports() -> List[str]:
    return sorted({n for lib in LIBS for n, v in registry.LIBRARIES[lib].items() if callable(v)})


def test_detected_from_require_socket(tmp_path: pathlib.Path) -> None:
    assert scm.detect("(require 'socket)\n(display 1)")
    assert scm.detect(";; x\n(REQUIRE 'SOCKET)")
    assert not scm.detect("(import (scheme base))")
    assert T.detect_dialect("(require 'socket)") == "scm"
    prog = tmp_path / "p.scm"
    prog.write_text("(require 'socket)\n(display (list AF_INET 'Mixed))\n")
    r = subprocess.run(["polysock", str(prog)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout == "(2 mixed)"


@pytest.mark.parametrize("name", exports())
def test_bad_input_gives_false_or_error(name: str) -> None:
    """Every procedure returns (#f where documented) or raises a core condition."""
    f = next(registry.LIBRARIES[lib][name] for lib in LIBS if name in registry.LIBRARIES[lib])
    for args in BAD_ARGS:
        if not args and name in CONSOLE:
            continue
        try:
            r = f(*args)
        except SchemeError as e:
            assert isinstance(e.payload, Condition), (name, args, e.payload)
        except TypeError as e:
            assert "argument" in str(e), (name, args, e)
        else:
            if isinstance(r, scm.ScmSocket):
                r.close()


def test_false_returners_on_os_failure(env: Any) -> None:
    assert ev(env, "(socket:connect (make-stream-socket af_inet) 2130706433 1)") == "#f"
    assert scm_host.LAST_ERRNO[0] == 111
    assert ev(env, "(getserv \"no-such\" \"tcp\")") == "#f"
    assert ev(env, "(inet:string->address \"no-such-host.invalid\")") == "#f"
    for name in FALSE_ON_FAILURE:
        assert any(name in registry.LIBRARIES[lib] for lib in LIBS)


def test_every_export_is_exercised() -> None:
    texts = [p.read_text(encoding="utf-8") for p in
             list((ROOT / "tests" / "scheme" / "scm").glob("*.scm"))
             + list((ROOT / "tests" / "conformance" / "scm").glob("*.scm"))
             + [pathlib.Path(__file__)]]
    blob = "\n".join(texts)
    names = {n for lib in LIBS for n in registry.LIBRARIES[lib]}
    assert sorted(n for n in names if n not in blob) == []


def test_socket_identity_and_modes(env: Any) -> None:
    out = ev(env, """
      (let* ((l (make-stream-socket af_inet))
             (same (eq? l (socket:listen (socket:bind l 0) 2)))
             (port (socket-name:port-number (getsockname l)))
             (c (make-stream-socket af_inet))
             (c2 (socket:connect c 2130706433 port))
             (a (socket:accept l)))
        (display "hi" c)
        (let ((r (list same (eq? c c2) (read-char a) (input-port? l) (output-port? l)
                       (textual-port? a) (char-ready? l))))
          (close-port a) (close-port c) (close-port l)
          (append r (list (input-port? l)))))""")
    assert out == "(#t #t #\\h #t #f #t #f #f)"


def test_first_port_operation_on_a_connected_socket(env: Any) -> None:
    # A connected socket's port halves are made on first use; each operation the
    # socket class defines itself (char-ready?, peek-char, read-char, force-output)
    # must work as that first use, and closing an unused one must end the stream.
    out = ev(env, """
      (define (pair) (let ((p (make-stream-socketpair af_unix))) (list (car p) (cdr p))))
      (let* ((p1 (pair)) (p2 (pair)) (p3 (pair)) (p4 (pair)))
        (display "ab" (car p1)) (display "c" (car p2)) (display "d" (car p3))
        (force-output (car p4))
        (close-port (car p4))
        (let ((r (list (char-ready? (cadr p1)) (peek-char (cadr p2)) (read-char (cadr p3))
                       (read-char (cadr p1)) (eof-object? (read-char (cadr p4))))))
          (for-each (lambda (p) (for-each close-port p)) (list p1 p2 p3 p4))
          r))""")
    assert out == "(#t #\\c #\\d #\\a #t)"


def test_forwarded_port_methods_exist_only_once_connected(env: Any) -> None:
    # read-line, write-char... are the connected socket's port methods, bound on first
    # use; a fresh socket has none (and the class has no __getattr__ hook to slow
    # every other attribute lookup)
    assert "__getattr__" not in vars(scm.ScmSocket)
    out = ev(env, """
      (let ((p (make-stream-socketpair af_unix)))
        (write-char #\\x (car p)) (write-string "yz" (car p)) (newline (car p))
        (let ((r (read-line (cdr p)))) (close-port (car p)) (close-port (cdr p)) r))""")
    assert out == '"xyz"'
    fresh = ev(env, "(make-stream-socket af_inet)")
    sock = T.eval_string("(make-stream-socket af_inet)", env)
    with pytest.raises(AttributeError):
        sock.read_line
    assert fresh.startswith("#<")


def test_socket_name_printing() -> None:
    from polysock.net.address import inet
    assert repr(scm.SocketName(inet("127.0.0.1", 8001))) == "#<inet-addr 127.0.0.1:8001>"


def test_classful_arithmetic() -> None:
    assert scm.inet_network(0x0A010203) == 10 and scm.inet_local_network_address(0x0A010203) == 0x010203
    assert scm.inet_network(0xAC100504) == 0xAC10 and scm.inet_local_network_address(0xAC100504) == 0x0504
    assert scm.inet_network(0xC0A80709) == 0xC0A807 and scm.inet_local_network_address(0xC0A80709) == 9
    for a in (0x0A010203, 0xAC100504, 0xC0A80709):
        assert scm.inet_make_address(scm.inet_network(a), scm.inet_local_network_address(a)) == a


def test_require_features(env: Any) -> None:
    assert ev(env, "(require 'i/o-extensions)") == "#t"
    with pytest.raises(SchemeError):
        scm_host.require(intern("surely-not-a-feature"))
    assert scm_host.provided_p(MString("socket"))
