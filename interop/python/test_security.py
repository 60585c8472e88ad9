"""The Python clients against the conformance server's /authorizedhub (a bearer token required).

signalrcore takes the token from `access_token_factory` in its options, over WebSockets and
Server-Sent Events (its long-polling client sends its polls without the Authorization header, so a
secured hub cannot be reached with it: the first poll is refused with 401).
pysignalr calls its `access_token_factory` only after a handshake (for the next connection), so its
first connection carries the token as an `Authorization` header.
"""

import asyncio
import threading
import urllib.request
from urllib.error import HTTPError

import pytest
from pysignalr import exceptions as pysignalr_exceptions
from pysignalr.client import SignalRClient
from pysignalr.messages import CompletionMessage
from signalrcore.hub.errors import UnAuthorizedHubError
from signalrcore.hub_connection_builder import HubConnectionBuilder
from signalrcore.types import HttpTransportType

from conftest import TIMEOUT_SECONDS

TRANSPORTS = [
    pytest.param(HttpTransportType.web_sockets, id="websockets"),
    pytest.param(HttpTransportType.server_sent_events, id="sse"),
]


def fetch_token(base_url: str, user: str = "pythonuser") -> str:
    with urllib.request.urlopen(f"{base_url}/generateJwtToken?user={user}", timeout=TIMEOUT_SECONDS) as response:
        return response.read().decode("utf-8")


def signalrcore_connection(base_url: str, transport: HttpTransportType, token_factory=None):
    options: dict = {"transport": transport}
    if token_factory is not None:
        options["access_token_factory"] = token_factory
    return HubConnectionBuilder().with_url(base_url + "/authorizedhub", options=options).build()


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_signalrcore_echoes_with_token_from_access_token_factory(base_url, transport):
    calls = []

    def token_factory() -> str:
        calls.append(1)
        return fetch_token(base_url)

    connection = signalrcore_connection(base_url, transport, token_factory)
    opened, closed, completed = threading.Event(), threading.Event(), threading.Event()
    completions = []
    connection.on_open(opened.set)
    connection.on_close(closed.set)
    assert connection.start() is True
    try:
        assert opened.wait(TIMEOUT_SECONDS), "the handshake did not complete"

        def on_completion(message):
            completions.append(message)
            completed.set()

        connection.send("Echo", ["python with a token"], on_invocation=on_completion)
        assert completed.wait(TIMEOUT_SECONDS), "no completion for Echo"
        assert completions[0].error is None
        assert completions[0].result == "python with a token"
        assert calls, "the factory was asked for a token"
    finally:
        stopper = threading.Thread(target=connection.stop, daemon=True)
        stopper.start()
        stopper.join(TIMEOUT_SECONDS)
        assert not stopper.is_alive(), "stop() did not return in time"


def test_signalrcore_start_fails_with_the_negotiate_401_without_token(base_url):
    connection = signalrcore_connection(base_url, HttpTransportType.web_sockets)
    # signalrcore's HTTP helper raises on the 401 before its negotiation maps it to UnAuthorizedHubError
    with pytest.raises((HTTPError, UnAuthorizedHubError)) as raised:
        connection.start()
    if isinstance(raised.value, HTTPError):
        assert raised.value.code == 401


def run(scenario) -> None:
    async def bounded() -> None:
        await asyncio.wait_for(scenario(), TIMEOUT_SECONDS * 2)

    asyncio.run(bounded())


def test_pysignalr_echoes_with_bearer_header(base_url):
    token = fetch_token(base_url)

    async def scenario() -> None:
        client = SignalRClient(base_url + "/authorizedhub", headers={"Authorization": f"Bearer {token}"},
                access_token_factory=lambda: fetch_token(base_url))
        opened = asyncio.Event()
        result: asyncio.Future = asyncio.get_running_loop().create_future()

        async def on_open() -> None:
            opened.set()

        async def on_completion(message: CompletionMessage) -> None:
            if not result.done():
                result.set_result(message)

        client.on_open(on_open)
        task = asyncio.create_task(client.run())
        try:
            await asyncio.wait_for(opened.wait(), TIMEOUT_SECONDS)
            await client.send("Echo", ["pysignalr with a token"], on_invocation=on_completion)
            message = await asyncio.wait_for(result, TIMEOUT_SECONDS)
            assert message.error is None
            assert message.result == "pysignalr with a token"
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    run(scenario)


def test_pysignalr_run_fails_with_authorization_error_without_token(base_url):
    async def scenario() -> None:
        client = SignalRClient(base_url + "/authorizedhub")
        with pytest.raises(pysignalr_exceptions.AuthorizationError):
            await asyncio.wait_for(client.run(), TIMEOUT_SECONDS)

    run(scenario)
