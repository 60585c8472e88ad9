// Opens the chat pages in tabs of a real Chromium and chats between them: two tabs of the main page
// (/, @microsoft/signalr) and one of the classic page (/legacy.html, the ASP.NET SignalR 2 jQuery client
// with its generated proxy) at phone width (360 px, where the main page is checked too), all on the same hub: messages both ways, rooms included.
// Usage: node browser-chat.cjs <base url> [screenshot.png]
// Exits 0 when every tab shows what it should (and the non-member no room message); prints the failure
// and exits 1 otherwise.
"use strict";

const assert = require("assert/strict");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const WAIT_MS = 10000;
const PHONE = { width: 360, height: 740 };
const [baseUrl, screenshot] = process.argv.slice(2);

async function openChat(context, pagePath, name) {
	const page = await context.newPage();
	page.setDefaultTimeout(WAIT_MS);
	const errors = [];
	page.on("pageerror", (error) => errors.push(error));
	page.errors = errors;
	await page.goto(baseUrl + pagePath);
	await page.locator("#state[data-state=connected]").waitFor();
	// a new name reconnects with it in the hub URL
	await page.fill("#name", name);
	await page.press("#name", "Tab");
	await page.locator("#state[data-state=connected]").waitFor();
	return page;
}

function entries(page, text) {
	return page.locator("#messages li", { hasText: text });
}

async function expectEntry(page, text) {
	await entries(page, text).first().waitFor();
}

/** Waits for the entry, then checks it arrived once (a restarted connection must not double its handlers). */
async function expectOneEntry(page, text) {
	await expectEntry(page, text);
	assert.equal(await entries(page, text).count(), 1, `entries "${text}"`);
}

async function send(page, message, button) {
	await page.fill("#message", message);
	await page.click(button);
	// the composer empties once the hub call returned
	await page.waitForFunction(() => document.getElementById("message").value === "");
}

async function join(page, room) {
	await page.fill("#room", room);
	await page.click("#join");
	await page.locator("#rooms", { hasText: "#" + room }).waitFor();
}

/** Runs in the page: the buttons and fields that stick out of the card (.controls, .composer) they sit in. */
function outsideTheirCards() {
	const outside = [];
	for (const card of document.querySelectorAll(".controls, .composer")) {
		const box = card.getBoundingClientRect();
		for (const control of card.querySelectorAll("button, input")) {
			const r = control.getBoundingClientRect();
			if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
				outside.push(`#${control.id} [${Math.round(r.left)}..${Math.round(r.right)}] in [${Math.round(box.left)}..${Math.round(box.right)}]`);
			}
		}
	}
	return outside;
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
		const ada = await openChat(context, "/", "Ada");
		const grace = await openChat(context, "/", "Grace");

		await send(ada, "Hello from Ada", "#send");
		await expectEntry(grace, "Hello from Ada");
		await expectEntry(ada, "Hello from Ada");

		await join(ada, "lobby");
		await grace.fill("#room", "lobby");
		await grace.click("#join");
		await expectEntry(ada, "Grace joined #lobby");

		await send(grace, "Only the lobby sees this", "#send-room");
		await expectEntry(ada, "Only the lobby sees this");

		// the classic page, on a phone: the same hub through /signalr
		const lin = await openChat(context, "/legacy.html", "Lin");
		await lin.setViewportSize(PHONE);
		assert.ok(await lin.evaluate(() => $.connection.hub.transport && $.connection.hub.transport.name),
			"the jQuery client is connected");

		await send(lin, "Hello from the classic client", "#send");
		await expectOneEntry(ada, "Hello from the classic client");
		await expectOneEntry(grace, "Hello from the classic client");
		await expectOneEntry(lin, "Hello from the classic client");
		await send(ada, "Hello back from Ada", "#send");
		await expectOneEntry(lin, "Hello back from Ada");

		// a room shared by the two generations; Grace stays out of it
		await join(ada, "attic");
		await join(lin, "attic");
		await expectEntry(ada, "Lin joined #attic");
		await expectEntry(lin, "Lin joined #attic");
		await send(lin, "Attic only, from Lin", "#send-room");
		await expectOneEntry(ada, "Attic only, from Lin");
		await send(ada, "Attic only, from Ada", "#send-room");
		await expectOneEntry(lin, "Attic only, from Ada");
		// Lin's calls run in order: once Grace has this, she would have had the room message too
		await send(lin, "Everyone again", "#send");
		await expectEntry(grace, "Everyone again");
		assert.equal(await entries(grace, "Attic only").count(), 0, "room messages seen by a non-member");
		assert.equal(await entries(grace, "joined #attic").count(), 0, "room arrivals seen by a non-member");

		// usable on a small phone: nothing wider than the screen, every control inside its card
		await ada.setViewportSize(PHONE);
		for (const page of [ada, lin]) {
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
			assert.ok(overflow <= 0, `${page.url()} is ${overflow}px wider than a ${PHONE.width}px screen`);
			assert.deepEqual(await page.evaluate(outsideTheirCards), [], `controls outside their card on ${page.url()}`);
		}
		// the pages have an icon, and browsers that ask for /favicon.ico get one too
		for (const page of [ada, lin]) {
			const icon = await page.evaluate(() => document.querySelector("link[rel=icon]")?.href);
			assert.ok(icon, "a link to the icon on " + page.url());
			const response = await page.request.get(icon);
			assert.equal(response.status(), 200, icon);
		}
		const ico = await ada.request.get(baseUrl + "/favicon.ico");
		assert.equal(ico.status(), 200, "/favicon.ico");
		assert.match(ico.headers()["content-type"] || "", /image/, "/favicon.ico content type");
		for (const page of [ada, grace, lin]) {
			assert.deepEqual(page.errors.map(String), [], "errors on " + page.url());
		}

		if (screenshot) {
			await ada.screenshot({ path: screenshot, fullPage: true });
			await lin.screenshot({ path: screenshot.replace(/(\.png)?$/, "-legacy.png"), fullPage: true });
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
