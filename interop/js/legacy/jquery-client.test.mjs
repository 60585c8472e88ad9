// The jQuery client of ASP.NET SignalR 2 (npm signalr 2.4.3 with jquery 3.7.1) in headless Chromium,
// on the generated proxy of /signalr/hubs, over webSockets, serverSentEvents, longPolling and foreverFrame
// (LEGACY-PROTOCOL.md §13 items 4, 8 to 15, part of 16), and beside
// @microsoft/signalr on the same hub (item 17).
// The page is served same-origin through playwright routes (browser.mjs); only /signalr/** reaches the server.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { HubConnectionBuilder, LogLevel } from "@microsoft/signalr";
import { baseUrl, events, expectEvent, push, waitFor, WAIT_MS } from "./support.mjs";
import { launchBrowser } from "./browser.mjs";

const TRANSPORTS = ["webSockets", "serverSentEvents", "longPolling", "foreverFrame"];

let context;

before(async () => {
	context = await launchBrowser();
});

after(async () => {
	await context?.close();
});

/** A page with the client loaded and, unless told otherwise, started on the transport with addMessage recorded. */
async function openPage(transport, { start = true } = {}) {
	const page = await context.newPage();
	page.setDefaultTimeout(WAIT_MS);
	const errors = [];
	page.on("pageerror", (error) => errors.push(error.message));
	// the client's own log, shown when a start fails
	page.clientLog = [];
	page.on("console", (message) => page.clientLog.push(message.text()));
	await page.goto(`${baseUrl}/legacy-page/index.html`);
	assert.deepEqual(errors, [], "the page's scripts load without errors");
	page.connectionId = start ? (await startPage(page, transport)).id : null;
	return page;
}

async function startPage(page, transport) {
	const started = await page.evaluate((transport) => new Promise((resolve) => {
		window.received = [];
		$.connection.hub.logging = true;
		if (transport === "foreverFrame") {
			// the client takes foreverFrame only where EventSource is missing (old IE)
			delete window.EventSource;
		}
		$.connection.chatHub.client.addMessage = (name, message) => window.received.push(name + ":" + message);
		$.connection.hub.start({ transport })
			.done(() => resolve({ ok: true, id: $.connection.hub.id, transport: $.connection.hub.transport.name }))
			.fail((error) => resolve({ ok: false, message: error.message }));
	}), transport);
	assert.ok(started.ok, `start({transport: ${transport}}) failed: ${started.message}\n${page.clientLog.join("\n")}`);
	assert.equal(started.transport, transport);
	return started;
}

/** Calls a method through the generated proxy; resolves with {ok, result} or {ok: false, message, source, data}. */
function call(page, method, ...args) {
	return page.evaluate(([method, args]) => new Promise((resolve) => {
		$.connection.chatHub.server[method](...args)
			.done((result) => resolve({ ok: true, result }))
			.fail((error) => resolve({ ok: false, message: error.message, source: error.source, data: error.data }));
	}), [method, args]);
}

function invokeByName(page, method, ...args) {
	return page.evaluate(([method, args]) => new Promise((resolve) => {
		$.connection.chatHub.invoke(method, ...args)
			.done((result) => resolve({ ok: true, result }))
			.fail((error) => resolve({ ok: false, message: error.message, source: error.source }));
	}), [method, args]);
}

const received = (page) => page.evaluate(() => window.received.slice());

async function expectReceived(page, entry) {
	await waitFor(`${entry} on ${page.connectionId}`, async () => (await received(page)).includes(entry));
}

async function stop(page) {
	await page.evaluate(() => $.connection.hub.stop());
	await page.close();
}

test("the generated proxy is served as JavaScript with camel-cased proxies that call the real method names", async () => {
	for (const suffix of ["hubs", "js"]) {
		const response = await fetch(`${baseUrl}/signalr/${suffix}`);
		assert.equal(response.status, 200);
		assert.match(response.headers.get("content-type"), /^application\/javascript/);
		const script = await response.text();
		assert.ok(script.includes("proxies['chatHub'] = this.createHubProxy('chatHub');"), script);
		assert.ok(script.includes("proxies['stockTicker'] = this.createHubProxy('stockTicker');"));
		assert.ok(script.includes('$.merge(["Echo"], $.makeArray(arguments))'));
		assert.ok(script.includes('signalR.hub = $.hubConnection("/signalr", { useDefaultPath: false });'));
	}
	const page = await openPage("webSockets", { start: false });
	const shape = await page.evaluate(() => ({
		echo: typeof $.connection.chatHub.server.echo,
		send: typeof $.connection.chatHub.server.send,
		stocks: typeof $.connection.stockTicker.server.getAllStocks,
	}));
	assert.deepEqual(shape, { echo: "function", send: "function", stocks: "function" });
	await page.close();
});

