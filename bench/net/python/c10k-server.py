"""c10k server, blocking CPython baseline: one OS thread per connection; each greets
with one byte, echoes one 64-byte message and closes on the
client's one-byte goodbye (argv: N connections to serve)."""
import socket
import sys
import threading

SIZE = 64
n = int(sys.argv[1])
threading.stack_size(256 * 1024)
lock = threading.Lock()
active = peak = echoed = 0


def serve(conn):
    """Greet, echo one message, wait for the goodbye byte, close."""
    global active, echoed
    conn.sendall(b"+")
    data = b""
    while len(data) < SIZE:
        more = conn.recv(SIZE - len(data))
        if not more:
            break
        data += more
    conn.sendall(data)
    conn.recv(1)                 # the client's goodbye (or EOF): close first
    conn.close()
    with lock:
        active -= 1
        echoed += len(data) == SIZE


srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(128)
print(srv.getsockname()[1], flush=True)
threads = []
for _ in range(n):
    conn, _ = srv.accept()
    with lock:
        active += 1
        peak = max(peak, active)
    t = threading.Thread(target=serve, args=(conn,))
    t.start()
    threads.append(t)
for t in threads:
    t.join()
srv.close()
print(f"server: {n} connections, peak {peak} concurrent, {echoed} echoed")
