"""The scsh dialect: export table, bad input, errno view, option classes, detection.

Behaviour over sockets is exercised by tests/conformance/scsh (40 loopback programs)
and tests/scheme/scsh; this file checks the tables themselves and that every exported
name is exercised somewhere.
"""
from __future__ import annotations

import errno
import glob
import os
import re
import socket

import pytest

from polysock import toplevel as T
from polysock.dialects import scsh, scsh_host, scsh_net
from polysock.runtime.registry import LIBRARIES, spec_of
from polysock.values.conditions import Condition
from polysock.values.misc import EOF
from polysock.values.symbols import Symbol

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ENV = T.make_environment("scsh")
UMBRELLA = T.LIBRARY_TABLE.get("(scsh)") or T._registry_library("(scsh)")


def run(text: str):
    return T.eval_string(text, ENV, "<test>")


def test_dialect_registered_and_libraries_importable():
    assert "scsh" in T.DIALECTS
    assert T.DIALECTS["scsh"].reader.scsh_header
    for lib in ("(scsh sockets)", "(scsh)", "(polysock scsh)"):
        assert lib in LIBRARIES
    sockets_lib = set(LIBRARIES["(scsh sockets)"])
    assert {"socket-connect", "bind-listen-accept-loop", "bind-prepare-listen-accept-loop",
            "host-info", "socket/linger", "herror/no-data"} <= sockets_lib
    env = T.make_environment("r7rs")
    T.eval_string("(import (prefix (scsh sockets) scsh:))", env)
    assert T.eval_string("scsh:protocol-family/internet", env) == socket.AF_INET


def test_scsh_names_win_in_the_environment():
    for name in ("read-line", "read-string", "write-string", "select", "sleep", "force-output"):
        assert ENV.namespace[name] is LIBRARIES["(scsh)"][name], name


def test_detect_header():
    assert scsh.detect("#!/usr/local/bin/scsh -s\n!#\n(display 1)\n")
    assert scsh.detect("#!/usr/bin/scsh \\\n-e main -s\n!#\n")
    assert not scsh.detect("#!/usr/bin/env guile\n!#\n")
    assert not scsh.detect("(display 1)")
    assert T.detect_dialect("#!/usr/local/bin/scsh -s\n!#\n") == "scsh"


def _words() -> set:
    files = glob.glob(os.path.join(ROOT, "tests", "conformance", "scsh", "*.scm")) + \
        glob.glob(os.path.join(ROOT, "tests", "scheme", "scsh", "*.scm"))
    text = "".join(open(f, encoding="utf-8").read() for f in files)
    return set(re.findall(r"[^\s()'`,\"]+", text))


def test_every_export_is_exercised():
    """Each exported name is used by a conformance program or a Scheme suite (errno/*
    constants are checked one by one below; %-names are internal helpers)."""
    words = _words()
    missing = [n for n in UMBRELLA.exports
               if n not in words and not n.startswith(("errno/", "%"))]
    assert missing == []


@pytest.mark.parametrize("name", sorted(n for n in LIBRARIES["(scsh)"] if n.startswith("errno/")))
def test_errno_constants(name):
    assert LIBRARIES["(scsh)"][name] == getattr(errno, "E" + name[6:].upper())


def test_constants_follow_the_spec():
    L = LIBRARIES["(scsh)"]
    expect = {"protocol-family/unix": socket.AF_UNIX, "protocol-family/internet": socket.AF_INET,
              "address-family/internet": socket.AF_INET, "socket-type/stream": socket.SOCK_STREAM,
              "socket-type/datagram": socket.SOCK_DGRAM, "internet-address/any": 0,
              "internet-address/loopback": 0x7F000001, "internet-address/broadcast": 0xFFFFFFFF,
              "shutdown/receives": 0, "shutdown/sends": 1, "shutdown/sends+receives": 2,
              "message/out-of-band": socket.MSG_OOB, "message/peek": socket.MSG_PEEK,
              "message/dont-route": socket.MSG_DONTROUTE, "level/socket": socket.SOL_SOCKET,
              "socket/reuse-address": socket.SO_REUSEADDR, "tcp/no-delay": socket.TCP_NODELAY,
              "tcp/max-segment": socket.TCP_MAXSEG, "ip/time-to-live": socket.IP_TTL,
              "socket/linger": socket.SO_LINGER, "socket/receive-timeout": socket.SO_RCVTIMEO,
              "herror/host-not-found": 1, "herror/no-address": 4}
    for k, v in expect.items():
        assert L[k] == v, k


def test_options_are_classified_by_level_and_option():
    tcp, ip, sol = socket.IPPROTO_TCP, socket.IPPROTO_IP, socket.SOL_SOCKET
    assert scsh_net.option_class(sol, socket.SO_REUSEADDR) == "boolean"
    assert scsh_net.option_class(tcp, socket.TCP_MAXSEG) == "value"       # same number as SO_REUSEADDR
    assert scsh_net.option_class(ip, socket.IP_TTL) == "value"
    assert scsh_net.option_class(tcp, socket.TCP_NODELAY) == "boolean"
    assert scsh_net.option_class(sol, socket.SO_LINGER) == "linger"
    assert scsh_net.option_class(sol, socket.SO_SNDTIMEO) == "timeout"
    assert scsh_net.option_class(sol, 9999) == "value"                     # unclassified: integer