for (const transport of TRANSPORTS) {
	describe(`jQuery client 2.4.3 over ${transport}`, () => {
		test("starts on the transport and the server runs OnConnected once", async () => {
			const page = await openPage(transport);
			await expectEvent(page.connectionId, "connected", 1);
			await stop(page);
		});

		test("calls hub methods through the generated proxy and gets their results", async () => {
			const page = await openPage(transport);
			assert.deepEqual(await call(page, "echo", "x"), { ok: true, result: "x" });
			assert.deepEqual(await call(page, "add", 2, 3), { ok: true, result: 5 });
			const voidCall = await call(page, "void");
			assert.equal(voidCall.ok, true);
			assert.equal(voidCall.result, undefined);
			assert.deepEqual(await call(page, "returnObject"),
				{ ok: true, result: { name: "legacy", values: [1, 2, 3], nested: { ok: true } } });
			assert.deepEqual(await call(page, "getConnectionId"), { ok: true, result: page.connectionId });
			await stop(page);
		});

		test("a broadcast from one page reaches both pages", async () => {
			const ada = await openPage(transport);
			const grace = await openPage(transport);
			assert.equal((await call(ada, "send", "Ada", `hello over ${transport}`)).ok, true);
			await expectReceived(ada, `Ada:hello over ${transport}`);
			await expectReceived(grace, `Ada:hello over ${transport}`);
			await stop(ada);
			await stop(grace);
		});

		test("hub errors reject with their message, other errors with the non-detailed text", async () => {
			const page = await openPage(transport);
			const hubError = await call(page, "throwHub");
			assert.equal(hubError.ok, false);
			assert.equal(hubError.source, "HubException");
			assert.equal(hubError.message, "Hub error 42");
			assert.deepEqual(hubError.data, { ErrorNumber: 42 });
			const error = await call(page, "throw");
			assert.equal(error.ok, false);
			assert.equal(error.message, "There was an error invoking Hub method 'chathub.Throw'.");
			const unknown = await invokeByName(page, "Nope");
			assert.equal(unknown.ok, false);
			assert.ok(unknown.message.includes("'chathub.Nope'"), unknown.message);
			// the connection still works
			assert.deepEqual(await call(page, "echo", "after errors"), { ok: true, result: "after errors" });
			await stop(page);
		});

		test("caller state goes to the hub and its changes come back; progress arrives before the result", async () => {
			const page = await openPage(transport);
			const outcome = await page.evaluate(() => new Promise((resolve) => {
				const hub = $.connection.chatHub;
				hub.state.x = 1;
				hub.server.stateRoundTrip().done((result) => {
					const progress = [];
					hub.server.progress(3)
						.progress((value) => progress.push(value))
						.done((done) => resolve({ result, y: hub.state.y, progress, done }))
						.fail((error) => resolve({ error: error.message }));
				}).fail((error) => resolve({ error: error.message }));
			}));
			if (transport !== "webSockets") {
				// the result comes back as the /send response while progress goes down the stream (or waits for
				// the next poll): two HTTP responses, so the result can overtake the last reports (as on the
				// reference server; seen on foreverFrame in CI); those that came are in order
				assert.deepEqual(outcome.progress, [1, 2, 3].slice(0, outcome.progress.length));
				outcome.progress = [1, 2, 3];
			}
			assert.deepEqual(outcome, { result: 1, y: "seen 1", progress: [1, 2, 3], done: "done" });
			await stop(page);
		});

		test("groups, caller, others and a single client each reach only their targets", async () => {
			const ada = await openPage(transport);
			const grace = await openPage(transport);
			const group = `room-${transport}`;
			assert.equal((await call(ada, "joinGroup", group)).ok, true);
			await push({ group }, "to the group");
			await expectReceived(ada, "hook:to the group");
			assert.equal((await call(grace, "sendToGroup", group, "from grace")).ok, true);
			await expectReceived(ada, `${group}:from grace`);
			assert.equal((await call(ada, "leaveGroup", group)).ok, true);
			await push({ group }, "after leaving");
			await push({ connectionId: ada.connectionId }, "marker");
			await expectReceived(ada, "hook:marker");
			assert.ok(!(await received(ada)).includes("hook:after leaving"));

			assert.equal((await call(ada, "sendToCaller", "just me")).ok, true);
			assert.equal((await call(ada, "sendToOthers", "not me")).ok, true);
			await expectReceived(ada, "caller:just me");
			await expectReceived(grace, "others:not me");
			await push({ connectionId: grace.connectionId }, "marker");
			await expectReceived(grace, "hook:marker");
			assert.ok(!(await received(grace)).includes("caller:just me"));
			assert.ok(!(await received(ada)).includes("others:not me"));
			await stop(ada);
			await stop(grace);
		});

		// webSockets: the socket closes, /reconnect after 2 s; longPolling: the poll is aborted, /reconnect 3 s later;
		// serverSentEvents and foreverFrame keep the old stream 2 s and reconnect at once (no gap: the
		// messages must still arrive once, across the handover)
		const cutConnection = transport === "webSockets" ? () => $.connection.hub.socket.close()
			: () => $.connection.hub.transport.lostConnection($.connection.hub);
		test("after a gap the client reconnects and gets what was sent meanwhile once and in order", async () => {
			const page = await openPage(transport);
			const group = `gap-${transport}`;
			assert.equal((await call(page, "joinGroup", group)).ok, true);
			await page.evaluate(() => {
				window.states = [];
				$.connection.hub.reconnecting(() => window.states.push("reconnecting"));
				$.connection.hub.reconnected(() => window.states.push("reconnected"));
			});
			await page.evaluate(cutConnection);
			await waitFor("reconnecting", async () => (await page.evaluate(() => window.states)).includes("reconnecting"));
			const sent = [1, 2, 3, 4, 5].map((i) => `hook:gap ${i}`);
			for (let i = 1; i <= 5; i++) {
				await push({ group }, `gap ${i}`);
			}
			await waitFor("reconnected", async () => (await page.evaluate(() => window.states)).includes("reconnected"));
			await waitFor("the messages of the gap", async () => (await received(page)).filter((m) => m.startsWith("hook:gap")).length >= 5);
			await push({ group }, "after the gap");
			await expectReceived(page, "hook:after the gap");
			assert.deepEqual((await received(page)).filter((m) => m.startsWith("hook:gap")), sent);
			assert.equal(await page.evaluate(() => $.connection.hub.id), page.connectionId);
			const counts = await events(page.connectionId);
			assert.equal(counts.connected, 1);
			assert.equal(counts.reconnected, 1);
			assert.equal(counts.disconnectedStopCalled + counts.disconnectedTimeout, 0);
			await stop(page);
		});

		test("stop() ends the connection on the server with stopCalled", async () => {
			const page = await openPage(transport);
			await expectEvent(page.connectionId, "connected", 1);
			await page.evaluate(() => $.connection.hub.stop());
			await expectEvent(page.connectionId, "disconnectedStopCalled", 1, 2000);
			await page.close();
			assert.equal((await events(page.connectionId)).disconnectedTimeout, 0);
		});

		test("an idle connection stays up past three keep-alive timeouts and still gets messages", async () => {
			const page = await openPage(transport);
			await page.evaluate(() => {
				window.states = [];
				$.connection.hub.connectionSlow(() => window.states.push("slow"));
				$.connection.hub.reconnecting(() => window.states.push("reconnecting"));
			});
			// KeepAliveTimeout is 4 s (KeepAlive 2 s); longPolling also outlives ConnectionTimeout (5 s) twice
			await new Promise((resolve) => setTimeout(resolve, 12500));
			assert.deepEqual(await page.evaluate(() => window.states), []);
			await push({ connectionId: page.connectionId }, "after idling");
			await expectReceived(page, "hook:after idling");
			await stop(page);
		});

		test("a page lost without stop() ends on the server by timeout", async () => {
			const page = await openPage(transport);
			// the client stops itself on unload, and its abort must not reach the server either
			await page.evaluate(() => $(window).off("unload beforeunload"));
			await page.route("**/abort*", (route) => route.abort());
			await expectEvent(page.connectionId, "connected", 1);
			await page.close({ runBeforeUnload: false });
			const lostAt = Date.now();
			// DisconnectThreshold (5 s) + DisconnectTimeout (6 s) in the interop configuration
			await expectEvent(page.connectionId, "disconnectedTimeout", 1, 25000);
			assert.ok(Date.now() - lostAt >= 5000, "not before the disconnect timeout");
			assert.equal((await events(page.connectionId)).disconnectedStopCalled, 0);
		});
	});
}

