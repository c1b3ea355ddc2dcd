"""Seeded 1688 product data: sellers, offers with their SKUs, and the category tree."""

from __future__ import annotations

import base64
import random

import attrs

from ._base import _PREFIXES, SkuProp, _digits, _sku_props, _token

__all__ = ["Category", "Offer", "OfferSku", "Seller", "build_categories", "build_offers"]


@attrs.frozen(kw_only=True)
class Seller:
    """A 1688 seller."""

    login_id: str
    company_name: str
    open_uid: str
    member_id: str


@attrs.frozen(kw_only=True)
class OfferSku:
    """A 1688 SKU: ``spec_id`` is what ``cargoParamList[].specId`` takes. Prices in fen."""

    sku_id: int
    spec_id: str
    price: int
    amount_on_sale: int
    image_url: str | None
    attributes: tuple[SkuProp, ...]


@attrs.frozen(kw_only=True)
class Offer:
    """A 1688 product (offer)."""

    offer_id: int
    open_offer_id: str
    subject: str
    subject_trans: str
    category_id: int
    price: int
    consign_price: int
    carriage: int
    seller: Seller
    skus: tuple[OfferSku, ...]
    images: tuple[str, ...]
    month_sold: int
    repurchase_rate: str
    trade_score: str
    unit: str = "件"
    min_order_quantity: int = 1

    def sku(self, spec_id: str | None) -> OfferSku | None:
        """The SKU with this ``specId`` (None when unknown)."""
        for sku in self.skus:
            if sku.spec_id == spec_id:
                return sku
        return None


@attrs.frozen(kw_only=True)
class Category:
    """A 1688 category."""

    category_id: int
    chinese_name: str
    translated_name: str
    level: int
    parent_id: int
    leaf: bool


_SELLERS = (
    "义乌市优品贸易有限公司",
    "广州市白云区鑫达服饰厂",
    "深圳市华强电子科技有限公司",
    "汕头市澄海区乐童玩具厂",
    "永康市好帮手五金制品厂",
    "杭州四季青服装批发商行",
    "东莞市美家塑胶制品有限公司",
    "泉州市晋江鞋业有限公司",
)
_OFFER_TEMPLATES = (
    ("工厂直销加厚保温杯", "Factory direct thick insulated cup", 1031910),
    ("跨境爆款蓝牙耳机", "Cross-border hot bluetooth earphones", 1042754),
    ("纯棉儿童T恤批发", "Wholesale cotton kids T-shirt", 1037004),
    ("网红解压玩具", "Viral stress relief toy", 1031914),
    ("户外折叠收纳箱", "Outdoor folding storage box", 1046810),
    ("女士休闲帆布鞋", "Women's casual canvas shoes", 1038378),
    ("手机支架懒人桌面", "Lazy desktop phone holder", 1042841),
    ("宠物牵引绳套装", "Pet leash set", 1036599),
)
_CATEGORY_TREE = (
    (1031910, "家居百货", "Home & Garden", (1031911, "杯子", "Cups"), (1046810, "收纳", "Storage")),
    (
        1042754,
        "数码电脑",
        "Electronics",
        (1042755, "耳机", "Earphones"),
        (1042841, "手机配件", "Phone accessories"),
    ),
    (1037004, "童装", "Kids' clothing", (1037005, "T恤", "T-shirts"), (1037006, "裙子", "Dresses")),
    (
        1031914,
        "玩具",
        "Toys",
        (1031915, "解压玩具", "Stress toys"),
        (1036599, "宠物用品", "Pet supplies"),
    ),
    (
        1038378,
        "鞋靴",
        "Shoes",
        (1038379, "帆布鞋", "Canvas shoes"),
        (1038380, "运动鞋", "Sneakers"),
    ),
)


def _cbu_image(rng: random.Random, uid: str) -> str:
    return f"https://cbu01.alicdn.com/img/ibank/O1CN01{_token(rng, 22)}_!!{uid}-0-cib.jpg"


