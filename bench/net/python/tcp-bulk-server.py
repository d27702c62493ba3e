"""TCP bulk server: count the bytes of one connection, then reply with the count."""
import socket
import sys

CHUNK = 65536
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(128)
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept()
total = 0
while True:
    data = conn.recv(CHUNK)
    if not data:
        break
    total += len(data)
conn.sendall(str(total).encode("ascii"))
conn.close()
srv.close()
print(f"server: received {total} bytes")
