"""signalrcore (thread-based client) against the conformance server's /testhub.

Each configuration is one way signalrcore can reach the hub: WebSockets with JSON or MessagePack,
Server-Sent Events, long polling, and WebSockets without negotiation. signalrcore never sends
negotiateVersion, so the server answers with negotiate version 0 and the client puts the
connectionId in ?id= and sends handshake version 0 (1 when a protocol instance is given).

Client results are not tested: signalrcore cannot answer them. Its BaseHubConnection.__on_invocation_message
calls each handler as handler(message.arguments), drops the return value and never sends a Completion, so
a server that asks it for a result waits for ever (CLIENTS.md, "Client results").
"""

import dataclasses
import queue

import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Optional

import pytest
from signalrcore.hub.errors import HubConnectionError
from signalrcore.hub.handlers import StreamHandler
from signalrcore.hub_connection_builder import HubConnectionBuilder
from signalrcore.messages.stream_invocation_message import StreamInvocationMessage
from signalrcore.subject import Subject
from signalrcore.types import HttpTransportType, HubProtocolEncoding

from conftest import THROW_EXCEPTION_ERROR, TIMEOUT_SECONDS


@dataclass(frozen=True)
class Configuration:
    name: str
    path: str
    transport: Optional[HttpTransportType]
    protocol: Optional[HubProtocolEncoding] = None
    skip_negotiation: bool = False
    # the name GetActiveTransportName must answer with
    expected_transport: str = "WebSockets"


CONFIGURATIONS = [
    Configuration("websockets-json", "/testhub", HttpTransportType.web_sockets, HubProtocolEncoding.text),
    Configuration("websockets-messagepack", "/testhub", HttpTransportType.web_sockets,
            HubProtocolEncoding.binary),
    Configuration("sse-json", "/testhub", HttpTransportType.server_sent_events, HubProtocolEncoding.text,
            expected_transport="ServerSentEvents"),
    Configuration("longpolling-json", "/testhub", HttpTransportType.long_polling, HubProtocolEncoding.text,
            expected_transport="LongPolling"),
    Configuration("websockets-skip-negotiation", "/testhub", HttpTransportType.web_sockets,
            skip_negotiation=True),
]


@dataclass
class Events:
    """What the connection reported through its callbacks."""
    opened: threading.Event = field(default_factory=threading.Event)
    closed: threading.Event = field(default_factory=threading.Event)
    errors: list = field(default_factory=list)
    error_received: threading.Event = field(default_factory=threading.Event)

    def on_error(self, message: Any) -> None:
        self.errors.append(message)
        self.error_received.set()


def build(base_url: str, configuration: Configuration):
    options: dict = {"transport": configuration.transport} if configuration.transport else {}
    if configuration.skip_negotiation:
        options["skip_negotiation"] = True
    builder = HubConnectionBuilder().with_url(base_url + configuration.path, options=options)
    if configuration.protocol is not None:
        builder = builder.with_hub_protocol(configuration.protocol)
    return builder.build()


def stop(connection, events: Events) -> None:
    """Stops from another thread so that a hanging stop() cannot block the test run."""
    stopper = threading.Thread(target=connection.stop, name="signalrcore-stop", daemon=True)
    stopper.start()
    stopper.join(TIMEOUT_SECONDS)
    assert not stopper.is_alive(), "stop() did not return in time"
    assert events.closed.wait(TIMEOUT_SECONDS), "on_close was not called after stop()"


@contextmanager
def connected(base_url: str, configuration: Configuration, events: Optional[Events] = None):
    events = events or Events()
    connection = build(base_url, configuration)
    connection.on_open(events.opened.set)
    connection.on_close(events.closed.set)
    connection.on_error(events.on_error)
    assert connection.start() is True
    try:
        assert events.opened.wait(TIMEOUT_SECONDS), "the handshake did not complete (on_open not called)"
        yield connection, events
    finally:
        if not events.closed.is_set():
            stop(connection, events)


