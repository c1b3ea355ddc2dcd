"""Bulk list walk: every Taobao order of the emulator, page by page, with five clients.

    python benchmarks/bench_list_walk.py [--orders 20000] [--page-size 50] [--reps 5]
                                         [--concurrency 1 8 32] [--clients sdk aiohttp ...]

The emulator runs in fast mode (no faults, canned pages, no artificial delay) in a
process of its own on 127.0.0.1, so its CPU is not shared with the client's event
loop; every client run is a fresh Python process (its CPU time and peak RSS are its
own). With 20,000 orders and pages of 50 a walk is 400 requests. Clients:

* ``sdk``: ``async for order in xp.taobao.orders.iter(page_size=50, concurrency=N)``
  — what a user writes: the pager (page 1, then N pages in flight, yielded in
  order), signing, retries, envelope checks and typed models for every order;
* ``sdk-raw``: the SDK without models, ``await xp.request("POST",
  "/open/purchase/page", json=…, idempotent=True)`` from N workers: the transport
  alone (signing, retries, envelope decoding), JSON dicts out;
* ``aiohttp``: a hand-written ``aiohttp`` loop with the same signing
  (``xportcn_async.signing.sign`` + ``make_nonce`` + the five headers) and
  ``orjson.loads`` — the floor: N workers, no retries, no checks beyond ``code``;
* ``aiohttp-pydantic``: the aiohttp loop parsing each answer
  into the pydantic v2 models of ``pydantic_models.py`` (``model_validate_json``):
  what a user who wants typed orders writes, the fair match for ``sdk``;
* ``httpx``: the same loop on ``httpx.AsyncClient``;
* ``requests``: the sequential ``requests.Session`` loop most scripts use today
  (concurrency 1 only).

The hand-written loops parse with ``orjson.loads`` like the SDK (``--stdlib-json``
makes them use ``json.loads``, what ``resp.json()`` does). ``--latency-ms N`` makes
the emulator answer N ms late (a stand-in for the round trip to China): then the
network, not the CPU, is the limit, and concurrency pays. Every run must see every
order; a run that does not fails the benchmark. Each repetition runs every
(client, concurrency) once, in a rotating order; the table gives medians and the
min–max of the repetitions.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import math
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from _common import (
    ACCESS_KEY,
    ACCESS_SECRET,
    USER_ID,
    EmulatorProcess,
    Summary,
    check_credentials,
    current_rss_mb,
    load_signing,
    peak_rss_mb,
    print_machine,
    run_json,
    table,
)

PATH = "/open/purchase/page"
CLIENTS = ("sdk", "sdk-raw", "aiohttp", "aiohttp-pydantic", "httpx", "requests")
DEFAULT_CLIENTS = CLIENTS
SEQUENTIAL_ONLY = {"requests"}

Fetch = Callable[[int], Awaitable[tuple[int, int]]]


# --------------------------------------------------------------------------- the clients


def _signed_headers() -> Callable[[], dict[str, str]]:
    """The five system headers, signed with the SDK's own ``sign`` and ``make_nonce``."""
    signing = load_signing()
    sign, make_nonce = signing.sign, signing.make_nonce
    key, secret, user = ACCESS_KEY, ACCESS_SECRET, USER_ID

    def headers() -> dict[str, str]:
        timestamp = str(int(time.time()))
        nonce = make_nonce()
        return {
            "Content-Type": "application/json",
            "access-key": key,
            "timestamp": timestamp,
            "nonce-str": nonce,
            "user-id": user,
            "signature": sign(key, timestamp, nonce, secret),
        }

    return headers


def _page_counts(doc: Any) -> tuple[int, int]:
    if doc.get("code") != 200:
        raise RuntimeError(f"the emulator refused a request: {doc.get('code')} {doc.get('msg')}")
    data = doc["data"]
    return len(data["data"]), int(data["total"])


async def _walk(fetch: Fetch, concurrency: int, page_size: int) -> tuple[int, int]:
    """Page 1 (to learn ``total``), then the other pages from ``concurrency`` workers."""
    first, total = await fetch(1)
    last = max(1, math.ceil(total / page_size))
    pages = iter(range(2, last + 1))
    counts = [first]

    async def worker() -> None:
        n = 0
        for page in pages:
            got, _ = await fetch(page)
            n += got
        counts.append(n)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return last, sum(counts)


