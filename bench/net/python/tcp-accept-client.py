"""TCP accept client: N short connections, each reading one byte (argv: host port N)."""
import socket
import sys
import time

host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
good = 0
t0 = time.perf_counter()
for _ in range(n):
    s = socket.create_connection((host, port))
    if s.recv(1) == b"a":
        good += 1
    s.close()
t1 = time.perf_counter()
print(f"client: {n} connections, {good} replies")
print(f"elapsed {t1 - t0:.6f}")
