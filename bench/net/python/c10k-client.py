"""c10k client (used against every server): open N connections and hold them all,
then send each a 64-byte message and verify its echo; close them only when every
echo is in (argv: host port N); then send each a one-byte goodbye, upon which the
server closes first (so the TIME_WAIT state stays on the server's side).  Non-blocking, one selector.  The server greets each
connection it accepts with one byte; at most MAX_PENDING connections wait for their
greeting at any time, so the server's listen backlog (128) never overflows (an
overflow drops SYNs and costs a 1 s retransmission).

Prints one result line (compared across servers) and ``elapsed SECONDS`` (opening
all connections plus all exchanges, before closing).
"""
import errno
import resource
import selectors
import socket
import sys
import time

SIZE = 64
GREETING = b"+"
BYE = b"."
MAX_PENDING = 100
DEADLINE_S = 300.0


def raise_nofile(need):
    """Raise the soft RLIMIT_NOFILE to at least need (bounded by the hard limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < need:
        new = need if hard == resource.RLIM_INFINITY else min(need, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))


def message(i):
    """The message of connection i (its number, padded)."""
    return (b"c10k %08d " % i).ljust(SIZE, b".")


def main():
    host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    raise_nofile(n + 64)
    sel = selectors.DefaultSelector()
    socks = [None] * n
    failures = 0
    t0 = time.perf_counter()
    deadline = t0 + DEADLINE_S
    # phase 1: open every connection, at most MAX_PENDING connects in flight
    nxt = connected = pending = 0
    while connected + failures < n and time.perf_counter() < deadline:
        while pending < MAX_PENDING and nxt < n:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            code = s.connect_ex((host, port))
            if code not in (0, errno.EINPROGRESS):
                s.close()
                failures += 1
            else:
                socks[nxt] = s
                sel.register(s, selectors.EVENT_WRITE, nxt)
                pending += 1
            nxt += 1
        for key, _ in sel.select(timeout=1.0):
            s, i = key.fileobj, key.data
            sel.unregister(s)
            pending -= 1
            if key.events & selectors.EVENT_WRITE:
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                    s.close()
                    socks[i] = None
                    failures += 1
                else:
                    sel.register(s, selectors.EVENT_READ, i)   # now wait for the greeting
                    pending += 1
                continue
            try:
                greeting = s.recv(1)
            except OSError:
                greeting = b""
            if greeting == GREETING:
                connected += 1
            else:
                s.close()
                socks[i] = None
                failures += 1
    held = sum(1 for s in socks if s is not None)
    # phase 2: every connection is open; one message each, then read every echo
    got = {}
    for i, s in enumerate(socks):
        if s is not None:
            s.send(message(i))
            got[i] = b""
            sel.register(s, selectors.EVENT_READ, i)
    verified = 0
    while got and time.perf_counter() < deadline:
        for key, _ in sel.select(timeout=1.0):
            s, i = key.fileobj, key.data
            try:
                data = s.recv(SIZE - len(got[i]))
            except OSError:
                data = b""
            if data:
                got[i] += data
            if not data or len(got[i]) == SIZE:
                sel.unregister(s)
                verified += got.pop(i) == message(i)
    t1 = time.perf_counter()
    # phase 3: say goodbye (one byte) and let the server close first, so TIME_WAIT
    # stays on the server's side and 10,000 client ports per run are not tied up
    open_socks = {}
    for i, s in enumerate(socks):
        if s is not None:
            try:
                s.send(BYE)
                sel.register(s, selectors.EVENT_READ, i)
                open_socks[i] = s
            except OSError:
                s.close()
    while open_socks and time.perf_counter() < deadline:
        for key, _ in sel.select(timeout=1.0):
            s, i = key.fileobj, key.data
            try:
                data = s.recv(SIZE)
            except OSError:
                data = b""
            if not data:
                sel.unregister(s)
                s.close()
                del open_socks[i]
    for s in open_socks.values():
        s.close()
    print(f"client: {n} connections, {held} held open together, {verified} echoes verified")
    print(f"elapsed {t1 - t0:.6f}")


main()
