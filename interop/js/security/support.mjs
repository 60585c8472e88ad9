// Helpers of the security tests: the server URL, JWTs from /generateJwtToken and bounded waits.
// SIGNALR_CLIENT names the client package to use: "@microsoft/signalr" (11.x) by default, "signalr10" for
// the 10.x client kept for older clients (an npm alias of @microsoft/signalr@10).

/** The official JavaScript client the tests use. */
export const signalr = await import(process.env.SIGNALR_CLIENT || "@microsoft/signalr");

const { HubConnectionBuilder, HttpTransportType, LogLevel } = signalr;

const base = process.env.SIGNALR_BASE_URL;
if (!base) {
	throw new Error("SIGNALR_BASE_URL is not set (the JUnit test passes the server URL)");
}

/** The server's base URL without a trailing slash. */
export const baseUrl = base.replace(/\/$/, "");

/** The three transports, by the names the tests print. */
export const TRANSPORTS = [
	["WebSockets", HttpTransportType.WebSockets],
	["ServerSentEvents", HttpTransportType.ServerSentEvents],
	["LongPolling", HttpTransportType.LongPolling],
];

/** A fresh JWT (valid 5 s, or `lifetime` seconds) naming `user`. */
export async function fetchToken(user = "testuser", lifetime = 5) {
	const response = await fetch(`${baseUrl}/generateJwtToken?user=${encodeURIComponent(user)}&lifetime=${lifetime}`);
	if (response.status !== 200) {
		throw new Error(`/generateJwtToken answered ${response.status}`);
	}
	return response.text();
}

/** The expiry (`exp`, in milliseconds since the epoch) of a JWT. */
export function expiryOf(token) {
	const payload = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
	return payload.exp * 1000;
}

/** Rejects with a message naming what was awaited when the promise does not settle in time. */
export function withTimeout(promise, ms, what) {
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function delay(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A logger that keeps warnings and errors, to show when a test fails. */
export function memoryLogger() {
	const lines = [];
	return {
		lines,
		log(level, message) {
			if (process.env.SIGNALR_TRACE) {
				console.log(`${new Date().toISOString()} ${LogLevel[level]}: ${message}`);
			}
			if (level >= LogLevel.Warning) {
				lines.push(`${LogLevel[level]}: ${message}`);
			}
		},
	};
}

/** A builder for `path` over one transport with extra connection options. */
export function builder(path, transport, options = {}) {
	return new HubConnectionBuilder()
		.withUrl(baseUrl + path, { transport, ...options })
		.configureLogging(memoryLogger());
}
