"""Seeded Taobao product data: shops, products and SKUs (the docs' two fixture items first)."""

from __future__ import annotations

import random

import attrs

from ._base import _PREFIXES, SkuProp, _digits, _json, _sku_props, _token

__all__ = ["Shop", "TaobaoProduct", "TaobaoSku", "build_taobao_products"]


@attrs.frozen(kw_only=True)
class Shop:
    """A Taobao shop."""

    shop_id: str
    name: str
    nick: str
    uid: str


@attrs.frozen(kw_only=True)
class TaobaoSku:
    """A Taobao SKU; prices in fen."""

    sku_id: str
    price: int
    promotion_price: int
    quantity: int
    pic_url: str | None
    post_fee: int
    props: tuple[SkuProp, ...]
    #: ``option_fields.en`` / ``.zh`` of sub-orders: JSON strings, computed once.
    en_json: str = attrs.field(
        init=False,
        default=attrs.Factory(
            lambda self: _json({p.prop_name_en: p.value_name_en for p in self.props}),
            takes_self=True,
        ),
    )
    zh_json: str = attrs.field(
        init=False,
        default=attrs.Factory(
            lambda self: _json({p.prop_name: p.value_name for p in self.props}), takes_self=True
        ),
    )


@attrs.frozen(kw_only=True)
class TaobaoProduct:
    """A Taobao item as the distributor API sees it (``mpId`` is what orders reference)."""

    mp_id: str
    item_id: int
    title: str
    title_en: str
    shop: Shop
    category_id: str
    category_path: str
    price: int
    promotion_price: int
    pic_url: str
    skus: tuple[TaobaoSku, ...]
    services: str  # JSON string, copied into sub-orders' option_fields.serviceList
    item_type: str = "HAVE_MATERIAL"
    month_sold: int = 0

    @property
    def quantity(self) -> int:
        """Stock: the sum over SKUs."""
        return sum(s.quantity for s in self.skus)


_TAOBAO_TEMPLATES = (
    ("儿童拍拍球", "Kids bouncy ball", "玩具/童车/益智/积木/模型->球类玩具", "50015133", False),
    ("纯棉短袖T恤", "Cotton short-sleeve T-shirt", "女装/女士精品->T恤", "50000671", True),
    ("防水登山鞋", "Waterproof hiking boots", "运动鞋new->户外鞋", "50012906", True),
    ("蓝牙耳机", "Bluetooth earphones", "影音电器->耳机/耳麦", "50005050", False),
    ("不锈钢保温杯", "Stainless steel thermos cup", "餐饮具->保温杯", "50012450", False),
    ("碎花连衣裙", "Floral dress", "童装/婴儿装/亲子装->裙子(新)->连衣裙", "121452038", True),
    ("手机壳", "Phone case", "3C数码配件->手机保护套/壳", "50023725", False),
    ("桌面收纳盒", "Desktop storage box", "收纳整理->收纳盒", "50016885", False),
    ("加厚瑜伽垫", "Thick yoga mat", "运动/瑜伽/健身/球迷用品->瑜伽垫", "50019273", False),
    ("帆布双肩包", "Canvas backpack", "箱包皮具/热销女包/男包->双肩背包", "50012010", False),
    ("宠物猫抓板", "Cat scratching board", "宠物/宠物食品及用品->猫抓板", "50023023", False),
    ("led台灯", "LED desk lamp", "家装灯饰光源->台灯", "50020800", False),
)


_SHOP_NAMES = (
    "优品生活馆",
    "森系小铺",
    "极客数码专营店",
    "童趣玩具城",
    "北欧家居馆",
    "运动达人店",
    "潮流女装坊",
    "简约日用百货",
    "好物严选店",
    "匠心工坊",
    "星辰母婴店",
    "萌宠乐园",
)
_SERVICES = (
    {
        "code": "7d",
        "desc": "七天无理由退货",
        "imageUrl": "https://img.alicdn.com/imgextra/i4/O1CN01gk3LQL1xZoiKiMXXc_!!6000000006458-2-tps-40-40.png",
        "name": "七天无理由退货",
    },
    {
        "code": "ssbxsfh",
        "desc": "48小时内发货",
        "imageUrl": "https://img.alicdn.com/imgextra/i1/O1CN01Fsd7N31nNqzHk5Xp0_!!6000000005078-2-tps-40-40.png",
        "name": "极速发货",
    },
)


def _tb_image(rng: random.Random, uid: str) -> str:
    return f"https://img.alicdn.com/bao/uploaded/i4/{uid}/O1CN01{_token(rng, 22)}_!!{uid}.jpg"


