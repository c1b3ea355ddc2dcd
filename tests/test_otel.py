"""Tests of ``xportcn_async/otel.py``: OpenTelemetry's aiohttp client instrumentation makes one
span per attempt, named after the operation, carrying the attempt number and the request id,
against the emulator (a real local HTTP server) with a retried 5xx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry.instrumentation.aiohttp_client import AioHttpClientInstrumentor
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from xportcn_async import RetryPolicy, XportcnClient
from xportcn_async.otel import request_hook, response_hook, trace_config
from xportcn_async.testing import Emulator, FaultPlan, FaultRule


async def _no_sleep(_: float) -> None:
    return None


@pytest.fixture
def spans() -> Iterator[tuple[TracerProvider, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider, exporter
    provider.shutdown()


def _attrs(span: ReadableSpan) -> dict[str, object]:
    return dict(span.attributes or {})


def _status(attributes: dict[str, object]) -> object:
    # The instrumentation's semantic conventions: the new name, or the old one by default.
    return attributes.get("http.response.status_code", attributes.get("http.status_code"))


async def _list_with_one_5xx(xp: XportcnClient) -> str | None:
    raw = await xp.with_raw_response.taobao.orders.list(page_num=1, page_size=5)
    request_id: str | None = raw.request_id
    return request_id


def _flaky_emulator() -> Emulator:
    script = FaultRule(script=("server_error", "ok"))
    return Emulator(orders=20, faults=FaultPlan(endpoints={"taobao.orders.list": script}))


async def test_one_span_per_attempt_with_operation_attempt_and_request_id(
    spans: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = spans
    async with (
        _flaky_emulator() as emu,
        XportcnClient(
            **emu.credentials,
            base_url=emu.base_url,
            retry=RetryPolicy(sleep=_no_sleep),
            trace_configs=[trace_config(tracer_provider=provider)],
        ) as xp,
    ):
        request_id = await _list_with_one_5xx(xp)
    finished = exporter.get_finished_spans()
    assert [s.name for s in finished] == ["POST taobao.orders.list"] * 2
    failed, ok = (_attrs(s) for s in finished)
    assert failed["xportcn.operation"] == ok["xportcn.operation"] == "taobao.orders.list"
    assert (failed["xportcn.attempt"], ok["xportcn.attempt"]) == (1, 2)
    assert (_status(failed), _status(ok)) == (503, 200)
    assert request_id is not None
    assert ok["xportcn.request_id"] == request_id
    # The 5xx envelope has its own request id: support needs the failed attempt's too.
    assert isinstance(failed["xportcn.request_id"], str)
    assert failed["xportcn.request_id"] != request_id
    assert all(s.end_time is not None for s in finished)


async def test_raw_requests_are_named_by_method_and_path(
    spans: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = spans
    async with (
        Emulator(orders=5) as emu,
        XportcnClient(
            **emu.credentials,
            base_url=emu.base_url,
            trace_configs=[trace_config(tracer_provider=provider)],
        ) as xp,
    ):
        raw = await xp.request(
            "POST", "/open/purchase/page", json={"pageNum": 1, "pageSize": 2}, idempotent=True
        )
    (span,) = exporter.get_finished_spans()
    assert span.name == "POST /open/purchase/page"
    assert _attrs(span)["xportcn.operation"] == "POST /open/purchase/page"
    assert _attrs(span)["xportcn.request_id"] == raw.request_id


async def test_the_global_instrumentor_takes_the_same_hooks(
    spans: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = spans
    instrumentor = AioHttpClientInstrumentor()
    instrumentor.instrument(
        tracer_provider=provider, request_hook=request_hook, response_hook=response_hook
    )
    try:
        async with (
            _flaky_emulator() as emu,
            XportcnClient(
                **emu.credentials, base_url=emu.base_url, retry=RetryPolicy(sleep=_no_sleep)
            ) as xp,
        ):
            request_id = await _list_with_one_5xx(xp)
    finally:
        instrumentor.uninstrument()
    ours = [s for s in exporter.get_finished_spans() if "xportcn.operation" in _attrs(s)]
    assert [_attrs(s)["xportcn.attempt"] for s in ours] == [1, 2]
    assert _attrs(ours[1])["xportcn.request_id"] == request_id
