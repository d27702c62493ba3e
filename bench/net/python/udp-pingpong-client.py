"""UDP ping-pong client: N round trips of a 64-byte datagram (argv: host port N)."""
import socket
import sys
import time

SIZE = 64
host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect((host, port))
msg = bytearray(b"u" * SIZE)
bad = 0
t0 = time.perf_counter()
for i in range(n):
    msg[0] = i % 256
    s.send(msg)
    if s.recv(SIZE) != msg:
        bad += 1
t1 = time.perf_counter()
s.close()
print(f"client: {n} round trips of {SIZE} bytes, {bad} mismatches")
print(f"elapsed {t1 - t0:.6f}")
