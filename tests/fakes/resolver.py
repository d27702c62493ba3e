"""A scripted resolver: fixed answers, optional per-name delay (sleeps in the worker)."""
from __future__ import annotations

import socket
import time
from typing import Any, Dict, List, Optional, Tuple

from polysock.net.resolve import SystemResolver


class FakeResolver(SystemResolver):
    """Answers getaddrinfo/gethostbyname from ``hosts`` {name: [address text]}; unknown
    names fail with EAI_NONAME. ``delays`` {name: seconds} makes a lookup slow.
    Database lookups (services, protocols, networks) fall through to the /etc files."""

    def __init__(self, hosts: Optional[Dict[str, List[str]]] = None,
                 delays: Optional[Dict[str, float]] = None) -> None:
        self.hosts_table = hosts or {"localhost": ["127.0.0.1", "::1"]}
        self.delays = delays or {}
        self.calls: List[Tuple[str, Any]] = []

    def _delay(self, name: Any) -> None:
        d = self.delays.get(name)
        if d:
            time.sleep(d)

    def getaddrinfo(self, host: Optional[str], port: Any, family: int, type: int, proto: int,
                    flags: int) -> List[Any]:
        self.calls.append(("getaddrinfo", host))
        self._delay(host)
        if host is None:
            addrs = ["::"] if family == socket.AF_INET6 else ["0.0.0.0"]
        elif host in self.hosts_table:
            addrs = self.hosts_table[host]
        else:
            try:
                socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
                addrs = [host]
            except OSError:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        out: List[Any] = []
        for a in addrs:
            fam = socket.AF_INET6 if ":" in a else socket.AF_INET
            if family not in (0, fam):
                continue
            for row in socket.getaddrinfo(a, port, fam, type, proto, flags | socket.AI_NUMERICHOST):
                out.append(row[:3] + (host or "",) + row[4:] if flags & socket.AI_CANONNAME else row)
        if not out:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return out

    def gethostbyname_ex(self, name: str) -> Tuple[str, List[str], List[str]]:
        self.calls.append(("gethostbyname", name))
        self._delay(name)
        v4 = [a for a in self.hosts_table.get(name, []) if ":" not in a]
        if not v4:
            raise socket.herror(1, "Unknown host")
        return name, [], v4

    def gethostbyaddr(self, addr: str) -> Tuple[str, List[str], List[str]]:
        self.calls.append(("gethostbyaddr", addr))
        self._delay(addr)
        for name, addrs in self.hosts_table.items():
            if addr in addrs:
                return name, [], [addr]
        raise socket.herror(1, "Unknown host")

    def getnameinfo(self, addr: Any, flags: int) -> Tuple[str, str]:
        self.calls.append(("getnameinfo", addr))
        host = addr[0]
        if not flags & socket.NI_NUMERICHOST:
            for name, addrs in self.hosts_table.items():
                if host in addrs:
                    host = name
                    break
        return host, str(addr[1])
