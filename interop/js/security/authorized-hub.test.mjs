// The official JavaScript client on /authorizedhub: a token factory opens it on every transport,
// no token gets the reference's 401 error, and (close-on-authentication-expiration being off by
// default) a connection outlives its token.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { HubConnectionState } from "@microsoft/signalr";
import { TRANSPORTS, builder, delay, expiryOf, fetchToken, withTimeout } from "./support.mjs";

const TIMEOUT = { timeout: 60000 };

// The client's text of the negotiate's 401: from the reason phrase, or in other words when the container
// sends none (Tomcat; SIGNALR_REASON_PHRASES=false) and the body is empty
const UNAUTHORIZED = process.env.SIGNALR_REASON_PHRASES === "false"
	? "Unexpected status code returned from negotiate '401'"
	: "Failed to complete negotiation with the server: Error: Unauthorized: Status code '401'";

for (const [name, transport] of TRANSPORTS) {
	describe(`/authorizedhub over ${name}`, () => {
		test("Echo works with a token from accessTokenFactory", TIMEOUT, async () => {
			let calls = 0;
			const connection = builder("/authorizedhub", transport, {
				accessTokenFactory: () => {
					calls++;
					return fetchToken("testuser");
				},
			}).build();
			await withTimeout(connection.start(), 20000, "start()");
			try {
				assert.equal(await withTimeout(connection.invoke("Echo", `hello over ${name}`), 20000, "Echo"),
					`hello over ${name}`);
				assert.ok(calls >= 1, "the factory was asked for a token");
			} finally {
				await withTimeout(connection.stop(), 20000, "stop()");
			}
		});

		test("start() fails with the negotiate's 401 without a token", TIMEOUT, async () => {
			const connection = builder("/authorizedhub", transport).build();
			await assert.rejects(withTimeout(connection.start(), 20000, "start()"), (error) => {
				assert.equal(error.message, UNAUTHORIZED);
				return true;
			});
			assert.equal(connection.state, HubConnectionState.Disconnected);
		});

		test("start() fails with 401 when the factory gives an invalid token", TIMEOUT, async () => {
			const token = await fetchToken("testuser");
			const connection = builder("/authorizedhub", transport, {
				accessTokenFactory: () => token.slice(0, -3) + (token.endsWith("abc") ? "xyz" : "abc"),
			}).build();
			await assert.rejects(withTimeout(connection.start(), 20000, "start()"), (error) => {
				assert.ok(error.message.includes(UNAUTHORIZED), error.message);
				return true;
			});
		});
	});
}

test("without close-on-authentication-expiration a WebSocket connection outlives its token", TIMEOUT, async () => {
	const token = await fetchToken("testuser");
	const [, webSockets] = TRANSPORTS[0];
	const connection = builder("/authorizedhub", webSockets, { accessTokenFactory: () => token }).build();
	let closed = false;
	connection.onclose(() => (closed = true));
	await withTimeout(connection.start(), 20000, "start()");
	try {
		await delay(Math.max(0, expiryOf(token) - Date.now()) + 2000);
		assert.equal(closed, false);
		assert.equal(await withTimeout(connection.invoke("Echo", "after expiry"), 20000, "Echo"), "after expiry");
	} finally {
		await withTimeout(connection.stop(), 20000, "stop()");
	}
});
