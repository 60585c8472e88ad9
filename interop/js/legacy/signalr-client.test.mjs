// The Node client signalr-client 0.0.20 (webSockets only) against the legacy endpoint
// (LEGACY-PROTOCOL.md §13 item 23): OnConnected, a call with its result, a broadcast, and end() whose
// /abort (sent with transport=serverSentEvents whatever the transport) ends the connection with stopCalled.
// Client quirks worked around here: the base URL is http://…/signalr; /start is sent only when
// serviceHandlers.connected is set, so it is; nothing here makes the server report progress (the client
// would crash on it); its connection id is not public, so the hub tells it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { baseUrl, events, expectEvent, waitFor } from "./support.mjs";

const require = createRequire(import.meta.url);
const signalR = require("signalr-client");

function call(client, method, ...args) {
	return new Promise((resolve, reject) => {
		client.call("ChatHub", method, ...args).done((error, result) => (error ? reject(error) : resolve(result)));
	});
}

test("signalr-client connects, calls, receives a broadcast and ends with stopCalled", async () => {
	const client = new signalR.client(`${baseUrl}/signalr`, ["ChatHub"], 10, true);
	const received = [];
	client.on("ChatHub", "addMessage", (name, message) => received.push(`${name}:${message}`));
	const connected = new Promise((resolve) => {
		client.serviceHandlers.connected = () => resolve();
	});
	client.serviceHandlers.onerror = (error) => console.log("client error", error);
	client.start();
	let connectionId;
	try {
		await connected;
		connectionId = await call(client, "GetConnectionId");
		await expectEvent(connectionId, "connected", 1);
		assert.equal(await call(client, "Echo", "x"), "x");
		assert.equal(await call(client, "Add", 2, 3), 5);
		await call(client, "Send", "node", "hello");
		await waitFor("the broadcast", () => received.includes("node:hello"));
	}
	finally {
		client.end();
	}
	const counts = await expectEvent(connectionId, "disconnectedStopCalled", 1, 5000);
	assert.equal(counts.connected, 1);
	assert.equal((await events(connectionId)).disconnectedTimeout, 0);
});
