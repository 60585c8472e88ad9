// Targeting on /js-groups with several official clients: all, others, caller, single connections,
// groups, users, and sends from outside the hub through an injected HubContext.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Inbox, baseUrl, startedConnection, stopAll, withTimeout } from "./support.mjs";

const TIMEOUT = { timeout: 20000 };

/** An official client on /js-groups, optionally as a user, with its Message inbox and server-side id. */
async function client(name, user) {
	const connection = await startedConnection(user ? `/js-groups?user=${encodeURIComponent(user)}` : "/js-groups");
	const inbox = new Inbox(connection, "Message");
	const id = await connection.invoke("GetCallerConnectionId");
	assert.equal(id, connection.connectionId);
	return { name, connection, inbox, id };
}

/**
 * Sends a sentinel to each client from `sender` and asserts that, before it, each client received
 * exactly the expected messages: anything sent earlier and not listed was not delivered.
 */
async function expectReceived(sender, expected) {
	const sentinel = `sentinel-${randomUUID()}`;
	for (const [receiver, messages] of expected) {
		await sender.connection.invoke("SendToConnection", receiver.id, sentinel);
		assert.deepEqual(await receiver.inbox.until(sentinel), messages, `messages of ${receiver.name}`);
	}
}

async function post(path, params) {
	const response = await withTimeout(fetch(`${baseUrl}${path}?${new URLSearchParams(params)}`, { method: "POST" }), 5000, path);
	assert.equal(response.status, 200, `${path} answered ${response.status}: ${await response.clone().text()}`);
	return response.text();
}

async function closeAll(clients) {
	await stopAll(...clients.filter(Boolean).map((c) => c.connection));
}

test("all, others, caller, one connection and all-except reach exactly their targets", TIMEOUT, async () => {
	const clients = [];
	try {
		const a = await client("a");
		clients.push(a);
		const b = await client("b");
		clients.push(b);
		const c = await client("c");
		clients.push(c);

		await a.connection.invoke("SendToAll", "to all");
		await expectReceived(a, [[a, ["to all"]], [b, ["to all"]], [c, ["to all"]]]);

		await a.connection.invoke("SendToOthers", "to others");
		await expectReceived(a, [[a, []], [b, ["to others"]], [c, ["to others"]]]);

		await b.connection.invoke("SendToCaller", "to caller");
		await expectReceived(a, [[a, []], [b, ["to caller"]], [c, []]]);

		await a.connection.invoke("SendToConnection", c.id, "to c");
		await expectReceived(a, [[a, []], [b, []], [c, ["to c"]]]);

		await c.connection.invoke("SendToAllExcept", b.id, "not to b");
		await expectReceived(a, [[a, ["not to b"]], [b, []], [c, ["not to b"]]]);

		await a.connection.invoke("SendToConnection", "no-such-connection", "lost");
		await expectReceived(a, [[a, []], [b, []], [c, []]]);
	} finally {
		await closeAll(clients);
	}
});

test("groups: joining twice is harmless, others-in-group and group-except exclude, leaving works", TIMEOUT, async () => {
	const group = `room-${randomUUID()}`;
	const clients = [];
	try {
		const a = await client("a");
		clients.push(a);
		const b = await client("b");
		clients.push(b);
		const c = await client("c");
		clients.push(c);

		await a.connection.invoke("JoinGroup", group);
		await a.connection.invoke("JoinGroup", group);
		await b.connection.invoke("JoinGroup", group);

		await a.connection.invoke("SendToGroup", group, "to group");
		await expectReceived(a, [[a, ["to group"]], [b, ["to group"]], [c, []]]);

		await c.connection.invoke("SendToGroup", group, "from outside the group");
		await expectReceived(a, [[a, ["from outside the group"]], [b, ["from outside the group"]], [c, []]]);

		await a.connection.invoke("SendToOthersInGroup", group, "to others in group");
		await expectReceived(a, [[a, []], [b, ["to others in group"]], [c, []]]);

		await c.connection.invoke("SendToGroupExcept", group, b.id, "to group except b");
		await expectReceived(a, [[a, ["to group except b"]], [b, []], [c, []]]);

		await b.connection.invoke("LeaveGroup", group);
		await b.connection.invoke("LeaveGroup", group);
		await c.connection.invoke("LeaveGroup", group);
		await c.connection.invoke("SendToGroup", group, "after b left");
		await expectReceived(a, [[a, ["after b left"]], [b, []], [c, []]]);

		await a.connection.invoke("SendToGroup", `empty-${randomUUID()}`, "to an empty group");
		await expectReceived(a, [[a, []], [b, []], [c, []]]);
	} finally {
		await closeAll(clients);
	}
});

test("a connection in several of the addressed groups gets the message once", TIMEOUT, async () => {
	const first = `first-${randomUUID()}`;
	const second = `second-${randomUUID()}`;
	const clients = [];
	try {
		const a = await client("a");
		clients.push(a);
		const b = await client("b");
		clients.push(b);
		const c = await client("c");
		clients.push(c);
		await a.connection.invoke("JoinGroup", first);
		await a.connection.invoke("JoinGroup", second);
		await b.connection.invoke("JoinGroup", second);

		await c.connection.invoke("SendToGroups", first, second, "to both groups");
		await expectReceived(c, [[a, ["to both groups"]], [b, ["to both groups"]], [c, []]]);
	} finally {
		await closeAll(clients);
	}
});

