"""The Python members of the mixed-protocol group of MixedProtocolGroupTests (JUnit).

That test starts this file and a Node test file side by side, waits until every client has joined the
group named by SIGNALR_MIXED_GROUP and then sends one broadcast to the group. signalrcore and pysignalr
each join with JSON and with MessagePack over WebSockets, and every one of them must receive exactly the
same arguments, each decoded from its own protocol.
"""

import asyncio
import os
import queue
from contextlib import ExitStack
from typing import Any

import pytest
from signalrcore.types import HttpTransportType, HubProtocolEncoding

from conftest import TIMEOUT_SECONDS
from test_pysignalr import started
from test_signalrcore import Configuration, connected, invoke

GROUP_VARIABLE = "SIGNALR_MIXED_GROUP"

EXPECTED = ["to every protocol", 42, {"Name": "mixed", "Value": 7}]

# bounds the wait for the broadcast, which comes only once the Node and Java clients have joined too
BROADCAST_TIMEOUT_SECONDS = 45.0

SIGNALRCORE_MEMBERS = {
    "signalrcore/json/WebSockets": HubProtocolEncoding.text,
    "signalrcore/messagepack/WebSockets": HubProtocolEncoding.binary,
}

PYSIGNALR_MEMBERS = {
    "pysignalr/json/WebSockets": "websockets-json",
    "pysignalr/messagepack/WebSockets": "websockets-messagepack",
}


@pytest.fixture
def group() -> str:
    value = os.environ.get(GROUP_VARIABLE)
    if not value:
        pytest.fail(f"{GROUP_VARIABLE} is not set: this file is run by the JUnit test MixedProtocolGroupTests")
    return value


@pytest.mark.timeout(120)
def test_every_python_member_of_the_mixed_group_receives_the_broadcast(base_url, group):
    received: dict[str, "queue.Queue[Any]"] = {}
    with ExitStack() as stack:
        for label, protocol in SIGNALRCORE_MEMBERS.items():
            configuration = Configuration(label, "/clients-hub", HttpTransportType.web_sockets, protocol)
            connection, _ = stack.enter_context(connected(base_url, configuration))
            inbox: "queue.Queue[Any]" = queue.Queue()
            connection.on("Broadcast", inbox.put)
            received[label] = inbox
            assert invoke(connection, "JoinAs", [group, label]).error is None

        async def pysignalr_members() -> dict[str, Any]:
            inboxes: dict[str, "asyncio.Queue[Any]"] = {label: asyncio.Queue() for label in PYSIGNALR_MEMBERS}

            def listener(label: str):
                async def on_broadcast(arguments: Any) -> None:
                    await inboxes[label].put(arguments)

                return lambda client: client.on("Broadcast", on_broadcast)

            url = base_url + "/clients-hub"
            json_label, packed_label = PYSIGNALR_MEMBERS
            async with started(url, PYSIGNALR_MEMBERS[json_label], listener(json_label)) as json_client, \
                    started(url, PYSIGNALR_MEMBERS[packed_label], listener(packed_label)) as packed_client:
                for label, running in ((json_label, json_client), (packed_label, packed_client)):
                    assert (await running.invoke("JoinAs", [group, label])).error is None
                return {label: await asyncio.wait_for(inbox.get(), BROADCAST_TIMEOUT_SECONDS)
                        for label, inbox in inboxes.items()}

        from_pysignalr = asyncio.run(asyncio.wait_for(pysignalr_members(), BROADCAST_TIMEOUT_SECONDS
                + 4 * TIMEOUT_SECONDS))
        # the broadcast reached every client at about the same time: the pysignalr ones have it already
        from_signalrcore = {label: inbox.get(timeout=TIMEOUT_SECONDS) for label, inbox in received.items()}

    assert from_pysignalr == {label: EXPECTED for label in PYSIGNALR_MEMBERS}
    assert from_signalrcore == {label: EXPECTED for label in SIGNALRCORE_MEMBERS}
