"""Streaming memory: peak RSS of a walk over 100,000 orders against one over 10,000.

    python benchmarks/bench_memory.py [--sizes 10000 100000] [--reps 5] [--modes ...]

The emulator (fast mode, its own process) holds 100,000 Taobao orders; every walk
runs in a fresh Python process, which reports its peak RSS (``ru_maxrss``) and its
RSS just before the walk (after imports and client setup), so "growth" is what
the walk itself kept. A walk of 10,000 orders stops after 10,000 orders of the same
list. Modes:

* ``sdk``: ``async for order in xp.taobao.orders.iter(page_size=50, concurrency=8)``
  over the whole list (one de-duplication set for the whole walk: its ids are
  the only thing that grows);
* ``sdk-windows``: the same with ``begin=`` (one-day creation-time windows, the
  way ``xportcn sync`` walks): only one window's ids are remembered;
* ``aiohttp``: the hand-written aiohttp + orjson loop, 8 workers, nothing kept.

Flat means: the 100,000-order walk peaks where the 10,000-order walk does, give or
take what the de-duplication ids cost.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import time
from datetime import datetime, timedelta, timezone
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

MODES = ("sdk", "sdk-windows", "aiohttp")
PATH = "/open/purchase/page"
CONCURRENCY = 8


async def walk_sdk(base_url: str, limit: int, page_size: int, windows: bool) -> int:
    from xportcn_async import XportcnClient

    async with XportcnClient(
        access_key=ACCESS_KEY, access_secret=ACCESS_SECRET, user_id=USER_ID, base_url=base_url
    ) as xp:
        options: dict[str, Any] = {}
        if windows:
            # The emulator's orders lie within the last 90 days before the hour began.
            options["begin"] = datetime.now(timezone.utc) - timedelta(days=92)
            options["safety_margin"] = timedelta(0)
        pager = xp.taobao.orders.iter(
            page_size=page_size, concurrency=CONCURRENCY, max_items=limit, **options
        )
        orders = 0
        async with pager:
            async for _order in pager:
                orders += 1
        return orders


async def walk_aiohttp(base_url: str, limit: int, page_size: int) -> int:
    import aiohttp

    signing = load_signing()
    url = base_url + PATH
    async with aiohttp.ClientSession() as session:

        async def fetch(page: int) -> tuple[int, int]:
            ts, nonce = str(int(time.time())), signing.make_nonce()
            headers = {
                "Content-Type": "application/json",
                "access-key": ACCESS_KEY,
                "timestamp": ts,
                "nonce-str": nonce,
                "user-id": USER_ID,
                "signature": signing.sign(ACCESS_KEY, ts, nonce, ACCESS_SECRET),
            }
            body = orjson.dumps({"pageNum": page, "pageSize": page_size})
            async with session.post(url, data=body, headers=headers) as resp:
                doc = orjson.loads(await resp.read())
            return len(doc["data"]["data"]), int(doc["data"]["total"])

        first, total = await fetch(1)
        last = math.ceil(min(total, limit) / page_size)
        pages = iter(range(2, last + 1))
        counts = [first]

        async def worker() -> None:
            for page in pages:
                counts.append((await fetch(page))[0])

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return min(sum(counts), limit)


def worker(args: argparse.Namespace) -> None:
    if args.worker == "aiohttp":
        import aiohttp  # noqa: F401 - imported before the measurement starts

        load_signing()
    else:
        import xportcn_async  # noqa: F401

    rss_before = current_rss_mb()
    started = time.perf_counter()
    if args.worker == "aiohttp":
        orders = asyncio.run(walk_aiohttp(args.base_url, args.limit, args.page_size))
    else:
        windows = args.worker == "sdk-windows"
        orders = asyncio.run(walk_sdk(args.base_url, args.limit, args.page_size, windows))
    peak = peak_rss_mb()
    result = {
        "orders": orders,
        "wall": time.perf_counter() - started,
        "peak_rss_mb": peak,
        "rss_before_mb": rss_before,
        "growth_mb": peak - rss_before,
    }
    print(orjson.dumps(result).decode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    parser.add_argument("--worker", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    check_credentials()
    configs = [(mode, size) for mode in args.modes for size in args.sizes]
    results: dict[tuple[str, int], list[dict[str, Any]]] = {cfg: [] for cfg in configs}
    started = time.monotonic()
    with EmulatorProcess(max(args.sizes)) as emu:
        for rep in range(args.reps):
            shift = rep % len(configs)
            for mode, size in configs[shift:] + configs[:shift]:
                cmd = [sys.executable, __file__, "--worker", mode, "--base-url", emu.base_url]
                cmd += ["--limit", str(size), "--page-size", str(args.page_size)]
                result = run_json(cmd)
                if result["orders"] != size:
                    raise RuntimeError(f"{mode}: walked {result['orders']} orders, not {size}")
                results[(mode, size)].append(result)
                print(".", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)

    print_machine()
    print(
        f"# pages of {args.page_size}, concurrency {CONCURRENCY}, {args.reps} repetitions, "
        f"a fresh process per walk; {time.monotonic() - started:.0f} s in all"
    )
    print()
    small, big = min(args.sizes), max(args.sizes)
    rows = []
    for mode, size in configs:
        peak = Summary.of([r["peak_rss_mb"] for r in results[(mode, size)]])
        growth = Summary.of([r["growth_mb"] for r in results[(mode, size)]])
        before = Summary.of([r["rss_before_mb"] for r in results[(mode, size)]])
        base = Summary.of([r["peak_rss_mb"] for r in results[(mode, small)]]).median
        per_order = ""
        if size != small:
            extra_kib = (peak.median - base) * 1024
            per_order = f"{extra_kib * 1024 / (size - small):,.0f} B"
        rows.append(
            [
                mode,
                f"{size:,}",
                peak.fmt(1),
                before.fmt(1, spread=False),
                growth.fmt(1),
                f"{peak.median - base:+.1f}" if size != small else "–",
                per_order or "–",
            ]
        )
    print(
        table(
            [
                "mode",
                "orders",
                "peak RSS MiB median (min–max)",
                "RSS before walk",
                "growth during walk",
                f"peak vs {small:,}",
                "per extra order",
            ],
            rows,
        )
    )
    print()
    print(
        f"Flat: the {big:,}-order walk should peak within a few MiB of the {small:,}-order walk; "
        "'per extra order' is that difference spread over the extra orders."
    )


if __name__ == "__main__":
    main()
