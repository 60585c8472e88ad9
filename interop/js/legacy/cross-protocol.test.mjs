// Three generations of clients on the interop server's ChatHub see each other (LEGACY-PROTOCOL.md §13
// items 17 and 18): the jQuery client 2.4.3 in headless Chromium (classic JSON), @microsoft/signalr under
// Node (MessagePack) and the official Java client 9.0.3 (JSON), which the calling JUnit test runs. The
// Java client joined the group "mixed" and answers what it receives: "ask java:<text>" sent to it
// through the group comes back to the group as "mixed:java heard <text>", from anywhere else as a
// broadcast "java:heard <text>"; so a reply seen here proves the Java client received the question, and
// the JUnit test checks its inbox afterwards.
//
// SIGNALR_BASE_URL: the node of the jQuery page; SIGNALR_MODERN_URL (default: the same): the node of
// @microsoft/signalr and of the Java client (on two nodes they share a Redis backplane);
// SIGNALR_JAVA_CONNECTION_ID: the Java client's connection id.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { HubConnectionBuilder, HttpTransportType, LogLevel } from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";
import { baseUrl, waitFor } from "./support.mjs";
import { call, expectReceived, launchBrowser, openPage, received, startChat, stopPage } from "./browser.mjs";

const modernUrl = (process.env.SIGNALR_MODERN_URL ?? baseUrl).replace(/\/$/, "");
const javaConnectionId = process.env.SIGNALR_JAVA_CONNECTION_ID;
assert.ok(javaConnectionId, "SIGNALR_JAVA_CONNECTION_ID names the Java client's connection");
const GROUP = "mixed";
const LEGACY_ONLY = "legacy-only";
// the jQuery page's transports: one stream of its own, one over plain HTTP requests
const TRANSPORTS = ["webSockets", "longPolling"];

let browser;

before(async () => {
	browser = await launchBrowser();
});

after(async () => {
	await browser?.close();
});

/** Sends addMessage("hook", message) through the HubContext of the node at nodeUrl. */
async function push(nodeUrl, target, message) {
	const query = new URLSearchParams({ ...target, message });
	const response = await fetch(`${nodeUrl}/legacy-test/push?${query}`, { method: "POST" });
	assert.equal(response.status, 200, `push ${query} on ${nodeUrl}`);
}

async function modernClient() {
	const connection = new HubConnectionBuilder()
		.withUrl(`${modernUrl}/legacy-chat`, { transport: HttpTransportType.WebSockets })
		.withHubProtocol(new MessagePackHubProtocol())
		.configureLogging(LogLevel.Warning)
		.build();
	connection.received = [];
	connection.on("addMessage", (name, message) => connection.received.push(`${name}:${message}`));
	await connection.start();
	return connection;
}

async function expectModernReceived(connection, entry) {
	await waitFor(`${entry} on @microsoft/signalr`, () => connection.received.includes(entry));
}

/** Both the page and the modern client got entry. */
async function expectBoth(page, modern, entry) {
	await expectReceived(page, entry);
	await expectModernReceived(modern, entry);
}

