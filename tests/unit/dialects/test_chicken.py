"""CHICKEN dialect: exported-name coverage, reader options, detection, data shapes,
condition views and socket behaviour checked from Python."""
from __future__ import annotations

import errno
import re
from pathlib import Path
from typing import Any

import pytest

import polysock.toplevel as T
from polysock.dialects import chicken, chicken_conditions as CC, chicken_options as CO
from polysock.dialects.chicken_data import Blob
from polysock.runtime.registry import LIBRARIES
from polysock.values.conditions import SchemeError, make_condition
from polysock.values.pairs import to_list
from polysock.values.strings import MString
from polysock.values.symbols import intern

ROOT = Path(__file__).resolve().parents[3]
OWN_LIBS = ["(socket)", "(chicken tcp)", "(chicken condition)", "(chicken base)", "(chicken format)",
            "(chicken io)", "(chicken port)", "(chicken blob)", "(chicken string)",
            "(chicken bitwise)", "(chicken time)", "(chicken process-context)", "(chicken file)",
            "(chicken file posix)", "(chicken keyword)", "(srfi 4)"]


@pytest.fixture(scope="module")
def env() -> Any:
    return T.make_environment("chicken")


def ev(env: Any, text: str) -> Any:
    return T.eval_string(text, env)


def exported_names() -> list:
    names = set()
    for lib in OWN_LIBS:
        names |= {n for n in LIBRARIES.get(lib, {}) if not n.startswith("%")}
    return sorted(names)


def test_every_exported_name_is_exercised() -> None:
    """Each exported name appears in a CHICKEN test (Scheme suites, conformance, this file)."""
    texts = "".join(p.read_text() for p in (ROOT / "tests/scheme/chicken").glob("*.scm"))
    texts += "".join(p.read_text() for p in (ROOT / "tests/conformance/chicken").glob("*.scm"))
    texts += "".join(p.read_text() for p in Path(__file__).parent.glob("test_chicken*.py"))
    missing = [n for n in exported_names()
               if not re.search(r"(?<![\w/>?!*-])" + re.escape(n) + r"(?![\w/>?!*-])", texts)]
    assert missing == []


def test_spec_names_are_exported(env: Any) -> None:
    spec = ["socket", "socket?", "socket-fileno", "socket-family", "socket-type", "socket-protocol",
            "inet-address", "unix-address", "sockaddr?", "sockaddr-family", "sockaddr-address",
            "sockaddr-port", "sockaddr-path", "sockaddr->string", "address-information",
            "addrinfo?", "addrinfo-family", "addrinfo-socktype", "addrinfo-protocol",
            "addrinfo-address", "addrinfo-canonname", "addrinfo-flags", "name-information",
            "socket-connect", "socket-connect/ai", "socket-bind", "socket-listen", "socket-accept",
            "socket-accept-ready?", "socket-shutdown", "socket-close", "socket-close*",
            "socket-name", "socket-peer-name", "socket-receive!", "socket-receive",
            "socket-receive-from!", "socket-receive-from", "socket-receive-ready?", "socket-send",
            "socket-send-to", "socket-send-all", "socket-i/o-ports", "socket-i/o-port->socket",
            "socket-abandon-port", "socket-connect-timeout", "socket-accept-timeout",
            "socket-receive-timeout", "socket-send-timeout", "socket-send-buffer-size",
            "socket-send-size", "socket-receive-buffer-size", "set-socket-option",
            "get-socket-option", "integer->address-family", "address-family->integer",
            "integer->socket-type", "socket-type->integer", "integer->protocol-type",
            "protocol-type->integer", "parse-inet-address"]
    spec += [a[0] for a in CO.ACCESSORS] + list(CO.CONST)
    exported = LIBRARIES["(socket)"]
    assert [n for n in spec if n not in exported] == []
    for n in ("tcp-listen", "tcp-accept", "tcp-connect", "tcp-close", "tcp-listener?",
              "tcp-accept-ready?", "tcp-listener-port", "tcp-listener-fileno", "tcp-addresses",
              "tcp-port-numbers", "tcp-abandon-port", "tcp-buffer-size", "tcp-read-timeout",
              "tcp-write-timeout", "tcp-connect-timeout", "tcp-accept-timeout"):
        assert n in LIBRARIES["(chicken tcp)"]
    for n in ("condition-case", "handle-exceptions", "setter", "getter-with-setter", "define-record",
              "define-record-printer", "print", "void", "printf", "import", "use"):
        ev(env, f"(quote {n})")


