#!/usr/bin/env python3
"""Attacks a running HTTP server from loopback addresses as a client without a token would, and
meanwhile times ordinary requests from another address and reads the server's threads and RSS.
Prints one JSON line.

    front_attack.py PORT PID idle|slowheads|slowreaders [--connections N] [--addresses A]
                    [--hold SECONDS] [--path PATH]

idle:        N keep-alive connections opened at once, each sends one request, answers unread.
slowheads:   N connections send a request head one byte a second, reconnecting when cut.
slowreaders: N connections pipeline requests for ~7 KB unknown paths and never read.
Ordinary:    one request a 0.25 s from 127.0.0.200 ("Connection: close"), 5 s timeout each.
"""
import argparse
import json
import resource
import socket
import threading
import time

parser = argparse.ArgumentParser()
parser.add_argument("port", type=int)
parser.add_argument("pid", type=int)
parser.add_argument("mode", choices=["idle", "slowheads", "slowreaders"])
parser.add_argument("--connections", type=int, default=2000)
parser.add_argument("--addresses", type=int, default=40)
parser.add_argument("--hold", type=float, default=8)
parser.add_argument("--path", default="/noop")
args = parser.parse_args()
resource.setrlimit(resource.RLIMIT_NOFILE, (args.connections + 200, args.connections + 200))


def server_state():
    state = {}
    with open(f"/proc/{args.pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                state["rss_kb"] = int(line.split()[1])
            if line.startswith("Threads:"):
                state["threads"] = int(line.split()[1])
    return state


def opened(i):
    s = socket.socket()
    s.bind((f"127.0.0.{10 + i % args.addresses}", 0))
    s.setblocking(False)
    try:
        s.connect(("127.0.0.1", args.port))
    except BlockingIOError:
        pass
    return s


def send_quietly(s, data):
    try:
        s.send(data)
        return True
    except OSError:
        return False


stop = threading.Event()
before = server_state()
sockets = [opened(i) for i in range(args.connections)]
time.sleep(0.5)
head = f"GET {args.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()


def trickle():
    # One byte a second on every connection; a cut one is opened again.
    position = [0] * len(sockets)
    while not stop.is_set():
        for i, s in enumerate(sockets):
            if not send_quietly(s, head[position[i] % len(head):][:1]):
                s.close()
                sockets[i] = opened(i)
                position[i] = 0
            else:
                position[i] += 1
        stop.wait(1)


def pipeline():
    # Whole requests only: a send the buffers cut short is finished on the next turn.
    unknown = ("GET /" + "x" * 7000 + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").encode()
    pending = [b""] * len(sockets)
    while not stop.is_set():
        for i, s in enumerate(sockets):
            pending[i] = pending[i] or unknown
            try:
                pending[i] = pending[i][s.send(pending[i]):]
            except OSError:
                pass  # full until the server reads, or cut
        stop.wait(0.2)


if args.mode == "idle":
    for s in sockets:
        send_quietly(s, head)
    attacker = None
else:
    attacker = threading.Thread(target=trickle if args.mode == "slowheads" else pipeline)
    attacker.start()
time.sleep(1)

latencies, failed, peak = [], 0, server_state()
until = time.time() + args.hold
while time.time() < until:
    started = time.time()
    try:
        c = socket.create_connection(("127.0.0.1", args.port), timeout=5,
                                     source_address=("127.0.0.200", 0))
        c.sendall(f"GET {args.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                  .encode())
        answer = c.recv(4096)
        c.close()
        if not answer.startswith(b"HTTP/1.1 "):
            failed += 1
    except OSError:
        failed += 1
    latencies.append(time.time() - started)
    now = server_state()
    peak = {k: max(peak[k], now[k]) for k in peak}
    time.sleep(0.25)
stop.set()
if attacker:
    attacker.join()
for s in sockets:
    s.close()
latencies.sort()
print(json.dumps({"mode": args.mode, "connections": args.connections,
                  "addresses": args.addresses, "before": before, "peak": peak,
                  "ordinary": len(latencies), "ordinary_failed": failed,
                  "ordinary_worst_s": round(latencies[-1], 3),
                  "ordinary_p50_s": round(latencies[len(latencies) // 2], 3)}))
