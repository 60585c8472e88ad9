// A long-polling connection outlives the server's 90 s poll timeout: an empty poll ends with 200
// and the client polls again, and a message sent after 95 idle seconds still arrives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HubConnectionBuilder, HttpTransportType, LogLevel } from "@microsoft/signalr";

const baseUrl = process.env.SIGNALR_BASE_URL.replace(/\/$/, "");
const IDLE_MS = Number(process.env.IDLE_MS || 95000);

test(`a long-polling connection idle for ${IDLE_MS / 1000} s receives a message sent at the end`, { timeout: IDLE_MS + 30000 }, async () => {
	const connection = new HubConnectionBuilder()
		.withUrl(baseUrl + "/testhub", HttpTransportType.LongPolling)
		.configureLogging(LogLevel.None)
		.build();
	let closedWith = "open";
	connection.onclose((error) => { closedWith = String(error); });
	const message = new Promise((resolve) => connection.on("Message", resolve));
	await connection.start();
	await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
	assert.equal(closedWith, "open");
	await connection.invoke("InvokeWithString", "after the idle period");
	assert.equal(await message, "after the idle period");
	await connection.stop();
});
