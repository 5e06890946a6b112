#!/usr/bin/env python3
"""One process that stands in for many gameservers, for benchmarks of large local fleets.

Usage: fleet-standin.py CONTROL_PORT CAPACITY

Listens on 127.0.0.1:CONTROL_PORT. `GET /open/PORT` makes it listen on 127.0.0.1:PORT too and answer
`GET /health/` there with {"available_capacity": CAPACITY, "ready_to_close": false}. A fleet.yaml
whose local.command is
    ["sh", "-c", "curl -fs http://127.0.0.1:CONTROL_PORT/open/{port} >/dev/null && exec sleep 100000"]
then runs each "gameserver" as one sleeping process (about a megabyte) while this process answers
every probe, so a fleet of 1,000 servers costs a few hundred megabytes instead of 1,000 servers.
Loopback only; stops on SIGTERM/SIGINT.
"""
import asyncio
import json
import signal
import sys

HEALTH = b""


async def answer(reader, writer, handler):
    try:
        while True:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=30)
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = line.split(" ")
            path = parts[1] if len(parts) > 1 else "/"
            status, body = await handler(path)
            writer.write(b"HTTP/1.1 %d OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                         % (status, len(body), body))
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.TimeoutError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main():
    control_port = int(sys.argv[1])
    capacity = int(sys.argv[2])
    health = json.dumps({"available_capacity": capacity, "ready_to_close": False}).encode()
    servers = {}

    async def health_handler(path):
        return (200, health) if path.startswith("/health") else (404, b'{"error":"not found"}')

    async def control_handler(path):
        if path.startswith("/open/"):
            port = int(path[len("/open/"):])
            if port not in servers:
                servers[port] = await asyncio.start_server(
                    lambda r, w: answer(r, w, health_handler), "127.0.0.1", port, reuse_address=True)
            return 200, b'{"open":%d}' % len(servers)
        return 404, b'{"error":"not found"}'

    control = await asyncio.start_server(lambda r, w: answer(r, w, control_handler), "127.0.0.1", control_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    control.close()
    for server in servers.values():
        server.close()


if __name__ == "__main__":
    asyncio.run(main())
