// The soak test's churn (SoakTests): for SOAK_DURATION_MS, SOAK_WORKERS workers open short-lived
// connections one after the other over every transport and protocol of the official client, to the
// nodes in turn (SIGNALR_NODE_URLS); each joins its pair's group, echoes, sends to the group and waits
// for its own message, then stops. One more worker goes through the round-robin proxy (SIGNALR_BASE_URL)
// with a new TCP connection per HTTP request, so its polls and sends land on the node that does not own
// the connection. Every SOAK_VICTIM_INTERVAL_MS a child process opens one connection per transport and
// protocol and is killed (SIGKILL) once they are connected: connections that end without a goodbye.
// Nothing is asserted here: every failure is written with its time to SOAK_SUMMARY, and the Java side
// decides which failures the Redis restart excuses.
import { test } from "node:test";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { HttpTransportType } from "@microsoft/signalr";
import { NewConnectionPerRequestHttpClient, baseUrl, nodeUrls, withTimeout } from "../scale/support.mjs";
import { COMBINATIONS, connect } from "./combinations.mjs";

const durationMs = Number(process.env.SOAK_DURATION_MS);
const workers = Number(process.env.SOAK_WORKERS);
const victimIntervalMs = Number(process.env.SOAK_VICTIM_INTERVAL_MS);
const summaryPath = process.env.SOAK_SUMMARY;
const STEP_TIMEOUT_MS = 15000;
const FAILURE_PAUSE_MS = 500;

const stats = {
	started: 0,
	completed: 0,
	invocations: 0,
	received: 0,
	killed: 0,
	byCombination: Object.fromEntries(COMBINATIONS.map((c) => [c.name, 0])),
	proxied: 0,
	failures: [],
};

function fail(combination, step, error) {
	stats.failures.push({ at: Date.now(), combination, step, error: String(error && error.message || error) });
}

// The JavaScript client rejects a promise nobody awaits any more when a connection whose start already
// failed (a POST answered 503 while Redis was away) later gets the server's handshake timeout on its
// still-open event stream: a client failure at that time like any other, judged against the outage window.
// node:test fails the running test on any unhandled rejection (seen in CI: the handshake timeout 15 s after
// the outage, reported as the whole churn failing), so the churn installs this handler as the only one.
function recordUnawaitedRejections() {
	process.removeAllListeners("unhandledRejection");
	process.on("unhandledRejection", (error) => fail("client", "unawaited promise", error));
}

/** One connection's life: start, join, echo, send to the group and receive it, stop. */
async function cycle(url, combination, group, message, httpClient) {
	const connection = connect(url, combination, httpClient);
	let step = "start";
	const own = new Promise((resolve) => connection.on("Receive", (received) => {
		stats.received++;
		if (received === message) {
			resolve();
		}
	}));
	stats.started++;
	try {
		await withTimeout(connection.start(), STEP_TIMEOUT_MS, "start");
		step = "JoinGroup";
		await withTimeout(connection.invoke("JoinGroup", group), STEP_TIMEOUT_MS, step);
		stats.invocations++;
		step = "Echo";
		const echoed = await withTimeout(connection.invoke("Echo", message), STEP_TIMEOUT_MS, step);
		stats.invocations++;
		if (echoed !== message) {
			throw new Error(`echoed ${JSON.stringify(echoed)} for ${JSON.stringify(message)}`);
		}
		step = "SendToGroup";
		await withTimeout(connection.invoke("SendToGroup", group, message), STEP_TIMEOUT_MS, step);
		stats.invocations++;
		step = "Receive";
		await withTimeout(own, STEP_TIMEOUT_MS, "its own group message");
		stats.completed++;
		stats.byCombination[combination.name]++;
		return true;
	}
	catch (error) {
		fail(combination.name, step, error);
		// no hot loop of failures while Redis is down
		await new Promise((resolve) => setTimeout(resolve, FAILURE_PAUSE_MS));
		return false;
	}
	finally {
		await withTimeout(connection.stop(), STEP_TIMEOUT_MS, "stop").catch((error) => fail(combination.name, "stop", error));
	}
}

async function worker(index, deadline) {
	// workers 2k and 2k+1 share a group and sit on different nodes at the same time
	const group = `pair-${index >> 1}`;
	for (let n = 0; Date.now() < deadline; n++) {
		const combination = COMBINATIONS[(n + (index >> 1)) % COMBINATIONS.length];
		await cycle(nodeUrls[(index + n) % nodeUrls.length], combination, group, `w${index}-${n}`);
	}
}

async function proxiedWorker(deadline) {
	const overHttp = COMBINATIONS.filter((c) => c.transport !== HttpTransportType.WebSockets);
	for (let n = 0; Date.now() < deadline; n++) {
		if (await cycle(baseUrl, overHttp[n % overHttp.length], "proxied", `p-${n}`,
			new NewConnectionPerRequestHttpClient())) {
			stats.proxied++;
		}
	}
}

/** A child process with one connection per combination, killed once they are connected. */
function victim(index) {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [fileURLToPath(new URL("./victim.mjs", import.meta.url))], {
			env: { ...process.env, SOAK_VICTIM_NODE: nodeUrls[index % nodeUrls.length] },
			stdio: ["ignore", "pipe", "inherit"],
		});
		let output = "";
		const timer = setTimeout(() => child.kill("SIGKILL"), STEP_TIMEOUT_MS * 2);
		child.stdout.on("data", (chunk) => {
			output += chunk;
			const ready = /ready (\d+)/.exec(output);
			if (ready) {
				stats.killed += Number(ready[1]);
				child.kill("SIGKILL");
			}
		});
		child.on("exit", () => {
			clearTimeout(timer);
			if (!/ready/.test(output)) {
				fail("victim", "connect", `the victim process ended before it was ready: ${output}`);
			}
			resolve();
		});
	});
}

async function victims(deadline) {
	for (let n = 0; Date.now() + victimIntervalMs < deadline; n++) {
		await new Promise((resolve) => setTimeout(resolve, victimIntervalMs));
		await victim(n);
	}
}

test("churn", { timeout: durationMs + 120000 }, async () => {
	recordUnawaitedRejections();
	const started = Date.now();
	const deadline = started + durationMs;
	try {
		await Promise.all([
			...Array.from({ length: workers }, (_, index) => worker(index, deadline)),
			proxiedWorker(deadline),
			victims(deadline),
		]);
	}
	finally {
		stats.durationMs = Date.now() - started;
		writeFileSync(summaryPath, JSON.stringify(stats));
	}
});
