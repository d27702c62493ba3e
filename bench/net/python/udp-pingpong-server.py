"""UDP ping-pong server: answer N 64-byte datagrams to their senders (argv: N)."""
import socket
import sys

n = int(sys.argv[1])
srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
srv.bind(("127.0.0.1", 0))
print(srv.getsockname()[1], flush=True)
count = 0
for _ in range(n):
    data, peer = srv.recvfrom(64)
    srv.sendto(data, peer)
    count += 1
srv.close()
print(f"server: answered {count} datagrams")
