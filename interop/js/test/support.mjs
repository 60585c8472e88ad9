// Shared helpers for the Node tests: the server URL, official-client connections, bounded waits
// and raw WebSocket access for speaking the hub protocol by hand.
import { HubConnectionBuilder, HttpTransportType, LogLevel } from "@microsoft/signalr";
import WebSocket from "ws";

export const RS = "\u001e";

const base = process.env.SIGNALR_BASE_URL;
if (!base) {
	throw new Error("SIGNALR_BASE_URL is not set (the JUnit test passes the server URL)");
}

/** The server's base URL, e.g. http://localhost:12345, without a trailing slash. */
export const baseUrl = base.replace(/\/$/, "");

/** The WebSocket form of the base URL. */
export const wsBaseUrl = baseUrl.replace(/^http/, "ws");

/** Rejects with a message naming what was awaited when the promise does not settle in time. */
export function withTimeout(promise, ms, what) {
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function delay(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A logger for the official client that keeps what it says, to show when a test fails. */
export function memoryLogger() {
	const lines = [];
	return {
		lines,
		log(level, message) {
			if (level >= LogLevel.Information) {
				lines.push(`${new Date().toISOString()} ${LogLevel[level]}: ${message}`);
			}
		},
	};
}

/**
 * Builds (does not start) an official-client hub connection over WebSockets. Options are the
 * client's HTTP connection options plus `logger` and `keepAliveInterval` (ms).
 */
export function hubConnection(path, options = {}) {
	const { logger = memoryLogger(), keepAliveInterval, ...httpOptions } = options;
	const builder = new HubConnectionBuilder()
		.withUrl(baseUrl + path, { transport: HttpTransportType.WebSockets, ...httpOptions })
		.configureLogging(logger);
	if (keepAliveInterval !== undefined) {
		builder.withKeepAliveInterval(keepAliveInterval);
	}
	return builder.build();
}

/** Builds and starts an official-client hub connection; the test stops it with {@link stopAll}. */
export async function startedConnection(path, options = {}) {
	const logger = options.logger ?? memoryLogger();
	const connection = hubConnection(path, { ...options, logger });
	try {
		await withTimeout(connection.start(), 5000, `start() of ${path}`);
	} catch (error) {
		error.message += logger.lines ? `\nclient log:\n${logger.lines.join("\n")}` : "";
		throw error;
	}
	return connection;
}

/** Stops connections, ignoring ones already stopped. */
export async function stopAll(...connections) {
	await Promise.all(connections.map((c) => withTimeout(c.stop(), 5000, "stop()")));
}

/**
 * Collects the arguments of one client method as they arrive. Server calls with one argument are
 * kept as that argument, others as the argument array.
 */
export class Inbox {
	constructor(connection, method = "Message") {
		this.items = [];
		this.waiters = new Set();
		connection.on(method, (...args) => {
			this.items.push(args.length === 1 ? args[0] : args);
			for (const waiter of this.waiters) {
				waiter();
			}
		});
	}

	/** Resolves once an item satisfies the predicate; fails after `ms`. */
	waitFor(predicate, ms = 5000, what = "a matching message") {
		const found = new Promise((resolve) => {
			const check = () => {
				const index = this.items.findIndex(predicate);
				if (index >= 0) {
					this.waiters.delete(check);
					resolve(index);
				}
			};
			this.waiters.add(check);
			check();
		});
		return withTimeout(found, ms, what);
	}

	/**
	 * Waits for the sentinel and returns every item received before it, removing them: because a
	 * connection's messages arrive in order, anything not there by the sentinel was never sent.
	 */
	async until(sentinel, ms = 5000) {
		const index = await this.waitFor((item) => item === sentinel, ms, `sentinel ${JSON.stringify(sentinel)}`);
		const before = this.items.slice(0, index);
		this.items = this.items.slice(index + 1);
		return before;
	}
}

/**
 * A raw WebSocket that records every frame and the close, for speaking the protocol by hand.
 */
export class RawSocket {
	constructor(url, options) {
		this.frames = [];
		this.waiters = new Set();
		this.socket = new WebSocket(url, options);
		this.opened = new Promise((resolve, reject) => {
			this.socket.once("open", resolve);
			this.socket.once("error", reject);
			this.socket.once("unexpected-response", (request, response) => {
				// with this listener `ws` leaves the refused request to us: read the body, then drop the socket
				const socket = response.socket;
				let body = "";
				response.setEncoding("utf8");
				response.on("data", (chunk) => (body += chunk));
				response.on("end", () => {
					socket.destroy();
					request.destroy();
					const error = new Error(`Unexpected response ${response.statusCode}: ${body}`);
					error.statusCode = response.statusCode;
					error.body = body;
					reject(error);
				});
			});
		});
		this.opened.catch(() => {});
		this.closed = new Promise((resolve) => {
			this.socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() }));
		});
		this.socket.on("error", () => {});
		this.socket.on("message", (data, isBinary) => {
			this.frames.push({ text: data.toString("utf8"), isBinary });
			for (const waiter of this.waiters) {
				waiter();
			}
		});
	}

	send(data) {
		this.socket.send(data);
	}

	/** The hub messages received so far, parsed from all text frames. */
	messages() {
		return this.frames
			.flatMap((frame) => frame.text.split(RS).slice(0, -1))
			.map((record) => JSON.parse(record));
	}

	/** Resolves with the first parsed hub message that satisfies the predicate. */
	waitForMessage(predicate, ms = 5000, what = "a matching message") {
		const found = new Promise((resolve) => {
			const check = () => {
				const message = this.messages().find(predicate);
				if (message !== undefined) {
					this.waiters.delete(check);
					resolve(message);
				}
			};
			this.waiters.add(check);
			check();
		});
		return withTimeout(found, ms, what);
	}

	waitForClose(ms = 5000) {
		return withTimeout(this.closed, ms, "the socket to close");
	}

	/** Opens and completes the JSON handshake. */
	async handshake(ms = 5000) {
		await withTimeout(this.opened, ms, "the socket to open");
		this.send(JSON.stringify({ protocol: "json", version: 1 }) + RS);
		const frame = await this.waitForFrame(ms);
		if (frame.text !== "{}" + RS) {
			throw new Error(`Unexpected handshake response ${JSON.stringify(frame.text)}`);
		}
	}

	/** Resolves with the first frame received. */
	waitForFrame(ms = 5000) {
		const found = new Promise((resolve) => {
			const check = () => {
				if (this.frames.length > 0) {
					this.waiters.delete(check);
					resolve(this.frames[0]);
				}
			};
			this.waiters.add(check);
			check();
		});
		return withTimeout(found, ms, "a frame");
	}

	terminate() {
		this.socket.terminate();
	}
}