def test_procedures_have_signature_docstrings() -> None:
    for lib in OWN_LIBS:
        for name, v in LIBRARIES.get(lib, {}).items():
            if callable(v) and not name.startswith("%") and hasattr(v, "scheme_name"):
                assert (v.__doc__ or "").startswith("("), name


def test_constants_follow_the_spec_table() -> None:
    c = CO.CONST
    assert (c["af/inet"], c["af/inet6"], c["sock/stream"], c["so/reuseaddr"]) == (2, 10, 1, 2)
    assert c["tcp/nopush"] is False and c["ipv6/port-range"] is False
    assert c["so/timestamp"] == 29 and c["ip/mtu"] == 14          # Linux values CPython lacks
    assert c["ai/mask"] == 0 and c["ai/default"] == 0              # flags: 0, not #f


def test_reader_keywords_and_blobs(env: Any) -> None:
    assert ev(env, "(keyword? type:)") is True
    assert ev(env, "(symbol? 'socket:connect)") is True            # a colon inside stays a symbol
    b = ev(env, "#${08000000}")
    assert isinstance(b, Blob) and bytes(b.b) == b"\x08\x00\x00\x00"
    from polysock.reader.printer import write_string
    assert write_string(b) == "#${08000000}"
    with pytest.raises(SchemeError):
        ev(env, "#${0g}")


def test_detect() -> None:
    assert chicken.detect("(import socket)\n(print 1)")
    assert chicken.detect(";; x\n(use socket)")
    assert chicken.detect("(import (chicken tcp))")
    assert chicken.detect("(require-extension socket)")
    assert not chicken.detect("(import (scheme base))")
    assert T.detect_dialect("(import socket (chicken format))\n") == "chicken"


def test_import_spec_conversion() -> None:
    show = lambda d: T.eval_string(f"(%ck-import-spec '{d})", T.make_environment("chicken"))  # noqa: E731
    from polysock.reader.printer import write_string
    assert write_string(show("socket")) == "(socket)"
    assert write_string(show("srfi-18")) == "(srfi 18)"
    assert write_string(show("srfi-1")) == "(srfi-1)"
    assert write_string(show("(chicken tcp)")) == "(chicken tcp)"
    assert write_string(show("(chicken pathname)")) == "(polysock chicken)"
    assert write_string(show("(prefix socket s:)")) == "(prefix (socket) s:)"


def test_prefixed_import(env: Any) -> None:
    e = T.make_environment("chicken")
    assert ev(e, "(import (prefix socket s:)) s:af/inet") == 2


def test_condition_views_of_core_conditions() -> None:
    c = make_condition("socket", "socket-bind", "cannot bind to socket - Address already in use",
                       1, errno=errno.EADDRINUSE)
    assert [k.name for k in CC.kinds_of(c)] == ["exn", "i/o", "net"]
    assert CC.property_of(c, intern("exn"), intern("message")).s.startswith("cannot bind")
    assert CC.property_of(c, intern("exn"), intern("location")) is intern("socket-bind")
    assert CC.property_of(c, intern("net"), intern("errno")) == errno.EADDRINUSE
    t = make_condition("timeout", "socket-receive", "operation timed out")
    assert [k.name for k in CC.kinds_of(t)] == ["exn", "i/o", "net", "timeout"]
    tr = make_condition("socket", "socket-connect", "x", ck_kinds=("exn", "i/o", "net", "transient"))
    assert CC.condition_predicate(intern("transient"))(tr) is True
    assert CC.condition_p(intern("x")) is False
    w = make_condition("wrong-type", "car", "bad")
    assert [k.name for k in CC.kinds_of(w)] == ["exn", "type"]


def test_user_conditions_are_core_conditions(env: Any) -> None:
    c = ev(env, "(make-property-condition 'exn 'message \"m\" 'arguments '(1) 'location 'here)")
    from polysock.values.conditions import Condition
    assert isinstance(c, Condition)
    assert c.message == "m" and c.irritants == (1,) and c.who is intern("here")
    assert ev(env, "(guard (e ((error-object? e) (error-object-message e))) "
                   "(abort (make-property-condition 'exn 'message \"m2\")))").s == "m2"


def test_uncaught_condition_case_resignals(env: Any) -> None:
    with pytest.raises(SchemeError) as ei:
        ev(env, "(condition-case (error \"plain\") ((net) 'net))")
    assert ei.value.payload.message == "plain"


