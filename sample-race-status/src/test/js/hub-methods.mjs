// The StatusHub's other subscriptions with the official client: optional trailing access codes, private
// events, control logs, in-car data (V1 and V2) and the V2 event messages.
//
// usage: node hub-methods.mjs <baseUrl> [stateUrl: the node that runs the simulator, for the REST state]
import * as signalR from '@microsoft/signalr';
import { gunzipSync } from 'node:zlib';

const [baseUrl, stateUrl = baseUrl] = process.argv.slice(2);

function fail(message) {
	console.error('FAILED: ' + message);
	process.exit(1);
}

function next(connection, method, timeoutMs = 20_000) {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('no ' + method + ' within ' + timeoutMs + ' ms')), timeoutMs);
		const handler = (...args) => {
			clearTimeout(timer);
			connection.off(method, handler);
			resolve(args);
		};
		connection.on(method, handler);
	});
}

async function expectError(promise, text) {
	try {
		await promise;
	}
	catch (error) {
		if (!error.message.includes(text)) {
			fail(`expected "${text}", got "${error.message}"`);
		}
		return;
	}
	fail(`expected "${text}", got success`);
}

const token = await (await fetch(baseUrl + '/dev/token?sub=hub-methods')).text();
const connection = new signalR.HubConnectionBuilder()
	.withUrl(baseUrl + '/status/event-status', { accessTokenFactory: () => token })
	.configureLogging(signalR.LogLevel.Error)
	.build();
await connection.start();

// a private event needs its access code; the code is an optional trailing argument
await expectError(connection.invoke('SubscribeToControlLogs', 124),
	'HubException: Access code required or invalid for this event.');
await expectError(connection.invoke('SubscribeToControlLogs', 124, 'wrong'),
	'HubException: Access code required or invalid for this event.');
await expectError(connection.invoke('SubscribeToEventV2', 999), 'HubException: Event 999 is not running.');
let log = next(connection, 'ReceiveControlLog');
await connection.invoke('SubscribeToControlLogs', 124, 'pit-lane');
const [fullLog] = await log;
if (fullLog.cn !== '' || !Array.isArray(fullLog.entries)) {
	fail('full control log ' + JSON.stringify(fullLog));
}
console.log(`control log of 124: ${fullLog.entries.length} entries`);

// the car numbers of event 123, from the REST side
const state = await (await fetch(stateUrl + '/status/v2/Events/GetCurrentSessionStateJson?eventId=123',
	{ headers: { Authorization: 'Bearer ' + token } })).json();
const car = state.carPositions[4].n;
await expectError(connection.invoke('SubscribeToCarControlLogs', 123, 'no-such-car'),
	'HubException: Car no-such-car is not entered in event 123.');
log = next(connection, 'ReceiveControlLog');
await connection.invoke('SubscribeToCarControlLogs', 123, car);
const [carLog] = await log;
if (carLog.cn !== car || carLog.entries.some((entry) => entry.c1 !== car && entry.c2 !== car)) {
	fail('car control log ' + JSON.stringify(carLog));
}

// in-car data, V2 as objects and V1 as gzip+base64 JSON
let inCar = next(connection, 'ReceiveInCarUpdateV2');
await connection.invoke('SubscribeToInCarDriverEventV2', 123, car);
const [payload] = await inCar;
if (payload.n !== car || payload.c.length !== 4 || payload.c[2].n !== car || typeof payload.f !== 'number'
		|| payload.o === '' || payload.p === '') {
	fail('in-car payload ' + JSON.stringify(payload));
}
console.log(`in-car ${car}: P${payload.o} overall, P${payload.p} in class, flag ${payload.f}`);
inCar = next(connection, 'ReceiveInCarUpdate');
await connection.invoke('SubscribeToInCarDriverEvent', 123, car);
const [compressed] = await inCar;
const v1 = JSON.parse(gunzipSync(Buffer.from(compressed, 'base64')).toString('utf8'));
if (!compressed.startsWith('H4sI') || v1.n !== car) {
	fail('V1 in-car payload ' + compressed.slice(0, 40));
}
await connection.invoke('UnsubscribeFromInCarDriverEvent', 123, car);
await connection.invoke('UnsubscribeFromInCarDriverEventV2', 123, car);
await connection.invoke('UnsubscribeFromCarControlLogs', 123, car);
await connection.invoke('UnsubscribeFromControlLogs', 124);

// V2: session and car patches after SubscribeToEventV2 (car patches always name the car); early in a
// sprint the field crosses the line in a bunch, so the next car patch may be a lap (30 s) away
const session = next(connection, 'ReceiveSessionPatch');
const cars = next(connection, 'ReceiveCarPatches', 60_000);
const full = next(connection, 'ReceiveMessage');
await connection.invoke('SubscribeToEventV2', 124, 'pit-lane');
const [first] = await full;
if (!first.startsWith('H4sI')) {
	fail('first ReceiveMessage is not a full status');
}
const [sessionPatch] = await session;
if (sessionPatch.eventId !== 124 || !('timeToGo' in sessionPatch)) {
	fail('session patch ' + JSON.stringify(sessionPatch));
}
const [carPatches] = await cars;
if (!Array.isArray(carPatches) || carPatches.length === 0 || carPatches.some((patch) => typeof patch.n !== 'string')) {
	fail('car patches ' + JSON.stringify(carPatches).slice(0, 300));
}
await connection.invoke('UnsubscribeFromEventV2', 124);
await connection.stop();
console.log('hub methods passed');
process.exit(0);
