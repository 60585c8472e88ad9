"""Shared settings and hooks of the legacy (ASP.NET SignalR 2) Python client tests.

The server under test is started by LegacyPythonClientTests (JUnit) and its base URL arrives in the
SIGNALR_BASE_URL environment variable, for example http://localhost:12345. Its legacy endpoint is
/signalr, with KeepAlive 2 s and DisconnectTimeout 6 s.
"""

import os
import time

import pytest
import requests

BASE_URL_VARIABLE = "SIGNALR_BASE_URL"

# Upper bound for every single wait on the client (connect, result, callback).
TIMEOUT_SECONDS = 10.0


@pytest.fixture(scope="session")
def base_url() -> str:
    url = os.environ.get(BASE_URL_VARIABLE)
    if not url:
        pytest.fail(f"{BASE_URL_VARIABLE} is not set; it must name the running interop server, "
                "e.g. http://localhost:5000", pytrace=False)
    return url.rstrip("/")


def events(base_url: str, connection_id: str) -> dict:
    """The server's lifecycle counts of one connection."""
    response = requests.get(f"{base_url}/legacy-test/events/{connection_id}", timeout=TIMEOUT_SECONDS)
    response.raise_for_status()
    return response.json()


def expect_event(base_url: str, connection_id: str, event: str, expected: int,
        timeout: float = TIMEOUT_SECONDS) -> dict:
    """Waits until the server counted exactly `expected` of `event` for the connection."""
    deadline = time.monotonic() + timeout
    counts = {}
    while time.monotonic() < deadline:
        counts = events(base_url, connection_id)
        if counts.get(event) == expected:
            return counts
        time.sleep(0.1)
    pytest.fail(f"{event} != {expected} for {connection_id} after {timeout} s: {counts}")
