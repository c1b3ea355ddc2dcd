"""A local fake Xportcn server for demos, the SDK's tests and your tests.

>>> from xportcn_async.testing import Emulator, FaultPlan, FaultRule
>>> # async with Emulator(orders=2000, seed=1) as emu:
>>> #     async with XportcnClient(**emu.credentials, base_url=emu.base_url) as xp: ...

See :mod:`xportcn_async.testing.emulator` for the business codes and
``docs/emulator.md`` for the guide. The pytest fixtures ``xportcn_emulator`` and
``xportcn_client`` live in :mod:`xportcn_async.testing.pytest_plugin`.
"""

from __future__ import annotations

from .emulator import DEFAULT_CREDENTIALS, Counters, Credentials, Emulator, run, serve_forever
from .faults import FAULT_KINDS, FaultPlan, FaultRule
from .push import Delivery, DeliveryAttempt, build_message
from .state import EmulatorState

__all__ = [
    "DEFAULT_CREDENTIALS",
    "FAULT_KINDS",
    "Counters",
    "Credentials",
    "Delivery",
    "DeliveryAttempt",
    "Emulator",
    "EmulatorState",
    "FaultPlan",
    "FaultRule",
    "build_message",
    "run",
    "serve_forever",
]
