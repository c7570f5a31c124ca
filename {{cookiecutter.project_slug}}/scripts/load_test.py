"""A bounded load test of a running server: N prediction requests from a few threads, then the figures.

Usage: `python scripts/load_test.py [--url http://127.0.0.1:8000] [--requests 200] [--concurrency 4]`.
It only talks to the URL given (default: this machine) and stops after the requests or --max-seconds.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "raw" / "sensor_sample.csv"


def sample_records(rows: int) -> list[dict[str, str]]:
    with SAMPLE.open(newline="") as handle:
        reader = csv.DictReader(handle)
        return [{key: value for key, value in row.items() if key != "class"} for row in islice(reader, rows)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rows", type=int, default=10, help="records per request")
    parser.add_argument("--max-seconds", type=float, default=60.0)
    arguments = parser.parse_args()
    if not arguments.url.startswith(("http://", "https://")):
        parser.error("--url must start with http:// or https://")
    body = json.dumps({"records": sample_records(arguments.rows)}).encode()
    deadline = time.monotonic() + arguments.max_seconds

    def one_request(_: int) -> tuple[float, bool]:
        if time.monotonic() > deadline:
            return 0.0, False
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            f"{arguments.url}/predict", data=body, headers={"content-type": "application/json"}
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - as above
                ok = response.status == 200
        except (urllib.error.URLError, TimeoutError):
            ok = False
        return time.perf_counter() - started, ok

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=arguments.concurrency) as pool:
        results = list(pool.map(one_request, range(arguments.requests)))
    elapsed = time.perf_counter() - started
    latencies = sorted(seconds * 1000 for seconds, ok in results if ok)
    errors = sum(1 for _, ok in results if not ok)
    if not latencies:
        raise SystemExit(f"all {errors} requests failed: is the server running at {arguments.url}?")
    percentile_99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    print(f"requests: {len(results)}  errors: {errors}  elapsed: {elapsed:.2f}s")
    print(f"throughput: {len(latencies) / elapsed:.1f} requests/s")
    print(f"latency p50: {statistics.median(latencies):.1f} ms  p99: {percentile_99:.1f} ms")


if __name__ == "__main__":
    main()
