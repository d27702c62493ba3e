"""(chicken tcp) (spec/chicken.md §11.1) over the same net core and socket ports.

A listener is a ``TcpListener`` owning a listening CoreSocket; ``tcp-accept`` and
``tcp-connect`` answer two ports made by chicken_ports.make_socket_ports (named
"(tcp)"), using the tcp-* parameters instead of the socket-* ones: output buffered
by ``(tcp-buffer-size)`` (#f = unbuffered), reads and writes bounded by
``(tcp-read-timeout)`` / ``(tcp-write-timeout)`` ms. Errors use CHICKEN's texts
("cannot bind to socket - Address already in use", "cannot find host address",
"read operation timed out"). ``tcp-addresses``, ``tcp-port-numbers`` and
``tcp-abandon-port`` also accept socket-egg ports (spec §11.1 **D**).
"""
from __future__ import annotations

from typing import Any, List, Optional

from ..net import resolve
from ..net.constants import CONSTANTS
from ..net.sockets import CoreSocket
from ..runtime.argtypes import A
from ..runtime.dynamic import Parameter
from ..values.conditions import SchemeError, make_condition, wrong_type
from ..values.misc import UNSPECIFIED, MultipleValues
from ..values.strings import MString
from ._table import Entry, export, install, value
from .chicken_data import core_condition, ms_to_seconds, net_error, register_fd, rethrow_net
from .chicken_ports import link_of, make_socket_ports
from .chicken_socket import AF_INET, CkSocket, _exact_or_false, parse_inet_address

LIBS = ("(chicken tcp)", "(polysock chicken)")
SOCK_STREAM = CONSTANTS["SOCK_STREAM"]

tcp_buffer_size = Parameter(False, None, "tcp-buffer-size")
tcp_read_timeout = Parameter(60000, _exact_or_false("tcp-read-timeout"), "tcp-read-timeout")
tcp_write_timeout = Parameter(60000, _exact_or_false("tcp-write-timeout"), "tcp-write-timeout")
tcp_connect_timeout = Parameter(False, _exact_or_false("tcp-connect-timeout"), "tcp-connect-timeout")
tcp_accept_timeout = Parameter(False, _exact_or_false("tcp-accept-timeout"), "tcp-accept-timeout")


class TcpListener:
    """A (chicken tcp) listener."""

    __slots__ = ("core", "port")

    def __init__(self, core: CoreSocket, port: int) -> None:
        self.core, self.port = core, port
        register_fd(core)


def _register_printer() -> None:
    from ..reader.printer import PRINTERS
    PRINTERS[TcpListener] = lambda x, w: "#<tcp-listener>"


_register_printer()
A.define("tcp_listener", "tcp-listener", pred=lambda x: x.__class__ is TcpListener)


def _timeout_error(e: SchemeError, what: str, ms: Any, fd: int) -> None:
    c = core_condition(e)
    if c is not None and c.kind == "timeout":
        raise SchemeError(make_condition("timeout", None, f"{what} operation timed out", ms, fd,
                                         **c.data)) from None


def tcp_listen(port: int, backlog: int = 100, host: Any = False) -> TcpListener:
    """(tcp-listen port [backlog [host]]) -> tcp-listener"""
    if not 0 <= port <= 65535:
        from .chicken_data import domain_error
        domain_error("tcp-listen", "invalid port number", port)
    h = None if host is False else host.s
    try:
        infos = resolve.getaddrinfo(h, port, AF_INET if h is None else 0, SOCK_STREAM, 0,
                                    CONSTANTS.get("AI_PASSIVE", 1), who="tcp-listen")
    except SchemeError:
        net_error("tcp-listen", "cannot find host address", host)
    ai = infos[0]
    try:
        core = CoreSocket.open(ai.family, SOCK_STREAM, 0, "tcp-listen")
    except SchemeError as e:
        rethrow_net(e, "tcp-listen", "cannot create socket", port)
    try:
        core.set_option("SO_REUSEADDR", True, "tcp-listen")
        core.bind(ai.addr, "tcp-listen")
    except SchemeError as e:
        fd = core.fd
        core.close()
        rethrow_net(e, "tcp-listen", "cannot bind to socket", fd, host, port)
    try:
        core.listen(backlog, "tcp-listen")
    except SchemeError as e:
        core.close()
        rethrow_net(e, "tcp-listen", "cannot listen on socket", port)
    a = core.getsockname()
    return TcpListener(core, a.port if a is not None else port)


def tcp_listener_p(x: Any) -> bool:
    """(tcp-listener? obj) -> boolean"""
    return x.__class__ is TcpListener


def tcp_close(l: TcpListener) -> Any:
    """(tcp-close listener) -> unspecified"""
    l.core.close("tcp-close")
    return UNSPECIFIED


def _ports(so: CkSocket) -> MultipleValues:
    return make_socket_ports(so, rbuf=4096, sbuf=tcp_buffer_size(), chunk=False,
                             rtimeout=tcp_read_timeout(), stimeout=tcp_write_timeout(),
                             who_read="read", who_write="write", name="(tcp)")


