"""Handlers of ``logistics.*``: overseas freight quotes, previews and bookings."""

from __future__ import annotations

import random
from typing import Any

from ..data import china_time
from ._base import (
    BAD_REQUEST,
    NOT_FOUND,
    BusinessError,
    Call,
    HandlerBase,
    Short,
    _dict,
    _int,
    _list,
    _missing,
    _present,
    _req_str,
)

__all__ = ["LogisticsHandlers"]


class LogisticsHandlers(HandlerBase):
    """Overseas logistics: freight is priced from the seed, per item and country."""

    def _freight_options(self, seed_text: str, quantity: int) -> list[dict[str, Any]]:
        rng = random.Random(f"{self.state.seed}/freight/{seed_text}")
        options = []
        for sid, name, category, base in (
            ("1", "云途全球专线挂号", "STANDARD", 6800),
            ("2", "燕文航空挂号小包", "ECONOMY", 4200),
            ("3", "DHL Express", "EXPRESS", 16800),
        ):
            options.append(
                {
                    "serviceId": sid,
                    "companyName": name,
                    "serviceCategory": category,
                    "price": base + quantity * rng.randrange(300, 1500, 10),
                    "currency": "CNY",
                    "estimatedDays": {"ECONOMY": "15-25", "STANDARD": "8-15"}.get(category, "3-7"),
                }
            )
        return options

    def logistics_estimate_freight(self, call: Call) -> Any:
        """``logistics.estimate_freight``: options for one item to an overseas address."""
        b = call.body
        item_id = _req_str(b, "itemId")
        quantity = _int(b, "quantity", default=1, minimum=1) or 1
        address = _dict(b, "receiverAddress", required=True)
        if not address.get("country"):
            raise _missing("receiverAddress.country")
        return self._freight_options(f"{item_id}/{address['country']}", quantity)

    def logistics_preview_freight(self, call: Call) -> Any:
        """``logistics.preview_freight``: a priced render with a ``renderId`` for create_order."""
        b = call.body
        address = _dict(b, "receiverAddress", required=True)
        items = _list(b, "renderItems", required=True)
        lines = []
        total = 0
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not _present(item.get("itemId")):
                raise BusinessError(BAD_REQUEST, f"renderItems[{i}].itemId is required")
            qty = _int(item, "quantity", default=1, minimum=1) or 1
            info = item.get("freightInfo") or {}
            options = self._freight_options(f"{item['itemId']}/{address.get('country')}", qty)
            wanted = str(info.get("serviceId") or "1") if isinstance(info, dict) else "1"
            option = next((o for o in options if o["serviceId"] == wanted), options[0])
            total += option["price"]
            lines.append(
                {
                    "itemId": str(item["itemId"]),
                    "skuId": str(item.get("skuId") or ""),
                    "quantity": qty,
                    "freight": option,
                }
            )
        now = self.state.clock()
        render_id = "FF" + china_time(now)[:10].replace("-", "") + f"{self.state.next_seq():05d}"
        render = {
            "renderId": render_id,
            "totalFreight": total,
            "currency": "CNY",
            "renderItems": lines,
        }
        self.state.freight_renders[render_id] = render
        return render

    def logistics_create_order(self, call: Call) -> Any:
        """``logistics.create_order``: books the freight of a previous preview (``renderId``)."""
        b = call.body
        render_id = _req_str(b, "renderId")
        if render_id not in self.state.freight_renders:
            raise BusinessError(NOT_FOUND, f"renderId {render_id} not found or expired")
        _dict(b, "receiverAddress", required=True)
        existing = self.state.logistics_orders.get(render_id)
        if existing is not None:
            return existing
        seq = self.state.next_seq()
        order = {
            "renderId": render_id,
            "logisticsOrderNo": f"FARJP{china_time(self.state.clock())[2:7].replace('-', '')}"
            f"{seq:07d}YQ",
            "totalFreight": self.state.freight_renders[render_id]["totalFreight"],
            "currency": "CNY",
        }
        self.state.logistics_orders[render_id] = order
        self.state.changed()
        return order

    def logistics_update_domestic(self, call: Call) -> Any:
        """``logistics.update_domestic``: accepts the domestic parcels; short envelope."""
        b = call.body
        _req_str(b, "orderId")
        infos = _list(b, "logisticInfos", required=True)
        for i, info in enumerate(infos):
            if not isinstance(info, dict) or not isinstance(info.get("domesticLogisticInfo"), list):
                raise BusinessError(
                    BAD_REQUEST, f"logisticInfos[{i}].domesticLogisticInfo required"
                )
        return Short()
