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
* lean pydantic v2 (``benchmarks/pydantic_lean_models.py``): the same fields, no
  Python-level validation code, only what pydantic-core does natively (naive times,
  unknown keys ignored); the nested JSON documents either parsed eagerly (``Json[...]``)
  or typed as plain ``str`` (the like-for-like match of the SDK when nothing nested is
  read);
* msgspec (``benchmarks/msgspec_models.py``), the reference for the limit: the same
  fields as ``Struct`` s, the nested documents left as ``str``, or all decoded right
  after the page by typed decoders.

The column "nested JSON strings" says what each row does with ``createSubOrderResult``,
``subOrderResult`` and ``option_fields.serviceList`` / ``en`` / ``zh``: "none read" means
only the top-level and sub-order scalar fields exist as Python values; "every nested
field read" touches each of them. The ratio "speed vs lean pydantic, same work" compares
a row with the lean pydantic row doing the same nested work; the lines under the table
give the per-repetition ratios SDK / lean pydantic and SDK / msgspec.

"all at once" structures one list of every order; "pages of 50" structures the
same orders one page at a time, like the pager. Before timing, every model set is
checked to agree with the SDK on every field the benchmark can compare (ids, statuses,
amounts, times, sub-orders and, where decoded, their nested documents). The input is
built, then ``gc.freeze()`` moves it out of the collector's way, so each
contender pays only for collecting what it allocates. Each repetition runs every
contender in a rotating order; the table gives the median and the min–max.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
import pydantic_lean_models as plm
import pydantic_models as pm
from _common import Summary, make_orders, print_machine, ratio, table

from xportcn_async import serde
from xportcn_async.models import TaobaoOrderListData

try:
    import msgspec_models as ms
except ModuleNotFoundError as exc:  # msgspec: the bench extra
    if exc.name != "msgspec":
        raise
    print(
        "bench_structuring.py needs msgspec (the reference for the limit), which is not "
        "installed. Install the benchmark extras first:\n    pip install -e '.[bench]'",
        file=sys.stderr,
    )
    sys.exit(2)


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


def _ms(value: datetime | None) -> int | None:
    """An aware datetime as Unix milliseconds (how msgspec keeps ``close_time_without_payment``)."""
    return None if value is None else round(value.timestamp() * 1000)


def _wall(value: datetime | None) -> datetime | None:
    """China wall-clock time, naive (the SDK's aware datetimes are in China time)."""
    return None if value is None else value.replace(tzinfo=None)


def _id(value: Any) -> str | None:
    return None if value is None else str(value)


