// The JavaScript members of the mixed-protocol group of MixedProtocolGroupTests (JUnit), which starts this
// file and a pytest file side by side, waits until every client has joined the group named by
// SIGNALR_MIXED_GROUP and then sends one broadcast to it. Each client here must receive exactly the same
// arguments, each decoded from its own protocol.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HubConnectionBuilder, HttpTransportType, LogLevel } from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";

const baseUrl = process.env.SIGNALR_BASE_URL.replace(/\/$/, "");
const group = process.env.SIGNALR_MIXED_GROUP;

const MEMBERS = [
	["WebSockets", "messagepack"],
	["ServerSentEvents", "json"],
	["LongPolling", "messagepack"],
];

function within(promise, ms, what) {
	let timer;
	return Promise.race([promise, new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
	})]).finally(() => clearTimeout(timer));
}

test("every JavaScript member of the mixed group receives the broadcast", { skip: !group && "run by MixedProtocolGroupTests" }, async () => {
	const connections = MEMBERS.map(([transport, protocol]) => {
		let builder = new HubConnectionBuilder()
			.withUrl(`${baseUrl}/clients-hub`, HttpTransportType[transport])
			.configureLogging(LogLevel.None);
		if (protocol === "messagepack") {
			builder = builder.withHubProtocol(new MessagePackHubProtocol());
		}
		return builder.build();
	});
	const received = connections.map((connection) => new Promise((resolve) => connection.on("Broadcast", (...args) => resolve(args))));
	try {
		await within(Promise.all(connections.map((connection) => connection.start())), 10000, "start");
		for (const [index, [transport, protocol]] of MEMBERS.entries()) {
			await within(connections[index].invoke("JoinAs", group, `js/${protocol}/${transport}`), 10000, "JoinAs");
		}
		// the broadcast comes once the Python and Java clients have joined as well
		const broadcasts = await within(Promise.all(received), 60000, "the broadcast");
		for (const [index, args] of broadcasts.entries()) {
			assert.deepEqual(args, ["to every protocol", 42, { Name: "mixed", Value: 7 }], MEMBERS[index].join("/"));
		}
	}
	finally {
		await Promise.all(connections.map((connection) => within(connection.stop(), 10000, "stop")));
	}
});
