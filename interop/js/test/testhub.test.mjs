// The official JavaScript client against /testhub over WebSockets with the JSON protocol.
import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { HubConnectionState, HttpTransportType, VERSION } from "@microsoft/signalr";
import { Inbox, baseUrl, hubConnection, startedConnection, stopAll, withTimeout } from "./support.mjs";

const TIMEOUT = { timeout: 15000 };

/** Subscribes to a server stream and resolves with its items, or rejects with its error. */
function collect(stream) {
	return withTimeout(
		new Promise((resolve, reject) => {
			const items = [];
			stream.subscribe({
				next: (item) => items.push(item),
				complete: () => resolve(items),
				error: (err) => reject(err),
			});
		}),
		5000,
		"the stream to end",
	);
}

describe("invocations on /testhub", () => {
	let connection;
	const open = async () => (connection ??= await startedConnection("/testhub"));
	after(async () => connection && (await stopAll(connection)));

	test("Echo returns the same string, including non-ASCII and empty strings", TIMEOUT, async () => {
		await open();
		assert.equal(await connection.invoke("Echo", "你好，世界！"), "你好，世界！");
		assert.equal(await connection.invoke("Echo", ""), "");
		assert.equal(await connection.invoke("Echo", "test"), "test");
	});

	test("hub method names match case-insensitively", TIMEOUT, async () => {
		await open();
		assert.equal(await connection.invoke("echo", "lower"), "lower");
		assert.equal(await connection.invoke("ECHO", "upper"), "upper");
	});

	test("fire-and-forget send reaches the hub without a completion", TIMEOUT, async () => {
		await open();
		const messages = new Inbox(connection, "Message");
		await connection.send("Echo", "nobody waits for this");
		await connection.send("InvokeWithString", "sent without waiting");
		await messages.waitFor((m) => m === "sent without waiting", 5000, "the Message callback");
		assert.equal(await connection.invoke("Echo", "still connected"), "still connected");
		connection.off("Message");
	});

	test("GetCallerConnectionId equals the client's connectionId", TIMEOUT, async () => {
		await open();
		assert.equal(typeof connection.connectionId, "string");
		assert.ok(connection.connectionId.length > 0);
		assert.equal(await connection.invoke("GetCallerConnectionId"), connection.connectionId);
	});

	test("ThrowException rejects with the detailed error text", TIMEOUT, async () => {
		await open();
		await assert.rejects(connection.invoke("ThrowException", "An error occurred."), {
			message: "An unexpected error occurred invoking 'ThrowException' on the server. InvalidOperationException: An error occurred.",
		});
	});

	test("an unknown method is reported as not existing", TIMEOUT, async () => {
		await open();
		await assert.rejects(connection.invoke("NoSuchMethod", 1), {
			message: "Failed to invoke 'NoSuchMethod' due to an error on the server. HubException: Method does not exist.",
		});
	});

	test("a wrong number of arguments is reported with both counts", TIMEOUT, async () => {
		await open();
		await assert.rejects(connection.invoke("Echo"), {
			message: "Failed to invoke 'Echo' due to an error on the server. InvalidDataException: Invocation provides 0 argument(s) but target expects 1.",
		});
		await assert.rejects(connection.invoke("Echo", "a", "b"), {
			message: "Failed to invoke 'Echo' due to an error on the server. InvalidDataException: Invocation provides 2 argument(s) but target expects 1.",
		});
		assert.equal(await connection.invoke("Echo", "after errors"), "after errors");
	});

	test("SendCustomObject calls back CustomObject with exactly Name and Value", TIMEOUT, async () => {
		await open();
		const objects = new Inbox(connection, "CustomObject");
		await connection.send("SendCustomObject", { Name: "test", Value: 42 });
		await objects.waitFor(() => true, 5000, "the CustomObject callback");
		assert.deepEqual(objects.items, [{ Name: "test", Value: 42 }]);
		connection.off("CustomObject");
	});

	test("EchoComplexObject returns the exact wire values it was given", TIMEOUT, async () => {
		await open();
		const complex = {
			ByteArray: "aGVsbG8=",
			DateTime: "2002-04-01T10:20:15Z",
			Guid: "00010203-0405-0607-0706-050403020100",
			IntArray: [1, 2, 3, 255],
			String: "Hello, World!",
		};
		assert.deepEqual(await connection.invoke("EchoComplexObject", complex), complex);
	});

	test("SendComplexObject returns .NET's JSON forms of bytes, guid and date", TIMEOUT, async () => {
		await open();
		assert.deepEqual(await connection.invoke("SendComplexObject"), {
			String: "hello world",
			IntArray: [1, 2, 3],
			ByteArray: "AQID",
			Guid: "00010203-0405-0607-0706-050403020100",
			DateTime: "2000-01-01T00:00:00Z",
		});
	});

	test("Stream yields a, b, c and completes", TIMEOUT, async () => {
		await open();
		assert.deepEqual(await collect(connection.stream("Stream")), ["a", "b", "c"]);
	});

	test("EmptyStream completes without items", TIMEOUT, async () => {
		await open();
		assert.deepEqual(await collect(connection.stream("EmptyStream")), []);
	});

	test("StreamThrowException ends the stream with the detailed error text", TIMEOUT, async () => {
		await open();
		await assert.rejects(collect(connection.stream("StreamThrowException", "An error occurred.")), {
			message: "An unexpected error occurred invoking 'StreamThrowException' on the server. InvalidOperationException: An error occurred.",
		});
	});

	test("streaming methods refuse non-streaming invocations and vice versa", TIMEOUT, async () => {
		await open();
		await assert.rejects(connection.invoke("EmptyStream"), {
			message: "The client attempted to invoke the streaming 'EmptyStream' method with a non-streaming invocation.",
		});
		await assert.rejects(connection.invoke("Stream"), {
			message: "The client attempted to invoke the streaming 'Stream' method with a non-streaming invocation.",
		});
		await assert.rejects(collect(connection.stream("Echo", "x")), {
			message: "The client attempted to invoke the non-streaming 'Echo' method with a streaming invocation.",
		});
	});

	test("disposing a stream subscription cancels it on the server", TIMEOUT, async () => {
		await open();
		const canceled = new Inbox(connection, "StreamCanceled");
		const subscription = connection.stream("InfiniteStream").subscribe({ next() {}, complete() {}, error() {} });
		subscription.dispose();
		await canceled.waitFor(() => true, 5000, "the StreamCanceled callback");
		connection.off("StreamCanceled");
	});

	test("GetHeader sees the client's User-Agent", TIMEOUT, async () => {
		await open();
		const [major, minor] = VERSION.split(".");
		assert.equal(
			await connection.invoke("GetHeader", "User-Agent"),
			`Microsoft SignalR/${major}.${minor} (${VERSION}; Linux; NodeJS; ${process.versions.node})`,
		);
		assert.equal(await connection.invoke("GetHeader", "X-No-Such-Header"), null);
	});

	test("cookies set on negotiate come back on the WebSocket, except the expired one", TIMEOUT, async () => {
		await open();
		assert.equal(await connection.invoke("GetCookie", "expiredCookie"), null);
		assert.equal(await connection.invoke("GetCookie", "testCookie"), "testValue");
		assert.equal(await connection.invoke("GetCookie", "testCookie2"), "testValue2");
	});

	test("GetActiveTransportName is WebSockets", TIMEOUT, async () => {
		await open();
		assert.equal(await connection.invoke("GetActiveTransportName"), "WebSockets");
	});
});

