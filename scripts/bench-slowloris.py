#!/usr/bin/env python3
"""Slow and idle clients against a running gamefleet public face, measured from outside.

    scripts/bench-slowloris.py 127.0.0.1:8000 [--idle 1000] [--drip 50] [--allocations 40]

Opens IDLE connections that never send a byte and DRIP connections that send one byte of a request
head a second, then asks for ALLOCATIONS allocations (one every 100 ms, each on a fresh connection)
and prints how long each took, and when the face closed the idle and dripping connections. It is the
scenario of the `Slow clients` test, run against a real `gamefleet serve` (e.g. the release build,
alone on the machine), to tell how fast the face is from how busy the machine is. A figure, not a
test: it asserts nothing. Start serve with the `connections:` timeouts you want to see applied.
"""
import argparse
import socket
import statistics
import threading
import time


def connect(host, port):
    s = socket.create_connection((host, port), timeout=60)
    s.setblocking(False)
    return s


def closed_by_peer(s):
    """True once the server has closed its side (anything it sent first is read past)."""
    try:
        while True:
            data = s.recv(4096)
            if not data:
                return True
    except BlockingIOError:
        return False
    except OSError:
        return True


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("address", help="the public face, host:port")
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--drip", type=int, default=50)
    parser.add_argument("--allocations", type=int, default=40)
    args = parser.parse_args()
    host, port = args.address.rsplit(":", 1)
    port = int(port)

    started = time.monotonic()
    idle = [connect(host, port) for _ in range(args.idle)]
    drippers = [connect(host, port) for _ in range(args.drip)]
    print(f"opened {len(idle)} idle and {len(drippers)} dripping connections in {time.monotonic() - started:.2f} s")

    head = b"GET /available-gameserver/ HTTP/1.1\r\nHost: x\r\n"
    stop = threading.Event()

    def drip():
        for i in range(8):
            if stop.is_set():
                return
            for c in drippers:
                try:
                    c.send(head[i % len(head):i % len(head) + 1])
                except OSError:
                    pass
            time.sleep(1)

    dripping = threading.Thread(target=drip)
    dripping.start()

    closed_at = {}

    def watch():
        everyone = [("idle", c) for c in idle] + [("drip", c) for c in drippers]
        while not stop.is_set() and len(closed_at) < len(everyone):
            for kind, c in everyone:
                if c.fileno() not in closed_at and closed_by_peer(c):
                    closed_at[c.fileno()] = (kind, time.monotonic() - started)
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()

    took, answered = [], 0
    for _ in range(args.allocations):
        t0 = time.monotonic()
        with socket.create_connection((host, port), timeout=60) as s:
            s.sendall(b"GET /available-gameserver/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answer = b""
            while True:
                data = s.recv(4096)
                if not data:
                    break
                answer += data
        took.append(time.monotonic() - t0)
        if answer.startswith(b"HTTP/1.1 200"):
            answered += 1
        time.sleep(0.1)

    dripping.join()
    deadline = time.monotonic() + 60
    while len(closed_at) < len(idle) + len(drippers) and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    watcher.join()

    took.sort()
    print(f"allocations: {answered} of {len(took)} answered 200; p50 {statistics.median(took) * 1000:.1f} ms, "
          f"p99 {took[max(0, int(len(took) * 0.99) - 1)] * 1000:.1f} ms, slowest {took[-1] * 1000:.1f} ms")
    for kind, total in (("idle", len(idle)), ("drip", len(drippers))):
        times = sorted(t for k, t in closed_at.values() if k == kind)
        if times:
            print(f"{kind}: {len(times)} of {total} closed by the face, first at {times[0]:.2f} s, last at {times[-1]:.2f} s after opening")
        else:
            print(f"{kind}: 0 of {total} closed by the face within 60 s of the drip's end")
    for c in idle + drippers:
        c.close()


if __name__ == "__main__":
    main()
