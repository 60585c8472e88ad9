// ASP.NET Core 11's authentication refresh with the 11.x client's withAuthenticationRefresh(), against
// /authorizedhub (refresh enabled, as on the reference's functional-test server) with
// signalr.close-on-authentication-expiration=true (the JUnit test sets it). Every token lives 10 s; the
// client refreshes halfway through a token's life. The three transports run side by side.
import { test } from "node:test";
import assert from "node:assert/strict";
import { TRANSPORTS, builder, delay, expiryOf, fetchToken, signalr, withTimeout } from "./support.mjs";

const { HubConnectionState } = signalr;

const LIFETIME_SECONDS = 10;

/** How long the refreshing connections keep invoking: several token lifetimes. */
const RUN_MS = 40000;

/** How long after the token's expiry the close may come (the server checks on its heartbeat). */
const CLOSE_WITHIN_MS = 10000;

const TIMEOUT = { timeout: 120000 };

test("the client is 11.x", () => {
	assert.ok(signalr.VERSION.startsWith("11."), `client ${signalr.VERSION}`);
});

/** Runs `scenario` on every transport at once; a failure names its transport. */
async function onEveryTransport(scenario) {
	const results = await Promise.allSettled(TRANSPORTS.map(async ([name, transport]) => {
		try {
			await scenario(transport);
		}
		catch (error) {
			error.message = `${name}: ${error.message}`;
			throw error;
		}
	}));
	const failures = results.filter((result) => result.status === "rejected").map((result) => result.reason);
	if (failures.length > 0) {
		throw failures[0];
	}
}

test(`with withAuthenticationRefresh() a connection keeps invoking for ${RUN_MS / 1000} s on 10-s tokens`, TIMEOUT,
	() => onEveryTransport(async (transport) => {
		const tokens = [];
		const connection = builder("/authorizedhub", transport, {
			accessTokenFactory: async () => {
				const token = await fetchToken("testuser", LIFETIME_SECONDS);
				tokens.push(token);
				return token;
			},
		}).withAuthenticationRefresh().build();
		const refreshes = [];
		connection.onAuthenticationRefreshed((context) => refreshes.push(context.newTokenLifetimeInSeconds));
		const failures = [];
		connection.onAuthenticationRefreshFailed((context) => failures.push(context.error));
		let closed;
		connection.onclose((error) => {
			closed = { at: Date.now(), error };
		});
		await withTimeout(connection.start(), 20000, "start()");
		try {
			const firstExpiry = expiryOf(tokens[0]);
			const end = Date.now() + RUN_MS;
			let calls = 0;
			while (Date.now() < end) {
				assert.equal(closed, undefined, "the connection was closed");
				assert.equal(await withTimeout(connection.invoke("Echo", `call ${calls}`), 20000, "Echo"), `call ${calls}`);
				calls++;
				await delay(1000);
			}
			assert.ok(Date.now() > firstExpiry + CLOSE_WITHIN_MS, "ran past the first token's expiry");
			assert.equal(connection.state, HubConnectionState.Connected);
			assert.deepEqual(failures, []);
			// a refresh about every 5 s, each reporting the new token's lifetime
			assert.ok(refreshes.length >= 5, `${refreshes.length} refreshes`);
			for (const lifetime of refreshes) {
				assert.ok(lifetime >= LIFETIME_SECONDS - 2 && lifetime <= LIFETIME_SECONDS, `lifetime ${lifetime}`);
			}
		}
		finally {
			await withTimeout(connection.stop(), 20000, "stop()");
		}
	}));

test("without refresh the same connection is closed when its first token expires", TIMEOUT,
	() => onEveryTransport(async (transport) => {
		const token = await fetchToken("testuser", LIFETIME_SECONDS);
		const expiry = expiryOf(token);
		const connection = builder("/authorizedhub", transport, { accessTokenFactory: () => token }).build();
		const closed = new Promise((resolve) => connection.onclose((error) => resolve({ at: Date.now(), error })));
		await withTimeout(connection.start(), 20000, "start()");
		assert.equal(await withTimeout(connection.invoke("Echo", "before expiry"), 20000, "Echo"), "before expiry");
		const { at, error } = await withTimeout(closed, expiry - Date.now() + CLOSE_WITHIN_MS + 5000, "onclose");
		// exp has whole seconds: the token really expires up to 1 s after it
		assert.ok(at >= expiry - 1000, `closed ${expiry - at} ms before the token's expiry`);
		assert.ok(at <= expiry + CLOSE_WITHIN_MS, `closed ${at - expiry} ms after the token's expiry`);
		assert.equal(error, undefined);
	}));

test("a refresh with another user's token fails and the connection goes on as its user", TIMEOUT,
	() => onEveryTransport(async (transport) => {
		let user = "alice";
		const connection = builder("/authorizedhub", transport, {
			accessTokenFactory: () => fetchToken(user, 60),
		}).withAuthenticationRefresh({ enableAutoRefresh: false }).build();
		const failures = [];
		connection.onAuthenticationRefreshFailed((context) => failures.push(context.error));
		await withTimeout(connection.start(), 20000, "start()");
		try {
			user = "bob";
			await assert.rejects(connection.refreshAuthentication(), /authentication refresh '403'/);
			assert.equal(failures.length, 1);
			assert.equal(connection.state, HubConnectionState.Connected);
			assert.equal(await withTimeout(connection.invoke("Echo", "still alice"), 20000, "Echo"), "still alice");
			user = "alice";
			const lifetime = await withTimeout(connection.refreshAuthentication(), 20000, "refreshAuthentication()");
			assert.ok(lifetime >= 58 && lifetime <= 60, `lifetime ${lifetime}`);
		}
		finally {
			await withTimeout(connection.stop(), 20000, "stop()");
		}
	}));
