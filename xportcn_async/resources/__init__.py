"""Resource groups: thin coroutines, one per catalogue operation, no HTTP code.

The client builds them on its transport::

    xp.address          AddressResource       get, upsert
    xp.logistics        LogisticsResource     estimate_freight, preview_freight, create_order,
                                              update_domestic
    xp.alibaba.products AlibabaProducts       search, search_by_image, category, detail,
                                              detail_multi, estimate_freight, pool
    xp.alibaba.orders   AlibabaOrders         list, preview, create, detail, pay, logistics
    xp.alibaba.after_sales AlibabaAfterSales  refund_reasons, upload_voucher, create_refund,
                                              submit_return, logistics_companies
    xp.taobao.products  TaobaoProducts        detail, search, search_by_image
    xp.taobao.orders    TaobaoOrders          render, create, list
    xp.wms              WmsResource           forecast, inbound, update
"""

from __future__ import annotations

from ._base import Resource
from .address import AddressResource
from .alibaba import AlibabaAfterSales, AlibabaGroup, AlibabaOrders, AlibabaProducts
from .logistics import LogisticsResource
from .taobao import TaobaoGroup, TaobaoOrders, TaobaoProducts
from .wms import WmsResource

__all__ = [
    "AddressResource",
    "AlibabaAfterSales",
    "AlibabaGroup",
    "AlibabaOrders",
    "AlibabaProducts",
    "LogisticsResource",
    "Resource",
    "TaobaoGroup",
    "TaobaoOrders",
    "TaobaoProducts",
    "WmsResource",
]