def invoke(connection, method: str, arguments: list):
    """Invokes and waits for the Completion; returns the CompletionMessage."""
    done = threading.Event()
    completions = []

    def on_completion(message):
        completions.append(message)
        done.set()

    connection.send(method, arguments, on_invocation=on_completion)
    assert done.wait(TIMEOUT_SECONDS), f"no completion for {method}"
    return completions[0]


@pytest.fixture(scope="module", params=CONFIGURATIONS, ids=lambda configuration: configuration.name)
def configuration(request) -> Configuration:
    return request.param


@pytest.fixture(scope="module")
def shared(base_url, configuration):
    """One connection per configuration for the tests that do not stop it (stopping costs time)."""
    with connected(base_url, configuration) as (connection, events):
        yield connection, events


@pytest.fixture
def hub(shared):
    connection, events = shared
    assert not events.closed.is_set(), "an earlier test lost the shared connection"
    events.errors.clear()
    events.error_received.clear()
    yield connection, events
    assert not events.closed.is_set(), "the connection closed during the test"


def test_echo_returns_the_argument_as_invocation_result(hub):
    connection, events = hub
    completion = invoke(connection, "Echo", ["hello from signalrcore"])

    assert completion.result == "hello from signalrcore"
    assert completion.error is None
    assert events.errors == []


def test_uses_the_transport_it_asked_for(hub, configuration):
    connection, _ = hub
    assert invoke(connection, "GetActiveTransportName", []).result == configuration.expected_transport


def test_server_calls_the_message_handler_with_the_string(hub, configuration):
    skip_batched_long_polling(configuration)
    connection, _ = hub
    received = []
    handled = threading.Event()

    def on_message(arguments):
        received.append(arguments)
        handled.set()

    connection.on("Message", on_message)
    try:
        completion = invoke(connection, "InvokeWithString", ["callback text"])

        assert handled.wait(TIMEOUT_SECONDS), "the Message handler was not called"
        assert received == [["callback text"]]
        assert completion.error is None
    finally:
        connection.unsubscribe("Message", on_message)


def test_server_error_reaches_the_error_callback_with_the_exception_text(hub, configuration):
    skip_batched_long_polling(configuration)
    connection, events = hub
    invocation_id = str(uuid.uuid4())
    connection.send("ThrowException", ["something broke"], invocation_id=invocation_id)

    assert events.error_received.wait(TIMEOUT_SECONDS), "on_error was not called"
    error = events.errors[0]
    assert error.invocation_id == invocation_id
    assert error.error == THROW_EXCEPTION_ERROR.format("something broke")
    # the connection survives a failed invocation
    events.errors.clear()
    assert invoke(connection, "Echo", ["still here"]).result == "still here"


def subscribed_stream(connection, method: str, arguments: list, callbacks: dict) -> None:
    """What connection.stream(method, arguments).subscribe(callbacks) does, but subscribed first.

    signalrcore's stream() sends the StreamInvocation before it returns the handler to subscribe
    to; over SSE and long polling the send is a blocking POST, and the items arrive on the receive
    thread before the POST returns, so they would reach the handler's default no-op callbacks.
    """
    invocation_id = str(uuid.uuid4())
    handler = StreamHandler(method, invocation_id)
    handler.subscribe(callbacks)
    connection.stream_handlers[invocation_id].append(handler)
    connection.transport.send(StreamInvocationMessage(invocation_id, method, arguments, headers=connection.headers))


def skip_batched_long_polling(configuration):
    # The server sends everything queued in one poll body (as the reference does); signalrcore's long
    # polling client handles only the first message of each body (LongPollingBaseClient._append), so a
    # test expecting two messages close together fails or passes by timing.
    if configuration.transport == HttpTransportType.long_polling:
        pytest.skip("signalrcore's long polling client handles only the first message of each poll response")


