"""signalr-client-threads 0.0.12 against the legacy endpoint (LEGACY-PROTOCOL.md §13 items 19 and 20),
on webSockets and, with its WebSocket transport refused, serverSentEvents.

Client quirks worked around here: it picks webSockets whenever the server offers it, so the SSE case
patches WebSocketsTransport.accept; results only surface through connection.received and hub errors
through connection.error; close() on webSockets sends no /abort (the server ends the connection by
timeout), on serverSentEvents it sends GET /abort.
"""

import queue

import pytest
from requests import Session
from signalr import Connection
from signalr.transports._ws_transport import WebSocketsTransport

from conftest import TIMEOUT_SECONDS, events, expect_event


@pytest.mark.parametrize("transport", ["webSockets", "serverSentEvents"])
def test_calls_receives_broadcasts_errors_and_closes(base_url, transport, monkeypatch):
    if transport == "serverSentEvents":
        monkeypatch.setattr(WebSocketsTransport, "accept", lambda self, negotiate_data: False)
    with Session() as session:
        connection = Connection(f"{base_url}/signalr", session)
        chat = connection.register_hub("ChatHub")
        messages = queue.Queue()
        results = queue.Queue()
        errors = queue.Queue()
        chat.client.on("addMessage", lambda name, message: messages.put(f"{name}:{message}"))
        connection.received += lambda **data: results.put(data) if "I" in data else None
        connection.error += lambda error: errors.put(error)
        connection.start()
        try:
            expect_event(base_url, connection.id, "connected", 1)

            chat.server.invoke("Echo", "x")
            result = results.get(timeout=TIMEOUT_SECONDS)
            assert result["I"] == "0"
            assert result["R"] == "x"

            chat.server.invoke("Add", 2, 3)
            assert results.get(timeout=TIMEOUT_SECONDS) == {"I": "1", "R": 5}

            chat.server.invoke("Send", "python", f"over {transport}")
            assert messages.get(timeout=TIMEOUT_SECONDS) == f"python:over {transport}"

            chat.server.invoke("ThrowHub")
            assert errors.get(timeout=TIMEOUT_SECONDS) == "Hub error 42"
        finally:
            connection.close()
    if transport == "serverSentEvents":
        counts = expect_event(base_url, connection.id, "disconnectedStopCalled", 1, timeout=2)
    else:
        # no /abort: DisconnectThreshold (5 s) + DisconnectTimeout (6 s)
        counts = expect_event(base_url, connection.id, "disconnectedTimeout", 1, timeout=25)
    assert counts["connected"] == 1
    assert events(base_url, connection.id)["disconnectedStopCalled" if transport == "webSockets"
            else "disconnectedTimeout"] == 0
