"""MIT dialect: the export table under bad input, the condition view, every name exercised."""
from __future__ import annotations

import errno
import os
import pathlib
import subprocess
from typing import Any, List

import pytest

from polysock import toplevel as T
from polysock.dialects import mit, mit_conditions, mit_host
from polysock.reader.printer import write_string
from polysock.runtime import registry
from polysock.values.conditions import Condition, SchemeError, make_condition
from polysock.values.strings import MString
from polysock.values.symbols import intern

ROOT = pathlib.Path(__file__).resolve().parents[3]
LIB = "(mit legacy runtime)"
# Never called by the walk: they end the program or wait on purpose.
UNSAFE = {"%exit", "exit", "emergency-exit"}
CONSOLE = {"read-char-no-hang", "char-ready?"}   # with no argument they read the console
BAD_ARGS: List[List[Any]] = [[], [intern("bogus")], [-1], [False], [[1, 2]], [1.5, intern("x")],
                             [False, False, False], [intern("x"), -5, False, 2.5]]


@pytest.fixture(scope="module")
def env() -> Any:
    return T.make_environment("mit")


def ev(env: Any, text: str) -> str:
    return write_string(T.eval_string(text, env))


def exports() -> List[str]:
    return sorted(n for n, v in registry.LIBRARIES[LIB].items() if callable(v))


def test_dialect_registered_and_runs(tmp_path: pathlib.Path) -> None:
    assert "mit" in T.DIALECTS
    prog = tmp_path / "p.scm"
    prog.write_text("(define (f a #!optional b) (default-object? b))\n(display (f 1))\n")
    r = subprocess.run(["polysock", "--dialect", "mit", str(prog)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout == "#t"


@pytest.mark.parametrize("name", exports())
def test_bad_input_gives_mit_conditions(name: str) -> None:
    """Every procedure either returns or raises a core condition MIT code can inspect."""
    if name in UNSAFE:
        return
    f = registry.LIBRARIES[LIB][name]
    for args in BAD_ARGS:
        if not args and name in CONSOLE:
            continue
        try:
            r = f(*args)
        except SchemeError as e:
            c = e.payload
            assert isinstance(c, Condition), (name, args, c)
            t = mit_conditions.type_of(c)
            assert t.error
            assert isinstance(mit_conditions.report_string(c), str)
        except TypeError as e:          # arity: the runtime reports it as a Scheme condition
            assert "argument" in str(e), (name, args, e)
        else:
            if isinstance(r, mit.ServerSocket):
                r.sock.close()


def test_every_export_is_exercised() -> None:
    texts = [p.read_text(encoding="utf-8") for p in
             list((ROOT / "tests" / "scheme" / "mit").glob("*.scm"))
             + list((ROOT / "tests" / "conformance" / "mit").glob("*.scm"))
             + [pathlib.Path(__file__)]]
    blob = "\n".join(texts)
    missing = [n for n in registry.LIBRARIES[LIB] if n not in blob]
    assert missing == []


@pytest.mark.parametrize("code,name", [(errno.ECONNREFUSED, "connection-refused"),
                                       (errno.EADDRINUSE, "address-in-use"),
                                       (errno.EPIPE, "broken-pipe"), (errno.EAGAIN, "resource-temporarily-unavailable"),
                                       (errno.ECONNRESET, "connection-reset"), (9999, "unknown"), (None, "unknown")])
def test_errno_names(code: Any, name: str) -> None:
    assert mit_conditions.error_type_name(code) == name


def test_socket_condition_view() -> None:
    c = make_condition("socket", "recv", "connection reset by peer", errno=errno.ECONNRESET,
                       call="recv", strerror="Connection reset by peer")
    assert mit_conditions.type_of(c).name == "system-call-error"
    assert mit_conditions.access_condition(c, intern("system-call")) is intern("recv")
    assert mit_conditions.access_condition(c, intern("error-type")) is intern("connection-reset")
    assert mit_conditions.report_string(c) == ("The primitive recv, while executing the recv system call, "
                                               "received the error: Connection reset by peer.")
    c2 = make_condition("socket", "x", "no errno")
    assert mit_conditions.type_of(c2).name == "primitive-procedure-error"
    assert mit_conditions.type_of(make_condition("timeout", "read", "t", errno=errno.ETIMEDOUT)).name == \
        "system-call-error"
    assert mit_conditions.type_of(make_condition("arity", "f", "wrong number")).name == "wrong-number-of-arguments"
    assert mit_conditions.type_of(make_condition("file", "open", "x", filename="f")).name == "file-operation-error"


def test_report_for_non_condition_and_misc(env: Any) -> None:
    assert "raise" in mit_conditions.report_string(intern("foo"))
    assert ev(env, "(condition/report-string (ignore-errors (lambda () (raise-it))))") \
        == '"Unbound variable: raise-it"'
    assert ev(env, "(error? 5)") == "#f"
    assert ev(env, "condition-type:system-call-error") == "#[condition-type system-call-error]"
    assert ev(env, "(access-condition (ignore-errors (lambda () (open-tcp-server-socket 1 (bytevector 1 2 3 4)))) 'error-type)") \
        == "address-not-available"


def test_connection_line_endings(env: Any) -> None:
    T.eval_string("""
      (define s (open-tcp-server-socket 0 (host-address-loopback)))
    """, env)
    srv = env.namespace["s"]
    port = srv.sock.getsockname().port
    out = ev(env, f"""
      (let* ((c (open-tcp-stream-socket "localhost" {port}))
             (a (tcp-server-binary-connection-accept s #t #f)))
        (write-string "x" c) (newline c)
        (port/set-line-ending c 'cr) (write-string "y" c) (newline c)
        (port/set-line-ending c 'newline) (write-string "z" c) (newline c)
        (close-port c)
        (let ((r (read-bytevector 100 a))) (close-port a) (close-tcp-server-socket s) r))""")
    assert out == "#u8(120 13 10 121 13 122 10)"


def test_service_ports() -> None:
    assert mit.service_port(MString("80"), "w", 1) == 80
    assert mit.service_port(8080, "w", 1) == 8080
    assert mit.service_port(MString("smtp"), "w", 1) == 25
    with pytest.raises(SchemeError) as e:
        mit.service_port(MString("no-such-service"), "w", 2)
    assert mit_conditions.type_of(e.value.payload).name == "bad-range-argument"
    with pytest.raises(SchemeError):
        mit.service_port(65536, "w", 1)


def test_charset_and_line_ending_tables() -> None:
    cs = mit_host.char_set(MString("ab"), "c")
    assert "a" in cs and "c" in cs and "d" not in cs
    assert set(mit_host.LINE_ENDING_TABLE) >= {"text", "binary", "lf", "newline", "cr", "crlf", "http"}
    assert os.path.basename(mit.__file__) == "mit.py"