test("InvokeWithString calls Message back on the caller only", TIMEOUT, async () => {
	const caller = await startedConnection("/testhub");
	const other = await startedConnection("/testhub");
	try {
		const callerMessages = new Inbox(caller, "Message");
		const otherMessages = new Inbox(other, "Message");
		assert.equal(await caller.invoke("InvokeWithString", "for the caller"), null);
		assert.deepEqual(await callerMessages.until("for the caller"), []);
		await other.invoke("InvokeWithString", "sentinel");
		assert.deepEqual(await otherMessages.until("sentinel"), []);
	} finally {
		await stopAll(caller, other);
	}
});

test("user-supplied headers reach the hub", TIMEOUT, async () => {
	const connection = await startedConnection("/testhub", { headers: { "User-Agent": "Custom Agent", "X-HEADER": "VALUE" } });
	try {
		assert.equal(await connection.invoke("GetHeader", "User-Agent"), "Custom Agent");
		assert.equal(await connection.invoke("GetHeader", "x-header"), "VALUE");
	} finally {
		await stopAll(connection);
	}
});

test("a negotiate redirect leads to /testHub and counts redirects", TIMEOUT, async () => {
	const url = `/redirect?numRedirects=0&baseUrl=${encodeURIComponent(baseUrl)}`;
	const first = await startedConnection(url);
	let second;
	try {
		const firstCount = await first.invoke("GetNumRedirects");
		assert.ok(Number.isInteger(firstCount) && firstCount > 0, `numRedirects ${firstCount}`);
		assert.equal(await first.invoke("GetCallerConnectionId"), first.connectionId);
		assert.equal(await first.invoke("Echo", "redirected"), "redirected");
		second = await startedConnection(url);
		const secondCount = await second.invoke("GetNumRedirects");
		assert.ok(secondCount > firstCount, `${secondCount} > ${firstCount}`);
	} finally {
		await stopAll(first, ...(second ? [second] : []));
	}
});

