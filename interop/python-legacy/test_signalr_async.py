"""signalr-async 3.0.0 (on aiohttp 3.10.11) against the legacy endpoint over webSockets
(LEGACY-PROTOCOL.md §13 item 22): results, hub errors, broadcasts, and a connection kept open past its
own "{}" pings.

Client quirks worked around here: the hub is named exactly as the server names it ("ChatHub"), and
nothing here makes the server report progress (the client would crash on it).
"""

import asyncio

import pytest
from signalr_async.exceptions import ServerInvocationException
from signalr_async.net.client import SignalRClient
from signalr_async.net.hub import SignalRHub

from conftest import TIMEOUT_SECONDS, events, expect_event

# at least its keep-alive interval, so that the client sends its "{}" pings and the socket stays open
PING_INTERVAL_SECONDS = 2
STAY_OPEN_SECONDS = 20


@pytest.mark.asyncio
async def test_invokes_receives_broadcasts_and_survives_its_pings(base_url):
    chat = SignalRHub("ChatHub")
    received = asyncio.Queue()
    chat.on("addMessage", lambda name, message: received.put_nowait(f"{name}:{message}"))
    client = SignalRClient(f"{base_url}/signalr", [chat], keepalive_interval=PING_INTERVAL_SECONDS)
    await client.start()
    connection_id = client._connection.connection_id
    try:
        await asyncio.to_thread(expect_event, base_url, connection_id, "connected", 1)
        assert await asyncio.wait_for(chat.invoke("Echo", "x"), TIMEOUT_SECONDS) == "x"
        assert await asyncio.wait_for(chat.invoke("Add", 2, 3), TIMEOUT_SECONDS) == 5
        with pytest.raises(ServerInvocationException) as error:
            await asyncio.wait_for(chat.invoke("ThrowHub"), TIMEOUT_SECONDS)
        assert "Hub error 42" in str(error.value)

        await asyncio.wait_for(chat.invoke("Send", "async", "hello"), TIMEOUT_SECONDS)
        assert await asyncio.wait_for(received.get(), TIMEOUT_SECONDS) == "async:hello"

        await asyncio.sleep(STAY_OPEN_SECONDS)
        assert await asyncio.wait_for(chat.invoke("Echo", "still open"), TIMEOUT_SECONDS) == "still open"
        counts = await asyncio.to_thread(events, base_url, connection_id)
        assert counts["disconnectedStopCalled"] == 0
        assert counts["disconnectedTimeout"] == 0
    finally:
        await client.stop()
