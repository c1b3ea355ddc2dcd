"""List the newest orders of both platforms.

Run against the emulator (``xportcn emulator`` prints the variables to export) or your account:

    XPORTCN_ACCESS_KEY=… XPORTCN_ACCESS_SECRET=… XPORTCN_USER_ID=… python examples/list_orders.py
"""

from __future__ import annotations

import asyncio

from xportcn_async import XportcnClient


async def main() -> None:
    async with XportcnClient.from_env() as xp:
        taobao = await xp.taobao.orders.list(page_num=1, page_size=5)
        print(f"Taobao: {taobao.total} orders, newest first")
        for order in taobao.items:
            # status is a TaobaoOrderStatus (or the raw int of a status added later);
            # amounts are int fen, with a Decimal yuan view
            status = getattr(order.status, "name", order.status)
            print(f"  {order.order_no}  {status!s:<28} ¥{order.purchase_amount_yuan}")

        alibaba = await xp.alibaba.orders.list(page=1, page_size=5)
        print(f"1688: {alibaba.total} orders, newest first")
        for trade in alibaba.items:
            info = trade.base_info
            if info is not None:
                print(f"  {trade.id}  {info.status!s:<28} ¥{info.total_amount}")


if __name__ == "__main__":
    asyncio.run(main())
