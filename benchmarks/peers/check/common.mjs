// Shared helpers of the peer checks.
let passed = 0;
let failed = 0;

export function check(name, ok) {
	if (ok) { passed++; console.log('ok   ' + name); } else { failed++; console.log('FAIL ' + name); }
}

export function done() {
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(failed === 0 ? 0 : 1);
}

export function withTimeout(promise, ms, what) {
	let timer;
	return Promise.race([
		promise.finally(() => clearTimeout(timer)),
		new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timed out waiting for ' + what)), ms); }),
	]);
}
