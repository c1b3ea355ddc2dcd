"""An asyncio service whose tasks share one client: one connection pool, one pacing limit.

Create the client once when the service starts and close it when it stops; every task uses
the same instance concurrently (it is safe to share: requests are independent, and the pool
and ``max_requests_per_second`` are shared). Creating a client per request would open a new
connection pool each time. In an aiohttp web app, do the same in ``app.cleanup_ctx``.

Here a few workers look up order numbers from a queue:

    python examples/shared_client_service.py --workers 4 --lookups 20
"""

from __future__ import annotations

import argparse
import asyncio

from xportcn_async import APIError, XportcnClient


async def worker(name: str, xp: XportcnClient, jobs: asyncio.Queue[str]) -> int:
    done = 0
    while True:
        order_no = await jobs.get()
        try:
            page = await xp.taobao.orders.list(order_no=order_no, page_num=1, page_size=1)
            found = page.items[0].status if page.items else "not found"
            status = getattr(found, "name", found)  # TaobaoOrderStatus, or a raw new value
            print(f"{name}: {order_no} → {status!s}")
            done += 1
        except APIError as exc:  # one failed lookup does not stop the service
            print(f"{name}: {order_no} failed: {exc}")
        finally:
            jobs.task_done()


async def main(workers: int, lookups: int) -> None:
    async with XportcnClient.from_env(max_requests_per_second=50) as xp:  # one client
        newest = await xp.taobao.orders.list(page_num=1, page_size=lookups)
        jobs: asyncio.Queue[str] = asyncio.Queue()
        for order in newest.items:
            if order.order_no:
                jobs.put_nowait(order.order_no)
        tasks = [asyncio.create_task(worker(f"w{i}", xp, jobs)) for i in range(workers)]
        await jobs.join()  # every lookup done
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    print(f"{len(newest.items)} lookups by {workers} workers over one client")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--lookups", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.workers, args.lookups))