def test_stream_delivers_every_item_then_completes(hub, configuration):
    skip_batched_long_polling(configuration)
    connection, events = hub
    items = []
    completed = threading.Event()
    stream_errors = []
    subscribed_stream(connection, "Stream", [], {
        "next": items.append,
        "complete": lambda _: completed.set(),
        "error": stream_errors.append,
    })

    assert completed.wait(TIMEOUT_SECONDS), f"the stream did not complete; items so far {items}"
    assert items == ["a", "b", "c"]
    assert stream_errors == []
    assert events.errors == []


def test_stop_closes_the_connection_cleanly(base_url, configuration):
    events = Events()
    with connected(base_url, configuration, events) as (connection, _):
        assert invoke(connection, "Echo", ["before stop"]).result == "before stop"

        stop(connection, events)

        assert events.errors == []
        with pytest.raises(HubConnectionError):
            connection.send("Echo", ["after stop"])


def test_without_websockets_the_client_falls_back_to_server_sent_events(base_url):
    configuration = Configuration("nowebsockets", "/testhub-nowebsockets", None,
            expected_transport="ServerSentEvents")
    with connected(base_url, configuration) as (connection, _):
        assert invoke(connection, "GetActiveTransportName", []).result == "ServerSentEvents"
        assert invoke(connection, "Echo", ["over SSE"]).result == "over SSE"


class Inbox:
    """The texts the server sends to a connection's "Message" target, in arrival order."""

    def __init__(self, connection) -> None:
        self.messages: "queue.Queue[Any]" = queue.Queue()
        connection.on("Message", lambda arguments: self.messages.put(arguments[0]))

    def next(self) -> Any:
        try:
            return self.messages.get(timeout=TIMEOUT_SECONDS)
        except queue.Empty:
            pytest.fail(f"no Message within {TIMEOUT_SECONDS} s")


def at_clients_hub(configuration: Configuration) -> Configuration:
    return dataclasses.replace(configuration, path="/clients-hub")


def test_group_members_receive_group_sends_until_they_leave(base_url, configuration):
    skip_batched_long_polling(configuration)
    group = f"group-{uuid.uuid4()}"
    with connected(base_url, at_clients_hub(configuration)) as (member, _), \
            connected(base_url, at_clients_hub(configuration)) as (leaver, _):
        member_inbox = Inbox(member)
        leaver_inbox = Inbox(leaver)
        leaver_id = invoke(leaver, "GetCallerConnectionId", []).result
        assert invoke(member, "JoinGroup", [group]).error is None
        assert invoke(leaver, "JoinGroup", [group]).error is None

        assert invoke(member, "SendToGroup", [group, "to both"]).error is None
        assert member_inbox.next() == "to both"
        assert leaver_inbox.next() == "to both"

        assert invoke(leaver, "LeaveGroup", [group]).error is None
        assert invoke(member, "SendToGroup", [group, "after leaving"]).error is None
        assert invoke(member, "SendToConnection", [leaver_id, "sentinel"]).error is None
        assert member_inbox.next() == "after leaving"
        # messages to one connection arrive in order: the group send would have come before the sentinel
        assert leaver_inbox.next() == "sentinel"


def test_upload_reaches_the_hub_item_by_item_in_order(base_url, configuration):
    if configuration.protocol == HubProtocolEncoding.binary:
        # signalrcore writes its upload messages wrongly in MessagePack: the Invocation lacks the
        # invocationId slot ([1, headers, target, [], [streamId]]) and the Completion lacks the result
        # kind ([3, headers, id]), so the server rejects them (CLIENTS.md 2.11)
        pytest.skip("signalrcore's MessagePack upload messages are malformed")
    with connected(base_url, at_clients_hub(configuration)) as (connection, _):
        inbox = Inbox(connection)
        subject = Subject()
        # a Subject as the arguments starts an upload; signalrcore sends it without an invocation id,
        # so the hub answers through the Message callback
        connection.send("ConcatToCaller", subject)
        for item in ["Hello ", "world", "!"]:
            subject.next(item)
        subject.complete()

        assert inbox.next() == "Hello world!"
