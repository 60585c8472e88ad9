"""Shared settings for the Python client tests.

The server under test is started by PythonClientTests (JUnit) and its base URL arrives in the
SIGNALR_BASE_URL environment variable, for example http://localhost:12345.
"""

import logging
import os

import pytest

BASE_URL_VARIABLE = "SIGNALR_BASE_URL"

# Upper bound for every single wait on the client (connect, result, callback, stream, stop).
TIMEOUT_SECONDS = 10.0

# The hub methods' error text with detailed errors on (interop application.yml).
THROW_EXCEPTION_ERROR = ("An unexpected error occurred invoking 'ThrowException' on the server. "
        "InvalidOperationException: {}")


@pytest.fixture(scope="session")
def base_url() -> str:
    url = os.environ.get(BASE_URL_VARIABLE)
    if not url:
        pytest.fail(f"{BASE_URL_VARIABLE} is not set; it must name the running interop server, "
                "e.g. http://localhost:5000", pytrace=False)
    return url.rstrip("/")


@pytest.fixture(autouse=True)
def client_logging(caplog):
    """Keeps the clients' own logs in the report of a failing test."""
    caplog.set_level(logging.DEBUG, logger="SignalRCoreClient")
    caplog.set_level(logging.DEBUG, logger="pysignalr")
