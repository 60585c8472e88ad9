// Every transport and protocol the official JavaScript client supports, against /testhub:
// calls, callbacks, objects, errors, streams both ways, cancellation and client results.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HubConnectionBuilder, HttpTransportType, LogLevel, Subject } from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";

const baseUrl = process.env.SIGNALR_BASE_URL.replace(/\/$/, "");

const MATRIX = [
	["WebSockets", "json"],
	["WebSockets", "messagepack"],
	["ServerSentEvents", "json"],
	["LongPolling", "json"],
	["LongPolling", "messagepack"],
];

function within(promise, ms, what) {
	let timer;
	return Promise.race([promise, new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
	})]).finally(() => clearTimeout(timer));
}

function connect(path, transport, protocol) {
	let builder = new HubConnectionBuilder()
		.withUrl(baseUrl + path, HttpTransportType[transport])
		.configureLogging(LogLevel.None);
	if (protocol === "messagepack") {
		builder = builder.withHubProtocol(new MessagePackHubProtocol());
	}
	return builder.build();
}

for (const [transport, protocol] of MATRIX) {
	test(`${transport} with ${protocol}`, async (t) => {
		const connection = connect("/testhub", transport, protocol);
		const messages = [];
		connection.on("Message", (message) => messages.push(message));
		const customObject = new Promise((resolve) => connection.on("CustomObject", resolve));
		const canceled = new Promise((resolve) => connection.on("StreamCanceled", resolve));
		await within(connection.start(), 10000, "start");
		try {
			await t.test("reports the transport in use", async () => {
				assert.equal(await connection.invoke("GetActiveTransportName"), transport);
			});
			await t.test("echoes non-ASCII text", async () => {
				assert.equal(await connection.invoke("Echo", "你好，世界！"), "你好，世界！");
			});
			await t.test("calls back the caller", async () => {
				await connection.invoke("InvokeWithString", "hello");
				assert.deepEqual(messages, ["hello"]);
			});
			await t.test("sends objects with their property names", async () => {
				await connection.send("SendCustomObject", { Name: "test", Value: 42 });
				assert.deepEqual(await within(customObject, 5000, "CustomObject"), { Name: "test", Value: 42 });
			});
			await t.test("round-trips a complex object in the reference's wire shapes", async () => {
				const sent = protocol === "json"
					? { ByteArray: "aGVsbG8=", DateTime: "2002-04-01T10:20:15Z", Guid: "00010203-0405-0607-0706-050403020100",
						IntArray: [1, 2, 3, 255], String: "Hello, World!" }
					: { ByteArray: new Uint8Array([0x68, 0x65, 0x6c, 0x6c, 0x6f]), DateTime: new Date(Date.UTC(2002, 3, 1, 10, 20, 15)),
						Guid: "00010203-0405-0607-0706-050403020100", IntArray: [1, 2, 3, 255], String: "Hello, World!" };
				assert.deepEqual(await connection.invoke("EchoComplexObject", sent), sent);
				const received = await connection.invoke("SendComplexObject");
				if (protocol === "json") {
					assert.deepEqual(received, { String: "hello world", IntArray: [1, 2, 3], ByteArray: "AQID",
						Guid: "00010203-0405-0607-0706-050403020100", DateTime: "2000-01-01T00:00:00Z" });
				}
				else {
					assert.deepEqual(received, { String: "hello world", IntArray: [1, 2, 3], ByteArray: new Uint8Array([1, 2, 3]),
						Guid: "00010203-0405-0607-0706-050403020100", DateTime: new Date(Date.UTC(2000, 0, 1)) });
				}
			});
			await t.test("reports a hub method's exception with the reference's text", async () => {
				await assert.rejects(connection.invoke("ThrowException", "An error occurred."), {
					message: "An unexpected error occurred invoking 'ThrowException' on the server. InvalidOperationException: An error occurred.",
				});
			});
			await t.test("streams from the server, and refuses the wrong kind of invocation", async () => {
				const items = [];
				await within(new Promise((resolve, reject) => connection.stream("Stream").subscribe({
					next: (item) => items.push(item), complete: resolve, error: reject,
				})), 5000, "Stream");
				assert.deepEqual(items, ["a", "b", "c"]);
				await assert.rejects(connection.invoke("Stream"), {
					message: "The client attempted to invoke the streaming 'Stream' method with a non-streaming invocation.",
				});
				await assert.rejects(new Promise((resolve, reject) => connection.stream("Echo", "x").subscribe({
					next() {}, complete: resolve, error: reject,
				})), { message: "The client attempted to invoke the non-streaming 'Echo' method with a streaming invocation." });
				await assert.rejects(new Promise((resolve, reject) => connection.stream("StreamThrowException", "An error occurred.").subscribe({
					next() {}, complete: resolve, error: reject,
				})), { message: "An unexpected error occurred invoking 'StreamThrowException' on the server. InvalidOperationException: An error occurred." });
			});
			await t.test("runs the server's code when the client cancels a stream", async () => {
				const subscription = connection.stream("InfiniteStream").subscribe({ next() {}, complete() {}, error() {} });
				await new Promise((resolve) => setTimeout(resolve, 100));
				subscription.dispose();
				await within(canceled, 5000, "StreamCanceled");
			});
			await t.test("streams from the client, with completion and with error", async () => {
				const words = new Subject();
				const concatenated = connection.invoke("StreamingConcat", words);
				words.next("Hello ");
				words.next("world");
				words.next("!");
				words.complete();
				assert.equal(await within(concatenated, 5000, "StreamingConcat"), "Hello world!");
				const failing = new Subject();
				const failed = connection.invoke("StreamingConcat", failing);
				failing.next("x");
				failing.error(new Error("Something bad"));
				await assert.rejects(within(failed, 5000, "StreamingConcat error"), {
					message: "An unexpected error occurred invoking 'StreamingConcat' on the server. HubException: Something bad",
				});
			});
			await t.test("answers the server's invocations with client results", async () => {
				const ask = () => within(fetch(`${baseUrl}/clientresult/${connection.connectionId}`).then((r) => r.text()),
					10000, "/clientresult");
				connection.on("Result", () => 10);
				assert.equal(await ask(), "10");
				connection.off("Result");
				connection.on("Result", () => { throw new Error("from callback"); });
				assert.equal(await ask(), "Error: from callback");
				connection.off("Result");
				assert.equal(await ask(), "Client didn't provide a result.");
			});
		}
		finally {
			await connection.stop();
		}
	});
}

