"""Run polysock with the network benchmarks' fallback for names SRFI 106 lacks.

SRFI 106 has no way to answer a UDP datagram on an unconnected socket (no
recvfrom/sendto) and no unix-domain sockets.  The benchmark programs use these
"(polysock extras)" names for them:

    (socket-recvfrom socket size)      -> two values: bytevector, peer address
    (socket-sendto socket bv peer)     -> count sent
    (make-unix-server-socket path)     -> bound, listening unix stream socket
    (make-unix-client-socket path)     -> unix stream socket connected to path

When polysock itself exports a name, its own binding is used; this module only
fills the gaps (tiny wrappers over the net core), so the programs run today and
keep running unchanged once the names are provided by polysock.  Usage:
``python bench/net/polysock_shim.py PROGRAM.scm ARGS...`` (same as ``polysock``).
"""

from __future__ import annotations

import sys
from typing import Any

EXTRAS = "(polysock extras)"
NEEDED = ("socket-recvfrom", "socket-sendto", "make-unix-server-socket", "make-unix-client-socket")


def missing() -> list[str]:
    """The names of NEEDED that polysock does not export from (polysock extras)."""
    from polysock import toplevel  # noqa: F401  (imports every dialect, filling the registry)
    from polysock.runtime.registry import LIBRARIES
    lib = LIBRARIES.get(EXTRAS, {})
    return [n for n in NEEDED if n not in lib]


def install_fallback() -> list[str]:
    """Register the missing NEEDED names; return which ones were installed."""
    from polysock.dialects._table import A, export, install
    from polysock.net.address import SockAddr
    from polysock.net.constants import AF_UNIX, SOCK_STREAM
    from polysock.net.sockets import CoreSocket
    from polysock.values.misc import MultipleValues

    def socket_recvfrom(s: CoreSocket, size: int) -> Any:
        """(socket-recvfrom socket size) -> bytevector, peer"""
        data, peer = s.recvfrom(size, 0, who="socket-recvfrom")
        return MultipleValues((bytearray(data), peer))

    def socket_sendto(s: CoreSocket, bv: bytearray, peer: Any) -> int:
        """(socket-sendto socket bv peer) -> integer"""
        return s.sendto(bv, peer, who="socket-sendto")

    def make_unix_server_socket(path: Any) -> CoreSocket:
        """(make-unix-server-socket path) -> socket"""
        s = CoreSocket.open(AF_UNIX, SOCK_STREAM, 0, "make-unix-server-socket")
        s.bind(SockAddr(AF_UNIX, path=path.s), "make-unix-server-socket")
        s.listen(128, "make-unix-server-socket")
        return s

    def make_unix_client_socket(path: Any) -> CoreSocket:
        """(make-unix-client-socket path) -> socket"""
        s = CoreSocket.open(AF_UNIX, SOCK_STREAM, 0, "make-unix-client-socket")
        s.connect(SockAddr(AF_UNIX, path=path.s), "make-unix-client-socket")
        return s

    table = {
        "socket-recvfrom": export("socket-recvfrom", socket_recvfrom, A.core_socket, A.index),
        "socket-sendto": export("socket-sendto", socket_sendto, A.core_socket, A.bytevector, A.any),
        "make-unix-server-socket": export("make-unix-server-socket", make_unix_server_socket,
                                          A.string),
        "make-unix-client-socket": export("make-unix-client-socket", make_unix_client_socket,
                                          A.string),
    }
    todo = missing()
    install(EXTRAS, [table[n] for n in todo])
    return todo


def main(argv: list[str]) -> int:
    """Install the fallback, then run polysock's command line on argv."""
    install_fallback()
    from polysock.cli import main as polysock_main
    return polysock_main(argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
