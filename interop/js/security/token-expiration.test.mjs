// With signalr.close-on-authentication-expiration=true (the JUnit test sets it), a connection whose
// 5-second token expires is closed on every transport, with a Close that allows the client to
// reconnect with a fresh token. The JUnit test runs it with the 10.x client (SIGNALR_CLIENT=signalr10),
// which cannot refresh its token: authentication-refresh.test.mjs covers the 11.x client.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { TRANSPORTS, builder, expiryOf, fetchToken, signalr, withTimeout } from "./support.mjs";

const { HubConnectionState } = signalr;

test("the client is the one asked for", () => {
	if (process.env.SIGNALR_CLIENT_VERSION) {
		assert.ok(signalr.VERSION.startsWith(process.env.SIGNALR_CLIENT_VERSION), `client ${signalr.VERSION}`);
	}
});

const TIMEOUT = { timeout: 60000 };

/** How long after the token's expiry the close may come (the server checks on its heartbeat). */
const CLOSE_WITHIN_MS = 10000;

for (const [name, transport] of TRANSPORTS) {
	describe(`expired token over ${name}`, () => {
		test("the connection is closed within 10 s after its token expires", TIMEOUT, async () => {
			const token = await fetchToken("testuser");
			const expiry = expiryOf(token);
			const connection = builder("/authorizedhub", transport, { accessTokenFactory: () => token }).build();
			const closed = new Promise((resolve) => connection.onclose((error) => resolve({ at: Date.now(), error })));
			await withTimeout(connection.start(), 20000, "start()");
			assert.equal(await withTimeout(connection.invoke("Echo", "before expiry"), 20000, "Echo"), "before expiry");
			const { at, error } = await withTimeout(closed, expiry - Date.now() + CLOSE_WITHIN_MS + 5000, "onclose");
			// exp has whole seconds: the token really expires up to 1 s after it
			assert.ok(at >= expiry - 1000, `closed ${expiry - at} ms before the token's expiry`);
			assert.ok(at <= expiry + CLOSE_WITHIN_MS, `closed ${at - expiry} ms after the token's expiry`);
			// the server's Close carries no error
			assert.equal(error, undefined);
			assert.equal(connection.state, HubConnectionState.Disconnected);
		});

		test("the Close lets an automatically reconnecting client come back with a fresh token", TIMEOUT, async () => {
			let tokens = 0;
			let firstExpiry;
			const connection = builder("/authorizedhub", transport, {
				accessTokenFactory: async () => {
					const token = await fetchToken("testuser");
					if (tokens++ === 0) {
						firstExpiry = expiryOf(token);
					}
					return token;
				},
			}).withAutomaticReconnect([0, 1000, 1000]).build();
			const reconnecting = new Promise((resolve) => connection.onreconnecting(() => resolve(Date.now())));
			const reconnected = new Promise((resolve) => connection.onreconnected(resolve));
			await withTimeout(connection.start(), 20000, "start()");
			try {
				const firstId = connection.connectionId;
				const at = await withTimeout(reconnecting, firstExpiry - Date.now() + CLOSE_WITHIN_MS + 5000,
					"onreconnecting");
				assert.ok(at <= firstExpiry + CLOSE_WITHIN_MS, `closed ${at - firstExpiry} ms after expiry`);
				await withTimeout(reconnected, 20000, "onreconnected");
				assert.notEqual(connection.connectionId, firstId);
				assert.ok(tokens >= 2, "a fresh token was asked for");
				assert.equal(await withTimeout(connection.invoke("Echo", "reconnected"), 20000, "Echo"), "reconnected");
			} finally {
				await withTimeout(connection.stop(), 20000, "stop()");
			}
		});
	});
}
