"""Sync the last days of Taobao orders into SQLite from Python, with a progress line.

The same engine as ``xportcn sync orders``: each page is committed with the checkpoint that
says it is done, so a run that is stopped resumes after its last committed page when run again
with the same arguments. A sync that could not read every window completely says so
(``stats.complete`` is False) and this script exits 1.

    python examples/sync_to_sqlite.py --db orders.sqlite --days 30
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from xportcn_async import XportcnClient
from xportcn_async.sync import SQLiteStore, SyncStats, sync_orders

CHINA = ZoneInfo("Asia/Shanghai")


def show(stats: SyncStats) -> None:
    print(
        f"\rwindows {stats.windows_done}/{stats.windows_total} · pages {stats.pages}"
        f" · new {stats.orders_new} · changed {stats.orders_changed}",
        end="",
        flush=True,
    )


async def main(db: str, days: int) -> int:
    today = datetime.now(CHINA).replace(hour=0, minute=0, second=0, microsecond=0)
    async with XportcnClient.from_env() as xp, SQLiteStore(db) as store:
        stats = await sync_orders(
            xp, store, platform="taobao", begin=today - timedelta(days=days), progress=show
        )
    print()
    print(f"{stats.orders_new} new, {stats.orders_changed} changed in {stats.elapsed:.1f} s")
    for window in stats.incomplete:
        print(f"incomplete: {window}")
    return 0 if stats.complete else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="orders.sqlite")
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.db, args.days)))
