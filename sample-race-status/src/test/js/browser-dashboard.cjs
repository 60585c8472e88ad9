// Opens the dashboard page in a real Chromium, signs in with a development token, follows event 123 and
// watches the race: rows, flags and the control log, rows that change, and the page reconnecting and
// subscribing again after its WebSocket is dropped.
// Usage: node browser-dashboard.cjs <base url> [screenshot.png]
// Exits 0 when all of that is seen; prints the failure and exits 1 otherwise.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const WAIT_MS = 30000;
const [baseUrl, screenshot] = process.argv.slice(2);

function fail(message) {
	throw new Error(message);
}

async function tableText(page) {
	return page.locator("#positions-tbody").innerText();
}

async function waitForTableChange(page, before, what) {
	const end = Date.now() + WAIT_MS;
	while (Date.now() < end) {
		const now = await tableText(page);
		if (now !== before && now.trim() !== "") {
			return now;
		}
		await page.waitForTimeout(200);
	}
	fail("the positions table did not change " + what);
}

async function main() {
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "race-chromium-"));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: "/usr/bin/chromium",
		headless: true,
		timeout: 60000,
		args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--no-first-run"],
	});
	try {
		// keeps the page's WebSockets at hand, so that the test can drop them as a network would
		await context.addInitScript(() => {
			const Native = window.WebSocket;
			window.openedSockets = [];
			window.WebSocket = class extends Native {
				constructor(...args) {
					super(...args);
					window.openedSockets.push(this);
				}
			};
		});
		const page = await context.newPage();
		page.setDefaultTimeout(WAIT_MS);
		const errors = [];
		page.on("pageerror", (error) => errors.push(String(error)));
		await page.goto(baseUrl + "/");

		await page.fill("#user", "Ada");
		await page.click("#login");
		await page.locator("#state[data-state=connected]").waitFor();
		await page.locator("#event option[value='123']").waitFor({ state: "attached" });
		await page.selectOption("#event", "123");
		await page.click("#follow");

		await page.locator("#positions-tbody tr").nth(19).waitFor();
		const eventName = await page.locator("#event-name").innerText();
		if (!eventName.includes("Sebring")) {
			fail("event name " + eventName);
		}
		const rows = await page.locator("#positions-tbody tr").count();
		const positions = await page.locator("#positions-tbody tr td:first-child").allInnerTexts();
		if (positions.join(",") !== Array.from({ length: rows }, (_, i) => String(i + 1)).join(",")) {
			fail("positions are not 1.." + rows + " in order: " + positions.join(","));
		}
		console.log(`${rows} cars of "${eventName}"`);
		const flag = await page.locator("#flag").innerText();
		const flagPeriods = await page.locator("#flags li").count();
		if (flag === "–" || flag === "Unknown" || flagPeriods === 0) {
			fail(`flag "${flag}", ${flagPeriods} flag periods`);
		}
		await page.locator("#control-log[data-loaded=true] li").first().waitFor();
		const logEntries = await page.locator("#control-log").getAttribute("data-entries");
		console.log(`flag ${flag}, ${flagPeriods} flag periods, ${logEntries} control log entries`);

		// the race moves: the table changes
		let table = await tableText(page);
		table = await waitForTableChange(page, table, "while racing");
		console.log("rows changed");

		// drop the connection: the page reconnects and subscribes again (a new full status, rows moving on)
		const connectionId = await page.locator("#state").getAttribute("data-connection-id");
		const fulls = Number(await page.locator("#updates").getAttribute("data-fulls"));
		const dropped = await page.evaluate(() => {
			const open = window.openedSockets.filter((socket) => socket.readyState === WebSocket.OPEN);
			open.forEach((socket) => socket.close(4000, "dropped by the test"));
			return open.length;
		});
		if (dropped !== 1) {
			fail(dropped + " open WebSockets");
		}
		await page.waitForFunction((old) => {
			const state = document.getElementById("state");
			return state.dataset.state === "connected" && state.dataset.connectionId !== old;
		}, connectionId);
		await page.waitForFunction((before) => Number(document.getElementById("updates").dataset.fulls) > before,
			fulls);
		table = await waitForTableChange(page, await tableText(page), "after reconnecting");
		const subscriptions = await page.locator("#updates").getAttribute("data-subscriptions");
		if (subscriptions !== "2") {
			fail("subscribed " + subscriptions + " times");
		}
		console.log("reconnected, subscribed again, rows changed");

		if (errors.length > 0) {
			fail("page errors: " + errors.join("; "));
		}
		if (screenshot) {
			await page.screenshot({ path: screenshot, fullPage: true });
		}
	}
	finally {
		await context.close();
		fs.rmSync(userDataDir, { recursive: true, force: true });
	}
	console.log("browser dashboard passed");
}

main().then(() => process.exit(0), (error) => {
	console.error("browser dashboard failed: " + (error && error.stack ? error.stack : error));
	process.exit(1);
});
