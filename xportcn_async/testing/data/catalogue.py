"""The :class:`Catalogue`: every domain's static data of one emulator, built from a seed."""

from __future__ import annotations

import random
from typing import Any

import attrs

from .address import _ADDRESSES, Address
from .alibaba_after_sales import build_logistics_companies, build_refund_reasons
from .alibaba_products import Category, Offer, Seller, build_categories, build_offers
from .taobao_products import Shop, TaobaoProduct, build_taobao_products

__all__ = ["Catalogue", "build_catalogue"]


@attrs.frozen(kw_only=True)
class Catalogue:
    """All static data of one emulator: products, categories, reasons, carriers, addresses."""

    shops: tuple[Shop, ...]
    taobao_products: tuple[TaobaoProduct, ...]
    taobao_by_id: dict[str, TaobaoProduct]  # by mpId and by str(itemId)
    products_by_shop: dict[str, tuple[TaobaoProduct, ...]]
    sellers: tuple[Seller, ...]
    offers: tuple[Offer, ...]
    offers_by_id: dict[int, Offer]
    offers_by_seller: dict[str, tuple[Offer, ...]]
    categories: tuple[Category, ...]
    categories_by_id: dict[int, Category]
    refund_reasons: dict[str, tuple[dict[str, Any], ...]]
    logistics_companies: tuple[dict[str, Any], ...]
    addresses: tuple[Address, ...]

    def taobao_product(self, item_id: object) -> TaobaoProduct | None:
        """Look a Taobao product up by ``mpId`` or ``itemId`` (number or string)."""
        return self.taobao_by_id.get(str(item_id).strip())

    def offer(self, offer_id: object) -> Offer | None:
        """Look a 1688 offer up by ``offerId`` (number or numeric string)."""
        try:
            return self.offers_by_id.get(int(str(offer_id)))
        except ValueError:
            return None


def build_catalogue(seed: int, *, shops: int = 12, offers: int = 120) -> Catalogue:
    """Build the static catalogue for ``seed`` (a few hundred objects: milliseconds)."""
    rng = random.Random(f"{seed}/catalogue")
    # One RNG drawn in a fixed order (Taobao first, then 1688): same seed, same catalogue.
    shop_list, products = build_taobao_products(rng, shops)
    taobao_by_id: dict[str, TaobaoProduct] = {}
    by_shop: dict[str, list[TaobaoProduct]] = {}
    for p in products:
        taobao_by_id[p.mp_id] = p
        taobao_by_id[str(p.item_id)] = p
        by_shop.setdefault(p.shop.shop_id, []).append(p)
    sellers, offer_list = build_offers(rng, offers)
    offers_by_seller: dict[str, list[Offer]] = {}
    for o in offer_list:
        offers_by_seller.setdefault(o.seller.member_id, []).append(o)
    categories = build_categories()
    reasons = build_refund_reasons()
    companies = build_logistics_companies()
    return Catalogue(
        shops=tuple(shop_list),
        taobao_products=tuple(products),
        taobao_by_id=taobao_by_id,
        products_by_shop={k: tuple(v) for k, v in by_shop.items()},
        sellers=tuple(sellers),
        offers=tuple(offer_list),
        offers_by_id={o.offer_id: o for o in offer_list},
        offers_by_seller={k: tuple(v) for k, v in offers_by_seller.items()},
        categories=tuple(categories),
        categories_by_id={c.category_id: c for c in categories},
        refund_reasons=reasons,
        logistics_companies=companies,
        addresses=_ADDRESSES,
    )
