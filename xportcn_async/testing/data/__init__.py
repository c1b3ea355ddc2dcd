"""Deterministic fake data for the emulator: catalogues, order records and their JSON documents.

One module per domain of :mod:`xportcn_async.resources`, plus the shared helpers:

- :mod:`._base`: China time, snowflake ids, per-order seeds, cheap RNG draws, SKU properties;
- :mod:`.address`: the Chinese addresses (warehouses, 1688 receivers, ``address.get``);
- :mod:`.taobao_products` / :mod:`.alibaba_products`: shops, products, offers, categories;
- :mod:`.alibaba_after_sales`: refund reasons and the carriers for return parcels;
- :mod:`.catalogue`: the :class:`Catalogue` that holds all of the above for one seed;
- :mod:`.taobao_orders` / :mod:`.alibaba_orders`: order records and their documents.

The overseas logistics and WMS endpoints have no seeded data (their handlers derive
freight quotes from the seed, or just record what they are sent).

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

from ._base import (
    CHINA_UTC_OFFSET,
    MAX_ORDERS,
    SNOWFLAKE_EPOCH_MS,
    SNOWFLAKE_MASK,
    TIME_FORMAT,
    SkuProp,
    china_time,
    order_seed,
    parse_china_time,
    snowflake,
    spread_times,
)
from .address import Address
from .alibaba_orders import (
    ALI_ID_BASE,
    ALI_ID_SUFFIX,
    ALI_OUT_BASE,
    ALIBABA_SHIPPED,
    ALIBABA_STATUSES,
    ALIBABA_UNPAID,
    AlibabaLine,
    AlibabaOrderRecord,
    alibaba_index_of,
    alibaba_index_of_out_id,
    alibaba_order_doc,
    alibaba_skeletons,
    pick_alibaba_lines,
)
from .alibaba_products import Category, Offer, OfferSku, Seller
from .catalogue import Catalogue, build_catalogue
from .taobao_orders import (
    REFUND_STATUSES,
    TAOBAO_STATUSES,
    TB_ID_BASE,
    TB_PURCHASE_BASE,
    TaobaoLine,
    TaobaoOrderRecord,
    pick_taobao_lines,
    taobao_index_of_order_no,
    taobao_index_of_purchase_id,
    taobao_order_doc,
    taobao_skeletons,
)
from .taobao_products import Shop, TaobaoProduct, TaobaoSku

__all__ = [
    "ALIBABA_SHIPPED",
    "ALIBABA_STATUSES",
    "ALIBABA_UNPAID",
    "ALI_ID_BASE",
    "ALI_ID_SUFFIX",
    "ALI_OUT_BASE",
    "CHINA_UTC_OFFSET",
    "MAX_ORDERS",
    "REFUND_STATUSES",
    "SNOWFLAKE_EPOCH_MS",
    "SNOWFLAKE_MASK",
    "TAOBAO_STATUSES",
    "TB_ID_BASE",
    "TB_PURCHASE_BASE",
    "TIME_FORMAT",
    "Address",
    "AlibabaLine",
    "AlibabaOrderRecord",
    "Catalogue",
    "Category",
    "Offer",
    "OfferSku",
    "Seller",
    "Shop",
    "SkuProp",
    "TaobaoLine",
    "TaobaoOrderRecord",
    "TaobaoProduct",
    "TaobaoSku",
    "alibaba_index_of",
    "alibaba_index_of_out_id",
    "alibaba_order_doc",
    "alibaba_skeletons",
    "build_catalogue",
    "china_time",
    "order_seed",
    "parse_china_time",
    "pick_alibaba_lines",
    "pick_taobao_lines",
    "snowflake",
    "spread_times",
    "taobao_index_of_order_no",
    "taobao_index_of_purchase_id",
    "taobao_order_doc",
    "taobao_skeletons",
]
