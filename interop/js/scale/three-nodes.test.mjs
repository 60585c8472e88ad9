// Three nodes sharing a Redis behind a round-robin proxy without affinity (SIGNALR_BASE_URL): official
// clients on long polling, Server-Sent Events and WebSockets, each HTTP request on a new TCP connection
// (so negotiate, polls, POSTs and DELETE land on whichever node is next), join one group; a HubContext
// send from each node in turn (SIGNALR_NODE_URLS, the nodes' own addresses) reaches every client.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HttpTransportType, HubConnectionBuilder, LogLevel } from "@microsoft/signalr";
import { Inbox, NewConnectionPerRequestHttpClient, baseUrl, nodeUrls, withTimeout } from "./support.mjs";

const GROUP = "everyone";

async function startClient(transport, logs) {
	const connection = new HubConnectionBuilder()
		.withUrl(`${baseUrl}/scale`, { transport, httpClient: new NewConnectionPerRequestHttpClient() })
		.configureLogging({
			log(level, message) {
				if (level >= LogLevel.Warning) {
					logs.push(`${HttpTransportType[transport]}: ${message}`);
				}
			},
		})
		.build();
	const inbox = new Inbox(connection);
	await withTimeout(connection.start(), 15000, `start over ${HttpTransportType[transport]}`);
	await withTimeout(connection.invoke("JoinGroup", GROUP), 15000, "JoinGroup");
	const owner = await withTimeout(connection.invoke("OwnerNode"), 15000, "OwnerNode");
	return { transport, connection, inbox, owner };
}

async function broadcastFrom(nodeUrl, message) {
	const url = `${nodeUrl}/scale/broadcast?${new URLSearchParams({ group: GROUP, message })}`;
	const response = await withTimeout(fetch(url, { method: "POST" }), 10000, url);
	assert.equal(response.status, 200, `${url} answered ${response.status}`);
	return response.text();
}

test("clients on every transport spread over three nodes receive a group broadcast sent from any node",
	{ timeout: 90000 }, async () => {
		const transports = [HttpTransportType.LongPolling, HttpTransportType.ServerSentEvents,
			HttpTransportType.WebSockets];
		const clients = [];
		const logs = [];
		try {
			// two clients per transport, and more until the connections live on all three nodes
			for (let i = 0; clients.length < 6 || new Set(clients.map((c) => c.owner)).size < nodeUrls.length; i++) {
				assert.ok(i < 15, `connections owned by ${new Set(clients.map((c) => c.owner)).size} nodes only`);
				clients.push(await startClient(transports[i % transports.length], logs));
			}
			for (const transport of transports) {
				const owners = new Set(clients.filter((c) => c.transport === transport).map((c) => c.owner));
				console.log(`${HttpTransportType[transport]}: connections owned by ${[...owners].join(", ")}`);
			}

			for (let round = 0; round < 2; round++) {
				for (const [index, nodeUrl] of nodeUrls.entries()) {
					const message = `round ${round} from node ${index}`;
					const sentBy = await broadcastFrom(nodeUrl, message);
					await withTimeout(Promise.all(clients.map((c) => c.inbox.until(message))), 10000,
						`"${message}" (sent by ${sentBy}) at every client: ${clients.filter((c) => !c.inbox.messages
							.includes(message)).map((c) => `${HttpTransportType[c.transport]} on ${c.owner}`)}`);
				}
			}
			const expected = [0, 1].flatMap((round) => nodeUrls.map((_, index) => `round ${round} from node ${index}`));
			for (const client of clients) {
				assert.deepEqual(client.inbox.messages, expected,
					`messages of the ${HttpTransportType[client.transport]} client on ${client.owner}`);
			}
		}
		catch (error) {
			console.log(logs.join("\n"));
			throw error;
		}
		finally {
			await Promise.allSettled(clients.map((c) => withTimeout(c.connection.stop(), 10000, "stop")));
		}
	});