describe("the jQuery client's options and refusals (§13 item 16)", () => {
	test("start({pingInterval}) pings the server, which answers pong", async () => {
		const page = await openPage("webSockets", { start: false });
		const pinged = page.waitForResponse((response) => new URL(response.url()).pathname === "/signalr/ping");
		await page.evaluate(() => new Promise((resolve, reject) => {
			$.connection.chatHub.client.addMessage = () => {};
			$.connection.hub.start({ transport: "webSockets", pingInterval: 1000 }).done(resolve).fail(reject);
		}));
		const response = await pinged;
		assert.equal(response.status(), 200);
		assert.deepEqual(await response.json(), { Response: "pong" });
		await stop(page);
	});

	test("a proxy for a hub the server does not have fails the negotiation", async () => {
		const page = await openPage("webSockets", { start: false });
		const failed = await page.evaluate(() => new Promise((resolve) => {
			const connection = $.hubConnection("/signalr", { useDefaultPath: false });
			connection.createHubProxy("noSuchHub").on("addMessage", () => {});
			connection.start().done(() => resolve(null)).fail((error) => resolve(error.message));
		}));
		assert.equal(failed, "Error during negotiation request.");
		await page.close();
	});

	test("JSONP is refused while it is off", async () => {
		const page = await openPage("webSockets", { start: false });
		const refused = page.waitForResponse((response) => new URL(response.url()).searchParams.has("callback"));
		const failed = await page.evaluate(() => new Promise((resolve) => {
			$.connection.chatHub.client.addMessage = () => {};
			$.connection.hub.start({ jsonp: true }).done(() => resolve(null)).fail((error) => resolve(error.message));
		}));
		assert.notEqual(failed, null, "start({jsonp: true}) must fail");
		assert.equal((await refused).status(), 403);
		await page.close();
	});
});

