"""Scaling of ``xportcn sync orders --db postgresql://…`` with 1, 2 and 4 worker processes.

    python benchmarks/bench_workers.py [--orders 100000] [--latency-ms 20] [--workers 1,2,4]
                                       [--reps 3] [--concurrency 4]

The emulator runs in fast mode in a process of its own with ``--latency-ms`` added to every
answer. Each repetition runs, for each worker count N (in rotating order), N copies of the
real command at once against a fresh database (after one untimed run that fills the emulator's
page cache; every run walks the same windows)::

    xportcn sync orders --db postgresql://…/fresh --since … --until … --concurrency C --json

and times from the first start to the last exit. Every run must store every order (the table
is counted), or the benchmark fails. The figure is orders/s of N workers over orders/s of one
worker in the same repetition. PostgreSQL is ``XPORTCN_TEST_POSTGRES_DSN`` or a throwaway
server (``tests/postgres_server.py``). On a 2-core machine the emulator, PostgreSQL and the
workers share the two cores: past two workers the client CPU, not the latency, is the limit.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from _common import (
    EmulatorProcess,
    Summary,
    check_credentials,
    emulator_env,
    print_machine,
    table,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import postgres_server  # noqa: E402

XPORTCN = Path(sys.executable).parent / "xportcn"
CHINA = timezone(timedelta(hours=8))


async def _admin(dsn: str, sql: str) -> Any:
    import asyncpg

    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


async def run_workers(
    dsn: str, base_url: str, n: int, args: argparse.Namespace, span: tuple[str, str]
) -> float:
    """Wall seconds for ``n`` workers to sync every order into a fresh database."""
    name = f"bench_{uuid.uuid4().hex[:10]}"
    await _admin(dsn, f'CREATE DATABASE "{name}"')
    db = f"{dsn.rpartition('/')[0]}/{name}"
    env = emulator_env(base_url)
    since, until = span
    cmd = [str(XPORTCN), "sync", "orders", "--db", db, "--since", since, "--until", until]
    cmd += ["--concurrency", str(args.concurrency), "--json"]
    try:
        started = time.perf_counter()
        procs = [
            await asyncio.create_subprocess_exec(
                *cmd, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
            )
            for _ in range(n)
        ]
        errors = [(await p.communicate())[1] for p in procs]
        wall = time.perf_counter() - started
        for proc, err in zip(procs, errors, strict=True):
            if proc.returncode != 0:
                raise RuntimeError(f"a worker failed ({proc.returncode}): {err.decode()[-2000:]}")
        import asyncpg

        conn = await asyncpg.connect(db)
        try:
            stored = int(await conn.fetchval("SELECT count(*) FROM orders"))
        finally:
            await conn.close()
        if stored != args.orders:
            raise RuntimeError(f"{n} workers stored {stored} of {args.orders} orders")
        return wall
    finally:
        await _admin(dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    check_credentials()
    started = time.monotonic()
    walls: dict[int, list[float]] = {n: [] for n in counts}
    with (
        postgres_server.server() as dsn,
        EmulatorProcess(args.orders, latency_ms=args.latency_ms) as emu,
    ):
        # The emulator spreads its orders over the 90 days before the current hour. Every
        # run walks the same windows; one untimed run first fills the emulator's page cache,
        # so that the timed runs measure the workers, not the emulator's first answers.
        hour = datetime.now(CHINA).replace(minute=0, second=0, microsecond=0)
        span = ((hour - timedelta(days=92)).strftime("%Y-%m-%d"), f"{hour:%Y-%m-%d %H:%M:%S}")
        asyncio.run(run_workers(dsn, emu.base_url, 1, args, span))
        for rep in range(args.reps):
            order = counts[rep % len(counts) :] + counts[: rep % len(counts)]
            for n in order:
                walls[n].append(asyncio.run(run_workers(dsn, emu.base_url, n, args, span)))
                print(".", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    print_machine()
    print(
        f"# {args.orders:,} orders, {args.latency_ms:g} ms latency, concurrency "
        f"{args.concurrency} per worker, {args.reps} repetitions; "
        f"{time.monotonic() - started:.0f} s in all"
    )
    print()
    base = walls[counts[0]]
    rows = []
    for n in counts:
        rate = Summary.of([args.orders / w for w in walls[n]])
        scaling = Summary.of([b / w for b, w in zip(base, walls[n], strict=True)])
        rows.append(
            [
                f"{n} worker{'s' if n > 1 else ''}",
                Summary.of(walls[n]).fmt(1),
                rate.fmt(0),
                scaling.fmt(2) + "×",
            ]
        )
    headers = ["workers", "seconds median (min–max)", "orders/s", f"vs {counts[0]} worker"]
    print(table(headers, rows))


if __name__ == "__main__":
    main()