for (const transport of TRANSPORTS) {
	describe(`the jQuery page over ${transport}, @microsoft/signalr and the Java client on one ChatHub`, () => {
		let page;
		let modern;

		before(async () => {
			page = await openPage(browser, baseUrl);
			await startChat(page, { transport });
			modern = await modernClient();
		});

		after(async () => {
			await modern?.stop();
			if (page) {
				assert.deepEqual(page.errors, [], "no uncaught error on the page");
				await stopPage(page);
			}
		});

		test("a broadcast from any of them reaches the other two", { timeout: 60000 }, async () => {
			assert.equal((await call(page, "send", "jquery", `ask java:broadcast from jquery over ${transport}`)).ok, true);
			await expectModernReceived(modern, `jquery:ask java:broadcast from jquery over ${transport}`);
			await expectBoth(page, modern, `java:heard broadcast from jquery over ${transport}`);

			await modern.invoke("Send", "js", `ask java:broadcast from js over ${transport}`);
			await expectReceived(page, `js:ask java:broadcast from js over ${transport}`);
			await expectBoth(page, modern, `java:heard broadcast from js over ${transport}`);
		});

		test("a group send from any member reaches the other members and no one else", { timeout: 60000 }, async () => {
			assert.equal((await call(page, "joinGroup", GROUP)).ok, true);
			await modern.invoke("JoinGroup", GROUP);

			assert.equal((await call(page, "sendToGroup", GROUP, `ask java:group from jquery over ${transport}`)).ok, true);
			await expectModernReceived(modern, `${GROUP}:ask java:group from jquery over ${transport}`);
			await expectBoth(page, modern, `${GROUP}:java heard group from jquery over ${transport}`);

			await modern.invoke("SendToGroup", GROUP, `ask java:group from js over ${transport}`);
			await expectReceived(page, `${GROUP}:ask java:group from js over ${transport}`);
			await expectBoth(page, modern, `${GROUP}:java heard group from js over ${transport}`);

			// a group of the page alone, sent to from the other node's HubContext
			assert.equal((await call(page, "joinGroup", LEGACY_ONLY)).ok, true);
			await push(modernUrl, { group: LEGACY_ONLY }, `ask java:not for java over ${transport}`);
			await expectReceived(page, `hook:ask java:not for java over ${transport}`);
			await push(modernUrl, {}, `ask java:after the page's group over ${transport}`);
			await expectBoth(page, modern, `java:heard after the page's group over ${transport}`);
			assert.ok(!modern.received.includes(`hook:ask java:not for java over ${transport}`));
			assert.ok(!(await received(page)).includes(`java:heard not for java over ${transport}`));

			// after leaving, the page is no member any more
			assert.equal((await call(page, "leaveGroup", GROUP)).ok, true);
			await modern.invoke("SendToGroup", GROUP, `ask java:group after the page left over ${transport}`);
			await expectModernReceived(modern, `${GROUP}:java heard group after the page left over ${transport}`);
			await push(baseUrl, { connectionId: page.connectionId }, `marker after leaving over ${transport}`);
			await expectReceived(page, `hook:marker after leaving over ${transport}`);
			assert.ok(!(await received(page)).some((entry) => entry.includes("group after the page left")));
			await modern.invoke("LeaveGroup", GROUP);
			assert.equal((await call(page, "leaveGroup", LEGACY_ONLY)).ok, true);
		});

		test("HubContext sends from either node reach everyone, or just the connection they name", { timeout: 60000 }, async () => {
			await push(baseUrl, {}, `ask java:context of the page's node over ${transport}`);
			await expectBoth(page, modern, `hook:ask java:context of the page's node over ${transport}`);
			await expectBoth(page, modern, `java:heard context of the page's node over ${transport}`);
			await push(modernUrl, {}, `ask java:context of the other clients' node over ${transport}`);
			await expectBoth(page, modern, `hook:ask java:context of the other clients' node over ${transport}`);
			await expectBoth(page, modern, `java:heard context of the other clients' node over ${transport}`);

			await push(modernUrl, { connectionId: page.connectionId }, `to the jQuery page over ${transport}`);
			await expectReceived(page, `hook:to the jQuery page over ${transport}`);
			await push(baseUrl, { connectionId: javaConnectionId }, `ask java:to the Java client over ${transport}`);
			await expectBoth(page, modern, `java:heard to the Java client over ${transport}`);
			assert.ok(!modern.received.includes(`hook:to the jQuery page over ${transport}`));
			assert.ok(!modern.received.includes(`hook:ask java:to the Java client over ${transport}`));
			assert.ok(!(await received(page)).includes(`hook:ask java:to the Java client over ${transport}`));
		});
	});
}
