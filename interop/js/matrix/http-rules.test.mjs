// The HTTP rules of the transports, with a plain HTTP client: status codes and bodies as the
// reference's dispatcher answers them.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";

const baseUrl = process.env.SIGNALR_BASE_URL.replace(/\/$/, "");
const RS = "\u001e";
const LIMIT = { timeout: 20000 };

// streams and sockets the tests abandon must not keep the file running
after(() => setTimeout(() => process.exit(), 200).unref());

function within(promise, ms, what) {
	let timer;
	return Promise.race([promise, new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
	})]).finally(() => clearTimeout(timer));
}

async function negotiate(path = "/testhub") {
	const response = await fetch(`${baseUrl}${path}/negotiate?negotiateVersion=1`, { method: "POST" });
	return encodeURIComponent((await response.json()).connectionToken);
}

async function text(response) {
	return [response.status, await response.text()];
}

test("a transport request without id is refused, an unknown id is not found", LIMIT, async () => {
	assert.deepEqual(await text(await fetch(`${baseUrl}/testhub`)), [400, "Connection ID required"]);
	assert.deepEqual(await text(await fetch(`${baseUrl}/testhub?id=nope`)), [404, "No Connection with that ID"]);
	assert.deepEqual(await text(await fetch(`${baseUrl}/testhub?id=nope`, { method: "POST", body: "x" })),
		[404, "No Connection with that ID"]);
});

test("long polling: first poll at once, newer poll ends the older with 204, DELETE ends all", LIMIT, async () => {
	const id = await negotiate();
	const first = await fetch(`${baseUrl}/testhub?id=${id}`);
	assert.equal(first.status, 200);
	assert.equal(await first.text(), "");
	assert.match(first.headers.get("cache-control"), /no-cache/);
	const older = within(fetch(`${baseUrl}/testhub?id=${id}`).then(text), 10000, "the older poll");
	await new Promise((resolve) => setTimeout(resolve, 200));
	const newer = within(fetch(`${baseUrl}/testhub?id=${id}`).then(text), 10000, "the newer poll");
	assert.deepEqual(await older, [204, ""]);
	await new Promise((resolve) => setTimeout(resolve, 200));
	assert.deepEqual(await text(await fetch(`${baseUrl}/testhub?id=${id}`, { headers: { Accept: "text/event-stream" } })),
		[400, "Cannot change transports mid-connection"]);
	const deleted = await fetch(`${baseUrl}/testhub?id=${id}`, { method: "DELETE" });
	assert.equal(deleted.status, 202);
	assert.deepEqual(await newer, [204, ""]);
	const after = await fetch(`${baseUrl}/testhub?id=${id}`);
	assert.ok(after.status === 404 || after.status === 204, `poll after DELETE: ${after.status}`);
});

test("long polling: one POST of any content type may carry several messages; one poll returns all queued", LIMIT, async () => {
	const id = await negotiate();
	assert.equal((await fetch(`${baseUrl}/testhub?id=${id}`)).status, 200);
	const body = `{"protocol":"json","version":1}${RS}`
		+ `{"type":1,"invocationId":"1","target":"Echo","arguments":["one"]}${RS}`
		+ `{"type":1,"invocationId":"2","target":"Echo","arguments":["two"]}${RS}`;
	const posted = await fetch(`${baseUrl}/testhub?id=${id}`, { method: "POST", body,
		headers: { "Content-Type": "application/octet-stream" } });
	assert.equal(posted.status, 200);
	await new Promise((resolve) => setTimeout(resolve, 300));
	const [status, polled] = await text(await fetch(`${baseUrl}/testhub?id=${id}`));
	assert.equal(status, 200);
	assert.equal(polled, `{}${RS}{"type":3,"invocationId":"1","result":"one"}${RS}{"type":3,"invocationId":"2","result":"two"}${RS}`);
	assert.equal((await fetch(`${baseUrl}/testhub?id=${id}`, { method: "DELETE" })).status, 202);
});

test("server-sent events: one stream per connection, no DELETE", LIMIT, async () => {
	const id = await negotiate();
	const controller = new AbortController();
	const stream = await fetch(`${baseUrl}/testhub?id=${id}`, { headers: { Accept: "text/event-stream" }, signal: controller.signal });
	assert.equal(stream.status, 200);
	assert.match(stream.headers.get("content-type"), /^text\/event-stream/);
	assert.match(stream.headers.get("cache-control"), /no-cache/);
	assert.equal((await fetch(`${baseUrl}/testhub?id=${id}`, { headers: { Accept: "text/event-stream" } })).status, 409);
	assert.deepEqual(await text(await fetch(`${baseUrl}/testhub?id=${id}`)), [400, "Cannot change transports mid-connection"]);
	assert.deepEqual(await text(await fetch(`${baseUrl}/testhub?id=${id}`, { method: "DELETE" })),
		[400, "Cannot terminate this connection using the DELETE endpoint."]);
	controller.abort();
	// the dropped stream ends the connection
	let status = 200;
	for (let i = 0; i < 50 && status !== 404; i++) {
		await new Promise((resolve) => setTimeout(resolve, 100));
		status = (await fetch(`${baseUrl}/testhub?id=${id}`, { method: "POST", body: "x" })).status;
	}
	assert.equal(status, 404);
});

test("a MessagePack handshake over server-sent events gets the reference's error", LIMIT, async () => {
	const id = await negotiate();
	const controller = new AbortController();
	const stream = await fetch(`${baseUrl}/testhub?id=${id}`, { headers: { Accept: "text/event-stream" }, signal: controller.signal });
	const reader = stream.body.getReader();
	await fetch(`${baseUrl}/testhub?id=${id}`, { method: "POST", body: `{"protocol":"messagepack","version":1}${RS}` });
	let received = "";
	while (!received.includes("error")) {
		const { value, done } = await within(reader.read(), 5000, "the handshake error event");
		if (done) {
			break;
		}
		received += new TextDecoder().decode(value);
	}
	assert.ok(received.includes(`data: {"error":"Cannot use the 'messagepack' protocol on the current transport. The transport does not support 'Binary' transfer format."}`),
		JSON.stringify(received));
	controller.abort();
});

test("POST to a WebSocket connection is not allowed; disabled transports are not found", LIMIT, async () => {
	const id = await negotiate();
	const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/testhub?id=${id}`);
	await new Promise((resolve, reject) => { socket.on("open", resolve); socket.on("error", reject); });
	assert.deepEqual(await text(await fetch(`${baseUrl}/testhub?id=${id}`, { method: "POST", body: "x" })),
		[405, "POST requests are not allowed for WebSocket connections."]);
	socket.close();
	const noWs = await negotiate("/testhub-nowebsockets");
	const refused = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/testhub-nowebsockets?id=${noWs}`);
	const status = await within(new Promise((resolve) => {
		refused.on("unexpected-response", (request, response) => resolve(response.statusCode));
		refused.on("open", () => resolve("open"));
		refused.on("error", () => {});
	}), 5000, "the refused upgrade");
	refused.terminate();
	assert.equal(status, 404);
});
