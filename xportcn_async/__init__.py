"""xportcn-async: the async Python SDK for the Xportcn KA Open API.

>>> from xportcn_async import XportcnClient
>>> # async with XportcnClient.from_env() as xp:
>>> #     page = await xp.taobao.orders.list(page_num=1, page_size=50)
"""

from __future__ import annotations

from .client import XportcnClient
from .config import DEFAULT_BASE_URL, ClientConfig, RetryPolicy
from .endpoints import CATALOGUE, Endpoint, Paging, Provenance
from .errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    InvalidRequestError,
    OutcomeUnknownError,
    RateLimitError,
    ResponseDecodeError,
    ServerError,
    TransportError,
    XportcnError,
)
from .signing import Clock, make_nonce, sign
from .transport import Envelope

__version__ = "0.1.0"

__all__ = [
    "CATALOGUE",
    "DEFAULT_BASE_URL",
    "APIError",
    "AuthenticationError",
    "ClientConfig",
    "Clock",
    "ConfigurationError",
    "Endpoint",
    "Envelope",
    "InvalidRequestError",
    "OutcomeUnknownError",
    "Paging",
    "Provenance",
    "RateLimitError",
    "ResponseDecodeError",
    "RetryPolicy",
    "ServerError",
    "TransportError",
    "XportcnClient",
    "XportcnError",
    "__version__",
    "make_nonce",
    "sign",
]
