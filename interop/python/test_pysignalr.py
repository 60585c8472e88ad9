"""pysignalr (asyncio client, WebSockets only) against the conformance server's /testhub.

pysignalr negotiates without negotiateVersion (so the server answers with version 0 and the
client connects with ?id=<connectionId>), sends handshake version 1, and has no stop(): a client
stops by cancelling the task that runs SignalRClient.run().

Client results: a callback registered with on() answers an invocation that carries an invocation id with
its return value, or with the text of the exception it raised (SignalRClient._on_invocation_message).
"""

import asyncio
import uuid
from contextlib import asynccontextmanager
from typing import Any, Awaitable, Callable

import aiohttp
import pytest
from pysignalr.client import SignalRClient
from pysignalr.messages import CompletionMessage
from pysignalr.protocol.json import JSONProtocol
from pysignalr.protocol.messagepack import MessagepackProtocol

from conftest import THROW_EXCEPTION_ERROR, TIMEOUT_SECONDS

PROTOCOLS = {
    "websockets-json": JSONProtocol,
    "websockets-messagepack": MessagepackProtocol,
}


@pytest.fixture(params=sorted(PROTOCOLS))
def protocol_name(request) -> str:
    return request.param


@pytest.fixture
def hub_url(base_url) -> str:
    return base_url + "/testhub"


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    """Runs one async scenario on a fresh event loop, bounded as a whole."""
    async def bounded() -> None:
        await asyncio.wait_for(scenario(), 4 * TIMEOUT_SECONDS)

    asyncio.run(bounded())


class Running:
    """A started client and what the tests need to see of it."""

    def __init__(self, client: SignalRClient, task: "asyncio.Task[None]") -> None:
        self.client = client
        self.task = task
        self.errors: list[CompletionMessage] = []
        self.websocket: Any = None

    async def invoke(self, method: str, arguments: list) -> CompletionMessage:
        """send() with an on_invocation callback: the server answers with a Completion."""
        completion: "asyncio.Future[CompletionMessage]" = asyncio.get_running_loop().create_future()

        async def on_completion(message: CompletionMessage) -> None:
            if not completion.done():
                completion.set_result(message)

        await self.client.send(method, arguments, on_invocation=on_completion)
        return await asyncio.wait_for(completion, TIMEOUT_SECONDS)

    async def stop(self) -> None:
        """What a pysignalr user does to stop: cancel run(). Its websocket then closes."""
        self.task.cancel()
        try:
            await asyncio.wait_for(self.task, TIMEOUT_SECONDS)
        except asyncio.CancelledError:
            pass


@asynccontextmanager
async def started(url: str, protocol_name: str, register: Callable[[SignalRClient], None] = lambda client: None):
    client = SignalRClient(url, protocol=PROTOCOLS[protocol_name]())
    opened = asyncio.Event()

    async def on_open() -> None:
        opened.set()

    client.on_open(on_open)
    register(client)
    running = Running(client, asyncio.create_task(client.run()))

    async def on_error(message: CompletionMessage) -> None:
        running.errors.append(message)

    client.on_error(on_error)
    try:
        opened_wait = asyncio.create_task(opened.wait())
        done, _ = await asyncio.wait({opened_wait, running.task}, timeout=TIMEOUT_SECONDS,
                return_when=asyncio.FIRST_COMPLETED)
        if opened_wait not in done:
            opened_wait.cancel()
            if running.task.done():
                running.task.result()  # raises what ended run()
            pytest.fail("the handshake did not complete (on_open not called)")
        # pysignalr has no public accessor for its socket; the stop test looks at the close codes
        running.websocket = client._transport._ws
        yield running
    finally:
        if not running.task.done():
            await running.stop()


def test_echo_returns_the_argument_as_invocation_result(hub_url, protocol_name):
    async def scenario() -> None:
        async with started(hub_url, protocol_name) as running:
            completion = await running.invoke("Echo", ["hello from pysignalr"])

            assert completion.result == "hello from pysignalr"
            assert completion.error is None
            assert running.errors == []

    run(scenario)


def test_uses_websockets(hub_url, protocol_name):
    async def scenario() -> None:
        async with started(hub_url, protocol_name) as running:
            assert (await running.invoke("GetActiveTransportName", [])).result == "WebSockets"

    run(scenario)


def test_server_calls_the_message_handler_with_the_string(hub_url, protocol_name):
    async def scenario() -> None:
        received: "asyncio.Queue[Any]" = asyncio.Queue()

        async def on_message(arguments: Any) -> None:
            await received.put(arguments)

        async with started(hub_url, protocol_name, lambda client: client.on("Message", on_message)) as running:
            completion = await running.invoke("InvokeWithString", ["callback text"])

            assert await asyncio.wait_for(received.get(), TIMEOUT_SECONDS) == ["callback text"]
            assert completion.error is None
            assert received.empty()

    run(scenario)


def test_server_error_reaches_the_invocation_and_the_error_callback(hub_url, protocol_name):
    async def scenario() -> None:
        async with started(hub_url, protocol_name) as running:
            completion = await running.invoke("ThrowException", ["something broke"])

            expected = THROW_EXCEPTION_ERROR.format("something broke")
            assert completion.error == expected
            assert completion.result is None
            assert [error.error for error in running.errors] == [expected]
            # the connection survives a failed invocation
            assert (await running.invoke("Echo", ["still here"])).result == "still here"

    run(scenario)


