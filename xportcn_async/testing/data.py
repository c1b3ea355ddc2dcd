"""Deterministic fake data for the emulator: catalogues, order records and their JSON documents.

Everything here is a pure function of a seed (and, for orders, of the order's own
record), drawn from private :class:`random.Random` instances, never from the global
``random`` state. Orders are generated in two steps so that 20,000 of them cost
almost nothing up front:

1. a *skeleton* per order (creation time, status, index), generated for all orders
   at start-up, sorted by creation time;
2. the full JSON *document*, built on first use from a private ``Random`` seeded
   with ``(seed, platform, index)`` (:func:`order_seed`), so the same order always
   gets the same document whatever the order in which pages are requested.

The documents copy the shapes of the docs' examples (``tests/fixtures``) key for
key: JSON documents encoded as strings inside ``subOrderVOS``, integer fen,
``"YYYY-MM-DD HH:MM:SS"`` China times, ids that are numbers in one field and
strings in the next.
"""

from __future__ import annotations

import base64
import calendar
import random
import time
from collections.abc import Sequence
from typing import Any, TypeVar

import attrs
import orjson

__all__ = [
    "ALIBABA_STATUSES",
    "REFUND_STATUSES",
    "TAOBAO_STATUSES",
    "AlibabaOrderRecord",
    "Catalogue",
    "Offer",
    "OfferSku",
    "TaobaoOrderRecord",
    "TaobaoProduct",
    "TaobaoSku",
    "alibaba_order_doc",
    "build_catalogue",
    "china_time",
    "parse_china_time",
    "taobao_order_doc",
]

CHINA_UTC_OFFSET = 8 * 3600
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

#: Taobao order ``status`` codes (spec §4.1) and the raw Taobao status string each shows.
TAOBAO_STATUSES: dict[int, str] = {
    12: "BULIDING",
    0: "WAIT_BUYER_P",
    1: "WAIT_BUYER_P",
    2: "WAIT_BUYER_P",
    3: "WAIT_BUYER_P",
    5: "WAIT_BUYER_P",
    10: "WAIT_SELLER_SEND_GOODS",
    11: "WAIT_BUYER_CONFIRM_GOODS",
    4: "TRADE_CLOSED",
    9: "TRADE_FINISHED",
}
_TAOBAO_WEIGHTS: dict[int, int] = {
    12: 2,
    0: 10,
    1: 4,
    2: 3,
    3: 1,
    5: 2,
    10: 18,
    11: 30,
    4: 12,
    9: 18,
}
_TAOBAO_PAID = frozenset({1, 2, 3, 5, 9, 10, 11})
#: Sub-order ``refundStatus`` codes (spec §4.1).
REFUND_STATUSES: tuple[int, ...] = (0, 10, 20, 30, 100, -10, -20)

#: 1688 order statuses (spec §4.4) with their share of generated orders.
ALIBABA_STATUSES: dict[str, int] = {
    "waitbuyerpay": 8,
    "waitsellersend": 15,
    "waitlogisticstakein": 3,
    "waitbuyerreceive": 15,
    "waitbuyersign": 3,
    "signinsuccess": 5,
    "confirm_goods": 3,
    "success": 35,
    "cancel": 10,
    "terminated": 3,
}
ALIBABA_UNPAID = frozenset({"waitbuyerpay", "cancel"})
ALIBABA_SHIPPED = frozenset(
    {"waitbuyerreceive", "waitbuyersign", "signinsuccess", "confirm_goods", "success"}
)

# Id schemes that can be inverted without an index (see OrderBook lookups in state.py).
TB_ID_BASE = 230000
TB_PURCHASE_BASE = 200100000005
ALI_ID_BASE = 2887400000000000000
ALI_ID_SUFFIX = 134260  # 1688 order ids end with the buyer's member digits
ALI_OUT_BASE = 205500000000
SNOWFLAKE_EPOCH_MS = 1288834974657
SNOWFLAKE_MASK = (1 << 22) - 1
MAX_ORDERS = SNOWFLAKE_MASK  # the index lives in the low 22 bits of an orderNo


