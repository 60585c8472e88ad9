// The jQuery client 2.4.3 with start({jsonp: true}) against a server with signalr.legacy.jsonp=true
// (LEGACY-PROTOCOL.md §10, §13 item 16): the client takes longPolling, the only transport JSONP makes
// sense for, and every request of the connection carries a callback and is answered as a script; calls,
// broadcasts and HubContext sends work, and stop() ends the connection on the server. A page of another
// origin (what JSONP is for) loads each request as a <script> element, so with a GET; on its own origin
// jQuery loads the scripts with XMLHttpRequest, longPolling's with POST.
// Client quirk: stop() sends /abort with fetch() whatever the data type, so on another origin Chromium
// blocks the (empty) answer for want of CORS headers and logs it; the server has ended the connection.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { baseUrl, expectEvent, push } from "./support.mjs";
import { call, evaluate, expectReceived, launchBrowser, openPage } from "./browser.mjs";

const serverUrl = new URL(baseUrl);
// the same server under another name: another origin for the page
const otherOrigin = `${serverUrl.protocol}//${serverUrl.hostname === "localhost" ? "127.0.0.1" : "localhost"}:${serverUrl.port}`;

let browser;

before(async () => {
	browser = await launchBrowser();
});

after(async () => {
	await browser?.close();
});

for (const crossOrigin of [true, false]) {
	test(`start({jsonp: true}) on a page of ${crossOrigin ? "another" : "the same"} origin works over longPolling`, { timeout: 40000 }, async () => {
		const page = await openPage(browser, crossOrigin ? otherOrigin : baseUrl);
		const scripts = [];
		page.on("response", (response) => {
			const url = new URL(response.url());
			if (url.pathname.startsWith("/signalr/") && url.searchParams.has("callback")) {
				scripts.push({ path: url.pathname, method: response.request().method(), status: response.status(),
					type: response.headers()["content-type"], resource: response.request().resourceType() });
			}
		});
		const started = await evaluate(page, (url) => new Promise((resolve) => {
			window.received = [];
			$.connection.hub.url = url;
			$.connection.hub.logging = true;
			$.connection.chatHub.client.addMessage = (name, message) => window.received.push(name + ":" + message);
			$.connection.hub.start({ jsonp: true })
				.done(() => resolve({ ok: true, id: $.connection.hub.id, transport: $.connection.hub.transport.name,
					dataType: $.connection.hub.ajaxDataType }))
				.fail((error) => resolve({ ok: false, message: error.message }));
		}), `${baseUrl}/signalr`);
		assert.ok(started.ok, `start({jsonp: true}) failed: ${started.message}\n${page.clientLog.join("\n")}`);
		assert.equal(started.transport, "longPolling");
		assert.equal(started.dataType, "jsonp");
		page.connectionId = started.id;
		await expectEvent(page.connectionId, "connected", 1);

		assert.deepEqual(await call(page, "echo", "over jsonp"), { ok: true, result: "over jsonp" });
		assert.deepEqual(await call(page, "add", 2, 3), { ok: true, result: 5 });
		assert.equal((await call(page, "send", "jsonp", "a broadcast")).ok, true);
		await expectReceived(page, "jsonp:a broadcast");
		await push({ connectionId: page.connectionId }, "to the jsonp page");
		await expectReceived(page, "hook:to the jsonp page");

		const paths = new Set(scripts.map((script) => script.path));
		for (const path of ["/signalr/negotiate", "/signalr/connect", "/signalr/start", "/signalr/send", "/signalr/poll"]) {
			assert.ok(paths.has(path), `${path} answered as a script (${[...paths]})`);
		}
		for (const script of scripts) {
			assert.equal(script.status, 200, JSON.stringify(script));
			assert.match(script.type, /^application\/javascript/, JSON.stringify(script));
			if (crossOrigin) {
				assert.equal(script.resource, "script", JSON.stringify(script));
				assert.equal(script.method, "GET", JSON.stringify(script));
			}
		}
		assert.deepEqual(page.errors, []);

		await evaluate(page, () => $.connection.hub.stop());
		await expectEvent(page.connectionId, "disconnectedStopCalled", 1, 5000);
		await page.close();
	});
}