def _fixture_taobao_products() -> list[TaobaoProduct]:
    """The two products of the docs' examples, so the fixtures' ids work against the emulator."""
    liya = Shop(shop_id="457182444", name="利亚洛旗舰店", nick="利亚洛旗舰店", uid="2214273263487")
    ball_img = (
        "https://img.alicdn.com/bao/uploaded/i4/2214273263487/"
        "O1CN01hGtxe11bd69fM7PcS_!!2214273263487.jpg"
    )
    ball = TaobaoProduct(
        mp_id="4096919806436206",
        item_id=640517894512,
        title="哆啦a梦儿童拍拍球幼儿园小皮球2婴儿3岁宝宝静音无声西瓜球玩具",
        title_en="Doraemon kids bouncy ball",
        shop=liya,
        category_id="50015133",
        category_path="玩具/童车/益智/积木/模型->球类玩具",
        price=5245,
        promotion_price=5245,
        pic_url=ball_img,
        skus=(
            TaobaoSku(
                sku_id="36209282830190",
                price=5245,
                promotion_price=5245,
                quantity=120,
                pic_url=ball_img,
                post_fee=0,
                props=(
                    SkuProp(
                        prop_id=1627207,
                        prop_name="颜色分类",
                        prop_name_en="Color classification",
                        value_id=3232481,
                        value_name="小小羊【直径15】柔弹防爆 赠:气筒",
                        value_name_en="Little Lamb [Diameter 15] Soft and Elastic, "
                        "Explosion-Proof Free: Air Pump",
                    ),
                ),
            ),
        ),
        services=_json([_SERVICES[0]]),
        month_sold=860,
    )
    test_shop = Shop(
        shop_id="268763467", name="u[2206891060210]", nick="u[2206891060210]", uid="2206891060210"
    )
    dress = TaobaoProduct(
        mp_id="2048057995392326",
        item_id=672991141190,
        title="天穹发布商品,测试请不要拍",
        title_en="Test item, please do not buy",
        shop=test_shop,
        category_id="121452038",
        category_path="童装/婴儿装/亲子装->裙子(新)->连衣裙",
        price=1,
        promotion_price=1,
        pic_url=_tb_image(random.Random("fixture-dress"), "2206891060210"),
        skus=(
            TaobaoSku(
                sku_id="3452545926724",
                price=1,
                promotion_price=1,
                quantity=200,
                pic_url=None,
                post_fee=0,
                props=(
                    SkuProp(
                        prop_id=1627207,
                        prop_name="颜色分类",
                        prop_name_en="Color classification",
                        value_id=28326,
                        value_name="红色",
                        value_name_en="Red",
                    ),
                ),
            ),
            TaobaoSku(
                sku_id="3452545926725",
                price=1,
                promotion_price=1,
                quantity=200,
                pic_url=None,
                post_fee=0,
                props=(
                    SkuProp(
                        prop_id=1627207,
                        prop_name="颜色分类",
                        prop_name_en="Color classification",
                        value_id=28338,
                        value_name="蓝色",
                        value_name_en="Blue",
                    ),
                ),
            ),
        ),
        services=_json([_SERVICES[0]]),
    )
    return [ball, dress]


def build_taobao_products(rng: random.Random, shops: int) -> tuple[list[Shop], list[TaobaoProduct]]:
    """The shops and their products, drawn from the catalogue's ``rng`` (fixtures first)."""
    shop_list: list[Shop] = []
    for i in range(shops):
        name = _SHOP_NAMES[i % len(_SHOP_NAMES)] + ("" if i < len(_SHOP_NAMES) else str(i))
        shop_list.append(Shop(shop_id=_digits(rng, 9), name=name, nick=name, uid=_digits(rng, 13)))
    products: list[TaobaoProduct] = _fixture_taobao_products()
    for shop in shop_list:
        for _ in range(rng.randint(3, 6)):
            zh, en, path, cat, sized = rng.choice(_TAOBAO_TEMPLATES)
            prefix = rng.choice(_PREFIXES)
            base = rng.randrange(990, 19900, 10)
            pic = _tb_image(rng, shop.uid)
            n_sku = rng.randint(1, 4)
            skus = []
            for props in _sku_props(rng, sized, n_sku):
                price = base + rng.choice((0, 0, 100, 300))
                skus.append(
                    TaobaoSku(
                        sku_id=_digits(rng, 14),
                        price=price,
                        promotion_price=price - rng.choice((0, 0, 50)),
                        quantity=rng.randint(0, 500),
                        pic_url=_tb_image(rng, shop.uid) if rng.random() < 0.7 else None,
                        post_fee=rng.choice((0, 0, 0, 500, 800)),
                        props=props,
                    )
                )
            services = [_SERVICES[0]] + ([_SERVICES[1]] if rng.random() < 0.4 else [])
            products.append(
                TaobaoProduct(
                    mp_id="20480" + _digits(rng, 11),
                    item_id=int(_digits(rng, 12)),
                    title=f"{prefix}{zh}",
                    title_en=en,
                    shop=shop,
                    category_id=cat,
                    category_path=path,
                    price=min(s.price for s in skus),
                    promotion_price=min(s.promotion_price for s in skus),
                    pic_url=pic,
                    skus=tuple(skus),
                    services=_json(services),
                    month_sold=rng.randint(0, 5000),
                )
            )
    return shop_list, products
