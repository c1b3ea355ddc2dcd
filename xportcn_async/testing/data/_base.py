"""Helpers shared by the data modules: China time, ids, cheap RNG draws, SKU properties.

Nothing here knows a platform: the time format and snowflake ids of order numbers,
the integer seed of one order's private RNG, the fast ``Random`` draws documents
use, and the colour/size properties both platforms' SKUs are made of.
"""

from __future__ import annotations

import calendar
import random
import time
from collections.abc import Sequence
from typing import Any, TypeVar

import attrs
import orjson

__all__ = [
    "CHINA_UTC_OFFSET",
    "MAX_ORDERS",
    "SNOWFLAKE_EPOCH_MS",
    "SNOWFLAKE_MASK",
    "TIME_FORMAT",
    "SkuProp",
    "china_time",
    "order_seed",
    "parse_china_time",
    "snowflake",
    "spread_times",
]


CHINA_UTC_OFFSET = 8 * 3600
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
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


@attrs.frozen(kw_only=True)
class SkuProp:
    """One SKU property (``颜色分类: 红色``) with its English translation."""

    prop_id: int
    prop_name: str
    prop_name_en: str
    value_id: int
    value_name: str
    value_name_en: str


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


def spread_times(rng: random.Random, n: int, start: int, end: int) -> list[int]:
    """``n`` sorted creation times in ``[start, end)``, denser towards ``end`` (growth)."""
    span = max(1, end - start)
    # sqrt of a uniform draw skews towards 1: more recent orders, like a growing shop.
    return sorted(start + int(span * rng.random() ** 0.5) for _ in range(n))


def _capped(ts: int, cap: int | None) -> int:
    return ts if cap is None else min(ts, cap)
