// Drives the chat hub with two official JavaScript clients (Node) and checks what they receive.
// Usage: node chat-clients.cjs <base url> <broadcast|rooms|presence>
// Exits 0 when every check holds; prints the failure and exits 1 otherwise.
"use strict";

// the client the page uses, from the frontend's npm install (its own dependencies resolve from there)
const signalR = require("../../main/frontend/node_modules/@microsoft/signalr");

const WAIT_MS = 5000;
const [baseUrl, scenario] = process.argv.slice(2);

/** A connected client that records every callback it receives, in order. */
async function connect(name) {
	const url = baseUrl + "/chat" + (name ? "?name=" + encodeURIComponent(name) : "");
	const connection = new signalR.HubConnectionBuilder()
		.withUrl(url, { transport: signalR.HttpTransportType.WebSockets })
		.configureLogging(signalR.LogLevel.Warning)
		.build();
	const client = { label: name || "anonymous", connection, received: [], waiters: [] };
	for (const target of ["ReceiveMessage", "UserJoined", "UserLeft"]) {
		connection.on(target, (...args) => {
			client.received.push({ target, args });
			client.waiters.forEach((check) => check());
		});
	}
	await connection.start();
	return client;
}

function describe(event) {
	return event.target + "(" + event.args.map((arg) => JSON.stringify(arg)).join(", ") + ")";
}

function matches(event, target, args) {
	return event.target === target && JSON.stringify(event.args) === JSON.stringify(args);
}

/** Resolves with the index of the first matching event; rejects after WAIT_MS. */
function expect(client, target, ...args) {
	return new Promise((resolve, reject) => {
		const check = () => {
			const index = client.received.findIndex((event) => matches(event, target, args));
			if (index >= 0) {
				clearTimeout(timer);
				client.waiters = client.waiters.filter((waiter) => waiter !== check);
				resolve(index);
			}
		};
		const timer = setTimeout(() => {
			client.waiters = client.waiters.filter((waiter) => waiter !== check);
			reject(new Error(client.label + " did not receive " + describe({ target, args }) + " within " + WAIT_MS
				+ " ms; it received: " + client.received.map(describe).join(", ")));
		}, WAIT_MS);
		client.waiters.push(check);
		check();
	});
}

/**
 * Proves a client never got an event: a sentinel broadcast sent afterwards must arrive, and since a
 * connection receives its messages in order, nothing it was spared can still be on its way.
 */
async function expectNone(client, sender, target, ...args) {
	const sentinel = "sentinel-" + Math.random().toString(36).slice(2);
	await sender.connection.invoke("SendMessage", "system", sentinel);
	await expect(client, "ReceiveMessage", "system", sentinel);
	const unwanted = client.received.find((event) => matches(event, target, args));
	if (unwanted) {
		throw new Error(client.label + " received " + describe(unwanted) + " but should not have");
	}
}

const scenarios = {

	async broadcast() {
		const alice = await connect("alice");
		const bob = await connect("bob");
		await alice.connection.invoke("SendMessage", "alice", "hello everyone");
		await expect(alice, "ReceiveMessage", "alice", "hello everyone");
		await expect(bob, "ReceiveMessage", "alice", "hello everyone");
		await bob.connection.invoke("sendmessage", "bob", "hi alice");
		await expect(alice, "ReceiveMessage", "bob", "hi alice");
		await expect(bob, "ReceiveMessage", "bob", "hi alice");
		return [alice, bob];
	},

	async rooms() {
		const alice = await connect("alice");
		const bob = await connect("bob");
		await alice.connection.invoke("JoinRoom", "red");
		await bob.connection.invoke("JoinRoom", "blue");

		await alice.connection.invoke("SendToRoom", "red", "alice", "only red");
		await expect(alice, "ReceiveMessage", "alice", "only red");
		await expectNone(bob, alice, "ReceiveMessage", "alice", "only red");

		await bob.connection.invoke("SendToRoom", "blue", "bob", "only blue");
		await expect(bob, "ReceiveMessage", "bob", "only blue");
		await expectNone(alice, bob, "ReceiveMessage", "bob", "only blue");

		await alice.connection.invoke("LeaveRoom", "red");
		await bob.connection.invoke("JoinRoom", "red");
		await alice.connection.invoke("SendToRoom", "red", "alice", "red without alice");
		await expect(bob, "ReceiveMessage", "alice", "red without alice");
		await expectNone(alice, bob, "ReceiveMessage", "alice", "red without alice");
		return [alice, bob];
	},

	async presence() {
		const alice = await connect("alice");
		const bob = await connect("bob");
		await alice.connection.invoke("JoinRoom", "red");
		await expect(alice, "UserJoined", "alice", "red");
		await bob.connection.invoke("JoinRoom", "blue");
		await expect(bob, "UserJoined", "bob", "blue");
		await expectNone(alice, bob, "UserJoined", "bob", "blue");

		await bob.connection.invoke("JoinRoom", "red");
		await expect(alice, "UserJoined", "bob", "red");
		await expect(bob, "UserJoined", "bob", "red");

		await alice.connection.invoke("LeaveRoom", "red");
		await expect(alice, "UserLeft", "alice", "red");
		await expect(bob, "UserLeft", "alice", "red");

		// without a name query parameter the hub names a client by its connection id
		const anonymous = await connect(null);
		await anonymous.connection.invoke("JoinRoom", "blue");
		const anonymousId = anonymous.connection.connectionId;
		await expect(bob, "UserJoined", anonymousId, "blue");
		await expectNone(alice, bob, "UserJoined", anonymousId, "blue");

		// a client that goes away leaves its rooms, and they are told so
		await anonymous.connection.stop();
		await expect(bob, "UserLeft", anonymousId, "blue");
		return [alice, bob];
	},
};

async function main() {
	const run = scenarios[scenario];
	if (!baseUrl || !run) {
		throw new Error("usage: node chat-clients.cjs <base url> <" + Object.keys(scenarios).join("|") + ">");
	}
	const clients = await run();
	await Promise.all(clients.map((client) => client.connection.stop()));
	console.log("scenario " + scenario + " passed");
}

main().then(() => process.exit(0), (error) => {
	console.error("scenario " + scenario + " failed: " + (error && error.stack ? error.stack : error));
	process.exit(1);
});
