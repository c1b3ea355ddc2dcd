"""Handlers of ``taobao.products.*``: Taobao item detail and searches."""

from __future__ import annotations

import hashlib
import random
from typing import Any

from ..data import TaobaoProduct
from ._base import (
    BAD_REQUEST,
    NOT_FOUND,
    BusinessError,
    Call,
    HandlerBase,
    _missing,
    _page_of,
    _present,
    _str,
)

__all__ = ["TaobaoProductHandlers"]


class TaobaoProductHandlers(HandlerBase):
    """Taobao products, over the catalogue's items."""

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
        """``taobao.products.detail``: ``GET ?itemId=`` (or ``mpId``; query and body are merged)."""
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
        page, size = self._page_params(b, "pageNo", 20)
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
