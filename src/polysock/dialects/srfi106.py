"""SRFI 106 "Basic socket interface" (spec/srfi-106.md) as a table over the net core.

Library ``(srfi 106)``, also reachable as ``(srfi :106)`` and ``(srfi :106 socket)``.
A SRFI 106 socket *is* the core socket (spec §1 **D**), so it can be handed to any
dialect layer. The six name-based flag operators are macros in the SRFI; here they
are procedures over symbols in ``(srfi 106 procedures)``; the expander wraps each as
``(define-syntax address-family (syntax-rules () ((_ n ...) (%proc 'n ...))))``.

Decisions (spec **D**): an all-digit service string is a port number and is range
checked; ``socket-send`` sends the whole bytevector and returns its length;
``socket-recv`` waits for at least one byte (``*msg-waitall*``: ``size`` bytes or EOF)
and returns an empty bytevector at end of stream; socket input ports are buffered,
output ports unbuffered; closing a port never closes the socket; failures raise the
core condition, which ``socket-error?`` and its accessors inspect.
"""
from __future__ import annotations

from typing import Any, Dict, List

from ..net import ports as netports
from ..net.constants import CONSTANTS
from ..net.sockets import CoreSocket, open_client, open_server
from ..runtime.argtypes import NAMESPACE, Arg
from ..values.misc import UNSPECIFIED
from ._table import (A, Entry, condition_data, const, export, install, is_socket_condition,
                     merge_flags, purge_flags, pystr, symbol_table_lookup, value)

LIBS = ("(srfi 106)", "(srfi :106)", "(srfi :106 socket)")
PROC_LIB = "(srfi 106 procedures)"
C = CONSTANTS


def _c(name: str) -> int:
    return C.get(name, 0)


DEFAULT_CLIENT_FLAGS = _c("AI_V4MAPPED") | _c("AI_ADDRCONFIG")
BACKLOG = 128


# ---------------------------------------------------------------- constructors

def make_client_socket(node: Any, service: Any, ai_family: int = _c("AF_INET"),
                       ai_socktype: int = _c("SOCK_STREAM"), ai_flags: int = DEFAULT_CLIENT_FLAGS,
                       ai_protocol: int = 0) -> CoreSocket:
    """(make-client-socket node service [ai-family [ai-socktype [ai-flags [ai-protocol]]]]) -> socket"""
    return open_client(pystr(node), pystr(service), ai_family, ai_socktype, ai_flags,
                       ai_protocol, who="make-client-socket")


def make_server_socket(service: Any, ai_family: int = _c("AF_INET"),
                       ai_socktype: int = _c("SOCK_STREAM"), ai_protocol: int = 0) -> CoreSocket:
    """(make-server-socket service [ai-family [ai-socktype [ai-protocol]]]) -> socket"""
    return open_server(pystr(service), ai_family, ai_socktype, ai_protocol, backlog=BACKLOG,
                       who="make-server-socket")


def socket_p(obj: Any) -> bool:
    """(socket? obj) -> boolean"""
    return isinstance(obj, CoreSocket)


# ---------------------------------------------------------------- operations

def socket_accept(s: CoreSocket) -> CoreSocket:
    """(socket-accept socket) -> socket"""
    return s.accept_socket("socket-accept")


def socket_send(s: CoreSocket, bv: bytearray, flags: int = 0) -> int:
    """(socket-send socket bv [flags]) -> integer"""
    return s.send_all(bv, 0, None, flags, "socket-send")


def socket_recv(s: CoreSocket, size: int, flags: int = 0) -> bytearray:
    """(socket-recv socket size [flags]) -> bytevector"""
    return s.recv_bytearray(size, flags, "socket-recv")


def socket_shutdown(s: CoreSocket, how: int) -> Any:
    """(socket-shutdown socket how) -> unspecified"""
    s.shutdown(how, who="socket-shutdown")
    return UNSPECIFIED


def socket_close(s: CoreSocket) -> Any:
    """(socket-close socket) -> unspecified"""
    s.close(who="socket-close")
    return UNSPECIFIED