def test_errno_error_is_a_view_of_the_core_condition():
    c = run("""(let ((s (create-socket protocol-family/internet socket-type/stream)))
                 (bind-socket s (internet-address->socket-address internet-address/loopback 0))
                 (let ((a (socket-local-address s)))
                   (close-socket s)
                   (guard (e (#t e))
                     (connect-socket (create-socket protocol-family/internet socket-type/stream) a))))""")
    assert isinstance(c, Condition) and c.kind == "socket"
    assert c.data["errno"] == errno.ECONNREFUSED and c.data["call"] == "connect"
    assert c.who == "connect-socket"
    packet = scsh_host.errno_packet(c)
    assert isinstance(packet.cdr.car, Symbol) and packet.cdr.car.name == "connect-socket"
    caught = run("""(with-errno-handler ((e p) ((errno/connrefused) (list 'caught (cadr p))))
                      (connect-socket (create-socket 2 1)
                                      (internet-address->socket-address internet-address/loopback 1)))""")
    assert caught.car.name == "caught" and caught.cdr.car.name == "connect-socket"


def test_herror_is_not_an_errno_error():
    c = run('(guard (e (#t e)) (host-info "no-such-host.invalid"))')
    assert isinstance(c, Condition) and c.kind == "herror"
    assert c.who == "host-info"
    assert c.irritants[0] in (1, 2, 3, 4)
    assert scsh_host.errno_of(c) is None


def _required(spec) -> int:
    import inspect
    sig = inspect.signature(spec.impl)
    return sum(1 for p in sig.parameters.values()
               if p.default is p.empty and p.kind is not p.VAR_POSITIONAL)


# Procedures for which a symbol is acceptable input (predicates and views).
ACCEPTS_ANYTHING = {"socket?", "socket-address?", "host-info?", "network-info?", "service-info?",
                    "protocol-info?", "error?", "errno-error?", "condition-errno",
                    "condition-errno-packet", "relinquish-timeslice", "pid",
                    "command-line-arguments"}


@pytest.mark.parametrize("name", sorted(n for n, v in LIBRARIES["(scsh)"].items()
                                        if callable(v) and spec_of(v) is not None))
def test_bad_input_names_the_procedure(name):
    """A symbol in every required position, or one argument too many: a Scheme
    condition naming the procedure, never a Python exception."""
    spec = spec_of(LIBRARIES["(scsh)"][name])
    n = _required(spec)
    calls = []
    if name not in ACCEPTS_ANYTHING and n:
        calls.append("(%s %s)" % (name, " ".join(["'bad"] * n)))
    if spec.rest is None:
        calls.append("(%s %s)" % (name, " ".join(["'bad"] * (len(spec.args) + 1))))
    for text in calls:
        if name == "errno-error":
            continue                      # raises by design, naming its syscall argument
        with pytest.raises(Exception) as info:
            run(text)
        c = T.error_payload(info.value)       # what a program's error report shows
        assert isinstance(c, Condition), text
        assert not c.is_a("internal"), f"{text}: {c!r}"
        who = c.who.name if isinstance(c.who, Symbol) else c.who
        assert who == name, f"{text}: {c!r}"


def test_socket_connect_closes_on_failure():
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(20):
        run("""(guard (e (#t #f)) (socket-connect protocol-family/internet socket-type/stream
                                                 "127.0.0.1" 1))""")
    assert len(os.listdir("/proc/self/fd")) <= before + 1


def test_socket_connect_to_a_dotted_quad_needs_no_host_lookup(monkeypatch):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    port = srv.getsockname()[1]
    looked_up = []
    real = scsh.scsh_db.host_info
    monkeypatch.setattr(scsh.scsh_db, "host_info", lambda key: looked_up.append(key.s) or real(key))
    for host in ("127.0.0.1", "localhost", "127.1"):   # only the strict dotted quad skips it
        s = run(f"""(socket-connect protocol-family/internet socket-type/stream "{host}" {port})""")
        peer, _ = srv.accept()
        assert s.core.getpeername().port == port
        assert peer.getpeername()[1] == s.core.getsockname().port
        peer.close()
        scsh_net.close_socket(s)
    assert looked_up == ["localhost", "127.1"]
    c = T.error_payload(pytest.raises(Exception, lambda: run(
        '(socket-connect protocol-family/internet socket-type/stream "127.0.0.1" "no-such-service")')).value)
    assert isinstance(c, Condition) and not c.is_a("internal")
    srv.close()


def test_socket_ports_are_made_on_first_use():
    # An accept loop that only writes builds only the output port; close-socket closes
    # the OS socket whether or not a port was ever made, and the peer sees the data.
    a, b = (v for v in run("(call-with-values (lambda () (create-socket-pair socket-type/stream)) list)"))
    assert a.halves.ports == [None, None]
    out = a.outport
    assert a.halves.ports == [None, out]
    out.write_str("hi")
    assert b.inport.read_char() == "h"
    scsh_net.close_socket(a)
    assert a.core.closed and out.closed and a.inport.closed   # built after close: closed
    assert b.inport.read_char() == "i" and b.inport.read_char() is EOF
    scsh_net.close_socket(b)
    assert b.core.closed
