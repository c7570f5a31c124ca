"""GET /metrics in Prometheus' text format: requests and latencies by endpoint and status, errors, predictions
by label (or, for a measurement, their count and sum) and the model version in use.

A plain ASGI middleware (no per-request task or body copy) keeps the cost to a few counter updates per request.
Endpoints are labelled by their route template (`/train/{run_id}`), so labels stay few whatever the URLs.
"""

from __future__ import annotations

import time
from collections import Counter as Tally
from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.responses import Response
from numpy.typing import NDArray
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, Summary, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

METRICS_PATH = "/metrics"
UNMATCHED = "unmatched"
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class ModelVersionCollector(Collector):
    """`model_info{version="v0001"} 1`, read when scraped, so a promotion shows without a restart."""

    def __init__(self, current_version: Callable[[], str | None]) -> None:
        self.current_version = current_version

    def collect(self) -> Iterable[GaugeMetricFamily]:
        family = GaugeMetricFamily("model_info", "The production model version being served", labels=["version"])
        family.add_metric([self.current_version() or "none"], 1.0)
        yield family


class ServerMetrics:
    """The server's metrics, in a registry of their own (one per app, so test apps never share counts)."""

    def __init__(self, current_version: Callable[[], str | None]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests", "HTTP requests answered", ["endpoint", "method", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "Time to answer an HTTP request",
            ["endpoint", "method"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "http_errors", "Answers with a 4xx or 5xx status", ["endpoint", "kind"], registry=self.registry
        )
        self.predictions = Counter(
            "predictions", "Rows predicted, by predicted label", ["label"], registry=self.registry
        )
        self.registry.register(ModelVersionCollector(current_version))
        self._children: dict[tuple[str, str, int], tuple[Any, Any, Any]] = {}
        self._labelled: dict[Any, Any] = {}
        self.values = Summary("predicted_values", "Predicted values of a measurement", registry=self.registry)

    def count_values(self, values: NDArray[Any]) -> None:
        """A measurement's predictions: their count and sum, so a dashboard follows their mean over time."""
        for value in values.tolist():
            self.values.observe(value)

    def count_predictions(self, labels: Iterable[Any]) -> None:
        labels = list(labels)
        tally = {labels[0]: 1} if len(labels) == 1 else Tally(labels)
        for label, count in tally.items():
            child = self._labelled.get(label)
            if child is None:
                child = self._labelled[label] = self.predictions.labels(str(label))
            child.inc(count)

    def observe(self, endpoint: str, method: str, status: int, seconds: float) -> None:
        # The labelled children are looked up once per (endpoint, method, status), then reused.
        children = self._children.get((endpoint, method, status))
        if children is None:
            kind = "server" if status >= 500 else "client"
            error = self.errors.labels(endpoint, kind) if status >= 400 else None
            count, latency = self.requests.labels(endpoint, method, str(status)), self.latency.labels(endpoint, method)
            children = self._children[(endpoint, method, status)] = (count, latency, error)
        count, latency, error = children
        count.inc()
        latency.observe(seconds)
        if error is not None:
            error.inc()

    def exposition(self) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: ServerMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def remember_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, remember_status)
        finally:
            route = scope.get("route")
            endpoint = getattr(route, "path", UNMATCHED)
            if endpoint != METRICS_PATH:
                self.metrics.observe(endpoint, scope["method"], status, time.perf_counter() - started)


def install_metrics(app: FastAPI, current_version: Callable[[], str | None]) -> ServerMetrics:
    """Count every request of `app` and serve the counts at GET /metrics."""
    metrics = ServerMetrics(current_version)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.add_api_route(METRICS_PATH, metrics.exposition, methods=["GET"], include_in_schema=False)
    return metrics