def socket_input_port(s: CoreSocket) -> Any:
    """(socket-input-port socket) -> binary-input-port"""
    s.fileno("socket-input-port")          # a closed socket is an error now, not at first read
    return netports.input_port(s, textual=False, buffering="block", on_close="keep")


def socket_output_port(s: CoreSocket) -> Any:
    """(socket-output-port socket) -> binary-output-port"""
    s.fileno("socket-output-port")
    return netports.output_port(s, textual=False, buffering="none", on_close="keep")


def call_with_socket(s: CoreSocket, proc: Any) -> Any:
    """(call-with-socket socket proc) -> the values of (proc socket)"""
    r = proc(s)
    s.close(who="call-with-socket")
    return r


# ---------------------------------------------------------------- flags

def socket_merge_flags(*flags: int) -> int:
    """(socket-merge-flags flag ...) -> integer"""
    return merge_flags(*flags)


def socket_purge_flags(base: int, *flags: int) -> int:
    """(socket-purge-flags base-flag flag ...) -> integer"""
    return purge_flags(base, *flags)


def _table(**names: str) -> Dict[str, int]:
    return {k.replace("_", "-"): C[v] for k, v in names.items() if v in C}


FAMILIES = _table(inet="AF_INET", inet6="AF_INET6", unspec="AF_UNSPEC", unix="AF_UNIX")
ADDRESS_INFO = _table(canonname="AI_CANONNAME", canoname="AI_CANONNAME",
                      numerichost="AI_NUMERICHOST", v4mapped="AI_V4MAPPED", all="AI_ALL",
                      addrconfig="AI_ADDRCONFIG", passive="AI_PASSIVE")
DOMAINS = _table(stream="SOCK_STREAM", datagram="SOCK_DGRAM")
PROTOCOLS = {"ip": 0, **_table(tcp="IPPROTO_TCP", udp="IPPROTO_UDP")}
MESSAGES = {"none": 0, **_table(peek="MSG_PEEK", oob="MSG_OOB", wait_all="MSG_WAITALL")}
SHUTDOWN = {"read": _c("SHUT_RD"), "write": _c("SHUT_WR")}


def address_family(name: Any) -> int:
    """(address-family name) -> integer"""
    return symbol_table_lookup("address-family", FAMILIES, name)


def address_info(*names: Any) -> int:
    """(address-info name ...) -> integer"""
    return merge_flags(*(symbol_table_lookup("address-info", ADDRESS_INFO, n) for n in names))


def socket_domain(name: Any) -> int:
    """(socket-domain name) -> integer"""
    return symbol_table_lookup("socket-domain", DOMAINS, name)


def ip_protocol(name: Any) -> int:
    """(ip-protocol name) -> integer"""
    return symbol_table_lookup("ip-protocol", PROTOCOLS, name)


def message_type(*names: Any) -> int:
    """(message-type name ...) -> integer"""
    return merge_flags(*(symbol_table_lookup("message-type", MESSAGES, n) for n in names))


def shutdown_method(*names: Any) -> int:
    """(shutdown-method name ...) -> integer"""
    from ..values.conditions import throw
    seen: List[str] = []
    for n in names:
        symbol_table_lookup("shutdown-method", SHUTDOWN, n)
        if n.name in seen:
            throw("assertion", "shutdown-method", "duplicate method", n)
        seen.append(n.name)
    if not seen:
        throw("assertion", "shutdown-method", "unknown method")
    return _c("SHUT_RDWR") if len(seen) == 2 else SHUTDOWN[seen[0]]


# ---------------------------------------------------------------- conditions

def socket_error_p(obj: Any) -> bool:
    """(socket-error? obj) -> boolean"""
    return is_socket_condition(obj)


def socket_error_errno(c: Any) -> Any:
    """(socket-error-errno condition) -> integer or #f"""
    return condition_data(c, "errno")


def socket_error_eai(c: Any) -> Any:
    """(socket-error-eai condition) -> integer or #f"""
    return condition_data(c, "gai_code")


