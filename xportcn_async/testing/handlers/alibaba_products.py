"""Handlers of ``alibaba.products.*``: 1688 search, categories, details, pool."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping
from typing import Any

from ..data import Offer
from ._base import (
    BAD_REQUEST,
    NOT_FOUND,
    BusinessError,
    Call,
    HandlerBase,
    _int,
    _json_field,
    _list,
    _missing,
    _page_of,
    _req_str,
    _str,
    _yuan,
    _yuan_bound,
)

__all__ = ["AlibabaProductHandlers"]


class AlibabaProductHandlers(HandlerBase):
    """1688 products, over the catalogue's offers and categories."""

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