test("a MessagePack client without WebSockets falls back to long polling", async () => {
	const connection = new HubConnectionBuilder()
		.withUrl(baseUrl + "/testhub-nowebsockets")
		.withHubProtocol(new MessagePackHubProtocol())
		.configureLogging(LogLevel.None)
		.build();
	await within(connection.start(), 10000, "start");
	try {
		assert.equal(await connection.invoke("GetActiveTransportName"), "LongPolling");
	}
	finally {
		await connection.stop();
	}
});

test("a JSON and a MessagePack client in one group get the same broadcast, each in its protocol", async () => {
	const json = connect("/js-groups", "WebSockets", "json");
	const packed = connect("/js-groups", "LongPolling", "messagepack");
	const got = (connection) => new Promise((resolve) => connection.on("Message", (...args) => resolve(args)));
	const jsonGot = got(json);
	const packedGot = got(packed);
	await within(Promise.all([json.start(), packed.start()]), 10000, "start");
	try {
		await json.invoke("JoinGroup", "mixed");
		await packed.invoke("JoinGroup", "mixed");
		await json.invoke("SendToGroup", "mixed", "to both");
		const [fromJson, fromPacked] = await within(Promise.all([jsonGot, packedGot]), 5000, "the broadcast");
		assert.deepEqual(fromJson, fromPacked);
		assert.ok(fromJson.includes("to both"), JSON.stringify(fromJson));
	}
	finally {
		await Promise.all([json.stop(), packed.stop()]);
	}
});

test("the raw /echo connection echoes over Server-Sent Events and long polling", async () => {
	for (const transport of ["ServerSentEvents", "LongPolling"]) {
		const negotiate = await (await fetch(`${baseUrl}/echo/negotiate?negotiateVersion=1`, { method: "POST" })).json();
		const id = encodeURIComponent(negotiate.connectionToken);
		if (transport === "LongPolling") {
			const first = await fetch(`${baseUrl}/echo?id=${id}`);
			assert.equal(first.status, 200);
			assert.equal(await first.text(), "");
			const poll = fetch(`${baseUrl}/echo?id=${id}`).then(async (r) => [r.status, await r.text()]);
			assert.equal((await fetch(`${baseUrl}/echo?id=${id}`, { method: "POST", body: "Hello World!" })).status, 200);
			assert.deepEqual(await within(poll, 5000, "the poll"), [200, "Hello World!"]);
			assert.equal((await fetch(`${baseUrl}/echo?id=${id}`, { method: "DELETE" })).status, 202);
		}
		else {
			const controller = new AbortController();
			const stream = await fetch(`${baseUrl}/echo?id=${id}`, { headers: { Accept: "text/event-stream" }, signal: controller.signal });
			assert.equal(stream.status, 200);
			assert.match(stream.headers.get("content-type"), /^text\/event-stream/);
			const reader = stream.body.getReader();
			let text = "";
			assert.equal((await fetch(`${baseUrl}/echo?id=${id}`, { method: "POST", body: "Hello World!" })).status, 200);
			while (!text.includes("data: Hello World!\r\n\r\n")) {
				const { value, done } = await within(reader.read(), 5000, "the event");
				assert.ok(!done, "stream ended early: " + JSON.stringify(text));
				text += new TextDecoder().decode(value);
			}
			assert.ok(text.startsWith(":\r\n"), JSON.stringify(text));
			controller.abort();
		}
	}
});
