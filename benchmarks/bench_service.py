"""Registration decisions per second over HTTP on loopback, beside the in-process rate of the
same run (issue 15, item 2: target 5,000 decisions/s on 2 workers).

Bounded: each configuration is loaded for ``--seconds`` (default 4) by one client process of
``--connections`` keep-alive HTTP/1.1 connections (a small asyncio client on uvloop, not
httpx: it must cost the shared cores as little as possible), and stops by itself. Every
request goes to 127.0.0.1 only.

Configurations (the server is ``uvicorn lnunemp_rules.service.app:create_app --factory``,
access log off unless said):

- ``GET /healthz``: the HTTP and framework floor, nothing decided;
- ``POST /v1/registration``: one application a request, the whole decision (with trace) back;
- ``POST /v1/registration?view=basic``: the same without derivations and trace;
- ``POST /v1/batch``: ``--batch`` applications a request, compact results back;
- the basic view on asyncio and h11 instead of uvloop and httptools (the ``server`` extra's
  choice), and through ``lnunemp-rules serve`` itself (access log on).

Beside requests/s and latency, each line gives the CPU time per request of the server's
processes and of the client (Linux ``/proc``): the server's is what a machine with the client
elsewhere would pay, so ``cores / server CPU per request`` bounds the rate that machine could
reach.

In-process, on the same applications, one step at a time: JSON decoding, the decision from a
dict (``assess_registration``, validation included), ``to_dict`` and ``json.dumps`` of each
view; the whole of each endpoint's work; the compact decisions of a batch
(``assess_partition``).

Run: ``python benchmarks/bench_service.py [--seconds 4] [--connections 32] [--batch 100]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import lnunemp_rules as L
from lnunemp_rules.analyst.generate import generate_records

__all__ = ["main"]


def _cpu_seconds(group: int) -> float:
    """User and system CPU time so far of the live processes of process group ``group``
    (the server and its workers); 0 where /proc is not there."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # fields after the name: state, ppid, pgrp, ...
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _client_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


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


def _steps(apps: list[dict[str, Any]], bodies: list[bytes]) -> dict[str, float]:
    """Microseconds per application of each step of a decision endpoint, timed alone; the
    later steps on 200 decisions only (thousands of traces held at once make the garbage
    collector's passes, and so every step, slower than in a server)."""
    # Imported here: the service needs the server extra, and --help must run without it.
    from lnunemp_rules.service.problems import encode_json

    loads = 1e6 / _rate(json.loads, bodies)
    decide = 1e6 / _rate(L.assess_registration, apps)
    steps = {"json.loads of the body": loads,
             "decision from the dict (validation included)": decide}  # fmt: skip
    sample = [L.assess_registration(a) for a in apps[:200]]
    for view in ("full", "basic"):
        steps[f"to_dict, {view}"] = 1e6 / _rate(lambda d, v=view: d.to_dict(v), sample)
        data = [d.to_dict(view) for d in sample]
        steps[f"json.dumps, {view}"] = 1e6 / _rate(
            lambda d: json.dumps(d, ensure_ascii=False).encode(), data)  # fmt: skip
        steps[f"encode_json (orjson, the service's), {view}"] = 1e6 / _rate(encode_json, data)
        steps[f"{view} bytes"] = sum(len(encode_json(d)) for d in data) / len(data)
    return steps


class _Result(NamedTuple):
    rate: float
    p50: float
    p99: float
    statuses: dict[int, int]
    server_us: float  # server CPU per request
    client_us: float


