"""Price and create a 1688 order with your own order id, and never buy it twice.

``out_order_id`` is your key for the order: use the id of the order in your own system, so
running this again for the same order sends the same key. A create is never re-sent by the
SDK after it may have reached the server. When its answer is lost (a timeout, a reset, a 5xx),
the order may or may not exist, and the SDK raises ``OutcomeUnknownError`` with the orders
created around that time (``candidates``): this script looks for its key among them and
only reports; it does not create again on a guess.

    python examples/create_order.py --out-order-id SHOP-2026-0001

Exit codes: 0 created (or found after a lost answer), 1 the outcome is unknown: check by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from xportcn_async import (
    AddressParam,
    AlibabaOrder,
    CargoParam,
    OutcomeUnknownError,
    XportcnClient,
)

ADDRESS = AddressParam(
    full_name="张三",
    mobile="13800138000",
    province_text="浙江省",
    city_text="杭州市",
    area_text="西湖区",
    address="文三路 90 号",
    district_code="330106",
)
# The docs' example product: offer 889512351602, SKU spec 530ad…, ¥29.00.
CARGO = [
    CargoParam(offer_id="889512351602", spec_id="530ad00177264564503ec3b848650652", quantity=2)
]


def ours(candidates: list[AlibabaOrder], out_order_id: str) -> AlibabaOrder | None:
    """The candidate that carries our key, if the list echoes it (unconfirmed for 1688)."""
    for order in candidates:
        if order.base_info is not None and order.base_info.out_order_id == out_order_id:
            return order
    return None


async def main(out_order_id: str) -> int:
    async with XportcnClient.from_env() as xp:
        previews = await xp.alibaba.orders.preview(
            flow="general", address=ADDRESS, cargo=CARGO, out_order_id=out_order_id
        )
        total = sum(p.sum_payment or 0 for p in previews)
        print(f"preview: {len(previews)} seller order(s), ¥{total / 100:.2f} with carriage")
        try:
            result = await xp.alibaba.orders.create(
                flow="general", address=ADDRESS, cargo=CARGO, out_order_id=out_order_id
            )
        except OutcomeUnknownError as exc:
            print(f"the answer to the create was lost: {exc}")
            found = ours(exc.candidates, out_order_id)
            if found is not None:
                print(f"found it among the recent orders: order {found.id}; not creating again")
                return 0
            reason = (
                exc.candidates_error or f"{len(exc.candidates)} recent orders, none with our key"
            )
            print(f"could not find it ({reason}): check the account before creating it again")
            return 1
        print(f"created order {result.order_id} (request {result.request_id})")
        return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-order-id", required=True, help="your own id for this order")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.out_order_id)))
