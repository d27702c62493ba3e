"""Green-thread behaviour of the net core: waits park one thread only; load."""
import hashlib
import os
import random
import socket
import time

import pytest

from polysock.net import address as A
from polysock.net import resolve as R
from polysock.net.sockets import CoreSocket
from tests.fakes.helpers import condition_of, nap, spawn
from tests.fakes.resolver import FakeResolver



def ticker(stop_after):
    ticks = []

    def run():
        end = time.monotonic() + stop_after
        while time.monotonic() < end:
            ticks.append(time.monotonic())
            nap(0.05)
        return len(ticks)
    return spawn(run)


def test_timeout_fires_while_others_run(no_leaks):
    lst = CoreSocket.open(socket.AF_INET, socket.SOCK_STREAM)
    lst.bind(A.inet("127.0.0.1", 0))
    lst.listen()
    c = CoreSocket.open(socket.AF_INET, socket.SOCK_STREAM)
    c.connect(lst.getsockname())
    a, _ = lst.accept()
    t = ticker(0.6)
    t0 = time.monotonic()
    cond = condition_of(lambda: a.recv(10, timeout=0.5))
    elapsed = time.monotonic() - t0
    assert cond.kind == "timeout" and abs(elapsed - 0.5) <= 0.05 + 0.05
    assert t.join() >= 8
    for s in (a, c, lst):
        s.close()


def test_slow_dns_parks_only_its_thread(no_leaks):
    fake = FakeResolver({"slow.test": ["10.9.9.9"]}, delays={"slow.test": 0.5})
    old = R.set_resolver(fake)
    try:
        t = ticker(0.5)
        rows = R.getaddrinfo("slow.test", 80, socket.AF_INET, socket.SOCK_STREAM)
        assert str(rows[0].addr) == "10.9.9.9:80"
        assert t.join() >= 8
    finally:
        R.set_resolver(old)


def test_1000_concurrent_connections_sha256(no_leaks, net_hub):
    n_clients = 1000
    lst = CoreSocket.open(socket.AF_INET, socket.SOCK_STREAM)
    lst.bind(A.inet("127.0.0.1", 0))
    lst.listen(1024)
    addr = lst.getsockname()

    def handle(conn):
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                conn.send_all(data)
        finally:
            conn.close()

    def server():
        handlers = []
        for _ in range(n_clients):
            conn, _ = lst.accept()
            handlers.append(spawn(lambda conn=conn: handle(conn)))
        for h in handlers:
            h.join(60)

    def client(seed):
        rnd = random.Random(seed)
        payload = os.urandom(rnd.randint(1, 32 * 1024))
        s = CoreSocket.open(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.connect(addr)
            reader = spawn(lambda: _read_all(s))
            pos = 0
            while pos < len(payload):
                k = rnd.randint(1, 4096)
                s.send_all(payload, pos, min(len(payload), pos + k))
                pos += k
            s.shutdown(socket.SHUT_WR)
            return reader.join(60) == hashlib.sha256(payload).digest()
        finally:
            s.close()

    srv = spawn(server)
    clients = [spawn(lambda i=i: client(i)) for i in range(n_clients)]
    assert all(c.join(60) for c in clients)
    srv.join(60)
    lst.close()
    assert net_hub.registrations() == 0


def _read_all(s):
    h = hashlib.sha256()
    while True:
        d = s.recv(65536)
        if not d:
            return h.digest()
        h.update(d)
