"""Structuring 10,000 Taobao orders of the docs' shape: the SDK's converter vs pydantic v2 vs dicts.

    python benchmarks/bench_structuring.py [--orders 10000] [--reps 7]

The orders are the docs' example order (``tests/fixtures/taobao_order_list.response.json``)
cloned with varied ids, times and amounts, one to three sub-orders each, with their
JSON documents inside strings (see ``_common.make_orders``). Contenders:

* ``orjson.loads`` / ``json.loads``: plain dicts, no models (the floor);
* the SDK: ``serde.structure(orjson.loads(raw), TaobaoOrderListData)`` — what
  ``xp.taobao.orders.list`` does with a page — and from already decoded dicts. The
  SDK decodes the JSON documents inside strings on first access, so the rows
  "every nested field read" also read all of them (pydantic decodes them always);
* pydantic v2: equivalent models (``benchmarks/pydantic_models.py``), from bytes
  (``model_validate_json``) and from dicts (``model_validate``);
* lean pydantic v2 and msgspec (``benchmarks/lean_models.py``): no Python-level
  validators, only what pydantic-core / msgspec do natively (naive times, no enums);
  the nested JSON documents either left as ``str`` (like-for-like with the SDK, which
  decodes them only when read) or decoded eagerly (like-for-like with the SDK rows that
  read every nested field). msgspec is the reference for the limit.

"all at once" structures one list of every order; "pages of 50" structures the
same orders one page at a time, like the pager. Before timing, the two model
sets are checked to agree on every field the benchmark can compare. The input is
built, then ``gc.freeze()`` moves it out of the collector's way, so each
contender pays only for collecting what it allocates. Each repetition runs every
contender in a rotating order; the table gives the median and the min–max.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from collections.abc import Callable
from typing import Any

import orjson
import pydantic_models as pm
from _common import Summary, make_orders, print_machine, ratio, table

try:
    import lean_models as lean
except ImportError as exc:  # msgspec: the bench extra
    raise SystemExit(f"{exc}: install the benchmark extras: pip install -e '.[bench]'") from exc

from xportcn_async import serde
from xportcn_async.models import TaobaoOrderListData


def _project_sdk(order: Any) -> tuple[Any, ...]:
    subs = []
    for sub in order.sub_orders:
        result = sub.sub_order_result
        options = result.option_fields
        subs.append(
            (
                sub.id,
                sub.refund_status,
                sub.refund_id,
                sub.taobao_purchase_id,
                sub.create_sub_order_result.estimate_amount,
                sub.create_sub_order_result.sub_purchase_order_id,
                result.title,
                result.close_time_without_payment,
                result.product_amount,
                result.sub_purchase_order_id,
                result.sku_info.sku_img_url,
                [(s.code, s.desc, s.image_url) for s in options.service_list],
                options.en,
                options.zh,
                options.shop_id,
                result.closed,
            )
        )
    address = order.warehouse_address
    return (
        order.id,
        order.order_no,
        order.purchase_id,
        order.status,
        order.purchase_amount,
        order.create_time,
        order.create_time.utcoffset(),  # +08:00 (the SDK: a fixed offset; pydantic: a ZoneInfo)
        order.pay_time,
        address.name,
        address.mobile_phone,
        order.user_id,
        subs,
    )


def _project_pydantic(order: Any) -> tuple[Any, ...]:
    projection = _project_sdk(order)
    # pydantic keeps "" where the SDK reads None (documented in pydantic_models.py).
    subs = [(*s[:2], s[2] or None, *s[3:]) for s in projection[-1]]
    return (*projection[:-1], subs)


def read_nested(page: Any) -> Any:
    """Read every JSON-in-string field of a page (the SDK decodes them on first access)."""
    for order in page.data:
        for sub in order.sub_orders:
            _ = sub.create_sub_order_result
            result = sub.sub_order_result
            options = result.option_fields if result is not None else None
            if options is not None:
                _ = (options.service_list, options.en, options.zh)
    return page


def check_equivalent(data: dict[str, Any], raw: bytes, sample: int = 500) -> int:
    """The SDK and pydantic models agree on the compared fields of the first orders."""
    head = {"total": data["total"], "data": data["data"][:sample]}
    sdk = serde.structure(head, TaobaoOrderListData)
    pyd = pm.TaobaoOrderListData.model_validate(head)
    pyd_json = pm.TaobaoOrderListData.model_validate_json(orjson.dumps(head))
    for a, b, c in zip(sdk.data, pyd.data, pyd_json.data, strict=True):
        left, right = _project_sdk(a), _project_pydantic(b)
        if left != right or right != _project_pydantic(c):
            raise AssertionError(f"the models disagree on order {a.id}:\n{left}\n{right}")
        if type(a.status) is not type(b.status):
            raise AssertionError(f"status types differ: {type(a.status)} {type(b.status)}")
    lean_str = lean.LeanStrPage.model_validate_json(orjson.dumps(head))
    lean_eager = lean.LeanEagerPage.model_validate_json(orjson.dumps(head))
    fast = lean.msgspec_page(orjson.dumps(head))
    for a, ls, le, m in zip(sdk.data, lean_str.data, lean_eager.data, fast.data, strict=True):
        same = (
            a.id == ls.id == le.id == str(m.id)
            and int(a.status or 0) == (ls.status or 0) == (m.status or 0)
            and a.purchase_amount == ls.purchase_amount == m.purchase_amount
            and len(a.sub_orders) == len(ls.sub_orders) == len(m.sub_orders)
        )
        for sa, se in zip(a.sub_orders, le.sub_orders, strict=True):
            result, eager = sa.sub_order_result, se.sub_order_result
            if result is not None:
                same = same and not isinstance(eager, str) and eager is not None
                same = same and result.title == eager.title  # type: ignore[union-attr]
        if not same:
            raise AssertionError(f"the lean models disagree with the SDK on order {a.id}")
    return len(sdk.data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=7, help="repetitions (median of them)")
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument(
        "--no-gc", action="store_true", help="disable the cyclic garbage collector while timing"
    )
    args = parser.parse_args()
    n = args.orders
    run_started = time.monotonic()

    data = {"total": n, "data": make_orders(n)}
    raw = orjson.dumps(data)
    decoded = orjson.loads(raw)
    pages = [
        orjson.dumps({"total": n, "data": data["data"][i : i + args.page_size]})
        for i in range(0, n, args.page_size)
    ]
    compared = check_equivalent(decoded, raw)
    del data

    def sdk_pages() -> None:
        for page in pages:
            serde.structure(orjson.loads(page), TaobaoOrderListData)

    def sdk_pages_read_all() -> None:
        # Nested JSON strings are decoded on first access: read every one of them.
        for page in pages:
            read_nested(serde.structure(orjson.loads(page), TaobaoOrderListData))

    def pydantic_pages() -> None:
        for page in pages:
            pm.TaobaoOrderListData.model_validate_json(page)

    def lean_str_pages() -> None:
        for page in pages:
            lean.LeanStrPage.model_validate_json(page)

    def lean_eager_pages() -> None:
        for page in pages:
            lean.LeanEagerPage.model_validate_json(page)

    def msgspec_pages() -> None:
        for page in pages:
            lean.msgspec_page(page)

    def msgspec_pages_nested() -> None:
        for page in pages:
            lean.msgspec_page_nested(page)

    ps = args.page_size
    sdk_name = f"SDK, pages of {ps}"
    sdk_all_name = f"SDK, pages of {ps}, every nested field read"
    lean_str_name = f"lean pydantic v2, pages of {ps}, nested left as str"
    lean_eager_name = f"lean pydantic v2, pages of {ps}, nested decoded (Json)"
    #: row → the lean pydantic row that does the same work (like for like)
    like = {sdk_name: lean_str_name, sdk_all_name: lean_eager_name}
    cases: list[tuple[str, str, Callable[[], Any]]] = [
        ("orjson.loads → dicts (floor)", "bytes", lambda: orjson.loads(raw)),
        ("json.loads → dicts", "bytes", lambda: json.loads(raw)),
        (
            "SDK: orjson.loads + serde.structure",
            "bytes",
            lambda: serde.structure(orjson.loads(raw), TaobaoOrderListData),
        ),
        (
            "pydantic v2: model_validate_json",
            "bytes",
            lambda: pm.TaobaoOrderListData.model_validate_json(raw),
        ),
        (
            "SDK: … + every nested field read",
            "bytes",
            lambda: read_nested(serde.structure(orjson.loads(raw), TaobaoOrderListData)),
        ),
        ("SDK: serde.structure", "dicts", lambda: serde.structure(decoded, TaobaoOrderListData)),
        (
            "pydantic v2: model_validate",
            "dicts",
            lambda: pm.TaobaoOrderListData.model_validate(decoded),
        ),
        (sdk_name, "bytes", sdk_pages),
        (sdk_all_name, "bytes", sdk_pages_read_all),
        (f"pydantic v2, pages of {ps}", "bytes", pydantic_pages),
        (lean_str_name, "bytes", lean_str_pages),
        (lean_eager_name, "bytes", lean_eager_pages),
        (f"msgspec, pages of {ps}, nested left as str", "bytes", msgspec_pages),
        (f"msgspec, pages of {ps}, nested decoded", "bytes", msgspec_pages_nested),
    ]
    for _, _, fn in cases:  # warm up: generated code, caches, pydantic schemas
        fn()
    gc.collect()
    gc.freeze()  # the input is not what is being measured
    if args.no_gc:
        gc.disable()

    timings: dict[str, list[float]] = {name: [] for name, _, _ in cases}
    for rep in range(args.reps):
        order = cases[rep % len(cases) :] + cases[: rep % len(cases)]
        for name, _, fn in order:
            gc.collect()
            started = time.perf_counter()
            result = fn()
            timings[name].append(time.perf_counter() - started)
            del result

    print_machine()
    print(
        f"# {n:,} orders ({len(raw) / n:,.0f} bytes of JSON each, two sub-orders on average), "
        f"{args.reps} repetitions; models checked equal on {compared} orders; "
        f"garbage collector {'off' if args.no_gc else 'on (default thresholds)'}; "
        f"{time.monotonic() - run_started:.0f} s in all"
    )
    print()
    base = {
        "bytes": Summary.of(timings["pydantic v2: model_validate_json"]).median,
        "dicts": Summary.of(timings["pydantic v2: model_validate"]).median,
    }
    page_base = Summary.of(timings[f"pydantic v2, pages of {args.page_size}"]).median
    floor = Summary.of(timings["orjson.loads → dicts (floor)"]).median
    rows = []
    for name, source, _ in cases:
        s = Summary.of([t * 1e6 / n for t in timings[name]])
        median_s = s.median * n / 1e6
        vs_pyd = page_base if "pages" in name else base[source]
        peer = like.get(name)
        rows.append(
            [
                name,
                source,
                s.fmt(1),
                f"{n / median_s:,.0f}",
                ratio(vs_pyd, median_s),
                ratio(Summary.of(timings[peer]).median, median_s) if peer else "–",
                ratio(median_s, floor),
            ]
        )
    print(
        table(
            [
                "contender",
                "from",
                "µs/order median (min–max)",
                "orders/s",
                "speed vs pydantic",
                "speed vs lean pydantic, same work",
                "time vs orjson.loads",
            ],
            rows,
        )
    )
    print()
    print(
        "speed vs pydantic: pydantic's time / this time, same input (> 1× = faster than "
        "pydantic); speed vs lean pydantic: the lean pydantic row doing the same work (nested "
        "documents left as strings, or all decoded); time vs orjson.loads: this time / plain "
        "orjson.loads of the same bytes."
    )


if __name__ == "__main__":
    main()