def test_socket_printers_and_accessors(env: Any) -> None:
    out = ev(env, """
      (define s (socket af/inet sock/dgram))
      (define txt (with-output-to-string (lambda () (write s))))
      (socket-close s)
      txt""")
    assert re.fullmatch(r"#<socket fd:\d+ af/inet sock/dgram>", out.s)
    ai = ev(env, "(car (address-information \"127.0.0.1\" 7 family: af/inet type: sock/dgram))")
    from polysock.reader.printer import write_string
    assert write_string(ai) == '#<addrinfo "127.0.0.1:7" af/inet sock/dgram ipproto/udp>'


def test_refused_connect_closes_the_socket(env: Any) -> None:
    r = ev(env, """
      (define l (socket af/inet sock/stream))
      (socket-bind l (inet-address "127.0.0.1" 0))
      (define port (sockaddr-port (socket-name l)))
      (socket-close l)
      (define s (socket af/inet sock/stream))
      (define kinds (condition-case (socket-connect s (inet-address "127.0.0.1" port))
                      (e () (map car (condition->list e)))))
      (list kinds (condition-case (socket-close s) (e (exn i/o net) 'ebadf)))""")
    assert [x.name for x in to_list(to_list(r)[0])] == ["exn", "i/o", "net", "transient"]
    assert to_list(r)[1] is intern("ebadf")


def test_send_buffering_sends_whole_blocks(env: Any) -> None:
    r = ev(env, """
      (define l (socket af/inet sock/stream))
      (socket-bind l (inet-address "127.0.0.1" 0))
      (socket-listen l 1)
      (define c (socket af/inet sock/stream))
      (socket-connect c (socket-name l))
      (define a (socket-accept l))
      (define got
        (parameterize ((socket-send-buffer-size 512))
          (call-with-values (lambda () (socket-i/o-ports a))
            (lambda (i o)
              (display (make-string 500 #\\a) o)
              (display (make-string 526 #\\b) o)
              (let loop ((n 0))
                (if (< n 1024) (loop (+ n (string-length (socket-receive c 4096)))) n))))))
      (define pending (socket-receive-ready? c))
      (list got pending)""")
    assert to_list(r) == [1024, False]          # 2 blocks sent, 2 bytes kept in the buffer


def test_byte_strings_are_latin1(env: Any) -> None:
    r = ev(env, """
      (define l (socket af/inet sock/dgram))
      (socket-bind l (inet-address "127.0.0.1" 0))
      (define s (socket af/inet sock/dgram))
      (socket-send-to s (string->blob "\\xff;\\x80;") (socket-name l))
      (define got (socket-receive l 10))
      (list (string-length got) (char->integer (string-ref got 0)))""")
    assert to_list(r) == [2, 255]


def test_ffi_forms_raise(env: Any) -> None:
    with pytest.raises(SchemeError) as ei:
        ev(env, '(foreign-lambda* void ((int x)) "return;")')
    assert "C FFI not supported" in ei.value.payload.message


