// Three official JavaScript clients (Node), one per transport, chat through the hub. Prints the server's
// /actuator/prometheus before they connect (after a "--- before ---" line) and after they chatted, while
// they are still connected (after "--- during ---"), each scrape ending with "--- end ---".
// Usage: node prometheus-clients.cjs <base url>
// Exits 0 after the scrape; prints the failure and exits 1 otherwise.
"use strict";

const signalR = require("../../main/frontend/node_modules/@microsoft/signalr");

const WAIT_MS = 10000;
const [baseUrl] = process.argv.slice(2);

async function connect(name, transport) {
	const connection = new signalR.HubConnectionBuilder()
		.withUrl(baseUrl + "/chat?name=" + name, { transport })
		.configureLogging(signalR.LogLevel.Warning)
		.build();
	const client = { name, connection, received: 0 };
	connection.on("ReceiveMessage", () => {
		client.received++;
	});
	await connection.start();
	return client;
}

async function until(description, check) {
	const deadline = Date.now() + WAIT_MS;
	while (!check()) {
		if (Date.now() > deadline) {
			throw new Error(description + " did not happen within " + WAIT_MS + " ms");
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

async function scrape(label) {
	const response = await fetch(baseUrl + "/actuator/prometheus");
	if (response.status !== 200) {
		throw new Error("/actuator/prometheus answered " + response.status);
	}
	console.log("--- " + label + " ---\n" + (await response.text()) + "\n--- end ---");
}

async function main() {
	const clients = [];
	try {
		await scrape("before");
		clients.push(await connect("ada", signalR.HttpTransportType.WebSockets));
		clients.push(await connect("grace", signalR.HttpTransportType.ServerSentEvents));
		clients.push(await connect("linus", signalR.HttpTransportType.LongPolling));
		for (const client of clients) {
			await client.connection.invoke("SendMessage", client.name, "hello from " + client.name);
		}
		await until("every client receiving the three messages",
			() => clients.every((client) => client.received === 3));
		await scrape("during");
	}
	finally {
		await Promise.all(clients.map((client) => client.connection.stop().catch(() => {})));
	}
	console.log("prometheus clients passed");
}

main().then(() => process.exit(0), (error) => {
	console.error("prometheus clients failed: " + (error && error.stack ? error.stack : error));
	process.exit(1);
});
