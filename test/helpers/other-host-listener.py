# Runs inside the test's network namespace (the "other host", 198.18.0.2): listens on TCP and UDP
# ports and prints one line per connection or datagram it sees, so that a test can prove that
# nothing from the sandbox arrived.
#
#   python3 other-host-listener.py ADDR PORT...
import select
import socket
import sys

addr = sys.argv[1]
socks = []
for p in map(int, sys.argv[2:]):
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((addr, p))
    t.listen(64)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((addr, p))
    socks += [('tcp', p, t), ('udp', p, u)]
print('ready', flush=True)
while True:
    ready, _, _ = select.select([s for _, _, s in socks], [], [])
    for kind, p, s in socks:
        if s not in ready:
            continue
        if kind == 'tcp':
            c, peer = s.accept()
            c.close()
        else:
            _, peer = s.recvfrom(65536)
        print(f'{kind} {p} from {peer[0]}', flush=True)
