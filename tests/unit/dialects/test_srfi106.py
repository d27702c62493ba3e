"""SRFI 106 through the registered (checking) procedures, over loopback."""
import errno
import os
import sys

import pytest

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..")))

from polysock.dialects import srfi106  # noqa: E402,F401 - registers the library
from polysock.runtime.registry import LIBRARIES  # noqa: E402
from polysock.values.conditions import SchemeError  # noqa: E402
from polysock.values.strings import MString  # noqa: E402
from polysock.values.symbols import intern  # noqa: E402
from tests.fakes.helpers import condition_of, net_core_hub, spawn  # noqa: E402,F401 - net_core_hub: autouse

L = LIBRARIES["(srfi 106)"]
F = LIBRARIES["(srfi 106 procedures)"]
S = MString


def server():
    srv = L["make-server-socket"](S("0"))
    return srv, str(srv.getsockname().port)


def test_library_names_share_bindings():
    for name in ("(srfi :106)", "(srfi :106 socket)"):
        assert LIBRARIES[name]["socket-accept"] is L["socket-accept"]


def test_constants():
    assert L["*af-inet*"] == 2 and L["*af-inet6*"] == 10 and L["*af-unspec*"] == 0
    assert L["*sock-stream*"] == 1 and L["*sock-dgram*"] == 2
    assert L["*ai-canonname*"] == L["*ai-canoname*"] == 2
    assert (L["*ai-numerichost*"], L["*ai-v4mapped*"], L["*ai-all*"], L["*ai-addrconfig*"]) == (4, 8, 16, 32)
    assert (L["*ipproto-ip*"], L["*ipproto-tcp*"], L["*ipproto-udp*"]) == (0, 6, 17)
    assert (L["*msg-peek*"], L["*msg-oob*"], L["*msg-waitall*"]) == (2, 1, 256)
    assert (L["*shut-rd*"], L["*shut-wr*"], L["*shut-rdwr*"]) == (0, 1, 2)


def test_echo_roundtrip_and_ports():
    srv, port = server()

    def serve():
        def body(s):
            i = L["socket-input-port"](s)
            o = L["socket-output-port"](s)
            line = bytearray()
            while True:
                b = i.read_u8()
                if b == 10:
                    break
                if b != 13:
                    line.append(b)
            o.write(bytes(line) + b"\r\n")        # unbuffered: peer sees it without flush
            return len(line)
        return L["call-with-socket"](L["socket-accept"](srv), body)

    t = spawn(serve)
    c = L["make-client-socket"](S("localhost"), S(port), L["*af-inet*"], L["*sock-stream*"],
                                F["address-info"](intern("v4mapped"), intern("addrconfig")),
                                F["ip-protocol"](intern("ip")))
    assert L["socket?"](c) and not L["socket?"](S("x"))
    assert L["socket-send"](c, bytearray(b"hello\r\n")) == 7
    got = L["socket-recv"](c, 7)
    assert isinstance(got, bytearray) and got == b"hello\r\n"
    assert t.join() == 5
    assert L["socket-recv"](c, 10) == bytearray()        # peer closed: zero-length
    L["socket-close"](c)
    L["socket-close"](c)                                  # idempotent
    L["socket-close"](srv)


def test_waitall_and_shutdown():
    srv, port = server()
    c = L["make-client-socket"](S("127.0.0.1"), S(port))
    a = L["socket-accept"](srv)
    w = spawn(lambda: [L["socket-send"](a, bytearray(b"ab")), L["socket-send"](a, bytearray(b"cd"))])
    assert L["socket-recv"](c, 4, L["*msg-waitall*"]) == b"abcd"
    w.join()
    L["socket-shutdown"](a, L["*shut-wr*"])
    assert L["socket-recv"](c, 4) == b""
    for s in (a, c, srv):
        L["socket-close"](s)


def test_udp_client_server():
    srv = L["make-server-socket"](S("0"), L["*af-inet*"], L["*sock-dgram*"])
    port = str(srv.getsockname().port)
    c = L["make-client-socket"](S("127.0.0.1"), S(port), L["*af-inet*"], L["*sock-dgram*"])
    L["socket-send"](c, bytearray(b"ping"))
    assert L["socket-recv"](srv, 100) == b"ping"
    L["socket-close"](c)
    L["socket-close"](srv)


def test_ipv6_client():
    srv = L["make-server-socket"](S("0"), L["*af-inet6*"])
    port = str(srv.getsockname().port)
    c = L["make-client-socket"](S("::1"), S(port), L["*af-inet6*"])
    a = L["socket-accept"](srv)
    L["socket-send"](c, bytearray(b"6"))
    assert L["socket-recv"](a, 1) == b"6"
    for s in (a, c, srv):
        L["socket-close"](s)


def test_failures_are_socket_errors():
    srv, port = server()
    L["socket-close"](srv)
    c = condition_of(lambda: L["make-client-socket"](S("127.0.0.1"), S(port)))
    assert L["socket-error?"](c) and L["socket-error-errno"](c) == errno.ECONNREFUSED
    assert L["socket-error-eai"](c) is False
    r = condition_of(lambda: L["make-client-socket"](S("no-such-host.invalid"), S("80")))
    assert L["socket-error?"](r) and isinstance(L["socket-error-eai"](r), int)
    assert condition_of(lambda: L["make-client-socket"](S("localhost"), S("99999"))).kind == "range"
    held, hport = server()
    b = condition_of(lambda: L["make-server-socket"](S(hport)))
    assert L["socket-error-errno"](b) == errno.EADDRINUSE
    L["socket-close"](held)
    assert not L["socket-error?"](S("x"))


def test_type_checks():
    c = condition_of(lambda: L["socket-send"](S("nope"), bytearray()))
    assert c.kind == "wrong-type" and c.who == "socket-send"
    assert condition_of(lambda: L["make-client-socket"](S("localhost"), 80)).kind == "wrong-type"
    with pytest.raises(TypeError):
        L["socket-accept"]()


def test_closed_socket_ops():
    srv, _ = server()
    L["socket-close"](srv)
    for op in (lambda: L["socket-accept"](srv), lambda: L["socket-input-port"](srv),
               lambda: L["socket-recv"](srv, 1)):
        assert condition_of(op).kind == "closed"


def test_call_with_socket_escape_leaves_open():
    srv, _ = server()
    def escape(s):
        raise SchemeError(intern("escaped"))
    with pytest.raises(SchemeError):
        L["call-with-socket"](srv, escape)
    assert not srv.closed
    L["socket-close"](srv)


def test_flag_procedures():
    sym = intern
    assert F["address-family"](sym("inet")) == 2 and F["address-family"](sym("inet6")) == 10
    assert F["address-info"](sym("canoname"), sym("numerichost")) == 6
    assert F["socket-domain"](sym("datagram")) == 2
    assert F["ip-protocol"](sym("udp")) == 17
    assert F["message-type"](sym("none")) == 0
    assert F["message-type"](sym("peek"), sym("oob")) == 3
    assert F["message-type"](sym("wait-all")) == 256
    assert F["shutdown-method"](sym("read")) == 0
    assert F["shutdown-method"](sym("write"), sym("read")) == 2
    for bad in (lambda: F["address-family"](sym("martian")),
                lambda: F["shutdown-method"](sym("read"), sym("read"))):
        c = condition_of(bad)
        assert c.kind == "assertion"
    assert condition_of(lambda: F["socket-domain"](sym("raw"))).message == "no name defined"
    assert L["socket-merge-flags"](1, 2, 8) == 11
    assert L["socket-purge-flags"](15, 1, 4) == 10
