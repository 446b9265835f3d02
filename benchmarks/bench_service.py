"""Registration decisions per second over HTTP on loopback, beside the in-process rate of the
same run (issue 15, item 2: target 5,000 decisions/s on 2 workers).

Bounded: each configuration is loaded for ``--seconds`` (default 4) by one client process of
``--connections`` keep-alive HTTP/1.1 connections (a small asyncio client on uvloop, not
httpx: it must cost the shared cores as little as possible), and stops by itself. Every
request goes to 127.0.0.1 only.

Configurations (the server is ``uvicorn lnunemp_rules.service.app:create_app --factory``,
access log off unless said):

- ``GET /healthz``: the HTTP and framework floor, no decision;
- ``POST /v1/registration``: one application a request, the whole decision (with trace) back;
- ``POST /v1/batch``: ``--batch`` applications a request, compact results back;
- the same on asyncio and h11 instead of uvloop and httptools (the ``server`` extra's choice);
- ``lnunemp-rules serve`` itself (access log on).

In-process, on the same applications: the decision from a dict (``assess_registration``), and
what the endpoint does besides (JSON decoding, the decision, ``to_json``); the compact
decision of a batch (``assess_partition``).

Run: ``python benchmarks/bench_service.py [--seconds 4] [--connections 32] [--batch 100]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import lnunemp_rules as L
from lnunemp_rules.analyst.generate import generate_records

__all__ = ["main"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _request(path: str, body: bytes | None) -> bytes:
    if body is None:
        return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")  # fmt: skip
    return head.encode() + body


async def _connection(port: int, requests: Sequence[bytes], stop: float,
                      latencies: list[float], statuses: dict[int, int]) -> None:  # fmt: skip
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = 0
    try:
        while time.perf_counter() < stop:
            started = time.perf_counter()
            writer.write(requests[i % len(requests)])
            i += 1
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


async def _load(port: int, requests: Sequence[bytes], seconds: float, connections: int
                ) -> tuple[list[float], dict[int, int], float]:  # fmt: skip
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    started = time.perf_counter()
    stop = started + seconds
    await asyncio.gather(*(_connection(port, requests[k:] + requests[:k], stop, latencies,
                                       statuses) for k in range(connections)))  # fmt: skip
    return latencies, statuses, time.perf_counter() - started


def _serve(command: list[str], port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LNUNEMP_")}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(_request("/readyz", None))
                if b" 200 " in s.recv(100):
                    return process
        except OSError:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit(f"the server did not start: {' '.join(command)}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def _uvicorn(port: int, workers: int, fast: bool) -> list[str]:
    choice = ["--loop", "uvloop", "--http", "httptools"] if fast else [
        "--loop", "asyncio", "--http", "h11"]  # fmt: skip
    return [sys.executable, "-m", "uvicorn", "lnunemp_rules.service.app:create_app", "--factory",
            "--port", str(port), "--workers", str(workers), "--no-access-log", *choice]  # fmt: skip


def _rate(fn: Callable[[Any], Any], items: Sequence[Any]) -> float:
    for item in items[:200]:  # warm the memories of the rule book
        fn(item)
    started = time.perf_counter()
    for item in items:
        fn(item)
    return len(items) / (time.perf_counter() - started)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--n", type=int, default=2000, help="distinct applications")
    args = parser.parse_args(argv)

    apps = [a for a in generate_records("registration", args.n, seed=1, bad_share=0.0)]
    bodies = [json.dumps(a, ensure_ascii=False).encode() for a in apps]
    print(f"{len(apps)} synthetic applications (seed 1, all valid); Python "
          f"{sys.version.split()[0]}, {os.cpu_count()} CPUs, load "
          f"{os.getloadavg()[0]:.2f}")  # fmt: skip

    decide = _rate(L.assess_registration, apps)
    endpoint = _rate(lambda b: L.assess_registration(json.loads(b)).to_json().encode(), bodies)
    chunks = [apps[i : i + args.batch] for i in range(0, len(apps), args.batch)]
    compact = _rate(lambda c: L.assess_partition(c, kind="registration"), chunks) * args.batch
    print("\nin-process, one core (decisions/s):")
    print(f"  assess_registration(dict)                       {decide:>9,.0f}")
    print(f"  json.loads + decision + to_json (the endpoint)  {endpoint:>9,.0f}")
    print(f"  assess_partition, compact (the batch endpoint)  {compact:>9,.0f}")

    single = [_request("/v1/registration", b) for b in bodies]
    batched = [
        _request(
            "/v1/batch",
            json.dumps({"kind": "registration", "records": c}, ensure_ascii=False).encode(),
        )
        for c in chunks
    ]
    health = [_request("/healthz", None)]
    configs: list[tuple[str, int, Callable[[int, int], list[str]], list[bytes], int]] = [
        ("GET /healthz", 1, lambda p, w: _uvicorn(p, w, True), health, 0),
        ("GET /healthz", 2, lambda p, w: _uvicorn(p, w, True), health, 0),
        ("POST /v1/registration", 1, lambda p, w: _uvicorn(p, w, True), single, 1),
        ("POST /v1/registration", 2, lambda p, w: _uvicorn(p, w, True), single, 1),
        ("POST /v1/registration, asyncio+h11", 2, lambda p, w: _uvicorn(p, w, False), single, 1),
        ("POST /v1/registration, lnunemp-rules serve", 2,
         lambda p, w: [sys.executable, "-m", "lnunemp_rules", "serve", "--port", str(p),
                       "--workers", str(w)], single, 1),
        (f"POST /v1/batch ({args.batch} a request)", 1, lambda p, w: _uvicorn(p, w, True),
         batched, args.batch),
        (f"POST /v1/batch ({args.batch} a request)", 2, lambda p, w: _uvicorn(p, w, True),
         batched, args.batch),
    ]  # fmt: skip
    print(f"\nover HTTP on 127.0.0.1, {args.connections} connections, {args.seconds:g} s each:")
    print(f"  {'configuration':<45} {'workers':>7} {'requests/s':>11} {'decisions/s':>12} "
          f"{'p50 ms':>7} {'p99 ms':>7}  statuses")  # fmt: skip
    for name, workers, command, requests, per in configs:
        port = _free_port()
        process = _serve(command(port, workers), port)
        try:
            asyncio.run(_load(port, requests, 0.5, args.connections))  # warm every worker
            latencies, statuses, took = asyncio.run(
                _load(port, requests, args.seconds, args.connections)
            )
        finally:
            _stop(process)
        rate = len(latencies) / took
        cuts = statistics.quantiles(latencies, n=100)
        print(f"  {name:<45} {workers:>7} {rate:>11,.0f} {rate * per:>12,.0f} "
              f"{cuts[49] * 1000:>7.2f} {cuts[98] * 1000:>7.2f}  {statuses}")  # fmt: skip
    print("\nThe client shares the machine's cores with the server's workers.")


if __name__ == "__main__":
    main()