test("skipping negotiation connects over WebSockets without a client-side connection id", TIMEOUT, async () => {
	const connection = await startedConnection("/testhub", { skipNegotiation: true, transport: HttpTransportType.WebSockets });
	try {
		assert.equal(connection.connectionId, null);
		assert.equal(await connection.invoke("Echo", "no negotiate"), "no negotiate");
		const serverId = await connection.invoke("GetCallerConnectionId");
		assert.equal(typeof serverId, "string");
		assert.ok(serverId.length > 0);
	} finally {
		await stopAll(connection);
	}
});

test("stop() closes cleanly and onclose gets no error", TIMEOUT, async () => {
	const connection = hubConnection("/testhub");
	const closed = new Promise((resolve) => connection.onclose(resolve));
	await withTimeout(connection.start(), 5000, "start()");
	assert.equal(await connection.invoke("Echo", "before stop"), "before stop");
	await withTimeout(connection.stop(), 5000, "stop()");
	assert.equal(await withTimeout(closed, 5000, "onclose"), undefined);
	assert.equal(connection.state, HubConnectionState.Disconnected);
});

test("a stopped connection restarts with a new connection id and its handlers", TIMEOUT, async () => {
	const connection = hubConnection("/testhub");
	const messages = new Inbox(connection, "Message");
	try {
		await withTimeout(connection.start(), 5000, "start()");
		const firstId = connection.connectionId;
		assert.equal(await connection.invoke("GetCallerConnectionId"), firstId);
		await withTimeout(connection.stop(), 5000, "stop()");
		await withTimeout(connection.start(), 5000, "second start()");
		const secondId = connection.connectionId;
		assert.notEqual(secondId, firstId);
		assert.equal(await connection.invoke("GetCallerConnectionId"), secondId);
		await connection.invoke("InvokeWithString", "after restart");
		assert.deepEqual(await messages.until("after restart"), []);
	} finally {
		await stopAll(connection);
	}
});

test("hub paths match case-insensitively: /TestHub reaches the test hub", TIMEOUT, async () => {
	const connection = await startedConnection("/TestHub");
	try {
		assert.equal(await connection.invoke("Echo", "mixed case"), "mixed case");
		assert.equal(await connection.invoke("GetCallerConnectionId"), connection.connectionId);
	} finally {
		await stopAll(connection);
	}
});
