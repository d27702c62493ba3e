"""TCP ping-pong server: echo 64-byte messages until EOF (argv: count expected)."""
import socket
import sys

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


srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(128)
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept()
count = 0
while True:
    msg = recv_exact(conn, SIZE)
    if len(msg) < SIZE:
        break
    conn.sendall(msg)
    count += 1
conn.close()
srv.close()
print(f"server: echoed {count} messages")
