// The raw (non-hub) /echo connection: through the official client's own HttpConnection (negotiate,
// then WebSocket) and through a bare `ws` socket without negotiation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HttpTransportType, TransferFormat } from "@microsoft/signalr";
// Not exported from the package's index; 11.0.0 is pinned, so this path is stable.
import { HttpConnection } from "@microsoft/signalr/dist/cjs/HttpConnection.js";
import WebSocket from "ws";
import { baseUrl, memoryLogger, withTimeout, wsBaseUrl } from "./support.mjs";

const TIMEOUT = { timeout: 15000 };

test("HttpConnection negotiates and gets Hello World! echoed over WebSockets", TIMEOUT, async () => {
	const connection = new HttpConnection(`${baseUrl}/echo`, {
		transport: HttpTransportType.WebSockets,
		logger: memoryLogger(),
	});
	const received = [];
	const echoed = new Promise((resolve) => {
		connection.onreceive = (data) => {
			received.push(data);
			resolve();
		};
	});
	const closed = new Promise((resolve) => {
		connection.onclose = (error) => resolve(error);
	});
	await withTimeout(connection.start(TransferFormat.Text), 5000, "start()");
	assert.equal(typeof connection.connectionId, "string");
	await connection.send("Hello World!");
	await withTimeout(echoed, 5000, "the echo");
	assert.deepEqual(received, ["Hello World!"]);
	await withTimeout(connection.stop(), 5000, "stop()");
	assert.equal(await withTimeout(closed, 5000, "onclose"), undefined);
});

test("a bare WebSocket to /echo without negotiation gets text echoed as text", TIMEOUT, async () => {
	const socket = new WebSocket(`${wsBaseUrl}/echo`);
	const closed = new Promise((resolve) => socket.once("close", (code) => resolve(code)));
	try {
		await withTimeout(new Promise((resolve, reject) => {
			socket.once("open", resolve);
			socket.once("error", reject);
		}), 5000, "open");
		const reply = new Promise((resolve) => socket.once("message", (data, isBinary) => resolve({ data, isBinary })));
		socket.send("message");
		const { data, isBinary } = await withTimeout(reply, 5000, "the echo");
		assert.equal(isBinary, false);
		assert.equal(data.toString("utf8"), "message");
	} finally {
		socket.close();
		await withTimeout(closed, 5000, "close");
	}
});

test("closing without a status code is answered with a clean 1000 close", TIMEOUT, async () => {
	// the same check as the client's browser-style test: code and wasClean of the close event
	const socket = new WebSocket(`${wsBaseUrl}/echo`);
	const closeEvent = new Promise((resolve) => {
		socket.onclose = (event) => resolve({ code: event.code, wasClean: event.wasClean });
	});
	await withTimeout(new Promise((resolve, reject) => {
		socket.onopen = resolve;
		socket.onerror = reject;
	}), 5000, "open");
	socket.close();
	assert.deepEqual(await withTimeout(closeEvent, 5000, "the close event"), { code: 1000, wasClean: true });
});