def china_time(ts: float) -> str:
    """Format Unix seconds as ``"YYYY-MM-DD HH:MM:SS"`` in China time (UTC+8, no DST)."""
    return time.strftime(TIME_FORMAT, time.gmtime(int(ts) + CHINA_UTC_OFFSET))


def parse_china_time(value: str, *, end_of_day: bool = False) -> int:
    """Parse a China-time string into Unix seconds.

    Accepts ``"YYYY-MM-DD HH:MM:SS"``, ``"YYYY-MM-DD"`` (midnight, or 23:59:59 with
    ``end_of_day``) and 1688's ``"yyyyMMddHHmmssSSS+0800"``. Raises ``ValueError``.
    """
    text = value.strip()
    if len(text) == 10:
        ts = calendar.timegm(time.strptime(text, "%Y-%m-%d")) - CHINA_UTC_OFFSET
        return ts + 86399 if end_of_day else ts
    if len(text) >= 14 and text[:14].isdigit():
        return calendar.timegm(time.strptime(text[:14], "%Y%m%d%H%M%S")) - CHINA_UTC_OFFSET
    return calendar.timegm(time.strptime(text, TIME_FORMAT)) - CHINA_UTC_OFFSET


def snowflake(ms: int, low: int) -> int:
    """A 19-digit, time-ordered id like the ones Xportcn uses for order numbers."""
    return ((ms - SNOWFLAKE_EPOCH_MS) << 22) | (low & SNOWFLAKE_MASK)


def order_seed(seed: int, platform: int, index: int) -> int:
    """The integer seed of one order's private RNG (integer seeding is cheap)."""
    return (seed * 4 + platform) * (MAX_ORDERS + 1) + index


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _digits(rng: random.Random, n: int) -> str:
    low = 10 ** (n - 1)
    return str(low + rng.getrandbits(64) % (9 * low))


# Cheaper than Random.choice/randint/sample (pure-Python rejection sampling): documents
# draw dozens of values each, and thousands of documents are built per sync walk.
_T = TypeVar("_T")


def _choice(rng: random.Random, seq: Sequence[_T]) -> _T:
    return seq[int(rng.random() * len(seq))]


def _randint(rng: random.Random, a: int, b: int) -> int:
    return a + int(rng.random() * (b - a + 1))


def _sample(rng: random.Random, seq: Sequence[_T], k: int) -> list[_T]:
    if k == 1:
        return [_choice(rng, seq)]
    pool = list(seq)
    out = []
    for _ in range(min(k, len(pool))):
        out.append(pool.pop(int(rng.random() * len(pool))))
    return out


