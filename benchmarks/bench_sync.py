"""``xportcn sync orders`` end to end against a latency-injecting emulator, vs the raw loop.

    python benchmarks/bench_sync.py [--orders 20000] [--latency-ms 20] [--concurrency 8]
                                    [--reps 3] [--window-hours 24]

The emulator runs in fast mode in a process of its own with ``--latency-ms`` added to
every answer (a stand-in for the round trip to China). Each repetition, side by side:

* ``sync``: the real command, ``xportcn sync orders --db <fresh file> --since <start of
  the emulator's data> --concurrency N --json``, in a fresh process (its wall time from
  start to exit: imports, the SQLite file, every window, checkpoints and the summary);
* ``raw``: the hand-written aiohttp + orjson loop of ``bench_list_walk.py`` walking the
  same orders at the same concurrency (the whole list, no windows, nothing stored).

The ratio is orders/s of the sync over orders/s of the raw loop, taken per repetition.
Every sync must store every order (the table is counted), or the benchmark fails.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
from _common import (
    EmulatorProcess,
    Summary,
    check_credentials,
    emulator_env,
    print_machine,
    run_json,
    table,
)

BENCH_DIR = Path(__file__).resolve().parent
XPORTCN = Path(sys.executable).parent / "xportcn"
CHINA = timezone(timedelta(hours=8))
#: Issue 12: a sync of 20,000 orders at 20 ms, concurrency 8, vs the raw loop.
TARGET = 0.6


def run_sync(base_url: str, args: argparse.Namespace, db: Path) -> dict[str, Any]:
    env = emulator_env(base_url)
    # The emulator spreads its orders over the 90 days before the current hour.
    since = (datetime.now(CHINA) - timedelta(days=92)).strftime("%Y-%m-%d")
    cmd = [str(XPORTCN), "sync", "orders", "--db", str(db), "--since", since]
    cmd += ["--concurrency", str(args.concurrency), "--window-hours", str(args.window_hours)]
    cmd += ["--page-size", str(args.page_size), "--json"]
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"sync failed ({done.returncode}): {done.stderr[-2000:]}")
    with sqlite3.connect(db) as conn:
        stored = int(conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0])
    if stored != args.orders:
        raise RuntimeError(f"the sync stored {stored} of {args.orders} orders")
    stats = orjson.loads(done.stdout)
    one = stats[0] if isinstance(stats, list) else stats
    return {"wall": wall, "orders": stored, "stats": one}


def run_raw(base_url: str, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, str(BENCH_DIR / "bench_list_walk.py"), "--worker", "aiohttp"]
    cmd += ["--base-url", base_url, "--concurrency", str(args.concurrency)]
    cmd += ["--page-size", str(args.page_size)]
    result = run_json(cmd)
    if result["orders"] != args.orders:
        raise RuntimeError(f"the raw loop saw {result['orders']} of {args.orders} orders")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument("--window-hours", type=int, default=24)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    check_credentials()
    started = time.monotonic()
    syncs: list[dict[str, Any]] = []
    raws: list[dict[str, Any]] = []
    with EmulatorProcess(args.orders, latency_ms=args.latency_ms) as emu:
        run_raw(emu.base_url, args)  # warm-up: the emulator caches every page on first use
        with tempfile.TemporaryDirectory() as tmp:
            for rep in range(args.reps):
                order = ("sync", "raw") if rep % 2 == 0 else ("raw", "sync")
                for what in order:
                    if what == "sync":
                        syncs.append(run_sync(emu.base_url, args, Path(tmp) / f"sync{rep}.sqlite"))
                    else:
                        raws.append(run_raw(emu.base_url, args))
                    print(".", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    sync_rate = Summary.of([r["orders"] / r["wall"] for r in syncs])
    raw_rate = Summary.of([r["orders"] / r["wall"] for r in raws])
    ratios = Summary.of(
        [
            (s["orders"] / s["wall"]) / (r["orders"] / r["wall"])
            for s, r in zip(syncs, raws, strict=True)
        ]
    )
    stats = syncs[-1]["stats"]
    print_machine()
    print(
        f"# {args.orders:,} orders, {args.latency_ms:g} ms latency, concurrency "
        f"{args.concurrency}, pages of {args.page_size}, {args.window_hours} h windows, "
        f"{args.reps} repetitions; {time.monotonic() - started:.0f} s in all"
    )
    print()
    rows = [
        [
            "xportcn sync orders",
            f"{Summary.of([r['wall'] for r in syncs]).fmt(1)}",
            sync_rate.fmt(0),
            ratios.fmt(2) + "×",
            f"{stats.get('pages', '?')} pages, {stats.get('windows_total', '?')} windows",
        ],
        [
            "raw aiohttp + orjson loop",
            f"{Summary.of([r['wall'] for r in raws]).fmt(1)}",
            raw_rate.fmt(0),
            "1.00×",
            f"{raws[-1]['requests']} pages, no windows, nothing stored",
        ],
    ]
    print(table(["run", "seconds median (min–max)", "orders/s", "vs raw loop", "work"], rows))
    print()
    met = "met" if ratios.median >= TARGET else "NOT met"
    print(f"target: sync vs raw loop ≥ {TARGET}× — {ratios.median:.2f}×: {met}")


if __name__ == "__main__":
    main()
