"""TCP bulk client: send SIZE bytes in 64 KiB chunks, then read the server's count
(argv: host port size)."""
import socket
import sys
import time

CHUNK = 65536
host, port, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.create_connection((host, port))
chunk = bytearray(b"b" * CHUNK)
t0 = time.perf_counter()
for _ in range(size // CHUNK):
    s.sendall(chunk)
s.shutdown(socket.SHUT_WR)
reply = b""
while True:
    data = s.recv(64)
    if not data:
        break
    reply += data
t1 = time.perf_counter()
s.close()
print(f"client: sent {size} bytes, server counted {int(reply)}")
print(f"elapsed {t1 - t0:.6f}")
