"""Several `xportcn sync orders --db postgresql://…` processes share one sync; one is killed.

Three real worker processes (the console entry point) sync 20,000 emulator orders under
faults into one PostgreSQL database. One of them is killed with SIGKILL while it holds a
window; its lease runs out and another worker walks that window. Then the command is run once
more. Checked: the ``orders`` table holds exactly the emulator's orders (none lost, none
twice), every window is done, and the lease log never shows a window held by two workers at
once.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import sys
from collections import defaultdict
from typing import Any

import asyncpg
import orjson
import pytest

from tests.conftest import emulator_env
from xportcn_async.testing import Emulator, FaultPlan, FaultRule

pytestmark = pytest.mark.slow

N_ORDERS = 20_000
LEASE = 3.0


async def _worker(emu: Emulator, dsn: str, *extra: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "xportcn_async",
        "sync",
        "orders",
        "--db",
        dsn,
        "--since",
        emu.data_begin.strftime("%Y-%m-%d %H:%M:%S"),
        "--until",
        emu.data_end.strftime("%Y-%m-%d %H:%M:%S"),
        "--concurrency",
        "4",
        "--lease-seconds",
        str(LEASE),
        "--max-attempts",
        "6",
        "--json",
        *extra,
        env=emulator_env(emu),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _leased_pid(conn: asyncpg.Connection, pids: set[int]) -> int | None:
    """The pid of a worker that holds a window and has committed some already."""
    try:
        rows = await conn.fetch(
            "SELECT worker FROM sync_windows WHERE state = 'leased' "
            "AND worker IN (SELECT worker FROM sync_windows WHERE state = 'done')"
        )
    except asyncpg.UndefinedTableError:
        return None  # the first worker has not created the schema yet
    for row in rows:
        pid = int(row["worker"].split(":")[1])
        if pid in pids:
            return pid
    return None


async def test_three_workers_one_killed_store_exactly_the_servers_orders(postgres_dsn: str) -> None:
    plan = FaultPlan(default=FaultRule(server_error=0.03, reset=0.01, truncate=0.01), seed=9)
    async with Emulator(orders=N_ORDERS, seed=21, days=90, faults=plan) as emu:
        workers = [await _worker(emu, postgres_dsn) for _ in range(3)]
        by_pid = {p.pid: p for p in workers}
        conn = await asyncpg.connect(postgres_dsn)
        try:
            killed: list[int] = []
            victim = None
            # Kill a worker in the middle of a window. A kill can land in the few ms between
            # a worker's commit and its next claim (no lease held): then a second worker is
            # killed the same way, so that one kill surely interrupts a window; one is left.
            while victim is None and len(killed) < 2:
                for _ in range(600):
                    candidate = await _leased_pid(conn, set(by_pid) - set(killed))
                    if candidate is not None:
                        break
                    await asyncio.sleep(0.05)
                else:
                    raise AssertionError("no worker ever held a window")
                os.kill(candidate, signal.SIGKILL)
                await by_pid[candidate].wait()
                killed.append(candidate)
                held = await conn.fetchval(
                    "SELECT count(*) FROM sync_leases WHERE released_at IS NULL "
                    "AND split_part(worker, ':', 2) = $1",
                    str(candidate),
                )
                if held:
                    victim = candidate
            assert victim is not None, "no kill landed inside a window"
            outputs = {
                pid: await asyncio.wait_for(p.communicate(), timeout=240)
                for pid, p in by_pid.items()
            }
            for pid in killed:
                assert by_pid[pid].returncode == -signal.SIGKILL
            for pid, proc in by_pid.items():
                if pid not in killed:
                    out, err = outputs[pid]
                    assert proc.returncode == 0, err.decode()
                    assert b"Traceback" not in err

            again = await _worker(emu, postgres_dsn)  # the user runs the command once more
            out, err = await asyncio.wait_for(again.communicate(), timeout=240)
            assert again.returncode == 0, err.decode()
            rerun = orjson.loads(out)

            truth = {str(emu.state.taobao_doc(r)["id"]) for r in emu.state.taobao.records}
            stored = [r["id"] for r in await conn.fetch("SELECT id FROM orders")]
            windows = await conn.fetch("SELECT state, count(*) AS n FROM sync_windows GROUP BY 1")
            leases = await conn.fetch(
                "SELECT run_id, window_begin, worker, acquired_at, held_until, outcome "
                "FROM sync_leases ORDER BY run_id, window_begin, acquired_at"
            )
        finally:
            await conn.close()
            for proc in by_pid.values():
                if proc.returncode is None:
                    proc.kill()
                    await proc.wait()

    assert len(stored) == len(set(stored)) == N_ORDERS
    assert set(stored) == truth  # no loss, no duplicate
    assert {r["state"]: r["n"] for r in windows} == {"done": sum(r["n"] for r in windows)}
    assert (rerun["orders_new"], rerun["orders_unchanged"]) == (0, N_ORDERS)  # all stored

    # The lease log: per window, each lease ends before the next one begins.
    per_window: dict[tuple[Any, Any], list[Any]] = defaultdict(list)
    for lease in leases:
        per_window[(lease["run_id"], lease["window_begin"])].append(lease)
    taken_over = 0
    for held in per_window.values():
        for before, after in itertools.pairwise(held):
            assert before["held_until"] < after["acquired_at"], (before, after)
            if before["outcome"] is None and before["worker"].split(":")[1] == str(victim):
                taken_over += 1
                assert after["worker"] != before["worker"]
    assert taken_over == 1, "the killed worker's window was walked again by another worker"
