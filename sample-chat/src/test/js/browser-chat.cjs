// Opens the chat page in two tabs of a real Chromium and chats between them.
// Usage: node browser-chat.cjs <base url> [screenshot.png]
// Exits 0 when the second tab shows what the first one sent; prints the failure and exits 1 otherwise.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const WAIT_MS = 10000;
const [baseUrl, screenshot] = process.argv.slice(2);

async function openChat(context, name) {
	const page = await context.newPage();
	page.setDefaultTimeout(WAIT_MS);
	await page.goto(baseUrl + "/");
	await page.locator("#state[data-state=connected]").waitFor();
	// a new name reconnects with it in the hub URL
	await page.fill("#name", name);
	await page.press("#name", "Tab");
	await page.locator("#state[data-state=connected]").waitFor();
	return page;
}

async function expectEntry(page, text) {
	await page.locator("#messages li", { hasText: text }).first().waitFor();
}

async function main() {
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chat-chromium-"));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: "/usr/bin/chromium",
		headless: true,
		timeout: 60000,
		args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--no-first-run"],
	});
	try {
		const ada = await openChat(context, "Ada");
		const grace = await openChat(context, "Grace");

		await ada.fill("#message", "Hello from Ada");
		await ada.click("#send");
		await expectEntry(grace, "Hello from Ada");
		await expectEntry(ada, "Hello from Ada");

		await ada.fill("#room", "lobby");
		await ada.click("#join");
		await ada.locator("#rooms", { hasText: "#lobby" }).waitFor();
		await grace.fill("#room", "lobby");
		await grace.click("#join");
		await expectEntry(ada, "Grace joined #lobby");

		await grace.fill("#message", "Only the lobby sees this");
		await grace.click("#send-room");
		await expectEntry(ada, "Only the lobby sees this");

		if (screenshot) {
			await ada.screenshot({ path: screenshot, fullPage: true });
		}
	}
	finally {
		await context.close();
		fs.rmSync(userDataDir, { recursive: true, force: true });
	}
	console.log("browser chat passed");
}

main().then(() => process.exit(0), (error) => {
	console.error("browser chat failed: " + (error && error.stack ? error.stack : error));
	process.exit(1);
});
