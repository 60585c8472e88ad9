// Shared helpers of the legacy (ASP.NET SignalR 2) client tests: the server's base URL, its test hooks
// (lifecycle counts, pushes from outside a hub call) and a bounded wait.
import assert from "node:assert/strict";

export const baseUrl = (process.env.SIGNALR_BASE_URL ?? "").replace(/\/$/, "");
if (!baseUrl) {
	throw new Error("SIGNALR_BASE_URL is not set; it must name the running interop server");
}

export const WAIT_MS = 10000;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls check() until it returns a truthy value (returned) or fails after timeoutMs. */
export async function waitFor(what, check, timeoutMs = WAIT_MS) {
	const deadline = Date.now() + timeoutMs;
	let last;
	while (Date.now() < deadline) {
		last = await check();
		if (last) {
			return last;
		}
		await sleep(100);
	}
	assert.fail(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** The server's lifecycle counts of one connection: connected, reconnected, disconnectedStopCalled, disconnectedTimeout. */
export async function events(connectionId) {
	const response = await fetch(`${baseUrl}/legacy-test/events/${encodeURIComponent(connectionId)}`);
	assert.equal(response.status, 200);
	return response.json();
}

/** Waits until the server counted exactly `expected` of `event` for the connection. */
export async function expectEvent(connectionId, event, expected, timeoutMs = WAIT_MS) {
	return waitFor(`${event}=${expected} for ${connectionId}`, async () => {
		const counts = await events(connectionId);
		return counts[event] === expected ? counts : false;
	}, timeoutMs);
}

/** Sends addMessage("hook", message) to a connection, a group or everyone through the server's HubContext. */
export async function push(target, message) {
	const query = new URLSearchParams({ ...target, message });
	const response = await fetch(`${baseUrl}/legacy-test/push?${query}`, { method: "POST" });
	assert.equal(response.status, 200, `push ${query}`);
}
