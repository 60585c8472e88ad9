// The race status dashboard: plain browser JavaScript on the official @microsoft/signalr client.
// It follows one event the way the RedMist StatusHub guide describes: a full status (gzip + base64 JSON)
// on ReceiveMessage, then JSON patches ({"t":"patch","patches":[...]}) applied to it; the control log on
// ReceiveControlLog. After a drop it reconnects with exponential backoff and subscribes again.
"use strict";

(function () {
	const $ = (id) => document.getElementById(id);
	const FLAGS = ["Unknown", "Green", "Yellow", "Red", "White", "Checkered", "Black", "Purple 35", "Purple 60",
		"Blue", "Meatball", "Debris", "Waving yellow"];
	const TOKEN_KEY = "access_token"; // where the guide's getToken() looks
	const USER_KEY = "race.user";

	let token = null;
	let connection = null;
	let stopping = false;
	let following = null; // { eventId, accessCode }
	let status = null; // the V1 status: the last full status with every patch since applied
	let messages = Promise.resolve(); // ReceiveMessage handling, in arrival order
	let renderPending = false;
	const counts = { updates: 0, fulls: 0, subscriptions: 0, errors: 0 };
	const lastRows = new Map();

	// ---- tokens -------------------------------------------------------------------------------------

	function expiry(jwt) {
		try {
			const claims = JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
			return claims.exp ? claims.exp * 1000 : Infinity;
		}
		catch (error) {
			return 0;
		}
	}

	async function devToken(user) {
		const response = await fetch("/dev/token?sub=" + encodeURIComponent(user), { method: "POST" });
		if (!response.ok) {
			throw new Error(response.status === 404 ? "Development tokens are off on this server: paste a token"
				: "Sign-in failed: HTTP " + response.status);
		}
		return response.text();
	}

	// best practice 3: a token about to expire is replaced before it is used
	async function currentToken() {
		const user = localStorage.getItem(USER_KEY);
		if (token && expiry(token) - Date.now() < 30_000 && user) {
			token = await devToken(user);
			localStorage.setItem(TOKEN_KEY, token);
		}
		return token;
	}

	// ---- the connection -----------------------------------------------------------------------------

	function showState(state, text) {
		const label = $("state");
		label.dataset.state = state;
		label.dataset.connectionId = (connection && connection.connectionId) || "";
		label.textContent = text;
		$("follow").disabled = state !== "connected";
	}

	function notice(text) {
		$("notice").textContent = text || "";
	}

	function report(error) {
		counts.errors++;
		console.error(error);
		notice(String(error && error.message ? error.message : error));
	}

	function buildConnection() {
		const built = new signalR.HubConnectionBuilder()
			.withUrl("/status/event-status", { accessTokenFactory: () => currentToken() })
			// best practice 2: exponential backoff, at most 30 s, retrying for as long as the page is open
			.withAutomaticReconnect({
				nextRetryDelayInMilliseconds: (context) => Math.min(1000 * Math.pow(2, context.previousRetryCount), 30_000),
			})
			.configureLogging(signalR.LogLevel.Warning)
			.build();
		// best practice 5: a message that cannot be handled is reported, the page carries on
		built.on("ReceiveMessage", (message) => {
			messages = messages.then(() => receive(message)).catch(report);
		});
		built.on("ReceiveControlLog", (log) => {
			try {
				showControlLog(log);
			}
			catch (error) {
				report(error);
			}
		});
		// SubscribeToEventV2 also brings the V2 messages; this page follows the V1 status
		["ReceiveSessionPatch", "ReceiveCarPatches", "ReceiveReset"].forEach((method) => built.on(method, () => {}));
		built.onreconnecting(() => showState("reconnecting", "Reconnecting…"));
		// best practice 1: a new connection belongs to no group, subscribe again
		built.onreconnected(() => {
			showState("connected", "Connected");
			resubscribe().catch(report);
		});
		built.onclose((error) => {
			if (built !== connection || stopping) {
				return;
			}
			showState("disconnected", "Disconnected");
			if (error) {
				report(error);
			}
			setTimeout(() => start(0).catch(report), 2000);
		});
		return built;
	}

	async function start(attempt) {
		if (!connection) {
			connection = buildConnection();
		}
		showState("connecting", "Connecting…");
		try {
			await connection.start();
		}
		catch (error) {
			report(error);
			showState("disconnected", "Disconnected");
			// the token may be the problem: the next attempt asks for a fresh one when it expired
			setTimeout(() => start(attempt + 1).catch(report), Math.min(1000 * Math.pow(2, attempt), 30_000));
			return;
		}
		showState("connected", "Connected");
		await resubscribe();
	}

	function subscriptionArguments(target) {
		return target.accessCode ? [target.eventId, target.accessCode] : [target.eventId];
	}

	async function subscribe(target) {
		status = null;
		lastRows.clear();
		messages = Promise.resolve();
		const args = subscriptionArguments(target);
		await connection.invoke("SubscribeToEventV2", ...args);
		await connection.invoke("SubscribeToControlLogs", ...args);
		counts.subscriptions++;
		$("updates").dataset.subscriptions = String(counts.subscriptions);
	}

	async function unsubscribe(target) {
		await connection.invoke("UnsubscribeFromEventV2", target.eventId);
		await connection.invoke("UnsubscribeFromControlLogs", target.eventId);
	}

	function resubscribe() {
		return following ? subscribe(following) : Promise.resolve();
	}

	async function follow(eventId, accessCode) {
		const target = { eventId, accessCode };
		if (following && following.eventId !== eventId) {
			await unsubscribe(following);
		}
		await subscribe(target);
		following = target;
		notice("");
	}

	// ---- messages -----------------------------------------------------------------------------------

	async function inflate(base64) {
		const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
		const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
		return new Response(stream).text();
	}

	async function receive(message) {
		if (message.startsWith("H4sI")) {
			status = JSON.parse(await inflate(message));
			counts.fulls++;
		}
		else {
			const update = JSON.parse(message);
			if (update.t !== "patch") {
				status = update;
			}
			else if (status) {
				update.patches.forEach(applyPatch);
			}
		}
		counts.updates++;
		scheduleRender();
	}

	function unescapePointer(token) {
		return token.replace(/~1/g, "/").replace(/~0/g, "~");
	}

	// RFC 6902 on the status; the server sends replace, add and remove are here for completeness
	function applyPatch(operation) {
		const path = operation.path.split("/").slice(1).map(unescapePointer);
		if (path.length === 0) {
			status = operation.value;
			return;
		}
		let target = status;
		for (let i = 0; i < path.length - 1; i++) {
			target = target[path[i]];
		}
		const key = path[path.length - 1];
		if (operation.op === "remove") {
			Array.isArray(target) ? target.splice(Number(key), 1) : delete target[key];
		}
		else if (operation.op === "add" && Array.isArray(target)) {
			target.splice(key === "-" ? target.length : Number(key), 0, operation.value);
		}
		else if (operation.op === "replace" || operation.op === "add") {
			target[key] = operation.value;
		}
	}

	// ---- rendering ----------------------------------------------------------------------------------

	function scheduleRender() {
		if (!renderPending) {
			renderPending = true;
			requestAnimationFrame(() => {
				renderPending = false;
				render();
			});
		}
	}

	function time(text) {
		// "00:02:11.123" -> "2:11.123"
		return (text || "").replace(/^00:0?/, "").replace(/^0(\d:)/, "$1");
	}

	function cell(row, text, className) {
		const td = row.insertCell();
		td.textContent = text;
		if (className) {
			td.className = className;
		}
	}

	function render() {
		const updates = $("updates");
		updates.textContent = `${counts.updates} updates, ${counts.fulls} full statuses`;
		updates.dataset.updates = String(counts.updates);
		updates.dataset.fulls = String(counts.fulls);
		if (!status) {
			return;
		}
		$("event-name").textContent = status.n;
		const session = status.es || {};
		const flag = $("flag");
		flag.dataset.flag = String(session.f ?? 0);
		flag.textContent = FLAGS[session.f] || "Unknown";
		$("race-time").textContent = session.rt || "–";
		$("time-to-go").textContent = session.ttg || "–";
		$("laps-to-go").textContent = String(session.ltg ?? "–");
		$("time-of-day").textContent = session.tt || "–";
		renderPositions(status.cps || []);
		renderFlags(status.fd || []);
	}

	function renderPositions(cars) {
		const tbody = $("positions-tbody");
		const rows = document.createDocumentFragment();
		[...cars].sort((a, b) => a.ovp - b.ovp).forEach((car) => {
			const row = document.createElement("tr");
			row.dataset.car = car.n;
			cell(row, String(car.ovp));
			cell(row, car.n);
			cell(row, car.class);
			cell(row, car.dn);
			cell(row, String(car.llp));
			cell(row, time(car.ltm));
			cell(row, time(car.bt), car.ibt ? "best" : "");
			cell(row, car.og);
			cell(row, car.od);
			cell(row, String(car.psc));
			cell(row, [car.pl ? car.pl + " lap" : "", car.pw ? car.pw + " W" : "", car.bf ? car.bf + " BF" : ""]
				.filter(Boolean).join(" "));
			cell(row, car.mcs);
			const text = row.textContent;
			if (lastRows.has(car.n) && lastRows.get(car.n) !== text) {
				row.className = "changed";
			}
			if (car.ip) {
				row.classList.add("in-pit");
			}
			lastRows.set(car.n, text);
			rows.appendChild(row);
		});
		tbody.replaceChildren(rows);
	}

	function renderFlags(durations) {
		const list = $("flags");
		list.replaceChildren(...durations.map((duration) => {
			const item = document.createElement("li");
			const from = new Date(duration.s).toLocaleTimeString();
			const to = duration.e ? new Date(duration.e).toLocaleTimeString() : "now";
			item.textContent = `${FLAGS[duration.f] || "Unknown"} ${from} – ${to}`;
			item.dataset.flag = String(duration.f);
			return item;
		}));
	}

	function showControlLog(log) {
		if (log.cn !== "") {
			return; // one car's entries; this page shows the event's log
		}
		const list = $("control-log");
		list.dataset.loaded = "true";
		list.dataset.entries = String(log.entries.length);
		if (log.entries.length === 0) {
			const item = document.createElement("li");
			item.textContent = "No entries yet";
			list.replaceChildren(item);
			return;
		}
		list.replaceChildren(...[...log.entries].reverse().map((entry) => {
			const item = document.createElement("li");
			const cars = entry.c2 ? `#${entry.c1} / #${entry.c2}` : `#${entry.c1}`;
			const status = document.createElement("span");
			status.className = "status";
			status.textContent = entry.s + (entry.a ? ": " + entry.a : "");
			item.append(`${new Date(entry.t).toLocaleTimeString()} ${entry.cor} ${cars} ${entry.n} – `, status);
			return item;
		}));
	}

	// ---- the page -----------------------------------------------------------------------------------

	async function loadEvents() {
		const response = await fetch("/status/v2/Events", { headers: { Authorization: "Bearer " + await currentToken() } });
		if (!response.ok) {
			throw new Error("Could not load the events: HTTP " + response.status);
		}
		const events = await response.json();
		const select = $("event");
		select.replaceChildren(...Object.entries(events).map(([id, name]) => new Option(`${name} (${id})`, id)));
		select.disabled = false;
	}

	async function signIn(user, pasted) {
		token = pasted || await devToken(user || "race-fan");
		localStorage.setItem(TOKEN_KEY, token);
		if (pasted) {
			localStorage.removeItem(USER_KEY);
		}
		else {
			localStorage.setItem(USER_KEY, user || "race-fan");
		}
		await loadEvents();
		if (!connection) {
			await start(0);
		}
	}

	$("user").value = localStorage.getItem(USER_KEY) || "";
	$("login-form").addEventListener("submit", (event) => {
		event.preventDefault();
		notice("");
		signIn($("user").value.trim(), $("token").value.trim()).catch(report);
	});
	$("event-form").addEventListener("submit", (event) => {
		event.preventDefault();
		follow(Number($("event").value), $("access-code").value.trim() || null).catch(report);
	});
	// best practice 4: unsubscribe when done
	window.addEventListener("beforeunload", () => {
		stopping = true;
		if (connection && following && connection.state === signalR.HubConnectionState.Connected) {
			connection.invoke("UnsubscribeFromEventV2", following.eventId).catch(() => {});
			connection.stop();
		}
	});
})();
