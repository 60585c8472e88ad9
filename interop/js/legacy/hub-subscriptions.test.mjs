// The jQuery client 2.4.3 lists in connectionData only the hubs it has a client handler on, and its
// received() looks the hub of every client invocation up among its proxies: one of a hub it has no proxy
// for would throw "Cannot read properties of undefined (reading 'state')". The server sends a connection
// only the invocations of the hubs it listed (LEGACY-PROTOCOL.md §7.1, §13 item 16): a page with a
// handler on chatHub alone sees no error when stockTicker broadcasts, and the broadcast does reach a page
// with a handler on stockTicker.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { baseUrl, waitFor } from "./support.mjs";
import { call, evaluate, expectReceived, launchBrowser, openPage, received, startChat, stopPage } from "./browser.mjs";

let browser;

before(async () => {
	browser = await launchBrowser();
});

after(async () => {
	await browser?.close();
});

/**
 * A page whose connection has a proxy of chatHub only (no generated proxies: $.hubConnection and
 * createHubProxy), addMessage recorded in window.received.
 */
async function chatOnlyPage(transport) {
	const page = await openPage(browser, baseUrl);
	const started = await evaluate(page, (transport) => new Promise((resolve) => {
		window.received = [];
		const connection = $.hubConnection("/signalr", { useDefaultPath: false });
		connection.logging = true;
		connection.createHubProxy("chatHub").on("addMessage", (name, message) => window.received.push(name + ":" + message));
		window.chatOnly = connection;
		connection.start({ transport })
			.done(() => resolve({ ok: true, id: connection.id, proxies: Object.keys(connection.proxies) }))
			.fail((error) => resolve({ ok: false, message: error.message }));
	}), transport);
	assert.ok(started.ok, `start failed: ${started.message}\n${page.clientLog.join("\n")}`);
	assert.deepEqual(started.proxies, ["chathub"]);
	page.connectionId = started.id;
	return page;
}

for (const transport of ["webSockets", "longPolling"]) {
	test(`pages with a handler on chatHub alone see no error when stockTicker broadcasts (${transport})`, { timeout: 40000 }, async () => {
		// one page with the generated proxies of both hubs but a handler on chatHub only, one with no
		// stockTicker proxy at all
		const generated = await openPage(browser, baseUrl);
		await startChat(generated, { transport });
		const manual = await chatOnlyPage(transport);

		const broadcaster = await openPage(browser, baseUrl);
		await evaluate(broadcaster, () => {
			window.prices = [];
			$.connection.stockTicker.client.updateStockPrice = (symbol, price) => window.prices.push(`${symbol}=${price}`);
		});
		await startChat(broadcaster, { transport: "webSockets" });
		const price = await evaluate(broadcaster, () => new Promise((resolve) => {
			$.connection.stockTicker.server.broadcastPrice("MSFT", 42.5)
				.done(() => resolve({ ok: true })).fail((error) => resolve({ ok: false, message: error.message }));
		}));
		assert.deepEqual(price, { ok: true });
		await waitFor("the price on the page with a stockTicker handler",
			async () => (await evaluate(broadcaster, () => window.prices)).includes("MSFT=42.5"));
		// sent after the price broadcast: once a page has it, it would have had the price before
		assert.equal((await call(broadcaster, "send", "ticker", `after the price over ${transport}`)).ok, true);
		await expectReceived(generated, `ticker:after the price over ${transport}`);
		await waitFor("the chat message on the page without a stockTicker proxy",
			async () => (await received(manual)).includes(`ticker:after the price over ${transport}`));

		for (const page of [generated, manual, broadcaster]) {
			assert.deepEqual(page.errors, [], `uncaught errors on a page\n${page.clientLog.join("\n")}`);
			assert.deepEqual(page.consoleErrors, [], "console errors on a page");
		}
		assert.ok(!generated.clientLog.some((line) => line.includes("updateStockPrice")),
			"no stockTicker invocation reached the page without a handler on it");
		assert.ok(!manual.clientLog.some((line) => line.includes("updateStockPrice")));
		await stopPage(generated);
		await evaluate(manual, () => window.chatOnly.stop());
		await manual.close();
		await stopPage(broadcaster);
	});
}
