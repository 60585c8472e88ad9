// Checks the netty-socketio peer with the official socket.io-client (v4) over WebSocket only:
// echo, broadcast, join (ack), group. Usage: node socketio.mjs <port>
import { io } from 'socket.io-client';
import { check, done, withTimeout } from './common.mjs';

const port = process.argv[2];

function connect() {
	return new Promise((resolve, reject) => {
		const s = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false, forceNew: true });
		const queue = [];
		const waiters = [];
		s.on('m', (m) => { const w = waiters.shift(); if (w) w(m); else queue.push(m); });
		s.next = () => withTimeout(queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => waiters.push(r)),
			5000, 'm');
		s.pending = () => queue.length;
		s.on('connect', () => resolve(s));
		s.on('connect_error', reject);
	});
}

async function main() {
	const a = await connect();
	const b = await connect();
	check('Engine.IO 4 over WebSocket', a.io.engine.transport.query.EIO === 4 && a.io.engine.transport.name === 'websocket');
	a.emit('echo', { t: 1234567, p: 'héllo' });
	const e = await a.next();
	check('echo back to the caller', e.t === 1234567 && e.p === 'héllo');
	b.emit('broadcast', { t: 42, p: 'all' });
	const ba = await a.next();
	const bb = await b.next();
	check('broadcast reaches both', ba.t === 42 && bb.t === 42 && bb.p === 'all');
	check('echo went to the caller only', a.pending() === 0 && b.pending() === 0);
	await withTimeout(a.emitWithAck('join', 'g1'), 5000, 'join ack');
	check('join acknowledged', true);
	b.emit('group', { g: 'g1', t: 7, p: 'grp' });
	const g = await a.next();
	check('group send reaches the member', g.t === 7 && g.p === 'grp' && Object.keys(g).length === 2);
	await new Promise((r) => setTimeout(r, 200));
	check('group send skips non-members', b.pending() === 0);
	a.disconnect();
	b.disconnect();
	done();
}

main().catch((e) => { console.error(e); process.exit(1); });