async def run_sdk(base_url: str, concurrency: int, page_size: int, _: Any) -> tuple[int, int]:
    from xportcn_async import XportcnClient

    async with XportcnClient(
        access_key=ACCESS_KEY, access_secret=ACCESS_SECRET, user_id=USER_ID, base_url=base_url
    ) as xp:
        pager = xp.taobao.orders.iter(page_size=page_size, concurrency=concurrency)
        orders = 0
        async for _order in pager:
            orders += 1
        return pager.pages_fetched, orders


async def run_sdk_raw(base_url: str, concurrency: int, page_size: int, _: Any) -> tuple[int, int]:
    from xportcn_async import XportcnClient

    async with XportcnClient(
        access_key=ACCESS_KEY, access_secret=ACCESS_SECRET, user_id=USER_ID, base_url=base_url
    ) as xp:

        async def fetch(page: int) -> tuple[int, int]:
            body = {"pageNum": page, "pageSize": page_size}
            env = await xp.request("POST", PATH, json=body, idempotent=True)
            return len(env.data["data"]), int(env.data["total"])

        return await _walk(fetch, concurrency, page_size)


async def run_aiohttp(
    base_url: str, concurrency: int, page_size: int, loads: Callable[[bytes], Any]
) -> tuple[int, int]:
    import aiohttp

    headers = _signed_headers()
    url = base_url + PATH
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as session:

        async def fetch(page: int) -> tuple[int, int]:
            body = orjson.dumps({"pageNum": page, "pageSize": page_size})
            async with session.post(url, data=body, headers=headers()) as resp:
                raw = await resp.read()
            return _page_counts(loads(raw))

        return await _walk(fetch, concurrency, page_size)


async def run_aiohttp_pydantic(
    base_url: str, concurrency: int, page_size: int, _: Any
) -> tuple[int, int]:
    import aiohttp
    import pydantic_models as pm

    headers = _signed_headers()
    url = base_url + PATH
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as session:

        async def fetch(page: int) -> tuple[int, int]:
            body = orjson.dumps({"pageNum": page, "pageSize": page_size})
            async with session.post(url, data=body, headers=headers()) as resp:
                raw = await resp.read()
            answer = pm.OrderListEnvelope.model_validate_json(raw)
            if answer.code != 200 or answer.data is None:
                raise RuntimeError(f"the emulator refused a request: {answer.code} {answer.msg}")
            return len(answer.data.data), int(answer.data.total or 0)

        return await _walk(fetch, concurrency, page_size)


async def run_httpx(
    base_url: str, concurrency: int, page_size: int, loads: Callable[[bytes], Any]
) -> tuple[int, int]:
    import httpx

    headers = _signed_headers()
    url = base_url + PATH
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(limits=limits) as client:

        async def fetch(page: int) -> tuple[int, int]:
            body = orjson.dumps({"pageNum": page, "pageSize": page_size})
            resp = await client.post(url, content=body, headers=headers())
            return _page_counts(loads(resp.content))

        return await _walk(fetch, concurrency, page_size)


def run_requests(base_url: str, page_size: int, loads: Callable[[bytes], Any]) -> tuple[int, int]:
    import requests

    headers = _signed_headers()
    url = base_url + PATH
    with requests.Session() as session:
        page, last, orders, sent = 1, 1, 0, 0
        while page <= last:
            body = orjson.dumps({"pageNum": page, "pageSize": page_size})
            resp = session.post(url, data=body, headers=headers(), timeout=60)
            got, total = _page_counts(loads(resp.content))
            sent += 1
            orders += got
            last = max(1, math.ceil(total / page_size))
            page += 1
        return sent, orders


ASYNC_RUNNERS = {
    "sdk": run_sdk,
    "sdk-raw": run_sdk_raw,
    "aiohttp": run_aiohttp,
    "aiohttp-pydantic": run_aiohttp_pydantic,
    "httpx": run_httpx,
}