def test_stream_delivers_every_item_then_completes(hub_url, protocol_name):
    async def scenario() -> None:
        async with started(hub_url, protocol_name) as running:
            items: list[Any] = []
            completion: "asyncio.Future[CompletionMessage]" = asyncio.get_running_loop().create_future()

            async def on_next(item: Any) -> None:
                items.append(item)

            async def on_complete(message: CompletionMessage) -> None:
                completion.set_result(message)

            async def on_stream_error(message: CompletionMessage) -> None:
                completion.set_exception(AssertionError(f"stream failed: {message}"))

            await running.client.stream("Stream", [], on_next=on_next, on_complete=on_complete,
                    on_error=on_stream_error)

            finished = await asyncio.wait_for(completion, TIMEOUT_SECONDS)
            assert items == ["a", "b", "c"]
            assert finished.error is None
            assert running.errors == []

    run(scenario)


def test_stop_closes_the_websocket_with_normal_closure_both_ways(hub_url, protocol_name):
    async def scenario() -> None:
        async with started(hub_url, protocol_name) as running:
            assert (await running.invoke("Echo", ["before stop"])).result == "before stop"
            websocket = running.websocket

            await running.stop()

            await asyncio.wait_for(websocket.wait_closed(), TIMEOUT_SECONDS)
            assert websocket.protocol.close_sent is not None
            assert websocket.protocol.close_sent.code == 1000
            assert websocket.protocol.close_rcvd is not None, "the server did not answer the close frame"
            assert websocket.protocol.close_rcvd.code == 1000
            assert running.errors == []

    run(scenario)


@pytest.fixture
def clients_hub_url(base_url) -> str:
    return base_url + "/clients-hub"


def collect_messages(queue: "asyncio.Queue[Any]") -> Callable[[SignalRClient], None]:
    """Registers a "Message" callback that puts each text into queue."""
    async def on_message(arguments: Any) -> None:
        await queue.put(arguments[0])

    return lambda client: client.on("Message", on_message)


async def next_message(queue: "asyncio.Queue[Any]") -> Any:
    return await asyncio.wait_for(queue.get(), TIMEOUT_SECONDS)


def test_group_members_receive_group_sends_until_they_leave(clients_hub_url, protocol_name):
    async def scenario() -> None:
        group = f"group-{uuid.uuid4()}"
        member_inbox: "asyncio.Queue[Any]" = asyncio.Queue()
        leaver_inbox: "asyncio.Queue[Any]" = asyncio.Queue()
        async with started(clients_hub_url, protocol_name, collect_messages(member_inbox)) as member, \
                started(clients_hub_url, protocol_name, collect_messages(leaver_inbox)) as leaver:
            leaver_id = (await leaver.invoke("GetCallerConnectionId", [])).result
            assert (await member.invoke("JoinGroup", [group])).error is None
            assert (await leaver.invoke("JoinGroup", [group])).error is None

            assert (await member.invoke("SendToGroup", [group, "to both"])).error is None
            assert await next_message(member_inbox) == "to both"
            assert await next_message(leaver_inbox) == "to both"

            assert (await leaver.invoke("LeaveGroup", [group])).error is None
            assert (await member.invoke("SendToGroup", [group, "after leaving"])).error is None
            assert (await member.invoke("SendToConnection", [leaver_id, "sentinel"])).error is None
            assert await next_message(member_inbox) == "after leaving"
            # messages to one connection arrive in order: the group send would have come before the sentinel
            assert await next_message(leaver_inbox) == "sentinel"
            assert member.errors == [] and leaver.errors == []

    run(scenario)


def test_upload_reaches_the_hub_item_by_item_in_order(clients_hub_url, protocol_name):
    async def scenario() -> None:
        inbox: "asyncio.Queue[Any]" = asyncio.Queue()
        async with started(clients_hub_url, protocol_name, collect_messages(inbox)) as running:
            # pysignalr starts uploads without an invocation id (and without other arguments), so the hub
            # answers through the Message callback
            async with running.client.client_stream("ConcatToCaller") as stream:
                for item in ["Hello ", "world", "!"]:
                    await stream.send(item)

            assert await next_message(inbox) == "Hello world!"
            assert running.errors == []

    run(scenario)


async def ask_for_result(base_url: str, connection_id: str) -> str:
    """GET /clientresult/{connectionId}: the server asks the connection for "Result" and answers with it."""
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.get(f"{base_url}/clientresult/{connection_id}") as response:
            assert response.status == 200
            return await response.text()


def on_result(callback: Callable[[Any], Awaitable[Any]]) -> Callable[[SignalRClient], None]:
    return lambda client: client.on("Result", callback)


def test_client_result_is_the_callbacks_return_value(base_url, hub_url, protocol_name):
    async def scenario() -> None:
        async def result(arguments: Any) -> int:
            assert arguments == []
            return 10

        async with started(hub_url, protocol_name, on_result(result)) as running:
            connection_id = (await running.invoke("GetCallerConnectionId", [])).result

            assert await ask_for_result(base_url, connection_id) == "10"
            assert (await running.invoke("Echo", ["after the result"])).result == "after the result"

    run(scenario)


def test_client_result_is_the_text_of_the_callbacks_exception(base_url, hub_url, protocol_name):
    async def scenario() -> None:
        async def result(arguments: Any) -> int:
            raise RuntimeError("from callback")

        async with started(hub_url, protocol_name, on_result(result)) as running:
            connection_id = (await running.invoke("GetCallerConnectionId", [])).result

            assert await ask_for_result(base_url, connection_id) == "from callback"
            assert (await running.invoke("Echo", ["after the error"])).result == "after the error"

    run(scenario)


def test_client_without_a_result_callback_reports_that_it_has_no_result(base_url, hub_url, protocol_name):
    async def scenario() -> None:
        async with started(hub_url, protocol_name) as running:
            connection_id = (await running.invoke("GetCallerConnectionId", [])).result

            assert await ask_for_result(base_url, connection_id) == "Client didn't provide a result."

    run(scenario)
