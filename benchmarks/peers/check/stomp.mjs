// Checks the STOMP peer with the official @stomp/stompjs client: echo, broadcast, join (SUBSCRIBE + receipt), group.
// Usage: node stomp.mjs <port>
import { Client } from '@stomp/stompjs';
import WebSocket from 'ws';
import { check, done, withTimeout } from './common.mjs';

const port = process.argv[2];

function connect() {
	return new Promise((resolve, reject) => {
		const client = new Client({
			brokerURL: `ws://127.0.0.1:${port}/stomp`,
			webSocketFactory: () => new WebSocket(`ws://127.0.0.1:${port}/stomp`, ['v12.stomp']),
			heartbeatIncoming: 0,
			heartbeatOutgoing: 0,
			reconnectDelay: 0,
			onConnect: () => resolve(client),
			onStompError: (f) => reject(new Error(f.headers.message)),
			onWebSocketError: (e) => reject(e),
		});
		client.activate();
	});
}

function subscribeConfirmed(client, destination, onMessage) {
	return new Promise((resolve) => {
		const receipt = 'r-' + Math.random().toString(36).slice(2);
		client.watchForReceipt(receipt, () => resolve());
		client.subscribe(destination, onMessage, { receipt });
	});
}

function inbox(client) {
	const queue = [];
	const waiters = [];
	const push = (where) => (frame) => {
		const item = { where, raw: frame.body, body: JSON.parse(frame.body) };
		const w = waiters.shift();
		if (w) w(item); else queue.push(item);
	};
	return {
		push,
		next: () => withTimeout(queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => waiters.push(r)),
			5000, 'message'),
		size: () => queue.length,
	};
}

async function main() {
	const a = await connect();
	const b = await connect();
	const ia = inbox(a);
	const ib = inbox(b);
	for (const [c, i] of [[a, ia], [b, ib]]) {
		await subscribeConfirmed(c, '/user/queue/m', i.push('me'));
		await subscribeConfirmed(c, '/topic/all', i.push('all'));
	}
	const t = 1234567890123456789n;
	// echo: only the sender gets it back, t and p unchanged
	a.publish({ destination: '/app/echo', body: `{"t":${t},"p":"héllo"}`, headers: { 'content-type': 'application/json' } });
	const e = await ia.next();
	check('echo back to the caller', e.where === 'me' && e.body.p === 'héllo');
	check('echo keeps t exactly', e.raw.includes('"t":1234567890123456789'));
	// broadcast: both
	b.publish({ destination: '/app/broadcast', body: '{"t":42,"p":"all"}', headers: { 'content-type': 'application/json' } });
	const ba = await ia.next();
	const bb = await ib.next();
	check('broadcast reaches a', ba.where === 'all' && ba.body.t === 42 && ba.body.p === 'all');
	check('broadcast reaches b', bb.where === 'all' && bb.body.t === 42 && bb.body.p === 'all');
	check('echo went to the caller only', ib.size() === 0 && ia.size() === 0);
	// group: only a joins g1; b sends to it
	await subscribeConfirmed(a, '/topic/group.g1', ia.push('g1'));
	b.publish({ destination: '/app/group.g1', body: '{"t":7,"p":"grp"}', headers: { 'content-type': 'application/json' } });
	const g = await ia.next();
	check('group send reaches the member', g.where === 'g1' && g.body.t === 7 && g.body.p === 'grp');
	await new Promise((r) => setTimeout(r, 200));
	check('group send skips non-members', ib.size() === 0);
	await a.deactivate();
	await b.deactivate();
	done();
}

main().catch((e) => { console.error(e); process.exit(1); });
