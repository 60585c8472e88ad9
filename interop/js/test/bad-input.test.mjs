// Bad input spoken by hand over raw WebSockets (the official client never sends it): the offending
// connection gets the reference's error and is closed, while an official client next to it keeps working.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { RS, RawSocket, startedConnection, stopAll, wsBaseUrl } from "./support.mjs";

const TIMEOUT = { timeout: 15000 };

let bystander;

before(async () => {
	bystander = await startedConnection("/testhub");
});

after(async () => {
	await stopAll(bystander);
});

async function bystanderStillWorks() {
	assert.equal(await bystander.invoke("Echo", "still here"), "still here");
}

/** Opens a raw socket to /testhub without negotiation and completes the JSON handshake. */
async function handshaken() {
	const socket = new RawSocket(`${wsBaseUrl}/testhub`);
	await socket.handshake();
	return socket;
}

/** Asserts that the socket gets exactly this Close message and then closes. */
async function expectCloseMessage(socket, error) {
	const close = await socket.waitForMessage((m) => m.type === 7, 5000, "a Close message");
	assert.deepEqual(close, { type: 7, error, allowReconnect: true });
	await socket.waitForClose();
}

test("malformed JSON after the handshake closes the connection with the error and allowReconnect", TIMEOUT, async () => {
	const socket = await handshaken();
	socket.send("this is not json" + RS);
	await expectCloseMessage(socket, "Connection closed with an error. InvalidDataException: Error reading JSON.");
	await bystanderStillWorks();
});

test("a message that is not a JSON object closes the connection", TIMEOUT, async () => {
	const socket = await handshaken();
	socket.send("[1,2,3]" + RS);
	await expectCloseMessage(socket, "Connection closed with an error. InvalidDataException: Unexpected JSON Token Type 'StartArray'. Expected a JSON Object.");
	await bystanderStillWorks();
});

test("a message without a type closes the connection", TIMEOUT, async () => {
	const socket = await handshaken();
	socket.send(JSON.stringify({ target: "Echo", arguments: ["x"] }) + RS);
	await expectCloseMessage(socket, "Connection closed with an error. InvalidDataException: Missing required property 'type'.");
	await bystanderStillWorks();
});

test("a message of an unknown type is ignored, as future protocol versions may add types", TIMEOUT, async () => {
	const socket = await handshaken();
	socket.send(JSON.stringify({ type: 99 }) + RS + JSON.stringify({ type: 1, invocationId: "1", target: "Echo", arguments: ["after unknown"] }) + RS);
	const completion = await socket.waitForMessage((m) => m.type === 3, 5000, "the Echo completion");
	assert.deepEqual(completion, { type: 3, invocationId: "1", result: "after unknown" });
	socket.socket.close();
	await socket.waitForClose();
	await bystanderStillWorks();
});

test("a message over 32768 bytes closes the connection with the maximum-size error", TIMEOUT, async () => {
	const socket = await handshaken();
	socket.send(JSON.stringify({ type: 1, invocationId: "1", target: "Echo", arguments: ["x".repeat(33000)] }) + RS);
	await expectCloseMessage(
		socket,
		"Connection closed with an error. InvalidDataException: The maximum message size of 32768B was exceeded. The message size can be configured with signalr.hub.maximum-receive-message-size.",
	);
	assert.equal(socket.messages().some((m) => m.type === 3), false, "no completion for the oversized invocation");
	await bystanderStillWorks();
});

test("a large message within the maximum size is accepted", TIMEOUT, async () => {
	const socket = await handshaken();
	const text = "y".repeat(32000);
	socket.send(JSON.stringify({ type: 1, invocationId: "1", target: "Echo", arguments: [text] }) + RS);
	const completion = await socket.waitForMessage((m) => m.type === 3, 5000, "the Echo completion");
	assert.equal(completion.result, text);
	socket.socket.close();
	await socket.waitForClose();
});

test("an invalid handshake gets a handshake error response and the socket closes", TIMEOUT, async () => {
	const socket = new RawSocket(`${wsBaseUrl}/testhub`);
	await socket.opened;
	socket.send("{not json" + RS);
	const frame = await socket.waitForFrame();
	assert.ok(frame.text.endsWith(RS), JSON.stringify(frame.text));
	const response = JSON.parse(frame.text.slice(0, -1));
	assert.deepEqual(Object.keys(response), ["error"]);
	assert.match(response.error, /^An unexpected error occurred during connection handshake\./);
	await socket.waitForClose();
	await bystanderStillWorks();
});

test("a handshake for an unknown protocol is refused by name", TIMEOUT, async () => {
	const socket = new RawSocket(`${wsBaseUrl}/testhub`);
	await socket.opened;
	socket.send(JSON.stringify({ protocol: "x", version: 1 }) + RS);
	const frame = await socket.waitForFrame();
	assert.equal(frame.text, JSON.stringify({ error: "The protocol 'x' is not supported." }) + RS);
	await socket.waitForClose();
	await bystanderStillWorks();
});

test("a handshake for an unsupported protocol version is refused", TIMEOUT, async () => {
	const socket = new RawSocket(`${wsBaseUrl}/testhub`);
	await socket.opened;
	socket.send(JSON.stringify({ protocol: "json", version: 99 }) + RS);
	const frame = await socket.waitForFrame();
	assert.equal(frame.text, JSON.stringify({ error: "The server does not support version 99 of the 'json' protocol." }) + RS);
	await socket.waitForClose();
	await bystanderStillWorks();
});
