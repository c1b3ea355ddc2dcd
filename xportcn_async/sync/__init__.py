"""Bulk order sync: stores and the sync engine (``xportcn sync orders`` uses these)."""

from __future__ import annotations

from .engine import SyncStats, sync_orders
from .postgres import PostgresStore
from .records import FINAL_STATUSES, alibaba_record, taobao_record
from .store import OrderRecord, OrderStore, SaveResult, SQLiteStore, SubOrderRecord, SyncState

__all__ = [
    "FINAL_STATUSES",
    "OrderRecord",
    "OrderStore",
    "PostgresStore",
    "SQLiteStore",
    "SaveResult",
    "SubOrderRecord",
    "SyncState",
    "SyncStats",
    "alibaba_record",
    "sync_orders",
    "taobao_record",
]
