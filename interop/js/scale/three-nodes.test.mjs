// Three nodes sharing a Redis behind a round-robin proxy without affinity (SIGNALR_BASE_URL): official
// clients on long polling, Server-Sent Events and WebSockets, each HTTP request on a new TCP connection
// (so negotiate, polls, POSTs and DELETE land on whichever node is next), join one group; a HubContext
// send from each node in turn (SIGNALR_NODE_URLS, the nodes' own addresses) reaches every client.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import {
	AbortError, HttpClient, HttpError, HttpResponse, HttpTransportType, HubConnectionBuilder, LogLevel, TimeoutError,
} from "@microsoft/signalr";

const baseUrl = process.env.SIGNALR_BASE_URL.replace(/\/$/, "");
const nodeUrls = process.env.SIGNALR_NODE_URLS.split(",");
const GROUP = "everyone";

function withTimeout(promise, ms, what) {
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The client's HTTP requests (negotiate, poll, send, DELETE) each on a new TCP connection (no agent,
 * so `Connection: close`): a keep-alive pool would pin one client's requests to one node.
 */
class NewConnectionPerRequestHttpClient extends HttpClient {
	send(request) {
		return new Promise((resolve, reject) => {
			if (request.abortSignal && request.abortSignal.aborted) {
				reject(new AbortError());
				return;
			}
			const content = request.content === "" ? undefined : request.content;
			const headers = { "X-Requested-With": "XMLHttpRequest", ...request.headers };
			if (content !== undefined) {
				headers["Content-Type"] = typeof content === "string" ? "text/plain;charset=UTF-8"
					: "application/octet-stream";
			}
			let timer;
			const finish = () => {
				clearTimeout(timer);
				if (request.abortSignal) {
					request.abortSignal.onabort = null;
				}
			};
			const outgoing = http.request(request.url, { method: request.method, headers, agent: false }, (response) => {
				const chunks = [];
				response.on("data", (chunk) => chunks.push(chunk));
				response.on("error", (error) => {
					finish();
					reject(error);
				});
				response.on("end", () => {
					finish();
					const body = Buffer.concat(chunks);
					if (response.statusCode < 200 || response.statusCode > 299) {
						reject(new HttpError(body.toString("utf8") || response.statusMessage, response.statusCode));
						return;
					}
					const payload = request.responseType === "arraybuffer"
						? body.buffer.slice(body.byteOffset, body.byteOffset + body.length) : body.toString("utf8");
					resolve(new HttpResponse(response.statusCode, response.statusMessage, payload));
				});
			});
			outgoing.on("error", (error) => {
				finish();
				reject(error);
			});
			if (request.timeout) {
				timer = setTimeout(() => {
					outgoing.destroy();
					reject(new TimeoutError());
				}, request.timeout);
			}
			if (request.abortSignal) {
				request.abortSignal.onabort = () => {
					outgoing.destroy();
					reject(new AbortError());
				};
			}
			if (content !== undefined) {
				outgoing.write(typeof content === "string" ? content : Buffer.from(content));
			}
			outgoing.end();
		});
	}
}

/** What a client received, with a way to wait for one message. */
class Inbox {
	constructor(connection) {
		this.messages = [];
		this.waiters = [];
		connection.on("Receive", (message) => {
			this.messages.push(message);
			this.waiters = this.waiters.filter(({ message: awaited, resolve }) => {
				if (awaited === message) {
					resolve();
					return false;
				}
				return true;
			});
		});
	}

	until(message) {
		if (this.messages.includes(message)) {
			return Promise.resolve();
		}
		return new Promise((resolve) => this.waiters.push({ message, resolve }));
	}
}

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
