"""Unix-domain ping-pong server: echo 64-byte messages until EOF (argv: path count)."""
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


path = sys.argv[1]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(128)
print(path, flush=True)
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
