"""The emulator's layout: one handler per catalogue endpoint, in its domain's module."""

from __future__ import annotations

import itertools

import pytest

from xportcn_async.endpoints import CATALOGUE
from xportcn_async.testing import Emulator, data, handlers

# Endpoint key prefix -> the handlers module (and data module, when it has seeded data).
DOMAINS = {
    "address.": "address",
    "logistics.": "logistics",
    "alibaba.products.": "alibaba_products",
    "alibaba.orders.": "alibaba_orders",
    "alibaba.after_sales.": "alibaba_after_sales",
    "taobao.products.": "taobao_products",
    "taobao.orders.": "taobao_orders",
    "wms.": "wms",
}

DOMAIN_CLASSES = [
    handlers.AddressHandlers,
    handlers.LogisticsHandlers,
    handlers.AlibabaProductHandlers,
    handlers.AlibabaOrderHandlers,
    handlers.AlibabaAfterSalesHandlers,
    handlers.TaobaoProductHandlers,
    handlers.TaobaoOrderHandlers,
    handlers.WmsHandlers,
]


def _domain(key: str) -> str:
    (module,) = [m for prefix, m in DOMAINS.items() if key.startswith(prefix)]
    return module


def test_every_endpoint_has_exactly_one_handler() -> None:
    table = Emulator(orders=10, seed=0).handlers.table
    assert sorted(table) == sorted(CATALOGUE)
    methods = [h.__func__ for h in table.values()]  # type: ignore[attr-defined]
    assert len(set(methods)) == len(methods), "two endpoint keys share a handler"


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_handler_lives_in_its_domain_module(key: str) -> None:
    handler = Emulator(orders=1, seed=0).handlers.table[key]
    expected = f"xportcn_async.testing.handlers.{_domain(key)}"
    assert handler.__func__.__module__ == expected  # type: ignore[attr-defined]


def test_domain_mixins_do_not_shadow_each_other() -> None:
    own = {cls: {n for n in vars(cls) if not n.startswith("__")} for cls in DOMAIN_CLASSES}
    for a, b in itertools.combinations(DOMAIN_CLASSES, 2):
        assert not own[a] & own[b], f"{a.__name__} and {b.__name__} both define {own[a] & own[b]}"
    assert set(handlers.Handlers.__mro__[1:-2]) == set(DOMAIN_CLASSES)


@pytest.mark.parametrize("package", [data, handlers])
def test_package_reexports_resolve(package: object) -> None:
    names = package.__all__  # type: ignore[attr-defined]
    assert len(set(names)) == len(names)
    missing = [n for n in names if not hasattr(package, n)]
    assert not missing
