// The chat with login required (signalr.hubs.ChatHub.authenticated=true): an anonymous client and a
// wrong password get the negotiate's 401; clients logged in with HTTP basic (the client's `headers`
// option) chat over every transport, and the hub names them by their login.
// Usage: node secured-chat.cjs <base url> <user> <password>
// Exits 0 when every check holds; prints the failure and exits 1 otherwise.
"use strict";

const signalR = require("../../main/frontend/node_modules/@microsoft/signalr");

const WAIT_MS = 10000;
const UNAUTHORIZED = "Failed to complete negotiation with the server: Error: Unauthorized: Status code '401'";
const [baseUrl, user, password] = process.argv.slice(2);

function withTimeout(promise, what) {
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error("timed out after " + WAIT_MS + " ms waiting for " + what)), WAIT_MS);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function build(transport, headers) {
	// ?name= is what anonymous chatters go by; a logged-in one is named by the login instead
	return new signalR.HubConnectionBuilder()
		.withUrl(baseUrl + "/chat?name=mallory", { transport, headers })
		.configureLogging(signalR.LogLevel.None)
		.build();
}

function basic(name, secret) {
	return { Authorization: "Basic " + Buffer.from(name + ":" + secret).toString("base64") };
}

async function expectUnauthorized(label, headers) {
	const connection = build(signalR.HttpTransportType.WebSockets, headers);
	try {
		await withTimeout(connection.start(), "start() of " + label);
	} catch (error) {
		if (error.message !== UNAUTHORIZED) {
			throw new Error(label + " failed with " + JSON.stringify(error.message) + " instead of the 401");
		}
		return;
	}
	await connection.stop();
	throw new Error(label + " was let in");
}

/** Resolves with the arguments of the first `target` call whose arguments satisfy the predicate. */
function next(connection, target, predicate) {
	return new Promise((resolve) => {
		connection.on(target, (...args) => {
			if (predicate(...args)) {
				resolve(args);
			}
		});
	});
}

async function main() {
	await expectUnauthorized("an anonymous client", {});
	await expectUnauthorized("a wrong password", basic(user, password + "-wrong"));

	const transports = {
		WebSockets: signalR.HttpTransportType.WebSockets,
		ServerSentEvents: signalR.HttpTransportType.ServerSentEvents,
		LongPolling: signalR.HttpTransportType.LongPolling,
	};
	const connections = {};
	for (const [name, transport] of Object.entries(transports)) {
		connections[name] = build(transport, basic(user, password));
		await withTimeout(connections[name].start(), "start() over " + name);
	}
	try {
		const text = "hello from a logged-in " + user;
		const arrived = new Set();
		const received = Object.entries(connections).map(([name, connection]) =>
			next(connection, "ReceiveMessage", (from, message) => message === text).then(() => arrived.add(name)));
		await withTimeout(connections.WebSockets.invoke("SendMessage", user, text), "SendMessage");
		await withTimeout(Promise.all(received), "ReceiveMessage on every transport")
			.catch((error) => {
				throw new Error(error.message + " (arrived on: " + [...arrived].join(", ") + ")");
			});

		const joined = next(connections.LongPolling, "UserJoined", (who, room) => room === "members");
		await withTimeout(connections.LongPolling.invoke("JoinRoom", "members"), "JoinRoom");
		const [who] = await withTimeout(joined, "UserJoined");
		if (who !== user) {
			throw new Error("the hub named the logged-in user " + JSON.stringify(who) + " instead of " + user);
		}
	} finally {
		await Promise.all(Object.values(connections).map((connection) => connection.stop()));
	}
	console.log("secured chat passed");
}

main().then(() => process.exit(0), (error) => {
	console.error(error.stack || String(error));
	process.exit(1);
});
