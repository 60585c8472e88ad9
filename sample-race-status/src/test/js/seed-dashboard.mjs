// Runs the RedMist guide's RedMistDashboard (seed/redmist-dashboard.mjs, unmodified) under Node against
// the sample and checks that the table it renders from the full status and the patches equals the
// server's state, again and again while it follows the race. What the guide leaves to the page is
// provided here: a token in localStorage, the table elements, window; the guide's hard-coded
// https://api.redmist.racing is pointed at the sample. The guide's code is imported as published; this
// script only watches what reaches it (decoding and patching a copy of the status on its own) and reads
// the table it renders.
//
// usage: node seed-dashboard.mjs <baseUrl> <transport: WebSockets|ServerSentEvents|LongPolling|WebSocketsSkipNegotiation>
//        <protocol: json|messagepack> [seconds to follow the race, 10] [stateUrl: the node running the simulator]
import * as signalR from '@microsoft/signalr';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';
import { gunzipSync } from 'node:zlib';
import { isDeepStrictEqual } from 'node:util';

const [baseUrl, transportName = 'WebSockets', protocol = 'json', follow = '10', stateUrl = baseUrl] =
	process.argv.slice(2);
const EVENT_ID = 123; // the guide's usage subscribes to event 123
const followMs = Number(follow) * 1000;
const deadline = Date.now() + 60_000 + followMs;

function fail(message) {
	console.error('FAILED: ' + message);
	process.exit(1);
}

