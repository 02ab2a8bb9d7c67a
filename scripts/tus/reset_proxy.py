"""A loopback TCP proxy that plays a bad mobile link, for the tus tests.

usage: reset_proxy.py UPSTREAM_PORT RESET_EVERY_BYTES STATS_FILE
Listens on 127.0.0.1 (port printed on stdout), forwards to 127.0.0.1:UPSTREAM_PORT, and resets
every connection (RST to both ends, as a dropped link) each time RESET_EVERY_BYTES more bytes
have gone from client to server. STATS_FILE always holds "<bytes client→server> <resets>".
"""
import os
import socket
import struct
import sys
import threading

upstream_port, every, stats_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
state = {"since": 0, "total": 0, "resets": 0}
lock = threading.Lock()


def write_stats():
    tmp = stats_path + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{state['total']} {state['resets']}\n")
    os.replace(tmp, stats_path)


def close(pair, reset):
    for s in pair:
        try:
            if reset:
                # SO_LINGER 0: close() sends RST. SHUT_RD wakes the other pump without a FIN.
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.shutdown(socket.SHUT_RD)
            else:
                s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    for s in pair:
        try:
            s.close()
        except OSError:
            pass


def pump(src, dst, counted, pair):
    while True:
        try:
            data = src.recv(65536)
        except OSError:
            data = b""
        if not data:
            close(pair, False)
            return
        reset = False
        if counted:
            with lock:
                room = every - state["since"]
                if len(data) >= room:
                    data, reset = data[:room], True
                    state["since"] = 0
                    state["resets"] += 1
                else:
                    state["since"] += len(data)
                state["total"] += len(data)
                write_stats()
        try:
            dst.sendall(data)
        except OSError:
            close(pair, False)
            return
        if reset:
            close(pair, True)
            return


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(64)
with lock:
    write_stats()
print(listener.getsockname()[1], flush=True)
while True:
    client, _ = listener.accept()
    try:
        upstream = socket.create_connection(("127.0.0.1", upstream_port))
    except OSError:
        client.close()
        continue
    pair = (client, upstream)
    threading.Thread(target=pump, args=(client, upstream, True, pair), daemon=True).start()
    threading.Thread(target=pump, args=(upstream, client, False, pair), daemon=True).start()
