"""The scsh dialect: scsh 0.6's networking chapter (seed 000, spec/scsh.md) over the net core.

Libraries: ``(scsh sockets)`` — the socket API of the manual (scsh_net.py: records,
addresses, primitives, message I/O, options; scsh_db.py: database entries);
``(scsh)`` — the umbrella, adding the host features socket programs use
(scsh_host.py: select, read-string, read-line, write-string, errno handlers, threads,
define-record...); ``(polysock scsh)`` is the same as ``(scsh)``. The dialect's
top-level environment imports R7RS-small, SRFI 18 and the polysock extras, then
``(scsh)`` last so scsh's own ``read-line``, ``read-string``, ``write-string``,
``select`` and ``sleep`` win over the R7RS/extras ones.

This module holds the high-level interface (manual §4.1): ``socket-connect`` and the
bind/listen/accept loops, written in Python over the primitives so every error names
the scsh procedure. Programs are detected by scsh's script header (``#!`` naming scsh,
then a ``!#`` line).
"""
from __future__ import annotations

import re
from typing import Any, List

from ..net import address as netaddr
from ..reader.parser import ReaderOptions
from ..values.conditions import throw, wrong_type
from ..runtime.argtypes import A as I
from ..values.pairs import Pair
from ..values.strings import MString
from . import scsh_db, scsh_host, scsh_lang  # noqa: F401  (register their libraries)
from ._spec import DialectSpec
from ._table import Entry, export, install
from .scsh_net import (AF_INET, AF_UNIX, LIBS, ScshAddress, ScshSocket, accept_connection,
                       close_socket, create_socket,
                       internet_address_to_socket_address, listen_socket, set_socket_option,
                       to_core, unix_address_to_socket_address)
from .scsh_net import C as _C

SOCK_STREAM = _C.get("SOCK_STREAM", 1)
SOL_SOCKET = _C["SOL_SOCKET"]
SO_REUSEADDR = _C["SO_REUSEADDR"]
BACKLOG = 5


def _service_port(who: str, port: Any) -> int:
    """A port number from an integer or a service name looked up for "tcp"."""
    if port.__class__ is int:
        return int(port)
    if isinstance(port, MString):
        info = scsh_db.service_info(port, MString("tcp"))
        if info is False:
            throw("not-found", who, "unknown service", port, key=port.s)
        return int(info.vals[2])
    wrong_type(who, 4 if who == "socket-connect" else 3, "port number or service name", port)
    raise AssertionError


def _address(who: str, pf: int, args: List[Any]) -> ScshAddress:
    if pf == AF_INET:
        if len(args) != 2:
            throw("arity", who, "internet sockets take a host and a port", *args)
        host, port = args
        if not isinstance(host, MString):
            wrong_type(who, 3, "host name string", host)
        n = netaddr.ipv4_literal(host.s)
        if n is not None:     # a dotted quad: host-info would give back just this address
            return internet_address_to_socket_address(n, _service_port(who, port))
        addrs = scsh_db.host_info(host).vals[2]
        if not isinstance(addrs, Pair):
            throw("herror", who, "host has no internet address", host, 4, herror=4)
        return internet_address_to_socket_address(addrs.car, _service_port(who, port))
    if pf == AF_UNIX:
        if len(args) != 1 or not isinstance(args[0], MString):
            wrong_type(who, 3, "pathname string", args[0] if args else None)
        return unix_address_to_socket_address(args[0])
    throw("range", who, "unsupported protocol family", pf, value=pf)
    raise AssertionError


def socket_connect(pf: int, type: int, *args: Any) -> ScshSocket:
    """(socket-connect protocol-family socket-type . args) -> socket"""
    who = "socket-connect"
    addr = _address(who, pf, list(args))
    s = create_socket(pf, type)
    try:
        s.core.connect(_core_addr(who, addr), who=who)
    except BaseException:
        close_socket(s)
        raise
    return s


def _core_addr(who: str, sa: ScshAddress) -> Any:
    return to_core(who, sa)


def bind_prepare_listen_accept_loop(pf: int, prepare: Any, proc: Any, arg: Any) -> Any:
    """(bind-prepare-listen-accept-loop protocol-family prepare proc arg) -> does not return"""
    who = "bind-prepare-listen-accept-loop"
    if pf == AF_INET:
        addr = internet_address_to_socket_address(0, _service_port(who, arg))
    elif pf == AF_UNIX:
        if not isinstance(arg, MString):
            wrong_type(who, 4, "pathname string", arg)
        addr = unix_address_to_socket_address(arg)
    else:
        throw("range", who, "unsupported protocol family", pf, value=pf)
    sock = create_socket(pf, SOCK_STREAM)
    try:
        if pf == AF_INET:
            set_socket_option(sock, SOL_SOCKET, SO_REUSEADDR, True)
        sock.core.bind(_core_addr(who, addr), who=who)
        prepare()
        listen_socket(sock, BACKLOG)
        while True:
            conn, peer = accept_connection(sock).vals
            proc(conn, peer)
    except BaseException:
        close_socket(sock)
        raise


def bind_listen_accept_loop(pf: int, proc: Any, arg: Any) -> Any:
    """(bind-listen-accept-loop protocol-family proc arg) -> does not return"""
    return bind_prepare_listen_accept_loop(pf, _nothing, proc, arg)


def _nothing() -> bool:
    return True


EXPORTS: List[Entry] = [
    export("socket-connect", socket_connect, I.exact_integer, I.exact_integer, I.any),
    export("bind-listen-accept-loop", bind_listen_accept_loop, I.exact_integer, I.procedure, I.any),
    export("bind-prepare-listen-accept-loop", bind_prepare_listen_accept_loop, I.exact_integer,
           I.procedure, I.procedure, I.any),
]
BINDINGS = install(LIBS, EXPORTS)

from . import detect_scsh as detect  # noqa: E402 - in the package index, so detection needs no import


from . import scsh_report  # noqa: E402 - the uncaught-error report

DIALECT = DialectSpec(
    "scsh",
    libraries=["(scheme base)", "(scheme char)", "(scheme cxr)", "(scheme lazy)",
               "(scheme inexact)", "(scheme complex)", "(scheme write)", "(scheme read)",
               "(scheme file)", "(scheme process-context)", "(scheme time)",
               "(scheme case-lambda)", "(scheme eval)", "(scheme repl)", "(srfi 18)", "(srfi 69)",
               "(polysock extras)", "(scsh)"],
    reader=ReaderOptions(scsh_header=True),
    detect=detect,
    report=scsh_report.report,
    description="scsh 0.6 networking (socket-connect, bind-listen-accept-loop, ...) and its host features",
)