def tcp_accept(l: TcpListener) -> MultipleValues:
    """(tcp-accept listener) -> input-port output-port"""
    ms = tcp_accept_timeout()
    try:
        core, _ = l.core.accept("tcp-accept", ms_to_seconds(ms))
    except SchemeError as e:
        _timeout_error(e, "accept", ms, l.core.fd)
        rethrow_net(e, "tcp-accept", "could not accept from listener", l)
    return _ports(CkSocket(core, core.family, SOCK_STREAM, 0))


def tcp_accept_ready_p(l: TcpListener) -> bool:
    """(tcp-accept-ready? listener) -> boolean"""
    return l.core.ready()


def tcp_listener_port(l: TcpListener) -> int:
    """(tcp-listener-port listener) -> integer"""
    return l.port


def tcp_listener_fileno(l: TcpListener) -> int:
    """(tcp-listener-fileno listener) -> integer"""
    return l.core.fd


def tcp_connect(host: MString, port: Any = False) -> MultipleValues:
    """(tcp-connect host [port]) -> input-port output-port"""
    h, p = host.s, port
    if p is False:
        hv, pv = parse_inet_address(host).vals
        if pv is False:
            net_error("tcp-connect", "no port specified", host)
        h = hv.s if hv is not False else "localhost"
        p = int(pv.s) if pv.s.isdigit() else pv.s
    elif p.__class__ is not int:
        wrong_type("tcp-connect", 2, "exact integer", p)
    try:
        infos = resolve.getaddrinfo(h, p, 0, SOCK_STREAM, 0, 0, who="tcp-connect")
    except SchemeError:
        net_error("tcp-connect", "cannot find host address", host)
    ms = tcp_connect_timeout()
    last: Optional[SchemeError] = None
    for ai in infos:
        core = CoreSocket.open(ai.family, SOCK_STREAM, 0, "tcp-connect")
        try:
            core.connect(ai.addr, "tcp-connect", ms_to_seconds(ms))
        except SchemeError as e:
            fd = core.fd
            core.close()
            last = e
            c = core_condition(e)
            if c is not None and c.kind == "timeout":
                _timeout_error(e, "connect", ms, fd)
            continue
        return _ports(CkSocket(core, ai.family, SOCK_STREAM, 0))
    assert last is not None
    rethrow_net(last, "tcp-connect", "cannot create socket")


def _socket_of(who: str, port: Any) -> CkSocket:
    return link_of(who, port).socket


def tcp_addresses(port: Any) -> MultipleValues:
    """(tcp-addresses port) -> local-address remote-address"""
    so = _socket_of("tcp-addresses", port)
    try:
        a, b = so.core.getsockname(), so.core.getpeername()
    except SchemeError as e:
        rethrow_net(e, "tcp-addresses", "cannot retrieve address", port)
    if a is None or b is None:
        net_error("tcp-addresses", "cannot retrieve address", port)
    return MultipleValues((MString(a.host), MString(b.host)))


def tcp_port_numbers(port: Any) -> MultipleValues:
    """(tcp-port-numbers port) -> local-port remote-port"""
    so = _socket_of("tcp-port-numbers", port)
    try:
        a, b = so.core.getsockname(), so.core.getpeername()
    except SchemeError as e:
        rethrow_net(e, "tcp-port-numbers", "cannot retrieve port numbers", port)
    if a is None or b is None:
        net_error("tcp-port-numbers", "cannot retrieve port numbers", port)
    return MultipleValues((a.port, b.port))


def tcp_abandon_port(port: Any) -> Any:
    """(tcp-abandon-port port) -> unspecified"""
    link_of("tcp-abandon-port", port).abandoned = True
    return UNSPECIFIED


def tcp_port_to_fileno(port: Any) -> int:
    """(tcp-port->fileno port) -> descriptor"""
    return _socket_of("tcp-port->fileno", port).fileno


L = A.tcp_listener
EXPORTS: List[Entry] = [
    export("tcp-listen", tcp_listen, A.exact_integer, A.exact_integer, A.or_false(A.string)),
    export("tcp-listener?", tcp_listener_p, A.any),
    export("tcp-close", tcp_close, L),
    export("tcp-accept", tcp_accept, L),
    export("tcp-accept-ready?", tcp_accept_ready_p, L),
    export("tcp-listener-port", tcp_listener_port, L),
    export("tcp-listener-fileno", tcp_listener_fileno, L),
    export("tcp-connect", tcp_connect, A.string, A.any),
    export("tcp-addresses", tcp_addresses, A.any),
    export("tcp-port-numbers", tcp_port_numbers, A.any),
    export("tcp-abandon-port", tcp_abandon_port, A.any),
    export("tcp-port->fileno", tcp_port_to_fileno, A.any),
    value("tcp-buffer-size", tcp_buffer_size),
    value("tcp-read-timeout", tcp_read_timeout),
    value("tcp-write-timeout", tcp_write_timeout),
    value("tcp-connect-timeout", tcp_connect_timeout),
    value("tcp-accept-timeout", tcp_accept_timeout),
]
BINDINGS = install(LIBS, EXPORTS)
