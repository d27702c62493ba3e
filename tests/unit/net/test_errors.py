import errno
import socket

from polysock.net import errors as E
from polysock.net.address import inet


def test_refused_message_and_data():
    c = E.condition_for("connect", "connect", ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"),
                        inet("127.0.0.1", 7))
    assert c.kind == "socket" and c.is_a("i/o")
    assert f"{c.who}: {c.message}" == "connect: connection refused (127.0.0.1:7)"
    assert c.data["errno"] == errno.ECONNREFUSED and c.data["call"] == "connect"
    assert c.data["errno_name"] == "ECONNREFUSED" and c.data["strerror"] == "Connection refused"


def test_table_kinds():
    cases = [
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "resolve"),
        (socket.herror(1, "Unknown host"), "herror"),
        (OSError(errno.EBADF, "Bad file descriptor"), "closed"),
        (BrokenPipeError(errno.EPIPE, "Broken pipe"), "socket"),
        (OSError("AF_UNIX path too long"), "range"),
        (OverflowError("bind(): port must be 0-65535."), "range"),
        (OSError(errno.EAFNOSUPPORT, "x"), "unsupported"),
        (RuntimeError("bug"), "internal"),
    ]
    for exc, kind in cases:
        assert E.classify("send", exc) == kind, exc


def test_enoprotoopt_is_unsupported_only_for_options():
    exc = OSError(errno.ENOPROTOOPT, "Protocol not available")
    assert E.classify("setsockopt", exc) == "unsupported"
    assert E.classify("connect", exc) == "socket"


def test_resolve_condition_keeps_gai_code():
    c = E.condition_for("getaddrinfo", "getaddrinfo", socket.gaierror(-2, "Name or service not known"), "nowhere")
    assert c.kind == "resolve" and c.data["gai_code"] == -2
    assert c.message == "name or service not known (nowhere)"


def test_hub_exceptions_registered():
    class T(Exception):
        pass
    E.HUB_KINDS[T] = "timeout"
    try:
        c = E.condition_for("recv", "recv", T())
        assert c.kind == "timeout" and c.is_a("socket") and c.data["errno"] == errno.ETIMEDOUT
    finally:
        del E.HUB_KINDS[T]


def test_helpers_raise_conditions():
    from polysock.values.conditions import SchemeError
    for fn, kind in ((lambda: E.not_found("getservbyname", "service", "nope"), "not-found"),
                     (lambda: E.unsupported("setsockopt", "SO_MARTIAN"), "unsupported"),
                     (lambda: E.range_error("listen", "backlog", -5), "range")):
        try:
            fn()
        except SchemeError as e:
            assert e.payload.kind == kind
        else:
            raise AssertionError
    assert E.closed_condition("send", "send").data["errno"] == errno.EBADF