def _project_top(order: Any, subs: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    """The top-level and sub-order scalar fields, normalised across the model sets."""
    address = order.warehouse_address
    return (
        _id(order.id),
        order.order_no,
        _id(order.purchase_id),
        None if order.status is None else int(order.status),
        order.purchase_amount,
        _wall(order.create_time),
        _wall(order.pay_time),
        address.name,
        address.mobile_phone,
        _id(order.user_id),
        [
            (
                _id(sub.id),
                None if sub.refund_status is None else int(sub.refund_status),
                sub.refund_id or None,
                _id(sub.taobao_purchase_id),
                nested,
            )
            for sub, nested in zip(order.sub_orders, subs, strict=True)
        ],
    )


def _project_docs(
    create: Any, result: Any, services: Any, en: Any, zh: Any, close_ms: int | None
) -> tuple[Any, ...]:
    """The decoded nested documents of one sub-order, normalised across the model sets."""
    options = result.option_fields
    return (
        create.estimate_amount,
        _id(create.sub_purchase_order_id),
        result.title,
        close_ms,
        result.product_amount,
        _id(result.sub_purchase_order_id),
        result.sku_info.sku_img_url,
        [(s.code, s.desc, s.image_url) for s in services],
        en,
        zh,
        _id(options.shop_id),
        result.closed,
    )


def _docs_sdk(sub: Any) -> tuple[Any, ...]:
    result = sub.sub_order_result
    options = result.option_fields
    return _project_docs(
        sub.create_sub_order_result,
        result,
        options.service_list,
        options.en,
        options.zh,
        _ms(result.close_time_without_payment),
    )


def _docs_lean(sub: plm.TaobaoSubOrder) -> tuple[Any, ...]:
    result = sub.sub_order_result
    assert isinstance(result, plm.SubOrderResult)
    assert result.option_fields is not None
    options = result.option_fields
    return _project_docs(
        sub.create_sub_order_result,
        result,
        options.service_list,
        options.en,
        options.zh,
        _ms(result.close_time_without_payment),
    )


def _docs_msgspec(docs: ms.NestedDocs) -> tuple[Any, ...]:
    assert docs.result is not None
    return _project_docs(
        docs.create,
        docs.result,
        docs.service_list,
        docs.en,
        docs.zh,
        docs.result.close_time_without_payment,
    )


def check_lean_equivalent(head: dict[str, Any], sdk: list[Any]) -> None:
    """Lean pydantic (both variants) and msgspec (both rows) agree with the SDK.

    Compared: ids, order numbers, statuses, amounts, China wall-clock times, the address,
    the sub-orders' scalar fields and count, and either the nested documents decoded
    (``Json`` / ``decode_nested`` vs the SDK's lazily decoded ones) or, for the rows that
    leave them as ``str``, the strings exactly as sent.
    """
    page = orjson.dumps(head)
    wire = [
        [(s["createSubOrderResult"], s["subOrderResult"]) for s in order["subOrderVOS"]]
        for order in head["data"]
    ]
    eager = plm.LeanTaobaoOrderListData.model_validate_json(page).data
    as_str = plm.LeanStrTaobaoOrderListData.model_validate_json(page).data
    fast = ms.decode_page(page).data
    fast_nested = ms.decode_page_nested(page)
    for i, a in enumerate(sdk):
        docs = [_docs_sdk(s) for s in a.sub_orders]
        expected = _project_top(a, docs)
        expected_str = _project_top(a, wire[i])
        got = {
            "lean pydantic (Json)": _project_top(
                eager[i], [_docs_lean(s) for s in eager[i].sub_orders]
            ),
            "lean pydantic (str)": _project_top(
                as_str[i],
                [(s.create_sub_order_result, s.sub_order_result) for s in as_str[i].sub_orders],
            ),
            "msgspec (str)": _project_top(
                fast[i],
                [(s.create_sub_order_result, s.sub_order_result) for s in fast[i].sub_orders],
            ),
            "msgspec (nested decoded)": _project_top(
                fast_nested[i][0], [_docs_msgspec(d) for d in fast_nested[i][1]]
            ),
        }
        for name, projection in got.items():
            want = expected_str if "(str)" in name else expected
            if projection != want:
                raise AssertionError(
                    f"{name} disagrees with the SDK on order {a.id}:\n{want}\n{projection}"
                )
        if type(a.status) is not type(eager[i].status) or type(a.status) is not type(
            as_str[i].status
        ):
            raise AssertionError(f"lean pydantic status types differ on order {a.id}")


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
    check_lean_equivalent(head, sdk.data)
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
            plm.LeanStrTaobaoOrderListData.model_validate_json(page)

    def lean_pages() -> None:
        for page in pages:
            plm.LeanTaobaoOrderListData.model_validate_json(page)

    def msgspec_pages() -> None:
        for page in pages:
            ms.decode_page(page)

    def msgspec_pages_nested() -> None:
        for page in pages:
            ms.decode_page_nested(page)

    ps = args.page_size
    sdk_name = f"SDK, pages of {ps}"
    sdk_all_name = f"SDK, pages of {ps}, every nested field read"
    pyd_name = f"pydantic v2, pages of {ps}"
    lean_name = f"pydantic v2 lean, pages of {ps}"
    lean_str_name = f"pydantic v2 lean, pages of {ps} (nested typed str)"
    ms_name = f"msgspec, pages of {ps} (nested strings left as str)"
    ms_all_name = f"msgspec, pages of {ps}, nested decoded"
    none_read = "none read"
    lazy_all = "every nested field read (lazy)"
    eager = "all decoded eagerly"
    # (name, input, what happens to the JSON documents inside strings, function)
    cases: list[tuple[str, str, str, Callable[[], Any]]] = [
        ("orjson.loads → dicts (floor)", "bytes", "left as str", lambda: orjson.loads(raw)),
        ("json.loads → dicts", "bytes", "left as str", lambda: json.loads(raw)),
        (
            "SDK: orjson.loads + serde.structure",
            "bytes",
            none_read,
            lambda: serde.structure(orjson.loads(raw), TaobaoOrderListData),
        ),
        (
            "pydantic v2: model_validate_json",
            "bytes",
            eager,
            lambda: pm.TaobaoOrderListData.model_validate_json(raw),
        ),
        (
            "SDK: … + every nested field read",
            "bytes",
            lazy_all,
            lambda: read_nested(serde.structure(orjson.loads(raw), TaobaoOrderListData)),
        ),
        (
            "SDK: serde.structure",
            "dicts",
            none_read,
            lambda: serde.structure(decoded, TaobaoOrderListData),
        ),
        (
            "pydantic v2: model_validate",
            "dicts",
            eager,
            lambda: pm.TaobaoOrderListData.model_validate(decoded),
        ),
        (sdk_name, "bytes", none_read, sdk_pages),
        (sdk_all_name, "bytes", lazy_all, sdk_pages_read_all),
        (pyd_name, "bytes", eager, pydantic_pages),
        (lean_name, "bytes", eager + " (Json)", lean_pages),
        (lean_str_name, "bytes", none_read + " (str)", lean_str_pages),
        (ms_name, "bytes", none_read + " (str)", msgspec_pages),
        (ms_all_name, "bytes", eager + " (typed decoders)", msgspec_pages_nested),
    ]
    #: row → the lean pydantic row that does the same nested work (like for like)
    like = {
        sdk_name: lean_str_name,
        sdk_all_name: lean_name,
        pyd_name: lean_name,
        lean_name: lean_name,
        lean_str_name: lean_str_name,
        ms_name: lean_str_name,
        ms_all_name: lean_name,
    }
    for _, _, _, fn in cases:  # warm up: generated code, caches, pydantic schemas
        fn()
    gc.collect()
    gc.freeze()  # the input is not what is being measured
    if args.no_gc:
        gc.disable()

    timings: dict[str, list[float]] = {name: [] for name, _, _, _ in cases}
    for rep in range(args.reps):
        order = cases[rep % len(cases) :] + cases[: rep % len(cases)]
        for name, _, _, fn in order:
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
    page_base = Summary.of(timings[pyd_name]).median
    floor = Summary.of(timings["orjson.loads → dicts (floor)"]).median
    rows = []
    for name, source, nested, _ in cases:
        s = Summary.of([t * 1e6 / n for t in timings[name]])
        median_s = s.median * n / 1e6
        vs_pyd = page_base if "pages" in name else base[source]
        peer = like.get(name)
        rows.append(
            [
                name,
                source,
                nested,
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
                "nested JSON strings",
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
        "nested JSON strings: what the row does with createSubOrderResult, subOrderResult and "
        "option_fields.serviceList/en/zh (none read = only top-level and sub-order scalar "
        "fields). speed vs pydantic: pydantic's time (validators) / this time, same input "
        "(> 1× = faster); speed vs lean pydantic, same work: the lean pydantic row with the "
        "same nested work (typed str when none is read, Json when all are) / this time; "
        "time vs orjson.loads: this time / plain orjson.loads of the same bytes."
    )
    print()

    def per_rep(num: str, den: str) -> Summary:
        """den's time / num's time, repetition by repetition (> 1× = num is faster)."""
        return Summary.of([d / t for t, d in zip(timings[num], timings[den], strict=True)])

    target = 1.5
    comparisons = [
        (
            "SDK (none read) vs lean pydantic (nested typed str), like for like",
            sdk_name,
            lean_str_name,
        ),
        (
            "SDK (every nested field read) vs lean pydantic (Json), like for like",
            sdk_all_name,
            lean_name,
        ),
        (
            "SDK (none read) vs lean pydantic (Json): the SDK skips the nested work",
            sdk_name,
            lean_name,
        ),
        ("SDK (none read) vs msgspec (nested left as str)", sdk_name, ms_name),
        ("SDK (every nested field read) vs msgspec (nested decoded)", sdk_all_name, ms_all_name),
    ]
    print(f"Per-repetition speed ratios, pages of {ps} (median (min–max) of {args.reps}):")
    print()
    for label, num, den in comparisons:
        r = per_rep(num, den)
        verdict = ""
        if "lean" in label:
            met = "met" if r.median >= target else f"not met ({r.median / target:.0%} of it)"
            verdict = f" — target ≥ {target}×: {met}"
        print(f"* {label}: {r.median:.2f}× ({r.lo:.2f}–{r.hi:.2f}){verdict}")


if __name__ == "__main__":
    main()