def test_misc_host(env: Any) -> None:
    assert ev(env, "(identity 4)") == 4
    assert ev(env, "((constantly 7) 1 2)") == 7
    assert ev(env, "((complement even?) 3)") is True
    assert ev(env, "(alist-ref 'b '((a . 1) (b . 2)))") == 2
    assert to_list(ev(env, "(flatten '(1 (2 (3)) 4))")) == [1, 2, 3, 4]
    assert ev(env, "(exact-nonnegative-integer? 3)") is True
    assert ev(env, "(fixnum? 3)") is True
    assert ev(env, "(bitwise-xor 6 3)") == 5
    assert ev(env, "(bitwise-not 0)") == -1
    assert ev(env, "(bit->boolean 4 2)") is True
    assert ev(env, "(integer? (current-process-milliseconds))") is True
    assert isinstance(ev(env, "(program-name)"), MString)
    assert ev(env, "(get-environment-variable \"NO_SUCH_VAR_XYZ\")") is False
    assert ev(env, "(with-output-to-string (lambda () (write-byte 65)))").s == "A"
    assert ev(env, "(read-buffered (open-input-string \"\"))").s == ""
    assert ev(env, "(string-translate \"abc\" \"b\" \"x\")").s == "axc"
    assert ev(env, "(substring=? \"abcd\" \"abxy\" 0 0 2)") is True
    assert ev(env, "(substring-index \"cd\" \"abcd\")") == 2
    assert ev(env, "(call-with-output-string (lambda (p) (fprintf p \"~a\" 1)))").s == "1"
    s = ev(env, "(let ((s (make-string 4 #\\-))) (read-string! 2 s (open-input-string \"xyz\") 1) s)")
    assert s.s == "-xy-"
    assert ev(env, "(u32vector-ref (blob->u32vector (u32vector->blob (u32vector 7 9))) 1)") == 9
    assert ev(env, "(u32vector-length (blob->u32vector/shared #${0100000002000000}))") == 2
    assert to_list(ev(env, "(u32vector->list (list->u32vector '(3 4)))")) == [3, 4]
    assert ev(env, "(bytevector-u8-ref (blob->u8vector #${0102}) 1)") == 2
    assert ev(env, "(bytevector-u8-ref (blob->u8vector/shared #${0102}) 0)") == 1
    assert ev(env, "(blob-size (u8vector->blob (bytevector 1 2 3)))") == 3
    assert ev(env, "(blob-size (u8vector->blob/shared (bytevector 1 2 3)))") == 3
    assert ev(env, "(eq? (string->keyword \"k\") k:)") is True
    assert ev(env, "(file-exists? \"/no/such/file\")") is False
    assert ev(env, "(delete-file* \"/no/such/file\")") is False
    assert ev(env, "(begin (define-constant k1 3) (define-inline (k2) 4) (declare (fixnum)) (+ k1 (k2)))") == 7
    assert ev(env, "(begin (module m (x) (define mx 5)) mx)") == 5
    assert ev(env, "(begin (require-library srfi-18) (require-extension-for-syntax socket) 1)") == 1
    assert ev(env, "(condition-case (sockaddr-path (inet-address \"127.0.0.1\" 1)) (e (exn i/o net) 'x))") is intern("x")
    assert ev(env, "(tcp-write-timeout)") == 60000 and ev(env, "(tcp-connect-timeout)") is False


def test_tcp_abandon_and_fileno(env: Any) -> None:
    r = ev(env, """
      (define l (tcp-listen 0 1 "127.0.0.1"))
      (define-values (ci co) (tcp-connect "127.0.0.1" (tcp-listener-port l)))
      (define-values (si so) (tcp-accept l))
      (tcp-abandon-port co)
      (close-output-port co)
      (write-line "still" so)
      (define line (read-line ci))
      (define fd (tcp-port->fileno ci))
      (close-input-port ci) (close-input-port si) (close-output-port so) (tcp-close l)
      (list line (integer? fd))""")
    assert to_list(r)[0].s == "still" and to_list(r)[1] is True


# ---------------------------------------------------------------- bad input (acceptance 3)

WALK_LIBS = ["(socket)", "(chicken tcp)"]
WALK_ARGS: list = [[], [intern("bogus")], [-1], [False], [1.5], [MString("x")],
                   [-1, -1], [MString("127.0.0.1"), 70000], [False, False, False],
                   [intern("x"), -5, False, 2.5]]


def _walk_names() -> list:
    from polysock.runtime.dynamic import Parameter
    return sorted((lib, n) for lib in WALK_LIBS for n, v in LIBRARIES[lib].items()
                  if callable(v) and not n.startswith("%") and not isinstance(v, Parameter))


@pytest.mark.parametrize("lib,name", _walk_names())
def test_bad_input_raises_chicken_conditions(lib: str, name: str) -> None:
    """Every procedure returns or raises a condition (chicken condition) can see; never a
    bare Python exception."""
    f = LIBRARIES[lib][name]
    for args in WALK_ARGS:
        try:
            r = f(*args)
        except SchemeError as e:
            kinds = CC.kinds_of(e.payload)
            assert kinds and kinds[0] is intern("exn"), (name, args, e.payload)
        except TypeError as e:          # arity: the runtime reports it as a Scheme condition
            assert "argument" in str(e), (name, args, e)
        else:
            if hasattr(r, "core") and hasattr(r.core, "close"):
                r.core.close()