def _token(rng: random.Random, n: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(rng.choice(alphabet) for _ in range(n))


# --------------------------------------------------------------------------- catalogue


@attrs.frozen(kw_only=True)
class SkuProp:
    """One SKU property (``颜色分类: 红色``) with its English translation."""

    prop_id: int
    prop_name: str
    prop_name_en: str
    value_id: int
    value_name: str
    value_name_en: str


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


@attrs.frozen(kw_only=True)
class Address:
    """A Chinese address (warehouses and 1688 receivers)."""

    name: str
    mobile: str
    province: str
    city: str
    district: str
    town: str
    address: str
    post_code: str
    division_code: str


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


_COLORS = (
    ("红色", "Red", 28326),
    ("黑色", "Black", 28341),
    ("白色", "White", 28320),
    ("蓝色", "Blue", 28338),
    ("粉色", "Pink", 3232480),
    ("灰色", "Grey", 28334),
    ("绿色", "Green", 28335),
    ("卡其色", "Khaki", 28331),
)
_SIZES = (("S", "S", 28314), ("M", "M", 28315), ("L", "L", 28316), ("XL", "XL", 28317))
_COLOR_PROP = (1627207, "颜色分类", "Color classification")
_SIZE_PROP = (20509, "尺码", "Size")

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
_PREFIXES = (
    "2026新款",
    "ins风",
    "韩版",
    "便携",
    "简约",
    "原创",
    "网红同款",
    "大容量",
    "高颜值",
    "",
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
_ADDRESSES = (
    Address(
        name="张三",
        mobile="13800138000",
        province="浙江省",
        city="杭州市",
        district="西湖区",
        town="文新街道",
        address="文三路90号东部软件园3号楼",
        post_code="310012",
        division_code="330106",
    ),
    Address(
        name="李四",
        mobile="13912345678",
        province="广东省",
        city="东莞市",
        district="虎门镇",
        town="虎门镇",
        address="连升中路88号跨境仓A区",
        post_code="523900",
        division_code="441900",
    ),
    Address(
        name="王五",
        mobile="13698765432",
        province="浙江省",
        city="金华市",
        district="义乌市",
        town="稠城街道",
        address="国际商贸城五区东门集运仓",
        post_code="322000",
        division_code="330782",
    ),
    Address(
        name="赵六",
        mobile="13511112222",
        province="广东省",
        city="深圳市",
        district="宝安区",
        town="福永街道",
        address="福海工业区12栋2楼",
        post_code="518103",
        division_code="440306",
    ),
)
_REFUND_REASONS = {
    "refundWaitSellerSend": (
        (20001, "拍错/多拍/不想要", False, False, "未发货订单可直接退款"),
        (20002, "协商一致退款", False, False, ""),
        (20003, "缺货", False, False, ""),
        (20004, "未按约定时间发货", False, False, ""),
    ),
    "refundWaitBuyerReceive": (
        (20011, "快递一直未送到", False, False, ""),
        (20012, "快递无跟踪记录", False, False, ""),
        (20013, "空包裹/少货", True, False, "请上传包裹照片"),
    ),
    "refundBuyerReceived": (
        (20021, "质量问题", True, False, "请上传商品问题照片"),
        (20022, "大小/尺寸与商品描述不符", True, False, ""),
        (20023, "七天无理由退货", False, True, "退货运费由买家承担"),
        (20024, "卖家发错货", True, False, ""),
    ),
}
_REFUND_REASONS["aftersaleBuyerNotReceived"] = _REFUND_REASONS["refundWaitBuyerReceive"]
_REFUND_REASONS["aftersaleBuyerReceived"] = _REFUND_REASONS["refundBuyerReceived"]
_LOGISTICS_COMPANIES = (
    (1, "顺丰速运", "SF", "95338", True, "shunfeng"),
    (2, "圆通速递", "YTO", "95554", True, "yuantong"),
    (3, "中通快递", "ZTO", "95311", True, "zhongtong"),
    (4, "申通快递", "STO", "95543", True, "shentong"),
    (5, "韵达快递", "YUNDA", "95546", True, "yunda"),
    (6, "京东物流", "JD", "950616", False, "jingdong"),
    (7, "中国邮政", "POST", "11183", False, "youzheng"),
    (8, "德邦快递", "DBL", "95353", True, "debang"),
)


def _tb_image(rng: random.Random, uid: str) -> str:
    return f"https://img.alicdn.com/bao/uploaded/i4/{uid}/O1CN01{_token(rng, 22)}_!!{uid}.jpg"


def _cbu_image(rng: random.Random, uid: str) -> str:
    return f"https://cbu01.alicdn.com/img/ibank/O1CN01{_token(rng, 22)}_!!{uid}-0-cib.jpg"


def _sku_props(rng: random.Random, with_size: bool, n: int) -> list[tuple[SkuProp, ...]]:
    colors = rng.sample(_COLORS, k=min(n, len(_COLORS)))
    out = []
    for i in range(n):
        zh, en, vid = colors[i % len(colors)]
        props = [
            SkuProp(
                prop_id=_COLOR_PROP[0],
                prop_name=_COLOR_PROP[1],
                prop_name_en=_COLOR_PROP[2],
                value_id=vid,
                value_name=zh,
                value_name_en=en,
            )
        ]
        if with_size:
            szh, sen, svid = _SIZES[i % len(_SIZES)]
            props.append(
                SkuProp(
                    prop_id=_SIZE_PROP[0],
                    prop_name=_SIZE_PROP[1],
                    prop_name_en=_SIZE_PROP[2],
                    value_id=svid,
                    value_name=szh,
                    value_name_en=sen,
                )
            )
        out.append(tuple(props))
    return out


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


def build_catalogue(seed: int, *, shops: int = 12, offers: int = 120) -> Catalogue:
    """Build the static catalogue for ``seed`` (a few hundred objects: milliseconds)."""
    rng = random.Random(f"{seed}/catalogue")
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
    taobao_by_id: dict[str, TaobaoProduct] = {}
    by_shop: dict[str, list[TaobaoProduct]] = {}
    for p in products:
        taobao_by_id[p.mp_id] = p
        taobao_by_id[str(p.item_id)] = p
        by_shop.setdefault(p.shop.shop_id, []).append(p)

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
    offers_by_seller: dict[str, list[Offer]] = {}
    for o in offer_list:
        offers_by_seller.setdefault(o.seller.member_id, []).append(o)

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
    reasons = {
        status: tuple(
            {
                "id": rid,
                "name": name,
                "needVoucher": voucher,
                "noRefundCarriage": no_carriage,
                "tip": tip,
            }
            for rid, name, voucher, no_carriage, tip in items
        )
        for status, items in _REFUND_REASONS.items()
    }
    companies = tuple(
        {
            "id": cid,
            "companyName": name,
            "companyNo": no,
            "companyPhone": phone,
            "supportPrint": support,
            "spelling": spelling,
        }
        for cid, name, no, phone, support, spelling in _LOGISTICS_COMPANIES
    )
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


# --------------------------------------------------------------------------- order records

TaobaoLine = tuple[TaobaoProduct, TaobaoSku, int]
AlibabaLine = tuple[Offer, OfferSku, int]


class TaobaoOrderRecord:
    """One Taobao purchase order: the skeleton plus its cached JSON document.

    The document is a pure function of the fields below; mutating a field must
    go through :meth:`touch` so the cache is rebuilt.
    """

    __slots__ = (
        "doc",
        "frag",
        "index",
        "lines",
        "outer_id",
        "pay_ts",
        "receiver",
        "refund_hint",
        "remark",
        "status",
        "ts",
    )

    def __init__(self, index: int, ts: int, status: int) -> None:
        self.index = index
        self.ts = ts
        self.status = status
        self.pay_ts: int | None = None
        self.lines: tuple[TaobaoLine, ...] | None = None  # None: drawn from the order's seed
        self.receiver: dict[str, Any] | None = None
        self.refund_hint: int | None = None
        self.remark: str | None = None
        #: ``purchaseOrderOuterId``: the caller's ``sellerOrderNumber`` for created orders.
        self.outer_id: str | None = None
        self.doc: dict[str, Any] | None = None
        self.frag: orjson.Fragment | None = None

    @property
    def key(self) -> tuple[int, int]:
        """Sort key: creation time, then id."""
        return (self.ts, self.index)

    @property
    def order_id(self) -> str:
        """The ``id`` field."""
        return str(TB_ID_BASE + self.index)

    @property
    def purchase_id(self) -> int:
        """The ``purchaseId`` field (Taobao main purchase order id)."""
        return TB_PURCHASE_BASE + self.index * 10

    @property
    def order_no(self) -> str:
        """The ``orderNo`` field: a snowflake of the creation time and the index."""
        return str(snowflake(self.ts * 1000 + (self.index * 7919) % 1000, self.index))

    def touch(self) -> None:
        """Drop the cached document after a change."""
        self.doc = None
        self.frag = None


class AlibabaOrderRecord:
    """One 1688 order (TradeInfo): skeleton fields plus the cached document."""

    __slots__ = (
        "doc",
        "flow",
        "frag",
        "index",
        "lines",
        "logistics",
        "message",
        "modify_ts",
        "out_order_id",
        "pay_ts",
        "receiver",
        "refund_status",
        "refunds",
        "ship_ts",
        "status",
        "ts",
    )

    def __init__(self, index: int, ts: int, status: str) -> None:
        self.index = index
        self.ts = ts
        self.status = status
        self.pay_ts: int | None = None
        self.ship_ts: int | None = None
        self.modify_ts: int | None = None
        self.lines: tuple[AlibabaLine, ...] | None = None
        self.receiver: Address | dict[str, Any] | None = None
        self.out_order_id: str | None = None if index % 5 == 4 else str(ALI_OUT_BASE + index * 7)
        self.flow = "general"
        self.message: str | None = None
        self.refund_status: str | None = None
        self.refunds: dict[int, str] = {}  # subItemID -> item refund status
        self.logistics: list[dict[str, Any]] | None = None
        self.doc: dict[str, Any] | None = None
        self.frag: orjson.Fragment | None = None

    @property
    def key(self) -> tuple[int, int]:
        """Sort key: creation time, then id."""
        return (self.ts, self.index)

    @property
    def order_id(self) -> int:
        """``baseInfo.id``: a 19-digit number ending in the buyer's member digits."""
        return ALI_ID_BASE + self.index * 1_000_000 + ALI_ID_SUFFIX

    @property
    def order_no(self) -> str:
        """Xportcn's own order number for this 1688 order (used in messages)."""
        return "PO" + china_time(self.ts)[:10].replace("-", "") + f"{self.index:06d}"

    def touch(self) -> None:
        """Drop the cached document after a change."""
        self.doc = None
        self.frag = None


def alibaba_index_of(order_id: object) -> int | None:
    """Invert :attr:`AlibabaOrderRecord.order_id` (None when it cannot be ours)."""
    try:
        rest = int(str(order_id).strip()) - ALI_ID_BASE - ALI_ID_SUFFIX
    except ValueError:
        return None
    if rest < 0 or rest % 1_000_000:
        return None
    return rest // 1_000_000


def alibaba_index_of_out_id(out_order_id: str) -> int | None:
    """Invert the generated ``outOrderId`` scheme (None when it is not a generated one)."""
    if not out_order_id.isdigit():
        return None
    rest = int(out_order_id) - ALI_OUT_BASE
    if rest < 0 or rest % 7:
        return None
    return rest // 7


def taobao_index_of_order_no(order_no: object) -> int | None:
    """The index hidden in an ``orderNo`` (the caller checks that the order matches)."""
    try:
        value = int(str(order_no).strip())
    except ValueError:
        return None
    return value & SNOWFLAKE_MASK if value > 0 else None


def taobao_index_of_purchase_id(purchase_id: object) -> int | None:
    """Invert :attr:`TaobaoOrderRecord.purchase_id`."""
    try:
        rest = int(str(purchase_id).strip()) - TB_PURCHASE_BASE
    except ValueError:
        return None
    if rest < 0 or rest % 10:
        return None
    return rest // 10


def spread_times(rng: random.Random, n: int, start: int, end: int) -> list[int]:
    """``n`` sorted creation times in ``[start, end)``, denser towards ``end`` (growth)."""
    span = max(1, end - start)
    # sqrt of a uniform draw skews towards 1: more recent orders, like a growing shop.
    return sorted(start + int(span * rng.random() ** 0.5) for _ in range(n))


def taobao_skeletons(seed: int, n: int, start: int, end: int) -> list[TaobaoOrderRecord]:
    """``n`` Taobao order skeletons, oldest first, covering every status and refund status."""
    rng = random.Random(f"{seed}/taobao-orders")
    times = spread_times(rng, n, start, end)
    codes = list(_TAOBAO_WEIGHTS)
    statuses = rng.choices(codes, weights=list(_TAOBAO_WEIGHTS.values()), k=n)
    records = [
        TaobaoOrderRecord(i, ts, st) for i, (ts, st) in enumerate(zip(times, statuses, strict=True))
    ]
    # Every status and every refund status appears at least once (when n allows).
    forced = rng.sample(range(n), k=min(n, len(codes) + len(REFUND_STATUSES) - 1))
    for pos, status in zip(forced, codes, strict=False):
        records[pos].status = status
    for pos, refund in zip(forced[len(codes) :], REFUND_STATUSES[1:], strict=False):
        records[pos].status = 11
        records[pos].refund_hint = refund
    return records


def alibaba_skeletons(seed: int, n: int, start: int, end: int) -> list[AlibabaOrderRecord]:
    """``n`` 1688 order skeletons, oldest first, covering every status."""
    rng = random.Random(f"{seed}/alibaba-orders")
    times = spread_times(rng, n, start, end)
    names = list(ALIBABA_STATUSES)
    statuses = rng.choices(names, weights=list(ALIBABA_STATUSES.values()), k=n)
    records = [
        AlibabaOrderRecord(i, ts, st)
        for i, (ts, st) in enumerate(zip(times, statuses, strict=True))
    ]
    for pos, status in zip(rng.sample(range(n), k=min(n, len(names))), names, strict=False):
        records[pos].status = status
    return records


# --------------------------------------------------------------------------- documents


def _capped(ts: int, cap: int | None) -> int:
    return ts if cap is None else min(ts, cap)


def pick_taobao_lines(rng: random.Random, cat: Catalogue) -> tuple[TaobaoLine, ...]:
    """One to three lines from a single shop (one purchase order = one supplier)."""
    shop = _choice(rng, cat.shops)
    products = cat.products_by_shop[shop.shop_id]
    lines = []
    for product in _sample(rng, products, k=min(len(products), _choice(rng, (1, 1, 1, 2, 2, 3)))):
        lines.append((product, _choice(rng, product.skus), _choice(rng, (1, 1, 1, 2, 2, 3))))
    return tuple(lines)


def _warehouse(rng: random.Random, cat: Catalogue) -> dict[str, Any]:
    a = _choice(rng, cat.addresses)
    return {
        "state": a.province,
        "zip": a.post_code if rng.random() < 0.5 else None,
        "country": "中国",
        "address": f"{a.province}{a.city}{a.district}{a.address}",
        "phone": a.mobile,
        "city": a.city,
        "district": a.district if rng.random() < 0.5 else None,
        "name": a.name,
        "mobilePhone": None,
        "mobile_phone": None,
        "taxId": None,
    }


def taobao_order_doc(
    seed: int,
    rec: TaobaoOrderRecord,
    cat: Catalogue,
    *,
    user_id: str,
    user_name: str,
    now: int | None = None,
) -> dict[str, Any]:
    """The order exactly as ``/open/purchase/page`` returns it (fixture key order).

    Generated times (payment) never pass ``now``, the end of the data's time range.
    """
    cap = max(rec.ts, now) if now is not None else None
    rng = random.Random(order_seed(seed, 1, rec.index))
    lines = rec.lines if rec.lines is not None else pick_taobao_lines(rng, cat)
    status = rec.status
    raw = TAOBAO_STATUSES.get(status, "OTHER")
    paid = status in _TAOBAO_PAID or (status == 4 and rng.random() < 0.3)
    pay_ts = rec.pay_ts
    if pay_ts is None and paid:
        pay_ts = _capped(rec.ts + _randint(rng, 20, 3600), cap)
    order_no = rec.order_no
    purchase_id = rec.purchase_id
    outer_id = _digits(rng, 19)  # drawn even when set, so the rest of the order is unchanged
    outer_id = rec.outer_id or outer_id
    alipay_no = china_time(rec.ts)[:10].replace("-", "") + "2300" + _digits(rng, 14)
    ms = rec.ts * 1000 + (rec.index * 7919) % 1000
    subs = []
    total = 0
    for k, (product, sku, qty) in enumerate(lines):
        sub_pid = purchase_id + 1 + k
        product_amount = sku.price * qty
        amount = product_amount + sku.post_fee
        total += amount
        refund = 0
        if k == 0 and rec.refund_hint is not None:
            refund = rec.refund_hint
        elif status in (9, 10, 11) and rng.random() < 0.06:
            refund = _choice(rng, REFUND_STATUSES[1:])
        image = sku.pic_url or product.pic_url
        line_no = f"LINE{k + 1:03d}"
        create_result = {
            "quantity": qty,
            "order_line_no": line_no,
            "item_id": product.mp_id,
            "estimate_amount": amount + _choice(rng, (0, 120, 360, 720)),
            "sku_id": sku.sku_id,
            "estimate_currency": "CNY",
            "sub_purchase_order_id": sub_pid,
        }
        result = {
            "purchase_order_outer_id": outer_id,
            "purchase_order_line_outer_id": outer_id if k == 0 else _digits(rng, 19),
            "close_time_without_payment": str((rec.ts + 3 * 86400) * 1000),
            "product_amount": str(product_amount),
            "quantity": qty,
            "title": product.title,
            "purchase_currency": "CNY",
            "purchase_amount": amount,
            "item_id": product.mp_id,
            "domestic_post_fee": sku.post_fee,
            "pay_currency": "CNY",
            "sub_purchase_order_id": str(sub_pid),
            "sku_id": sku.sku_id,
            "sku_info": {"skuImgUrl": image},
            "status": raw,
            "alipay_pay_order_no": alipay_no,
            "option_fields": {
                "supplierNick": product.shop.nick,
                "serviceList": product.services,
                "en": sku.en_json,
                "shopName": product.shop.name,
                "shopId": product.shop.shop_id,
                "zh": sku.zh_json,
            },
            "closed": status == 4,
        }
        refund_id = "" if refund == 0 else _digits(rng, 18)
        refund_order = (
            None
            if refund == 0
            else _json({"refund_id": refund_id, "refund_status": refund, "refund_fee": amount})
        )
        subs.append(
            {
                "id": str(snowflake(ms + 6858 + k, rec.index * 4 + k)),
                "orderNo": order_no,
                "subOrderStatus": raw,
                "taobaoRefundOrder": refund_order,
                "createSubOrderResult": _json(create_result),
                "subOrderResult": _json(result),
                "taobaoPurchaseId": str(purchase_id),
                "taobaoSubPurchaseId": str(sub_pid),
                "errorCode": None,
                "errorMessage": None,
                "refundStatus": refund,
                "refundId": refund_id,
                "itemImageUrl": image,
            }
        )
    remark = rec.remark
    if remark is None and rec.lines is None and rng.random() < 0.1:
        remark = _choice(rng, ("请尽快发货", "不要放发票", "加固包装"))
    return {
        "id": rec.order_id,
        "purchaseId": purchase_id,
        "orderNo": order_no,
        "createTime": china_time(rec.ts),
        "payTime": china_time(pay_ts) if pay_ts is not None else None,
        "purchaseAmount": total,
        "warehouseAddressInfoVO": rec.receiver or _warehouse(rng, cat),
        "remark": remark,
        "subOrderVOS": subs,
        "orderLineList": None,
        "userName": user_name,
        "userId": user_id,
        "status": status,
        "orderStatusDesc": raw,
        "supplierNick": lines[0][0].shop.nick if lines else None,
        "purchaseOrderOuterId": outer_id,
    }


def pick_alibaba_lines(rng: random.Random, cat: Catalogue) -> tuple[AlibabaLine, ...]:
    """One to three lines from one seller."""
    seller = _choice(rng, cat.sellers)
    offers = cat.offers_by_seller.get(seller.member_id) or cat.offers[:1]
    lines = []
    for offer in _sample(rng, offers, k=min(len(offers), _choice(rng, (1, 1, 2, 3)))):
        qty = offer.min_order_quantity * _choice(rng, (1, 2, 2, 5, 10))
        lines.append((offer, _choice(rng, offer.skus), qty))
    return tuple(lines)


def alibaba_order_doc(
    seed: int, rec: AlibabaOrderRecord, cat: Catalogue, *, now: int | None = None
) -> dict[str, Any]:
    """The TradeInfo of one 1688 order as list/detail return it (times never pass ``now``)."""
    cap = max(rec.ts, now) if now is not None else None
    rng = random.Random(order_seed(seed, 2, rec.index))
    lines = rec.lines if rec.lines is not None else pick_alibaba_lines(rng, cat)
    status = rec.status
    receiver = rec.receiver if rec.receiver is not None else _choice(rng, cat.addresses)
    pay_ts = rec.pay_ts
    if pay_ts is None and status not in ALIBABA_UNPAID:
        pay_ts = _capped(rec.ts + _randint(rng, 30, 7200), cap)
    ship_ts = rec.ship_ts
    if ship_ts is None and status in ALIBABA_SHIPPED and pay_ts is not None:
        ship_ts = _capped(pay_ts + _randint(rng, 3600, 3 * 86400), cap)
    order_id = rec.order_id
    items = []
    product_total = 0
    shipping = max((offer.carriage for offer, _, _ in lines), default=0)
    for k, (offer, sku, qty) in enumerate(lines):
        amount = sku.price * qty
        product_total += amount
        sub_id = order_id + 1 + k  # numerically close, like the real ones
        items.append(
            {
                "productID": offer.offer_id,
                "skuID": sku.sku_id,
                "specId": sku.spec_id,
                "name": offer.subject,
                "price": sku.price,
                "quantity": qty,
                "itemAmount": amount,
                "subItemID": sub_id,
                "subItemIDString": str(sub_id),
                "status": status,
                "refundStatus": rec.refunds.get(sub_id),
                "productImgUrl": [offer.images[0]],
                "skuInfos": [{"name": p.prop_name, "value": p.value_name} for p in sku.attributes],
                "unit": offer.unit,
            }
        )
    receiver_info: dict[str, Any]
    native: dict[str, Any]
    if isinstance(receiver, Address):
        receiver_info = {
            "toFullName": receiver.name,
            "toMobile": receiver.mobile,
            "toPhone": "",
            "toPost": receiver.post_code,
            "toArea": f"{receiver.province} {receiver.city} {receiver.district} {receiver.address}",
            "toDivisionCode": receiver.division_code,
            "toTownCode": "",
        }
        native = {
            "address": receiver.address,
            "area": receiver.district,
            "areaCode": receiver.division_code,
            "city": receiver.city,
            "contactPerson": receiver.name,
            "mobile": receiver.mobile,
            "province": receiver.province,
            "telephone": "",
            "zip": receiver.post_code,
            "town": receiver.town,
            "townCode": "",
        }
    else:
        receiver_info = {
            "toFullName": receiver.get("fullName"),
            "toMobile": receiver.get("mobile"),
            "toPhone": receiver.get("phone") or "",
            "toPost": receiver.get("postCode"),
            "toArea": " ".join(
                str(receiver.get(f) or "")
                for f in ("provinceText", "cityText", "areaText", "townText", "address")
            ).strip(),
            "toDivisionCode": receiver.get("districtCode"),
            "toTownCode": "",
        }
        native = {
            "address": receiver.get("address"),
            "area": receiver.get("areaText"),
            "areaCode": receiver.get("districtCode"),
            "city": receiver.get("cityText"),
            "contactPerson": receiver.get("fullName"),
            "mobile": receiver.get("mobile"),
            "province": receiver.get("provinceText"),
            "telephone": receiver.get("phone") or "",
            "zip": receiver.get("postCode"),
            "town": receiver.get("townText"),
            "townCode": "",
        }
    logistics = rec.logistics
    if logistics is None:
        logistics = []
        if ship_ts is not None:
            company = _choice(rng, cat.logistics_companies)
            logistics.append(
                {
                    "logisticsCode": "BX" + _digits(rng, 12),
                    "logisticsCompanyName": company["companyName"],
                    "logisticsCompanyNo": company["companyNo"],
                    "logisticsBillNo": company["companyNo"] + _digits(rng, 13),
                    "deliveredTime": china_time(ship_ts),
                    "status": "alreadysend",
                    "subItemIds": ",".join(str(i["subItemID"]) for i in items),
                }
            )
    native["logisticsItems"] = logistics
    seller = lines[0][0].seller if lines else cat.sellers[0]
    modify_ts = rec.modify_ts or ship_ts or pay_ts or rec.ts
    complete = status in ("success", "cancel", "terminated")
    return {
        "baseInfo": {
            "id": order_id,
            "idOfStr": str(order_id),
            "businessType": "cn",
            "buyerID": "b2b-22142732634870c5e1",
            "sellerID": seller.member_id,
            "sellerLoginId": seller.login_id,
            "sellerOpenId": seller.open_uid,
            "status": status,
            "tradeType": "50060",
            "flow": rec.flow,
            "createTime": china_time(rec.ts),
            "modifyTime": china_time(modify_ts),
            "payTime": china_time(pay_ts) if pay_ts is not None else None,
            "allDeliveredTime": china_time(ship_ts) if ship_ts is not None else None,
            "completeTime": china_time(modify_ts) if complete else None,
            "totalAmount": product_total + shipping,
            "sumProductPayment": product_total,
            "shippingFee": shipping,
            "discount": 0,
            "refund": 0,
            "refundStatus": rec.refund_status,
            "outOrderId": rec.out_order_id or "",
            "buyerMemo": rec.message,
            "receiverInfo": receiver_info,
        },
        "productItems": items,
        "nativeLogistics": native,
    }
