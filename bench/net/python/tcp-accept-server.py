"""TCP accept server: accept N connections, send each one byte and close it (argv: N)."""
import socket
import sys

n = int(sys.argv[1])
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(128)
print(srv.getsockname()[1], flush=True)
reply = b"a"
for _ in range(n):
    conn, _ = srv.accept()
    conn.sendall(reply)
    conn.close()
srv.close()
print(f"server: accepted {n} connections")
