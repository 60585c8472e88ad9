// Headless Chromium with pages of the jQuery client of ASP.NET SignalR 2 (npm signalr 2.4.3 on jquery 3.7.1)
// and the generated proxy of /signalr/hubs, for the legacy tests beside jquery-client.test.mjs.
// A page is served same-origin with the server it names through a playwright route; only /signalr/**
// (and whatever else the page asks for) reaches that server.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { waitFor, WAIT_MS } from "./support.mjs";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const JQUERY = readFileSync(require.resolve("jquery/dist/jquery.js"), "utf8");
const SIGNALR = readFileSync(require.resolve("signalr/jquery.signalR.js"), "utf8");
const PAGE = `<!DOCTYPE html><html><head><title>legacy</title>
<script src="/legacy-page/jquery.js"></script>
<script src="/legacy-page/jquery.signalR.js"></script>
<script src="/signalr/hubs"></script>
</head><body></body></html>`;

/**
 * page.evaluate(fn, arg), failing after timeoutMs with the client's log: a promise the page never settles
 * (a start that neither succeeds nor fails) must not hang the test.
 */
export function evaluate(page, fn, arg, timeoutMs = WAIT_MS) {
	let timer;
	const timeout = new Promise((resolve, reject) => {
		timer = setTimeout(() => reject(new Error(`the page did not answer within ${timeoutMs} ms; its errors: `
			+ `${JSON.stringify(page.errors ?? [])}; its log:\n${(page.clientLog ?? []).join("\n")}`)), timeoutMs);
	});
	return Promise.race([page.evaluate(fn, arg), timeout]).finally(() => clearTimeout(timer));
}

/** Launches Chromium with the page's files routed; close() the context it answers when done. */
export async function launchBrowser() {
	const userDataDir = mkdtempSync(path.join(tmpdir(), "legacy-chromium-"));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: "/usr/bin/chromium",
		headless: true,
		timeout: 60000,
		// the page comes from a playwright route, not from an address Chromium knows to be local, so its
		// local-network checks would block the WebSocket to the server on localhost
		args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--no-first-run",
			"--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests"],
	});
	await context.route("**/legacy-page/**", (route) => {
		const url = new URL(route.request().url());
		const body = { "/legacy-page/index.html": PAGE, "/legacy-page/jquery.js": JQUERY,
			"/legacy-page/jquery.signalR.js": SIGNALR }[url.pathname];
		if (body === undefined) {
			return route.fulfill({ status: 404, body: "" });
		}
		return route.fulfill({ status: 200, body,
			contentType: url.pathname.endsWith(".html") ? "text/html" : "application/javascript" });
	});
	return context;
}

/**
 * A page of the server at serverUrl with the client and the generated proxy loaded, not started. It
 * records uncaught errors in page.errors, console errors (and messages naming a TypeError) in
 * page.consoleErrors, and the client's whole log in page.clientLog.
 */
export async function openPage(context, serverUrl) {
	const page = await context.newPage();
	page.setDefaultTimeout(WAIT_MS);
	page.errors = [];
	page.consoleErrors = [];
	page.clientLog = [];
	page.on("pageerror", (error) => page.errors.push(error.message));
	page.on("console", (message) => {
		page.clientLog.push(message.text());
		// jQuery reports an exception thrown in a Deferred's callback as a warning naming it
		if (message.type() === "error" || /TypeError/.test(message.text())) {
			page.consoleErrors.push(message.text());
		}
	});
	await page.goto(`${serverUrl}/legacy-page/index.html`);
	assert.deepEqual(page.errors, [], "the page's scripts load without errors");
	return page;
}

/**
 * Starts the generated proxy's connection with the options given, with chatHub's addMessage recorded
 * in window.received as "name:message"; answers the connection id.
 */
export async function startChat(page, options) {
	const started = await evaluate(page, (options) => new Promise((resolve) => {
		window.received = [];
		$.connection.hub.logging = true;
		$.connection.chatHub.client.addMessage = (name, message) => window.received.push(name + ":" + message);
		$.connection.hub.start(options)
			.done(() => resolve({ ok: true, id: $.connection.hub.id, transport: $.connection.hub.transport.name }))
			.fail((error) => resolve({ ok: false, message: error.message }));
	}), options);
	assert.ok(started.ok, `start(${JSON.stringify(options)}) failed: ${started.message}\n${page.clientLog.join("\n")}`);
	if (options.transport) {
		assert.equal(started.transport, options.transport);
	}
	page.connectionId = started.id;
	page.transportName = started.transport;
	return started.id;
}

/** Calls a chatHub method through the generated proxy; resolves with {ok, result} or {ok: false, message}. */
export function call(page, method, ...args) {
	return evaluate(page, ([method, args]) => new Promise((resolve) => {
		$.connection.chatHub.server[method](...args)
			.done((result) => resolve({ ok: true, result }))
			.fail((error) => resolve({ ok: false, message: error.message }));
	}), [method, args]);
}

/** What the page's addMessage got so far. */
export const received = (page) => evaluate(page, () => window.received.slice());

/** Waits until the page's addMessage got entry. */
export async function expectReceived(page, entry) {
	await waitFor(`${entry} on the jQuery page ${page.connectionId}`, async () => (await received(page)).includes(entry));
}

/** Stops the page's connection and closes the page. */
export async function stopPage(page) {
	await evaluate(page, () => $.connection.hub.stop());
	await page.close();
}