test("a disconnected connection leaves its groups; its restarted client is a new member-less connection", TIMEOUT, async () => {
	const group = `room-${randomUUID()}`;
	const clients = [];
	try {
		const a = await client("a");
		clients.push(a);
		const leaving = await client("leaving");
		clients.push(leaving);
		await a.connection.invoke("JoinGroup", group);
		await leaving.connection.invoke("JoinGroup", group);
		await a.connection.invoke("SendToGroup", group, "both in group");
		await expectReceived(a, [[a, ["both in group"]], [leaving, ["both in group"]]]);

		await stopAll(leaving.connection);
		await a.connection.invoke("SendToGroup", group, "after disconnect");
		await expectReceived(a, [[a, ["after disconnect"]]]);

		await withTimeout(leaving.connection.start(), 5000, "restart");
		leaving.id = await leaving.connection.invoke("GetCallerConnectionId");
		await a.connection.invoke("SendToGroup", group, "after restart");
		await expectReceived(a, [[a, ["after restart"]], [leaving, []]]);
	} finally {
		await closeAll(clients);
	}
});

test("users: every connection of the user gets user-addressed messages, nobody else", TIMEOUT, async () => {
	const alice = `alice-${randomUUID()}`;
	const bob = `bob-${randomUUID()}`;
	const clients = [];
	try {
		const alice1 = await client("alice1", alice);
		clients.push(alice1);
		const alice2 = await client("alice2", alice);
		clients.push(alice2);
		const bob1 = await client("bob1", bob);
		clients.push(bob1);
		const anonymous = await client("anonymous");
		clients.push(anonymous);

		assert.equal(await alice1.connection.invoke("GetUserIdentifier"), alice);
		assert.equal(await bob1.connection.invoke("GetUserIdentifier"), bob);
		assert.equal(await anonymous.connection.invoke("GetUserIdentifier"), null);

		await bob1.connection.invoke("SendToUser", alice, "to alice");
		await expectReceived(bob1, [[alice1, ["to alice"]], [alice2, ["to alice"]], [bob1, []], [anonymous, []]]);

		await alice1.connection.invoke("SendToUsers", alice, bob, "to alice and bob");
		await expectReceived(bob1, [
			[alice1, ["to alice and bob"]],
			[alice2, ["to alice and bob"]],
			[bob1, ["to alice and bob"]],
			[anonymous, []],
		]);

		await anonymous.connection.invoke("SendToUser", `nobody-${randomUUID()}`, "to nobody");
		await expectReceived(bob1, [[alice1, []], [alice2, []], [bob1, []], [anonymous, []]]);

		await stopAll(alice2.connection);
		await bob1.connection.invoke("SendToUser", alice, "to the remaining alice");
		await expectReceived(bob1, [[alice1, ["to the remaining alice"]], [bob1, []], [anonymous, []]]);
	} finally {
		await closeAll(clients);
	}
});

test("HubContext sends from a REST endpoint to all, a group, a user and a connection, and manages groups", TIMEOUT, async () => {
	const group = `room-${randomUUID()}`;
	const user = `carol-${randomUUID()}`;
	const clients = [];
	try {
		const a = await client("a", user);
		clients.push(a);
		const b = await client("b");
		clients.push(b);
		const c = await client("c");
		clients.push(c);

		assert.equal(await post("/js-groups-broadcast", { msg: "from outside to all" }), "sent");
		await expectReceived(a, [[a, ["from outside to all"]], [b, ["from outside to all"]], [c, ["from outside to all"]]]);

		await b.connection.invoke("JoinGroup", group);
		await post("/js-groups-broadcast", { msg: "from outside to the group", group });
		await expectReceived(a, [[a, []], [b, ["from outside to the group"]], [c, []]]);

		await post("/js-groups-broadcast", { msg: "from outside to the user", user });
		await expectReceived(b, [[a, ["from outside to the user"]], [b, []], [c, []]]);

		await post("/js-groups-broadcast", { msg: "from outside to c", connectionId: c.id });
		await expectReceived(a, [[a, []], [b, []], [c, ["from outside to c"]]]);

		assert.equal(await post("/js-groups-add", { connectionId: c.id, group }), "added");
		await a.connection.invoke("SendToGroup", group, "after adding c from outside");
		await expectReceived(a, [[a, []], [b, ["after adding c from outside"]], [c, ["after adding c from outside"]]]);

		assert.equal(await post("/js-groups-remove", { connectionId: b.id, group }), "removed");
		await a.connection.invoke("SendToGroup", group, "after removing b from outside");
		await expectReceived(a, [[a, []], [b, []], [c, ["after removing b from outside"]]]);
	} finally {
		await closeAll(clients);
	}
});
