"""(polysock extras) socket procedures: recvfrom/sendto, unix sockets, local port."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..")))

from polysock.dialects import srfi106  # noqa: E402,F401 - registers (srfi 106) and the extras
from polysock.net.address import SockAddr  # noqa: E402
from polysock.runtime.registry import LIBRARIES  # noqa: E402
from polysock.values.misc import MultipleValues  # noqa: E402
from polysock.values.strings import MString  # noqa: E402
from tests.fakes.helpers import condition_of, net_core_hub, spawn  # noqa: E402,F401 - net_core_hub: autouse

X = LIBRARIES["(polysock extras)"]
L = LIBRARIES["(srfi 106)"]
S = MString


def test_udp_recvfrom_sendto_answers_each_sender():
    srv = L["make-server-socket"](S("0"), L["*af-inet*"], L["*sock-dgram*"])
    port = X["socket-local-port"](srv)
    assert 0 < port < 65536
    clients = [L["make-client-socket"](S("127.0.0.1"), S(str(port)), L["*af-inet*"], L["*sock-dgram*"])
               for _ in range(2)]
    for i, c in enumerate(clients):
        L["socket-send"](c, bytearray(b"hi%d" % i))
        r = X["socket-recvfrom"](srv, 64)
        assert isinstance(r, MultipleValues)
        data, peer = r.vals
        assert data == bytearray(b"hi%d" % i) and isinstance(data, bytearray)
        assert X["socket-address?"](peer) and not X["socket-address?"](data)
        assert X["socket-sendto"](srv, bytearray(b"re%d" % i), peer) == 3
        assert L["socket-recv"](c, 64) == bytearray(b"re%d" % i)
    for s in (*clients, srv):
        L["socket-close"](s)


def test_recvfrom_truncates_and_checks_arguments():
    srv = L["make-server-socket"](S("0"), L["*af-inet*"], L["*sock-dgram*"])
    c = L["make-client-socket"](S("127.0.0.1"), S(str(X["socket-local-port"](srv))),
                                L["*af-inet*"], L["*sock-dgram*"])
    L["socket-send"](c, bytearray(b"0123456789"))
    data, _ = X["socket-recvfrom"](srv, 4).vals
    assert data == bytearray(b"0123")
    assert condition_of(lambda: X["socket-recvfrom"](srv, -1)).kind in ("range", "wrong-type")
    assert condition_of(lambda: X["socket-sendto"](srv, bytearray(b"x"), "peer")).kind == "wrong-type"
    assert condition_of(lambda: X["socket-recvfrom"]("sock", 4)).kind == "wrong-type"
    L["socket-close"](srv)
    assert condition_of(lambda: X["socket-recvfrom"](srv, 4)).kind == "closed"
    L["socket-close"](c)


def test_unix_server_and_client(tmp_path):
    path = str(tmp_path / "s")
    srv = X["make-unix-server-socket"](S(path))
    assert os.path.exists(path)
    c = X["make-unix-client-socket"](S(path))
    a = L["socket-accept"](srv)
    L["socket-send"](c, bytearray(b"ping"))
    assert L["socket-recv"](a, 64) == bytearray(b"ping")
    L["socket-send"](a, bytearray(b"pong"))
    assert L["socket-recv"](c, 64) == bytearray(b"pong")
    assert X["socket-local-port"](srv) == 0
    for s in (a, c, srv):
        L["socket-close"](s)


def test_unix_errors(tmp_path):
    missing = str(tmp_path / "nope")
    cond = condition_of(lambda: X["make-unix-client-socket"](S(missing)))
    assert L["socket-error?"](cond) and cond.kind == "socket"
    assert condition_of(lambda: X["make-unix-server-socket"](S("x" * 200))).kind == "range"
    path = str(tmp_path / "s")
    srv = X["make-unix-server-socket"](S(path))
    cond = condition_of(lambda: X["make-unix-server-socket"](S(path)))   # address in use
    assert L["socket-error?"](cond)
    L["socket-close"](srv)


def test_extras_from_a_scheme_program(tmp_path):
    prog = tmp_path / "udp.scm"
    prog.write_text("""
(define srv (make-server-socket "0" *af-inet* *sock-dgram*))
(define c (make-client-socket "127.0.0.1" (number->string (socket-local-port srv)) *af-inet* *sock-dgram*))
(socket-send c (string->utf8 "abc"))
(call-with-values (lambda () (socket-recvfrom srv 64))
  (lambda (data peer)
    (socket-sendto srv (bytevector-append data (string->utf8 "!")) peer)))
(display (utf8->string (socket-recv c 64)))
(newline)
(define u (make-unix-server-socket (cadr (command-line))))
(define uc (make-unix-client-socket (cadr (command-line))))
(define ua (socket-accept u))
(socket-send uc (string->utf8 "unix"))
(display (utf8->string (socket-recv ua 64)))
(newline)
""")
    r = subprocess.run([sys.executable, "-m", "polysock", str(prog), str(tmp_path / "u")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "abc!\nunix\n"
