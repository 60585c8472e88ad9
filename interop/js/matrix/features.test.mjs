// Features beyond the reference's test hub, with the official client on every transport.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HubConnectionBuilder, HttpTransportType, LogLevel } from "@microsoft/signalr";

const baseUrl = process.env.SIGNALR_BASE_URL.replace(/\/$/, "");

for (const transport of ["WebSockets", "ServerSentEvents", "LongPolling"]) {
	test(`features over ${transport}`, async (t) => {
		const connection = new HubConnectionBuilder()
			.withUrl(baseUrl + "/features", HttpTransportType[transport])
			.configureLogging(LogLevel.None)
			.build();
		const notified = [];
		connection.on("GetNumber", () => 41);
		connection.on("notify", (text) => { notified.push(text); });
		connection.on("Compute", (value) => value * 2);
		await connection.start();
		try {
			await t.test("a hub method that waits for its own caller's result completes", async () => {
				assert.equal(await connection.invoke("AskCaller"), 42);
			});
			await t.test("a typed client proxy sends by method name and waits for results", async () => {
				assert.equal(await connection.invoke("TypedRoundTrip", 21), 42);
				assert.deepEqual(notified, ["computing 21"]);
			});
			await t.test("a hub filter changes arguments, observes results and short-circuits", async () => {
				assert.equal(await connection.invoke("FilteredEcho", "quiet"), "QUIET!");
				await assert.rejects(connection.invoke("FilteredEcho", "secret"), {
					message: "An unexpected error occurred invoking 'FilteredEcho' on the server. HubException: filtered out",
				});
			});
		}
		finally {
			await connection.stop();
		}
	});
}
