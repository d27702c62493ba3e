"""Run polysock, first checking it has the "(polysock extras)" names the programs use.

SRFI 106 has no way to answer a UDP datagram on an unconnected socket (no
recvfrom/sendto) and no unix-domain sockets. The UDP and unix benchmark programs use
these names, which polysock exports from ``(polysock extras)``
(src/polysock/dialects/extras.py):

    (socket-recvfrom socket size)      -> two values: bytevector, peer address
    (socket-sendto socket bv peer)     -> count sent
    (make-unix-server-socket path)     -> bound, listening unix stream socket
    (make-unix-client-socket path)     -> unix stream socket connected to path

This module used to supply them; now it only checks. bench/kinds/net.py runs
polysock directly when ``missing()`` is empty and through this module otherwise,
so a polysock without the names fails with one clear message instead of an unbound
variable in the middle of a benchmark. Usage: ``python bench/net/polysock_shim.py
PROGRAM.scm ARGS...`` (same as ``polysock``).
"""

from __future__ import annotations

import sys

EXTRAS = "(polysock extras)"
NEEDED = ("socket-recvfrom", "socket-sendto", "make-unix-server-socket", "make-unix-client-socket")


def missing() -> list[str]:
    """The names of NEEDED that polysock does not export from (polysock extras)."""
    from polysock.dialects import srfi106  # noqa: F401  (registers SRFI 106 and the extras)
    from polysock.runtime.registry import LIBRARIES
    lib = LIBRARIES.get(EXTRAS, {})
    return [n for n in NEEDED if n not in lib]


def install_fallback() -> list[str]:
    """The NEEDED names polysock lacks (none to install: polysock provides them)."""
    return missing()


def main(argv: list[str]) -> int:
    """Check the names, then run polysock's command line on argv."""
    gaps = missing()
    if gaps:
        sys.stderr.write(f"polysock lacks {EXTRAS} names: {' '.join(gaps)}\n")
        return 2
    from polysock.cli import main as polysock_main
    return polysock_main(argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
