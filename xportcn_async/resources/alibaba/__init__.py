"""1688 purchasing: ``xp.alibaba.products``, ``xp.alibaba.orders`` and ``xp.alibaba.after_sales``.

Paths marked KA in :data:`~xportcn_async.endpoints.CATALOGUE` are confirmed by
the Xportcn docs; the others are GUESS (override them with ``endpoint_paths``).
The after-sales group is absent from the newest docs.

One module per group: :mod:`.products`, :mod:`.orders`, :mod:`.after_sales`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .after_sales import (
    MAX_REFUND_VOUCHERS,
    MAX_RETURN_VOUCHERS,
    MAX_VOUCHER_BYTES,
    AlibabaAfterSales,
)
from .orders import MAX_CARGO_LINES, AlibabaOrderFilters, AlibabaOrders
from .products import (
    DEFAULT_COUNTRY,
    AlibabaImageSearchFilters,
    AlibabaPoolFilters,
    AlibabaProducts,
    AlibabaSearchFilters,
)

if TYPE_CHECKING:
    from ...transport import Transport

__all__ = [
    "DEFAULT_COUNTRY",
    "MAX_CARGO_LINES",
    "MAX_REFUND_VOUCHERS",
    "MAX_RETURN_VOUCHERS",
    "MAX_VOUCHER_BYTES",
    "AlibabaAfterSales",
    "AlibabaGroup",
    "AlibabaImageSearchFilters",
    "AlibabaOrderFilters",
    "AlibabaOrders",
    "AlibabaPoolFilters",
    "AlibabaProducts",
    "AlibabaSearchFilters",
]


class AlibabaGroup:
    """``xp.alibaba``: :attr:`products`, :attr:`orders` and :attr:`after_sales`."""

    __slots__ = ("after_sales", "orders", "products")

    def __init__(self, transport: Transport) -> None:
        self.products = AlibabaProducts(transport)
        self.orders = AlibabaOrders(transport)
        self.after_sales = AlibabaAfterSales(transport)

    def __repr__(self) -> str:
        return "AlibabaGroup(products, orders, after_sales)"
