#!/usr/bin/env python3
"""make bench, email part: an SMTP sink on loopback (Python asyncio, no dependencies).

Accepts every message and counts the marketing ones (with List-Unsubscribe) and their Message-IDs, and writes its counters to STATS
(JSON) every 0.2 s and on exit: messages, distinct Message-IDs, duplicates, bytes, the time of
the first and of the last message. With --reference N it instead pushes N messages of SIZE bytes
into a sink at PORT with a plain smtplib loop over CONNECTIONS connections and prints the rate.

  smtp_sink.py serve PORT STATS
  smtp_sink.py reference PORT N SIZE CONNECTIONS
"""
import asyncio
import json
import os
import signal
import smtplib
import sys
import threading
import time

stats = {"messages": 0, "distinct": 0, "duplicates": 0, "bytes": 0, "other": 0, "first": None, "last": None}
seen = set()


def record(data):
    mid, marketing = None, False
    for line in data.split(b"\r\n"):
        if not line:
            break  # end of the headers
        name = line.split(b":", 1)[0].lower()
        if name == b"message-id":
            mid = line[11:].strip()
        elif name == b"list-unsubscribe":
            marketing = True
    if not marketing:
        stats["other"] += 1  # the platform's own mail (a school's welcome message)
        return
    now = time.time()
    stats["messages"] += 1
    stats["bytes"] += len(data)
    if stats["first"] is None:
        stats["first"] = now
    stats["last"] = now
    if mid is None or mid in seen:
        stats["duplicates"] += 1
    else:
        seen.add(mid)
        stats["distinct"] += 1


async def session(reader, writer):
    w = writer.write
    w(b"220 bench-sink ESMTP\r\n")
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            cmd = line[:4].upper()
            if cmd == b"EHLO":
                w(b"250-bench-sink\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
            elif cmd == b"HELO":
                w(b"250 bench-sink\r\n")
            elif cmd in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                w(b"250 OK\r\n")
            elif cmd == b"DATA":
                w(b"354 go ahead\r\n")
                data = await reader.readuntil(b"\r\n.\r\n")
                record(data)
                w(b"250 OK queued\r\n")
            elif cmd == b"QUIT":
                w(b"221 bye\r\n")
                await writer.drain()
                break
            else:
                w(b"502 not implemented\r\n")
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


def dump(path):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(stats, f)
    os.replace(tmp, path)


async def serve(port, path):
    server = await asyncio.start_server(session, "127.0.0.1", port, limit=1 << 22)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    async with server:
        while not stop.is_set():
            dump(path)
            try:
                await asyncio.wait_for(stop.wait(), 0.2)
            except asyncio.TimeoutError:
                pass
    dump(path)


def reference(port, n, size, connections):
    body = ("x" * 76 + "\r\n") * max(1, size // 78)
    per = n // connections

    def push(k):
        s = smtplib.SMTP("127.0.0.1", port)
        for i in range(per):
            msg = f"From: ref@bench.test\r\nTo: r{k}-{i}@example.com\r\nSubject: Reference\r\nMessage-ID: <ref-{k}-{i}@bench>\r\nList-Unsubscribe: <http://bench/u/{k}-{i}>\r\n\r\n{body}"
            s.sendmail("ref@bench.test", [f"r{k}-{i}@example.com"], msg)
        s.quit()

    started = time.time()
    threads = [threading.Thread(target=push, args=(k,)) for k in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.time() - started
    print(f"{per * connections}\t{took:.3f}\t{per * connections / took:.1f}")


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        asyncio.run(serve(int(sys.argv[2]), sys.argv[3]))
    else:
        reference(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
