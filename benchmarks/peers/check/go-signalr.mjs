// Checks the Go SignalR peer with the official @microsoft/signalr client over WebSockets after negotiate,
// with the JSON and the MessagePack hub protocols: Echo, Broadcast, JoinGroup (completion), SendToGroup.
// Usage: node go-signalr.mjs <port>
import * as signalR from '@microsoft/signalr';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';
import { check, done, withTimeout } from './common.mjs';

const port = process.argv[2];

async function connect(protocol) {
	const builder = new signalR.HubConnectionBuilder()
		.withUrl(`http://127.0.0.1:${port}/bench`, { transport: signalR.HttpTransportType.WebSockets })
		.configureLogging(signalR.LogLevel.Warning);
	if (protocol === 'messagepack') builder.withHubProtocol(new MessagePackHubProtocol());
	const c = builder.build();
	const queue = [];
	const waiters = [];
	c.on('m', (t, p) => { const w = waiters.shift(); if (w) w({ t, p }); else queue.push({ t, p }); });
	await c.start();
	c.next = () => withTimeout(queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => waiters.push(r)),
		5000, 'm');
	c.pending = () => queue.length;
	return c;
}

async function run(protocol) {
	const a = await connect(protocol);
	const b = await connect(protocol);
	check(`${protocol}: negotiated WebSockets`, a.connection.transport.constructor.name.includes('WebSocket'));
	await a.send('Echo', 1234567, 'héllo');
	const e = await a.next();
	check(`${protocol}: echo back to the caller`, Number(e.t) === 1234567 && e.p === 'héllo');
	await b.send('Broadcast', 42, 'all');
	const ba = await a.next();
	const bb = await b.next();
	check(`${protocol}: broadcast reaches both`, Number(ba.t) === 42 && Number(bb.t) === 42 && bb.p === 'all');
	check(`${protocol}: echo went to the caller only`, a.pending() === 0 && b.pending() === 0);
	await a.invoke('JoinGroup', 'g1');
	await b.send('SendToGroup', 'g1', 7, 'grp');
	const g = await a.next();
	check(`${protocol}: group send reaches the member`, Number(g.t) === 7 && g.p === 'grp');
	await new Promise((r) => setTimeout(r, 200));
	check(`${protocol}: group send skips non-members`, b.pending() === 0);
	await a.stop();
	await b.stop();
}

async function main() {
	await run('json');
	await run('messagepack');
	done();
}

main().catch((e) => { console.error(e); process.exit(1); });
