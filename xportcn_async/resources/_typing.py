"""``TypedDict`` keyword arguments (PEP 692) on every supported Python.

Python 3.11+ has these in :mod:`typing`; on 3.10 they come from
``typing_extensions``, which the SDK's own dependencies (aiohttp, cattrs)
install there: no new dependency.
"""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    from typing import NotRequired, Required, TypedDict, Unpack
else:  # pragma: no cover - Python 3.10
    from typing_extensions import NotRequired, Required, TypedDict, Unpack

__all__ = ["NotRequired", "Required", "TypedDict", "Unpack"]
