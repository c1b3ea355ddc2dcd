"""Walk the last days of Taobao orders page by page, saving a checkpoint with each page.

Each page is appended to ``orders.jsonl`` as ONE line holding its orders and the pager's
checkpoint, so what is on disk always says where to continue: run it, stop it (Ctrl-C, or
``--stop-after 2`` to stop after two pages), run it again, and it resumes after the last saved
page. A line cut short by a crash is ignored, and that page is fetched again.

    python examples/checkpoint_resume.py --days 30 --out orders.jsonl
"""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from xportcn_async import XportcnClient

CHINA = ZoneInfo("Asia/Shanghai")


def last_checkpoint(path: Path) -> dict[str, Any] | None:
    """The checkpoint of the last complete line of ``path``, or None to start afresh."""
    checkpoint = None
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                checkpoint = json.loads(line)["checkpoint"]
            except (ValueError, KeyError):
                break  # a torn last line: everything before it is saved
    return checkpoint


async def main(days: int, out: Path, stop_after: int | None) -> None:
    resume = last_checkpoint(out)
    # The same arguments on every run: a checkpoint belongs to one walk. A fixed `begin`
    # (midnight, China time) keeps them the same across runs of one day.
    today = datetime.now(CHINA).replace(hour=0, minute=0, second=0, microsecond=0)
    begin = today - timedelta(days=days)
    print("resuming from the saved checkpoint" if resume else f"walking from {begin:%Y-%m-%d}")
    async with XportcnClient.from_env() as xp:
        pager = xp.taobao.orders.iter(begin=begin, page_size=50, concurrency=4, resume=resume)
        pages = 0
        async with pager:  # closing the pager cancels requests still in flight
            async for page in pager.pages():
                line = {
                    "orders": [{"id": o.id, "order_no": o.order_no} for o in page.items],
                    "checkpoint": pager.checkpoint(),  # JSON-serialisable
                }
                with out.open("a", encoding="utf-8") as f:
                    f.write(json.dumps(line) + "\n")
                pages += 1
                if stop_after is not None and pages >= stop_after:
                    print(f"stopped after {pages} pages; run again to resume")
                    return
    print(f"done: {pages} pages this run")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--out", type=Path, default=Path("orders.jsonl"))
    parser.add_argument("--stop-after", type=int, default=None, help="stop after N pages")
    args = parser.parse_args()
    asyncio.run(main(args.days, args.out, args.stop_after))