def _fixture_offer() -> Offer:
    seller = Seller(
        login_id="乐童玩具厂",
        company_name="汕头市澄海区乐童玩具厂",
        open_uid="BBBfixture0000000000000001",
        member_id="b2b-2214273263487ab12c",
    )
    return Offer(
        offer_id=889512351602,
        open_offer_id="+vIWvlcT2JMpWVABRdm+WQ==",
        subject="儿童益智拼装积木玩具批发",
        subject_trans="Kids educational building blocks wholesale",
        category_id=1031915,
        price=2900,
        consign_price=2900,
        carriage=600,
        seller=seller,
        skus=(
            OfferSku(
                sku_id=5736673805656,
                spec_id="530ad00177264564503ec3b848650652",
                price=2900,
                amount_on_sale=980,
                image_url=None,
                attributes=(
                    SkuProp(
                        prop_id=3216,
                        prop_name="颜色",
                        prop_name_en="Color",
                        value_id=28326,
                        value_name="红色",
                        value_name_en="Red",
                    ),
                ),
            ),
        ),
        images=("https://cbu01.alicdn.com/img/ibank/O1CN01sdKLEv1Bs5Fixture01_!!0-0-cib.jpg",),
        month_sold=3120,
        repurchase_rate="31%",
        trade_score="4.8",
    )


def build_offers(rng: random.Random, offers: int) -> tuple[list[Seller], list[Offer]]:
    """The sellers and ``offers`` offers (the fixture one first), from the catalogue's ``rng``."""
    sellers = [
        Seller(
            login_id=name[-6:],
            company_name=name,
            open_uid="BBB" + _token(rng, 22),
            member_id="b2b-" + _digits(rng, 13) + _token(rng, 5).lower(),
        )
        for name in _SELLERS
    ]
    offer_list = [_fixture_offer()]
    leaf_ids = [leaf[0] for top in _CATEGORY_TREE for leaf in top[3:]]
    for _ in range(offers):
        zh, en, _cat = rng.choice(_OFFER_TEMPLATES)
        seller = rng.choice(sellers)
        base = rng.randrange(150, 9900, 10)
        n_sku = rng.randint(1, 4)
        oskus = []
        for props in _sku_props(rng, rng.random() < 0.4, n_sku):
            oskus.append(
                OfferSku(
                    sku_id=int(_digits(rng, 13)),
                    spec_id=f"{rng.getrandbits(128):032x}",
                    price=base + rng.choice((0, 0, 50, 200)),
                    amount_on_sale=rng.randint(0, 20000),
                    image_url=_cbu_image(rng, seller.member_id[4:17])
                    if rng.random() < 0.5
                    else None,
                    attributes=props,
                )
            )
        offer_list.append(
            Offer(
                offer_id=int("6" + _digits(rng, 11)),
                open_offer_id=base64.b64encode(rng.randbytes(16)).decode(),
                subject=f"{rng.choice(_PREFIXES)}{zh}",
                subject_trans=en,
                category_id=rng.choice(leaf_ids),
                price=min(s.price for s in oskus),
                consign_price=min(s.price for s in oskus) + 100,
                carriage=rng.choice((0, 300, 500, 600, 800, 1000)),
                seller=seller,
                skus=tuple(oskus),
                images=tuple(_cbu_image(rng, seller.member_id[4:17]) for _ in range(3)),
                month_sold=rng.randint(0, 30000),
                repurchase_rate=f"{rng.randint(5, 60)}%",
                trade_score=f"{rng.randint(40, 50) / 10:.1f}",
                min_order_quantity=rng.choice((1, 1, 2, 3)),
            )
        )
    return sellers, offer_list


def build_categories() -> list[Category]:
    """The two-level category tree, parents first (no randomness)."""
    categories: list[Category] = []
    for top_id, top_zh, top_en, *leaves in _CATEGORY_TREE:
        categories.append(
            Category(
                category_id=top_id,
                chinese_name=top_zh,
                translated_name=top_en,
                level=1,
                parent_id=0,
                leaf=False,
            )
        )
        for leaf_id, leaf_zh, leaf_en in leaves:
            categories.append(
                Category(
                    category_id=leaf_id,
                    chinese_name=leaf_zh,
                    translated_name=leaf_en,
                    level=2,
                    parent_id=top_id,
                    leaf=True,
                )
            )
    return categories