#: What each client imports: loaded before the clock starts (imports are not the walk).
PRELOAD = {
    "sdk": ("xportcn_async",),
    "sdk-raw": ("xportcn_async",),
    "aiohttp": ("aiohttp",),
    "aiohttp-pydantic": ("aiohttp", "pydantic_models"),
    "httpx": ("httpx",),
    "requests": ("requests",),
}


def worker(args: argparse.Namespace) -> None:
    """One measured walk in this process; prints one JSON line."""
    loads: Callable[[bytes], Any] = json.loads if args.stdlib_json else orjson.loads
    for module in PRELOAD[args.worker]:
        importlib.import_module(module)
    if args.worker not in ("sdk", "sdk-raw"):
        load_signing()
    rss_before = current_rss_mb()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if args.worker == "requests":
        sent, orders = run_requests(args.base_url, args.page_size, loads)
    else:
        runner = ASYNC_RUNNERS[args.worker]
        concurrency = args.concurrency[0]
        sent, orders = asyncio.run(runner(args.base_url, concurrency, args.page_size, loads))
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(
        orjson.dumps(
            {
                "requests": sent,
                "orders": orders,
                "wall": wall,
                "cpu": cpu,
                "peak_rss_mb": peak_rss_mb(),
                "rss_before_mb": rss_before,
                "rss_growth_mb": peak_rss_mb() - rss_before,
            }
        ).decode()
    )


# --------------------------------------------------------------------------- orchestration

Config = tuple[str, int]  # (client, concurrency)


def _ratio_summary(
    results: dict[Config, list[dict[str, Any]]], a: Config, b: Config, key: str
) -> Summary | None:
    """``a / b`` of ``key`` per repetition (measured side by side), median and spread."""
    if a not in results or b not in results:
        return None
    pairs = zip(results[a], results[b], strict=True)
    return Summary.of([x[key] / y[key] for x, y in pairs if y[key]])


