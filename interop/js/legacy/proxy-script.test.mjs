// The generated hub proxy script (HubProxyScript, rendered by the JUnit test into LEGACY_PROXY_SCRIPT)
// evaluated in headless Chromium after jquery 3.7.1 and the jQuery client of ASP.NET SignalR 2.4.3:
// it defines $.connection.<hub> proxies, subscribes the client functions when the connection starts
// and unsubscribes them when it disconnects; without jquery.signalR it fails with the reference's text.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const JQUERY = readFileSync(require.resolve("jquery/dist/jquery.js"), "utf8");
const SIGNALR = readFileSync(require.resolve("signalr/jquery.signalR.js"), "utf8");
const PROXIES = readFileSync(process.env.LEGACY_PROXY_SCRIPT, "utf8");

let context;

before(async () => {
	const userDataDir = mkdtempSync(path.join(tmpdir(), "legacy-proxy-chromium-"));
	context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: "/usr/bin/chromium",
		headless: true,
		timeout: 60000,
		args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--no-first-run"],
	});
});

after(async () => {
	await context?.close();
});

/** A blank page with the given scripts run in order; returns the page and the errors they threw. */
async function pageWith(...scripts) {
	const page = await context.newPage();
	const errors = [];
	page.on("pageerror", (error) => errors.push(error.message));
	await page.setContent("<!DOCTYPE html><html><head><title>proxies</title></head><body></body></html>");
	for (const script of scripts) {
		await page.addScriptTag({ content: script }).catch((error) => errors.push(error.message));
	}
	return { page, errors };
}

test("the script evaluates after jQuery and jquery.signalR and defines the hub proxies", async () => {
	const { page, errors } = await pageWith(JQUERY, SIGNALR, PROXIES);
	assert.deepEqual(errors, []);
	const shape = await page.evaluate(() => ({
		hub: typeof $.connection.hub.start,
		url: $.connection.hub.url,
		echo: typeof $.connection.chatHub.server.echo,
		send: typeof $.connection.chatHub.server.send,
		hubName: $.connection.chatHub.hubName,
		stocks: typeof $.connection.stockTicker.server.getAllStocks,
		client: $.connection.chatHub.client,
	}));
	assert.deepEqual(shape, { hub: "function", url: "/signalr", echo: "function", send: "function",
		hubName: "chathub", stocks: "function", client: {} });
	await page.close();
});

test("proxy methods invoke the hub method by its real name with the caller's arguments", async () => {
	const { page, errors } = await pageWith(JQUERY, SIGNALR, PROXIES);
	assert.deepEqual(errors, []);
	const sent = await page.evaluate(() => {
		const sent = [];
		$.connection.hub.send = (data) => sent.push(data);
		$.connection.chatHub.server.send("Ada", "hello");
		$.connection.stockTicker.server.getAllStocks();
		return sent;
	});
	assert.deepEqual(sent, [
		{ H: "chathub", M: "Send", A: ["Ada", "hello"], I: 0 },
		{ H: "stockticker", M: "GetAllStocks", A: [], I: 1 },
	]);
	await page.close();
});

test("client functions are subscribed when the connection starts and unsubscribed when it disconnects", async () => {
	const { page, errors } = await pageWith(JQUERY, SIGNALR, PROXIES);
	assert.deepEqual(errors, []);
	const seen = await page.evaluate(() => {
		const calls = [];
		const hub = $.connection.chatHub;
		hub.client.addMessage = function (name, message) {
			calls.push([this === hub, name, message]);
		};
		const deliver = (text) => $(hub).triggerHandler("addmessage.hubProxy", [["Ada", text]]);
		$($.connection.hub).triggerHandler("onStarting");
		const connectionData = $.connection.hub.data;
		deliver("while connected");
		$($.connection.hub).triggerHandler("onDisconnect");
		deliver("after disconnect");
		$($.connection.hub).triggerHandler("onStarting");
		deliver("after a new start");
		return { calls, connectionData };
	});
	assert.deepEqual(seen.calls, [[true, "Ada", "while connected"], [true, "Ada", "after a new start"]]);
	assert.equal(seen.connectionData, JSON.stringify([{ name: "chathub" }]));
	await page.close();
});

test("without jquery.signalR the script fails with the reference's message", async () => {
	const { page, errors } = await pageWith(JQUERY, PROXIES);
	assert.equal(errors.length, 1, JSON.stringify(errors));
	assert.ok(errors[0].includes("SignalR: SignalR is not loaded. Please ensure jquery.signalR-x.js is referenced "
		+ "before ~/signalr/js."), errors[0]);
	await page.close();
});
