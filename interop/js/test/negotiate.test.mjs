// Negotiate as seen with fetch, and negotiate errors as the official client reports them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RawSocket, baseUrl, hubConnection, withTimeout, wsBaseUrl } from "./support.mjs";

const TIMEOUT = { timeout: 15000 };
const BASE64URL_ID = /^[A-Za-z0-9_-]{22}$/;
// In the order the client tries them; Server-Sent Events can carry text only.
const EXPECTED_TRANSPORTS = [
	{ transport: "WebSockets", transferFormats: ["Text", "Binary"] },
	{ transport: "ServerSentEvents", transferFormats: ["Text"] },
	{ transport: "LongPolling", transferFormats: ["Text", "Binary"] },
];

async function negotiate(query) {
	const response = await withTimeout(fetch(`${baseUrl}/testhub/negotiate${query}`, { method: "POST" }), 5000, "negotiate");
	return { response, body: await response.json() };
}

test("negotiateVersion=1 gives a connection id and a different connection token", TIMEOUT, async () => {
	const { response, body } = await negotiate("?negotiateVersion=1");
	assert.equal(response.status, 200);
	assert.match(response.headers.get("content-type"), /^application\/json\b/);
	assert.equal(body.negotiateVersion, 1);
	assert.match(body.connectionId, BASE64URL_ID);
	assert.match(body.connectionToken, BASE64URL_ID);
	assert.notEqual(body.connectionToken, body.connectionId);
	assert.deepEqual(body.availableTransports, EXPECTED_TRANSPORTS);
	assert.equal("useStatefulReconnect" in body, false);
});

test("each negotiate creates a fresh connection", TIMEOUT, async () => {
	const first = (await negotiate("?negotiateVersion=1")).body;
	const second = (await negotiate("?negotiateVersion=1")).body;
	assert.notEqual(first.connectionId, second.connectionId);
	assert.notEqual(first.connectionToken, second.connectionToken);
});

test("without negotiateVersion the response is version 0 without a connection token", TIMEOUT, async () => {
	const { response, body } = await negotiate("");
	assert.equal(response.status, 200);
	assert.match(response.headers.get("content-type"), /^application\/json\b/);
	assert.equal(body.negotiateVersion, 0);
	assert.match(body.connectionId, BASE64URL_ID);
	assert.equal("connectionToken" in body, false);
	assert.deepEqual(body.availableTransports, EXPECTED_TRANSPORTS);
});

test("a non-integer negotiateVersion is answered 200 with an error", TIMEOUT, async () => {
	const { response, body } = await negotiate("?negotiateVersion=abc");
	assert.equal(response.status, 200);
	assert.match(response.headers.get("content-type"), /^application\/json\b/);
	assert.deepEqual(body, { error: "The client requested a non-integer protocol version." });
});

test("negotiate sets the test cookies, one of them already expired", TIMEOUT, async () => {
	const { response } = await negotiate("?negotiateVersion=1");
	const cookies = response.headers.getSetCookie();
	assert.ok(cookies.some((c) => c.startsWith("testCookie=testValue")), cookies.join(" | "));
	assert.ok(cookies.some((c) => c.startsWith("testCookie2=testValue2")), cookies.join(" | "));
	const expired = cookies.find((c) => c.startsWith("expiredCookie="));
	assert.ok(expired, cookies.join(" | "));
	assert.match(expired, /Max-Age=0|Expires=/i);
});

test("the client reports a failed negotiate with the server's response text and status", TIMEOUT, async () => {
	const connection = hubConnection("/bad-negotiate", { logger: { log() {} } });
	await assert.rejects(withTimeout(connection.start(), 5000, "start()"), {
		message: "Failed to complete negotiation with the server: Error: Some response from server: Status code '400'",
	});
});

test("with version 1 the WebSocket takes the token as id, not the connection id", TIMEOUT, async () => {
	const { body } = await negotiate("?negotiateVersion=1");
	const byId = new RawSocket(`${wsBaseUrl}/testhub?id=${body.connectionId}`);
	await assert.rejects(withTimeout(byId.opened, 5000, "the upgrade to be refused"), {
		statusCode: 404,
		body: "No Connection with that ID",
	});
	const byToken = new RawSocket(`${wsBaseUrl}/testhub?id=${body.connectionToken}`);
	await byToken.handshake();
	byToken.send(JSON.stringify({ type: 1, invocationId: "1", target: "GetCallerConnectionId", arguments: [] }) + "\u001e");
	const completion = await byToken.waitForMessage((m) => m.type === 3, 5000, "the completion");
	assert.deepEqual(completion, { type: 3, invocationId: "1", result: body.connectionId });
	byToken.socket.close();
	await byToken.waitForClose();
});

test("with version 0 the connection id is the WebSocket id", TIMEOUT, async () => {
	const { body } = await negotiate("");
	const socket = new RawSocket(`${wsBaseUrl}/testhub?id=${body.connectionId}`);
	await socket.handshake();
	socket.send(JSON.stringify({ type: 1, invocationId: "1", target: "GetCallerConnectionId", arguments: [] }) + "\u001e");
	const completion = await socket.waitForMessage((m) => m.type === 3, 5000, "the completion");
	assert.deepEqual(completion, { type: 3, invocationId: "1", result: body.connectionId });
	socket.socket.close();
	await socket.waitForClose();
});

test("a token can connect only once", TIMEOUT, async () => {
	const { body } = await negotiate("?negotiateVersion=1");
	const first = new RawSocket(`${wsBaseUrl}/testhub?id=${body.connectionToken}`);
	await first.handshake();
	const second = new RawSocket(`${wsBaseUrl}/testhub?id=${body.connectionToken}`);
	await assert.rejects(withTimeout(second.opened, 5000, "the second upgrade to be refused"), (error) => {
		assert.ok(error.statusCode >= 400, `status ${error.statusCode}`);
		return true;
	});
	first.socket.close();
	await first.waitForClose();
});