async function waitFor(what, condition, timeoutMs = 30_000) {
	const end = Math.min(Date.now() + timeoutMs, deadline);
	while (!condition()) {
		if (Date.now() > end) {
			fail('timed out waiting for ' + what);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

// 1. Without a token the hub answers 401.
try {
	const anonymous = new signalR.HubConnectionBuilder().withUrl(baseUrl + '/status/event-status')
		.configureLogging(signalR.LogLevel.None).build();
	await anonymous.start();
	fail('connected without a token');
}
catch (error) {
	if (!String(error).includes('401') && error.statusCode !== 401) {
		fail('expected 401 without a token, got ' + error);
	}
	console.log('no token: ' + error.message);
}

// 2. A development token, kept where the guide's getToken() reads it.
const tokenResponse = await fetch(baseUrl + '/dev/token?sub=seed-dashboard', { method: 'POST' });
if (tokenResponse.status !== 200) {
	fail('dev token: HTTP ' + tokenResponse.status);
}
const token = await tokenResponse.text();
globalThis.localStorage = { getItem: (key) => (key === 'access_token' ? token : null) };

// 3. The page elements render() writes to.
class Row {
	constructor() { this.innerHTML = ''; }
	cells() { return [...this.innerHTML.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((match) => match[1]); }
}
class TableBody {
	constructor() { this.rows = []; }
	set innerHTML(value) { if (value === '') { this.rows = []; } }
	get innerHTML() { return this.rows.map((row) => '<tr>' + row.innerHTML + '</tr>').join(''); }
	insertRow() { const row = new Row(); this.rows.push(row); return row; }
}
const elements = { 'event-name': { textContent: '' }, 'positions-tbody': new TableBody() };
globalThis.document = { getElementById: (id) => elements[id] ?? null };
globalThis.window = { addEventListener: () => {} };

// 4. The guide's URL points at the sample; transport and protocol as asked.
const transports = {
	WebSockets: signalR.HttpTransportType.WebSockets,
	WebSocketsSkipNegotiation: signalR.HttpTransportType.WebSockets,
	ServerSentEvents: signalR.HttpTransportType.ServerSentEvents,
	LongPolling: signalR.HttpTransportType.LongPolling,
};
if (!(transportName in transports)) {
	fail('unknown transport ' + transportName);
}
const withUrl = signalR.HubConnectionBuilder.prototype.withUrl;
signalR.HubConnectionBuilder.prototype.withUrl = function (url, options) {
	const local = url.replace('https://api.redmist.racing', baseUrl);
	return withUrl.call(this, local, { ...options, transport: transports[transportName],
		skipNegotiation: transportName === 'WebSocketsSkipNegotiation' });
};
const build = signalR.HubConnectionBuilder.prototype.build;
signalR.HubConnectionBuilder.prototype.build = function () {
	if (protocol === 'messagepack') {
		this.withHubProtocol(new MessagePackHubProtocol());
	}
	return build.call(this);
};

// 5. Watch what ReceiveMessage brings, decoding it and applying the patches (RFC 6902) to a copy of its
//    own, independently of the guide's code.
function applyOwn(operation) {
	const path = operation.path.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
	let target = ownStatus;
	for (const part of path.slice(0, -1)) {
		if (target === null || typeof target !== 'object' || !(part in target)) {
			fail('patch path does not exist: ' + operation.path);
		}
		target = target[part];
	}
	const key = path[path.length - 1];
	if (!(key in target)) {
		fail('patch replaces a missing member: ' + operation.path);
	}
	target[key] = operation.value;
}
let connection = null;
let fulls = 0;
let patchMessages = 0;
let ownStatus = null;
const on = signalR.HubConnection.prototype.on;
signalR.HubConnection.prototype.on = function (method, handler) {
	connection = this;
	if (method !== 'ReceiveMessage') {
		return on.call(this, method, handler);
	}
	return on.call(this, method, (message) => {
		if (typeof message !== 'string') {
			fail('ReceiveMessage carried ' + typeof message);
		}
		if (message.startsWith('H4sI')) {
			ownStatus = JSON.parse(gunzipSync(Buffer.from(message, 'base64')).toString('utf8'));
			fulls++;
		}
		else {
			const patch = JSON.parse(message);
			if (patch.t !== 'patch' || !Array.isArray(patch.patches) || patch.patches.length === 0) {
				fail('unexpected message ' + message.slice(0, 200));
			}
			if (ownStatus === null) {
				fail('a patch arrived before the full status');
			}
			for (const operation of patch.patches) {
				if (operation.op !== 'replace' || !operation.path.startsWith('/')) {
					fail('unexpected operation ' + JSON.stringify(operation));
				}
				applyOwn(operation);
			}
			patchMessages++;
		}
		handler(message);
	});
};

// 6. The guide's code, as published: it connects and subscribes to event 123.
await import('./seed/redmist-dashboard.mjs');

await waitFor('a full status and patches', () => fulls >= 2 && patchMessages >= 10);
// what the connection really uses (fields of the official client's HubConnection and HttpConnection)
const usedTransport = connection.connection.transport.constructor.name;
const usedProtocol = connection._protocol.name;
console.log(`${usedTransport}, ${usedProtocol}: ${fulls} full statuses, ${patchMessages} patch messages`);
const expectedTransport = { WebSockets: 'WebSocketTransport', WebSocketsSkipNegotiation: 'WebSocketTransport',
	ServerSentEvents: 'ServerSentEventsTransport', LongPolling: 'LongPollingTransport' }[transportName];
if (usedTransport !== expectedTransport || usedProtocol !== protocol) {
	fail(`expected ${expectedTransport} with ${protocol}`);
}

// 7. The rendered table (and the status behind it) equals the server's state, checked every few seconds
//    while the dashboard follows the race.
function renderedRows() {
	return elements['positions-tbody'].rows.map((row) => row.cells());
}
function expectedRows(status) {
	return status.cps.map((car) => [String(car.ovp), String(car.n), String(car.bt), String(car.og)]);
}
let server = null;
async function compareWithServer() {
	let matched = false;
	// patches may be on their way while the server answers: look again until both are at the same point
	const compareUntil = Date.now() + 15_000;
	while (!matched && Date.now() < compareUntil) {
		const response = await fetch(`${stateUrl}/status/v2/Events/GetCurrentLegacySessionPayload?eventId=${EVENT_ID}`,
			{ headers: { Authorization: 'Bearer ' + token } });
		if (response.status !== 200) {
			fail('server state: HTTP ' + response.status);
		}
		server = await response.json();
		matched = elements['event-name'].textContent === server.n
			&& isDeepStrictEqual(renderedRows(), expectedRows(server))
			&& isDeepStrictEqual(ownStatus, server);
		if (!matched) {
			await new Promise((resolve) => setTimeout(resolve, 30));
		}
	}
	if (matched) {
		return;
	}
	console.error('rendered: ' + JSON.stringify(renderedRows()));
	console.error('server:   ' + JSON.stringify(expectedRows(server)));
	console.error('event name: ' + elements['event-name'].textContent + ' / ' + server.n);
	const differences = [];
	const compare = (a, b, path) => {
		if (isDeepStrictEqual(a, b)) {
			return;
		}
		if (a && b && typeof a === 'object' && typeof b === 'object') {
			for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
				compare(a[key], b[key], path + '/' + key);
			}
		}
		else {
			differences.push(`${path}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`);
		}
	};
	compare(ownStatus, server, '');
	console.error('status differences: ' + differences.slice(0, 20).join('; '));
	fail('the table did not equal the server state');
}
const followUntil = Date.now() + followMs;
let comparisons = 0;
const raceTimes = [];
do {
	await compareWithServer();
	comparisons++;
	raceTimes.push(server.es.rt);
	if (Date.now() < followUntil) {
		await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, followUntil - Date.now())));
	}
} while (Date.now() < followUntil);
if (comparisons > 1 && new Set(raceTimes).size < 2) {
	fail('the race did not move: ' + raceTimes.join(', '));
}
console.log(`equal to the server state ${comparisons} times over ${follow} s, race time ${raceTimes[0]} to `
	+ `${raceTimes[raceTimes.length - 1]}; ${fulls} full statuses, ${patchMessages} patch messages`);
const positions = renderedRows().map((row) => Number(row[0])).sort((a, b) => a - b);
if (positions.length !== server.cps.length || positions.some((position, i) => position !== i + 1)) {
	fail('positions are not 1..' + server.cps.length + ': ' + positions);
}
console.log(`table of ${positions.length} cars for "${elements['event-name'].textContent}" equals the server state`);
await connection.stop();
console.log('seed dashboard passed');
process.exit(0);
