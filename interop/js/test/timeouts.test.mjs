// Run against a server with keep-alive 300ms, client timeout 1s, handshake timeout 1s and disconnect
// timeout 1s (JavaScriptClientTimeoutTests): each interval is observed from the client side.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { RS, RawSocket, baseUrl, delay, hubConnection, memoryLogger, startedConnection, stopAll, withTimeout, wsBaseUrl } from "./support.mjs";

const TIMEOUT = { timeout: 15000 };
const CLIENT_TIMEOUT_MS = 1000;
const DISCONNECT_TIMEOUT_MS = 1000;

let bystander;

before(async () => {
	// the client pings right after its handshake, which starts the server's 1s client timeout
	bystander = await startedConnection("/testhub", { keepAliveInterval: 300 });
});

after(async () => {
	await stopAll(bystander);
});

async function bystanderStillWorks() {
	assert.equal(await bystander.invoke("Echo", "still here"), "still here");
}

async function handshaken() {
	const socket = new RawSocket(`${wsBaseUrl}/testhub`);
	await socket.handshake();
	return socket;
}

test("the server pings an idle client after the keep-alive interval", TIMEOUT, async () => {
	const socket = await handshaken();
	const ping = await socket.waitForMessage((m) => m.type === 6, 5000, "a Ping");
	assert.deepEqual(ping, { type: 6 });
	const afterHandshake = socket.frames.slice(1).map((f) => f.text);
	assert.ok(afterHandshake.every((text) => text === JSON.stringify({ type: 6 }) + RS), JSON.stringify(afterHandshake));
	socket.socket.close();
	await socket.waitForClose();
});

test("a client that pinged once and then stays silent is closed with the client-timeout error", TIMEOUT, async () => {
	const socket = await handshaken();
	socket.send(JSON.stringify({ type: 6 }) + RS);
	const close = await socket.waitForMessage((m) => m.type === 7, 5000, "a Close message");
	assert.deepEqual(close, {
		type: 7,
		error: "Connection closed with an error. OperationCanceledException: Client hasn't sent a message/ping within the configured signalr.hub.client-timeout-interval.",
		allowReconnect: true,
	});
	await socket.waitForClose();
	await bystanderStillWorks();
});

test("a client that never pinged is not timed out", TIMEOUT, async () => {
	const socket = await handshaken();
	await delay(CLIENT_TIMEOUT_MS * 2.5);
	assert.equal(socket.messages().some((m) => m.type === 7), false, "no Close message");
	socket.send(JSON.stringify({ type: 1, invocationId: "1", target: "Echo", arguments: ["alive"] }) + RS);
	const completion = await socket.waitForMessage((m) => m.type === 3, 5000, "the Echo completion");
	assert.deepEqual(completion, { type: 3, invocationId: "1", result: "alive" });
	socket.socket.close();
	await socket.waitForClose();
});

test("an official client that pings with its default interval is timed out by the server", TIMEOUT, async () => {
	// the client's first Ping follows its handshake; its next one is 15 s later, past the 1 s client timeout
	const connection = hubConnection("/testhub");
	const closed = new Promise((resolve) => connection.onclose(resolve));
	await withTimeout(connection.start(), 5000, "start()");
	const error = await withTimeout(closed, 5000, "onclose");
	assert.equal(
		error?.message,
		"Server returned an error on close: Connection closed with an error. OperationCanceledException: Client hasn't sent a message/ping within the configured signalr.hub.client-timeout-interval.",
	);
	await bystanderStillWorks();
});

test("an official client pinging more often than the client timeout stays connected", TIMEOUT, async () => {
	const logger = memoryLogger();
	const connection = hubConnection("/testhub", { keepAliveInterval: 300, logger });
	let closeError = "not closed";
	connection.onclose((error) => (closeError = error));
	await withTimeout(connection.start(), 5000, "start()");
	try {
		await delay(CLIENT_TIMEOUT_MS * 2.5);
		assert.equal(closeError, "not closed", logger.lines.join("\n"));
		assert.equal(await connection.invoke("Echo", "kept alive"), "kept alive");
	} finally {
		await stopAll(connection);
	}
	assert.equal(closeError, undefined);
});

test("a client that never sends its handshake gets 'Handshake was canceled.' and is closed", TIMEOUT, async () => {
	const socket = new RawSocket(`${wsBaseUrl}/testhub`);
	await socket.opened;
	const frame = await socket.waitForFrame(5000);
	assert.equal(frame.text, JSON.stringify({ error: "Handshake was canceled." }) + RS);
	await socket.waitForClose();
	await bystanderStillWorks();
});

test("a negotiated connection that never connects is gone after the disconnect timeout", TIMEOUT, async () => {
	const negotiate = async () => {
		const response = await withTimeout(fetch(`${baseUrl}/testhub/negotiate?negotiateVersion=1`, { method: "POST" }), 5000, "negotiate");
		return (await response.json()).connectionToken;
	};
	const abandoned = await negotiate();
	await delay(DISCONNECT_TIMEOUT_MS * 3);

	const fresh = new RawSocket(`${wsBaseUrl}/testhub?id=${await negotiate()}`);
	await fresh.handshake();
	fresh.socket.close();
	await fresh.waitForClose();

	const late = new RawSocket(`${wsBaseUrl}/testhub?id=${abandoned}`);
	await assert.rejects(withTimeout(late.opened, 5000, "the upgrade to be refused"), {
		statusCode: 404,
		body: "No Connection with that ID",
	});
	await bystanderStillWorks();
});