def _walks(args: argparse.Namespace, latency_ms: float) -> dict[Config, list[dict[str, Any]]]:
    """Every (client, concurrency) ``args.reps`` times against one emulator process."""
    configs = [
        (client, c)
        for c in args.concurrency
        for client in args.clients
        if client not in SEQUENTIAL_ONLY or c == 1
    ]
    if "requests" in args.clients and 1 not in args.concurrency:
        configs.append(("requests", 1))
    expected_requests = max(1, math.ceil(args.orders / args.page_size))
    results: dict[Config, list[dict[str, Any]]] = {cfg: [] for cfg in configs}
    with EmulatorProcess(args.orders, latency_ms=latency_ms) as emu:

        def measure(client: str, c: int) -> dict[str, Any]:
            cmd = [sys.executable, __file__, "--worker", client, "--base-url", emu.base_url]
            cmd += ["--concurrency", str(c), "--page-size", str(args.page_size)]
            if args.stdlib_json:
                cmd.append("--stdlib-json")
            server0 = emu.cpu_seconds()
            result = run_json(cmd)
            result["server_cpu"] = emu.cpu_seconds() - server0
            if result["orders"] != args.orders or result["requests"] != expected_requests:
                raise RuntimeError(f"{client} c={c}: incomplete walk: {result}")
            result["rps"] = result["requests"] / result["wall"]
            result["cpu_per_order"] = result["cpu"] / result["orders"]
            return result

        measure("aiohttp", 8)  # warm-up: the emulator caches every page on first use
        for rep in range(args.reps):
            shift = rep % len(configs)
            for client, c in configs[shift:] + configs[:shift]:
                results[(client, c)].append(measure(client, c))
                print(".", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return results


def _table(
    args: argparse.Namespace, latency_ms: float, results: dict[Config, list[dict[str, Any]]]
) -> str:
    expected_requests = max(1, math.ceil(args.orders / args.page_size))

    def med(cfg: Config, key: str) -> float:
        return Summary.of([r[key] for r in results[cfg]]).median

    rows = []
    for client, c in sorted(results, key=lambda cfg: (cfg[1], CLIENTS.index(cfg[0]))):
        cfg = (client, c)
        speed = Summary.of([r["rps"] for r in results[cfg]])
        vs_floor = _ratio_summary(results, cfg, ("aiohttp", c), "rps")
        vs_seq = _ratio_summary(results, cfg, ("requests", 1), "rps")
        per_k = 1000 / expected_requests
        rows.append(
            [
                f"{latency_ms:g}",
                client,
                str(c),
                speed.fmt(0),
                f"{speed.median * args.orders / expected_requests:,.0f}",
                vs_floor.fmt(2) + "×" if vs_floor else "–",
                f"{vs_seq.median:.2f}×" if vs_seq else "–",
                f"{med(cfg, 'cpu_per_order') * 1e6:.1f}",
                f"{med(cfg, 'peak_rss_mb'):.0f} (+{med(cfg, 'rss_growth_mb'):.0f})",
                f"{med(cfg, 'server_cpu') * per_k:.2f}",
            ]
        )
    return table(
        [
            "latency ms",
            "client",
            "conc.",
            "requests/s median (min–max)",
            "orders/s",
            "vs aiohttp (min–max)",
            "vs requests",
            "client CPU ms /1k orders",
            "client peak RSS MiB (walk)",
            "server CPU s /1k req",
        ],
        rows,
    )


#: (label, latency ms, concurrency, measure, "ge"/"le", target) of issue 12's table
TARGETS = (
    ("typed walk vs raw aiohttp+orjson loop, 20 ms, conc. 8", 20.0, 8, "rps", "ge", 0.9),
    ("typed walk vs raw aiohttp+orjson loop, 50 ms, conc. 32", 50.0, 32, "rps", "ge", 0.9),
    ("typed walk CPU per order vs the raw loop, 0 ms, conc. 8", 0.0, 8, "cpu_per_order", "le", 2.5),
    ("typed walk CPU per order vs the raw loop, 0 ms, conc. 1", 0.0, 1, "cpu_per_order", "le", 2.5),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument("--reps", type=int, default=3, help="repetitions (median of them)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--clients", nargs="+", default=list(DEFAULT_CLIENTS), choices=CLIENTS)
    parser.add_argument(
        "--latency-ms",
        type=float,
        nargs="+",
        default=[0.0, 20.0, 50.0],
        help="the emulator answers this late (one emulator process per value)",
    )
    parser.add_argument("--stdlib-json", action="store_true", help="json.loads in the loops")
    parser.add_argument("--worker", choices=CLIENTS, help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    started = time.monotonic()
    check_credentials()
    by_latency = {latency: _walks(args, latency) for latency in args.latency_ms}
    expected_requests = max(1, math.ceil(args.orders / args.page_size))
    print_machine()
    print(
        f"# {args.orders:,} orders, pages of {args.page_size} ({expected_requests} requests per "
        f"walk), {args.reps} repetitions; emulator in its own process (fast mode, "
        f"latency {', '.join(f'{v:g}' for v in args.latency_ms)} ms); "
        f"hand-written loops parse with {'json' if args.stdlib_json else 'orjson'}.loads; "
        f"{time.monotonic() - started:.0f} s in all"
    )
    for latency, results in by_latency.items():
        print()
        print(_table(args, latency, results))
    print()
    print(
        "vs aiohttp: requests/s over the hand-written aiohttp loop at the same concurrency, "
        "the ratio taken in each repetition (side by side), median (min–max); vs requests: "
        "over the sequential requests loop. CPU is user + system time of the client process "
        "during the walk (imports excluded); peak RSS includes the interpreter and imports, "
        "(+N) is its growth during the walk."
    )
    rows = []
    for label, latency, c, key, sense, target in TARGETS:
        measured = by_latency.get(latency)
        found = _ratio_summary(measured, ("sdk", c), ("aiohttp", c), key) if measured else None
        if found is None:
            rows.append([label, f"{'≥' if sense == 'ge' else '≤'} {target}×", "not run", "–"])
            continue
        met = found.median >= target if sense == "ge" else found.median <= target
        rows.append(
            [
                label,
                f"{'≥' if sense == 'ge' else '≤'} {target}×",
                found.fmt(2) + "×",
                "met" if met else "NOT met",
            ]
        )
    print()
    print(table(["target (issue 12)", "target", "measured median (min–max)", ""], rows))


if __name__ == "__main__":
    main()
