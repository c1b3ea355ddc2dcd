"""Endpoint behaviour of the emulator: one handler method per catalogue key.

A handler takes a :class:`Call` (decoded body, query, uploaded files) and returns
the envelope's ``data`` (any JSON value, possibly containing cached
:class:`orjson.Fragment` s), a :class:`Short` for the short ``{"code", "msg"}``
form, or raises :class:`BusinessError` for an envelope with another ``code``.

The handlers live in one module per domain of :mod:`xportcn_async.resources`
(``address``, ``logistics``, ``alibaba_products``, ``alibaba_orders``,
``alibaba_after_sales``, ``taobao_products``, ``taobao_orders``, ``wms``), each a
mixin over :class:`~._base.HandlerBase`; :class:`Handlers` combines them, and its
``table`` maps every endpoint key to its method.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..state import EmulatorState
from ._base import (
    BAD_REQUEST,
    NOT_FOUND,
    OK,
    BusinessError,
    Call,
    DuplicateRequest,
    Emit,
    HandlerBase,
    Short,
)
from .address import AddressHandlers
from .alibaba_after_sales import GOODS_STATUSES, MAX_VOUCHER_BYTES, AlibabaAfterSalesHandlers
from .alibaba_orders import (
    ALIBABA_FLOWS,
    SERVICE_FEE_PER_10000,
    TRADE_TYPES,
    AlibabaOrderHandlers,
)
from .alibaba_products import AlibabaProductHandlers
from .logistics import LogisticsHandlers
from .taobao_orders import TaobaoOrderHandlers
from .taobao_products import TaobaoProductHandlers
from .wms import WmsHandlers

__all__ = [
    "ALIBABA_FLOWS",
    "BAD_REQUEST",
    "GOODS_STATUSES",
    "MAX_VOUCHER_BYTES",
    "NOT_FOUND",
    "OK",
    "SERVICE_FEE_PER_10000",
    "TRADE_TYPES",
    "AddressHandlers",
    "AlibabaAfterSalesHandlers",
    "AlibabaOrderHandlers",
    "AlibabaProductHandlers",
    "BusinessError",
    "Call",
    "DuplicateRequest",
    "Emit",
    "HandlerBase",
    "Handlers",
    "LogisticsHandlers",
    "Short",
    "TaobaoOrderHandlers",
    "TaobaoProductHandlers",
    "WmsHandlers",
]


class Handlers(
    AddressHandlers,
    LogisticsHandlers,
    AlibabaProductHandlers,
    AlibabaOrderHandlers,
    AlibabaAfterSalesHandlers,
    TaobaoProductHandlers,
    TaobaoOrderHandlers,
    WmsHandlers,
):
    """The behaviour of every endpoint, over one :class:`EmulatorState`.

    ``emit(message_type, platform, order, extra)`` is called on order events so the
    emulator can push messages to a callback URL. ``table`` maps each endpoint key
    to its handler; the method is in the module of the key's domain.
    """

    def __init__(
        self, state: EmulatorState, *, max_page_size: int = 200, emit: Emit | None = None
    ) -> None:
        super().__init__(state, max_page_size=max_page_size, emit=emit)
        self.table: dict[str, Callable[[Call], Any]] = {
            "address.get": self.address_get,
            "address.upsert": self.address_upsert,
            "logistics.estimate_freight": self.logistics_estimate_freight,
            "logistics.preview_freight": self.logistics_preview_freight,
            "logistics.create_order": self.logistics_create_order,
            "logistics.update_domestic": self.logistics_update_domestic,
            "alibaba.products.search": self.alibaba_products_search,
            "alibaba.products.search_by_image": self.alibaba_products_search_by_image,
            "alibaba.products.category": self.alibaba_products_category,
            "alibaba.products.detail": self.alibaba_products_detail,
            "alibaba.products.detail_multi": self.alibaba_products_detail_multi,
            "alibaba.products.estimate_freight": self.alibaba_products_estimate_freight,
            "alibaba.products.pool": self.alibaba_products_pool,
            "alibaba.orders.list": self.alibaba_orders_list,
            "alibaba.orders.preview": self.alibaba_orders_preview,
            "alibaba.orders.create": self.alibaba_orders_create,
            "alibaba.orders.detail": self.alibaba_orders_detail,
            "alibaba.orders.pay": self.alibaba_orders_pay,
            "alibaba.orders.logistics": self.alibaba_orders_logistics,
            "alibaba.after_sales.refund_reasons": self.refund_reasons,
            "alibaba.after_sales.upload_voucher": self.upload_voucher,
            "alibaba.after_sales.create_refund": self.create_refund,
            "alibaba.after_sales.submit_return": self.submit_return,
            "alibaba.after_sales.logistics_companies": self.logistics_companies,
            "taobao.products.detail": self.taobao_products_detail,
            "taobao.products.search": self.taobao_products_search,
            "taobao.products.search_by_image": self.taobao_products_search_by_image,
            "taobao.orders.render": self.taobao_orders_render,
            "taobao.orders.create": self.taobao_orders_create,
            "taobao.orders.list": self.taobao_orders_list,
            "wms.forecast": self.wms_forecast,
            "wms.inbound": self.wms_inbound,
            "wms.update": self.wms_update,
        }