#: (expression, kinds real CHICKEN 5.3 + socket egg 0.3.3 raises) — each checked with csi.
CHICKEN_KINDS = [
    # wrong types
    ("(socket-receive 'x 1)", "exn type"),
    ("(socket-fileno 42)", "exn type"),
    ("(socket-close \"x\")", "exn type"),
    ("(socket-shutdown 'x 1)", "exn type"),
    ("(socket-name 3)", "exn type"),
    ("(sockaddr-port 3)", "exn type"),
    ("(inet-address 5 80)", "exn type"),
    ("(unix-address 5)", "exn type"),
    ("(name-information 5)", "exn type"),
    ("(socket-connect (socket af/inet sock/dgram) 5)", "exn type"),
    ("(socket 'x 1)", "exn type"),
    ("(socket-i/o-ports 5)", "exn type"),
    ("(address-information 5 80)", "exn type"),
    ("(integer->address-family 'x)", "exn type"),
    ("(socket-receive (socket af/inet sock/dgram) 1.5)", "exn type"),
    ("(socket-send (socket af/inet sock/dgram) 42)", "exn i/o net"),       # not (exn type)!
    ("(socket-receive! (socket af/inet sock/dgram) 'nope)", "exn i/o net"),
    ("(socket-i/o-port->socket (current-output-port))", "exn type"),
    ("(so-keep-alive? \"s\")", "exn type"),
    ("(set! (so-keep-alive? (socket af/inet sock/stream)) 1)", "exn type"),
    ("(parameterize ((socket-receive-timeout 1.5)) 1)", "exn type"),
    # closed sockets
    ("(let ((s (socket af/inet sock/stream))) (socket-close s) (socket-send s \"x\"))", "exn i/o net"),
    ("(let ((s (socket af/inet sock/stream))) (socket-close s) (socket-close s))", "exn i/o net"),
    ("(let ((s (socket af/inet sock/stream))) (socket-close s) (socket-listen s 1))", "exn i/o net"),
    ("(let ((s (socket af/inet sock/stream))) (socket-close s) (so-type s))", "exn i/o net"),
    # out-of-range ports and bad addresses
    ("(inet-address \"127.0.0.1\" 1.5)", "exn domain"),
    ("(inet-address \"127.0.0.1\" 'http)", "exn type"),
    ("(inet-address \"localhost\" 80)", "exn i/o net"),
    ("(inet-address \"1.2.3.4.5\" 80)", "exn i/o net"),
    ("(inet-address #f #f)", "exn i/o net"),
    ("(name-information \"not-an-address\")", "exn i/o net"),
    ("(socket-bind (socket af/inet6 sock/stream) (inet-address \"127.0.0.1\" 0))", "exn i/o net"),
    # negative lengths and offsets
    ("(socket-receive (socket af/inet sock/dgram) -1)", "exn bounds"),
    ("(socket-receive-from (socket af/inet sock/dgram) -3)", "exn bounds"),
    ("(socket-send (socket af/inet sock/dgram) \"abc\" -1)", "exn i/o net"),
    ("(socket-receive! (socket af/inet sock/dgram) (make-string 3) 0 -1)", "exn i/o net"),
    ("(socket-listen (socket af/inet sock/dgram) -1)", "exn i/o net"),
    # option and parameter failures
    ("(tcp-no-push? (socket af/inet sock/stream))", "exn i/o net unsupported"),
    ("(set! (so-type (socket af/inet sock/stream)) 1)", "exn i/o net"),
    ("(get-socket-option (socket af/inet sock/stream) sol/socket 9999)", "exn i/o net unsupported"),
    ("(set-socket-option (socket af/inet sock/stream) sol/socket so/reuseaddr 'yes)", "exn type"),
]


@pytest.mark.parametrize("expr,kinds", CHICKEN_KINDS)
def test_bad_input_kinds_match_real_chicken(env: Any, expr: str, kinds: str) -> None:
    got = ev(env, f"""
      (condition-case (begin {expr} 'no-error)
        (e () (let loop ((ks '(exn i/o net timeout transient unsupported type bounds domain))
                         (acc '()))
                (cond ((null? ks) (reverse acc))
                      (((condition-predicate (car ks)) e) (loop (cdr ks) (cons (car ks) acc)))
                      (else (loop (cdr ks) acc))))))""")
    assert " ".join(x.name for x in to_list(got)) == kinds


def test_long_unix_paths_are_truncated_like_the_egg(env: Any) -> None:
    """The egg copies at most sun_path's 107 bytes: no error (checked with csi)."""
    assert ev(env, "(string-length (sockaddr-path (unix-address (make-string 200 #\\x))))") == 107


def test_condition_case_with_renamed_variable(env: Any) -> None:
    """condition-case clauses written by a syntax-rules macro (renamed variable) work."""
    r = ev(env, """
      (define-syntax kinds-of
        (syntax-rules () ((_ e) (condition-case (begin e 'ok) (x () (map car (condition->list x)))))))
      (kinds-of (socket-receive 'x 1))""")
    assert [k.name for k in to_list(r)] == ["exn", "type"]
