"""signalr-client-threads 0.0.12 on the persistent connection /echo (LEGACY-PROTOCOL.md §13 item 21),
over webSockets and, with its WebSocket transport refused, serverSentEvents: what it sends comes back
as a message of the connection's received event.

Client bug worked around: its serverSentEvents send parses the /send response as JSON, and a persistent
connection's /send answers 200 with an empty body (the reference's answer too), so the call raises after
the data was sent and accepted.
"""

import json
import queue

import pytest
from requests import Session
from signalr import Connection
from signalr.transports._ws_transport import WebSocketsTransport

from conftest import TIMEOUT_SECONDS


@pytest.mark.parametrize("transport", ["webSockets", "serverSentEvents"])
def test_persistent_connection_echoes(base_url, transport, monkeypatch):
    if transport == "serverSentEvents":
        monkeypatch.setattr(WebSocketsTransport, "accept", lambda self, negotiate_data: False)
    with Session() as session:
        connection = Connection(f"{base_url}/echo", session)
        messages = queue.Queue()
        connection.received += lambda **data: [messages.put(message) for message in data.get("M", [])]
        connection.start()
        try:
            try:
                connection.send(f"hello over {transport}")
            except json.JSONDecodeError:
                assert transport == "serverSentEvents"
            assert messages.get(timeout=TIMEOUT_SECONDS) == f"hello over {transport}"
        finally:
            connection.close()
