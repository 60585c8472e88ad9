// Opens the operator view (/ops.html) in a real Chromium while three official JavaScript clients (Node),
// one per transport, chat through the hub; checks what the page shows.
// Usage: node ops-view.cjs <base url> [screenshot.png]
// Exits 0 when the page shows the three connections by transport, non-zero message rates and charts with
// points, then the connections gone after the clients stop; prints the failure and exits 1 otherwise.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");
const signalR = require("../../main/frontend/node_modules/@microsoft/signalr");

const WAIT_MS = 20000;
const [baseUrl, screenshot] = process.argv.slice(2);

async function connect(name, transport) {
	const connection = new signalR.HubConnectionBuilder()
		.withUrl(baseUrl + "/chat?name=" + name, { transport })
		.configureLogging(signalR.LogLevel.Warning)
		.build();
	connection.on("ReceiveMessage", () => {});
	await connection.start();
	return connection;
}

/** Resolves when check(page) returns true, polling; rejects with what it last saw after WAIT_MS. */
async function until(page, description, check) {
	const deadline = Date.now() + WAIT_MS;
	let seen;
	while (Date.now() < deadline) {
		seen = await page.evaluate(check);
		if (seen === true) {
			return;
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error("the page did not show " + description + " within " + WAIT_MS + " ms; it showed: "
		+ JSON.stringify(seen));
}

async function main() {
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ops-chromium-"));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: "/usr/bin/chromium",
		headless: true,
		timeout: 60000,
		viewport: { width: 1440, height: 900 },
		args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--no-first-run"],
	});
	const clients = [];
	let chatting = null;
	try {
		const page = await context.newPage();
		page.setDefaultTimeout(WAIT_MS);
		const errors = [];
		page.on("pageerror", (error) => errors.push(error.message));
		await page.goto(baseUrl + "/ops.html");
		await page.locator("#status[data-state=live]").waitFor();

		clients.push(await connect("ada", signalR.HttpTransportType.WebSockets));
		clients.push(await connect("grace", signalR.HttpTransportType.ServerSentEvents));
		clients.push(await connect("linus", signalR.HttpTransportType.LongPolling));
		let sent = 0;
		chatting = setInterval(() => {
			const client = clients[sent % clients.length];
			sent++;
			client.invoke("SendMessage", "ops", "message " + sent).catch(() => {});
		}, 100);

		await until(page, "3 connections", () => document.getElementById("connections").dataset.value === "3"
			|| document.getElementById("connections").dataset.value);
		await until(page, "one connection per transport", () => {
			const sub = document.getElementById("connections-sub").textContent;
			return sub === "WS 1 · SSE 1 · LP 1" || sub;
		});
		await until(page, "messages in and out per second", () => {
			const rate = (id) => Number(document.getElementById(id).dataset.value);
			return (rate("in-rate") > 0 && rate("out-rate") > 0)
				|| [document.getElementById("in-rate").textContent, document.getElementById("out-rate").textContent];
		});
		await until(page, "charts with points", () => {
			const points = (selector) => {
				const line = document.querySelector(selector);
				return line ? Number(line.dataset.points) : 0;
			};
			const counts = [points("#chart-connections polyline[data-series=LongPolling]"),
				points("#chart-connections polyline[data-series=ServerSentEvents]"),
				points("#chart-messages polyline[data-series=in]"), points("#chart-messages polyline[data-series=out]"),
				points("#chart-bytes polyline[data-series=out]")];
			return counts.every((count) => count >= 6) || counts;
		});
		await until(page, "the hub's row", () => {
			const row = document.querySelector("#hubs tr[data-hub=ChatHub]");
			const text = row ? row.textContent : "";
			return (text.includes("/chat") && text.includes("WS 1") && text.includes("SSE 1") && text.includes("LP 1")
				&& text.includes("json 3")) || text;
		});
		const shown = await page.evaluate(() => ({
			connections: document.getElementById("connections").textContent,
			in: document.getElementById("in-rate").textContent,
			out: document.getElementById("out-rate").textContent,
			bytes: document.getElementById("bytes-rate").textContent,
			backplane: document.getElementById("backplane").textContent,
		}));
		console.log("page shows " + JSON.stringify(shown));
		if (shown.backplane !== "none") {
			throw new Error("a single node without Redis should show no backplane, not " + shown.backplane);
		}
		if (screenshot) {
			await page.screenshot({ path: screenshot, fullPage: true });
		}

		clearInterval(chatting);
		chatting = null;
		await Promise.all(clients.splice(0).map((client) => client.stop()));
		await until(page, "0 connections after the clients stopped",
			() => document.getElementById("connections").dataset.value === "0"
				|| document.getElementById("connections").dataset.value);
		if (errors.length) {
			throw new Error("the page threw: " + errors.join("; "));
		}
	}
	finally {
		if (chatting) {
			clearInterval(chatting);
		}
		await Promise.all(clients.map((client) => client.stop().catch(() => {})));
		await context.close();
		fs.rmSync(userDataDir, { recursive: true, force: true });
	}
	console.log("ops view passed");
}

main().then(() => process.exit(0), (error) => {
	console.error("ops view failed: " + (error && error.stack ? error.stack : error));
	process.exit(1);
});
