"""Tables of the documentation generated from the code: the endpoint catalogue and the statuses.

A page holds a generated table between two markers::

    <!-- generated: endpoints -->
    | key | … |
    <!-- end generated -->

``mkdocs build`` (this module is a hook in ``mkdocs.yml``) rewrites every such region from
:data:`xportcn_async.endpoints.CATALOGUE`, :class:`~xportcn_async.models.TaobaoOrderStatus` and
:class:`~xportcn_async.models.AlibabaOrderStatus`, so the site cannot drift from the code. The
committed pages hold the same text, so they read correctly on GitHub too; ``tests/test_docs.py``
fails when they differ, and ``python docs/hooks.py`` rewrites them.

A status without a meaning below fails the build: a status added to an enum must be explained.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from xportcn_async.endpoints import CATALOGUE
from xportcn_async.models import AlibabaOrderStatus, TaobaoOrderStatus

__all__ = ["GENERATORS", "on_page_markdown", "render", "write_all"]

#: Meanings of the Taobao order statuses: the KA OrderStatusFlow doc (May 2026), with the raw
#: Taobao status it names where it names one.
TAOBAO_MEANINGS: Mapping[TaobaoOrderStatus, tuple[str, str]] = {
    TaobaoOrderStatus.ORDER_BULIDING: ("being created (the docs' spelling)", "BULIDING"),
    TaobaoOrderStatus.TAOBAO_ORDER_WAIT_BUYER_PAY: ("awaiting payment", "WAIT_BUYER_P"),
    TaobaoOrderStatus.ORDER_PAY_STATUS: ("paid, awaiting finance review", ""),
    TaobaoOrderStatus.ORDER_FINANCE_PASS_STATUS: ("finance approved", ""),
    TaobaoOrderStatus.ORDER_FINANCE_REFUSE_STATUS: ("finance rejected (final)", ""),
    TaobaoOrderStatus.WAIT_FINANCE_PAY: ("awaiting payment by finance", ""),
    TaobaoOrderStatus.WAIT_SELLER_SEND_GOODS: ("awaiting shipment", "WAIT_SELLER_SEND_GOODS"),
    TaobaoOrderStatus.WAIT_BUYER_CONFIRM_GOODS: ("shipped", "WAIT_BUYER_CONFIRM_GOODS"),
    TaobaoOrderStatus.CANCEL: ("closed / cancelled (final)", "TRADE_CLOSED"),
    TaobaoOrderStatus.OTHER_STATUS: ("anything else", ""),
}

#: Meanings of the 1688 order statuses: upstream 1688 trade API (UPSTREAM; the KA docs list the
#: values without explaining them).
ALIBABA_MEANINGS: Mapping[AlibabaOrderStatus, str] = {
    AlibabaOrderStatus.WAITBUYERPAY: "awaiting the buyer's payment",
    AlibabaOrderStatus.WAITSELLERSEND: "paid, awaiting shipment by the seller",
    AlibabaOrderStatus.WAITLOGISTICSTAKEIN: "awaiting pick-up by the carrier",
    AlibabaOrderStatus.WAITBUYERRECEIVE: "shipped, awaiting the buyer's receipt",
    AlibabaOrderStatus.WAITBUYERSIGN: "delivered, awaiting the buyer's signature",
    AlibabaOrderStatus.SIGNINSUCCESS: "signed for by the buyer",
    AlibabaOrderStatus.CONFIRM_GOODS: "receipt confirmed by the buyer",
    AlibabaOrderStatus.SUCCESS: "trade completed (final)",
    AlibabaOrderStatus.CANCEL: "cancelled (final)",
    AlibabaOrderStatus.TERMINATED: "terminated (final)",
}


def _meaning(table: Mapping[Any, Any], member: object) -> Any:
    try:
        return table[member]
    except KeyError:
        raise KeyError(
            f"{member!r} has no meaning in docs/hooks.py: explain every status there"
        ) from None


def endpoints_table() -> str:
    rows = [
        "| key | SDK method | HTTP | path | path provenance | retried | paging |",
        "|---|---|---|---|---|---|---|",
    ]
    for ep in CATALOGUE.values():
        rows.append(
            f"| `{ep.key}`{' ¹' if ep.dropped_in_newest_docs else ''} | `xp.{ep.key}()` "
            f"| {ep.method}{' multipart' if ep.multipart else ''} | `{ep.path}` "
            f"| {ep.provenance.value} | {'yes' if ep.idempotent else 'only if never sent'} "
            f"| {ep.paging.value if ep.paging.value != 'none' else '–'} |"
        )
    return "\n".join(rows)


def taobao_statuses_table() -> str:
    rows = [
        "| `status` | name | raw Taobao status | meaning |",
        "|---:|---|---|---|",
    ]
    for member in TaobaoOrderStatus:
        meaning, raw = _meaning(TAOBAO_MEANINGS, member)
        rows.append(
            f"| {member.value} | `{member.name}` | {f'`{raw}`' if raw else '–'} | {meaning} |"
        )
    return "\n".join(rows)


def alibaba_statuses_table() -> str:
    rows = ["| `status` | meaning |", "|---|---|"]
    for member in AlibabaOrderStatus:
        rows.append(f"| `{member.value}` | {_meaning(ALIBABA_MEANINGS, member)} |")
    return "\n".join(rows)


GENERATORS: Mapping[str, Callable[[], str]] = {
    "endpoints": endpoints_table,
    "taobao-statuses": taobao_statuses_table,
    "alibaba-statuses": alibaba_statuses_table,
}

_REGION = re.compile(r"(<!-- generated: ([a-z-]+) -->\n)(.*?)(<!-- end generated -->)", re.S)


def render(markdown: str) -> str:
    """``markdown`` with every generated region rewritten; an unknown region name is an error."""

    def replace(m: re.Match[str]) -> str:
        name = m.group(2)
        if name not in GENERATORS:
            raise KeyError(f"unknown generated table {name!r}; known: {', '.join(GENERATORS)}")
        return f"{m.group(1)}{GENERATORS[name]()}\n{m.group(4)}"

    return _REGION.sub(replace, markdown)


def on_page_markdown(markdown: str, **_: object) -> str:
    """The mkdocs hook: every page is rendered from the code as it is built."""
    return render(markdown)


def write_all(docs: Path = Path(__file__).parent) -> list[Path]:
    """Rewrite the generated regions of the committed pages; returns the pages changed."""
    changed = []
    for page in sorted(docs.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        new = render(text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed.append(page)
    return changed


if __name__ == "__main__":
    for path in write_all():
        print(f"rewrote {path}", file=sys.stderr)