# The socket check inlined into the generated argument-checking wrappers (an expression
# costs a few bytecodes; A.core_socket's predicate is a call on every socket operation).
NAMESPACE.setdefault("CoreSocket", CoreSocket)
sock = Arg(A.core_socket.name, "isinstance({x}, CoreSocket)")
EXPORTS: List[Entry] = [
    export("make-client-socket", make_client_socket, A.string, A.string, A.exact_integer,
           A.exact_integer, A.exact_integer, A.exact_integer),
    export("make-server-socket", make_server_socket, A.string, A.exact_integer,
           A.exact_integer, A.exact_integer),
    export("socket?", socket_p, A.any),
    export("socket-accept", socket_accept, sock),
    export("socket-send", socket_send, sock, A.bytevector, A.exact_integer),
    export("socket-recv", socket_recv, sock, A.index, A.exact_integer),
    export("socket-shutdown", socket_shutdown, sock, A.exact_integer),
    export("socket-close", socket_close, sock),
    export("socket-input-port", socket_input_port, sock),
    export("socket-output-port", socket_output_port, sock),
    export("call-with-socket", call_with_socket, sock, A.procedure),
    export("socket-merge-flags", socket_merge_flags, A.exact_integer),
    export("socket-purge-flags", socket_purge_flags, A.exact_integer, A.exact_integer),
    export("socket-error?", socket_error_p, A.any),
    export("socket-error-errno", socket_error_errno, A.any),
    export("socket-error-eai", socket_error_eai, A.any),
    const("*af-unspec*", "AF_UNSPEC"), const("*af-inet*", "AF_INET"),
    const("*af-inet6*", "AF_INET6"),
    const("*sock-stream*", "SOCK_STREAM"), const("*sock-dgram*", "SOCK_DGRAM"),
    const("*ai-canonname*", "AI_CANONNAME"), const("*ai-canoname*", "AI_CANONNAME"),
    const("*ai-numerichost*", "AI_NUMERICHOST"), const("*ai-v4mapped*", "AI_V4MAPPED"),
    const("*ai-all*", "AI_ALL"), const("*ai-addrconfig*", "AI_ADDRCONFIG"),
    value("*ipproto-ip*", 0),
    const("*ipproto-tcp*", "IPPROTO_TCP"), const("*ipproto-udp*", "IPPROTO_UDP"),
    const("*msg-peek*", "MSG_PEEK"), const("*msg-oob*", "MSG_OOB"),
    const("*msg-waitall*", "MSG_WAITALL"),
    const("*shut-rd*", "SHUT_RD"), const("*shut-wr*", "SHUT_WR"), const("*shut-rdwr*", "SHUT_RDWR"),
]

FLAG_PROCEDURES: List[Entry] = [
    export("address-family", address_family, A.any),
    export("address-info", address_info, A.any),
    export("socket-domain", socket_domain, A.any),
    export("ip-protocol", ip_protocol, A.any),
    export("message-type", message_type, A.any),
    export("shutdown-method", shutdown_method, A.any),
]

BINDINGS = install(LIBS, EXPORTS)
FLAG_BINDINGS = install(PROC_LIB, FLAG_PROCEDURES)


# The SRFI's flag operators are macros over symbols; the procedures above do the work.
from ..runtime.registry import alias as _alias, define_scheme  # noqa: E402

for _n in ("address-family", "address-info", "socket-domain", "ip-protocol", "message-type", "shutdown-method"):
    _alias("(srfi 106)", "%" + _n, PROC_LIB, _n)
define_scheme("(srfi 106)", """
(define-syntax address-family (syntax-rules () ((_ n) (%address-family 'n))))
(define-syntax address-info (syntax-rules () ((_ n ...) (%address-info 'n ...))))
(define-syntax socket-domain (syntax-rules () ((_ n) (%socket-domain 'n))))
(define-syntax ip-protocol (syntax-rules () ((_ n) (%ip-protocol 'n))))
(define-syntax message-type (syntax-rules () ((_ n ...) (%message-type 'n ...))))
(define-syntax shutdown-method (syntax-rules () ((_ n ...) (%shutdown-method 'n ...))))
""")


# (polysock extras): what SRFI 106 lacks (recvfrom/sendto, unix sockets, the local port).
from . import extras as _extras  # noqa: E402,F401
