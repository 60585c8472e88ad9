// Two nodes sharing a Redis behind a round-robin proxy (SIGNALR_BASE_URL) that skips a node refusing
// connections; the first of SIGNALR_NODE_URLS is shut down (its application context closed, as on
// SIGTERM) while official clients with automatic reconnect call the hub in a loop on every transport.
// Its clients get a Close that allows reconnecting and land on the other node; negotiates it receives
// meanwhile get 503; an invocation still running on it finishes (its group send reaches the other node)
// before it leaves the backplane.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HttpTransportType, HubConnectionBuilder, LogLevel } from "@microsoft/signalr";
import { Inbox, NewConnectionPerRequestHttpClient, baseUrl, nodeUrls, withTimeout } from "./support.mjs";

const GROUP = "everyone";
const [stoppingUrl, stayingUrl] = nodeUrls;
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function logger(logs, name) {
	return {
		log(level, message) {
			if (level >= LogLevel.Information) {
				logs.push(`${new Date().toISOString()} ${name}: ${message}`);
			}
		},
	};
}

async function startClient(url, transport, logs, reconnect) {
	const name = `${HttpTransportType[transport]}#${logs.length}`;
	let builder = new HubConnectionBuilder()
		.withUrl(`${url}/scale`, { transport, httpClient: new NewConnectionPerRequestHttpClient() })
		.configureLogging(logger(logs, name));
	if (reconnect) {
		// every 200 ms for a minute
		builder = builder.withAutomaticReconnect({
			nextRetryDelayInMilliseconds: (context) => (context.elapsedMilliseconds < 60000 ? 200 : null),
		});
	}
	const connection = builder.build();
	const client = {
		name, transport, connection, inbox: new Inbox(connection), owners: [], reconnects: 0, closed: false,
		rejoined: null, calls: 0, callsAfterReconnect: 0,
	};
	connection.onreconnected(() => {
		client.reconnects++;
		client.rejoined = (async () => {
			await connection.invoke("JoinGroup", GROUP);
			client.owners.push(await connection.invoke("OwnerNode"));
		})();
	});
	connection.onclose(() => {
		client.closed = true;
	});
	await withTimeout(connection.start(), 15000, `start of ${name}`);
	await withTimeout(connection.invoke("JoinGroup", GROUP), 15000, "JoinGroup");
	client.owners.push(await withTimeout(connection.invoke("OwnerNode"), 15000, "OwnerNode"));
	return client;
}

async function broadcastFrom(nodeUrl, message) {
	const url = `${nodeUrl}/scale/broadcast?${new URLSearchParams({ group: GROUP, message })}`;
	const response = await withTimeout(fetch(url, { method: "POST" }), 10000, url);
	assert.equal(response.status, 200, `${url} answered ${response.status}`);
	return response.text();
}

/** Calls the hub in a loop until told to stop, counting the calls that succeeded. */
function load(client, running) {
	return (async () => {
		while (running.value) {
			try {
				await withTimeout(client.connection.invoke("Echo", "load"), 10000, "Echo");
				client.calls++;
				if (client.reconnects > 0) {
					client.callsAfterReconnect++;
				}
			}
			catch {
				// closed under the call, or not connected (reconnecting): the loop goes on
			}
			await delay(20);
		}
	})();
}

test("clients of a node shut down under load reconnect to the other node", { timeout: 100000 }, async () => {
	const transports = [HttpTransportType.LongPolling, HttpTransportType.ServerSentEvents,
		HttpTransportType.WebSockets];
	const logs = [];
	const clients = [];
	const running = { value: true };
	const loads = [];
	let witness;
	try {
		const stoppingNode = await broadcastFrom(stoppingUrl, "warm-up");
		const stayingNode = await broadcastFrom(stayingUrl, "warm-up");
		// through the proxy, until the node to stop owns a connection on every transport
		for (let i = 0; transports.some((t) => !clients.some((c) => c.transport === t && c.owners[0] === stoppingNode))
			|| !clients.some((c) => c.owners[0] === stayingNode); i++) {
			assert.ok(i < 24, "the proxy did not spread the connections over both nodes");
			clients.push(await startClient(baseUrl, transports[i % transports.length], logs, true));
		}
		const moving = clients.filter((c) => c.owners[0] === stoppingNode);
		// connected to the staying node directly, never through the stopping one
		witness = await startClient(stayingUrl, HttpTransportType.WebSockets, logs, false);
		clients.forEach((client) => loads.push(load(client, running)));
		await delay(500);

		// an invocation that is still running when the shutdown begins: it sends to the group in 1.5 s
		const late = moving[0].connection.invoke("SendToGroupLater", GROUP, "sent while shutting down", 1500)
			.catch(() => "closed before its completion");
		await delay(200);
		const shutdown = await fetch(`${stoppingUrl}/scale/shutdown`, { method: "POST" });
		assert.equal(shutdown.status, 200);

		// negotiates reaching the stopping node meanwhile are answered 503
		let refused;
		for (const deadline = Date.now() + 5000; !refused && Date.now() < deadline;) {
			try {
				const response = await fetch(`${stoppingUrl}/scale/negotiate?negotiateVersion=1`, { method: "POST" });
				if (response.status === 503) {
					refused = await response.text();
				}
			}
			catch {
				break;
			}
			await delay(20);
		}
		assert.equal(refused, "Server is shutting down.", "a negotiate on the node shutting down");

		await withTimeout(witness.inbox.until("sent while shutting down"), 10000,
			"the group send of the invocation running at shutdown, on the other node");
		await late;

		// every client of the stopped node is back, on the other node, and calls again
		await withTimeout((async () => {
			while (moving.some((c) => c.reconnects === 0 || c.callsAfterReconnect === 0)
				|| clients.some((c) => c.connection.state !== "Connected")) {
				await delay(50);
			}
			await Promise.all(clients.filter((c) => c.rejoined).map((c) => c.rejoined));
		})(), 45000, "the clients of the stopped node to reconnect");
		for (const client of clients) {
			assert.equal(client.closed, false, `${client.name} closed instead of reconnecting`);
			assert.equal(client.owners.at(-1), stayingNode, `owner of ${client.name} now`);
		}

		await broadcastFrom(stayingUrl, "after the shutdown");
		await withTimeout(Promise.all([...clients, witness].map((c) => c.inbox.until("after the shutdown"))), 10000,
			"the broadcast after the shutdown at every client");
		console.log(`moved ${moving.length} of ${clients.length} clients: ${moving.map((c) => `${c.name} `
			+ `(${c.reconnects} reconnect(s), ${c.callsAfterReconnect} calls after)`).join(", ")}`);
	}
	catch (error) {
		console.log(logs.join("\n"));
		throw error;
	}
	finally {
		running.value = false;
		await Promise.allSettled(loads);
		await Promise.allSettled([...clients, witness].filter(Boolean)
			.map((c) => withTimeout(c.connection.stop(), 10000, "stop")));
	}
});