describe("a persistent connection: $.connection('/echo') (§13 item 16)", () => {
	for (const transport of ["webSockets", "serverSentEvents", "longPolling"]) {
		test(`what it sends over ${transport} comes back`, async () => {
			const page = await openPage(transport, { start: false });
			const echoed = await page.evaluate((transport) => new Promise((resolve) => {
				const connection = $.connection("/echo");
				connection.logging = true;
				connection.received((data) => {
					connection.stop();
					resolve({ ok: true, data });
				});
				connection.start({ transport })
					.done(() => connection.send(`hello over ${transport}`))
					.fail((error) => resolve({ ok: false, message: error.message }));
			}), transport);
			assert.deepEqual(echoed, { ok: true, data: `hello over ${transport}` }, page.clientLog.join("\n"));
			await page.close();
		});
	}
});

describe("the jQuery client beside @microsoft/signalr on the same ChatHub (§13 item 17)", () => {
	async function modernClient(received) {
		const connection = new HubConnectionBuilder().withUrl(`${baseUrl}/legacy-chat`)
			.configureLogging(LogLevel.None).build();
		connection.on("addMessage", (name, message) => received.push(`${name}:${message}`));
		await connection.start();
		return connection;
	}

	test("broadcasts, groups and HubContext sends reach both generations", async () => {
		const page = await openPage("webSockets");
		const modernReceived = [];
		const modern = await modernClient(modernReceived);
		try {
			await modern.invoke("Send", "modern", "hi legacy");
			await expectReceived(page, "modern:hi legacy");
			assert.equal((await call(page, "send", "legacy", "hi modern")).ok, true);
			await waitFor("the legacy broadcast on the modern client", () => modernReceived.includes("legacy:hi modern"));

			await push({}, "to everyone");
			await expectReceived(page, "hook:to everyone");
			await waitFor("the HubContext broadcast on the modern client", () => modernReceived.includes("hook:to everyone"));
			await push({ connectionId: page.connectionId }, "to the legacy page only");
			await expectReceived(page, "hook:to the legacy page only");

			await modern.invoke("JoinGroup", "mixed");
			assert.equal((await call(page, "joinGroup", "mixed")).ok, true);
			assert.equal((await call(page, "sendToGroup", "mixed", "from legacy")).ok, true);
			await waitFor("the legacy group message on the modern client", () => modernReceived.includes("mixed:from legacy"));
			await modern.invoke("SendToGroup", "mixed", "from modern");
			await expectReceived(page, "mixed:from modern");
			assert.ok(!modernReceived.includes("hook:to the legacy page only"));
		}
		finally {
			await modern.stop();
			await stop(page);
		}
	});

	test("each client refuses the other generation's endpoint", async () => {
		const modern = new HubConnectionBuilder().withUrl(`${baseUrl}/signalr`).configureLogging(LogLevel.None).build();
		await assert.rejects(modern.start(), /Detected a connection attempt to an ASP\.NET SignalR Server/);

		const page = await openPage("webSockets", { start: false });
		const failed = await page.evaluate(() => new Promise((resolve) => {
			const connection = $.hubConnection("/legacy-chat", { useDefaultPath: false });
			connection.createHubProxy("chatHub").on("addMessage", () => {});
			connection.start().done(() => resolve(null)).fail((error) => resolve(error.message));
		}));
		assert.ok(failed !== null, "the jQuery client must not start on the modern hub path");
		assert.match(failed, /Error during negotiation request|ASP\.NET Core SignalR Server/);
		await page.close();
	});
});