def _measure(command: list[str], port: int, requests: list[bytes], seconds: float,
             connections: int) -> _Result:  # fmt: skip
    process = _serve(command, port)
    try:
        asyncio.run(_load(port, requests, 0.5, connections))  # warm every worker
        server, client = _cpu_seconds(process.pid), _client_cpu()
        latencies, statuses, took = asyncio.run(_load(port, requests, seconds, connections))
        server, client = _cpu_seconds(process.pid) - server, _client_cpu() - client
    finally:
        _stop(process)
    cuts = statistics.quantiles(latencies, n=100)
    n = len(latencies)
    return _Result(n / took, cuts[49] * 1000, cuts[98] * 1000, statuses,
                   server / n * 1e6, client / n * 1e6)  # fmt: skip


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

    steps = _steps(apps, bodies)
    work = steps["json.loads of the body"] + steps["decision from the dict (validation included)"]
    encoding = {view: steps[f"to_dict, {view}"] + steps[f"encode_json (orjson, the service's), "
                                                        f"{view}"]
                for view in ("full", "basic")}  # fmt: skip
    chunks = [apps[i : i + args.batch] for i in range(0, len(apps), args.batch)]
    compact = _rate(lambda c: L.assess_partition(c, kind="registration"), chunks) * args.batch
    print("\nin-process, one core, us per application:")
    for name, value in steps.items():
        if not name.endswith("bytes"):
            print(f"  {name:<52} {value:>8.1f}")
    for view in ("full", "basic"):
        print(f"  {'the ' + view + ' endpoint work (decoding to encode_json)':<52} "
              f"{work + encoding[view]:>8.1f}   {steps[view + ' bytes']:,.0f} bytes")  # fmt: skip
    print("in-process, one core, decisions/s:")
    decide = steps["decision from the dict (validation included)"]
    print(f"  assess_registration(dict)                      {1e6 / decide:>9,.0f}")
    for view in ("full", "basic"):
        print(f"  the {view:<5} endpoint work                       "
              f"{1e6 / (work + encoding[view]):>9,.0f}")  # fmt: skip
    print(f"  assess_partition, compact (the batch endpoint) {compact:>9,.0f}")

    def post(path: str) -> list[bytes]:
        return [_request(path, b) for b in bodies]

    full, basic = post("/v1/registration"), post("/v1/registration?view=basic")
    batched = [
        _request(
            "/v1/batch",
            json.dumps({"kind": "registration", "records": c}, ensure_ascii=False).encode(),
        )
        for c in chunks
    ]
    health = [_request("/healthz", None)]
    fast = lambda p, w: _uvicorn(p, w, True)  # noqa: E731
    serve = lambda p, w: [sys.executable, "-m", "lnunemp_rules", "serve",  # noqa: E731
                          "--port", str(p), "--workers", str(w)]  # fmt: skip
    configs: list[tuple[str, int, Callable[[int, int], list[str]], list[bytes], int]] = [
        ("GET /healthz", 1, fast, health, 0),
        ("GET /healthz", 2, fast, health, 0),
        ("POST /v1/registration (full)", 1, fast, full, 1),
        ("POST /v1/registration (full)", 2, fast, full, 1),
        ("POST /v1/registration?view=basic", 1, fast, basic, 1),
        ("POST /v1/registration?view=basic", 2, fast, basic, 1),
        ("  the same, asyncio+h11", 2, lambda p, w: _uvicorn(p, w, False), basic, 1),
        ("  the same, lnunemp-rules serve (access log)", 2, serve, basic, 1),
        (f"POST /v1/batch ({args.batch} a request)", 1, fast, batched, args.batch),
        (f"POST /v1/batch ({args.batch} a request)", 2, fast, batched, args.batch),
    ]  # fmt: skip
    print(f"\nover HTTP on 127.0.0.1, {args.connections} connections, {args.seconds:g} s each "
          "(CPU: us per request, server processes / client):")  # fmt: skip
    print(f"  {'configuration':<45} {'workers':>7} {'requests/s':>11} {'decisions/s':>12} "
          f"{'p50 ms':>7} {'p99 ms':>7} {'server':>7} {'client':>7}  statuses")  # fmt: skip
    cpu: dict[str, float] = {}
    for name, workers, command, requests, per in configs:
        port = _free_port()
        r = _measure(command(port, workers), port, requests, args.seconds, args.connections)
        cpu.setdefault(name, r.server_us)
        print(f"  {name:<45} {workers:>7} {r.rate:>11,.0f} {r.rate * per:>12,.0f} "
              f"{r.p50:>7.2f} {r.p99:>7.2f} {r.server_us:>7.0f} {r.client_us:>7.0f}  "
              f"{r.statuses}")  # fmt: skip

    floor = cpu["GET /healthz"]
    print("\nWhere a single-decision request's server CPU goes, 1 worker (us; the framework "
          "and HTTP are all of /healthz's, the other parts in-process figures):")  # fmt: skip
    for view, name in (("full", "POST /v1/registration (full)"),
                       ("basic", "POST /v1/registration?view=basic")):  # fmt: skip
        total = cpu[name]
        if total <= 0:
            continue
        rest = total - floor - work - encoding[view]
        print(f"  {view:<5} {total:>5.0f}: framework and HTTP {floor:>4.0f} ({floor / total:.0%}), "
              f"decoding and decision {work:>4.0f} ({work / total:.0%}), to_dict and encoding "
              f"{encoding[view]:>4.0f} ({encoding[view] / total:.0%}), rest {rest:>4.0f}; "
              f"2 cores, no client: <= {2e6 / total:,.0f} requests/s")  # fmt: skip
    print("\nThe client shares the machine's cores with the server's workers.")


if __name__ == "__main__":
    main()
