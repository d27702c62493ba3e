"""Unix-domain ping-pong client: N round trips of a 64-byte message (argv: path N)."""
import socket
import sys
import time

SIZE = 64


def recv_exact(conn, n):
    """n bytes, or fewer at end of stream."""
    data = conn.recv(n)
    while data and len(data) < n:
        more = conn.recv(n - len(data))
        if not more:
            break
        data += more
    return data


path, n = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(path)
msg = bytearray(b"p" * SIZE)
bad = 0
t0 = time.perf_counter()
for i in range(n):
    msg[0] = i % 256
    s.sendall(msg)
    if recv_exact(s, SIZE) != msg:
        bad += 1
t1 = time.perf_counter()
s.close()
print(f"client: {n} round trips of {SIZE} bytes, {bad} mismatches")
print(f"elapsed {t1 - t0:.6f}")
