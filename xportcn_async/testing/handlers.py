"""Endpoint behaviour of the emulator: one method per catalogue key.

A handler takes a :class:`Call` (decoded body, query, uploaded files) and returns
the envelope's ``data`` (any JSON value, possibly containing cached
:class:`orjson.Fragment` s), a :class:`Short` for the short ``{"code", "msg"}``
form, or raises :class:`BusinessError` for an envelope with another ``code``.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import orjson

from .data import (
    ALIBABA_SHIPPED,
    AlibabaLine,
    AlibabaOrderRecord,
    Offer,
    TaobaoLine,
    TaobaoProduct,
    china_time,
    parse_china_time,
)
from .state import EmulatorState, RefundRecord

__all__ = ["BusinessError", "Call", "DuplicateRequest", "Handlers", "Short"]

# Business codes (documented in the package docstring and docs/emulator.md).
OK = 200
BAD_REQUEST = 400
NOT_FOUND = 404

ALIBABA_FLOWS = frozenset(
    {
        "general",
        "fenxiao",
        "fenxiaonew",
        "saleproxy",
        "paired",
        "repurchase",
        "boutiquefenxiao",
        "boutiquepifa",
    }
)
TRADE_TYPES = frozenset(
    {"assureTrade", "alipay", "period", "assure", "creditBuy", "bank", "631staged", "37staged"}
)
GOODS_STATUSES = frozenset(
    {
        "refundWaitSellerSend",
        "refundWaitBuyerReceive",
        "refundBuyerReceived",
        "aftersaleBuyerNotReceived",
        "aftersaleBuyerReceived",
    }
)
MAX_VOUCHER_BYTES = 1024 * 1024
SERVICE_FEE_PER_10000 = 251  # sumTotalPayment = sumPayment + ceil(2.51 %)


class BusinessError(Exception):
    """An envelope with ``code`` != 200 (delivered with HTTP 200, like the real API)."""

    def __init__(self, code: int, msg: str, data: Any = None) -> None:
        super().__init__(f"{code} {msg}")
        self.code = code
        self.msg = msg
        self.data = data


@attrs.frozen
class Short:
    """The short envelope some endpoints answer: ``{"code": 200, "msg": "成功"}``, no data."""

    code: int = OK
    msg: str = "成功"


@attrs.frozen(kw_only=True)
class Call:
    """A decoded request."""

    key: str
    body: dict[str, Any]
    query: Mapping[str, str]
    files: dict[str, bytes] = attrs.field(factory=dict)
    user_id: str = ""


# ----------------------------------------------------------------- input helpers


def _missing(name: str) -> BusinessError:
    return BusinessError(BAD_REQUEST, f"missing required field: {name}")


def _present(value: Any) -> bool:
    return value is not None and value != ""


def _int(
    body: Mapping[str, Any],
    name: str,
    *,
    default: int | None = None,
    required: bool = False,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    value = body.get(name)
    if not _present(value):
        if required:
            raise _missing(name)
        return default
    if isinstance(value, bool):
        raise BusinessError(BAD_REQUEST, f"{name} must be an integer, got {value!r}")
    try:
        number = float(value) if isinstance(value, float) else int(str(value).strip())
    except ValueError:
        raise BusinessError(BAD_REQUEST, f"{name} must be an integer, got {value!r}") from None
    if isinstance(number, float):
        if not number.is_integer():
            raise BusinessError(BAD_REQUEST, f"{name} must be an integer, got {value!r}")
        number = int(number)
    if minimum is not None and number < minimum:
        raise BusinessError(BAD_REQUEST, f"{name} must be >= {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise BusinessError(BAD_REQUEST, f"{name} must be <= {maximum}, got {number}")
    return number


def _req_int(body: Mapping[str, Any], name: str, **kw: Any) -> int:
    value = _int(body, name, required=True, **kw)
    assert value is not None
    return value


def _str(body: Mapping[str, Any], name: str, *, required: bool = False) -> str | None:
    value = body.get(name)
    if not _present(value):
        if required:
            raise _missing(name)
        return None
    if isinstance(value, (dict, list, bool)):
        raise BusinessError(BAD_REQUEST, f"{name} must be a string, got {type(value).__name__}")
    return str(value).strip()


def _req_str(body: Mapping[str, Any], name: str) -> str:
    value = _str(body, name, required=True)
    assert value is not None
    return value


def _time(body: Mapping[str, Any], name: str, *, end: bool = False) -> int | None:
    value = _str(body, name)
    if value is None:
        return None
    try:
        return parse_china_time(value, end_of_day=end)
    except ValueError:
        raise BusinessError(
            BAD_REQUEST, f"{name} must be 'YYYY-MM-DD HH:MM:SS' (China time), got {value!r}"
        ) from None


def _json_field(body: Mapping[str, Any], name: str, *, required: bool = False) -> Any:
    """A field that the API takes as a JSON document in a string (or, leniently, inline)."""
    value = body.get(name)
    if not _present(value):
        if required:
            raise _missing(name)
        return None
    if isinstance(value, str):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            raise BusinessError(BAD_REQUEST, f"{name} must be a JSON string") from None
    return value


def _list(body: Mapping[str, Any], name: str, *, required: bool = False) -> list[Any]:
    value = body.get(name)
    if not _present(value):
        if required:
            raise _missing(name)
        return []
    if isinstance(value, str):
        return [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list):
        raise BusinessError(BAD_REQUEST, f"{name} must be a list")
    return value


def _dict(body: Mapping[str, Any], name: str, *, required: bool = False) -> dict[str, Any]:
    value = body.get(name)
    if value is None:
        if required:
            raise _missing(name)
        return {}
    if not isinstance(value, dict):
        raise BusinessError(BAD_REQUEST, f"{name} must be an object")
    return value


def _yuan_bound(body: Mapping[str, Any], name: str) -> int | None:
    raw = _str(body, name)
    if raw is None:
        return None
    try:
        return round(float(raw) * 100)
    except ValueError:
        raise BusinessError(BAD_REQUEST, f"{name} must be a number (yuan)") from None


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _page_of(items: list[Any], page: int, size: int) -> dict[str, Any]:
    total = len(items)
    return {
        "totalRecords": total,
        "totalPage": math.ceil(total / size) if total else 0,
        "pageSize": size,
        "currentPage": page,
        "data": items[(page - 1) * size : page * size],
    }


Emit = Callable[[str, int, object, Mapping[str, Any] | None], None]


class Handlers:
    """The behaviour of every endpoint, over one :class:`EmulatorState`.

    ``emit(message_type, platform, order, extra)`` is called on order events so the
    emulator can push messages to a callback URL.
    """

    def __init__(
        self, state: EmulatorState, *, max_page_size: int = 200, emit: Emit | None = None
    ) -> None:
        self.state = state
        self.max_page_size = max_page_size
        self._emit = emit
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

    def emit(
        self,
        message_type: str,
        platform: int,
        order: object,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        """Report an order event (pushed when the emulator has a callback URL)."""
        if self._emit is not None:
            self._emit(message_type, platform, order, extra)

    def _page_params(
        self, body: Mapping[str, Any], page: str, default_size: int
    ) -> tuple[int, int]:
        number = _int(body, page, default=1, minimum=1)
        size = _int(body, "pageSize", default=default_size, minimum=1, maximum=self.max_page_size)
        assert number is not None
        assert size is not None
        return number, size

    # ------------------------------------------------------------- address

    def address_get(self, call: Call) -> Any:
        """``address.get``: the user's saved addresses (a default one when none were saved)."""
        if not self.state.addresses:
            a = self.state.catalogue.addresses[0]
            self.state.addresses[1] = {
                "id": 1,
                "name": a.name,
                "province": a.province,
                "city": a.city,
                "district": a.district,
                "address": a.address,
                "phone": a.mobile,
            }
        return list(self.state.addresses.values())

    def address_upsert(self, call: Call) -> Any:
        """``address.upsert``: id 0 adds, another id updates; short envelope."""
        b = call.body
        address_id = _req_int(b, "id", minimum=0)
        fields = {name: _req_str(b, name) for name in ("name", "province", "city", "address")}
        fields["district"] = _str(b, "district") or ""
        fields["phone"] = _req_str(b, "phone")
        if address_id == 0:
            address_id = max(self.state.addresses, default=1) + 1
        elif address_id not in self.state.addresses:
            raise BusinessError(NOT_FOUND, f"address {address_id} not found")
        self.state.addresses[address_id] = {"id": address_id, **fields}
        self.state.changed()
        return Short()

    # ------------------------------------------------------------- overseas logistics

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

    # ------------------------------------------------------------- 1688 products

    def _offer_summary(self, offer: Offer) -> dict[str, Any]:
        return {
            "imageUrl": offer.images[0],
            "subject": offer.subject,
            "subjectTrans": offer.subject_trans,
            "offerId": offer.offer_id,
            "isJxhy": False,
            "priceInfo": {
                "price": offer.price,
                "jxhyPrice": None,
                "pfJxhyPrice": None,
                "consignPrice": offer.consign_price,
                "promotionPrice": None,
            },
            "repurchaseRate": offer.repurchase_rate,
            "monthSold": offer.month_sold,
            "traceInfo": f"object_id@{offer.offer_id}^object_type@offer",
            "isOnePsale": offer.min_order_quantity == 1,
            "sellerIdentities": ["tp_member"],
            "offerIdentities": ["yx"] if offer.month_sold > 10000 else [],
            "tradeScore": offer.trade_score,
            "topCategoryId": self._top_category(offer.category_id),
            "secondCategoryId": offer.category_id,
            "thirdCategoryId": 0,
        }

    def _top_category(self, category_id: int) -> int:
        cat = self.state.catalogue.categories_by_id.get(category_id)
        return cat.parent_id if cat is not None and cat.parent_id else category_id

    def _search_offers(self, b: Mapping[str, Any], offers: list[Offer]) -> list[Offer]:
        category = _int(b, "categoryId")
        if category:
            offers = [
                o
                for o in offers
                if o.category_id == category or self._top_category(o.category_id) == category
            ]
        low, high = _yuan_bound(b, "priceStart"), _yuan_bound(b, "priceEnd")
        if low is not None:
            offers = [o for o in offers if o.price >= low]
        if high is not None:
            offers = [o for o in offers if o.price <= high]
        sort = _json_field(b, "sort")
        if isinstance(sort, dict) and sort:
            field, direction = next(iter(sort.items()))
            attr = {"price": "price", "monthSold": "month_sold"}.get(str(field))
            if attr is not None:
                offers = sorted(
                    offers, key=lambda o: getattr(o, attr), reverse=str(direction) == "desc"
                )
        return offers

    def alibaba_products_search(self, call: Call) -> Any:
        """``alibaba.products.search``: keyword search (matches Chinese or translated subjects)."""
        b = call.body
        page, size = self._page_params(b, "beginPage", 20)
        keyword = (_str(b, "keyword") or "").lower()
        tokens = keyword.split()
        offers = [
            o
            for o in self.state.catalogue.offers
            if all(t in o.subject.lower() or t in o.subject_trans.lower() for t in tokens)
        ]
        offers = self._search_offers(b, offers)
        return _page_of([self._offer_summary(o) for o in offers], page, size)

    def alibaba_products_search_by_image(self, call: Call) -> Any:
        """``alibaba.products.search_by_image``: a stable pseudo-match per image."""
        b = call.body
        page, size = self._page_params(b, "beginPage", 20)
        image = _str(b, "imageBase64") or _str(b, "imageAddress") or _str(b, "imageId")
        if image is None:
            raise BusinessError(
                BAD_REQUEST, "one of imageBase64, imageAddress, imageId is required"
            )
        digest = hashlib.md5(image.encode(), usedforsecurity=False).hexdigest()
        rng = random.Random(f"{self.state.seed}/image/{digest}")
        pool = list(self.state.catalogue.offers)
        offers = self._search_offers(b, rng.sample(pool, k=min(len(pool), 60)))
        return _page_of([self._offer_summary(o) for o in offers], page, size)

    def alibaba_products_category(self, call: Call) -> Any:
        """``alibaba.products.category``: one category and its children (0 = the root)."""
        b = call.body
        category_id = _int(b, "categoryId", default=0, minimum=0) or 0
        language = _str(b, "language") or "en"
        cats = self.state.catalogue.categories
        children = [
            {
                "categoryId": c.category_id,
                "chineseName": c.chinese_name,
                "translatedName": c.translated_name,
                "language": language,
                "leaf": c.leaf,
                "level": c.level,
                "parentCateId": c.parent_id,
            }
            for c in cats
            if c.parent_id == category_id
        ]
        if category_id == 0:
            return {
                "categoryId": 0,
                "chineseName": "全部类目",
                "translatedName": "All categories",
                "language": language,
                "leaf": False,
                "level": 0,
                "parentCateId": 0,
                "children": children,
            }
        cat = self.state.catalogue.categories_by_id.get(category_id)
        if cat is None:
            raise BusinessError(NOT_FOUND, f"category {category_id} not found")
        return {
            "categoryId": cat.category_id,
            "chineseName": cat.chinese_name,
            "translatedName": cat.translated_name,
            "language": language,
            "leaf": cat.leaf,
            "level": cat.level,
            "parentCateId": cat.parent_id,
            "children": children,
        }

    def _offer_detail(self, offer: Offer) -> dict[str, Any]:
        return {
            "offerId": offer.offer_id,
            "categoryId": offer.category_id,
            "subject": offer.subject,
            "subjectTrans": offer.subject_trans,
            "description": f'<p>{offer.subject}</p><p><img src="{offer.images[-1]}"/></p>',
            "mainVideo": None,
            "productImage": {"images": list(offer.images), "whiteImage": offer.images[0]},
            "productAttribute": [
                {
                    "attributeId": "2176",
                    "attributeName": "品牌",
                    "value": "其他",
                    "attributeNameTrans": "Brand",
                    "valueTrans": "Other",
                },
                {
                    "attributeId": "346",
                    "attributeName": "产地",
                    "value": "中国",
                    "attributeNameTrans": "Place of origin",
                    "valueTrans": "China",
                },
            ],
            "productSkuInfos": [
                {
                    "amountOnSale": s.amount_on_sale,
                    "price": s.price,
                    "jxhyPrice": None,
                    "skuId": s.sku_id,
                    "specId": s.spec_id,
                    "skuAttributes": [
                        {
                            "attributeId": a.prop_id,
                            "attributeName": a.prop_name,
                            "attributeNameTrans": a.prop_name_en,
                            "value": a.value_name,
                            "valueTrans": a.value_name_en,
                            "skuImageUrl": s.image_url,
                        }
                        for a in s.attributes
                    ],
                    "pfJxhyPrice": None,
                    "consignPrice": s.price + 100,
                }
                for s in offer.skus
            ],
            "productSaleInfo": {
                "amountOnSale": sum(s.amount_on_sale for s in offer.skus),
                "priceRangeList": [
                    {"startQuantity": offer.min_order_quantity, "price": offer.price},
                    {
                        "startQuantity": offer.min_order_quantity * 50,
                        "price": offer.price * 9 // 10,
                    },
                ],
                "quoteType": 1,
                "unitInfo": {"unit": offer.unit, "transUnit": "piece"},
            },
            "productShippingInfo": {
                "sendGoodsAddressText": "浙江省 金华市",
                "weight": 0.35,
                "width": 20.0,
                "height": 10.0,
                "length": 25.0,
                "shippingTimeGuarantee": "shipIn48Hours",
            },
            "isJxhy": False,
            "sellerOpenId": offer.seller.open_uid,
            "minOrderQuantity": offer.min_order_quantity,
            "batchNumber": None,
            "status": "published",
            "tradeScore": offer.trade_score,
            "topCategoryId": self._top_category(offer.category_id),
            "secondCategoryId": offer.category_id,
            "thirdCategoryId": 0,
            "soldOut": str(offer.month_sold),
            "sellingPoint": None,
            "offerIdentities": [],
            "createDate": "2025-11-11 10:00:00",
        }

    def _offer_or_404(self, value: Any, name: str = "offerId") -> Offer:
        if not _present(value):
            raise _missing(name)
        offer = self.state.catalogue.offer(value)
        if offer is None:
            raise BusinessError(NOT_FOUND, f"offer {value} not found")
        return offer

    def alibaba_products_detail(self, call: Call) -> Any:
        """``alibaba.products.detail``: one offer with its SKUs (``specId`` for ordering)."""
        return self._offer_detail(self._offer_or_404(call.body.get("offerId")))

    def alibaba_products_detail_multi(self, call: Call) -> Any:
        """``alibaba.products.detail_multi``: several offers; unknown ids are skipped."""
        b = call.body
        ids = _list(b, "offerIds") or _list(b, "offerIdList")
        if not ids:
            raise _missing("offerIds")
        if len(ids) > 20:
            raise BusinessError(BAD_REQUEST, "at most 20 offerIds per call")
        return [
            self._offer_detail(o)
            for o in (self.state.catalogue.offer(i) for i in ids)
            if o is not None
        ]

    def alibaba_products_estimate_freight(self, call: Call) -> Any:
        """``alibaba.products.estimate_freight``: domestic freight in yuan (a string)."""
        b = call.body
        offer = self._offer_or_404(b.get("offerId"))
        _req_str(b, "toProvinceCode")
        total = _int(b, "totalNum", default=1, minimum=1) or 1
        fen = 0 if offer.carriage == 0 else offer.carriage + (total - 1) * 50
        return {
            "offerId": offer.offer_id,
            "freight": _yuan(fen),
            "templateId": 3053951 + offer.offer_id % 1000,
            "singleProductFreight": False,
            "chargeType": "0",
            "freePostage": fen == 0,
            "sizeValueInfo": None,
        }

    def alibaba_products_pool(self, call: Call) -> Any:
        """``alibaba.products.pool``: pages of a snapshot taken at the walk's first ``taskId``."""
        b = call.body
        page, size = self._page_params(b, "pageNo", 20)
        task_id = _req_str(b, "taskId")
        snapshot = self.state.pool_tasks.get(task_id)
        if snapshot is None:
            if page != 1:
                raise BusinessError(BAD_REQUEST, f"unknown taskId {task_id}: start at pageNo 1")
            cate = _int(b, "cateId")
            snapshot = tuple(
                o.offer_id
                for o in self.state.catalogue.offers
                if not cate or o.category_id == cate or self._top_category(o.category_id) == cate
            )
            self.state.pool_tasks[task_id] = snapshot
            while len(self.state.pool_tasks) > 1000:
                del self.state.pool_tasks[next(iter(self.state.pool_tasks))]
        chunk = snapshot[(page - 1) * size : page * size]
        catalogue = self.state.catalogue
        return [
            {"offerId": oid, "bizCategoryId": str(catalogue.offers_by_id[oid].category_id)}
            for oid in chunk
        ]

    # ------------------------------------------------------------- 1688 orders

    def alibaba_orders_list(self, call: Call) -> Any:
        """``alibaba.orders.list``: newest first; filters orderStatus, time window, outOrderId."""
        b = call.body
        unsupported = [
            k for k in ("refundStatus", "modifyStartTime", "modifyEndTime") if _present(b.get(k))
        ]
        if unsupported:
            # Better a clear refusal than a silently unfiltered answer that a test would trust.
            raise BusinessError(
                BAD_REQUEST,
                f"the emulator does not implement the filter(s) {', '.join(unsupported)}",
            )
        page, size = self._page_params(b, "page", 20)
        status = _str(b, "orderStatus")
        begin = _time(b, "createStartTime")
        end = _time(b, "createEndTime", end=True)
        out_id = _str(b, "outOrderId")
        ids = _list(b, "orderIds")
        state = self.state
        if out_id is not None or ids:
            candidates: list[AlibabaOrderRecord] = []
            if out_id is not None:
                rec = state.alibaba_by_out_id(out_id)
                candidates = [rec] if rec is not None else []
            if ids:
                found = [state.find_alibaba(i) for i in ids]
                by_id = [r for r in found if r is not None]
                candidates = [r for r in candidates if r in by_id] if out_id is not None else by_id
            matches = [
                r
                for r in sorted(set(candidates), key=lambda r: r.key, reverse=True)
                if (status is None or r.status == status)
                and (begin is None or r.ts >= begin)
                and (end is None or r.ts <= end)
            ]
            total = len(matches)
            recs = matches[(page - 1) * size : page * size]
        else:
            total, recs = state.alibaba.page(
                status=status, begin=begin, end=end, offset=(page - 1) * size, limit=size
            )
        return {"totalRecord": total, "result": [state.alibaba_fragment(r) for r in recs]}

    def _order_or_404(self, value: Any, name: str = "orderId") -> AlibabaOrderRecord:
        if not _present(value):
            raise _missing(name)
        rec = self.state.find_alibaba(value)
        if rec is None:
            raise BusinessError(NOT_FOUND, f"order {value} not found")
        return rec

    def alibaba_orders_detail(self, call: Call) -> Any:
        """``alibaba.orders.detail``: the TradeInfo of one order."""
        return self.state.alibaba_fragment(self._order_or_404(call.body.get("orderId")))

    def _cargo(self, b: Mapping[str, Any]) -> tuple[dict[str, Any], list[AlibabaLine]]:
        address = _dict(b, "addressParam", required=True)
        for name in ("fullName", "address"):
            if not _present(address.get(name)):
                raise _missing(f"addressParam.{name}")
        if not (_present(address.get("mobile")) or _present(address.get("phone"))):
            raise _missing("addressParam.mobile")
        cargo = _list(b, "cargoParamList", required=True)
        if len(cargo) > 50:
            raise BusinessError(BAD_REQUEST, "cargoParamList takes at most 50 lines")
        lines: list[AlibabaLine] = []
        for i, item in enumerate(cargo):
            if not isinstance(item, dict):
                raise BusinessError(BAD_REQUEST, f"cargoParamList[{i}] must be an object")
            offer = self._offer_or_404(item.get("offerId"), f"cargoParamList[{i}].offerId")
            spec = item.get("specId")
            sku = (
                offer.sku(str(spec))
                if _present(spec)
                else (offer.skus[0] if len(offer.skus) == 1 else None)
            )
            if sku is None:
                raise BusinessError(
                    BAD_REQUEST,
                    f"cargoParamList[{i}].specId {spec!r} is not a SKU of {offer.offer_id}",
                )
            qty = _req_int(item, "quantity", minimum=1)
            lines.append((offer, sku, qty))
        flow = _str(b, "flow")
        if flow is not None and flow not in ALIBABA_FLOWS:
            raise BusinessError(BAD_REQUEST, f"unknown flow {flow!r}")
        return address, lines

    @staticmethod
    def _preview_entry(lines: list[AlibabaLine]) -> dict[str, Any]:
        no_carriage = sum(sku.price * qty for _, sku, qty in lines)
        carriage = max(offer.carriage for offer, _, _ in lines)
        payment = no_carriage + carriage
        fee = -(-payment * SERVICE_FEE_PER_10000 // 10000)
        return {
            "sumCarriage": carriage,
            "sumPayment": payment,
            "sumTotalPayment": payment + fee,
            "sumPaymentNoCarriage": no_carriage,
            "orderItemTOList": [
                {
                    "amount": sku.price * qty,
                    "message": None,
                    "finalUnitPrice": sku.price,
                    "specId": sku.spec_id,
                    "skuId": sku.sku_id,
                    "offerId": offer.offer_id,
                    "openOfferId": offer.open_offer_id,
                }
                for offer, sku, qty in lines
            ],
        }

    def alibaba_orders_preview(self, call: Call) -> Any:
        """``alibaba.orders.preview``: one entry per seller, amounts in fen."""
        _, lines = self._cargo(call.body)
        groups: OrderedDict[str, list[AlibabaLine]] = OrderedDict()
        for line in lines:
            groups.setdefault(line[0].seller.member_id, []).append(line)
        return [self._preview_entry(group) for group in groups.values()]

    def alibaba_orders_create(self, call: Call) -> Any:
        """``alibaba.orders.create``: idempotent on ``outOrderId``; new order awaits payment."""
        b = call.body
        out_id = _str(b, "outOrderId")
        state = self.state
        if out_id is not None and out_id in state.alibaba_created:
            raise DuplicateRequest(state.alibaba_created[out_id])
        address, lines = self._cargo(b)
        if len({offer.seller.member_id for offer, _, _ in lines}) > 1:
            raise BusinessError(BAD_REQUEST, "cargoParamList must come from one seller")
        trade_type = _str(b, "tradeType")
        if trade_type is not None and trade_type not in TRADE_TYPES:
            raise BusinessError(BAD_REQUEST, f"unknown tradeType {trade_type!r}")
        entry = self._preview_entry(lines)
        rec = state.add_alibaba_order(
            lines=tuple(lines),
            receiver=address,
            out_order_id=out_id,
            flow=_str(b, "flow") or "general",
            message=_str(b, "message"),
        )
        order_id = str(rec.order_id)
        response = {
            "totalSuccessAmount": entry["sumPayment"],
            "orderId": order_id,
            "success": True,
            "code": None,
            "message": None,
            "accountPeriod": None,
            "failedOfferList": [],
            "postFee": entry["sumCarriage"],
            "orderList": [
                {
                    "orderId": order_id,
                    "postFee": entry["sumCarriage"],
                    "orderAmount": entry["sumPayment"],
                }
            ],
        }
        if out_id is not None:
            state.alibaba_created[out_id] = response
        self.emit("ORDER_CREATE", 1, rec.order_id, None)
        return response

    def alibaba_orders_pay(self, call: Call) -> Any:
        """``alibaba.orders.pay``: returns a ``payUrl``; the orders move to ``waitsellersend``."""
        b = call.body
        ids = _list(b, "orderIds") or ([b["orderId"]] if _present(b.get("orderId")) else [])
        if not ids:
            raise _missing("orderIds")
        recs = [self._order_or_404(i) for i in ids]
        for rec in recs:
            if rec.status != "waitbuyerpay":
                raise BusinessError(
                    BAD_REQUEST, f"order {rec.order_id} cannot be paid in status {rec.status}"
                )
        for rec in recs:
            self.state.set_alibaba_status(rec.order_id, "waitsellersend")
            self.emit("ORDER_PAY_SUCCESS", 1, rec.order_id, None)
        joined = ",".join(str(r.order_id) for r in recs)
        return {"payUrl": f"https://trade.1688.com/order/cashier.htm?orderIds={joined}&emulator=1"}

    def alibaba_orders_logistics(self, call: Call) -> Any:
        """``alibaba.orders.logistics``: parcels of a shipped order (empty before shipping)."""
        rec = self._order_or_404(call.body.get("orderId"))
        doc = self.state.alibaba_doc(rec)
        out = []
        for item in doc["nativeLogistics"]["logisticsItems"]:
            out.append(
                {
                    "logisticsId": item["logisticsCode"],
                    "logisticsBillNo": item["logisticsBillNo"],
                    "logisticsCompanyName": item["logisticsCompanyName"],
                    "logisticsCompanyNo": item["logisticsCompanyNo"],
                    "status": item["status"],
                    "sendGoods": [
                        {"goodName": p["name"], "quantity": p["quantity"], "unit": p["unit"]}
                        for p in doc["productItems"]
                    ],
                    "traces": [
                        {"acceptTime": item["deliveredTime"], "remark": "卖家已发货"},
                    ],
                }
            )
        return out

    # ------------------------------------------------------------- after sales

    def refund_reasons(self, call: Call) -> Any:
        """``alibaba.after_sales.refund_reasons``: reasons for a goods status."""
        b = call.body
        self._order_or_404(b.get("orderId"))
        goods = _req_str(b, "goodsStatus")
        if goods not in GOODS_STATUSES:
            raise BusinessError(BAD_REQUEST, f"unknown goodsStatus {goods!r}")
        return {"reasons": list(self.state.catalogue.refund_reasons[goods])}

    def upload_voucher(self, call: Call) -> Any:
        """``alibaba.after_sales.upload_voucher``: multipart ``imageData`` (< 1 MB)."""
        data = call.files.get("imageData")
        if data is None:
            raise BusinessError(BAD_REQUEST, "multipart field imageData is required")
        if not data:
            raise BusinessError(BAD_REQUEST, "imageData is empty")
        if len(data) >= MAX_VOUCHER_BYTES:
            raise BusinessError(BAD_REQUEST, "imageData must be smaller than 1 MB")
        digest = hashlib.md5(data, usedforsecurity=False).hexdigest()
        result = {
            "imageDomain": "https://cbu01.alicdn.com/",
            "imageRelativeUrl": f"img/ibank/refund/{digest}.jpg",
        }
        self.state.vouchers.append({**result, "size": len(data)})
        return result

    def create_refund(self, call: Call) -> Any:
        """``alibaba.after_sales.create_refund``: validated like upstream (codes 5001–5013)."""
        b = call.body
        state = self.state
        order_id = b.get("orderId")
        if not _present(order_id):
            raise _missing("orderId")
        rec = state.find_alibaba(order_id)
        if rec is None:
            raise BusinessError(5001, f"order {order_id} does not exist")
        doc = state.alibaba_doc(rec)
        items = {i["subItemID"]: i for i in doc["productItems"]}
        entry_ids: list[int] = []
        for raw in _list(b, "orderEntryIds", required=True):
            try:
                entry = int(str(raw))
            except ValueError:
                raise BusinessError(BAD_REQUEST, f"bad orderEntryId {raw!r}") from None
            if entry not in items:
                raise BusinessError(5001, f"order entry {raw} does not exist in order {order_id}")
            entry_ids.append(entry)
        dispute = _req_str(b, "disputeRequest")
        if dispute not in ("refund", "returnRefund"):
            raise BusinessError(BAD_REQUEST, "disputeRequest must be refund or returnRefund")
        if rec.status in ("waitbuyerpay", "cancel", "terminated"):
            raise BusinessError(5010, f"order status {rec.status} does not allow a refund")
        if any(rec.refunds.get(e) for e in entry_ids):
            raise BusinessError(5010, "a refund is already in progress for this order entry")
        goods = _req_str(b, "goodsStatus")
        shipped = rec.status in ALIBABA_SHIPPED
        if goods not in GOODS_STATUSES or (goods == "refundWaitSellerSend") == shipped:
            raise BusinessError(
                5003, f"goodsStatus {goods} does not match order status {rec.status}"
            )
        reason_id = _req_int(b, "applyReasonId")
        reason = next(
            (r for r in state.catalogue.refund_reasons[goods] if r["id"] == reason_id), None
        )
        if reason is None:
            raise BusinessError(5004, f"applyReasonId {reason_id} is not valid for {goods}")
        vouchers = _list(b, "vouchers")
        if len(vouchers) > 5:
            raise BusinessError(BAD_REQUEST, "at most 5 vouchers")
        if reason["needVoucher"] and not vouchers:
            raise BusinessError(5005, "this reason requires a voucher image")
        payment = _req_int(b, "applyPayment", minimum=0)
        carriage = _int(b, "applyCarriage", default=0, minimum=0) or 0
        if reason["noRefundCarriage"] and carriage:
            raise BusinessError(5006, "applyCarriage must be 0 for this reason")
        counts: dict[int, int] = {}
        for row in _list(b, "orderEntryCountList"):
            if isinstance(row, dict) and _present(row.get("id")):
                counts[int(str(row["id"]))] = _req_int(row, "count", minimum=1)
        for entry in entry_ids:
            if counts.get(entry, items[entry]["quantity"]) > items[entry]["quantity"]:
                raise BusinessError(5013, f"return quantity exceeds bought quantity of {entry}")
        max_payment = sum(
            items[e]["price"] * counts.get(e, items[e]["quantity"]) for e in entry_ids
        )
        if payment > max_payment or carriage > doc["baseInfo"]["shippingFee"]:
            raise BusinessError(5011, f"applyPayment exceeds the refundable {max_payment} fen")
        description = _str(b, "description") or ""
        if not 2 <= len(description) <= 150:
            raise BusinessError(5012, "description must be 2 to 150 characters")
        refund_id = "TQ" + state.random_digits(17)
        state.refunds[refund_id] = RefundRecord(
            refund_id=refund_id,
            order_id=rec.order_id,
            entry_ids=entry_ids,
            dispute_request=dispute,
            apply_payment=payment,
        )
        for entry in entry_ids:
            rec.refunds[entry] = "waitselleragree"
        rec.refund_status = "waitselleragree"
        rec.modify_ts = state.clock()
        rec.touch()
        state.changed()
        self.emit("ORDER_BUYER_VIEW_ORDER_BUYER_REFUND", 1, rec.order_id, {"refundId": refund_id})
        return {"refundId": refund_id}

    def submit_return(self, call: Call) -> Any:
        """``alibaba.after_sales.submit_return``: return parcel details (codes 4002–4008)."""
        b = call.body
        refund_id = _req_str(b, "refundId")
        refund = self.state.refunds.get(refund_id)
        if refund is None:
            raise BusinessError(4002, f"refund {refund_id} does not exist")
        if refund.dispute_request != "returnRefund":
            raise BusinessError(4003, "this refund does not take goods back (refund only)")
        if refund.returned is not None:
            raise BusinessError(4008, "return information was already submitted")
        company = _req_str(b, "logisticsCompanyNo")
        if company not in {c["companyNo"] for c in self.state.catalogue.logistics_companies}:
            raise BusinessError(4004, f"unknown logisticsCompanyNo {company!r}")
        bill = _str(b, "freightBill")
        if not bill:
            raise BusinessError(4005, "freightBill is required")
        description = _str(b, "description") or ""
        if len(description) > 200:
            raise BusinessError(4006, "description must be at most 200 characters")
        vouchers = _list(b, "vouchers")
        if len(vouchers) > 10:
            raise BusinessError(4007, "at most 10 vouchers")
        refund.returned = {
            "logisticsCompanyNo": company,
            "freightBill": bill,
            "description": description,
            "vouchers": vouchers,
        }
        refund.status = "waitsellerreceive"
        rec = self.state.find_alibaba(refund.order_id)
        if rec is not None:
            for entry in refund.entry_ids:
                rec.refunds[entry] = "waitsellerreceive"
            rec.refund_status = "waitsellerreceive"
            rec.touch()
        self.state.changed()
        return {"refundId": refund_id, "success": True}

    def logistics_companies(self, call: Call) -> Any:
        """``alibaba.after_sales.logistics_companies``: carriers for return parcels."""
        return list(self.state.catalogue.logistics_companies)

    # ------------------------------------------------------------- Taobao products

    @staticmethod
    def _taobao_detail(p: TaobaoProduct) -> dict[str, Any]:
        return {
            "quantity": p.quantity,
            "categoryPath": p.category_path,
            "shopName": p.shop.name,
            "title": p.title,
            "mpId": p.mp_id,
            "itemId": p.item_id,
            "price": p.price,
            "status": "active",
            "promotionPrice": p.promotion_price,
            "shopId": int(p.shop.shop_id),
            "categoryId": p.category_id,
            "itemType": p.item_type,
            "skuList": [
                {
                    "picUrl": s.pic_url,
                    "quantity": s.quantity,
                    "price": s.price,
                    "skuId": s.sku_id,
                    "status": "active" if s.quantity else "inactive",
                    "promotionPrice": str(s.promotion_price),
                    "postFee": s.post_fee,
                    "mpSkuld": None,
                    "properties": [
                        {
                            "valueId": pr.value_id,
                            "valueName": pr.value_name,
                            "propId": pr.prop_id,
                            "propName": pr.prop_name,
                        }
                        for pr in s.props
                    ],
                }
                for s in p.skus
            ],
        }

    def taobao_products_detail(self, call: Call) -> Any:
        """``taobao.products.detail``: by ``itemId`` or ``mpId`` (body or query)."""
        b = call.body
        item = b.get("itemId") if _present(b.get("itemId")) else b.get("mpId")
        if not _present(item):
            raise _missing("itemId")
        product = self.state.catalogue.taobao_product(item)
        if product is None:
            raise BusinessError(NOT_FOUND, f"item {item} not found")
        return self._taobao_detail(product)

    @staticmethod
    def _taobao_summary(p: TaobaoProduct) -> dict[str, Any]:
        return {
            "itemId": p.item_id,
            "mpId": p.mp_id,
            "title": p.title,
            "titleTrans": p.title_en,
            "price": p.price,
            "promotionPrice": p.promotion_price,
            "picUrl": p.pic_url,
            "shopName": p.shop.name,
            "shopId": p.shop.shop_id,
            "monthSold": p.month_sold,
            "categoryId": p.category_id,
        }

    def taobao_products_search(self, call: Call) -> Any:
        """``taobao.products.search``: keyword search over titles (Chinese or English)."""
        b = call.body
        page, size = self._page_params(b, "beginPage", 20)
        tokens = (_str(b, "keyword") or "").lower().split()
        found = [
            self._taobao_summary(p)
            for p in self.state.catalogue.taobao_products
            if all(t in p.title.lower() or t in p.title_en.lower() for t in tokens)
        ]
        return _page_of(found, page, size)

    def taobao_products_search_by_image(self, call: Call) -> Any:
        """``taobao.products.search_by_image``: a stable pseudo-match per image."""
        b = call.body
        page, size = self._page_params(b, "beginPage", 20)
        image = _str(b, "imageBase64") or _str(b, "imageAddress") or _str(b, "imageId")
        if image is None:
            raise BusinessError(
                BAD_REQUEST, "one of imageBase64, imageAddress, imageId is required"
            )
        digest = hashlib.md5(image.encode(), usedforsecurity=False).hexdigest()
        rng = random.Random(f"{self.state.seed}/tbimage/{digest}")
        pool = list(self.state.catalogue.taobao_products)
        picks = rng.sample(pool, k=min(len(pool), 40))
        return _page_of([self._taobao_summary(p) for p in picks], page, size)

    # ------------------------------------------------------------- Taobao orders

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

    # ------------------------------------------------------------- WMS

    def wms_forecast(self, call: Call) -> Any:
        """``wms.forecast``: records a package forecast; short envelope."""
        b = call.body
        if not (_present(b.get("logistics_tracking_number")) or _present(b.get("trackingNumber"))):
            raise _missing("logistics_tracking_number")
        self.state.packages.append({"kind": "forecast", **b})
        return Short()

    def wms_inbound(self, call: Call) -> Any:
        """``wms.inbound``: records an inbound package with its inspection; short envelope."""
        b = call.body
        _req_str(b, "out_order_id")
        _req_str(b, "logistics_tracking_number")
        inspection = b.get("quality_inspection_info")
        if inspection is not None and not isinstance(inspection, dict):
            raise BusinessError(BAD_REQUEST, "quality_inspection_info must be an object")
        self.state.packages.append({"kind": "inbound", **b})
        return Short()

    def wms_update(self, call: Call) -> Any:
        """``wms.update``: updates a package named by any of its three ids; short envelope."""
        b = call.body
        ids = ("out_order_id", "alibaba_order_id", "logistics_tracking_number")
        if not any(_present(b.get(name)) for name in ids):
            raise _missing(" or ".join(ids))
        self.state.packages.append({"kind": "update", **b})
        return Short()


class DuplicateRequest(Exception):
    """Raised by create handlers when the idempotency key was seen: answer the stored result."""

    def __init__(self, response: dict[str, Any]) -> None:
        super().__init__("duplicate")
        self.response = response
