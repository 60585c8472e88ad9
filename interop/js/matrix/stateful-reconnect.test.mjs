// Stateful reconnect: a client whose WebSocket is cut mid-stream gets every message exactly once, in
// order, on the same connection. Needs a server with signalr.allow-stateful-reconnects=true.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HubConnectionBuilder, HttpTransportType, LogLevel } from "@microsoft/signalr";

const baseUrl = process.env.SIGNALR_BASE_URL.replace(/\/$/, "");

test("10 000 numbered messages survive three cut WebSockets, each delivered once and in order", async () => {
	const connection = new HubConnectionBuilder()
		.withUrl(baseUrl + "/reconnecthub", HttpTransportType.WebSockets)
		.withStatefulReconnect()
		.configureLogging(process.env.TRACE ? LogLevel.Trace : LogLevel.None)
		.build();
	const received = [];
	let closedWith = "open";
	let finished;
	const all = new Promise((resolve) => { finished = resolve; });
	connection.on("Number", (n) => {
		received.push(n);
		if (n === 10000) {
			finished();
		}
	});
	connection.onclose((error) => { closedWith = String(error); });
	await connection.start();
	const id = connection.connectionId;
	const cuts = [];
	await connection.invoke("SendNumbers", 10000);
	// cut the socket (no close frame, as a network drop) three times while numbers flow
	for (const at of [1000, 4000, 7000]) {
		while (received.length < at && closedWith === "open") {
			await new Promise((resolve) => setTimeout(resolve, 2));
		}
		const socket = connection.connection.transport && connection.connection.transport._webSocket;
		if (socket) {
			socket.terminate();
			cuts.push(received.length);
		}
	}
	let timer;
	await Promise.race([all, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(
		`only ${received.length} numbers arrived; connection ${closedWith}`)), 30000); })]).finally(() => clearTimeout(timer));
	assert.equal(cuts.length, 3, "the socket was cut three times");
	assert.equal(closedWith, "open");
	assert.equal(connection.connectionId, id, "same connection after the reconnects");
	assert.equal(received.length, 10000);
	for (let i = 0; i < received.length; i++) {
		if (received[i] !== i + 1) {
			assert.fail(`message ${i} is ${received[i]}, expected ${i + 1}`);
		}
	}
	// the connection still works both ways
	await connection.invoke("SendNumbers", 1);
	await connection.stop();
	assert.equal(closedWith, "undefined");
});
