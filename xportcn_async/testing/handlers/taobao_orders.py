"""Handlers of ``taobao.orders.*``: Taobao purchase render, create and list."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from ..data import TaobaoLine
from ._base import (
    BAD_REQUEST,
    NOT_FOUND,
    BusinessError,
    Call,
    DuplicateRequest,
    HandlerBase,
    _int,
    _json_field,
    _present,
    _req_int,
    _str,
    _time,
)

__all__ = ["TaobaoOrderHandlers"]


class TaobaoOrderHandlers(HandlerBase):
    """Taobao purchase orders, over the state's order book."""

    def _taobao_lines(self, b: Mapping[str, Any]) -> list[TaobaoLine]:
        raw = _json_field(b, "orderLineList", required=True)
        if not isinstance(raw, list) or not raw:
            raise BusinessError(BAD_REQUEST, "orderLineList must be a non-empty JSON array")
        lines: list[TaobaoLine] = []
        for i, item in enumerate(raw):
            if not isinstance(item, dict) or not _present(item.get("itemId")):
                raise BusinessError(BAD_REQUEST, f"orderLineList[{i}].itemId is required")
            product = self.state.catalogue.taobao_product(item["itemId"])
            if product is None:
                raise BusinessError(NOT_FOUND, f"item {item['itemId']} not found")
            sku_id = item.get("skuId")
            if _present(sku_id):
                sku = next((s for s in product.skus if s.sku_id == str(sku_id)), None)
            else:
                sku = product.skus[0] if len(product.skus) == 1 else None
            if sku is None:
                raise BusinessError(
                    BAD_REQUEST,
                    f"orderLineList[{i}].skuId {sku_id!r} is not a SKU of {item['itemId']}",
                )
            lines.append((product, sku, _req_int(item, "quantity", minimum=1)))
        return lines

    @staticmethod
    def _render_lines(lines: list[TaobaoLine]) -> list[dict[str, Any]]:
        return [
            {
                "itemId": p.mp_id,
                "skuId": s.sku_id,
                "quantity": q,
                "price": s.price,
                "currency": "CNY",
                "orderLineNo": f"LINE{i + 1:03d}",
                "title": p.title,
                "postFee": s.post_fee,
                "supplierNick": p.shop.nick,
                "shopName": p.shop.name,
            }
            for i, (p, s, q) in enumerate(lines)
        ]

    def taobao_orders_render(self, call: Call) -> Any:
        """``taobao.orders.render``: prices an order (fen), lines priced per SKU."""
        lines = self._taobao_lines(call.body)
        receiver = _json_field(call.body, "receiver")
        if receiver is not None and not isinstance(receiver, dict):
            raise BusinessError(BAD_REQUEST, "receiver must be a JSON object string")
        product = sum(s.price * q for _, s, q in lines)
        post = sum(s.post_fee for _, s, _ in lines)
        return {
            "purchaseAmount": product + post,
            "productAmount": product,
            "postFee": post,
            "currency": "CNY",
            "orderLineList": self._render_lines(lines),
        }

    def taobao_orders_create(self, call: Call) -> Any:
        """``taobao.orders.create``: one purchase order per shop, idempotent on the seller key."""
        b = call.body
        state = self.state
        key = _str(b, "sellerOrderNumber") or _str(b, "outer_purchase_id")
        if key is not None and key in state.taobao_created:
            raise DuplicateRequest(state.taobao_created[key])
        lines = self._taobao_lines(b)
        receiver = _json_field(b, "receiver")
        if receiver is not None and not isinstance(receiver, dict):
            raise BusinessError(BAD_REQUEST, "receiver must be a JSON object string")
        expected = sum(s.price * q + s.post_fee for _, s, q in lines)
        amount = _int(b, "purchaseAmount")
        if amount is not None and amount != expected:
            raise BusinessError(
                BAD_REQUEST, f"purchaseAmount {amount} does not match the current price {expected}"
            )
        by_shop: OrderedDict[str, list[TaobaoLine]] = OrderedDict()
        for line in lines:
            by_shop.setdefault(line[0].shop.shop_id, []).append(line)
        warehouse = None
        if receiver:
            warehouse = {
                "state": receiver.get("state"),
                "zip": receiver.get("zip"),
                "country": receiver.get("country"),
                "address": receiver.get("address"),
                "phone": receiver.get("phone"),
                "city": receiver.get("city"),
                "district": receiver.get("district"),
                "name": receiver.get("name"),
                "mobilePhone": receiver.get("mobilePhone"),
                "mobile_phone": receiver.get("mobile_phone"),
                "taxId": receiver.get("taxId"),
            }
        order_list = []
        for group in by_shop.values():
            rec = state.add_taobao_order(
                status=0,
                lines=tuple(group),
                receiver=warehouse,
                remark=_str(b, "remark"),
                outer_id=key,
            )
            doc = state.taobao_doc(rec)
            order_list.append(
                {
                    "purchase_id": rec.purchase_id,
                    "supplier_nick": group[0][0].shop.nick,
                    "estimate_amount": doc["purchaseAmount"],
                    "order_line_list": [
                        {
                            "order_line_no": f"LINE{i + 1:03d}",
                            "item_id": p.mp_id,
                            "sku_id": s.sku_id,
                            "quantity": q,
                            "sub_purchase_order_id": rec.purchase_id + 1 + i,
                            "estimate_amount": s.price * q + s.post_fee,
                        }
                        for i, (p, s, q) in enumerate(group)
                    ],
                }
            )
            self.emit("ORDER_CREATE", 0, rec.order_id, None)
        response = {
            "payment_url": "https://pay.taobao.com/cashier?purchaseIds="
            + ",".join(str(o["purchase_id"]) for o in order_list),
            "outer_purchase_id": key,
            "success": True,
            "error_code": None,
            "error_message": None,
            "order_list": order_list,
        }
        if key is not None:
            state.taobao_created[key] = response
        return response

    def taobao_orders_list(self, call: Call) -> Any:
        """``taobao.orders.list``: newest first (createTime desc, id desc), filters honoured."""
        b = call.body
        page, size = self._page_params(b, "pageNum", 10)
        status = _int(b, "status")
        begin = _time(b, "beginDateTime")
        end = _time(b, "endDateTime", end=True)
        order_no = _str(b, "orderNo")
        purchase_id = _str(b, "purchaseId")
        state = self.state
        if order_no is not None or purchase_id is not None:
            rec = (
                state.taobao_by_order_no(order_no)
                if order_no is not None
                else state.taobao_by_purchase_id(purchase_id)
            )
            ok = (
                rec is not None
                and (purchase_id is None or str(rec.purchase_id) == purchase_id)
                and (status is None or rec.status == status)
                and (begin is None or rec.ts >= begin)
                and (end is None or rec.ts <= end)
            )
            total = 1 if ok else 0
            recs = [rec] if ok and rec is not None and page == 1 else []
        else:
            total, recs = state.taobao.page(
                status=status, begin=begin, end=end, offset=(page - 1) * size, limit=size
            )
        return {"total": total, "data": [state.taobao_fragment(r) for r in recs]}
