"""xportcn-async: the async Python SDK for the Xportcn KA Open API.

>>> from xportcn_async import XportcnClient
>>> # async with XportcnClient.from_env() as xp:
>>> #     page = await xp.taobao.orders.list(page_num=1, page_size=50)
"""

from __future__ import annotations

from .client import XportcnClient
from .config import DEFAULT_BASE_URL, ClientConfig
from .endpoints import CATALOGUE, Endpoint, Paging, Provenance
from .errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    InvalidRequestError,
    OutcomeUnknownError,
    RateLimitError,
    ResponseDecodeError,
    ResponseTooLargeError,
    ServerError,
    StorageError,
    TransportError,
    XportcnError,
)
from .models import (
    AddressParam,
    AlibabaOrder,
    AlibabaOrderPreview,
    AlibabaOrderStatus,
    CargoParam,
    Message,
    MessageType,
    Page,
    RawResult,
    RefundStatus,
    TaobaoOrder,
    TaobaoOrderStatus,
)
from .options import RequestOptions, RetryPolicy
from .pagination import AsyncPager, PaginationError
from .signing import Clock, make_nonce, sign
from .transport import Attempt, Envelope, RawResponse, current_attempt
from .webhooks import MessageReceiver, message_handler, parse_message

__version__ = "0.1.0"

__all__ = [
    "CATALOGUE",
    "DEFAULT_BASE_URL",
    "APIError",
    "AddressParam",
    "AlibabaOrder",
    "AlibabaOrderPreview",
    "AlibabaOrderStatus",
    "AsyncPager",
    "Attempt",
    "AuthenticationError",
    "CargoParam",
    "ClientConfig",
    "Clock",
    "ConfigurationError",
    "Endpoint",
    "Envelope",
    "InvalidRequestError",
    "Message",
    "MessageReceiver",
    "MessageType",
    "OutcomeUnknownError",
    "Page",
    "PaginationError",
    "Paging",
    "Provenance",
    "RateLimitError",
    "RawResponse",
    "RawResult",
    "RefundStatus",
    "RequestOptions",
    "ResponseDecodeError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "ServerError",
    "StorageError",
    "TaobaoOrder",
    "TaobaoOrderStatus",
    "TransportError",
    "XportcnClient",
    "XportcnError",
    "__version__",
    "current_attempt",
    "make_nonce",
    "message_handler",
    "parse_message",
    "sign",
]
