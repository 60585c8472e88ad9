// Two chat nodes sharing Redis: Ada on the first node, Bob on the second; what one sends reaches the
// other, to everyone and to a room.
// Usage: node two-nodes.cjs <first node url> <second node url>
// Exits 0 when every check holds; prints the failure and exits 1 otherwise.
"use strict";

// the client the page uses, from the frontend's npm install (its own dependencies resolve from there)
const signalR = require("../../main/frontend/node_modules/@microsoft/signalr");

const WAIT_MS = 10000;
const [firstUrl, secondUrl] = process.argv.slice(2);

async function connect(baseUrl, name) {
	const connection = new signalR.HubConnectionBuilder()
		.withUrl(baseUrl + "/chat?name=" + encodeURIComponent(name))
		.configureLogging(signalR.LogLevel.Warning)
		.build();
	const client = { name, connection, received: [] };
	for (const target of ["ReceiveMessage", "UserJoined"]) {
		connection.on(target, (...args) => client.received.push(target + "(" + args.join(", ") + ")"));
	}
	await connection.start();
	return client;
}

async function expect(client, event) {
	const deadline = Date.now() + WAIT_MS;
	while (!client.received.includes(event)) {
		if (Date.now() > deadline) {
			throw new Error(client.name + " did not receive " + event + " within " + WAIT_MS + " ms; got "
				+ JSON.stringify(client.received));
		}
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

async function main() {
	const ada = await connect(firstUrl, "Ada");
	const bob = await connect(secondUrl, "Bob");
	try {
		await ada.connection.invoke("SendMessage", "Ada", "hello from the first node");
		await expect(bob, "ReceiveMessage(Ada, hello from the first node)");
		await bob.connection.invoke("SendMessage", "Bob", "hello from the second node");
		await expect(ada, "ReceiveMessage(Bob, hello from the second node)");

		await bob.connection.invoke("JoinRoom", "lobby");
		await ada.connection.invoke("JoinRoom", "lobby");
		await expect(bob, "UserJoined(Ada, lobby)");
		await ada.connection.invoke("SendToRoom", "lobby", "Ada", "in the lobby");
		await expect(bob, "ReceiveMessage(Ada, in the lobby)");
		console.log("two nodes passed");
	}
	finally {
		await Promise.allSettled([ada.connection.stop(), bob.connection.stop()]);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
